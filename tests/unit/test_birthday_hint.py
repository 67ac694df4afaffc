"""The birthday line of the person panel and the hover card (issue 21)."""

from __future__ import annotations

from datetime import date

from planner.domain.contact import Birthday
from planner.domain.reminders import birthday_hint, upcoming_birthday


def test_the_birthday_hint_says_the_day_and_the_age_when_the_year_is_known():
    today = date(2026, 12, 4)  # a Friday
    assert birthday_hint(upcoming_birthday(Birthday(12, 6, 1986), today)) == \
        "Birthday on Sunday — 40"
    assert birthday_hint(upcoming_birthday(Birthday(12, 5), today)) == "Birthday tomorrow"
    assert birthday_hint(upcoming_birthday(Birthday(12, 4, 2000), today)) == \
        "Birthday today — 26"
    assert upcoming_birthday(Birthday(12, 11, 1986), today) is None  # 7 days: not yet
