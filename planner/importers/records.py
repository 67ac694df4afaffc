"""What an importer hands back: people, plus an honest list of what it left out.

These records are deliberately looser than ``planner.domain.contact.Contact``:
an import shows the user a preview (who will be added, which properties were
dropped and why) before anything is stored, so nothing here touches storage.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from planner.domain.contact import Birthday

Progress = Callable[[int, int], object]
ShouldCancel = Callable[[], bool]

PROGRESS_EVERY = 100  # cards or rows between progress callbacks / cancel checks


class Cancelled(Exception):
    """The user pressed Cancel while a file was being read."""


@dataclass
class ImportedContact:
    """One person as found in the file, before it becomes a stored contact."""

    name: str
    emails: list[str] = field(default_factory=list)  # the first one is primary
    phones: list[str] = field(default_factory=list)
    handles: dict[str, str] = field(default_factory=dict)  # service (lowercase) -> handle
    organization: str = ""
    title: str = ""
    birthday: Birthday | None = None
    timezone: str = ""  # a zone of the time zone database ("America/New_York"), or ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    photo: bytes = b""  # a small square PNG/JPEG thumbnail (planner.importers.photos)
    source: str = ""  # where in the file, for the preview: "card 3 (line 17)", "line 12"
    line: int = 0

    @property
    def email(self) -> str:
        return self.emails[0] if self.emails else ""


@dataclass
class ImportProblem:
    """Something the importer could not use, said so the user can find it."""

    where: str  # "card 3 (line 17)" or "line 12"
    field: str  # the property or column name
    message: str
    #: something was lost (a value left out, a note shortened); False for what was only
    #: done differently, said so (named after the phone number, an offset kept as a zone)
    lost: bool = True

    def __str__(self) -> str:
        if self.field:
            return f"{self.where}, {self.field}: {self.message}"
        return f"{self.where}: {self.message}"


@dataclass
class ParseResult:
    """People read from a file; ``problems`` cost a property, ``invalid`` a whole entry."""

    contacts: list[ImportedContact] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    invalid: list[ImportProblem] = field(default_factory=list)
    format: str = ""
    encoding: str = ""  # as people name it ("Shift_JIS"); "" for vCard (each line says)
    encoding_how: str = ""  # bom, utf-8, utf-16, detected or chosen
    notes: list[str] = field(default_factory=list)  # about the whole file, for the preview


@dataclass(slots=True)
class Entry:
    """One entry of a file, read on its own: a person or why it is invalid, and what it lost.

    Streaming readers (a million-row CSV) hand these over one at a time instead of
    building a :class:`ParseResult` of the whole file.
    """

    contact: ImportedContact | None
    invalid: ImportProblem | None
    problems: list[ImportProblem] | tuple = ()


class Ticker:
    """Calls ``progress`` every ``PROGRESS_EVERY`` items and honours ``should_cancel``.

    Both parsers share it so a 10,000-card import in a worker thread reports
    and stops the same way, whatever the format.
    """

    def __init__(self, total: int, progress: Progress | None, should_cancel: ShouldCancel | None):
        self.total = total
        self.progress = progress
        self.should_cancel = should_cancel

    def step(self, done: int) -> None:
        if done % PROGRESS_EVERY:
            return
        if self.should_cancel is not None and self.should_cancel():
            raise Cancelled("the import was cancelled")
        if self.progress is not None:
            self.progress(done, self.total)

    def finish(self, done: int) -> None:
        if done:
            self.total = done  # a streaming reader's total was an estimate
        if self.progress is not None:
            self.progress(done, self.total)
