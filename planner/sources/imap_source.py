"""A mail folder over IMAP, read-only and incremental, through ``imapclient``.

* Read-only: folders are opened with EXAMINE (``readonly=True``) and only headers are
  fetched, with ``BODY.PEEK[HEADER.FIELDS (…)]`` — no flag ever changes (\\Seen stays as
  it was), no body is read or kept.
* TLS always: implicit (``tls``, port 993) or ``starttls`` (port 143); the certificate is
  verified by the system's trust store, or pinned to the SHA-256 fingerprint the user
  chose to trust, checked before the password is sent.
* One item per thread per (local) day: a message to or from someone becomes a proposed
  e-mail touchpoint keyed ``imap:<thread root Message-ID>:<YYYY-MM-DD>``; the thread
  root is the first ``References`` id, else ``In-Reply-To``, else the message's own id —
  a reply without those headers ("Re: …") falls back to its normalised subject (hashed:
  a subject is stored only when the user asks for it).
* Incremental by UIDVALIDITY and the last UID seen per folder; a folder that did not
  change costs one STATUS. Batches carry the state that holds once they are stored.
"""

from __future__ import annotations

import hashlib
import imaplib
import logging
import re
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from planner.domain.capture import Captured
from planner.domain.errors import InvalidInput, PlannerError
from planner.sources import mail_headers, tls
from planner.sources.errors import (
    ConnectionDropped,
    ServerProblem,
    ServerUnreachable,
    SignInRefused,
    SourceError,
)

log = logging.getLogger(__name__)

BATCH = 200  # messages per FETCH and per stored batch
TIMEOUT = 30.0
#: connecting and the server's greeting (and, for ``tls``, the handshake): a server greets
#: at once, and a STARTTLS client on a TLS port (993) waits for a greeting that never
#: comes (the server waits for the client's TLS hello)
GREETING_SECONDS = 10.0
FIELDS = ("FROM", "TO", "CC", "BCC", "DATE", "SUBJECT", "MESSAGE-ID", "IN-REPLY-TO",
          "REFERENCES")
HEADER_ITEM = "BODY.PEEK[HEADER.FIELDS (" + " ".join(FIELDS) + ")]"
SENT = "SENT"  # the folder name that means "the server's Sent folder, whatever it is called"
SECURITY = ("tls", "starttls")
MAX_ID = 500  # characters of a Message-ID kept in a key (longer: its digest)

_PREFIX = re.compile(r"^\s*(?:(?:re|fw|fwd|aw|wg|sv|vs|tr|rif|antw|odp)(?:\[\d+\])?\s*:\s*"
                     r"|\[[^\]]{1,40}\]\s*)+", re.IGNORECASE)
_IDS = re.compile(r"<([^<>\s]+)>")
#: what OpenSSL says when the other end answers in plain text (an IMAP greeting)
_NOT_TLS = {"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "PACKET_LENGTH_TOO_LONG",
            "HTTP_REQUEST", "UNKNOWN_PROTOCOL"}


@dataclass(frozen=True)
class Account:
    host: str
    port: int
    username: str
    security: str = "tls"  # "tls" or "starttls"
    trusted: str | None = None  # pinned SHA-256 of the server certificate (hex)

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Folder:
    name: str  # as on the server, or SENT
    sent: bool  # mail sent by the user: the other parties are To/Cc/Bcc; else From


@dataclass
class Batch:
    items: list[Captured]
    state: dict
    done: int
    total: int
    problems: list[str] = field(default_factory=list)


def make_account(host: str, port: int | None, username: str, security: str,
                 trusted: str | None) -> Account:
    host = host.strip()
    if not host or "/" in host or " " in host:
        raise InvalidInput("give the mail server's host name, e.g. imap.example.org")
    if security not in SECURITY:
        raise InvalidInput("security is tls (port 993) or starttls (port 143)")
    if not username.strip():
        raise InvalidInput("give the user name to sign in with")
    port = port or (993 if security == "tls" else 143)
    if not 0 < port < 65536:
        raise InvalidInput(f"{port} is not a port number")
    return Account(host, port, username.strip(), security,
                   tls.normalise_fingerprint(trusted) if trusted else None)


# ----------------------------------------------------------------------- connecting


def _context(account: Account) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if account.trusted:  # pinned: checked by fingerprint right after the handshake
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _unverified_fingerprint(account: Account) -> str:
    """The fingerprint of the certificate the server shows, for the refusal message."""
    if account.security == "tls":
        return tls.fetch_fingerprint(account.host, account.port)
    from imapclient import IMAPClient

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        client = IMAPClient(account.host, account.port, ssl=False, timeout=10)
        try:
            client.starttls(context)
            der = client.socket().getpeercert(binary_form=True)
        finally:
            client.shutdown()
    except Exception:
        return ""
    return tls.der_fingerprint(der) if der else ""


