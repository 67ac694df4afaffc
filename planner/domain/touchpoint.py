"""What a person writes down about someone: a touchpoint (a coffee, a call, a message…)
and a note, as stored. (The timeline, planner.domain.timeline, shows them among the
ring moves; logging one needs neither the timeline's entries nor its order.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Touchpoint:
    """A touchpoint as stored: when, what kind, how long, what about, by whom."""

    id: int
    contact_id: int
    kind: str
    at: datetime
    minutes: int | None = None
    note: str = ""
    author: str = ""
    version: int = 1


@dataclass(frozen=True)
class Note:
    """A dated note about a person, as stored (``shared``: the team may read it)."""

    id: int
    contact_id: int
    at: datetime
    text: str
    author: str = ""
    shared: bool = False
    version: int = 1
