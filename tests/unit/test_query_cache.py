"""Reading one person (or a few) and writing a touchpoint or a note run kept SQL
(planner/storage/query_cache.py): the same rows as the query built afresh, in a file and
on a team database."""

from __future__ import annotations

import peewee
import pytest

from planner.domain.rings import Ring
from planner.services import contacts, touchpoints
from planner.storage import contacts_repo, query_cache
from planner.storage.models import ContactRow, db_proxy

pytestmark = pytest.mark.both_engines


@pytest.fixture
def people(opened):
    ids = [contacts.add_contact(opened.backend, f"Person {n}",
                                ring=Ring.OUTER if n % 2 else None).id
           for n in range(6)]
    touchpoints.log_touchpoint(opened.backend, ids[1], "coffee")
    touchpoints.log_touchpoint(opened.backend, ids[3], "call")
    contacts.remove_contact(opened.backend, ids[5])
    return ids


def fresh(ids, include_deleted=False):
    """What load_contacts gives with nothing kept: every query built anew."""
    query_cache.forget()
    saved, query_cache.MAX_IDS = query_cache.MAX_IDS, -1
    try:
        return contacts_repo.load_contacts(ids, include_deleted=include_deleted)
    finally:
        query_cache.MAX_IDS = saved


def test_kept_sql_reads_the_same_people_as_sql_built_anew(people):
    cases = [[people[0]], [people[1]], [people[3], people[1]], people[:5], [people[5]],
             [people[2], 10_000_000], [people[4], people[4]]]
    for ids in cases:
        for include_deleted in (False, True):
            expected = fresh(ids, include_deleted)
            contacts_repo.load_contacts(ids, include_deleted=include_deleted)  # kept now
            again = contacts_repo.load_contacts(ids, include_deleted=include_deleted)
            assert again == expected, (ids, include_deleted)
    assert contacts_repo.load_contact(people[5]) is None  # in the trash
    assert contacts_repo.load_contact(people[5], include_deleted=True).name == "Person 5"
    assert contacts_repo.load_contact(people[1]).last_touch_kind == "coffee"
    assert contacts_repo.load_contact(people[1]).ring is Ring.OUTER


def test_a_shape_is_built_once_and_an_id_used_twice_is_built_each_time(people):
    query_cache.forget()
    built = []

    def by_ids(ids):
        built.append(list(ids))
        return ContactRow.select(ContactRow.name).where(ContactRow.id.in_(ids))

    for cid in people[:3]:
        rows = query_cache.execute("test names", by_ids, [cid]).fetchall()
        assert rows == [(f"Person {people.index(cid)}",)]
    assert len(built) == 1 and built[0][0] < 0  # once, with a stand-in id

    def twice(ids):  # the same id in two places: not kept, still right
        built.append(list(ids))
        return ContactRow.select(ContactRow.name).where(
            ContactRow.id.in_(ids) & (ContactRow.id >= min(ids)))

    built.clear()
    for cid in people[:2]:
        rows = query_cache.execute("test twice", twice, [cid]).fetchall()
        assert rows == [(f"Person {people.index(cid)}",)]
    assert [ids for ids in built if ids[0] > 0] == [[people[0]], [people[1]]]
    assert db_proxy.obj is not None


def test_a_kept_insert_writes_what_peewee_create_writes(people):
    """A touchpoint and a note written from kept INSERT SQL are the rows ``create``
    writes, value for value (times to the microsecond, no minutes, a shared note)."""
    from datetime import UTC, datetime, timedelta

    from planner.storage import touchpoints_repo
    from planner.storage.contacts_repo import who
    from planner.storage.models import NoteRow, TouchpointRow

    at = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)
    me = who()  # (as the service writes it; a team database's trigger checks it)
    query_cache.forget()
    made = [touchpoints_repo.add_touchpoint(people[0], "coffee", at - timedelta(days=n),
                                            n or None, f"note {n}", me, at)
            for n in range(3)]  # the first builds the SQL, the others run it again
    notes = [touchpoints_repo.add_note(people[0], at, f"text {n}", bool(n % 2), me, at)
             for n in range(3)]
    twins = [TouchpointRow.create(contact=people[0], kind="coffee", at=at - timedelta(days=n),
                                  minutes=n or None, note=f"note {n}", author=me,
                                  created_at=at, updated_at=at, source="").id
             for n in range(3)]
    note_twins = [NoteRow.create(contact=people[0], at=at, text=f"text {n}",
                                 shared=bool(n % 2), author=me, created_at=at,
                                 updated_at=at).id for n in range(3)]
    db = db_proxy.obj
    if isinstance(db, peewee.SqliteDatabase):  # a file keeps the shapes
        assert sum(1 for key in query_cache._kept if key[0] == "insert"
                   and query_cache._kept[key] is not None) == 2

    def row(table, row_id):
        cursor = db.execute_sql(f"SELECT * FROM {table} WHERE id = {int(row_id)}")
        names = [d[0] for d in cursor.description]
        return {k: v for k, v in zip(names, cursor.fetchone(), strict=True) if k != "id"}

    for tp, twin in zip(made, twins, strict=True):
        assert row("touchpoint", tp.id) == row("touchpoint", twin)
        assert touchpoints_repo.touchpoint(tp.id) == tp  # what it returned is what is stored
    for note, twin in zip(notes, note_twins, strict=True):
        assert row("note", note.id) == row("note", twin)