class FolderMissing(ServerProblem):
    """A folder the source reads is not on the server (deleted or renamed since)."""


class Connection:
    """A signed-in, read-only session; errors become one sentence."""

    def __init__(self, account: Account, password: str):
        self.account = account
        self.client: Any = None  # the IMAPClient while open (imapclient ships no types)
        self.signed_in = False
        self._open(password)

    # -- errors
    def fail(self, exc: BaseException) -> Exception:
        from imapclient import exceptions as imap_errors

        where = self.account.where
        if isinstance(exc, SourceError | PlannerError):
            return exc
        reason = tls.verify_reason(exc)
        if reason is not None:
            return tls.refused(where, _unverified_fingerprint(self.account), reason,
                               self.account.trusted)
        if isinstance(exc, imap_errors.LoginError):
            return SignInRefused(f"{where} refused the user name or password of "
                                 f"{self.account.username}")
        if self.signed_in and isinstance(exc, OSError | imaplib.IMAP4.abort | EOFError):
            return ConnectionDropped(f"the connection to {where} broke off during the sync; "
                                     "what was read before is kept, sync again to go on")
        if isinstance(exc, socket.gaierror):
            return ServerUnreachable(f"cannot reach {where} (the name is not known)")
        if isinstance(exc, TimeoutError | socket.timeout) and not self.signed_in \
                and self.account.security == "starttls":
            return ServerUnreachable(
                f"{where} did not greet within {GREETING_SECONDS:.0f} s; if it is a TLS port "
                "(usually 993), add it with --security tls")
        if isinstance(exc, TimeoutError | socket.timeout):
            return ServerUnreachable(f"cannot reach {where} (it timed out)")
        if isinstance(exc, ConnectionRefusedError):
            return ServerUnreachable(f"cannot reach {where} (the connection was refused)")
        if isinstance(exc, ssl.SSLError) and self.account.security == "tls" \
                and getattr(exc, "reason", None) in _NOT_TLS:
            return ServerUnreachable(f"{where} answered without TLS; if it is a STARTTLS port "
                                     "(usually 143), add it with --security starttls")
        if isinstance(exc, ssl.SSLError):
            return ServerUnreachable(f"cannot reach {where} over TLS ({exc.reason or exc})"
                                     if self.account.security == "tls" else
                                     f"STARTTLS with {where} failed ({exc.reason or exc})")
        if isinstance(exc, OSError | imaplib.IMAP4.abort | EOFError):
            return ServerUnreachable(f"cannot reach {where} (the connection was closed)")
        if isinstance(exc, imap_errors.CapabilityError):
            return ServerProblem(f"{where} does not offer STARTTLS; use --security tls")
        if isinstance(exc, imaplib.IMAP4.error):
            text = str(exc).strip().splitlines()
            return ServerProblem(f"{where} answered with an error"
                                 f"{': ' + text[0][:160] if text else ''}")
        log.error("unexpected error from the IMAP library: %s", type(exc).__name__,
                  exc_info=exc)
        return ServerProblem(f"{where} could not be read ({type(exc).__name__})")

    def call(self, fn):
        try:
            return fn()
        except Exception as exc:
            raise self.fail(exc) from None

    # -- session
    def _open(self, password: str) -> None:
        from imapclient import IMAPClient, SocketTimeout

        account, context = self.account, _context(self.account)
        try:
            timeout = SocketTimeout(connect=GREETING_SECONDS, read=TIMEOUT)
            if account.security == "tls":
                self.client = IMAPClient(account.host, account.port, ssl=True,
                                         ssl_context=context, timeout=timeout)
            else:
                self.client = IMAPClient(account.host, account.port, ssl=False,
                                         timeout=timeout)
                self.client.starttls(context)
            self.client.normalise_times = False
            if account.trusted:
                der = self.client.socket().getpeercert(binary_form=True)
                shown = tls.der_fingerprint(der) if der else ""
                if shown != account.trusted:
                    raise tls.refused(account.where, shown, "pinned", account.trusted)
            self.client.login(account.username, password)
            self.signed_in = True
        except BaseException as exc:
            self.close(polite=False)
            if isinstance(exc, KeyboardInterrupt):
                raise
            raise self.fail(exc) from None

    def close(self, polite: bool = True) -> None:
        """Log out (``polite``), or after a failure or Ctrl-C just close the socket: a
        server that stopped answering must not hold the user up once more."""
        client, self.client = self.client, None
        if client is None:
            return
        try:
            if self.signed_in and polite:
                client.logout()
            else:
                client.shutdown()
        except Exception:
            try:
                client.shutdown()
            except Exception:
                pass

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close(polite=exc_type is None)

    # -- folders
    def resolve(self, name: str) -> str:
        """A folder's server name: SENT is found by SPECIAL-USE \\Sent, then common names."""
        from imapclient.imapclient import SENT as SENT_FLAG

        if name.upper() != SENT:
            if not self.call(lambda: self.client.folder_exists(name)):
                raise FolderMissing(f"{self.account.where} has no folder named {name}")
            return name
        found = self.call(lambda: self.client.find_special_folder(SENT_FLAG))
        if not found:
            raise FolderMissing(f"{self.account.where} has no Sent folder (none is marked "
                                "\\Sent and none has a usual name); name it with --folder")
        return found


