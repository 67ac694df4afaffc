"""Counts, overdue days, relative days and editable times in words (planner.domain.formatting)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from planner.domain.formatting import days_ago, overdue_text, plural, when_field_text
from planner.domain.when import parse_when


def test_plural_counts_with_thousands_separators():
    assert plural(1, "day") == "1 day"
    assert plural(0, "value") == "0 values"
    assert plural(1204, "person", "people") == "1,204 people"


def test_overdue_text():
    assert overdue_text(1) == "overdue 1 day"
    assert overdue_text(4) == "overdue 4 days"


def test_days_ago_within_two_weeks_else_none():
    today = date(2026, 12, 5)
    assert days_ago(today, today) == "today"
    assert days_ago(date(2026, 12, 4), today) == "yesterday"
    assert days_ago(date(2026, 11, 22), today) == "13 days ago"
    assert days_ago(date(2026, 11, 21), today) is None
    assert days_ago(date(2026, 12, 6), today) is None


def test_the_time_field_text_reads_back_to_the_same_minute():
    moment = datetime(2026, 11, 16, 9, 30, tzinfo=UTC)
    text = when_field_text(moment)
    assert len(text) == 16 and text[4] == "-" and text[13] == ":"
    assert parse_when(text) == moment
