"""Reminders without Qt: birthdays coming up, snoozes, the day's agenda, the one
notification a day (its text and when it is due).

All "days" are local calendar days in the user's zone; moments are aware datetimes.
The daily notification is decided by :func:`notification_due` from three facts only
(now, the last day one was sent, the chosen time), so a clock can be faked in tests and
sleeping past the time, midnight and daylight-saving changes need no special cases.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from planner.domain.contact import Birthday
from planner.domain.errors import InvalidInput

BIRTHDAY_DAYS = 7  # a birthday from today up to 6 days ahead puts them in the focus list
DEFAULT_NOTIFY_AT = time(9, 0)
MAX_NAMES = 5  # a notification names at most this many people, then "and N more"
MAX_SNOOZE_DAYS = 366
SNOOZE_CHOICES = (("A day", 1), ("3 days", 3), ("A week", 7))


# ------------------------------------------------------------------ birthdays

@dataclass(frozen=True)
class UpcomingBirthday:
    """A birthday on ``on`` (a local date), ``in_days`` from today; ``age`` they turn."""

    on: date
    in_days: int
    age: int | None


def birthday_on(birthday: Birthday, year: int) -> date:
    """The birthday's date in ``year``; 29 February is kept on the 28th in other years."""
    day = birthday.day
    if birthday.month == 2 and day == 29 and not calendar.isleap(year):
        day = 28
    return date(year, birthday.month, day)


def upcoming_birthday(birthday: Birthday | None, today: date,
                      days: int = BIRTHDAY_DAYS) -> UpcomingBirthday | None:
    """The birthday if it falls from ``today`` to ``days - 1`` days ahead, else None."""
    if birthday is None or days < 1:
        return None
    for year in (today.year, today.year + 1):
        if birthday.year is not None and year < birthday.year:
            continue
        on = birthday_on(birthday, year)
        delta = (on - today).days
        if 0 <= delta < days:
            age = year - birthday.year if birthday.year is not None else None
            return UpcomingBirthday(on, delta, age if age else None)
    return None


def when_phrase(in_days: int, on: date) -> str:
    """``today``, ``tomorrow``, ``on Friday`` (within a week), else ``on 12 Dec``."""
    if in_days == 0:
        return "today"
    if in_days == 1:
        return "tomorrow"
    if in_days < 7:
        return f"on {on.strftime('%A')}"
    return f"on {on.day} {on.strftime('%b')}"


def birthday_action(upcoming: UpcomingBirthday) -> str:
    """``Wish them a happy birthday (40 on Friday)``; without a year ``(on Friday)``."""
    when = when_phrase(upcoming.in_days, upcoming.on)
    detail = f"{upcoming.age} {when}" if upcoming.age else when
    return f"Wish them a happy birthday ({detail})"


def birthday_hint(upcoming: UpcomingBirthday) -> str:
    """``Birthday on Sunday — 40`` (the person panel, the hover card); without a year
    ``Birthday tomorrow``."""
    text = f"Birthday {when_phrase(upcoming.in_days, upcoming.on)}"
    return f"{text} — {upcoming.age}" if upcoming.age else text


# ------------------------------------------------------------------ snoozes

@dataclass(frozen=True)
class Snooze:
    """A person out of the user's focus list from ``at`` until ``until`` (kept as history;
    ``cleared_at``: when it was ended early)."""

    id: int
    contact_id: int
    at: datetime
    until: datetime
    cleared_at: datetime | None = None


_DURATION = re.compile(r"(\d{1,3})\s*(d|day|days|w|week|weeks)", re.IGNORECASE)


def local_midnight(day: date, tz: tzinfo) -> datetime:
    """The first instant of ``day`` in ``tz`` (a midnight skipped by DST is the next real one)."""
    return datetime.combine(day, time(), tzinfo=tz).astimezone(UTC).astimezone(tz)


def snooze_until(text: str, now: datetime, tz: tzinfo) -> datetime:
    """When a snooze typed as ``1d``, ``3d``, ``1w`` or a date ``YYYY-MM-DD`` ends (UTC):
    the local midnight that starts the day they come back."""
    s = (text or "").strip()
    today = now.astimezone(tz).date()
    match = _DURATION.fullmatch(s)
    if match:
        days = int(match.group(1)) * (7 if match.group(2).lower().startswith("w") else 1)
        back = today + timedelta(days=days)
    else:
        try:
            back = date.fromisoformat(s)
        except ValueError:
            raise InvalidInput(
                f"snooze {text!r}: use 1d, 3d, 1w (a number of days or weeks) or a date "
                "like 2026-12-24") from None
    days_ahead = (back - today).days
    if days_ahead < 1:
        raise InvalidInput(f"snooze until {back.isoformat()}: pick a day after today")
    if days_ahead > MAX_SNOOZE_DAYS:
        raise InvalidInput(f"snooze until {back.isoformat()}: at most a year ahead")
    return local_midnight(back, tz).astimezone(UTC)


def snooze_phrase(until: datetime, tz: tzinfo, today: date) -> str:
    """``snoozed until Sat 6 Dec`` (the day they come back; its year when not ``today``'s)."""
    return f"snoozed until {day_phrase(until.astimezone(tz).date(), today)}"


def day_phrase(day: date, today: date) -> str:
    """``Sat 6 Dec``; ``Sat 2 Jan 2027`` in another year than ``today``'s (a snooze until
    25 March said "Thu 25 Mar" when it was next year's, a year away)."""
    text = f"{day.strftime('%a')} {day.day} {day.strftime('%b')}"
    return text if day.year == today.year else f"{text} {day.year}"


