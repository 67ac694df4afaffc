"""Reading times as people type them: "now", "yesterday 14:00", "3 days ago", ISO 8601.

Naive input means local time; the result is always aware UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from planner.domain.errors import InvalidInput

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_UNITS = {
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "w": 604800,
    "week": 604800,
    "weeks": 604800,
}
_AGO = re.compile(r"^(\d+)\s*([a-z]+)\s+ago$")
_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")
MIN_YEAR, MAX_YEAR = 1900, 2200


def local_now() -> datetime:
    return datetime.now().astimezone()


def as_utc(moment: datetime) -> datetime:
    """Naive = local wall time (DST-aware through the C library); aware = converted."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(UTC)


def _clock(text: str) -> time:
    m = _CLOCK.match(text.strip())
    if not m:
        raise ValueError(text)
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if m.group(3):
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if m.group(3) == "pm" else 0)
    return time(hour, minute)


def _on_day(day: date, rest: str, now: datetime) -> datetime:
    if not rest:
        # a bare day means "that day, at this time of day" (or noon for a date in the past)
        clock = now.time().replace(microsecond=0) if day == now.date() else time(12, 0)
    else:
        clock = _clock(rest)
    return datetime.combine(day, clock)


def _weekday_number(word: str) -> int | None:
    """0 for "monday" or "mon" (three letters at least), … 6 for Sunday; else None."""
    days = [d for d in _WEEKDAYS if len(word) >= 3 and d.startswith(word)]
    return _WEEKDAYS.index(days[0]) if days else None


def _weekday(word: str, today: date, *, before_today: bool) -> date:
    """The latest day of that name: today itself when it is one ("monday" said on a
    Monday is today, as "today" is; a week ago it was a touchpoint's last week, and
    "now" on the way), else, ``before_today``, the one before."""
    number = _weekday_number(word)
    if number is None:
        raise ValueError(word)
    back = (today.weekday() - number) % 7
    return today - timedelta(days=back or (7 if before_today else 0))


def parse_when(text: str | None, now: datetime | None = None) -> datetime:
    """Parse a moment; raise InvalidInput with a hint when it cannot be read."""
    now_local = (now or local_now()).astimezone()
    raw = (text or "").strip()
    word = raw.lower()
    try:
        result = _parse(word, raw, now_local)
    except (ValueError, OverflowError):
        raise InvalidInput(
            f"cannot read the time {text!r}: try 'now', 'yesterday 14:00', '2 days ago' "
            "or 2026-11-16T09:30"
        ) from None
    if result.tzinfo is None and MIN_YEAR <= result.year <= MAX_YEAR and _skipped(result):
        raise InvalidInput(
            f"the time {text!r} does not exist here: the clocks jump over it that night "
            "(summer time begins); give a time before or after the change")
    utc = as_utc(result) if MIN_YEAR <= result.year <= MAX_YEAR else None
    if utc is None or not MIN_YEAR <= utc.year <= MAX_YEAR:  # (+14:00 moved 1900 into 1899)
        raise InvalidInput(f"the time {text!r} is outside {MIN_YEAR}–{MAX_YEAR}")
    return utc


def _skipped(wall: datetime) -> bool:
    """Whether the local wall time ``wall`` (naive) never happens: the clocks jump over it."""
    shown = wall.astimezone().replace(tzinfo=None)
    return shown != wall.replace(microsecond=shown.microsecond)


#: how far ahead of this computer's clock a touchpoint may be (another computer's clock,
#: on a team database, may run a little fast)
CLOCK_SLACK = timedelta(minutes=5)


def require_past(moment: datetime, now: datetime | None = None, said: str = "") -> datetime:
    """``moment``, unless it is in the future: a touchpoint is logged once it happened.
    "tomorrow" was taken, and the person's last touch then lay ahead of today (This week
    and the command line disagreeing about it). ``said``: the words it was read from."""
    if moment.tzinfo is None:  # (storage refuses a naive time, saying so)
        return moment
    if moment > (now or datetime.now(UTC)) + CLOCK_SLACK:
        raise InvalidInput("that time is in the future: log a touchpoint once it has "
                           "happened (a date ahead goes in a note, or snooze the person)"
                           + _last_week_hint(said))
    return moment


def _last_week_hint(said: str) -> str:
    """A weekday name is today when today has it: "monday 14:30" said at 10:00 on a
    Monday is still ahead, and last week's is "last monday 14:30"."""
    words = " ".join(said.lower().split())
    if _weekday_number(words.partition(" ")[0]) is None:
        return ""
    return f"; {words!r} is today, 'last {words}' a week ago"


def _parse(word: str, raw: str, now: datetime) -> datetime:
    if word in ("", "now"):
        return now
    m = _AGO.match(word)
    if m and m.group(2) in _UNITS:
        return _ago(int(m.group(1)), _UNITS[m.group(2)], now)
    head, _, rest = word.partition(" ")
    naive_now = now.replace(tzinfo=None)
    if head in ("today", "yesterday", "tomorrow"):
        offset = {"today": 0, "yesterday": -1, "tomorrow": 1}[head]
        return _on_day(naive_now.date() + timedelta(days=offset), rest, naive_now)
    if head == "last":  # "last monday": the one before today, a week ago on a Monday
        head, _, rest = rest.partition(" ")
        return _on_day(_weekday(head, naive_now.date(), before_today=True), rest, naive_now)
    if _weekday_number(head) is not None:
        return _on_day(_weekday(head, naive_now.date(), before_today=False), rest, naive_now)
    if re.fullmatch(r"\d{1,2}(:\d{2})?\s*(am|pm)?", word):
        return datetime.combine(naive_now.date(), _clock(word))
    parsed = datetime.fromisoformat(raw.replace("Z", "+00:00") if raw.endswith("Z") else raw)
    if len(raw) == 10 and parsed.tzinfo is None and parsed.time() == time(0, 0):
        return datetime.combine(parsed.date(), time(12, 0))
    return parsed


def _ago(count: int, unit: int, now: datetime) -> datetime:
    """Minutes and hours ago are exact; days and weeks are calendar days on the wall clock:
    "3 days ago" said at 10:00 is 10:00 that day, across a change of the clocks too (it
    was 09:00 after the spring one). A wall time the clocks jumped over is exactly so
    long ago instead."""
    exact = now - timedelta(seconds=count * unit)
    if unit < _UNITS["day"]:  # ("24h ago" is exactly 24 hours)
        return exact
    wall = now.replace(tzinfo=None) - timedelta(seconds=count * unit)
    if not MIN_YEAR <= wall.year <= MAX_YEAR or _skipped(wall):
        return exact
    return wall
