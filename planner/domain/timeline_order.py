"""The order of a timeline, newest first: time, then the kind of entry, then the row id;
and the cursor where a page of it ends. (Apart from planner.domain.timeline: a command
that logs a touchpoint reads no timeline and need not build these.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from planner.domain.timeline import EntryType, TimelineEntry

#: the order of entries at the same time (newest first: the greater comes first)
TYPE_ORDER = {EntryType.TOUCHPOINT: 0, EntryType.NOTE: 1, EntryType.MOVE: 2,
              EntryType.CREATED: 3, EntryType.SNOOZE: 4}


@dataclass(frozen=True)
class Cursor:
    """Where a page of a timeline ends: the next page holds strictly older entries."""

    at: datetime
    order: int
    row_id: int


def cursor_after(entry: TimelineEntry) -> Cursor:
    """The cursor just past ``entry`` (its fields, in order, are the timeline's sort key)."""
    return Cursor(entry.at, TYPE_ORDER[entry.type], entry.row_id)