# ------------------------------------------------------------------ the agenda

@dataclass(frozen=True)
class AgendaPerson:
    contact_id: int
    name: str
    ring: str | None
    status: str  # never, overdue, due-soon, on-track
    next_due: datetime | None
    days_overdue: int
    action: str = ""


@dataclass(frozen=True)
class AgendaBirthday:
    contact_id: int
    name: str
    on: date
    in_days: int
    age: int | None


@dataclass(frozen=True)
class AgendaSnooze:
    contact_id: int
    name: str
    until: datetime  # UTC, the local midnight they come back


@dataclass(frozen=True)
class Agenda:
    """What the day holds: ``due`` today (overdue and never contacted included),
    ``coming`` (due later within the window), ``birthdays``, and who is ``snoozed``."""

    today: date
    days: int
    due: tuple[AgendaPerson, ...]
    coming: tuple[AgendaPerson, ...]
    birthdays: tuple[AgendaBirthday, ...]
    snoozed: tuple[AgendaSnooze, ...]


# ------------------------------------------------------------ the notification

@dataclass(frozen=True)
class NotificationText:
    summary: str
    body: str

    @property
    def sentence(self) -> str:
        return f"{self.summary}: {self.body}" if self.body else self.summary


def _person_phrase(person: AgendaPerson) -> str:
    if person.status == "overdue" and person.days_overdue > 0:
        from planner.domain.formatting import overdue_text

        return f"{person.name} ({overdue_text(person.days_overdue)})"
    if person.status == "never":
        return f"{person.name} (never contacted)"
    return person.name


def _names(phrases: list[str]) -> str:
    if len(phrases) > MAX_NAMES:
        rest = len(phrases) - MAX_NAMES + 1
        phrases = [*phrases[: MAX_NAMES - 1], f"{rest} more"]
        return ", ".join(phrases[:-1]) + " and " + phrases[-1]
    return ", ".join(phrases)


def _birthdays_phrase(birthdays: tuple[AgendaBirthday, ...]) -> str:
    parts = [f"{b.name}'s birthday {when_phrase(b.in_days, b.on)}" for b in birthdays[:3]]
    if len(birthdays) > 3:
        parts.append(f"{len(birthdays) - 3} more")
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"it is {joined}"


def notification_text(agenda: Agenda) -> NotificationText | None:
    """One notification for the whole day, or None when there is nothing to say:
    ``3 people are due today: Ada (overdue 4 days), Grace, Linus — and it is Alan's
    birthday tomorrow``."""
    due, birthdays = agenda.due, agenda.birthdays
    if not due and not birthdays:
        return None
    if not due:
        text = _birthdays_phrase(birthdays)
        return NotificationText(text[:1].upper() + text[1:], "")
    summary = "1 person is due today" if len(due) == 1 else f"{len(due)} people are due today"
    body = _names([_person_phrase(p) for p in due])
    if birthdays:
        body += " — and " + _birthdays_phrase(birthdays)
    return NotificationText(summary, body)


# ------------------------------------------------------------- when to notify

def parse_notify_time(text: str) -> time:
    """``09:00``, ``9:30``, ``18:05`` → a local time of day."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", (text or "").strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise InvalidInput(f"notification time {text!r}: use HH:MM, e.g. 09:00")
    return time(int(match.group(1)), int(match.group(2)))


def notify_moment(day: date, at: time, tz: tzinfo) -> datetime:
    """When ``at`` happens on ``day`` in ``tz``, as UTC. A time skipped by a spring-forward
    change happens as much later as the clock jumped; a repeated one (autumn) the
    first time it comes."""
    # zoneinfo reads a wall time in the gap with the offset before it (fold=0), which
    # lands after the gap (02:30 → 03:30); fold=0 is also the first of two repeated times.
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def notification_due(now: datetime, last_day: date | None, at: time, tz: tzinfo) -> bool:
    """Whether to send today's notification now: not sent yet on today's local date, and
    today's time has come. A machine that slept past the time (or for days) sends one."""
    today = now.astimezone(tz).date()
    if last_day is not None and last_day >= today:
        return False
    return now.astimezone(UTC) >= notify_moment(today, at, tz)


def next_notification(now: datetime, last_day: date | None, at: time, tz: tzinfo) -> datetime:
    """The next moment a notification is due (UTC): now if it is already due."""
    if notification_due(now, last_day, at, tz):
        return now.astimezone(UTC)
    today = now.astimezone(tz).date()
    moment = notify_moment(today, at, tz)
    if (last_day is not None and last_day >= today) or moment <= now.astimezone(UTC):
        moment = notify_moment(today + timedelta(days=1), at, tz)
    return moment


def tray_tooltip(agenda: Agenda) -> str:
    """The tray icon's tooltip: ``3 due today (1 overdue) · Alan's birthday tomorrow``."""
    overdue = sum(1 for p in agenda.due if p.status == "overdue" and p.days_overdue > 0)
    parts = [f"{len(agenda.due)} due today" + (f" ({overdue} overdue)" if overdue else "")
             if agenda.due else "Nobody due today"]
    parts += [f"{b.name}'s birthday {when_phrase(b.in_days, b.on)}" for b in agenda.birthdays[:2]]
    if agenda.snoozed:
        parts.append(f"{len(agenda.snoozed)} snoozed")
    return " · ".join(parts)
