"""Dates and times as the window shows them: one place, through QLocale (the user's month
and day names and their 12- or 24-hour clock). Times are stored in UTC and shown local."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QLocale, QTime

_SHORT = QLocale.FormatType.ShortFormat


def _local(moment: datetime) -> datetime:
    return moment.astimezone()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def time_text(moment: datetime, *, seconds: bool = False) -> str:
    """"14:05" (or "2:05 PM" where the clock has 12 hours); ``seconds``: "14:05:09"."""
    local = _local(moment)
    locale = QLocale()
    pattern = locale.timeFormat(_SHORT)
    if seconds and "ss" not in pattern:
        pattern = pattern.replace("mm", "mm:ss", 1)
    return locale.toString(QTime(local.hour, local.minute, local.second), pattern)


# The day of the month without a leading nought everywhere ("Fri 4 Dec", as the day
# headings and This week say it; the person's details said "Fri 04 Dec 2026").
def date_text(moment: datetime | date, *, weekday: bool = False, long: bool = False) -> str:
    """"4 Dec 2026"; ``weekday``: "Fri 4 Dec 2026"; ``long``: "Friday 4 December 2026"."""
    day = _local(moment).date() if isinstance(moment, datetime) else moment
    pattern = "dddd d MMMM yyyy" if long else ("ddd d MMM yyyy" if weekday else "d MMM yyyy")
    return QLocale().toString(_qdate(day), pattern)


def day_month_text(moment: datetime | None) -> str:
    """"4 Dec" (a short list where the year goes without saying)."""
    if moment is None:
        return ""
    return QLocale().toString(_qdate(_local(moment).date()), "d MMM")


def date_time_text(moment: datetime | None, *, long: bool = False, never: str = "never") -> str:
    """"Fri 4 Dec 2026, 14:05" (``long``: the day and month written out)."""
    if moment is None:
        return never
    return f"{date_text(moment, weekday=True, long=long)}, {time_text(moment)}"


def day_text(day: date, today: date | None = None) -> str:
    """A day heading: "Fri 4 Dec", with the year when it is not this year's."""
    today = today or datetime.now().astimezone().date()
    pattern = "ddd d MMM" if day.year == today.year else "ddd d MMM yyyy"
    return QLocale().toString(_qdate(day), pattern)
