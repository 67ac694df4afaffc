"""Touchpoints and notes, one row at a time: written, read, changed under a version
check, deleted and put back. Returns domain objects (a deleted row as its raw data, for
an undo that puts it back with the same id).

A row is named by its table, :data:`TOUCHPOINT` or :data:`NOTE`. On a team database
row-level security decides whose rows may be changed; a change that touched nothing
says so by its count, and the service (:mod:`planner.services.touchpoints`) finds out
why. The timeline is :mod:`planner.storage.timeline_repo`. Nothing here opens a
transaction.
"""

from __future__ import annotations

from datetime import datetime

from planner.domain.touchpoint import Note, Touchpoint
from planner.storage import query_cache
from planner.storage.models import ContactRow, NoteRow, TouchpointRow

TOUCHPOINT, NOTE = "touchpoint", "note"  # the tables' names
_MODELS: dict[str, type[TouchpointRow] | type[NoteRow]] = {TOUCHPOINT: TouchpointRow,
                                                           NOTE: NoteRow}


def _touchpoint(row: TouchpointRow) -> Touchpoint:
    cid = row.contact_id  # type: ignore[attr-defined]  # peewee's FK id
    return Touchpoint(row.id, cid, row.kind, row.at, row.minutes, row.note, row.author,
                      row.version)


def _note(row: NoteRow) -> Note:
    cid = row.contact_id  # type: ignore[attr-defined]  # peewee's FK id
    return Note(row.id, cid, row.at, row.text, row.author, row.shared, row.version)


def person_living(contact_id: int) -> bool:
    """Whether the person exists and is not in the trash (one indexed lookup, not the
    whole person with their last touch)."""
    found = query_cache.execute("person_living", lambda ids: (
        ContactRow.select(ContactRow.id)
        .where(ContactRow.id == ids[0], ContactRow.deleted_at.is_null())), [contact_id])
    return found.fetchone() is not None


def contact_name(contact_id: int) -> str | None:
    return ContactRow.select(ContactRow.name).where(ContactRow.id == contact_id).scalar()


def add_touchpoint(contact_id: int, kind: str, at: datetime, minutes: int | None, note: str,
                   author: str, stamp: datetime, source: str = "") -> Touchpoint:
    """A new touchpoint (``stamp``: when it was logged; ``source``: the key of the captured
    event it was accepted from), as written."""
    values = {"contact": contact_id, "kind": kind, "at": at, "minutes": minutes,
              "note": note, "author": author, "created_at": stamp, "updated_at": stamp,
              "source": source}
    row_id = query_cache.insert_one(TouchpointRow, values)  # (as TouchpointRow.create)
    return _touchpoint(TouchpointRow(id=row_id, **values))


def add_note(contact_id: int, at: datetime, text: str, shared: bool, author: str,
             stamp: datetime) -> Note:
    """A new note (``stamp``: when it was written), as written."""
    values = {"contact": contact_id, "at": at, "text": text, "created_at": stamp,
              "updated_at": stamp, "shared": shared, "author": author}
    row_id = query_cache.insert_one(NoteRow, values)  # (as NoteRow.create)
    return _note(NoteRow(id=row_id, **values))


def touchpoint(touchpoint_id: int) -> Touchpoint | None:
    row = TouchpointRow.get_or_none(TouchpointRow.id == touchpoint_id)
    return None if row is None else _touchpoint(row)


def note(note_id: int) -> Note | None:
    row = NoteRow.get_or_none(NoteRow.id == note_id)
    return None if row is None else _note(row)


def find(table: str, row_id: int) -> Touchpoint | Note | None:
    """The row of ``table`` (TOUCHPOINT or NOTE), or None."""
    return touchpoint(row_id) if table == TOUCHPOINT else note(row_id)


def update(table: str, row_id: int, expected_version: int | None, stamp: datetime,
           changes: dict) -> int:
    """One UPDATE … WHERE id = ? [AND version = ?], which also moves the version on and
    stamps ``updated_at``: atomic, whoever else is writing. How many rows it changed."""
    model = _MODELS[table]
    query = model.update(updated_at=stamp, version=model.version + 1, **changes).where(
        model.id == row_id)
    if expected_version is not None:
        query = query.where(model.version == expected_version)
    return query.execute()


def row_data(table: str, row_id: int) -> dict | None:
    """All of the row (field name → value), or None: what puts it back (:func:`insert`)."""
    model = _MODELS[table]
    row = model.get_or_none(model.id == row_id)
    return None if row is None else row.__data__.copy()


def delete(table: str, row_id: int, expected_version: int | None) -> int:
    """DELETE … WHERE id = ? [AND version = ?]; how many rows went."""
    model = _MODELS[table]
    query = model.delete().where(model.id == row_id)
    if expected_version is not None:
        query = query.where(model.version == expected_version)
    return query.execute()


def insert(table: str, data: dict) -> None:
    """Put a row back with its id (the data :func:`row_data` gave)."""
    _MODELS[table].insert(**data).execute()
