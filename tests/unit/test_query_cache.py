"""Reading one person (or a few) runs kept SQL (planner/storage/query_cache.py): the same
rows as the query built afresh, in a file and on a team database."""

from __future__ import annotations

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
