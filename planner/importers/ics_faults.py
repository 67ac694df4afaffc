"""What one unreadable property of a calendar event costs (see ics_events.py).

icalendar keeps a value it cannot parse (``RRULE:FREQ=FOO``, ``DURATION:PTxyz``, an empty
``EXDATE``) as text and raises on any use of it, so one such value ended the read of the
whole calendar, or lost its series without a word. Here every event is made safe before
anything reads it: what cannot be placed in time is left out and named in one line, what
can be done without is dropped and named in one note, and the event is kept. A component
that never ends (a file cut short inside an event) is cut out of the text the same way,
before icalendar reads it: it read no calendar at all. No Qt.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from planner.importers.ics_zones import file_tzid, impossible_label

#: Unreadable, these leave the event (and its series) out: when it happens is not known.
_LEFT_OUT = {
    "DTSTART": "its start is not a valid date-time",
    "RRULE": "its repeat rule cannot be read",
    "EXRULE": "a rule of dates it leaves out cannot be read",
    "EXDATE": "a date it leaves out cannot be read",
    "RECURRENCE-ID": "the original date of a moved occurrence cannot be read",
}
#: Unreadable, these are dropped with a note: the meeting is still where it was.
_IGNORED = {
    "DTEND": "its length cannot be read ({raw}); it is read without one",
    "DURATION": "its length cannot be read ({raw}); it is read without one",
    "RDATE": "a date it adds cannot be read ({raw}) and was ignored",
}
#: Empty, these are nothing to read (Google writes ``EXDATE;VALUE=DATE:``).
_EMPTY = {"EXDATE": "an empty date it leaves out was ignored",
          "RDATE": "an empty date it adds was ignored"}
#: Unreadable, these are dropped without a word: nothing the user sees depends on them.
_UNSEEN = ("SEQUENCE",)


def check_events(calendar, skipped: list[str], notes: list[str]) -> None:
    """Leave out of ``calendar`` the series of every event that cannot be placed in time,
    one line each in ``skipped``; drop the unreadable values that can be done without, one
    line each in ``notes``."""
    left_out: set[str] = set()
    for event in calendar.walk("VEVENT"):
        reason = _check(event, notes)
        if reason is None:
            continue
        uid = str(event.get("UID", ""))
        if "RECURRENCE-ID" in event and uid not in left_out:
            reason += "; its series was left out"
        skipped.append(f"{which(event)} was not read: {reason}")
        left_out.add(uid)
    if left_out:
        drop_series(calendar, left_out)


def which(event) -> str:
    """The event as a person finds it in the calendar: “title” (UID …, its day)."""
    title = " ".join(str(event.get("SUMMARY", "")).split())[:60]
    uid = str(event.get("UID", "")).strip()
    bits = [f"UID {uid[:60]}"] if uid and not uid.startswith("nouid-") else []
    day = _day(event)
    if day is not None:
        bits.append(day.isoformat())
    name = f"“{title}”" if title else "an event without a title"
    return f"{name} ({', '.join(bits)})" if bits else name


def _check(event, notes: list[str]) -> str | None:
    """Why ``event`` cannot be read, or None once what it can do without is dropped."""
    for name in ("DTSTART", "RECURRENCE-ID"):
        tzid = file_tzid(str((getattr(event.get(name), "params", None) or {}).get("TZID", "")
                             or ""))
        if impossible_label(tzid):  # "(UTC+99:99) …": when it happens is not known
            return f"its time zone cannot be read ({' '.join(tzid.split())[:40]})"
    for name in list(event.keys()):
        values = event[name] if isinstance(event[name], list) else [event[name]]
        bad = [value for value in values if _unreadable(name, value)]
        if not bad:
            continue
        raw = " ".join(str(bad[0]).split())[:40]
        if name in _EMPTY and all(not str(value).strip() for value in bad):
            notes.append(f"{which(event)}: {_EMPTY[name]}")
        elif name in _LEFT_OUT:
            return f"{_LEFT_OUT[name]} ({raw})"
        elif name in _IGNORED:
            notes.append(f"{which(event)}: {_IGNORED[name].format(raw=raw)}")
        elif name not in _UNSEEN:
            continue  # text (title, place, people) is read as the text it is
        kept = [value for value in values if not any(value is b for b in bad)]
        if kept:
            event[name] = kept if len(kept) > 1 else kept[0]
        else:
            del event[name]
    return None


def _unreadable(name: str, value) -> bool:
    """icalendar's broken value (``vBroken``), or a time that raises on ``.dt``."""
    from icalendar.prop import vBroken

    if isinstance(value, vBroken):
        return True
    if name in ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID"):
        try:
            value.dt  # noqa: B018 - raises for what icalendar could not parse
        except Exception:  # icalendar.error.BrokenCalendarProperty and its kin
            return True
    return False


