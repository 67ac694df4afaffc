"""Reminders without Qt: birthdays, snooze lengths, the day's notification text and
when it is due (a fake clock: midnight, DST changes, sleeping past the time)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.domain.contact import Birthday
from planner.domain.errors import InvalidInput
from planner.domain.focus import FocusCandidate, build_focus_list
from planner.domain.reminders import (
    Agenda,
    AgendaBirthday,
    AgendaPerson,
    birthday_action,
    next_notification,
    notification_due,
    notification_text,
    notify_moment,
    parse_notify_time,
    snooze_phrase,
    snooze_until,
    upcoming_birthday,
)
from planner.domain.rings import Ring
from planner.services.reminders import build_agenda

BERLIN = ZoneInfo("Europe/Berlin")
NINE = time(9, 0)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


# ------------------------------------------------------------------ birthdays

def test_a_birthday_in_the_next_7_days_with_and_without_a_year():
    today = date(2026, 12, 4)  # a Friday
    assert upcoming_birthday(Birthday(12, 5, 1986), today).age == 40
    soon = upcoming_birthday(Birthday.parse("--12-10"), today)
    assert (soon.on, soon.in_days, soon.age) == (date(2026, 12, 10), 6, None)
    assert upcoming_birthday(Birthday(12, 11), today) is None  # 7 days ahead: next week
    assert upcoming_birthday(Birthday(12, 3), today) is None  # yesterday
    assert upcoming_birthday(Birthday(12, 4, 1990), today).in_days == 0


def test_birthdays_across_new_year_and_on_29_february():
    assert upcoming_birthday(Birthday(1, 2, 2000), date(2026, 12, 30)).age == 27
    leap = upcoming_birthday(Birthday(2, 29, 2004), date(2027, 2, 25))
    assert (leap.on, leap.age) == (date(2027, 2, 28), 23)  # kept on the 28th
    assert upcoming_birthday(Birthday(12, 6, 2030), date(2026, 12, 4)) is None  # unborn


def test_the_birthday_action_says_the_age_when_the_year_is_known():
    today = date(2026, 12, 4)
    assert birthday_action(upcoming_birthday(Birthday(12, 5, 1986), today)) == \
        "Wish them a happy birthday (40 tomorrow)"
    assert birthday_action(upcoming_birthday(Birthday(12, 9), today)) == \
        "Wish them a happy birthday (on Wednesday)"
    assert birthday_action(upcoming_birthday(Birthday(12, 4), today)) == \
        "Wish them a happy birthday (today)"


def test_a_birthday_brings_someone_not_due_into_the_focus_list():
    now = local(2026, 12, 4, 12).astimezone(UTC)
    fresh = now - timedelta(days=1)
    people = [
        FocusCandidate(1, "Alan", Ring.OUTER, 42, fresh, "coffee", birthday=Birthday(12, 5, 1986)),
        FocusCandidate(2, "Joan", Ring.OUTER, 42, fresh, "coffee"),
        FocusCandidate(3, "Kurt", Ring.OUTER, 42, fresh, "coffee", birthday=Birthday(12, 20)),
    ]
    result = build_focus_list(people, as_of=now, tz=BERLIN)
    assert [(i.name, i.action) for i in result.items] == [
        ("Alan", "Wish them a happy birthday (40 tomorrow)")]


def test_a_snoozed_person_leaves_the_focus_list_until_then():
    now = local(2026, 12, 4, 12).astimezone(UTC)
    back = local(2026, 12, 7).astimezone(UTC)
    ada = FocusCandidate(1, "Ada", Ring.INNER, 3, snoozed_until=back)
    assert build_focus_list([ada], as_of=now, tz=BERLIN).items == ()
    later = build_focus_list([ada], as_of=back, tz=BERLIN)
    assert [i.name for i in later.items] == ["Ada"]


# ------------------------------------------------------------------ snooze lengths

@pytest.mark.parametrize("text, back", [
    ("1d", date(2026, 12, 5)), ("3d", date(2026, 12, 7)), ("1w", date(2026, 12, 11)),
    ("2 weeks", date(2026, 12, 18)), ("2026-12-24", date(2026, 12, 24)),
])
def test_a_snooze_ends_at_the_local_midnight_of_the_day_they_come_back(text, back):
    until = snooze_until(text, local(2026, 12, 4, 23, 30), BERLIN)
    assert until.tzinfo is UTC
    assert until.astimezone(BERLIN) == local(back.year, back.month, back.day)


@pytest.mark.parametrize("text, needle", [
    ("soon", "use 1d, 3d, 1w"), ("0d", "a day after today"), ("2026-12-04", "after today"),
    ("2028-01-01", "at most a year"), ("", "use 1d"),
])
def test_bad_snooze_lengths_are_one_clear_message(text, needle):
    with pytest.raises(InvalidInput, match=needle):
        snooze_until(text, local(2026, 12, 4, 12), BERLIN)


def test_a_snooze_across_dst_and_month_ends_comes_back_at_local_midnight():
    """A week from the Wednesday before Berlin's spring change is Wednesday 00:00 CEST
    (167 hours later, not 168); 31 January + 1 week is 7 February; a date of the
    autumn change's day is its midnight in summer time."""
    spring = snooze_until("1w", local(2026, 3, 25, 10), BERLIN)
    assert spring == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)
    assert snooze_until("1w", local(2027, 1, 31, 10), BERLIN) == local(2027, 2, 7)
    assert snooze_until("2026-10-25", local(2026, 10, 24, 10), BERLIN) == datetime(
        2026, 10, 24, 22, 0, tzinfo=UTC)


