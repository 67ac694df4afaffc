"""Calendar files as a capture source (issue 24): ``planner capture ics FILE|FOLDER``.

A one-off import reads the file (or every ``.ics`` file of a folder, with its
subfolders) once; a watched one is registered as a source and read again on every sync.
Either way all files are read first and everything goes to the database in one
transaction (:func:`planner.services.capture.apply_batch`): a file that cannot be read is
one sentence naming it, and nothing of the import is kept. A file that was read but
held events that could not be (or nothing usable at all) is no error: each such event is
one line of the result's ``problems``, for the command line and the window to show.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from planner.domain.capture import Captured
from planner.domain.capture_match import Source
from planner.domain.errors import InvalidInput
from planner.domain.focus import local_zone
from planner.importers.ics_events import read_ics
from planner.importers.user_file import read_user_file
from planner.services import capture
from planner.services.contacts import now

if TYPE_CHECKING:
    from planner.storage.backend import Backend

DEFAULT_DAYS = 30
MAX_ICS_BYTES = 64 * 1024 * 1024  # years of a busy calendar are a few MB
MAX_FILES = 5_000

Progress = Callable[[int, int], None]


def default_window(since: datetime | None = None, until: datetime | None = None,
                   at: datetime | None = None) -> tuple[datetime, datetime]:
    """The span read: the last 30 days up to now unless told; never past now (a meeting
    that has not happened yet is no touchpoint)."""
    moment = (at or now()).astimezone(UTC)
    end = min((until or moment).astimezone(UTC), moment)
    start = (since.astimezone(UTC) if since else end - timedelta(days=DEFAULT_DAYS))
    if start > end:
        raise InvalidInput("--since must be before --until (and before now)")
    return start, end


def calendar_files(location: str | Path) -> list[Path]:
    """The file itself, or the ``.ics`` files in a folder (and its subfolders), sorted."""
    path = Path(location).expanduser()
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".ics", ".ical",
                                                                          ".ifb", ".icalendar")
                       and p.is_file())
        if len(files) > MAX_FILES:
            raise InvalidInput(f"{path} holds more than {MAX_FILES:,} calendar files; "
                               "point at a smaller folder")
        return files
    if not path.exists():
        raise InvalidInput(f"{path} does not exist")
    return [path]


@dataclass
class Calendars:
    """What the calendar files of a location hold in the span read."""

    items: list[Captured] = field(default_factory=list)
    state: dict = field(default_factory=lambda: {"files": {}})  # {path: [mtime, size]}
    own: list[str] = field(default_factory=list)  # the calendars' own addresses
    problems: list[str] = field(default_factory=list)  # "file.ics: what was not read"


def read_calendars(location: str | Path, since: datetime, until: datetime,
                   progress: Progress | None = None) -> Calendars:
    """Every calendar file of ``location``, read before anything is written: a file that
    cannot be read at all raises InvalidInput; what a file that was read lost (an event
    left out, a value ignored) is one line in ``problems``, named by the file."""
    files = calendar_files(location)
    found = Calendars()
    zone = local_zone()
    for done, path in enumerate(files):
        if progress is not None:
            progress(done, len(files))
        data = read_user_file(path, MAX_ICS_BYTES, "calendar file")
        read = read_ics(data, since, until, name=path.name, zone=zone)
        found.problems += [f"{path.name}: {reason}" for reason in read.skipped + read.notes]
        found.items += read.items
        found.own += read.own
        info = os.stat(path)
        found.state["files"][str(path)] = [info.st_mtime, info.st_size]
    if progress is not None:
        progress(len(files), len(files))
    return found


def import_ics(store: Backend, location: str | Path, *, since: datetime | None = None,
               until: datetime | None = None, watch: bool = False, label: str = "",
               auto_accept: bool = False, progress: Progress | None = None
               ) -> tuple[capture.BatchResult, Source | None]:
    """Read ``location`` once; ``watch``: register it as a source first (re-read by
    ``capture sync``), created in the same transaction as what it proposes."""
    start, end = default_window(since, until)
    path = Path(location).expanduser().resolve()
    found = read_calendars(path, start, end, progress)  # before any write
    if not watch:
        result = capture.apply_batch(store, None, found.items, own=found.own)
        result.problems = found.problems
        return result, None
    with store.write():
        source = _existing(path) or capture.add_source(
            store, "ics", label or path.name, str(path), options={"auto_accept": auto_accept})
        result = capture.apply_batch(store, source.id, found.items, state=found.state,
                                     window=(start, end), own=found.own)
    result.problems = found.problems
    return result, capture.get_source(source.id)


def _existing(path: Path) -> Source | None:
    for source in capture.list_sources():
        if source.kind == "ics" and source.location == str(path):
            return source
    return None


def sync_ics(store: Backend, source: Source, progress: Progress | None = None, *,
             since: datetime | None = None, until: datetime | None = None
             ) -> capture.BatchResult:
    """Read a registered calendar file or folder again: what is gone from it (in the span
    read) withdraws its pending proposals."""
    start, end = default_window(since, until)
    found = read_calendars(source.location, start, end, progress)
    result = capture.apply_batch(store, source.id, found.items, state=found.state,
                                 window=(start, end), own=found.own)
    result.problems = found.problems
    return result


capture.register_syncer("ics", sync_ics)