def _day(event) -> date | None:
    try:
        value = event.get("DTSTART").dt
    except Exception:  # absent, or unreadable itself
        return None
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def drop_series(component, uids: set[str]) -> None:
    """Take every event of these UIDs (a series and its overrides) out of ``component``."""
    component.subcomponents = [
        c for c in component.subcomponents
        if not (c.name == "VEVENT" and str(c.get("UID", "")) in uids)]
    for child in component.subcomponents:
        drop_series(child, uids)


_BREAK = re.compile(r"\r\n|\r|\n")
#: the parts of a calendar, which never hold one another: one begins, the last has ended
_TOP = {"VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE", "VAVAILABILITY"}


def cut_unended(text: str) -> tuple[str, list[str], list[str]]:
    """``text`` without the components that never end (a BEGIN:VEVENT with no END:VEVENT
    before the next event or the END:VCALENDAR): (the text, a line per event left out, a
    line per other part left out). icalendar nested everything after such a line in it
    and then found the calendar unfinished: it read none, without a word."""
    lines = _BREAK.split(text)
    stack: list[tuple[str, int]] = []  # (component, its BEGIN line's index)
    cuts: list[tuple[int, int, str, str]] = []  # (first, stop, component, what ended it)
    for n, line in enumerate(lines):
        if line[:1] not in "BbEe":  # (empty too) most lines: no BEGIN or END
            continue
        head = line.rstrip().upper()
        if head.startswith("BEGIN:"):
            name = head[6:].strip()
            tops = [i for i, (open_, _) in enumerate(stack) if open_ in _TOP]
            if name in _TOP and tops:  # a part begins inside another: that one never ended
                cuts.append((stack[tops[-1]][1], n, stack[tops[-1]][0], name))
                del stack[tops[-1]:]
            stack.append((name, n))
        elif head.startswith("END:"):
            name = head[4:].strip()
            ends = [i for i, (open_, _) in enumerate(stack) if open_ == name]
            if ends:  # what it holds that is still open never ended
                if ends[-1] + 1 < len(stack):
                    inner = stack[ends[-1] + 1]
                    cuts.append((inner[1], n, inner[0], name))
                del stack[ends[-1]:]
    unended = [(name, first) for name, first in stack if name != "VCALENDAR"]
    if unended:  # the end of the text inside a part
        cuts.append((unended[0][1], len(lines), unended[0][0], ""))
    if not cuts:
        return text, [], []
    skipped: list[str] = []
    notes: list[str] = []
    gone: set[int] = set()
    for first, stop, name, by in sorted(cuts):
        if first not in gone:
            said = _unended(name, first + 1, _summary(lines[first:stop]), by)
            (skipped if name == "VEVENT" else notes).append(said)
        gone.update(range(first, stop))
    return "\r\n".join(line for n, line in enumerate(lines) if n not in gone), skipped, notes


def _unended(name: str, line: int, title: str, by: str) -> str:
    where = f"line {line}, “{title}”" if title else f"line {line}"
    if name != "VEVENT":
        return f"a {name} ({where}) has no END:{name}: it was left out"
    if by in ("VCALENDAR", ""):
        return (f"the calendar ends inside an event ({where}): the file is cut short there; "
                "the events before it were read")
    return f"an event ({where}) has no END:VEVENT: it was not read; the events after it were"


def _summary(block: list[str]) -> str:
    """The title of a component's lines, unfolded, or ""."""
    for n, line in enumerate(block):
        if line.split(":", 1)[0].split(";", 1)[0].strip().upper() == "SUMMARY" and ":" in line:
            text = line.split(":", 1)[1]
            for more in block[n + 1:]:
                if more[:1] not in (" ", "\t"):
                    break
                text += more[1:]
            return " ".join(text.split())[:60]
    return ""
