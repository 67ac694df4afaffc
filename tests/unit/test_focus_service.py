"""The focus list read from a real database: the one aggregate query feeding the
domain rules (planner.services.focus), checked against what the domain computes.

The domain rules themselves (status boundaries, week edges, ranking) are tested in
test_cadence.py and test_focus.py; here the question is whether the database is read
right: which touch is the last one as of a moment, which note is the latest, whose
cadence applies, who is left out, and how many queries it takes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.domain.cadence import Status
from planner.domain.errors import InvalidInput
from planner.domain.focus import FocusCandidate, build_focus_list, current_iso_week
from planner.domain.rings import Ring
from planner.services import contacts, touchpoints
from planner.services.focus import contact_status, focus_candidates, focus_list
from planner.services.settings import set_cadences
from planner.storage.fields import from_utc
from planner.storage.models import (
    ContactRow,
    NoteRow,
    PlacementRow,
    TouchpointRow,
    db_proxy,
)
from tests.helpers.stores import bound

# on SQLite and on a team database (tests/conftest.py)
pytestmark = [pytest.mark.usefixtures("opened"), pytest.mark.both_engines]

BERLIN = ZoneInfo("Europe/Berlin")
WEEK = "2026-W47"  # Monday 16 Nov – Sunday 22 Nov 2026
AS_OF = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)  # Wednesday of that week


def ago(**kw) -> datetime:
    return AS_OF - timedelta(**kw)


def person(name: str, ring: Ring | None = Ring.MIDDLE, **fields) -> int:
    return contacts.add_contact(bound(), name, ring=ring, **fields).id


def touch(cid: int, at: datetime, kind: str = "coffee") -> None:
    touchpoints.log_touchpoint(bound(), cid, kind, at=at)


def note(cid: int, text: str, at: datetime) -> None:
    touchpoints.add_note(bound(), cid, text, at=at)


def week_list(as_of: datetime = AS_OF, **kw):
    return focus_list(WEEK, as_of=as_of, tz=BERLIN, **kw)


def listed(result) -> dict[str, object]:
    return {item.name: item for item in result.items}


# --------------------------------------------------------------- the whole list


def test_the_list_from_the_database_is_what_the_domain_computes():
    ada = person("Ada Lovelace", Ring.INNER, channels=["im"], handles={"slack": "@ada"})
    touch(ada, ago(days=4), "im")
    touch(ada, ago(days=9), "call")
    note(ada, "Shipping v2\nand more", ago(days=2))
    bo = person("Bo Builder", Ring.MIDDLE, email="bo@example.org", cadence_days=10)
    touch(bo, ago(days=9), "email")
    cy = person("Cy", Ring.OUTER, phones=["+44 20 7946 0000"], timezone="America/New_York")
    dee = person("Dee", Ring.OUTER)
    touch(dee, ago(days=100), "meal")
    eve = person("Eve", Ring.INNER, channels=["github"], handles={"github": "eve"})
    touch(eve, ago(hours=2), "collab")
    fay = person("Fay", Ring.MIDDLE)
    touch(fay, ago(days=1), "video")  # on track: next due well after the week

    expected = [
        FocusCandidate(
            ada,
            "Ada Lovelace",
            Ring.INNER,
            3,
            ago(days=4),
            "im",
            channels=("im",),
            handles={"slack": "@ada"},
            latest_note="Shipping v2\nand more",
        ),
        FocusCandidate(
            bo, "Bo Builder", Ring.MIDDLE, 10, ago(days=9), "email", email="bo@example.org"
        ),
        FocusCandidate(
            cy, "Cy", Ring.OUTER, 42, phones=("+44 20 7946 0000",), timezone="America/New_York"
        ),
        FocusCandidate(dee, "Dee", Ring.OUTER, 42, ago(days=100), "meal"),
        FocusCandidate(
            eve,
            "Eve",
            Ring.INNER,
            3,
            ago(hours=2),
            "collab",
            channels=("github",),
            handles={"github": "eve"},
        ),
        FocusCandidate(fay, "Fay", Ring.MIDDLE, 14, ago(days=1), "video"),
    ]
    candidates = sorted(focus_candidates(AS_OF), key=lambda c: c.contact_id)
    assert candidates == expected

    result = week_list()
    assert result == build_focus_list(expected, WEEK, as_of=AS_OF, tz=BERLIN)
    # and what that means, spelled out
    assert [i.name for i in result.items] == ["Cy", "Dee", "Ada Lovelace", "Bo Builder", "Eve"]
    assert [i.status for i in result.items] == [
        Status.NEVER,
        Status.OVERDUE,
        Status.OVERDUE,
        Status.DUE_SOON,
        Status.ON_TRACK,
    ]
    assert result.label == WEEK and result.as_of == AS_OF
    assert result.week_start == datetime(2026, 11, 16, tzinfo=BERLIN)


def test_limit_keeps_the_most_urgent_and_the_default_week_is_the_current_one():
    for name, days in (("Ann", 30), ("Ben", 20), ("Cat", 16)):
        touch(person(name), ago(days=days))
    person("Dan")  # never contacted: first
    assert [i.name for i in week_list(limit=2).items] == ["Dan", "Ann"]
    assert len(week_list().items) == 4

    now_list = focus_list(tz=BERLIN)
    assert now_list.label == current_iso_week(tz=BERLIN).label
    assert abs(now_list.as_of - datetime.now(UTC)) < timedelta(minutes=1)
    assert focus_list(None, as_of=AS_OF, tz=BERLIN).label == WEEK


def test_a_bad_week_or_limit_is_refused():
    person("Ann")
    with pytest.raises(InvalidInput, match="no ISO week 53"):
        focus_list("2025-W53", as_of=AS_OF, tz=BERLIN)
    with pytest.raises(InvalidInput):
        focus_list("next tuesday", as_of=AS_OF, tz=BERLIN)
    with pytest.raises(InvalidInput):
        week_list(limit=0)


# --------------------------------------------------------------- as of a moment


def test_as_of_ignores_touchpoints_logged_after_it():
    ada = person("Ada")
    touch(ada, ago(days=20), "coffee")
    touch(ada, AS_OF + timedelta(hours=1), "call")  # after the moment: not known yet

    item = listed(week_list())["Ada"]
    assert item.last_touch == ago(days=20)
    assert item.last_touch_kind == "coffee"
    assert item.status is Status.OVERDUE
    assert item.days_overdue == 6

    # once the later call is in the past, Ada is on track and off the list
    later = week_list(AS_OF + timedelta(hours=2))
    assert "Ada" not in listed(later)
    # a touch exactly at the moment counts
    assert "Ada" not in listed(week_list(AS_OF + timedelta(hours=1)))


def test_as_of_before_any_touch_means_never_contacted():
    ada = person("Ada")
    touch(ada, ago(days=1))
    item = listed(week_list(ago(days=2)))["Ada"]
    assert item.status is Status.NEVER
    assert item.last_touch is None and item.last_touch_kind is None


def test_as_of_in_another_zone_is_the_same_moment():
    ada = person("Ada")
    touch(ada, ago(days=20))
    touch(ada, AS_OF + timedelta(minutes=30), "call")
    tokyo = AS_OF.astimezone(ZoneInfo("Asia/Tokyo"))
    assert week_list(tokyo) == week_list(AS_OF)
    assert listed(week_list(tokyo))["Ada"].last_touch == ago(days=20)


def test_the_latest_touch_wins_whatever_order_it_was_logged_in():
    ada = person("Ada")
    touch(ada, ago(days=16), "email")
    touch(ada, ago(days=15), "meal")  # the latest, logged in between
    touch(ada, ago(days=30), "call")  # logged last, but older
    item = listed(week_list())["Ada"]
    assert (item.last_touch, item.last_touch_kind) == (ago(days=15), "meal")


# --------------------------------------------------------------- notes


def test_notes_do_not_count_as_touches():
    only_notes = person("Nora")
    note(only_notes, "Met at the conference, will write", ago(hours=1))
    old_touch = person("Olga")
    touch(old_touch, ago(days=20), "call")
    note(old_touch, "Thinking of her", ago(minutes=5))

    items = listed(week_list())
    assert items["Nora"].status is Status.NEVER
    assert items["Nora"].last_touch is None
    assert items["Olga"].status is Status.OVERDUE
    assert items["Olga"].last_touch == ago(days=20)
    assert items["Olga"].last_touch_kind == "call"


def test_the_latest_notes_first_line_appears():
    ada = person("Ada")
    note(ada, "Old news", ago(days=10))
    note(ada, "\n## Shipping v2 on Friday\n\nDetails follow", ago(days=1))
    note(ada, "Written later about an earlier talk", ago(days=5))  # newer id, older date
    note(ada, "Not written yet", AS_OF + timedelta(days=1))  # after the moment
    person("Bo")  # no notes at all

    items = listed(week_list())
    assert items["Ada"].note == "Shipping v2 on Friday"
    assert items["Bo"].note == ""


def test_a_touchpoints_own_note_is_not_the_latest_note():
    ada = person("Ada")
    note(ada, "A real note", ago(days=3))
    touchpoints.log_touchpoint(bound(), ada, "coffee", at=ago(days=20),
                               note="Talked about the weather")
    assert listed(week_list())["Ada"].note == "A real note"


# --------------------------------------------------------------- cadences


def test_a_persons_cadence_override_wins_over_the_ring():
    quick = person("Quick", Ring.OUTER, cadence_days=7)
    touch(quick, ago(days=10))
    slow = person("Slow", Ring.OUTER)  # ring default: 42 days
    touch(slow, ago(days=10))

    items = listed(week_list())
    assert "Slow" not in items
    assert items["Quick"].cadence_days == 7
    assert items["Quick"].status is Status.OVERDUE
    assert items["Quick"].days_overdue == 3
    assert items["Quick"].next_due == ago(days=3)


def test_ring_cadences_come_from_the_settings():
    ada = person("Ada", Ring.MIDDLE)
    touch(ada, ago(days=6))
    fixed = person("Fixed", Ring.MIDDLE, cadence_days=30)
    touch(fixed, ago(days=6))
    assert listed(week_list()) == {}

    set_cadences(bound(), {Ring.MIDDLE: 5})
    items = listed(week_list())
    assert set(items) == {"Ada"}  # the override still wins over the new setting
    assert items["Ada"].cadence_days == 5
    assert items["Ada"].status is Status.OVERDUE
    assert items["Ada"].days_overdue == 1

    set_cadences(bound(), {Ring.MIDDLE: 60, Ring.INNER: 2})
    assert listed(week_list()) == {}


def test_contact_status_uses_the_override_then_the_ring_days():
    ada = contacts.add_contact(bound(), "Ada", ring=Ring.MIDDLE)
    touch(ada.id, ago(days=6))
    loose = contacts.add_contact(bound(), "Loose")
    ada = contacts.get_contact(ada.id)
    assert contact_status(ada, {Ring.MIDDLE: 14}, AS_OF) is Status.ON_TRACK
    assert contact_status(ada, {Ring.MIDDLE: 7}, AS_OF) is Status.DUE_SOON
    assert contact_status(ada, {Ring.MIDDLE: 5}, AS_OF) is Status.OVERDUE
    assert contact_status(loose, {Ring.MIDDLE: 5}, AS_OF) is None
    strict = contacts.edit_contact(bound(), ada.id, cadence_days=30)
    assert contact_status(strict, {Ring.MIDDLE: 5}, AS_OF) is Status.ON_TRACK
    never = contacts.add_contact(bound(), "Never", ring=Ring.OUTER)
    assert contact_status(never, {Ring.OUTER: 42}) is Status.NEVER


# --------------------------------------------------------------- who is left out


def test_unplaced_and_removed_people_are_never_listed():
    person("Placed")
    person("Loose", None)  # never contacted, but not on a ring
    touch(person("Loose too", None), ago(days=400))
    gone = person("Gone", Ring.INNER)
    contacts.remove_contact(bound(), gone)
    # a soft-deleted row that still has a placement (another client, an old version)
    ghost = person("Ghost", Ring.OUTER)
    ContactRow.update(deleted_at=ago(days=1)).where(ContactRow.id == ghost).execute()
    assert PlacementRow.select().where(PlacementRow.contact == ghost).count() == 1
    # someone placed on another user's rings only
    other = person("Theirs", None)
    PlacementRow.create(contact=other, owner="someone-else", ring="inner", position=0)

    assert set(listed(week_list())) == {"Placed"}
    assert {c.name for c in focus_candidates(AS_OF)} == {"Placed"}


def test_a_restored_person_who_is_placed_again_comes_back():
    gone = person("Gone", Ring.INNER)
    contacts.remove_contact(bound(), gone)
    contacts.restore_contact(bound(), gone)
    assert "Gone" not in listed(week_list())  # restored to the network, not to a ring
    from planner.services.placement import move_contact

    move_contact(bound(), gone, Ring.INNER)
    assert listed(week_list())["Gone"].status is Status.NEVER


# --------------------------------------------------------------- how many queries


def _bulk_people(count: int) -> None:
    """``count`` placed people, each with two touchpoints and two notes, plus as many
    unplaced people with history, written directly (fast)."""
    set_cadences(bound(), {Ring.OUTER: 42})
    stamp = from_utc(ago(days=400))
    with db_proxy.atomic():
        for n in range(2 * count):
            cid = ContactRow.insert(
                name=f"Person {n:03d}",
                created_at=stamp,
                updated_at=stamp,
                channels=["email"],
                email=f"p{n}@example.org",
            ).execute()
            if n < count:
                ring = (Ring.INNER, Ring.MIDDLE, Ring.OUTER)[n % 3]
                PlacementRow.insert(contact=cid, owner="", ring=ring.value, position=n).execute()
            for days in (n % 50 + 1, n % 50 + 60):
                TouchpointRow.insert(
                    contact=cid, kind="email", at=ago(days=days), created_at=stamp, updated_at=stamp
                ).execute()
                NoteRow.insert(
                    contact=cid,
                    at=ago(days=days, hours=1),
                    text=f"note {n} {days}",
                    created_at=stamp,
                    updated_at=stamp,
                ).execute()


def _statements_while(build) -> tuple[list[str], object]:
    """Every SQL statement SQLite runs while ``build()`` works (trace callback)."""
    connection = db_proxy.obj.connection()
    seen: list[str] = []
    connection.set_trace_callback(seen.append)
    try:
        result = build()
    finally:
        connection.set_trace_callback(None)
    return [s for s in seen if s.strip().upper().startswith(("SELECT", "WITH"))], result


@pytest.mark.sqlite_only  # counts statements with sqlite3's set_trace_callback
@pytest.mark.parametrize("count", [10, 200])
def test_the_focus_list_takes_the_same_few_queries_for_10_or_200_people(count):
    _bulk_people(count)
    queries, result = _statements_while(lambda: week_list())
    # one aggregate query for the people (with their last touch and latest note),
    # one for the ring cadences: never one per person
    assert len(queries) == 2, queries
    assert sum('FROM "contact"' in q for q in queries) == 1
    # and it read the right people: every placed one, all overdue (1-50 days vs 3/14/42)
    assert len(result.items) <= count
    assert {i.contact_id for i in result.items} <= set(range(1, count + 1))
    # every placed person was evaluated with their own latest touch and note
    candidates = {c.contact_id: c for c in focus_candidates(AS_OF)}
    assert len(candidates) == count
    for n in (0, count // 2, count - 1):
        cand = candidates[n + 1]
        assert cand.last_touch == ago(days=n % 50 + 1)
        assert cand.latest_note == f"note {n} {n % 50 + 1}"


@pytest.mark.sqlite_only  # sqlite3's set_trace_callback
def test_query_count_does_not_grow_with_people():
    counts = []
    for count in (10, 200):
        ContactRow.delete().execute()
        _bulk_people(count)
        queries, _ = _statements_while(lambda: week_list())
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 3
