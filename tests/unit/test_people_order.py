"""The people list's sort orders in SQL (issue 23), on both engines: by last touch
(never touched first, then oldest; turned round: newest first, never touched last),
by ring, by name, each with the name order among equals, searched or not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from planner.domain.rings import Ring
from planner.services import contacts, touchpoints
from planner.storage.contacts_repo import (
    ORDER_LAST,
    ORDER_NAME,
    ORDER_RING,
    people_ids,
    people_rows,
)
from planner.storage.fields import to_utc
from tests.helpers.stores import bound

NOW = datetime.now(UTC).replace(microsecond=0)

# name, ring, days since each touch (none: never touched)
PEOPLE = [("Cleo", Ring.INNER, [3, 40]), ("ada", None, []), ("Bo", Ring.OUTER, [10]),
          ("Dee", Ring.MIDDLE, [10, 200]), ("Eve", None, [1]), ("Abe", Ring.OUTER, []),
          ("Fay", Ring.INNER, [500])]


def _people() -> dict[str, int]:
    ids = {}
    for name, ring, days in PEOPLE:
        person = contacts.add_contact(bound(), name, ring=ring)
        for d in days:
            touchpoints.log_touchpoint(bound(), person.id, "coffee", at=NOW - timedelta(days=d))
        ids[name] = person.id
    return ids


def test_by_last_touch_never_first_then_oldest_and_turned_round(backend):
    ids = _people()
    named = {v: k for k, v in ids.items()}
    assert [named[i] for i in people_ids(ORDER_LAST)] == [
        "Abe", "ada", "Fay", "Bo", "Dee", "Cleo", "Eve"]  # Bo and Dee: 10 days, by name
    assert [named[i] for i in people_ids(ORDER_LAST, descending=True)] == [
        "Eve", "Cleo", "Bo", "Dee", "Fay", "Abe", "ada"]  # equals keep the name order
    # with a search (its parameter after the last touch's) and the unplaced only
    assert [named[i] for i in people_ids(ORDER_LAST, needle="e")] == [
        "Abe", "Dee", "Cleo", "Eve"]
    assert [named[i] for i in people_ids(ORDER_LAST, unplaced_only=True)] == ["ada", "Eve"]
    assert [named[i] for i in people_ids(ORDER_LAST, True, "e", True)] == ["Eve"]


def test_the_rows_show_each_persons_newest_touch(backend):
    ids = _people()
    rows = people_rows(list(ids.values()))
    assert {name: rows[ids[name]][0] for name in ids} == {name: name for name in ids}
    last = {name: rows[ids[name]][3] for name in ids}
    assert last["ada"] is None and last["Abe"] is None
    assert to_utc(last["Cleo"]) == NOW - timedelta(days=3)
    assert to_utc(last["Dee"]) == NOW - timedelta(days=10)
    assert rows[ids["Fay"]][2] == Ring.INNER.value and rows[ids["ada"]][2] is None


def test_by_ring_and_by_name(backend):
    ids = _people()
    named = {v: k for k, v in ids.items()}
    assert [named[i] for i in people_ids(ORDER_RING)] == [
        "Cleo", "Fay", "Dee", "Abe", "Bo", "ada", "Eve"]
    assert [named[i] for i in people_ids(ORDER_NAME)] == [
        "Abe", "ada", "Bo", "Cleo", "Dee", "Eve", "Fay"]
    assert [named[i] for i in people_ids(ORDER_NAME, descending=True)] == [
        "Fay", "Eve", "Dee", "Cleo", "Bo", "ada", "Abe"]


def test_reading_on_after_a_person_gives_the_rest_of_the_name_order(backend):
    """people_ids(after=…) (the people list read on by keyset past its first ids): page
    after page, from the start or from anyone, what the whole order gives, also where
    names tie (case ignored, or the very same) across the end of a page; with a search
    or the unplaced only too. From someone removed meanwhile it reads on from their
    place; from someone erased it reads nothing on."""
    import pytest

    from planner.storage.contacts_repo import hard_delete

    names = ["ada", "Ada", "ADA", "Bob", "Bob", "Bob", "bob", "Émile", "zoë", "Zoë", "Zoe",
             "Abe", "Bob", "ada", "Cy"]
    ids = [contacts.add_contact(backend.backend, name, ring=Ring.OUTER if n % 4 == 0 else None,
                                email=f"p{n}@example.org").id
           for n, name in enumerate(names)]
    everyone = people_ids(ORDER_NAME)
    assert len(everyone) == len(names)
    for size in (1, 2, 3, 4, 7):  # ties fall across the end of a page at every size
        pages = people_ids(ORDER_NAME, limit=size)
        while len(pages) < len(everyone):
            more = people_ids(ORDER_NAME, limit=size, after=pages[-1])
            assert more, (size, pages)
            pages += more
        assert pages == everyone, size
        assert people_ids(ORDER_NAME, limit=size, after=everyone[-1]) == []
    for at, cid in enumerate(everyone):  # from anyone, the rest at once
        assert people_ids(ORDER_NAME, limit=100, after=cid) == everyone[at + 1:]
    for query in ({"needle": "b"}, {"unplaced_only": True}, {"needle": "o", "unplaced_only": True}):
        wanted = people_ids(ORDER_NAME, **query)
        assert wanted, query
        assert people_ids(ORDER_NAME, **query, limit=2) + people_ids(
            ORDER_NAME, **query, limit=100, after=wanted[1]) == wanted, query
    middle = everyone[7]
    # to the trash: the row is there, its place too
    contacts.remove_contact(backend.backend, middle)
    assert people_ids(ORDER_NAME, limit=100, after=middle) == everyone[8:]
    erased = everyone[9]
    hard_delete(erased)
    assert people_ids(ORDER_NAME, limit=100, after=erased) == []
    with pytest.raises(ValueError):
        people_ids(ORDER_NAME, descending=True, after=ids[0])
    with pytest.raises(ValueError):
        people_ids(ORDER_LAST, after=ids[0])
