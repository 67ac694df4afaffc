"""Reading times as people type them; results are aware UTC, naive input is local time."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from planner.domain.errors import InvalidInput
from planner.domain.when import CLOCK_SLACK, as_utc, parse_when, require_past

BERLIN = ZoneInfo("Europe/Berlin")
# Wednesday 18 November 2026, 10:15:30 in Berlin (CET, UTC+1) = 09:15:30 UTC
NOW = datetime(2026, 11, 18, 10, 15, 30, tzinfo=BERLIN)


@pytest.fixture
def berlin(monkeypatch):
    """Run with the process's local zone set to Europe/Berlin, restored afterwards."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def assert_utc(moment: datetime) -> None:
    assert moment.tzinfo is not None
    assert moment.utcoffset() == timedelta(0)


# ----------------------------------------------------------------- relative


def test_now_and_empty_mean_now(berlin):
    for text in ("now", "NOW", " now ", "", None):
        result = parse_when(text, NOW)
        assert_utc(result)
        assert result == utc(2026, 11, 18, 9, 15, 30)


def test_now_without_a_reference_is_the_current_time():
    before = datetime.now(UTC)
    result = parse_when("now")
    after = datetime.now(UTC)
    assert_utc(result)
    assert before - timedelta(seconds=1) <= result <= after + timedelta(seconds=1)


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("3 days ago", timedelta(days=3)),
        ("1 day ago", timedelta(days=1)),
        ("2h ago", timedelta(hours=2)),
        ("2 hours ago", timedelta(hours=2)),
        ("45 min ago", timedelta(minutes=45)),
        ("90m ago", timedelta(minutes=90)),
        ("2 weeks ago", timedelta(weeks=2)),
        ("1w ago", timedelta(weeks=1)),
        ("3 Days Ago", timedelta(days=3)),
    ],
)
def test_ago(berlin, text, delta):
    result = parse_when(text, NOW)
    assert_utc(result)
    assert result == NOW.astimezone(UTC) - delta


def test_yesterday_with_a_clock_time_is_local(berlin):
    result = parse_when("yesterday 14:00", NOW)
    assert_utc(result)
    # 14:00 in Berlin on 17 November (CET) is 13:00 UTC
    assert result == utc(2026, 11, 17, 13, 0)


def test_today_tomorrow_and_am_pm(berlin):
    assert parse_when("today 9:05", NOW) == utc(2026, 11, 18, 8, 5)
    assert parse_when("tomorrow 2pm", NOW) == utc(2026, 11, 19, 13, 0)
    assert parse_when("yesterday 12am", NOW) == utc(2026, 11, 16, 23, 0)
    # a bare past day means noon that day
    assert parse_when("yesterday", NOW) == utc(2026, 11, 17, 11, 0)
    # "today" alone keeps the time of day
    assert parse_when("today", NOW) == utc(2026, 11, 18, 9, 15, 30)


def test_bare_clock_time_is_today_local(berlin):
    result = parse_when("9:30", NOW)
    assert_utc(result)
    assert result == utc(2026, 11, 18, 8, 30)
    assert parse_when("21:00", NOW) == utc(2026, 11, 18, 20, 0)
    assert parse_when("7pm", NOW) == utc(2026, 11, 18, 18, 0)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("monday", 16),
        ("Tuesday", 17),
        ("mon", 16),
        ("thu", 12),  # the most recent Thursday, in the past
        ("sunday", 15),
        ("last monday", 16),  # "last": the latest before today, the same on other days
        ("last sun", 15),
        ("last wednesday", 11),  # today is Wednesday: a week ago
    ],
)
def test_weekday_names_are_the_most_recent_past_one(berlin, text, day):
    result = parse_when(text, NOW)
    assert_utc(result)
    assert result == utc(2026, 11, day, 11, 0)  # noon in Berlin


def test_todays_weekday_name_is_today_as_today_is(berlin):
    """On a Wednesday "wednesday" is today (it was a week ago, noon)."""
    assert parse_when("wednesday", NOW) == parse_when("today", NOW) == NOW.replace(
        microsecond=0).astimezone(UTC)
    assert parse_when("Wed 9:00", NOW) == utc(2026, 11, 18, 8, 0)
    assert parse_when("wednesday 14:30", NOW) == utc(2026, 11, 18, 13, 30)  # (ahead)
    assert parse_when("last wed 9:00", NOW) == utc(2026, 11, 11, 8, 0)


@pytest.mark.parametrize("text", ["last", "last today", "last week", "last 9:00", "last mo"])
def test_last_is_only_for_a_weekday(berlin, text):
    with pytest.raises(InvalidInput, match="cannot read the time"):
        parse_when(text, NOW)


def test_weekday_with_a_time(berlin):
    assert parse_when("monday 14:30", NOW) == utc(2026, 11, 16, 13, 30)
    assert parse_when("fri 8am", NOW) == utc(2026, 11, 13, 7, 0)


# ----------------------------------------------------------------------- ISO


def test_iso_with_offset_is_converted_to_utc(berlin):
    result = parse_when("2026-11-16T09:30:00+05:30", NOW)
    assert_utc(result)
    assert result == utc(2026, 11, 16, 4, 0)
    assert parse_when("2026-11-16T09:30Z", NOW) == utc(2026, 11, 16, 9, 30)
    assert parse_when("2026-11-16T09:30:00+00:00", NOW) == utc(2026, 11, 16, 9, 30)


