"""Cadence rules: per-ring defaults, overrides, exact status boundaries, naive refusal."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.domain.cadence import (
    Status,
    cadence_days,
    days_overdue,
    next_due,
    require_aware,
    status_at,
    urgency,
)
from planner.domain.errors import InvalidInput
from planner.domain.rings import Ring

NOW = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
US = timedelta(microseconds=1)


# ------------------------------------------------------------ cadence_days


def test_ring_defaults_are_3_14_42():
    assert cadence_days(Ring.INNER) == 3
    assert cadence_days(Ring.MIDDLE) == 14
    assert cadence_days(Ring.OUTER) == 42


def test_settings_mapping_replaces_defaults_and_falls_back_per_ring():
    settings = {Ring.INNER: 2, Ring.MIDDLE: 10}
    assert cadence_days(Ring.INNER, None, settings) == 2
    assert cadence_days(Ring.MIDDLE, None, settings) == 10
    assert cadence_days(Ring.OUTER, None, settings) == 42  # not in the mapping


def test_personal_override_wins_over_ring_and_settings():
    assert cadence_days(Ring.OUTER, 7) == 7
    assert cadence_days(Ring.INNER, 30, {Ring.INNER: 2}) == 30


@pytest.mark.parametrize("bad", [0, -3, 2.5, "7", True])
def test_bad_override_is_a_user_readable_refusal(bad):
    with pytest.raises(InvalidInput, match="at least 1"):
        cadence_days(Ring.INNER, bad)


def test_bad_setting_names_the_ring():
    with pytest.raises(InvalidInput, match="middle ring"):
        cadence_days(Ring.MIDDLE, None, {Ring.MIDDLE: 0})


# ------------------------------------------------------ status boundaries


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [
        (timedelta(0), Status.ON_TRACK),
        (timedelta(days=3) - US, Status.ON_TRACK),  # just under 75 % of 4 days
        (timedelta(days=3), Status.DUE_SOON),  # exactly 75 %
        (timedelta(days=4) - US, Status.DUE_SOON),
        (timedelta(days=4), Status.DUE_SOON),  # exactly 100 %: still due soon
        (timedelta(days=4) + US, Status.OVERDUE),  # one microsecond later
        (timedelta(days=40), Status.OVERDUE),
    ],
)
def test_status_boundaries_at_75_and_100_percent(elapsed, expected):
    assert status_at(NOW - elapsed, 4, NOW) is expected


def test_boundary_is_exact_for_cadences_not_divisible_by_four():
    # 75 % of 3 days is 54 hours exactly.
    assert status_at(NOW - timedelta(hours=54) + US, 3, NOW) is Status.ON_TRACK
    assert status_at(NOW - timedelta(hours=54), 3, NOW) is Status.DUE_SOON
    assert status_at(NOW - timedelta(days=3), 3, NOW) is Status.DUE_SOON
    assert status_at(NOW - timedelta(days=3) - US, 3, NOW) is Status.OVERDUE


def test_status_values_are_the_documented_strings():
    assert [s.value for s in Status] == ["on-track", "due-soon", "overdue", "never"]
    assert Status.NEVER.label == "never contacted"


def test_urgency_is_elapsed_over_cadence():
    assert urgency(NOW - timedelta(days=3), 4, NOW) == 0.75
    assert urgency(NOW - timedelta(days=4), 4, NOW) == 1.0
    assert urgency(NOW - timedelta(days=21), 14, NOW) == 1.5


# ------------------------------------------------------------ never contacted


def test_never_contacted_is_due_now_and_infinitely_urgent():
    assert status_at(None, 14, NOW) is Status.NEVER
    assert next_due(None, 14, NOW) == NOW
    assert urgency(None, 14, NOW) == math.inf
    assert days_overdue(None, 14, NOW) == 0


# ------------------------------------------------------------------ next_due


def test_next_due_is_last_touch_plus_cadence_in_utc():
    touch = datetime(2026, 11, 1, 10, 30, tzinfo=UTC)
    due = next_due(touch, 14, NOW)
    assert due == datetime(2026, 11, 15, 10, 30, tzinfo=UTC)
    assert due.tzinfo is UTC


def test_next_due_across_dst_is_exact_hours_not_wall_clock_days():
    berlin = ZoneInfo("Europe/Berlin")
    touch = datetime(2026, 3, 28, 12, 0, tzinfo=berlin)  # CET, the day before the change
    due = next_due(touch, 3, NOW)
    assert due - touch == timedelta(hours=72)
    assert due.astimezone(berlin).hour == 13  # 72 h later is 13:00 CEST on the wall


def test_next_due_accepts_other_offsets():
    touch = datetime(2026, 11, 10, 9, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert next_due(touch, 3, NOW) == datetime(2026, 11, 13, 14, 0, tzinfo=UTC)


# -------------------------------------------------------------- days_overdue


@pytest.mark.parametrize(
    ("late", "days"),
    [
        (-timedelta(days=1), 0),
        (timedelta(0), 0),
        (timedelta(days=1) - US, 0),
        (timedelta(days=1), 1),
        (timedelta(days=9, hours=23), 9),
    ],
)
def test_days_overdue_counts_whole_days_past_due(late, days):
    touch = NOW - timedelta(days=14) - late
    assert days_overdue(touch, 14, NOW) == days


# --------------------------------------------------------------- odd inputs


def test_touch_in_the_future_counts_as_just_now():
    future = NOW + timedelta(hours=2)
    assert urgency(future, 3, NOW) == 0.0
    assert status_at(future, 3, NOW) is Status.ON_TRACK
    assert days_overdue(future, 3, NOW) == 0


@pytest.mark.parametrize("fn", [status_at, next_due, urgency, days_overdue])
def test_naive_datetimes_are_refused(fn):
    naive = datetime(2026, 11, 16, 9, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        fn(naive, 3, NOW)
    with pytest.raises(ValueError, match="timezone-aware"):
        fn(None, 3, naive)


@pytest.mark.parametrize("bad", [0, -1, 1.5])
def test_non_positive_cadence_is_a_programming_error(bad):
    with pytest.raises(ValueError, match="cadence_days"):
        status_at(NOW, bad, NOW)


def test_require_aware_rejects_non_datetimes():
    with pytest.raises(TypeError):
        require_aware("2026-11-16")  # type: ignore[arg-type]


# --------------------------------------------------------------- properties

_ORDER = [Status.ON_TRACK, Status.DUE_SOON, Status.OVERDUE, Status.NEVER]
offsets = st.integers(min_value=0, max_value=400 * 86_400 * 10**6)  # microseconds


@given(a=offsets, b=offsets, days=st.integers(1, 400))
def test_a_later_touch_is_never_more_urgent(a, b, days):
    earlier = NOW - timedelta(microseconds=max(a, b))
    later = NOW - timedelta(microseconds=min(a, b))
    assert urgency(later, days, NOW) <= urgency(earlier, days, NOW)
    assert urgency(later, days, NOW) < urgency(None, days, NOW)
    assert _ORDER.index(status_at(later, days, NOW)) <= _ORDER.index(
        status_at(earlier, days, NOW)
    )
    assert days_overdue(later, days, NOW) <= days_overdue(earlier, days, NOW)


@given(a=offsets, days=st.integers(1, 400))
def test_status_agrees_with_urgency(a, days):
    touch = NOW - timedelta(microseconds=a)
    score, status = urgency(touch, days, NOW), status_at(touch, days, NOW)
    if status is Status.OVERDUE:
        assert score > 1.0
    elif status is Status.DUE_SOON:
        assert 0.75 <= score <= 1.0 + 1e-12
    else:
        assert score < 0.75 + 1e-12
    assert days_overdue(touch, days, NOW) >= 0
