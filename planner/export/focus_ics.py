"""The focus list as iCalendar (RFC 5545): one task per person, or all-day events.

Tasks (VTODO, the default):

- ``UID`` ``focus-<week>-<contact id>@mentorship-planner``: stable, so
  re-importing the same week updates the tasks instead of duplicating them.
- ``DTSTAMP`` is the list's ``as_of`` moment (UTC), so the same list always
  renders to the same bytes.
- ``DUE`` is the person's next due moment in UTC. For overdue people that
  lies before the week starts: that is deliberate, it is when they really
  fell due, and task apps show it as overdue. Never-contacted people are due
  at ``as_of``. Writing UTC avoids VTIMEZONE blocks entirely. A person whose
  birthday comes first (the action is to wish them a happy birthday) is due
  that day (``DUE;VALUE=DATE``), at least at priority 5.
- ``SUMMARY`` "Reach out to <name>"; ``DESCRIPTION`` the action, status,
  last touch, where to reach them and the latest note; ``PRIORITY`` 1 for
  overdue / never contacted, 5 for due soon, 9 for on track.

``events=True`` writes all-day VEVENTs *instead* (for calendars that ignore
tasks), on the local due date clamped into the week, so overdue people land
on Monday rather than in a past week; a birthday wish lands on the birthday.
Their UIDs end in ``-day`` so they never collide with the tasks.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from planner import __version__
from planner.domain.cadence import Status
from planner.domain.focus import FocusItem, FocusList
from planner.export.focus_common import (
    last_touch_text,
    reach_text,
    sentence,
    status_text,
    title,
)

if TYPE_CHECKING:  # icalendar takes 55 ms to import: only when a calendar is written
    from icalendar import Event, Todo

PRODID = f"-//Mentorship Planner//Focus list {__version__}//EN"
UID_DOMAIN = "mentorship-planner"
_PRIORITY = {Status.OVERDUE: 1, Status.NEVER: 1, Status.DUE_SOON: 5, Status.ON_TRACK: 9}


def uid(item: FocusItem, focus_list: FocusList, suffix: str = "") -> str:
    return f"focus-{focus_list.label}-{item.contact_id}{suffix}@{UID_DOMAIN}"


def render(focus_list: FocusList, *, events: bool = False) -> str:
    """The calendar as text with CRLF line ends, as ``icalendar`` writes it."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", title(focus_list))
    for item in focus_list.items:
        cal.add_component(_event(item, focus_list) if events else _todo(item, focus_list))
    return cal.to_ical().decode("utf-8")


def description(item: FocusItem, focus_list: FocusList) -> str:
    """Plain-text body: icalendar escapes commas, semicolons and newlines itself."""
    tz = focus_list.tz
    lines = [
        item.action,
        f"Status: {status_text(item, tz, focus_list.as_of)} ({item.ring.label} ring, "
        f"every {item.cadence_days} days)",
        sentence(last_touch_text(item, tz, focus_list.as_of)),
    ]
    if reach_text(item):
        lines.append(f"Reach on {reach_text(item)}")
    if item.note:
        lines.append(f"Note: {item.note}")
    return "\n".join(lines)


def _common(component: Todo | Event, item: FocusItem, focus_list: FocusList) -> None:
    component.add("dtstamp", focus_list.as_of.astimezone(UTC))
    component.add("summary", f"Reach out to {item.name}")
    component.add("description", description(item, focus_list))
    component.add("categories", [item.ring.label])


def _todo(item: FocusItem, focus_list: FocusList) -> Todo:
    from icalendar import Todo

    todo = Todo()
    todo.add("uid", uid(item, focus_list))
    _common(todo, item, focus_list)
    todo.add("due", due(item, focus_list))
    todo.add("status", "NEEDS-ACTION")
    todo.add("priority", min(_PRIORITY[item.status], 5) if item.birthday
             else _PRIORITY[item.status])
    return todo


def due(item: FocusItem, focus_list: FocusList) -> datetime | date:
    """The next due moment (UTC); the birthday (a day) when it comes first: a wish for
    tomorrow's birthday was due when the cadence said, weeks later, at priority 9."""
    if item.birthday and item.birthday.on < item.next_due.astimezone(focus_list.tz).date():
        return item.birthday.on
    return item.next_due.astimezone(UTC)


def event_day(item: FocusItem, focus_list: FocusList) -> date:
    """The birthday for a birthday wish; else the local due date, moved into the week
    (overdue → Monday)."""
    if item.birthday:  # (the action is the wish: on Sunday it was after Tuesday's birthday)
        return item.birthday.on
    day = item.next_due.astimezone(focus_list.tz).date()
    return min(max(day, focus_list.week_start.date()), focus_list.week_end.date())


def _event(item: FocusItem, focus_list: FocusList) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", uid(item, focus_list, "-day"))
    _common(event, item, focus_list)
    day = event_day(item, focus_list)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # a reminder, not a meeting: keep the day free
    return event
