"""Paging the merged timeline with cursor_after: every entry exactly once, newest
first, with no gaps or duplicates even when many entries share one instant."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.rings import Ring
from planner.domain.timeline import EntryType
from planner.domain.timeline_order import TYPE_ORDER, cursor_after
from planner.services import contacts, snoozes, touchpoints
from planner.storage import contacts_repo
from planner.storage.models import ContactRow, NoteRow, RingMoveRow, TouchpointRow, db_proxy
from tests.helpers.stores import bound

# each test with a database runs on SQLite and on a team database (tests/conftest.py)
pytestmark = pytest.mark.both_engines

INSTANT = datetime(2026, 11, 16, 9, 30, tzinfo=UTC)


def page_through(page_size: int, **filters) -> list:
    seen = []
    cursor = None
    for _ in range(10_000):
        page = touchpoints.timeline(limit=page_size, cursor=cursor, **filters)
        assert len(page) <= page_size
        if not page:
            return seen
        seen.extend(page)
        cursor = cursor_after(page[-1])
    raise AssertionError("paging never ended")


def sort_key(entry) -> tuple:
    return (entry.at, TYPE_ORDER[entry.type], entry.row_id)


def assert_complete_and_ordered(pages: list, expected_ids: set[str]) -> None:
    ids = [e.id for e in pages]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"seen twice: {sorted(duplicates)[:10]}"
    missing, extra = expected_ids - set(ids), set(ids) - expected_ids
    assert not missing and not extra, f"missing {sorted(missing)[:10]}, extra {sorted(extra)[:10]}"
    keys = [sort_key(e) for e in pages]
    assert keys == sorted(keys, reverse=True), "not newest first"


def all_entry_ids(contact_id: int | None = None) -> set[str]:
    everything = touchpoints.timeline(contact_id, limit=1_000_000)
    return {e.id for e in everything}


def make_people(n: int) -> list[int]:
    return [contacts.add_contact(bound(), f"Person {i}").id for i in range(n)]


def pin_everything_to(instant: datetime) -> None:
    """Give every entry of every type the same timestamp."""
    with db_proxy.atomic():
        ContactRow.update(created_at=instant).execute()
        RingMoveRow.update(at=instant).execute()
        TouchpointRow.update(at=instant).execute()
        NoteRow.update(at=instant).execute()


@pytest.mark.usefixtures("opened")
def test_500_entries_at_the_same_instant_page_by_7():
    people = make_people(5)
    with db_proxy.atomic():
        for i in range(200):
            touchpoints.log_touchpoint(bound(), people[i % 5], "coffee", at=INSTANT, note=f"tp {i}")
        for i in range(200):
            touchpoints.add_note(bound(), people[i % 5], f"note {i}", at=INSTANT)
        for i in range(90):
            contacts_repo.record_move(people[i % 5], None, Ring.OUTER, INSTANT)
        for i in range(5):
            snoozes.snooze(bound(), people[i], INSTANT + timedelta(days=3), at=INSTANT)
    pin_everything_to(INSTANT)

    expected = all_entry_ids()
    assert len(expected) == 500  # 200 touchpoints + 200 notes + 90 moves + 5 creations + 5 snoozes
    pages = page_through(7)
    assert_complete_and_ordered(pages, expected)
    assert {e.at for e in pages} == {INSTANT}
    assert {e.type for e in pages} == set(EntryType)


@pytest.mark.usefixtures("opened")
def test_one_persons_timeline_pages_completely():
    people = make_people(3)
    for i in range(60):
        touchpoints.log_touchpoint(bound(), people[i % 3], "im",
                                   at=INSTANT - timedelta(minutes=i // 10))
        touchpoints.add_note(bound(), people[i % 3], f"n{i}",
                             at=INSTANT - timedelta(minutes=i // 7))
    expected = all_entry_ids(people[1])
    assert len(expected) == 20 + 20 + 1
    pages = page_through(4, contact_id=people[1])
    assert {e.contact_id for e in pages} == {people[1]}
    assert_complete_and_ordered(pages, expected)


@pytest.mark.usefixtures("opened")
def test_paging_by_kind_and_by_a_set_of_people():
    people = make_people(4)
    for i in range(40):
        kind = ("coffee", "im")[i % 2]
        touchpoints.log_touchpoint(bound(), people[i % 4], kind,
                                   at=INSTANT - timedelta(seconds=i % 3))
    coffees = page_through(3, kinds={"coffee"})
    assert len(coffees) == 20
    assert {e.kind for e in coffees} == {"coffee"}
    assert len({e.id for e in coffees}) == 20
    some = page_through(5, contact_ids={people[0], people[2]})
    assert {e.contact_id for e in some} == {people[0], people[2]}
    assert len(some) == 20 + 2  # their touchpoints and their creations


@pytest.mark.usefixtures("opened")
def test_page_size_one_and_a_page_bigger_than_everything():
    people = make_people(2)
    for i in range(5):
        touchpoints.add_note(bound(), people[i % 2], f"n{i}", at=INSTANT)
    pin_everything_to(INSTANT)
    expected = all_entry_ids()
    assert_complete_and_ordered(page_through(1), expected)
    assert_complete_and_ordered(page_through(1000), expected)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    entries=st.lists(
        st.tuples(
            st.sampled_from(["touchpoint", "note", "move"]),
            st.integers(0, 2),  # who
            st.integers(0, 3),  # which of four instants
        ),
        max_size=60,
    ),
    page_size=st.integers(1, 9),
    created_at=st.integers(0, 3),
)
def test_paging_never_skips_or_repeats(entries, page_size, created_at):
    from planner.storage.database import open_database

    instants = [INSTANT - timedelta(seconds=s) for s in range(4)]
    with tempfile.TemporaryDirectory() as folder:
        handle = open_database(str(Path(folder) / "planner.db"))
        try:
            people = make_people(3)
            ContactRow.update(created_at=instants[created_at]).execute()
            for what, who, when in entries:
                at = instants[when]
                if what == "touchpoint":
                    touchpoints.log_touchpoint(bound(), people[who], "call", at=at)
                elif what == "note":
                    touchpoints.add_note(bound(), people[who], "n", at=at)
                else:
                    contacts_repo.record_move(people[who], None, Ring.INNER, at)
            expected = all_entry_ids()
            assert len(expected) == len(entries) + 3
            assert_complete_and_ordered(page_through(page_size), expected)
            person = people[1]
            assert_complete_and_ordered(
                page_through(page_size, contact_id=person), all_entry_ids(person)
            )
        finally:
            handle.close()
