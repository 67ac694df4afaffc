"""What a person writes down about someone: a touchpoint (a coffee, a call, a message…)
and a note, as stored. (The timeline, planner.domain.timeline, shows them among the
ring moves; logging one needs neither the timeline's entries nor its order.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Touchpoint:
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
    id: int
    contact_id: int
    at: datetime
    text: str
    author: str = ""
    shared: bool = False
    version: int = 1
