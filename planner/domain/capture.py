"""What a calendar or a mailbox tells about a meeting or a conversation, before it is
matched to people and proposed as a touchpoint (issue 24).

Every source (an .ics file or folder, a CalDAV calendar, an IMAP folder) turns what it
reads into :class:`Captured` items; matching and the review inbox work on these only, so
they never know where an item came from. Plain Python: no Qt, no peewee, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Captured:
    """One meeting (one occurrence of a recurring event) or one mail thread on one day."""

    #: Stable across syncs and re-imports: the same occurrence or thread-day gives the same
    #: key, so it is never proposed twice. E.g. ``"ics:<UID>:<occurrence start, UTC ISO>"``,
    #: ``"imap:<thread root Message-ID>:<YYYY-MM-DD>"``.
    source_key: str
    #: A touchpoint kind value (planner.domain.kinds.Kind), e.g. "video", "coffee", "email".
    kind: str
    #: When it happened: an aware datetime (UTC).
    at: datetime
    #: Its length (an event's duration), or None (mail, all-day events).
    minutes: int | None
    #: The event's summary or the mail's subject ("" when none).
    title: str
    #: The other people: (e-mail address as written, display name or ""). The user's own
    #: addresses may be among them; matching leaves out whom it does not know.
    addresses: tuple[tuple[str, str], ...] = field(default=())
    #: Cancelled at the source (STATUS:CANCELLED, METHOD:CANCEL): withdraws its proposal.
    cancelled: bool = False


def shared_key(source_key: str) -> str:
    """What an accepted touchpoint keeps of the item it was captured from
    (``touchpoint.source``): the key's SHA-256, not the key. A touchpoint is the team's,
    while the item is the user's own: a calendar event's UID, a mail thread's Message-ID
    (which may name a host or a person). The same item still gives the same value, so a
    teammate capturing the same meeting is not proposed it again."""
    import hashlib

    return "sha256:" + hashlib.sha256(source_key.encode("utf-8")).hexdigest()


def fold_address(address: str) -> str:
    """The form addresses are matched in: trimmed, without ``mailto:``, case-folded, and
    with plus-addressing folded (``Ann+lists@Example.org`` → ``ann@example.org``)."""
    text = address.strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    text = text.strip().strip("<>").casefold()
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        return text
    local = local.split("+", 1)[0] or local
    return f"{local}@{domain}"