def test_a_snooze_says_its_year_when_it_ends_in_another_year():
    until = snooze_until("2027-03-25", local(2026, 3, 25, 10), BERLIN)
    assert snooze_phrase(until, BERLIN, date(2026, 3, 25)) == "snoozed until Thu 25 Mar 2027"
    soon = snooze_until("3d", local(2026, 12, 30, 10), BERLIN)
    assert snooze_phrase(soon, BERLIN, date(2026, 12, 30)) == "snoozed until Sat 2 Jan 2027"
    week = snooze_until("1w", local(2026, 12, 4, 10), BERLIN)
    assert snooze_phrase(week, BERLIN, date(2026, 12, 4)) == "snoozed until Fri 11 Dec"


# ------------------------------------------------------------------ the text

def person(name: str, status: str = "overdue", days: int = 0) -> AgendaPerson:
    return AgendaPerson(len(name), name, "inner", status, None, days)


def agenda(due=(), birthdays=()) -> Agenda:
    return Agenda(date(2026, 12, 4), 7, tuple(due), (), tuple(birthdays), ())


def test_one_notification_names_everyone_due_and_the_coming_birthday():
    alan = AgendaBirthday(9, "Alan", date(2026, 12, 5), 1, 40)
    text = notification_text(agenda(
        [person("Ada", days=4), person("Grace", "due-soon"), person("Linus", "due-soon")],
        [alan]))
    assert text.sentence == ("3 people are due today: Ada (overdue 4 days), Grace, Linus — "
                             "and it is Alan's birthday tomorrow")
    assert text.summary == "3 people are due today"


def test_the_text_for_one_person_many_people_and_only_birthdays():
    assert notification_text(agenda([person("Ada", days=1)])).sentence == \
        "1 person is due today: Ada (overdue 1 day)"
    many = notification_text(agenda([person(f"P{i}", "never") for i in range(8)]))
    assert many.body.endswith("P3 (never contacted) and 4 more")
    only = notification_text(agenda([], [AgendaBirthday(1, "Alan", date(2026, 12, 4), 0, None)]))
    assert only.sentence == "It is Alan's birthday today"
    assert notification_text(agenda()) is None


def test_the_agenda_from_candidates():
    now = local(2026, 12, 4, 12).astimezone(UTC)
    people = [
        FocusCandidate(1, "Ada", Ring.INNER, 3, now - timedelta(days=7), "im"),
        FocusCandidate(2, "Grace", Ring.MIDDLE, 14, now - timedelta(days=16), "im"),
        FocusCandidate(3, "Linus", Ring.MIDDLE, 14, now - timedelta(days=12), "im"),
        FocusCandidate(4, "Alan", Ring.OUTER, 42, now, "im", birthday=Birthday(12, 5, 1986)),
        FocusCandidate(5, "Snoozy", Ring.INNER, 3, snoozed_until=now + timedelta(days=1)),
        FocusCandidate(6, "Unplaced", None, 42, birthday=Birthday(12, 5)),
    ]
    result = build_agenda(people, now, BERLIN)
    assert [(p.name, p.days_overdue) for p in result.due] == [("Ada", 4), ("Grace", 2)]
    assert [p.name for p in result.coming] == ["Linus"]
    assert [(b.name, b.age) for b in result.birthdays] == [("Alan", 40)]
    assert [s.name for s in result.snoozed] == ["Snoozy"]
    assert notification_text(result).sentence == (
        "2 people are due today: Ada (overdue 4 days), Grace (overdue 2 days) — "
        "and it is Alan's birthday tomorrow")
    with pytest.raises(InvalidInput, match="--days"):
        build_agenda(people, now, BERLIN, days=0)


# ------------------------------------------------------------------ the fake clock

def test_not_before_the_time_then_once_that_day():
    assert not notification_due(local(2026, 12, 4, 8, 59), None, NINE, BERLIN)
    assert notification_due(local(2026, 12, 4, 9, 0), None, NINE, BERLIN)
    assert not notification_due(local(2026, 12, 4, 9, 1), date(2026, 12, 4), NINE, BERLIN)
    assert not notification_due(local(2026, 12, 4, 23, 59), date(2026, 12, 4), NINE, BERLIN)


