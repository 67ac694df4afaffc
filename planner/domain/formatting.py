"""Numbers, counts and relative days in words, the same in every view (plain Python;
the window's locale-aware dates and times are planner.ui.common.dates), and the whole
numbers people type."""

from __future__ import annotations

from datetime import date, datetime


def is_whole_number(text: str) -> bool:
    """``text`` is digits 0-9 and nothing else, as ``int`` reads them. ``str.isdigit``
    says yes to "²", "①" and "𝟘" too, which ``int`` refuses (a ValueError, found by the
    hostile-input test on ``planner win ²``)."""
    return text.isascii() and text.isdigit()


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 day``, ``3 days``, ``1,204 people`` (``words``: an irregular plural)."""
    many = words if words is not None else f"{word}s"
    return f"{count:,} {word if count == 1 else many}"


def overdue_text(days: int) -> str:
    """``overdue 1 day``, ``overdue 4 days``."""
    return f"overdue {plural(days, 'day')}"


def days_ago(day: date, today: date) -> str | None:
    """``today``, ``yesterday``, ``3 days ago`` within two weeks; None further back
    (or ahead): the caller shows the date."""
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if 1 < days < 14:
        return f"{days} days ago"
    return None


def when_field_text(moment: datetime) -> str:
    """A stored time as a time field shows it for editing (local, to the minute):
    ``2026-11-16 09:30`` — what planner.domain.when reads back."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