def check(account: Account, password: str, folders: list[Folder]) -> dict[str, str]:
    """Sign in and find each folder; {folder as given: its name on the server}."""
    with Connection(account, password) as conn:
        return {f.name: conn.resolve(f.name) for f in folders}


# ------------------------------------------------------------------------- reading


def normalise_subject(subject: str) -> str:
    text = _PREFIX.sub("", subject or "")
    return " ".join(text.split()).casefold()


def _ids(value: str | None) -> list[str]:
    return _IDS.findall(value or "")


def _bounded(message_id: str) -> str:
    """A Message-ID as a key: itself, or its digest when it is too long for a database
    index (PostgreSQL's stops near 2,700 bytes) or holds what a key must not (NUL)."""
    if len(message_id) <= MAX_ID and message_id.isprintable():
        return message_id
    return "id-" + hashlib.sha256(message_id.encode("utf-8", "replace")).hexdigest()[:32]


def thread_root(message_id: str | None, in_reply_to: str | None, references: str | None,
                subject: str) -> str:
    """The thread a message belongs to (see the module's doc)."""
    refs = _ids(references)
    if refs:
        return _bounded(refs[0])
    replied = _ids(in_reply_to)
    if replied:
        return _bounded(replied[0])
    own = _ids(message_id)
    stripped = normalise_subject(subject)
    if own and (stripped == " ".join((subject or "").split()).casefold() or not stripped):
        return _bounded(own[0])  # a message that starts a thread
    digest = hashlib.sha256(stripped.encode("utf-8")).hexdigest()[:20]
    return f"subject-{digest}"


def message_time(written: datetime | None, internal: datetime | None,
                 now: datetime) -> datetime | None:
    """When a message was sent: its Date header, unless that is missing, unreadable or
    in the future (a sender's clock, spam) — then when the server got it (INTERNALDATE);
    never later than ``now``. A message read once is not read again (the UID moves on),
    so a time in the future would have lost it for good."""
    if internal is not None:
        internal = (internal if internal.tzinfo is not None
                    else internal.replace(tzinfo=UTC)).astimezone(UTC)
    for at in (written, internal):
        if at is not None and at <= now:
            return at
    return now if (written or internal) is not None else None


def read_message(header_bytes: bytes, internal: datetime | None, sent: bool,
                 keep_subject: bool, zone: tzinfo | None,
                 now: datetime | None = None) -> tuple[str, Captured] | None:
    """(thread-day key, item) of one message's headers; None when it names nobody."""
    headers = mail_headers.parse(header_bytes)
    addresses = headers.addresses(*(("To", "Cc", "Bcc") if sent else ("From",)))
    if not addresses:
        return None
    at = message_time(headers.date(), internal, now or datetime.now(UTC))
    if at is None:
        return None
    day = (at.astimezone(zone) if zone is not None else at.astimezone()).date()
    subject = headers.text("Subject")
    root = thread_root(headers.raw("Message-ID"), headers.raw("In-Reply-To"),
                       headers.raw("References"), subject)
    key = f"imap:{root}:{day.isoformat()}"
    title = subject if keep_subject else ""
    return key, Captured(key, "email", at, None, title, tuple(addresses), False)


def _merge(old: Captured | None, new: Captured) -> Captured:
    if old is None:
        return new
    first = old if old.at <= new.at else new
    addresses = list(old.addresses)
    seen = {a.casefold() for a, _ in addresses}
    for pair in new.addresses:
        if pair[0].casefold() not in seen:
            seen.add(pair[0].casefold())
            addresses.append(pair)
    return Captured(old.source_key, "email", first.at, None, first.title or old.title,
                    tuple(addresses), False)


