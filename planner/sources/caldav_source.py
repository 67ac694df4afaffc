"""A CalDAV calendar, read-only and incremental, through the ``caldav`` library.

* :func:`check` signs in and makes sure the URL is a calendar (``add`` runs it).
* :func:`sync` yields :class:`Batch` es: events turned into
  :class:`~planner.domain.capture.Captured` items by the .ics reader it is given (one
  parser for files and servers), the keys to withdraw (an event edited, moved or deleted
  at the server), and the state that holds once the batch is stored.

A re-sync with nothing new costs one request: a depth-0 PROPFIND of the calendar's
``DAV:sync-token`` (RFC 6578) and ``CS:getctag``; when they equal the stored ones, nothing
more is asked. Otherwise a ``sync-collection`` REPORT from the stored token lists what
changed and what was deleted, and the changed events are fetched with
``calendar-multiget``, one request per batch. Nothing is ever written to the server.

The state (a JSON-able dict): ``token``, ``ctag``, ``events`` — each event's href and
the keys of the past occurrences it gave, so an edit or a delete withdraws the right
proposals — and ``next``: the first occurrence still to come of each event that has one;
once that time has passed, the next sync reads the event again (an unchanged recurring
event is not in the server's changes, yet each week's meeting becomes a touchpoint). A
batch that is not the last keeps the old token: a sync that breaks off is asked again
from there, and items already stored are the same keys again (never proposed twice).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ClassVar
from urllib.parse import quote, unquote, urljoin, urlsplit

from planner.domain.capture import Captured
from planner.domain.errors import InvalidInput, PlannerError
from planner.sources import tls
from planner.sources.errors import (
    ConnectionDropped,
    ServerProblem,
    ServerUnreachable,
    SignInRefused,
    SourceError,
)

log = logging.getLogger(__name__)

BATCH = 50  # events per calendar-multiget request and per stored batch
TIMEOUT = 30  # seconds
CTAG = "{http://calendarserver.org/ns/}getctag"
SYNC_TOKEN = "{DAV:}sync-token"
LOOPBACK = {"localhost", "127.0.0.1", "::1"}
MAX_REDIRECTS = 5  # within the calendar's own origin (more: a loop)

#: (an event resource's text, how to name it in a message) → (its items: every occurrence
#: from the source's start date on, and some way ahead; what of it could not be read, one
#: line each); InvalidInput when it cannot be read at all
ReadEvents = Callable[[str, str], tuple[list[Captured], list[str]]]


@dataclass(frozen=True)
class Account:
    url: str  # the calendar collection, without credentials
    username: str
    trusted: str | None = None  # pinned SHA-256 of the server certificate (hex)
    auth_type: str | None = None  # "basic" / "digest", as found by check()

    @property
    def where(self) -> str:
        parts = urlsplit(self.url)
        return parts.netloc.rpartition("@")[2] or self.url


@dataclass
class Batch:
    items: list[Captured]
    withdrawn: list[str]
    state: dict
    done: int  # events handled so far in this sync
    total: int  # events to handle in this sync
    problems: list[str] = field(default_factory=list)  # events that could not be read


def clean_url(url: str) -> str:
    """A calendar URL as stored: http(s), no credentials, ending in '/'. Plain http only
    to this machine (a password must not cross a network unencrypted)."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput("a CalDAV address starts with https:// (e.g. "
                           "https://dav.example.org/calendars/me/work/)")
    if parts.password is not None or parts.username is not None:
        raise InvalidInput("leave the user name and password out of the address; give the "
                           "user with --user, the password when asked")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise InvalidInput(f"{parts.hostname}: use https:// — the password would travel "
                           "unencrypted over http://")
    return text if text.endswith("/") else text + "/"


def href_of(url) -> str:
    """An event's path, unquoted: servers and the library disagree on %40 vs @."""
    return unquote(urlsplit(str(url)).path)


# ---------------------------------------------------------------------------- talking


