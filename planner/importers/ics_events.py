"""Reading calendar files (.ics) into captured meetings (issue 24).

Every event with people (attendees, organiser) becomes one
:class:`~planner.domain.capture.Captured` item per occurrence in the window asked for:
recurrence is expanded with its exceptions (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides,
cancelled occurrences) by ``recurring-ical-events``; time zones from the file's
VTIMEZONEs, IANA and Windows names without one, and Outlook Web's "(UTC-05:00) …" labels
as the zones they name, daylight saving time included (ics_zones.py);
floating times are the user's local time. What the files of real calendar programs get
wrong is tolerated where the meaning is clear (LF line ends, TAB folds, blank lines, a
text that is not UTF-8); a file that cannot be read is one clear sentence, never a half
read. No Qt, no database.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from planner.domain.capture import Captured, fold_address
from planner.domain.errors import InvalidInput
from planner.importers.ics_faults import check_events, cut_unended, drop_series, which
from planner.importers.ics_zones import label_zone, name_zones, unknown_zone_note, unknown_zones
from planner.importers.stray_bytes import mostly_utf8, stray_bytes_note

MAX_OCCURRENCES = 200_000  # more than this in one window: refuse, rather than fill the inbox

_VIDEO_PROPERTIES = ("X-GOOGLE-CONFERENCE", "X-MICROSOFT-SKYPETEAMSMEETINGURL",
                     "X-MICROSOFT-ONLINEMEETINGCONFLINK", "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK",
                     "CONFERENCE")
_VIDEO_LINK = re.compile(
    r"zoom\.us/|meet\.google\.com/|teams\.microsoft\.com/|teams\.live\.com/|webex\.com/"
    r"|whereby\.com/|meet\.jit\.si/|jitsi|gotomeeting\.com/|bluejeans\.com/|chime\.aws/"
    r"|facetime\.apple\.com/|join\.skype\.com/|around\.co/|discord\.gg/", re.I)
_WORDS = (
    ("coffee", re.compile(r"\b(coffee|café|cafe|kaffee)\b", re.I)),
    ("meal", re.compile(r"\b(lunch|dinner|breakfast|brunch|supper)\b", re.I)),
    ("call", re.compile(r"\b(call|phone)\b", re.I)),
)
_NOT_PEOPLE = {"RESOURCE", "ROOM"}


@dataclass
class IcsRead:
    """What one calendar text gave: the items, and the events it had to leave out."""

    items: list[Captured] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one short reason per event left out
    notes: list[str] = field(default_factory=list)  # what was dropped of an event kept
    own: list[str] = field(default_factory=list)  # the calendar's owner, when it says so


def read_ics(data: bytes | str, since: datetime, until: datetime, *, name: str = "the file",
             zone: tzinfo | None = None, key_prefix: str = "ics") -> IcsRead:
    """The meetings of ``data`` (an iCalendar text) that start from ``since`` to ``until``.
    ``zone``: where floating times are (default: UTC). ``name`` names the file in the one
    sentence InvalidInput carries when it cannot be read as a calendar at all; a calendar
    whose every event was left out is read (``skipped`` says why), as an empty one is."""
    import icalendar

    text, decoded = _decode(data)
    if "BEGIN:VCALENDAR" not in text[:65536].upper():
        raise InvalidInput(f"{name} is not a calendar file: it has no BEGIN:VCALENDAR")
    if "END:VCALENDAR" not in text[-65536:].upper():  # never read half a file as all of it
        raise InvalidInput(f"{name} cannot be read as a calendar: it is cut short (it has no "
                           "END:VCALENDAR; maybe it is still being written)")
    text, unended, parts = cut_unended(text)  # a file cut short inside an event
    text = _tolerate(text, since, until)
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise InvalidInput(f"{name} cannot be read as a calendar: {_why(text, exc)}") from None
    out = IcsRead(skipped=unended, notes=decoded + parts)
    zone = zone or UTC
    for calendar in calendars:  # an event that cannot be read is left out, in ``skipped``
        _read_calendar(calendar, since, until, zone, key_prefix, out)
    out.items.sort(key=lambda item: (item.at, item.source_key))  # the library's is a set's
    return out


def _decode(data: bytes | str) -> tuple[str, list[str]]:
    """(the text, a note when bytes of it were replaced): UTF-8; UTF-8 but for a few stray
    bytes (stray_bytes.py: one such byte made every accented name Windows-1252 mojibake);
    else Windows-1252, as older programs wrote."""
    if isinstance(data, str):
        return data, []
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    repaired = mostly_utf8(data)
    if repaired is not None:
        return repaired[0], [stray_bytes_note(repaired[1], "check the names there")]
    return data.decode("cp1252", errors="replace"), []


def _tolerate(text: str, since: datetime | None = None, until: datetime | None = None) -> str:
    """What real files get wrong, where the meaning is clear: LF line ends, TAB folds and
    blank lines; spaces inside a repeat rule (``BYDAY=MO, TU``); Windows zone names and
    Outlook Web's labels ("(UTC-05:00) Eastern Time…") that no VTIMEZONE defines, read as
    the IANA zones they stand for (ics_zones.py)."""
    lines = [line for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
             if line.strip()]
    unfolded: list[str] = []
    for line in lines:
        if line[:1] in (" ", "\t") and unfolded:
            unfolded[-1] += line[1:]
        else:
            unfolded.append(line)
    out = []
    for line in unfolded:
        head = line[:7].upper()
        if head.startswith(("RRULE:", "EXRULE:")):
            line = "".join(line.split())
        if head.startswith(("DTSTART", "DTEND", "RECURRE", "EXDATE", "RDATE")):
            line = _TRAILING_T.sub(r"\1", line)  # "20131009T170000T" (DAVx5 test files)
        if "TZID=" in line.upper():
            line = _EMPTY_TZID.sub(r"\1", line)  # "DTSTART;TZID=:…": a floating time
        out.append(line)
    out = name_zones(out)
    if since is not None and until is not None:
        out = _within(out, since.date() - timedelta(days=2), until.date() + timedelta(days=2))
    return "\r\n".join(out) + "\r\n"


_RECURRENCE_LINES = ("RRULE", "RDATE", "EXRULE", "RECURRENCE-ID")
_DATE = re.compile(r":(\d{8})(?:T|$)")


def _within(lines: list[str], first: date, last: date) -> list[str]:
    """Leave out, before parsing, the events that cannot matter: a single (not recurring)
    event starting days away from the span read, or one that names nobody. Years of a
    calendar then cost what the month asked for does."""
    blocks: list[tuple[int, int]] = []
    recurring: set[str] = set()
    start, repeats = None, False
    for n, line in enumerate(lines):
        upper = line[:16].upper()
        if upper.startswith("BEGIN:VEVENT"):
            start, repeats = n, False
        elif upper.startswith("END:VEVENT") and start is not None:
            blocks.append((start, n))
            if repeats:
                recurring.add(_uid(lines[start:n]))
            start = None
        elif start is not None and upper.startswith(_RECURRENCE_LINES):
            repeats = True
    drop: set[int] = set()
    for begin, end in blocks:
        block = lines[begin:end + 1]
        if _uid(block) in recurring:
            continue
        people = any(line[:9].upper() in ("ATTENDEE;", "ATTENDEE:")
                     or line[:10].upper() in ("ORGANIZER;", "ORGANIZER:") for line in block)
        when = next((_DATE.search(line) for line in block
                     if line[:8].upper() in ("DTSTART;", "DTSTART:")), None)
        day = None
        if when is not None:
            try:
                day = datetime.strptime(when.group(1), "%Y%m%d").date()
            except ValueError:
                day = None
        if not people or (day is not None and not first <= day <= last):
            drop.update(range(begin, end + 1))
    return [line for n, line in enumerate(lines) if n not in drop] if drop else lines


def _uid(block: list[str]) -> str:
    for line in block:
        if line[:4].upper() == "UID:":
            return line[4:].strip()
    return ""


_TRAILING_T = re.compile(r"(\d{8}T\d{6})T$")
_EMPTY_TZID = re.compile(r';TZID=""?([:;])', re.I)
def _why(text: str, exc: Exception) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "=3D" in text:
        return ("it was mangled by a mail program's quoted-printable encoding ('=3D' for '='); "
                "save the invitation's attachment itself")
    if "TZID" in message:
        return "a time zone in it has no name (an empty TZID)"
    return message[:160]


def _read_calendar(calendar, since: datetime, until: datetime, zone: tzinfo,
                   key_prefix: str, out: IcsRead) -> None:
    cancel_all = str(calendar.get("METHOD", "")).upper() == "CANCEL"
    calname = str(calendar.get("X-WR-CALNAME", "")).strip()
    if "@" in calname and " " not in calname:
        out.own.append(calname)  # Google names an exported calendar by its owner's address
    _name_nameless_events(calendar)
    check_events(calendar, out.skipped, out.notes)
    for tzid in unknown_zones(calendar):  # once per file, not per event
        if unknown_zone_note(tzid) not in out.notes:
            out.notes.append(unknown_zone_note(tzid))
    _drop_rapid_series(calendar, out)
    _count_from_start(calendar)
    recurring = _recurring_uids(calendar)
    singles = [c for c in calendar.subcomponents
               if c.name == "VEVENT" and str(c.get("UID", "")) not in recurring]
    for event in singles:  # nothing to expand: read as they are (the library is slow)
        item = _item(event, zone, key_prefix, recurring, cancel_all)
        if item is not None and since <= item.at <= until:
            out.items.append(item)
    calendar.subcomponents = [c for c in calendar.subcomponents if not (
        c.name == "VEVENT" and str(c.get("UID", "")) not in recurring)]
    occurrences = _occurrences(calendar, since - timedelta(days=1), until + timedelta(days=1),
                               out)
    if len(occurrences) > MAX_OCCURRENCES:
        raise InvalidInput(f"it holds more than {MAX_OCCURRENCES:,} events in that time; "
                           "choose a shorter span with --since/--until")
    for event in occurrences:
        item = _item(event, zone, key_prefix, recurring, cancel_all)
        if item is not None and since <= item.at <= until:
            out.items.append(item)


def _occurrences(calendar, since: datetime, until: datetime, out: IcsRead) -> list:
    """Every occurrence of the calendar's series, one series at a time: one the library
    cannot expand is left out and named, never the calendar with it nor silently."""
    import recurring_ical_events

    events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    others = [c for c in calendar.subcomponents if c.name != "VEVENT"]  # the time zones
    series: dict[str, list] = {}
    for event in events:
        series.setdefault(str(event.get("UID", "")), []).append(event)
    occurrences: list = []
    try:
        for group in series.values():
            calendar.subcomponents = others + group
            try:
                occurrences += recurring_ical_events.of(calendar).between(since, until)
            except Exception as exc:  # the library's own errors for what it cannot expand
                master = next((e for e in group if "RECURRENCE-ID" not in e), group[0])
                why = " ".join(str(exc).split())[:120] or type(exc).__name__
                out.skipped.append(f"{which(master)} was not read: its repeats cannot be "
                                   f"worked out ({why})")
            if len(occurrences) > MAX_OCCURRENCES:
                break
    finally:
        calendar.subcomponents = others + events
    return occurrences


def _start(event):
    return _start_of(event.get("DTSTART"))


def _name_nameless_events(calendar) -> None:
    """An event without a UID gets one made of what it says (title, start, repeat rule):
    stable across re-reads, and its own series when the calendar holds several."""
    for event in calendar.walk("VEVENT"):
        if str(event.get("UID", "")).strip():
            continue
        raw = event.get("DTSTART")
        basis = "|".join(str(x) for x in (event.get("SUMMARY", ""), _raw_value(raw),
                                           _raw_value(event.get("RRULE"))))
        event["UID"] = "nouid-" + hashlib.sha1(basis.encode("utf-8", "replace")).hexdigest()[:16]


def _raw_value(prop) -> str:
    if prop is None:
        return ""
    try:
        return prop.to_ical().decode("utf-8", "replace")
    except Exception:
        return str(prop)


#: Repeats more often than daily are no meetings with people, and expanding one costs a
#: step per repeat from its first day: FREQ=SECONDLY from 1900 ran past 40 s and 430 MB,
#: FREQ=MINUTELY made 43,200 proposals for one person in 30 days.
_RAPID = ("SECONDLY", "MINUTELY", "HOURLY")


def _drop_rapid_series(calendar, out: IcsRead) -> None:
    """Take out every event (and its overrides) whose rule repeats more often than daily,
    saying so once per series."""
    rapid = set()
    for event in calendar.walk("VEVENT"):
        rule = event.get("RRULE")
        rules = rule if isinstance(rule, list) else [rule] if rule is not None else []
        for one in rules:
            readable = isinstance(one, dict)  # a broken rule raises on .get (ics_faults)
            freq = [str(f).upper() for f in (one.get("FREQ") or [])] if readable else []
            if any(f in _RAPID for f in freq):
                rapid.add(str(event.get("UID", "")))
                out.skipped.append(f"an event repeating {freq[0].lower()} was not read "
                                   f"(“{str(event.get('SUMMARY', ''))[:40]}”): only events "
                                   "repeating daily or less often are meetings")
    if rapid:
        drop_series(calendar, rapid)


def _count_from_start(calendar) -> None:
    """RFC 5545 (3.3.10): with COUNT, "the DTSTART property value always counts as the
    first occurrence". A start that is not one of the rule's own days (a Tuesday for
    ``FREQ=WEEKLY;BYDAY=MO;COUNT=2``) is still an occurrence, and the library then added
    COUNT of the rule's on top of it: one meeting too many. Such a rule counts one less
    (none left: the start alone)."""
    for event in calendar.walk("VEVENT"):
        rule = event.get("RRULE")
        start = _start(event)
        if rule is None or start is None or "RECURRENCE-ID" in event:
            continue
        rules = rule if isinstance(rule, list) else [rule]
        kept = []
        for one in rules:
            count = _count(one)
            if count is not None and not _starts_rule(one, start):
                if count <= 1:
                    continue  # the start is the one occurrence it counts
                one["COUNT"] = [count - 1]
            kept.append(one)
        if len(kept) == len(rules):
            continue
        del event["RRULE"]
        if kept:
            event["RRULE"] = kept if len(kept) > 1 else kept[0]


def _count(rule) -> int | None:
    try:
        return int(rule["COUNT"][0]) if isinstance(rule, dict) and rule.get("COUNT") else None
    except (TypeError, ValueError, IndexError):
        return None


def _starts_rule(rule, start) -> bool:
    """Whether ``start`` is the first occurrence ``rule`` makes from it (else, or when
    that cannot be worked out, the rule is left as it is)."""
    from dateutil.rrule import rrulestr  # type: ignore[import-untyped]  # (no stubs here)

    moment = start if isinstance(start, datetime) else datetime.combine(start, time())
    parts = {k: v for k, v in rule.items() if k.upper() not in ("UNTIL", "COUNT")}
    try:
        text = type(rule)(parts).to_ical().decode()
        first = next(iter(rrulestr(f"{text};COUNT=1", dtstart=moment)), None)
    except Exception:  # the expansion that follows names what it cannot read
        return True
    return first == moment


def _recurring_uids(calendar) -> set[str]:
    uids = set()
    for event in calendar.walk("VEVENT"):
        if any(event.get(name) is not None for name in ("RRULE", "RDATE", "RECURRENCE-ID")):
            uids.add(str(event.get("UID", "")))
    return uids


def _item(event, zone: tzinfo, key_prefix: str, recurring: set[str],
          cancel_all: bool) -> Captured | None:
    start_prop = event.get("DTSTART")
    start = _start(event)
    if start is None:
        return None
    all_day = not isinstance(start, datetime)
    at = _instant(start, start_prop, zone)
    minutes = None
    if not all_day:
        end_prop = event.get("DTEND")
        end = _start_of(end_prop)
        if isinstance(end, datetime):
            minutes = _minutes(_instant(end, end_prop, zone) - at)
        elif event.get("DURATION") is not None:
            minutes = _minutes(_start_of(event["DURATION"]))
    addresses = tuple(_people(event))
    status = str(event.get("STATUS", "")).upper()
    return Captured(
        source_key=_key(event, start, start_prop, zone, key_prefix, recurring),
        kind=guess_kind(event), at=at, minutes=minutes,
        title=" ".join(str(event.get("SUMMARY", "")).split())[:300],
        addresses=addresses, cancelled=cancel_all or status == "CANCELLED")


def _start_of(prop):
    """A date-time property's value, or None when absent or broken (icalendar keeps a
    value it could not parse and raises on ``.dt``)."""
    try:
        return prop.dt if prop is not None else None
    except Exception:  # icalendar.error.BrokenCalendarProperty and its kin
        return None


def _minutes(delta: timedelta) -> int | None:
    if not isinstance(delta, timedelta) or delta.total_seconds() <= 0:
        return None
    return min(int(delta.total_seconds() // 60), 24 * 60)


def _instant(value, prop, zone: tzinfo) -> datetime:
    """An aware UTC moment: floating times in ``zone`` (or the offset an Outlook label of
    no known zone shows, "(UTC+05:45) Somewhere"); an all-day date at its local noon."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(12, 0))
    if value.tzinfo is None:
        params = getattr(prop, "params", None) or {}
        value = value.replace(tzinfo=label_zone(str(params.get("TZID", "") or "")) or zone)
    return value.astimezone(UTC)


