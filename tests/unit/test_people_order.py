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

NOW = datetime.now(UTC).replace(microsecond=0)

# name, ring, days since each touch (none: never touched)
PEOPLE = [("Cleo", Ring.INNER, [3, 40]), ("ada", None, []), ("Bo", Ring.OUTER, [10]),
          ("Dee", Ring.MIDDLE, [10, 200]), ("Eve", None, [1]), ("Abe", Ring.OUTER, []),
          ("Fay", Ring.INNER, [500])]


def _people() -> dict[str, int]:
    ids = {}
    for name, ring, days in PEOPLE:
        person = contacts.add_contact(name, ring=ring)
        for d in days:
            touchpoints.log_touchpoint(person.id, "coffee", at=NOW - timedelta(days=d))
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