def _client(account: Account, password: str):
    from caldav.davclient import DAVClient  # what ``caldav.DAVClient`` loads, typed

    verify: bool | str = f"sha256_{account.trusted}" if account.trusted else True
    client = DAVClient(url=account.url, username=account.username, password=password,
                       auth_type=account.auth_type, timeout=TIMEOUT,
                       ssl_verify_cert=verify, enable_rfc6764=False)
    _same_origin_redirects(client.session, account.url)
    return client


class Redirected(Exception):
    """The server sent a request elsewhere than the calendar's own scheme, host and port."""

    def __init__(self, target: str):
        super().__init__(target)
        self.target = target


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def _same_origin_redirects(session, url: str) -> None:
    """Follow a redirect only within the calendar's own origin, and a few times: no
    request goes to a host (or a scheme: https to http) the user did not give."""
    origin = _origin(url)
    session.max_redirects = MAX_REDIRECTS

    def check(response, *args, **kwargs):
        if getattr(response, "is_redirect", False):
            target = urljoin(str(response.url), response.headers.get("Location", ""))
            if _origin(target) != origin:
                response.close()  # its connection goes back (raising leaves it open)
                raise Redirected(target)
        return response

    session.hooks.setdefault("response", []).append(check)


class _Talk:
    """Runs library calls and turns what they raise into one sentence."""

    def __init__(self, account: Account):
        self.account = account
        self.answered = False  # the server answered once: a later failure is a drop

    def __call__(self, fn: Callable, request: bool = True):
        from caldav.lib import error as dav_error

        try:
            result = fn()
        except dav_error.AuthorizationError as exc:
            if getattr(exc, "status", None) == 403 or "403" in str(getattr(exc, "reason", "")) \
                    or "Forbidden" in str(exc):
                raise ServerProblem(f"{self.account.where} does not let {self.account.username} "
                                    f"read {self.account.url}") from None
            raise SignInRefused(f"{self.account.where} refused the user name or password "
                                f"of {self.account.username}") from None
        except dav_error.NotFoundError:
            raise ServerProblem(f"there is no calendar at {self.account.url}") from None
        except dav_error.DAVError as exc:
            raise ServerProblem(_answered(self.account.where, exc)) from None
        except Redirected as exc:
            raise ServerProblem(
                f"{self.account.where} sends the calendar's requests to "
                f"{_shown(exc.target)}; if that is right, add the calendar with that "
                "address (nothing was sent there)") from None
        except SourceError:
            raise
        except PlannerError:
            raise
        except Exception as exc:
            raise self._network(exc) from None
        self.answered = self.answered or request
        return result

    def _network(self, exc: Exception) -> Exception:
        parts = urlsplit(self.account.url)
        if type(exc).__name__ == "TooManyRedirects":
            return ServerProblem(f"{self.account.where} redirects in a loop; check the "
                                 "calendar's address")
        if type(exc).__module__.split(".")[0] == "lxml":  # a body that is no XML at all
            return ServerProblem(f"{self.account.where} answered with something that is not "
                                 "CalDAV (not XML); check the calendar's address")
        reason = tls.verify_reason(exc)
        if reason is not None:
            fingerprint = tls.fetch_fingerprint(parts.hostname or "", parts.port or 443)
            return tls.refused(self.account.where, fingerprint, reason, self.account.trusted)
        if isinstance(exc, OSError) or type(exc).__module__.split(".")[0] in (
                "niquests", "requests", "urllib3", "urllib3_future", "ssl", "http"):
            if self.answered:
                return ConnectionDropped(
                    f"the connection to {self.account.where} broke off during the sync; what "
                    "was read before is kept, sync again to go on")
            text = str(exc)
            why = ("the connection was refused" if "refused" in text.lower()
                   else "it timed out" if "timed out" in text.lower() or "timeout" in text.lower()
                   else "the name is not known" if "resolve" in text.lower()
                   or "Name or service" in text else "the connection failed")
            return ServerUnreachable(f"cannot reach {self.account.where} ({why})")
        log.error("unexpected error from the CalDAV library: %s", type(exc).__name__,
                  exc_info=exc)
        return ServerProblem(f"{self.account.where} gave an answer that could not be read "
                             f"({type(exc).__name__})")