def sync(account: Account, password: str, folders: list[Folder], since: date,
         state: dict | None, keep_subject: bool = False, batch: int = BATCH,
         zone: tzinfo | None = None) -> Iterator[Batch]:
    """New messages of ``folders`` since ``since`` (and after the stored last UID), in
    batches; nothing when no folder changed."""
    folder_state = dict((state or {}).get("folders") or {})
    # thread-days seen lately: a later message of the same thread and day adds its people
    # to the item instead of replacing them (each item is the whole truth about its key)
    merged: dict[str, Captured] = _recent_items((state or {}).get("recent") or {})
    now = datetime.now(UTC)
    with Connection(account, password) as conn:
        client = conn.client
        plans: list[tuple[str, Folder, int, list[int], int]] = []
        missing: list[str] = []  # folders gone since the source was added: the rest is read
        for folder in folders:
            try:
                name = conn.resolve(folder.name)
            except FolderMissing as exc:
                missing.append(f"{exc}: its mail was not read (remove the source and add "
                               "it again to choose its folders)")
                continue
            known = folder_state.get(name) or {}
            status = conn.call(lambda n=name: client.folder_status(
                n, [b"UIDVALIDITY", b"UIDNEXT"]))
            validity = int(status[b"UIDVALIDITY"])
            uidnext = int(status.get(b"UIDNEXT") or 0)
            same = known.get("uidvalidity") == validity
            last = int(known.get("last_uid") or 0) if same else 0
            if same and uidnext and uidnext - 1 <= last:
                continue  # nothing new: one STATUS
            conn.call(lambda n=name: client.select_folder(n, readonly=True))  # EXAMINE
            if last:
                found = conn.call(lambda lo=last: client.search(["UID", f"{lo + 1}:*"]))
            else:
                day = since - timedelta(days=1)  # SINCE is in the server's days: a margin
                found = conn.call(lambda d=day: client.search(["SINCE", d]))
            uids = sorted(u for u in found if u > last)
            # every UID below UIDNEXT existed before the search: those it did not find are
            # older than ``since`` and never need asking for again
            top = max(last, uidnext - 1, *uids) if uidnext else max(last, *uids, 0)
            plans.append((name, folder, validity, uids, top))
        total = sum(len(plan[3]) for plan in plans)
        done = 0
        midnight = datetime.combine(since, datetime.min.time())
        start = midnight.replace(tzinfo=zone) if zone is not None else midnight.astimezone()
        if missing and not plans:
            yield Batch([], _state(folder_state, merged, zone), 0, 0, missing)
        for name, folder, validity, uids, top in plans:
            told, missing = missing, []  # said with the first batch
            if not uids:  # only mail older than ``since`` (or a new UIDVALIDITY): remember
                folder_state[name] = {"uidvalidity": validity, "last_uid": top}
                yield Batch([], _state(folder_state, merged, zone), done, total, told)
                continue
            conn.call(lambda n=name: client.select_folder(n, readonly=True))
            for i in range(0, len(uids), batch):
                chunk = uids[i:i + batch]
                fetched = conn.call(lambda c=chunk: client.fetch(
                    c, [HEADER_ITEM, "INTERNALDATE"]))
                touched: list[str] = []
                problems, told = told, []
                for uid in chunk:
                    data = fetched.get(uid) or {}
                    header = next((v for k, v in data.items()
                                   if k.startswith(b"BODY[HEADER.FIELDS")), None)
                    if header is None:
                        continue
                    try:
                        got = read_message(header, data.get(b"INTERNALDATE"), folder.sent,
                                           keep_subject, zone, now)
                    except Exception as exc:  # a header no parser copes with
                        problems.append(f"message {uid} in {name} could not be read "
                                        f"({type(exc).__name__})")
                        continue
                    if got is None or got[1].at < start:
                        continue
                    key, item = got
                    merged[key] = _merge(merged.get(key), item)
                    if key not in touched:
                        touched.append(key)
                done += len(chunk)
                final = i + batch >= len(uids)
                folder_state[name] = {"uidvalidity": validity,
                                      "last_uid": top if final else chunk[-1]}
                yield Batch([merged[k] for k in touched], _state(folder_state, merged, zone),
                            done, total, problems)


RECENT_DAYS = 3  # thread-days kept in the state to merge later messages into


def _day(item: Captured, zone: tzinfo | None) -> date:
    return (item.at.astimezone(zone) if zone is not None else item.at.astimezone()).date()


def _state(folders: dict, merged: dict[str, Captured], zone: tzinfo | None) -> dict:
    """The state to store with a batch: the folders' UIDs and the latest thread-days."""
    recent = {}
    if merged:
        newest = max(_day(item, zone) for item in merged.values())
        cutoff = newest - timedelta(days=RECENT_DAYS)
        for key, item in merged.items():
            if _day(item, zone) >= cutoff:
                recent[key] = {"at": item.at.isoformat(), "title": item.title,
                               "addresses": [list(pair) for pair in item.addresses]}
    return {"folders": {k: dict(v) for k, v in folders.items()}, "recent": recent}


def _recent_items(recent: dict) -> dict[str, Captured]:
    items = {}
    for key, value in recent.items():
        try:
            items[key] = Captured(key, "email", datetime.fromisoformat(value["at"]), None,
                                  value.get("title") or "",
                                  tuple((a, d) for a, d in value.get("addresses") or []))
        except (KeyError, TypeError, ValueError):
            continue
    return items
