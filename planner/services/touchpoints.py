"""Logging touchpoints and notes, editing and deleting them, reading the timeline."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, cast

from planner.domain.contact import clean_note
from planner.domain.errors import ConflictError, InvalidInput, NotFound, PlannerError
from planner.domain.kinds import Kind, parse_kind
from planner.domain.touchpoint import Note, Touchpoint
from planner.services.contacts import now
from planner.storage import touchpoints_repo as repo
from planner.storage.contacts_repo import who
from planner.storage.fields import to_utc
from planner.storage.touchpoints_repo import NOTE, TOUCHPOINT

if TYPE_CHECKING:  # the timeline is imported when one is read (planner log needs none)
    from planner.domain.timeline import TimelineEntry
    from planner.domain.timeline_order import Cursor
    from planner.storage.backend import Backend

MAX_MINUTES = 24 * 60


def _minutes(value: int | None) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or value < 0 or value > MAX_MINUTES:
        raise InvalidInput(f"minutes must be 0 to {MAX_MINUTES}, not {value}")
    return value


def log_touchpoint(
    store: Backend,
    contact_id: int,
    kind: Kind | str,
    *,
    at: datetime | None = None,
    minutes: int | None = None,
    note: str = "",
) -> Touchpoint:
    kind = parse_kind(kind) if not isinstance(kind, Kind) else kind
    text = clean_note(note)
    mins = _minutes(minutes)
    stamp = now()
    if at is not None:  # (imported here: 'planner log NAME coffee', at now, needs none of it)
        from planner.domain.when import require_past

        require_past(at, stamp)
    with store.write():
        _require_living(contact_id)
        # author: what the team database's trigger fills in, known here too
        written = repo.add_touchpoint(contact_id, kind.value, at or stamp, mins, text, who(),
                                      stamp)
    return written


def add_note(store: Backend, contact_id: int, text: str, *, at: datetime | None = None,
             shared: bool = False) -> Note:
    """``shared``: on a team database the whole team reads it (else only its author)."""
    body = clean_note(text)
    if not body:
        raise InvalidInput("a note needs some text")
    stamp = now()
    with store.write():
        _require_living(contact_id)
        written = repo.add_note(contact_id, at or stamp, body, shared, who(), stamp)
    return written


def _require_living(contact_id: int) -> None:
    """NotFound unless the person exists and is not in the trash (one indexed lookup,
    not the whole person with their last touch)."""
    if not repo.person_living(contact_id):
        raise NotFound(f"no contact with id {contact_id}")  # as get_contact says it


def _utc(at: datetime) -> datetime:
    """A written row's time as aware UTC (``to_utc`` gives None only for no value)."""
    return cast(datetime, to_utc(at))


def touchpoint_entry(tp: Touchpoint, contact: str) -> TimelineEntry:
    """The timeline entry of a touchpoint just written (as a timeline page reads it)."""
    from planner.domain.timeline import EntryType, TimelineEntry

    return TimelineEntry(EntryType.TOUCHPOINT, tp.id, tp.contact_id, contact, _utc(tp.at),
                         kind=tp.kind, text=tp.note, minutes=tp.minutes, author=tp.author,
                         version=tp.version)


def note_entry(note: Note, contact: str) -> TimelineEntry:
    """The timeline entry of a note just written."""
    from planner.domain.timeline import EntryType, TimelineEntry

    return TimelineEntry(EntryType.NOTE, note.id, note.contact_id, contact, _utc(note.at),
                         kind="note", text=note.text, author=note.author,
                         shared=bool(note.shared), version=note.version)


def get_touchpoint(touchpoint_id: int) -> Touchpoint:
    found = repo.touchpoint(touchpoint_id)
    if found is None:
        raise NotFound(f"no touchpoint with id {touchpoint_id}")
    return found


def get_note(note_id: int) -> Note:
    found = repo.note(note_id)
    if found is None:
        raise NotFound(f"no note with id {note_id}")
    return found


def _label(kind: str) -> str:
    try:
        label = parse_kind(kind).label
    except InvalidInput:
        return kind
    return label if label.isupper() else label.lower()


def _what(row: Touchpoint | Note) -> str:
    """How a message names a row: "coffee with Ada Lovelace", "note about Ada Lovelace"."""
    person = repo.contact_name(row.contact_id)
    if isinstance(row, Touchpoint):
        return f"{_label(row.kind)} with {person}"
    return f"note about {person}"


def _refusal(table: str, row_id: int, expected_version: int | None, not_author: str,
             outcome: str = "your edit was not saved") -> PlannerError:
    """Why an UPDATE/DELETE of one row touched nothing: it is gone, someone else changed
    it first (its version moved on), or row-level security kept it to its author."""
    row = repo.find(table, row_id)
    if row is None:
        return NotFound(f"no {table} with id {row_id}")
    if expected_version is not None and row.version != expected_version:
        return ConflictError(f"this {_what(row)} was changed by someone else meanwhile; "
                             f"{outcome} — the timeline now shows theirs")
    return PlannerError(not_author)


def _update(table: str, row_id: int, expected_version: int | None, changes: dict,
            not_author: str) -> None:
    """One UPDATE … WHERE id = ? [AND version = ?]: atomic, whoever else is writing."""
    if not repo.update(table, row_id, expected_version, now(), changes):
        raise _refusal(table, row_id, expected_version, not_author)


