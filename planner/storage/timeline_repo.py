"""The merged history of touchpoints, notes, ring moves, creations and snoozes, paged
by time.

Each source is read newest-first from the same cursor with the same limit, then
merged: a page costs the same whether there are a thousand entries or a million.
The contact is joined with a LEFT JOIN on purpose: with an inner join SQLite may
start from the contact table (its ``deleted_at`` index looks selective) and sort
every entry of every living person (240 ms at 200,000 touchpoints); a left join
keeps the entry table outermost, read newest-first along its ``at`` index.
"""

from __future__ import annotations

import heapq
from datetime import datetime
from typing import Any, cast

from peewee import JOIN, ModelSelect

from planner.domain.timeline import EntryType, TimelineEntry
from planner.domain.timeline_order import TYPE_ORDER, Cursor
from planner.storage.fields import to_utc
from planner.storage.models import ContactRow, NoteRow, RingMoveRow, SnoozeRow, TouchpointRow
from planner.storage.private_rows import rows_of

LEFT = JOIN.LEFT_OUTER


def _at(stored: object) -> datetime:
    """A NOT NULL time column's value as aware UTC (``to_utc`` gives None only for no value)."""
    return cast(datetime, to_utc(stored))


def _key(entry: TimelineEntry) -> tuple:
    return (entry.at, TYPE_ORDER[entry.type], entry.row_id)


def _older_than(cursor: Cursor, etype: EntryType, at_field, id_field):
    """SQL condition for (at, type order, id) < cursor, for one source."""
    order = TYPE_ORDER[etype]
    if order < cursor.order:
        return at_field <= cursor.at
    if order > cursor.order:
        return at_field < cursor.at
    return (at_field < cursor.at) | ((at_field == cursor.at) & (id_field < cursor.row_id))


def _source(etype: EntryType, people: set[int] | None = None):
    """(model, query, contact field, at field, row → entry) for one kind of entry;
    ``people``: only theirs are wanted (a team database's private tables are then read
    by person, see private_rows)."""
    def private(model):
        return model if people is None else rows_of(model, people)

    name = ContactRow.name
    q: ModelSelect[Any]  # of the entry's own model
    if etype is EntryType.TOUCHPOINT:
        t = TouchpointRow
        q = t.select(t.id, t.contact, name, t.at, t.kind, t.note, t.minutes, t.author,
                     t.version).join(ContactRow, LEFT)
        return (
            t,
            q,
            t.contact,
            t.at,
            lambda r: TimelineEntry(etype, r[0], r[1], r[2], _at(r[3]), kind=r[4],
                                    text=r[5], minutes=r[6], author=r[7], version=r[8]),
        )
    if etype is EntryType.NOTE:
        n = private(NoteRow)
        q = n.select(n.id, n.contact, name, n.at, n.text, n.author, n.shared,
                     n.version).join(ContactRow, LEFT)
        return (
            n,
            q,
            n.contact,
            n.at,
            lambda r: TimelineEntry(etype, r[0], r[1], r[2], _at(r[3]), kind="note",
                                    text=r[4], author=r[5], shared=bool(r[6]), version=r[7]),
        )
    if etype is EntryType.MOVE:
        m = private(RingMoveRow)
        q = m.select(m.id, m.contact, name, m.at, m.from_ring, m.to_ring).join(ContactRow, LEFT)
        return (
            m,
            q,
            m.contact,
            m.at,
            lambda r: TimelineEntry(
                etype, r[0], r[1], r[2], _at(r[3]), kind="move", from_ring=r[4], to_ring=r[5]
            ),
        )
    if etype is EntryType.SNOOZE:  # on a team database row-level security keeps others' out
        z = private(SnoozeRow)
        q = z.select(z.id, z.contact, name, z.at, z.until).join(ContactRow, LEFT)
        return (
            z,
            q,
            z.contact,
            z.at,
            lambda r: TimelineEntry(etype, r[0], r[1], r[2], _at(r[3]), kind="snooze",
                                    until=to_utc(r[4])),
        )
    c = ContactRow
    q = c.select(c.id, c.name, c.created_at)
    return (
        c,
        q,
        c.id,
        c.created_at,
        lambda r: TimelineEntry(etype, r[0], r[0], r[1], _at(r[2]), kind="created"),
    )


def read_page(
    contact_id: int | None = None,
    limit: int = 100,
    cursor: Cursor | None = None,
    kinds: set[str] | None = None,
    contact_ids: set[int] | None = None,
    types: set[EntryType] | None = None,
) -> list[TimelineEntry]:
    """Newest-first entries; ``kinds`` keeps only touchpoints of those kinds;
    ``contact_ids`` restricts to a set of people (e.g. one ring)."""
    wanted = set(types or EntryType)
    if kinds is not None:
        wanted &= {EntryType.TOUCHPOINT}
    streams = []
    floor = None  # a full page of one source is newer than this: older rows cannot show
    people = ({contact_id} if contact_id is not None
              else set(contact_ids) if contact_ids is not None else None)
    for etype in sorted(wanted, key=TYPE_ORDER.__getitem__):
        model, query, contact_field, at_field, build = _source(etype, people)
        query = query.where(ContactRow.deleted_at.is_null())
        if contact_id is not None:
            query = query.where(contact_field == contact_id)
        if contact_ids is not None:
            query = query.where(contact_field.in_(sorted(contact_ids)))
        if kinds is not None:
            query = query.where(TouchpointRow.kind.in_(sorted(kinds)))
        if cursor is not None:
            query = query.where(_older_than(cursor, etype, at_field, model.id))
        if floor is not None:
            query = query.where(at_field >= floor)
        query = query.order_by(at_field.desc(), model.id.desc()).limit(limit)
        streams.append([build(r) for r in query.tuples()])
        if len(streams[-1]) == limit and (floor is None or streams[-1][-1].at > floor):
            floor = streams[-1][-1].at
    merged = heapq.merge(*streams, key=_key, reverse=True)
    return [entry for _, entry in zip(range(limit), merged, strict=False)]
