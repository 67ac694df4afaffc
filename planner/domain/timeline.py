"""One line of a person's history: a touchpoint, a note, a ring move or a creation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class EntryType(StrEnum):
    TOUCHPOINT = "touchpoint"
    NOTE = "note"
    MOVE = "move"
    CREATED = "created"
    SNOOZE = "snooze"


@dataclass(frozen=True)
class TimelineEntry:
    type: EntryType
    row_id: int
    contact_id: int
    contact: str
    at: datetime  # aware, UTC
    kind: str | None = None  # touchpoint kind; for moves "from->to"
    text: str = ""
    minutes: int | None = None
    from_ring: str | None = None
    to_ring: str | None = None
    author: str = ""  # who logged a touchpoint or wrote a note ("" in a database file)
    shared: bool = False  # a note the whole team reads
    version: int = 1  # of a touchpoint or note row (edits check it)
    until: datetime | None = None  # a snooze: when they come back (UTC)

    @property
    def id(self) -> str:
        return f"{self.type.value}:{self.row_id}"

    def summary(self) -> str:
        if self.type is EntryType.MOVE:
            return describe_move(self.from_ring, self.to_ring)
        if self.type is EntryType.CREATED:
            return "added to the network"
        if self.type is EntryType.SNOOZE and self.until is not None:
            day = self.until.astimezone().date()  # the local day they come back
            return f"snoozed until {day.strftime('%a')} {day.day} {day.strftime('%b %Y')}"
        return self.text


def describe_move(from_ring: str | None, to_ring: str | None) -> str:
    if from_ring is None:
        return f"placed on the {to_ring} ring"
    if to_ring is None:
        return f"taken off the {from_ring} ring"
    if from_ring == to_ring:
        return f"reordered on the {to_ring} ring"
    return f"moved from {from_ring} to {to_ring}"


def byline(entry: TimelineEntry, user: str, you: str = "by you") -> str:
    """Who wrote a touchpoint or note, and whether a note is shared, on a team database
    (``user``: the connected role), e.g. "by bob", "by you · private" (``you``: what
    one's own entries say, "" for nothing: "private"); "" in a database file, where
    everything is yours."""
    author = entry.author
    if not user or entry.type not in (EntryType.TOUCHPOINT, EntryType.NOTE):
        return ""
    text = you if author == user else f"by {author}" if author else ""
    if entry.type is EntryType.NOTE:
        privacy = "shared" if entry.shared else "private"
        text = f"{text} · {privacy}" if text else privacy
    return text
