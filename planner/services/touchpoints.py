"""Logging touchpoints and notes, editing and deleting them, reading the timeline."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from planner.domain.contact import clean_note
from planner.domain.errors import InvalidInput, NotFound
from planner.domain.kinds import Kind, parse_kind
from planner.domain.timeline import EntryType, Note, TimelineEntry, Touchpoint
from planner.services.contacts import now, require
from planner.storage import timeline_repo
from planner.storage.models import NoteRow, TouchpointRow, db_proxy

MAX_MINUTES = 24 * 60


def _minutes(value: int | None) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or value < 0 or value > MAX_MINUTES:
        raise InvalidInput(f"minutes must be 0 to {MAX_MINUTES}, not {value}")
    return value


def _touchpoint(row: TouchpointRow) -> Touchpoint:
    return Touchpoint(
        row.id, row.contact_id, row.kind, row.at, row.minutes, row.note, row.author, row.version
    )


def _note(row: NoteRow) -> Note:
    return Note(row.id, row.contact_id, row.at, row.text, row.author, row.shared, row.version)


def log_touchpoint(
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
    with db_proxy.atomic():
        require(contact_id)
        row = TouchpointRow.create(
            contact=contact_id,
            kind=kind.value,
            at=at or stamp,
            minutes=mins,
            note=text,
            created_at=stamp,
            updated_at=stamp,
        )
    return _touchpoint(row)


def add_note(contact_id: int, text: str, *, at: datetime | None = None,
             shared: bool = False) -> Note:
    """``shared``: on a team database the whole team reads it (else only its author)."""
    body = clean_note(text)
    if not body:
        raise InvalidInput("a note needs some text")
    stamp = now()
    with db_proxy.atomic():
        require(contact_id)
        row = NoteRow.create(
            contact=contact_id, at=at or stamp, text=body, created_at=stamp, updated_at=stamp,
            shared=shared,
        )
    return _note(row)


def get_touchpoint(touchpoint_id: int) -> Touchpoint:
    row = TouchpointRow.get_or_none(TouchpointRow.id == touchpoint_id)
    if row is None:
        raise NotFound(f"no touchpoint with id {touchpoint_id}")
    return _touchpoint(row)


def get_note(note_id: int) -> Note:
    row = NoteRow.get_or_none(NoteRow.id == note_id)
    if row is None:
        raise NotFound(f"no note with id {note_id}")
    return _note(row)


def edit_touchpoint(
    touchpoint_id: int, *, kind=None, at=None, minutes=..., note=None
) -> Touchpoint:
    changes: dict = {}
    if kind is not None:
        changes["kind"] = parse_kind(kind).value
    if at is not None:
        changes["at"] = at
    if minutes is not ...:
        changes["minutes"] = _minutes(minutes)
    if note is not None:
        changes["note"] = clean_note(note)
    with db_proxy.atomic():
        get_touchpoint(touchpoint_id)
        if changes:
            (
                TouchpointRow.update(updated_at=now(), version=TouchpointRow.version + 1, **changes)
                .where(TouchpointRow.id == touchpoint_id)
                .execute()
            )
    return get_touchpoint(touchpoint_id)


def edit_note(note_id: int, *, text: str | None = None, at: datetime | None = None) -> Note:
    changes: dict = {}
    if text is not None:
        changes["text"] = clean_note(text)
        if not changes["text"]:
            raise InvalidInput("a note needs some text")
    if at is not None:
        changes["at"] = at
    with db_proxy.atomic():
        get_note(note_id)
        if changes:
            (
                NoteRow.update(updated_at=now(), version=NoteRow.version + 1, **changes)
                .where(NoteRow.id == note_id)
                .execute()
            )
    return get_note(note_id)


def delete_touchpoint(touchpoint_id: int) -> dict:
    """Delete and return the full row, so an undo can put it back with the same id."""
    with db_proxy.atomic():
        row = TouchpointRow.get_or_none(TouchpointRow.id == touchpoint_id)
        if row is None:
            raise NotFound(f"no touchpoint with id {touchpoint_id}")
        data = row.__data__.copy()
        TouchpointRow.delete().where(TouchpointRow.id == touchpoint_id).execute()
    return data


def delete_note(note_id: int) -> dict:
    with db_proxy.atomic():
        row = NoteRow.get_or_none(NoteRow.id == note_id)
        if row is None:
            raise NotFound(f"no note with id {note_id}")
        data = row.__data__.copy()
        NoteRow.delete().where(NoteRow.id == note_id).execute()
    return data


def restore_touchpoint(data: dict) -> Touchpoint:
    with db_proxy.atomic():
        TouchpointRow.insert(**data).execute()
    return get_touchpoint(data["id"])


def restore_note(data: dict) -> Note:
    with db_proxy.atomic():
        NoteRow.insert(**data).execute()
    return get_note(data["id"])


def timeline(
    contact_id: int | None = None,
    *,
    limit: int = 50,
    cursor: timeline_repo.Cursor | None = None,
    kinds: set[str] | None = None,
    contact_ids: set[int] | None = None,
) -> list[TimelineEntry]:
    if limit < 1:
        raise InvalidInput("the limit must be at least 1")
    return timeline_repo.read_page(contact_id, limit, cursor, kinds, contact_ids)


def entry_as_dict(entry: TimelineEntry) -> dict:
    """The documented JSON shape of a timeline entry."""
    data = {"id": entry.id, **asdict(entry)}
    data["type"] = entry.type.value
    data["at"] = entry.at.isoformat()
    data["text"] = (
        entry.summary() if entry.type in (EntryType.MOVE, EntryType.CREATED) else entry.text
    )
    del data["row_id"]
    return data
