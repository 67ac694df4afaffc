"""The weekly focus list: ISO weeks in local time, inclusion, ranking, actions."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.cadence import Status
from planner.domain.errors import InvalidInput
from planner.domain.focus import (
    FocusCandidate,
    IsoWeek,
    build_focus_list,
    channel_phrase,
    contact_address,
    current_iso_week,
    first_line,
    focus_item,
    local_zone,
    parse_iso_week,
    preferred_channel,
    rank_key,
    week_bounds,
)
from planner.domain.rings import Ring

BERLIN = ZoneInfo("Europe/Berlin")
US = timedelta(microseconds=1)
AS_OF = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)  # Monday of 2026-W47, 10:00 in Berlin


def person(cid=1, name="Ada", ring=Ring.INNER, days=3, touch=None, **extra) -> FocusCandidate:
    return FocusCandidate(contact_id=cid, name=name, ring=ring, cadence_days=days,
                          last_touch=touch, **extra)


def ago(**kw) -> datetime:
    return AS_OF - timedelta(**kw)


def focus(people, week="2026-W47", as_of=AS_OF, **kw):
    return build_focus_list(people, week, as_of=as_of, tz=BERLIN, **kw)


# ---------------------------------------------------------------- ISO weeks


@pytest.mark.parametrize("text", ["2026-W47", "2026W47", "2026-w47", " 2026w47 "])
def test_parse_iso_week_accepts_common_spellings(text):
    assert parse_iso_week(text) == IsoWeek(2026, 47)
    assert str(parse_iso_week(text)) == "2026-W47"


def test_week_53_exists_in_2026_only():
    assert parse_iso_week("2026-W53") == (2026, 53)
    with pytest.raises(InvalidInput, match=r"2025 has no ISO week 53: its weeks are 1 to 52"):
        parse_iso_week("2025-W53")


@pytest.mark.parametrize("text", ["2026-W54", "2026-W00", "2026-47", "W47", "", "next week",
                                  "1800-W01"])
def test_malformed_weeks_are_one_line_refusals(text):
    with pytest.raises(InvalidInput) as err:
        parse_iso_week(text)
    assert "\n" not in str(err.value)


def test_current_week_follows_the_local_calendar():
    # Sunday 23:30 in Berlin is still week 47; 00:30 Monday is week 48.
    assert current_iso_week(datetime(2026, 11, 22, 22, 30, tzinfo=UTC), BERLIN) == (2026, 47)
    assert current_iso_week(datetime(2026, 11, 22, 23, 30, tzinfo=UTC), BERLIN) == (2026, 48)
    assert current_iso_week(datetime(2026, 11, 22, 23, 30, tzinfo=UTC), UTC) == (2026, 47)


def test_week_bounds_are_monday_midnight_to_sunday_last_microsecond():
    start, end = week_bounds(IsoWeek(2026, 47), BERLIN)
    assert start == datetime(2026, 11, 16, 0, 0, tzinfo=BERLIN)
    assert end == datetime(2026, 11, 22, 23, 59, 59, 999_999, tzinfo=BERLIN)


def _hours(start: datetime, end: datetime) -> float:
    """Real elapsed hours (same-zone subtraction in Python is wall-clock, so go via UTC)."""
    return (end.astimezone(UTC) + US - start.astimezone(UTC)) / timedelta(hours=1)


def test_week_with_spring_dst_change_is_167_hours():
    start, end = week_bounds(IsoWeek(2026, 13), BERLIN)  # 29 March 2026, 02:00 → 03:00
    assert _hours(start, end) == 167
    assert end.utcoffset() == timedelta(hours=2)
    assert end.astimezone(UTC) == datetime(2026, 3, 29, 21, 59, 59, 999_999, tzinfo=UTC)


def test_week_with_autumn_dst_change_is_169_hours():
    # The October 2026 change is on Sunday 25 Oct, which is in W43 (not W44).
    start, end = week_bounds(IsoWeek(2026, 43), BERLIN)
    assert _hours(start, end) == 169
    assert _hours(*week_bounds(IsoWeek(2026, 44), BERLIN)) == 168


def test_week_53_spans_the_new_year():
    start, end = week_bounds(IsoWeek(2026, 53), BERLIN)
    assert start.date().isoformat() == "2026-12-28"
    assert end.date().isoformat() == "2027-01-03"


def test_local_zone_honours_tz(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    assert local_zone() == ZoneInfo("America/New_York")


def test_default_week_is_the_week_of_as_of():
    result = build_focus_list([], as_of=datetime(2026, 3, 25, tzinfo=UTC), tz=BERLIN)
    assert (result.year, result.week, result.label) == (2026, 13, "2026-W13")


# ------------------------------------------------------------------ edges


def due_at(cid: int, name: str, moment: datetime) -> FocusCandidate:
    """Someone on a 30-day cadence who falls due exactly at ``moment``.

    30 days keeps the touch before the list's ``as_of`` (later touches are ignored);
    subtract in UTC, as same-zone arithmetic is wall-clock and would shift across DST.
    """
    return person(cid, name, Ring.MIDDLE, 30, moment.astimezone(UTC) - timedelta(days=30))


def test_due_sunday_2359_local_is_in_the_week_and_monday_0000_is_not():
    sunday_end = datetime(2026, 11, 22, 23, 59, 59, 999_999, tzinfo=BERLIN)
    sunday_2359 = datetime(2026, 11, 22, 23, 59, tzinfo=BERLIN)
    next_monday = datetime(2026, 11, 23, 0, 0, tzinfo=BERLIN)
    people = [
        due_at(1, "Edge", sunday_end),
        due_at(2, "Late", sunday_2359),
        due_at(3, "Monday", next_monday),
    ]
    assert {i.name for i in focus(people).items} == {"Edge", "Late"}


def test_dst_week_edge_uses_the_summer_offset():
    # Sunday 29 March 2026 ends at 21:59:59.999999 UTC (CEST, +2), not 22:59 (CET).
    inside = datetime(2026, 3, 29, 21, 59, 59, 999_999, tzinfo=UTC)
    outside = datetime(2026, 3, 29, 22, 0, tzinfo=UTC)  # 00:00 Monday in Berlin
    people = [due_at(1, "In", inside), due_at(2, "Out", outside)]
    result = focus(people, "2026-W13", as_of=datetime(2026, 3, 23, 8, tzinfo=UTC))
    assert [i.name for i in result.items] == ["In"]


def test_autumn_dst_week_edge():
    inside = datetime(2026, 10, 25, 22, 59, 59, tzinfo=UTC)  # 23:59:59 CET
    outside = datetime(2026, 10, 25, 23, 0, tzinfo=UTC)  # Monday 00:00 CET
    people = [due_at(1, "In", inside), due_at(2, "Out", outside)]
    result = focus(people, "2026-W43", as_of=datetime(2026, 10, 19, 8, tzinfo=UTC))
    assert [i.name for i in result.items] == ["In"]


def test_week_53_list():
    as_of = datetime(2026, 12, 28, 8, tzinfo=UTC)
    people = [due_at(1, "NewYear", datetime(2027, 1, 3, 12, tzinfo=BERLIN)),
              due_at(2, "Later", datetime(2027, 1, 4, 12, tzinfo=BERLIN))]
    result = focus(people, "2026-W53", as_of=as_of)
    assert (result.year, result.week) == (2026, 53)
    assert [i.name for i in result.items] == ["NewYear"]


# ------------------------------------------------------- inclusion and ranking


def test_only_placed_people_due_by_week_end_are_listed():
    people = [
        person(1, "Due", Ring.INNER, 3, ago(days=1)),  # due Thursday
        person(2, "Fresh", Ring.OUTER, 42, ago(days=1)),  # due in 41 days
        person(3, "Loose", None, 3, None),  # unplaced
        person(4, "Never", Ring.OUTER, 42, None),
    ]
    result = focus(people)
    assert [i.name for i in result.items] == ["Never", "Due"]
    due = result.items[1]
    assert due.status is Status.ON_TRACK and due.days_overdue == 0


def test_ranked_by_urgency_never_contacted_first():
    people = [
        person(1, "Half", Ring.MIDDLE, 8, ago(days=4)),  # 0.5, due on Friday
        person(2, "Twice", Ring.INNER, 3, ago(days=6)),  # 2.0
        person(3, "Never", Ring.OUTER, 42, None),
        person(4, "Once", Ring.OUTER, 42, ago(days=42)),  # 1.0
    ]
    result = focus(people)
    assert [i.name for i in result.items] == ["Never", "Twice", "Once", "Half"]
    assert result.items[0].urgency == math.inf
    assert [i.urgency for i in result.items[1:]] == [2.0, 1.0, 0.5]


def test_ties_break_by_ring_inner_first_then_name_ignoring_case():
    same = ago(days=6)  # 2.0 for a 3-day cadence, 2.0 for 3 days in any ring
    people = [
        person(1, "zed", Ring.OUTER, 3, same),
        person(2, "Bea", Ring.MIDDLE, 3, same),
        person(3, "amy", Ring.MIDDLE, 3, same),
        person(4, "Yan", Ring.INNER, 3, same),
        person(5, "Nev", Ring.OUTER, 42, None),
        person(6, "Ann", Ring.MIDDLE, 14, None),
    ]
    names = [i.name for i in focus(people).items]
    assert names == ["Ann", "Nev", "Yan", "amy", "Bea", "zed"]


def test_limit_keeps_the_most_urgent():
    people = [person(i, f"P{i}", Ring.INNER, 3, ago(days=3 + i)) for i in range(1, 6)]
    assert [i.name for i in focus(people, limit=2).items] == ["P5", "P4"]
    assert len(focus(people, limit=50).items) == 5
    with pytest.raises(InvalidInput, match="limit"):
        focus(people, limit=0)


def test_touches_after_as_of_are_ignored():
    people = [person(1, "Ada", Ring.INNER, 3, AS_OF + timedelta(hours=1),
                     last_touch_kind="coffee")]
    item = focus(people).items[0]
    assert item.status is Status.NEVER
    assert item.last_touch is None and item.last_touch_kind is None


def test_never_contacted_are_listed_even_for_a_past_week():
    result = focus([person(1, "Nev", Ring.OUTER, 42)], "2026-W40")
    assert [i.name for i in result.items] == ["Nev"]


def test_item_fields():
    touch = ago(days=10)
    cand = person(7, "Ada", Ring.MIDDLE, 4, touch, last_touch_kind="im", channels=("slack",),
                  handles={"Slack": "@ada"}, latest_note="\n  \n## Shipping v2\nmore")
    item = focus([cand]).items[0]
    assert item.contact_id == 7 and item.ring is Ring.MIDDLE and item.cadence_days == 4
    assert item.status is Status.OVERDUE and item.days_overdue == 6
    assert item.urgency == 2.5 and item.next_due == touch + timedelta(days=4)
    assert item.last_touch == touch and item.last_touch_kind == "im"
    assert (item.channel, item.address, item.note) == ("slack", "@ada", "Shipping v2")


def test_naive_as_of_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        build_focus_list([], "2026-W47", as_of=datetime(2026, 11, 16), tz=BERLIN)


# ------------------------------------------------------- channels and notes


def test_channel_and_address_resolution():
    ada = person(email="ada@example.org", channels=("IM", "email"),
                 handles={"slack": "@ada", "github": "ada"}, phones=("+44 20 7946 0000",))
    assert preferred_channel(ada) == "im"
    assert contact_address(ada, "im") == "@ada"  # an IM handle for "IM"
    assert contact_address(ada, "github") == "ada"
    assert contact_address(ada, "email") == "ada@example.org"
    assert contact_address(ada, "sms") == "+44 20 7946 0000"
    assert contact_address(ada, "video") == "ada@example.org"  # falls back to email
    assert preferred_channel(person(email="x@y.z")) == "email"
    assert preferred_channel(person(handles={"github": "gh"})) == "github"
    assert preferred_channel(person(phones=("123",))) == "phone"
    assert preferred_channel(person()) == ""
    assert contact_address(person(phones=("123",)), "slack") == "123"


def test_channel_phrases_read_naturally():
    assert channel_phrase("im") == "on IM"
    assert channel_phrase("email") == "by email"
    assert channel_phrase("Slack") == "on Slack"
    assert channel_phrase("github") == "on GitHub"
    assert channel_phrase("") == ""


def test_first_line_of_the_note():
    assert first_line("\n\n  first  \nsecond") == "first"
    assert first_line("# Heading\nbody") == "Heading"
    assert first_line(None) == ""
    long = first_line("x" * 500)
    assert len(long) == 200 and long.endswith("…")


# ------------------------------------------------------------------ actions


def action(**kw) -> str:
    base = {"ring": Ring.INNER, "days": 3, "touch": ago(days=1), "channels": ("im",)}
    base.update(kw)
    return focus_item(person(**base), AS_OF, BERLIN).action


def test_action_priority_order():
    hints = {"uncelebrated_win": "shipped v2", "thanks_due": "the case study",
             "near_fatigue": True, "recent_win": "new job"}
    assert action(**hints) == "Celebrate their win: shipped v2"
    hints.pop("uncelebrated_win")
    assert action(**hints) == "Say thank you for the case study"
    hints.pop("thanks_due")
    assert action(**hints).startswith("Give, don't ask: share something useful on IM")
    hints.pop("near_fatigue")
    assert action(**hints) == "Follow up on their recent win: new job"
    assert action(recent_win="new job", touch=None) == "Follow up on their recent win: new job"


def test_action_never_contacted_is_a_first_hello_on_their_channel():
    text = action(touch=None, channels=("email",))
    assert text.startswith("Reach out by email: nothing is logged with them yet")


def test_action_long_overdue_proposes_coffee_or_a_video_call():
    assert action(touch=ago(days=6)) == "Quick check-in on IM"  # exactly 2×: not "long"
    assert action(touch=ago(days=6, seconds=1)) == "Propose a coffee to reconnect"
    assert action(touch=ago(days=7), channels=("video",)) == "Propose a video call to reconnect"
    far = action(touch=ago(days=7), timezone="America/New_York")
    assert far == "Propose a video call to reconnect"
    assert action(touch=ago(days=7), timezone="Europe/Paris") == "Propose a coffee to reconnect"
    assert action(touch=ago(days=7), timezone="Not/AZone") == "Propose a coffee to reconnect"


def test_action_by_ring():
    assert action(ring=Ring.INNER) == "Quick check-in on IM"
    assert action(ring=Ring.MIDDLE, channels=("email",)) == (
        "Catch up by email: ask what they're working on"
    )
    assert action(ring=Ring.OUTER, channels=("linkedin",)) == "Send a short note on LinkedIn"
    assert action(ring=Ring.OUTER, channels=()) == "Send a short note"


# --------------------------------------------------------------- properties

SECONDS = st.integers(min_value=0, max_value=200 * 86_400)
candidates = st.lists(
    st.builds(
        lambda cid, name, ring, days, secs: person(
            cid, name, ring, days, None if secs is None else AS_OF - timedelta(seconds=secs)
        ),
        st.integers(1, 10_000),
        st.text(min_size=1, max_size=8),
        st.sampled_from(list(Ring)),
        st.integers(1, 60),
        st.none() | SECONDS,
    ),
    max_size=25,
    unique_by=lambda cand: cand.contact_id,
)


@settings(max_examples=150, deadline=None)
@given(people=candidates, week=st.integers(40, 53))
def test_list_is_sorted_and_everyone_is_due_by_week_end(people, week):
    result = focus(people, f"2026-W{week}")
    keys = [rank_key(i) for i in result.items]
    assert keys == sorted(keys)
    for item in result.items:
        assert item.status is Status.NEVER or item.next_due <= result.week_end
        assert item.days_overdue >= 0
    expected = {
        cand.contact_id
        for cand in people
        if (item := focus_item(cand, AS_OF, BERLIN)).status is Status.NEVER
        or item.next_due <= result.week_end
    }
    assert {i.contact_id for i in result.items} == expected


@settings(max_examples=150, deadline=None)
@given(a=SECONDS, b=SECONDS, days=st.integers(1, 60), ring=st.sampled_from(list(Ring)))
def test_a_touch_never_makes_a_person_more_urgent(a, b, days, ring):
    earlier, later = AS_OF - timedelta(seconds=max(a, b)), AS_OF - timedelta(seconds=min(a, b))
    before = focus_item(person(ring=ring, days=days, touch=earlier), AS_OF, BERLIN)
    after = focus_item(person(ring=ring, days=days, touch=later), AS_OF, BERLIN)
    never = focus_item(person(ring=ring, days=days), AS_OF, BERLIN)
    assert after.urgency <= before.urgency < never.urgency
    assert after.next_due >= before.next_due
    week = focus([person(ring=ring, days=days, touch=later)])
    if not focus([person(ring=ring, days=days, touch=earlier)]).items:
        assert not week.items  # not due with the earlier touch → not due with the later one


def test_an_address_is_never_given_as_another_channels():
    """ "IM: bram@example.org" for someone whose IM nobody knows, and "Quick check-in by
    SMS" for someone with no number: the address read as their IM or their phone."""
    from planner.domain.focus import FocusCandidate, reachable

    def cand(**kw):
        base = {"contact_id": 1, "name": "Bram", "ring": Ring.INNER, "cadence_days": 7,
                "last_touch": None, "last_touch_kind": None}
        return FocusCandidate(**(base | kw))

    assert reachable(cand(email="b@x.org"), "im") == ("email", "b@x.org")
    assert reachable(cand(email="b@x.org"), "sms") == ("email", "b@x.org")
    assert reachable(cand(phones=("+31 6 1",)), "im") == ("call", "+31 6 1")
    assert reachable(cand(handles={"GitHub": "bram"}), "linkedin") == ("github", "bram")
    # a fitting address keeps the channel; a way to meet keeps its name
    assert reachable(cand(email="b@x.org", handles={"slack": "@b"}), "im") == ("im", "@b")
    assert reachable(cand(phones=("+31 6 1",)), "sms") == ("sms", "+31 6 1")
    assert reachable(cand(email="b@x.org"), "coffee") == ("coffee", "b@x.org")
    assert reachable(cand(), "im") == ("im", "")  # nothing known: the preference stands