def _check_version(table: str, row_id: int, expected_version: int | None) -> None:
    """Nothing to change: still refuse if the caller's copy is out of date."""
    row = repo.find(table, row_id)
    if row is not None and expected_version not in (None, row.version):
        raise _refusal(table, row_id, expected_version, "")


def edit_touchpoint(
    store: Backend,
    touchpoint_id: int, *, kind=None, at=None, minutes=..., note=None,
    expected_version: int | None = None,
) -> Touchpoint:
    """``expected_version``: the version the caller showed; if the row has moved on since
    (someone else edited it), nothing is saved and ConflictError says so."""
    changes: dict = {}
    if kind is not None:
        changes["kind"] = parse_kind(kind).value
    if at is not None:
        from planner.domain.when import require_past

        changes["at"] = require_past(at)
    if minutes is not ...:
        changes["minutes"] = _minutes(minutes)
    if note is not None:
        changes["note"] = clean_note(note)
    with store.write():
        get_touchpoint(touchpoint_id)
        if changes:
            _update(TOUCHPOINT, touchpoint_id, expected_version, changes,
                    "only its author can change this touchpoint")
        else:
            _check_version(TOUCHPOINT, touchpoint_id, expected_version)
    return get_touchpoint(touchpoint_id)


def edit_note(store: Backend, note_id: int, *, text: str | None = None, at: datetime | None = None,
              expected_version: int | None = None) -> Note:
    changes: dict = {}
    if text is not None:
        changes["text"] = clean_note(text)
        if not changes["text"]:
            raise InvalidInput("a note needs some text")
    if at is not None:
        from planner.domain.when import require_past

        changes["at"] = require_past(at)
    with store.write():
        get_note(note_id)
        if changes:
            _update(NOTE, note_id, expected_version, changes,
                    "only its author can edit this note")
        else:
            _check_version(NOTE, note_id, expected_version)
    return get_note(note_id)


def set_note_shared(store: Backend, note_id: int, shared: bool,
                    expected_version: int | None = None) -> Note:
    """Share a note with the team (or make it private again); only its author can —
    on a team database row-level security refuses everyone else."""
    not_author = ("only its author can share this note" if shared
                  else "only its author can make this note private")
    with store.write():
        get_note(note_id)  # someone else's private note: not even seen (NotFound)
        _update(NOTE, note_id, expected_version, {"shared": bool(shared)}, not_author)
    return get_note(note_id)


def _delete(store: Backend, table: str, row_id: int, expected_version: int | None,
            not_author: str) -> dict:
    """Delete one row and return all of it, so an undo can put it back with the same id."""
    with store.write():
        data = repo.row_data(table, row_id)
        if data is None:
            raise NotFound(f"no {table} with id {row_id}")
        if not repo.delete(table, row_id, expected_version):
            raise _refusal(table, row_id, expected_version, not_author, "nothing was deleted")
    return data


def delete_touchpoint(store: Backend, touchpoint_id: int,
                      expected_version: int | None = None) -> dict:
    """Delete and return the full row, so an undo can put it back with the same id."""
    return _delete(store, TOUCHPOINT, touchpoint_id, expected_version,
                   "only its author can delete this touchpoint")


def delete_note(store: Backend, note_id: int, expected_version: int | None = None) -> dict:
    return _delete(store, NOTE, note_id, expected_version, "only its author can delete this note")


def restore_touchpoint(store: Backend, data: dict) -> Touchpoint:
    with store.write():
        repo.insert(TOUCHPOINT, data)
    return get_touchpoint(data["id"])


def restore_note(store: Backend, data: dict) -> Note:
    with store.write():
        repo.insert(NOTE, data)
    return get_note(data["id"])


def current_user() -> str:
    """Who is writing: the login role on a team database ("" in a database file)."""
    return who()


def timeline(
    contact_id: int | None = None,
    *,
    limit: int = 50,
    cursor: Cursor | None = None,
    kinds: set[str] | None = None,
    contact_ids: set[int] | None = None,
) -> list[TimelineEntry]:
    from planner.storage.timeline_repo import read_page

    if limit < 1:
        raise InvalidInput("the limit must be at least 1")
    return read_page(contact_id, limit, cursor, kinds, contact_ids)


def entry_as_dict(entry: TimelineEntry) -> dict:
    """The documented JSON shape of a timeline entry."""
    from planner.domain.timeline import EntryType

    data = {"id": entry.id, **asdict(entry)}
    data["type"] = entry.type.value
    data["at"] = entry.at.isoformat()
    if entry.type is not EntryType.NOTE:  # who wrote it and its version: touchpoints, notes
        data.pop("shared", None)
        if entry.type is not EntryType.TOUCHPOINT:
            data.pop("author", None)
            data.pop("version", None)
    data["text"] = (
        entry.summary() if entry.type in (EntryType.MOVE, EntryType.CREATED, EntryType.SNOOZE)
        else entry.text
    )
    if entry.type is EntryType.SNOOZE and entry.until is not None:
        data["until"] = entry.until.isoformat()
    else:
        data.pop("until", None)
    del data["row_id"]
    return data


def note_as_dict(note: Note) -> dict:
    return {"id": note.id, "contact_id": note.contact_id, "at": note.at.isoformat(),
            "text": note.text, "author": note.author, "shared": note.shared,
            "version": note.version}