def _answered(where: str, exc) -> str:
    """The sentence for an HTTP error the library raised: its status, and the server's
    own reason when it gave one (the library's placeholder "no reason" is not one)."""
    status = getattr(exc, "status", None)
    reason = str(getattr(exc, "reason", "") or "").strip()
    first = reason.splitlines()[0][:120] if reason and reason != "no reason" else ""
    said = f" (HTTP {status})" if isinstance(status, int) else ""
    return f"{where} answered with an error{said}{': ' + first if first else ''}"


def _shown(url: str) -> str:
    """A URL for a message: its scheme, host and path, never credentials or a query."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}{parts.path}"[:200]


def _props(calendar, talk: _Talk) -> dict:
    from caldav.elements import dav
    from caldav.elements.base import BaseElement

    class GetCtag(BaseElement):
        tag: ClassVar[str] = CTAG

    return talk(lambda: calendar.get_properties([dav.SyncToken(), GetCtag(), dav.ResourceType()]))


def check(account: Account, password: str) -> Account:
    """Sign in and make sure the URL is a calendar; the account with the server's auth
    type found (so syncs skip the unauthenticated first round trip)."""
    talk = _Talk(account)
    client = talk(lambda: _client(account, password), request=False)
    try:
        calendar = client.calendar(url=account.url)
        props = _props(calendar, talk)
        kinds = props.get("{DAV:}resourcetype") or []
        if isinstance(kinds, str):
            kinds = [kinds]
        if "{urn:ietf:params:xml:ns:caldav}calendar" not in kinds:
            raise ServerProblem(f"{account.url} is not a calendar (give the address of one "
                                "calendar, as the server's web page shows it)")
        auth = type(getattr(client, "auth", None)).__name__.lower()
        found = "digest" if "digest" in auth else "basic" if "basic" in auth else None
        return Account(account.url, account.username, account.trusted, found)
    finally:
        client.close()


def own_addresses(account: Account, password: str) -> list[str]:
    """The user's own addresses as the server knows them (RFC 6638
    calendar-user-address-set), so their own name on every invitation is not proposed;
    [] when the server does not say."""
    client = _Talk(account)(lambda: _client(account, password), request=False)
    try:
        found = client.principal().calendar_user_address_set()
    except Exception:  # optional: many servers do not say
        return []
    else:
        return [a[7:] for a in found if a and a.lower().startswith("mailto:") and "@" in a]
    finally:
        client.close()


def sync(account: Account, password: str, state: dict | None, read_events: ReadEvents,
         now: datetime | None = None, batch: int = BATCH) -> Iterator[Batch]:
    """The changes since ``state`` (None: everything), in batches; nothing when the
    calendar did not change and no stored occurrence has come to pass (one request)."""
    from caldav.lib import error as dav_error

    now = now or datetime.now(UTC)
    state = dict(state or {})
    events: dict[str, list[str]] = {k: list(v) for k, v in (state.get("events") or {}).items()}
    upcoming: dict[str, str] = dict(state.get("next") or {})
    due = sorted(h for h, when in upcoming.items() if datetime.fromisoformat(when) <= now)
    talk = _Talk(account)
    client = talk(lambda: _client(account, password), request=False)
    try:
        calendar = client.calendar(url=account.url)
        props = _props(calendar, talk)
        token, ctag = props.get(SYNC_TOKEN), props.get(CTAG)
        unchanged = bool(state) and bool((token and token == state.get("token"))
                                         or (not token and ctag and ctag == state.get("ctag")))
        if unchanged and not due:
            return  # nothing new
        listed: dict[str, object] = {}
        gone: set[str] = set()
        new_token = state.get("token") if token else None
        if not unchanged:
            old = state.get("token") if token else None
            listing = None
            if old:
                try:
                    listing = talk(lambda: calendar.get_objects_by_sync_token(
                        sync_token=old, load_objects=False, disable_fallback=True))
                except ServerProblem:  # the token expired (or sync-collection failed)
                    listing = None
            full = listing is None
            if listing is None:
                listing = talk(lambda: calendar.get_objects_by_sync_token(
                    sync_token=None, load_objects=False))
            listed = {href_of(o.url): o for o in listing.objects}
            gone = {href_of(u) for u in (getattr(listing, "deleted_urls", None) or ())}
            if full:
                gone |= set(events) - set(listed)
            new_token = getattr(listing, "sync_token", None) if token else None
        for href in due:  # a stored occurrence came to pass: read its event again
            if href not in listed and href not in gone:
                listed[href] = _unloaded(calendar, href)
        changed = [h for h in listed if h not in gone]
        total = len(changed) + len(gone)

        withdrawn = [key for h in sorted(gone) for key in events.pop(h, [])]
        for href in gone:
            upcoming.pop(href, None)
        keep = {"token": state.get("token"), "ctag": state.get("ctag")}
        chunks = [changed[i:i + batch] for i in range(0, len(changed), batch)] or [[]]
        done = len(gone)
        for number, hrefs in enumerate(chunks):
            last = number == len(chunks) - 1
            items: list[Captured] = []
            problems: list[str] = []
            loaded = _load(calendar, [listed[h] for h in hrefs], talk, dav_error)
            for href in hrefs:
                before = set(events.get(href, []))
                text = loaded.get(href)
                upcoming.pop(href, None)
                if text is None:  # deleted between the listing and the fetch
                    withdrawn.extend(sorted(before))
                    events.pop(href, None)
                    continue
                name = href.rstrip("/").rsplit("/", 1)[-1]
                try:
                    got, said = read_events(text, f"event {name}")
                    problems.extend(said)
                except PlannerError as exc:
                    text = str(exc)
                    problems.append(text if name in text
                                    else f"event {name} could not be read: {text}")
                    got = []
                except (ValueError, TypeError, KeyError, IndexError) as exc:
                    log.warning("event %s: %s: %s", name, type(exc).__name__, exc)
                    reason = " ".join(str(exc).split())[:120]
                    problems.append(f"event {name} could not be read ({reason})")
                    got = []
                past = [item for item in got if item.at <= now]
                future = [item.at for item in got if item.at > now and not item.cancelled]
                if future:
                    upcoming[href] = min(future).isoformat()
                keys = [item.source_key for item in past]
                items.extend(past)
                withdrawn.extend(sorted(before - set(keys)))
                events[href] = keys
            done += len(hrefs)
            final = {"token": new_token, "ctag": ctag} if last else keep
            yield Batch(items, withdrawn,
                        {**final, "events": {k: list(v) for k, v in events.items()},
                         "next": dict(upcoming)},
                        done, total, problems)
            withdrawn = []
    finally:
        client.close()


def _unloaded(calendar, href: str):
    """An event object of ``calendar`` by its path (to fetch it again)."""
    from caldav.calendarobjectresource import Event

    return Event(client=calendar.client, url=calendar.url.join(quote(href)), parent=calendar)


def _load(calendar, objects: list, talk: _Talk, dav_error) -> dict[str, str]:
    """href → the event's text, one calendar-multiget for the lot (objects the listing
    already carried are not asked again)."""
    texts: dict[str, str] = {}
    wanted = []
    for obj in objects:
        data = getattr(obj, "_data", None)
        if data:
            texts[href_of(obj.url)] = obj.data
        else:
            wanted.append(obj.url)
    if wanted:
        for obj in talk(lambda: calendar.multiget(wanted, raise_notfound=False)):
            if obj.data:
                texts[href_of(obj.url)] = obj.data
    return texts