def test_across_midnight_the_new_day_waits_for_its_time():
    sent = date(2026, 12, 4)
    assert not notification_due(local(2026, 12, 5, 0, 1), sent, NINE, BERLIN)
    assert next_notification(local(2026, 12, 4, 22), sent, NINE, BERLIN) == \
        local(2026, 12, 5, 9).astimezone(UTC)
    assert notification_due(local(2026, 12, 5, 9, 0), sent, NINE, BERLIN)
    late = time(23, 30)  # a late time: the day is the local day, never the UTC day
    assert notification_due(local(2026, 12, 5, 23, 45), sent, late, BERLIN)
    assert not notification_due(local(2026, 12, 6, 0, 15), date(2026, 12, 5), late, BERLIN)


def test_sleeping_past_the_time_notifies_once_on_wake_not_once_per_missed_day():
    sent = date(2026, 12, 1)
    wake = local(2026, 12, 4, 14, 0)  # asleep three days
    assert notification_due(wake, sent, NINE, BERLIN)
    fired = [moment for moment in (wake + timedelta(minutes=m) for m in range(0, 600, 1))
             if notification_due(moment, sent if moment == wake else date(2026, 12, 4),
                                 NINE, BERLIN)]
    assert fired == [wake]


def test_dst_changes_keep_the_local_time():
    # spring forward in Berlin: 29 Mar 2026, 02:00 → 03:00; autumn back: 25 Oct 2026
    assert notify_moment(date(2026, 3, 29), NINE, BERLIN) == datetime(2026, 3, 29, 7, tzinfo=UTC)
    assert notify_moment(date(2026, 3, 28), NINE, BERLIN) == datetime(2026, 3, 28, 8, tzinfo=UTC)
    assert notify_moment(date(2026, 10, 25), NINE, BERLIN) == \
        datetime(2026, 10, 25, 8, tzinfo=UTC)
    gap = notify_moment(date(2026, 3, 29), time(2, 30), BERLIN)  # a time that does not exist
    assert gap.astimezone(BERLIN).hour == 3
    twice = notify_moment(date(2026, 10, 25), time(2, 30), BERLIN)  # it happens twice
    assert twice == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first time
    # the day before a change, the next notification is 23 (or 25) hours away
    spring = next_notification(local(2026, 3, 28, 9, 30), date(2026, 3, 28), NINE, BERLIN)
    assert spring - local(2026, 3, 28, 9).astimezone(UTC) == timedelta(hours=23)
    autumn = next_notification(local(2026, 10, 24, 9, 30), date(2026, 10, 24), NINE, BERLIN)
    assert autumn - local(2026, 10, 24, 9).astimezone(UTC) == timedelta(hours=25)


def test_notification_time_is_read_as_typed():
    assert parse_notify_time("9:05") == time(9, 5)
    for bad in ("25:00", "nine", "9", "09:60"):
        with pytest.raises(InvalidInput, match="HH:MM"):
            parse_notify_time(bad)


class FakeClock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_the_schedule_ticks_once_a_day_through_a_week_of_minutes():
    from planner.services.reminders import DailySchedule, MemoryDayStore

    clock = FakeClock(local(2026, 3, 26, 0, 0))  # through the spring DST change
    schedule = DailySchedule(clock=clock, store=MemoryDayStore(), at=NINE, tz=BERLIN)
    sent = []
    while clock.now < local(2026, 4, 2):
        if schedule.tick():
            sent.append(clock.now.astimezone(BERLIN))
        clock.now += timedelta(minutes=7)
    assert [(s.day, s.hour) for s in sent] == [(d, 9) for d in (26, 27, 28, 29, 30, 31)] + [(1, 9)]


def test_only_the_instance_holding_the_claim_notifies_and_the_day_is_shared():
    from planner.services.reminders import DailySchedule, MemoryDayStore

    clock, store = FakeClock(local(2026, 12, 4, 9, 30)), MemoryDayStore()
    holder = {"who": "first"}
    first = DailySchedule(clock=clock, store=store, tz=BERLIN,
                          claim=lambda: holder["who"] == "first")
    second = DailySchedule(clock=clock, store=store, tz=BERLIN,
                           claim=lambda: holder["who"] == "second")
    assert [second.tick(), first.tick(), first.tick()] == [False, True, False]
    holder["who"] = "second"  # the first quit: the second takes over, but not the same day
    assert second.tick() is False
    clock.now += timedelta(days=1)
    assert [first.tick(), second.tick()] == [False, True]
    assert store.last_day() == date(2026, 12, 5)
    assert second.next_at() == local(2026, 12, 6, 9).astimezone(UTC)
