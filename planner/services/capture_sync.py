"""CalDAV calendars and IMAP folders as capture sources (issue 24): adding one (the
connection is tried first, the password goes to the keyring — never the database, the
logs or a message), syncing it in batches, removing it with its secret.

The protocol code is :mod:`planner.sources` (plain Python); this module reads the source
row, fetches the secret, runs the source and hands each batch to
:func:`planner.services.capture.apply_batch`, which stores the items and the source's new
state in one transaction. So a sync that breaks off (Ctrl-C, a dropped connection) keeps
every batch stored before, and the next one goes on from the state stored with the last.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, TypeVar

from planner.domain.capture import Captured
from planner.domain.capture_match import Source, SourceKind
from planner.domain.errors import InvalidInput, NotFound
from planner.services import capture
from planner.sources import caldav_source, imap_source, tls
from planner.storage import secrets

if TYPE_CHECKING:
    from planner.storage.backend import Backend

log = logging.getLogger(__name__)

SINCE_DAYS = 30  # an IMAP source reads this far back unless told a date
SECRET_PREFIX = "capture:"

Progress = Callable[[int, int], None]


@dataclass
class SyncResult(capture.BatchResult):
    """What a sync stored, summed over its batches, and the events or messages that
    could not be read (one sentence each; the rest was stored)."""

    batches: int = 0

    def add(self, part: capture.BatchResult) -> None:
        for name in ("proposed", "updated", "withdrawn", "accepted", "unchanged", "unmatched",
                     "cancelled"):
            setattr(self, name, getattr(self, name) + getattr(part, name))
        self.accepted_ids.extend(part.accepted_ids)
        self.batches += 1


# ------------------------------------------------------------------------ secrets


def _store_secret(password: str) -> str:
    """Keep the password under a fresh keyring account; the account (for the options)."""
    account = f"{SECRET_PREFIX}{uuid.uuid4()}"
    secrets.set_secret(account, password)
    return account


def _password(source: Source, given: str | None) -> str:
    if given:
        return given
    account = source.options.get("secret")
    stored = secrets.get_secret(account) if account else None
    if not stored:
        raise InvalidInput(f"no password is stored for capture source {source.id} "
                           f"({source.label}); give it with --password-stdin, or remove and "
                           "add the source again")
    return stored


def _source(source_id: int, kind: SourceKind) -> Source:
    source = capture.get_source(source_id)
    if source.kind != kind.value:
        raise NotFound(f"capture source {source_id} is not a {kind.value} source "
                       f"(it is {source.kind})")
    return source


def remove(store: Backend, source_id: int, kind: SourceKind) -> int:
    """Forget a CalDAV or IMAP source and its password; how many pending proposals went."""
    source = _source(source_id, kind)
    dropped = capture.remove_source(store, source_id)
    account = source.options.get("secret")
    if account:
        try:
            secrets.delete_secret(account)
        except secrets.SecretStoreUnavailable:
            log.warning("the password of a removed capture source could not be deleted")
    return dropped


def trust(store: Backend, source_id: int, fingerprint: str) -> Source:
    """Pin a source to the certificate with this SHA-256 fingerprint."""
    return capture.set_source_options(store, source_id,
                                      trusted=tls.normalise_fingerprint(fingerprint))


_Batch = TypeVar("_Batch", caldav_source.Batch, imap_source.Batch)


def _run(store: Backend, source: Source, batches: Iterable[_Batch], progress: Progress | None,
         on_batch: Callable[[SyncResult], None] | None,
         to_items: Callable[[_Batch], tuple[list[Captured], list[str]]]) -> SyncResult:
    result = SyncResult()
    for batch in batches:
        items, withdrawn = to_items(batch)
        part = capture.apply_batch(store, source.id, items, withdrawn_keys=withdrawn,
                                   state=batch.state)
        result.add(part)
        result.problems.extend(batch.problems)  # said by the caller (command line, window)
        if batch.problems:  # the log keeps the count, not the events' titles
            log.info("capture source %s: %d could not be read", source.id, len(batch.problems))
        if on_batch is not None:
            on_batch(result)
        if progress is not None:
            progress(batch.done, batch.total)
    return result


# ------------------------------------------------------------------------- CalDAV


def _caldav_account(source: Source) -> caldav_source.Account:
    return caldav_source.Account(source.location, source.username,
                                 source.options.get("trusted"), source.options.get("auth_type"))


def add_caldav(store: Backend, url: str, username: str, password: str, label: str = "",
               trusted: str | None = None, since: date | None = None) -> Source:
    """Try the calendar with this user and password, then keep it as a source (events
    from ``since`` on; default the last 30 days)."""
    if not username.strip():
        raise InvalidInput("give the user name to sign in with (--user)")
    if not password:
        raise InvalidInput("the password is empty")
    account = caldav_source.Account(caldav_source.clean_url(url), username.strip(),
                                    tls.normalise_fingerprint(trusted) if trusted else None)
    account = caldav_source.check(account, password)
    since = since or (date.today() - timedelta(days=SINCE_DAYS))
    secret = _store_secret(password)
    options: dict[str, object] = {"secret": secret, "auth_type": account.auth_type,
                                  "since": since.isoformat()}
    own = caldav_source.own_addresses(account, password)
    if own:
        options["own_addresses"] = own
    if account.trusted:
        options["trusted"] = account.trusted
    try:
        return capture.add_source(store, SourceKind.CALDAV.value, label or account.url, account.url,
                                  account.username, options)
    except BaseException:
        secrets.delete_secret(secret)
        raise


AHEAD = timedelta(days=400)  # how far ahead occurrences are looked for (see caldav_source)


def ics_reader(since: date, now: datetime, zone=None) -> caldav_source.ReadEvents:
    """The one .ics reader (files and servers alike), over the source's window: from its
    start date to a while ahead (what lies ahead is remembered, not proposed)."""
    from planner.importers.ics_events import read_ics

    zone = zone or datetime.now().astimezone().tzinfo
    start = datetime.combine(since, time.min, zone).astimezone(UTC)

    def read(text: str, name: str) -> tuple[list[Captured], list[str]]:
        found = read_ics(text, start, now + AHEAD, name=name, zone=zone)
        return found.items, [f"{name}: {reason}" for reason in found.skipped + found.notes]

    return read


def sync_caldav(store: Backend, source: Source, progress: Progress | None = None, *,
                password: str | None = None, batch: int = caldav_source.BATCH,
                on_batch: Callable[[SyncResult], None] | None = None,
                now: datetime | None = None, zone=None) -> SyncResult:
    """Read what changed in the calendar since the last sync and store it, batch by batch."""
    now = now or datetime.now(UTC)
    since = date.fromisoformat(source.options.get("since")
                               or (date.today() - timedelta(days=SINCE_DAYS)).isoformat())
    batches = caldav_source.sync(_caldav_account(source), _password(source, password),
                                 source.state or None, ics_reader(since, now, zone), now=now,
                                 batch=batch)
    return _run(store, source, batches, progress, on_batch, lambda b: (b.items, b.withdrawn))


# --------------------------------------------------------------------------- IMAP


def _imap_account(source: Source) -> imap_source.Account:
    host, _, port = source.location.rpartition(":")
    return imap_source.Account(host, int(port), source.username,
                               source.options.get("security", "tls"),
                               source.options.get("trusted"))


def _folders(source: Source) -> list[imap_source.Folder]:
    return [imap_source.Folder(f["name"], bool(f.get("sent")))
            for f in source.options.get("folders") or [{"name": imap_source.SENT,
                                                        "sent": True}]]


def add_imap(store: Backend, host: str, username: str, password: str, *, port: int | None = None,
             security: str = "tls", folders: list[str] | None = None, inbox: bool = False,
             since: date | None = None, keep_subject: bool = False, label: str = "",
             trusted: str | None = None) -> Source:
    """Try the server and the folders with this user and password, then keep the source.

    ``folders``: names to read as mail you sent (default: the server's Sent folder);
    ``inbox``: read INBOX too, as mail you received."""
    if not password:
        raise InvalidInput("the password is empty")
    account = imap_source.make_account(host, port, username, security, trusted)
    chosen = [imap_source.Folder(name, True) for name in (folders or [imap_source.SENT])]
    if inbox:
        chosen.append(imap_source.Folder("INBOX", False))
    imap_source.check(account, password, chosen)
    since = since or (date.today() - timedelta(days=SINCE_DAYS))
    secret = _store_secret(password)
    options = {"secret": secret, "security": account.security,
               "folders": [{"name": f.name, "sent": f.sent} for f in chosen],
               "since": since.isoformat(), "keep_subject": bool(keep_subject)}
    if account.trusted:
        options["trusted"] = account.trusted
    location = f"{account.host}:{account.port}"
    try:
        return capture.add_source(store, SourceKind.IMAP.value, label or f"{account.username} at "
                                  f"{account.host}", location, account.username, options)
    except BaseException:
        secrets.delete_secret(secret)
        raise


def sync_imap(store: Backend, source: Source, progress: Progress | None = None, *,
              password: str | None = None, batch: int = imap_source.BATCH,
              on_batch: Callable[[SyncResult], None] | None = None, zone=None) -> SyncResult:
    """Read the folders' new messages since the last sync and store them, batch by batch."""
    since = date.fromisoformat(source.options.get("since")
                               or (date.today() - timedelta(days=SINCE_DAYS)).isoformat())
    batches = imap_source.sync(_imap_account(source), _password(source, password),
                               _folders(source), since, source.state or None,
                               keep_subject=bool(source.options.get("keep_subject")),
                               batch=batch, zone=zone)
    return _run(store, source, batches, progress, on_batch, lambda b: (b.items, []))


capture.register_syncer(SourceKind.CALDAV.value, sync_caldav)
capture.register_syncer(SourceKind.IMAP.value, sync_imap)
