"""Wording and date formatting shared by the focus-list exports.

Dates are shown in the list's own zone (the one its week was computed in)
with English month and day names, not the C locale's, so an export reads the
same on every machine and tests are deterministic.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, tzinfo

from planner.domain.cadence import Status
from planner.domain.focus import FocusItem, FocusList
from planner.domain.kinds import kind_label

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def local(moment: datetime, tz: tzinfo) -> datetime:
    return moment.astimezone(tz)


#: how far from today a day may be and still go without its year
_NEAR_DAYS = 183


def day_text(moment: datetime, tz: tzinfo, today: datetime | None = None) -> str:
    """``Thu 12 Nov`` in the list's zone; ``Thu 4 Dec 2025`` more than half a year from
    ``today`` (a last touch of a year ago read as three days ago)."""
    day = local(moment, tz)
    text = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    now = local(today or datetime.now(UTC), tz)
    if abs((day.date() - now.date()).days) > _NEAR_DAYS:
        text += f" {day.year}"
    return text


def week_range_text(focus: FocusList) -> str:
    """``16–22 Nov``, ``30 Nov – 6 Dec`` or ``28 Dec 2026 – 3 Jan 2027``."""
    first, last = focus.week_start.date(), focus.week_end.date()
    if first.year != last.year:
        return (
            f"{first.day} {MONTHS[first.month - 1]} {first.year} – "
            f"{last.day} {MONTHS[last.month - 1]} {last.year}"
        )
    if first.month != last.month:
        return f"{first.day} {MONTHS[first.month - 1]} – {last.day} {MONTHS[last.month - 1]}"
    return f"{first.day}–{last.day} {MONTHS[last.month - 1]}"


def title(focus: FocusList) -> str:
    """``Focus for week 47, 2026 (16–22 Nov)``."""
    return f"Focus for week {focus.week}, {focus.year} ({week_range_text(focus)})"


def kind_text(kind: str | None) -> str:
    """A touchpoint kind's label (``Coffee``, ``IM``); unknown kinds as stored."""
    return kind_label(kind)


def status_text(item: FocusItem, tz: tzinfo, today: datetime | None = None) -> str:
    """Status in words: ``overdue by 3 days``, ``due soon (Thu 19 Nov)``..."""
    if item.status is Status.NEVER:
        return "never contacted"
    if item.status is Status.OVERDUE:
        days = item.days_overdue
        if days == 0:
            return "overdue since " + day_text(item.next_due, tz, today)
        return f"overdue by {days} day{'s' if days != 1 else ''}"
    label = "due soon" if item.status is Status.DUE_SOON else "on track"
    return f"{label} (due {day_text(item.next_due, tz, today)})"


def last_touch_text(item: FocusItem, tz: tzinfo, today: datetime | None = None) -> str:
    """``last touch Thu 12 Nov (Coffee)`` or ``no touch yet``."""
    if item.last_touch is None:
        return "no touch yet"
    kind = kind_text(item.last_touch_kind)
    return (f"last touch {day_text(item.last_touch, tz, today)}"
            + (f" ({kind})" if kind else ""))


def iso_utc(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with an explicit ``+00:00`` offset; ``None`` stays ``None``."""
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def iso_local(moment: datetime | None, tz: tzinfo) -> str:
    """ISO 8601 local time to the second, with offset; empty for none."""
    return local(moment, tz).isoformat(timespec="seconds") if moment is not None else ""


_CHANNEL_LABELS = {
    "im": "IM", "sms": "SMS", "email": "email", "github": "GitHub", "linkedin": "LinkedIn",
    "whatsapp": "WhatsApp", "x": "X", "in-person": "in person",
}


def channel_label(channel: str) -> str:
    """``IM``, ``SMS``, ``email``, ``Slack``: a channel name as people write it."""
    key = channel.strip().lower()
    return _CHANNEL_LABELS.get(key, key[:1].upper() + key[1:])


def reach_text(item: FocusItem) -> str:
    """``IM: @ada``, or whichever half is known."""
    label = channel_label(item.channel)
    if label and item.address:
        return f"{label}: {item.address}"
    return label or item.address


def sentence(text: str) -> str:
    """Upper-case the first letter only (``str.capitalize`` lowers the rest)."""
    return text[:1].upper() + text[1:]


def urgency_number(item: FocusItem) -> float | None:
    """Urgency rounded for people; ``None`` for never contacted (infinite)."""
    return round(item.urgency, 3) if math.isfinite(item.urgency) else None