def _key(event, start, start_prop, zone: tzinfo, prefix: str, recurring: set[str]) -> str:
    """Stable across re-reads: the UID, plus the occurrence's original start (its
    RECURRENCE-ID) for a recurring event — a moved occurrence keeps its key."""
    uid = str(event.get("UID", "")).strip()
    if uid not in recurring:
        return f"{prefix}:{uid}"
    rid_prop = event.get("RECURRENCE-ID")
    rid = _start_of(rid_prop) if rid_prop is not None else start
    if isinstance(rid, datetime):
        moment = _instant(rid, rid_prop if rid_prop is not None else start_prop, zone)
        return f"{prefix}:{uid}:{moment.strftime('%Y%m%dT%H%M%SZ')}"
    if isinstance(rid, date):
        return f"{prefix}:{uid}:{rid.strftime('%Y%m%d')}"
    return f"{prefix}:{uid}"


def _people(event) -> Iterable[tuple[str, str]]:
    """(address, name) of the organiser and the attendees who are people and did not
    decline (a room or a projector is not a person)."""
    seen = set()
    for name in ("ORGANIZER", "ATTENDEE"):
        values = event.get(name)
        if values is None:
            continue
        for value in values if isinstance(values, list) else [values]:
            params = getattr(value, "params", {}) or {}
            if str(params.get("CUTYPE", "")).upper() in _NOT_PEOPLE:
                continue
            if str(params.get("PARTSTAT", "")).upper() == "DECLINED":
                continue
            address = str(params.get("EMAIL", "") or value).strip()
            if address[:7].lower() == "mailto:":
                address = address[7:]
            address = "".join(address.split())  # a fold inside the address
            folded = fold_address(address)
            if "@" not in folded or folded in seen:
                continue
            seen.add(folded)
            yield address, " ".join(str(params.get("CN", "")).split()).strip('"')


def guess_kind(event) -> str:
    """video (a meeting link), coffee, meal or call (a word in the title or the place),
    else meeting."""
    location = str(event.get("LOCATION", ""))
    title = str(event.get("SUMMARY", ""))
    if any(event.get(name) is not None for name in _VIDEO_PROPERTIES):
        return "video"
    links = " ".join(str(event.get(name, "")) for name in ("LOCATION", "DESCRIPTION", "URL"))
    if _VIDEO_LINK.search(links):
        return "video"
    for kind, pattern in _WORDS:
        if pattern.search(title) or pattern.search(location):
            return kind
    return "meeting"