def test_iso_without_offset_is_local_time(berlin):
    winter = parse_when("2026-11-16T09:30", NOW)
    assert_utc(winter)
    assert winter == utc(2026, 11, 16, 8, 30)  # CET = UTC+1
    summer = parse_when("2026-07-01 09:30", NOW)
    assert summer == utc(2026, 7, 1, 7, 30)  # CEST = UTC+2


def test_iso_date_alone_is_noon_local(berlin):
    assert parse_when("2026-11-16", NOW) == utc(2026, 11, 16, 11, 0)


def test_local_time_really_follows_tz(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert parse_when("2026-11-16T09:30", NOW) == utc(2026, 11, 16, 14, 30)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_as_utc():
    aware = datetime(2026, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert as_utc(aware) == utc(2026, 1, 1, 17, 0)
    assert_utc(as_utc(aware))


def test_as_utc_reads_naive_as_local(berlin):
    assert as_utc(datetime(2026, 1, 1, 12, 0)) == utc(2026, 1, 1, 11, 0)


# ------------------------------------------------------------------ refusals


@pytest.mark.parametrize(
    "text",
    [
        "garbage",
        "yesterday at noonish",
        "3 parsecs ago",
        "25:00",
        "13pm",
        "2026-13-01",
        "2026-02-30T10:00",
        "monkey",
        "-3 days ago",
        "99999999999999 days ago",
        "yesterday 14:61",
    ],
)
def test_garbage_is_refused_with_a_hint(berlin, text):
    with pytest.raises(InvalidInput) as err:
        parse_when(text, NOW)
    message = str(err.value)
    assert repr(text) in message
    assert "\n" not in message


@pytest.mark.parametrize("text", ["1066-10-14", "2500-01-01T00:00Z", "200 weeks ago",
                                  # in range where typed, not once in UTC
                                  "1900-01-01T00:00+14:00", "2200-12-31T23:00-05:00"])
def test_out_of_range_years_are_refused(text):
    now = datetime(1903, 1, 1, tzinfo=UTC) if "weeks" in text else NOW
    with pytest.raises(InvalidInput, match="outside"):
        parse_when(text, now)


def test_a_touchpoint_is_in_the_past_give_or_take_a_fast_clock():
    """ "tomorrow" was logged, and the person's last touch lay ahead of today."""
    assert require_past(NOW, NOW) == NOW
    assert require_past(NOW + CLOCK_SLACK, NOW) == NOW + CLOCK_SLACK  # another clock, fast
    with pytest.raises(InvalidInput, match="in the future"):
        require_past(parse_when("tomorrow", NOW), NOW)
    with pytest.raises(InvalidInput, match="in the future"):
        require_past(NOW + CLOCK_SLACK + timedelta(seconds=1), NOW)


def test_todays_weekday_ahead_of_now_says_how_to_name_last_weeks(berlin):
    ahead = parse_when("wednesday 14:30", NOW)
    with pytest.raises(InvalidInput) as refused:
        require_past(ahead, NOW, said="Wednesday  14:30")
    assert str(refused.value).endswith(
        "; 'wednesday 14:30' is today, 'last wednesday 14:30' a week ago")
    with pytest.raises(InvalidInput) as other:
        require_past(parse_when("tomorrow", NOW), NOW, said="tomorrow")
    assert "last" not in str(other.value)


def test_a_wall_time_the_clocks_jump_over_is_refused(berlin):
    """2026-03-29T02:30 does not exist in Berlin (02:00 becomes 03:00); it was stored an
    hour earlier without a word. The hour after a change back is two times; it is read as
    the first (as the C library does), and the times around both changes read as typed."""
    with pytest.raises(InvalidInput, match="does not exist here: the clocks jump over it"):
        parse_when("2026-03-29T02:30", NOW)
    assert parse_when("2026-03-29T01:59", NOW) == utc(2026, 3, 29, 0, 59)
    assert parse_when("2026-03-29T03:00", NOW) == utc(2026, 3, 29, 1, 0)
    assert parse_when("2026-10-25T02:30", NOW) == utc(2026, 10, 25, 0, 30)


# ------------------------------------------------------- across a change of the clocks

# Tuesday 31 March 2026, 10:00 CEST: Berlin went to summer time on Sunday the 29th
AFTER_SPRING = datetime(2026, 3, 31, 10, 0, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 days ago", utc(2026, 3, 28, 9, 0)),  # Saturday 10:00 CET (it was 09:00)
        ("1 week ago", utc(2026, 3, 24, 9, 0)),
        ("2 days ago", utc(2026, 3, 29, 8, 0)),  # Sunday 10:00 CEST, after the change
        ("72h ago", utc(2026, 3, 28, 8, 0)),  # hours stay exact: 09:00 CET
        ("24 hours ago", utc(2026, 3, 30, 8, 0)),
    ],
)
def test_days_ago_keep_the_time_of_day_across_a_change_of_the_clocks(berlin, text, expected):
    assert parse_when(text, AFTER_SPRING) == expected


def test_days_ago_into_the_hour_the_clocks_skipped_is_exactly_so_long_ago(berlin):
    # Monday 30 March 02:30 CEST; "1 day ago" on the wall is 02:30 on the 29th, which
    # never happened: exactly 24 hours before, 01:30 CET
    now = datetime(2026, 3, 30, 2, 30, tzinfo=BERLIN)
    assert parse_when("1 day ago", now) == utc(2026, 3, 29, 0, 30)


def test_days_ago_after_the_autumn_change(berlin):
    # Tuesday 27 October 2026 10:00 CET; Saturday the 24th 10:00 was CEST
    now = datetime(2026, 10, 27, 10, 0, tzinfo=BERLIN)
    assert parse_when("3 days ago", now) == utc(2026, 10, 24, 8, 0)
