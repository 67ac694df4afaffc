"""The day's agenda from the database (who is due, whose birthday comes, who is snoozed)
and the one notification it makes. No Qt: the tray, the notifier and ``planner agenda``
all read it from here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Protocol

from planner.domain.cadence import Status
from planner.domain.errors import InvalidInput
from planner.domain.focus import FocusCandidate, focus_item, local_zone, rank_key
from planner.domain.reminders import (
    BIRTHDAY_DAYS,
    DEFAULT_NOTIFY_AT,
    Agenda,
    AgendaBirthday,
    AgendaPerson,
    AgendaSnooze,
    NotificationText,
    local_midnight,
    next_notification,
    notification_due,
    notification_text,
    upcoming_birthday,
)
from planner.services.focus import focus_candidates

MAX_AGENDA_DAYS = 366


def build_agenda(candidates: list[FocusCandidate], moment: datetime, tz: tzinfo,
                 days: int = BIRTHDAY_DAYS, items: dict | None = None) -> Agenda:
    """The agenda from focus candidates (pure): due by the end of today, due later within
    ``days`` days (today included), birthdays in them, and the snoozed. ``items``: focus
    items already evaluated, by contact id (the window keeps them between changes)."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_AGENDA_DAYS:
        raise InvalidInput(f"--days must be a whole number from 1 to {MAX_AGENDA_DAYS}, "
                           f"not {days!r}")
    today = moment.astimezone(tz).date()
    end_today = local_midnight(today + timedelta(days=1), tz).astimezone(UTC)
    end_window = local_midnight(today + timedelta(days=days), tz).astimezone(UTC)
    due, coming, birthdays, snoozed = [], [], [], []
    for cand in candidates:
        if cand.ring is None:
            continue
        if cand.snoozed_until is not None and cand.snoozed_until > moment:
            snoozed.append(AgendaSnooze(cand.contact_id, cand.name,
                                        cand.snoozed_until.astimezone(UTC)))
            continue
        item = items.get(cand.contact_id) if items else None
        if item is None:
            item = focus_item(cand, moment, tz)
        if item.status is Status.NEVER or item.next_due < end_today:
            due.append(item)
        elif item.next_due < end_window:
            coming.append(item)
        upcoming = upcoming_birthday(cand.birthday, today, days)
        if upcoming:
            birthdays.append(AgendaBirthday(cand.contact_id, cand.name, upcoming.on,
                                            upcoming.in_days, upcoming.age))
    due.sort(key=rank_key)
    coming.sort(key=lambda i: (i.next_due, i.name.casefold(), i.contact_id))
    birthdays.sort(key=lambda b: (b.in_days, b.name.casefold(), b.contact_id))
    snoozed.sort(key=lambda s: (s.until, s.name.casefold(), s.contact_id))
    return Agenda(today, days, tuple(map(_person, due)), tuple(map(_person, coming)),
                  tuple(birthdays), tuple(snoozed))


def _person(item) -> AgendaPerson:
    return AgendaPerson(item.contact_id, item.name, item.ring.value, item.status.value,
                        item.next_due, item.days_overdue, item.action)


def agenda(*, as_of: datetime | None = None, days: int = BIRTHDAY_DAYS,
           tz: tzinfo | None = None) -> Agenda:
    moment = (as_of or datetime.now(UTC)).astimezone(UTC)
    return build_agenda(focus_candidates(moment), moment, tz or local_zone(), days)


def daily_notification(*, as_of: datetime | None = None,
                       tz: tzinfo | None = None) -> NotificationText | None:
    """Today's one notification (birthdays of the coming week included), or None."""
    return notification_text(agenda(as_of=as_of, tz=tz, days=BIRTHDAY_DAYS))


def agenda_dict(result: Agenda, tz: tzinfo) -> dict[str, Any]:
    """``planner agenda --json``: plain values; datetimes ISO 8601 UTC, days local."""
    def iso(moment: datetime | None) -> str | None:
        return moment.astimezone(UTC).isoformat() if moment else None

    def person(p: AgendaPerson) -> dict[str, Any]:
        return {"contact_id": p.contact_id, "name": p.name, "ring": p.ring,
                "status": p.status, "next_due": iso(p.next_due),
                "days_overdue": p.days_overdue, "action": p.action}

    text = notification_text(result)
    return {
        "today": result.today.isoformat(),
        "days": result.days,
        "timezone": getattr(tz, "key", None) or str(tz),
        "due": [person(p) for p in result.due],
        "coming": [person(p) for p in result.coming],
        "birthdays": [{"contact_id": b.contact_id, "name": b.name, "date": b.on.isoformat(),
                       "in_days": b.in_days, "age": b.age} for b in result.birthdays],
        "snoozed": [{"contact_id": s.contact_id, "name": s.name, "until": iso(s.until)}
                    for s in result.snoozed],
        "notification": text.sentence if text else None,
    }


class DayStore(Protocol):
    """Where the last notified local day is kept (QSettings in the window)."""

    def last_day(self) -> date | None: ...

    def set_last_day(self, day: date) -> None: ...


class MemoryDayStore:
    def __init__(self, day: date | None = None):
        self.day = day

    def last_day(self) -> date | None:
        return self.day

    def set_last_day(self, day: date) -> None:
        self.day = day


class DailySchedule:
    """Decides, on each tick, whether the day's notification goes out now.

    ``clock`` returns an aware now (a fake one in tests); ``claim`` says whether this
    process is the one that notifies (a lock held by one instance). A tick after the
    machine slept past the time sends one notification, and the day is recorded before
    anything is sent, so a crash while sending never repeats it.
    """

    def __init__(self, *, clock: Callable[[], datetime], store: DayStore,
                 at: time = DEFAULT_NOTIFY_AT, tz: tzinfo | None = None,
                 claim: Callable[[], bool] = lambda: True):
        self.clock, self.store, self.at = clock, store, at
        self.tz = tz or local_zone()
        self.claim = claim

    def due(self) -> bool:
        return notification_due(self.clock(), self.store.last_day(), self.at, self.tz)

    def tick(self) -> bool:
        """True (and today recorded) when the notification must be sent now."""
        if not self.due() or not self.claim():
            return False
        if not self.due():  # another instance sent it while we waited for the lock
            return False
        self.store.set_last_day(self.clock().astimezone(self.tz).date())
        return True

    def next_at(self) -> datetime:
        return next_notification(self.clock(), self.store.last_day(), self.at, self.tz)
