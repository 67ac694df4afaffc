"""The time zones a calendar file names, read as the zones they are (see ics_events.py).

A TZID is read, in this order: by the file's own VTIMEZONE of that name, when it has
rules (an offset and where it starts, for standard or daylight time); as an IANA name;
as a Windows zone id ("W. Europe Standard Time") or an Outlook display name
("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"), through CLDR's
Windows→IANA table (icalendar ships it); only a display name that is not known is read
as the fixed offset it shows, which has no daylight saving time. A VTIMEZONE without
rules defines nothing (python icalendar refuses the whole file over one) and is
dropped.

python icalendar keeps the first VTIMEZONE it reads of a name that is not IANA for the
life of the process, shared by every later file (its ``tzp`` cache, keyed by TZID): in
the window, a second file's "Custom Zone" with other rules was read in the first file's
zone. So such a definition gets a name of its own before icalendar sees it, the TZID
followed by a digest of its rules: the same rules share one name, other rules never do,
and nothing of icalendar is changed for its other readers. No Qt.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta, timezone, tzinfo
from functools import cache

from planner.importers.windows_zones import DISPLAY_NAMES

_LABEL = re.compile(
    r"^\s*(\()?\s*(?:UTC|GMT)\s*(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?\s*(\))?\s*(.*)$", re.I | re.S)
_TZID_PARAM = re.compile(r'(;TZID=)("[^"]*"|[^:;"]*)(?=[:;])', re.I)


@cache
def windows_ids() -> dict[str, str]:
    """CLDR's Windows id → IANA name table, as the installed icalendar ships it (imported
    on first use: icalendar is not loaded at start-up)."""
    try:
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
    except ImportError:  # not where icalendar 6 and 7 keep it: labels get fixed offsets
        return {}
    return dict(WINDOWS_TO_OLSON)


def _folded(text: str) -> str:
    return " ".join(text.casefold().replace("&", " and ").split())


@cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(folded Windows id → IANA name, folded display text → folded Windows id)."""
    by_id = {_folded(name): iana for name, iana in windows_ids().items()}
    return by_id, {_folded(text): _folded(wid) for text, wid in DISPLAY_NAMES.items()}


def iana_name(tzid: str) -> str | None:
    """The IANA zone a Windows id or an Outlook display name stands for, or None."""
    by_id, by_label = _tables()
    direct = by_id.get(_folded(tzid))
    if direct is not None:
        return direct
    found = _label(tzid)
    return by_id.get(by_label.get(_folded(found[1]), "")) if found else None


def label_offset(tzid: str) -> timedelta | None:
    """The offset a display name shows ("(UTC-05:00) …" is -5 h), or None."""
    found = _label(tzid)
    return found[0] if found else None


def _label(tzid: str) -> tuple[timedelta, str] | None:
    """(offset, the text after it) of "(UTC-05:00) Eastern Time", "(UTC) Coordinated
    Universal Time" or "GMT+0100 …"; None for anything else ("GMT Standard Time")."""
    found = _LABEL.match(tzid)
    if found is None or not (found.group(2) or (found.group(1) and found.group(5))):
        return None
    sign, hours, minutes = found.group(2), int(found.group(3) or 0), int(found.group(4) or 0)
    if hours > 14 or minutes > 59:
        return None
    offset = timedelta(hours=hours, minutes=minutes)
    return (-offset if sign == "-" else offset), found.group(6)


def impossible_label(tzid: str) -> bool:
    """A display name whose offset no zone has ("(UTC+99:99) Nowhere"): a broken time."""
    found = _LABEL.match(tzid)
    return found is not None and bool(found.group(2)) and _label(tzid) is None


def label_zone(tzid: str) -> tzinfo | None:
    """The fixed zone of an unknown display name's offset (the last resort), or None."""
    offset = label_offset(tzid)
    return None if offset is None else timezone(offset)


def unknown_zones(calendar) -> list[str]:
    """The TZIDs (as the file writes them, in the order met) that the events of
    ``calendar`` place their times in and that name no zone at all: no VTIMEZONE, IANA,
    Windows or Outlook name. icalendar leaves such a time floating: it is read in the
    user's zone, which may be hours off, so it is said."""
    from datetime import datetime

    found: list[str] = []
    for event in calendar.walk("VEVENT"):
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            prop = event.get(name)
            tzid = str((getattr(prop, "params", None) or {}).get("TZID", "") or "").strip()
            if not tzid or label_zone(tzid) is not None:
                continue
            try:
                value = prop.dt
            except Exception:  # unreadable: ics_faults has named it
                continue
            shown = " ".join(file_tzid(tzid).split())[:60]
            if isinstance(value, datetime) and value.tzinfo is None and shown not in found:
                found.append(shown)
    return found


def unknown_zone_note(tzid: str) -> str:
    return f"time zone '{tzid}' is not known: its times were read as local time"


def _etc_name(offset: timedelta) -> str | None:
    """``Etc/GMT+5`` for -5 h (the Etc/ signs are reversed); None for part hours."""
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    if rest:
        return None
    return "Etc/UTC" if hours == 0 else f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"


def name_zones(lines: list[str]) -> list[str]:
    """``lines`` (unfolded) with every TZID parameter that no usable VTIMEZONE defines
    renamed to the IANA zone it stands for, one that a VTIMEZONE defines under a name that
    is not IANA renamed to that definition's own name, and VTIMEZONEs without rules
    dropped."""
    lines, defined = _usable_zones(lines)

    def rename(found: re.Match) -> str:
        tzid = found.group(2).strip('"').strip()
        if tzid in defined:
            own = defined[tzid]
            return found.group(0) if own == tzid else f"{found.group(1)}{_quoted(own)}"
        name = iana_name(tzid)
        if name is None:
            offset = label_offset(tzid)
            name = _etc_name(offset) if offset is not None else None
        return found.group(0) if name is None else f"{found.group(1)}{name}"

    return [_TZID_PARAM.sub(rename, line) if "TZID=" in line.upper() else line
            for line in lines]


#: between a TZID and the digest of its rules in the name icalendar is given (own_name)
OWN_MARK = " ~rules "


def file_tzid(tzid: str) -> str:
    """The TZID as the file wrote it, of a name :func:`own_name` made."""
    return tzid.split(OWN_MARK, 1)[0]


@cache
def _iana_names() -> frozenset[str]:
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


def _is_iana(tzid: str) -> bool:
    """What icalendar's zoneinfo provider knows, and so reads without the file's rules."""
    names = _iana_names()
    return tzid in names or tzid.strip("/") in names


def own_name(tzid: str, block: list[str]) -> str:
    """The name a VTIMEZONE's definition is read under: an IANA name as it is (icalendar
    reads it from the zone database, never caches the file's rules); any other, the TZID
    and a digest of the whole definition, so no other file's rules are taken for it."""
    if _is_iana(tzid):
        return tzid
    rules = "\n".join(line for line in block if _name(line) != "TZID")
    digest = hashlib.sha256(rules.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{tzid}{OWN_MARK}{digest}"


def _quoted(tzid: str) -> str:
    return f'"{tzid}"' if any(c in tzid for c in ",:;") else tzid


def _name(line: str) -> str:
    """A content line's property name, upper case ("TZID" of "TZID;X-A=b:Europe/Paris")."""
    return line.split(":", 1)[0].split(";", 1)[0].strip().upper()


def _usable_zones(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """The lines without the VTIMEZONEs that define nothing (no TZID, as Exchange 2010
    wrote; no STANDARD or DAYLIGHT part; a part without its offset or start), the others
    under their own names (:func:`own_name`), and {TZID: own name} of what they define
    (the first definition of a TZID, as icalendar reads it)."""
    out: list[str] = []
    defined: dict[str, str] = {}
    block: list[str] | None = None
    for line in lines:
        upper = line.upper()
        if upper.startswith("BEGIN:VTIMEZONE"):
            block = [line]
            continue
        if block is None:
            out.append(line)
            continue
        block.append(line)
        if upper.startswith("END:VTIMEZONE"):
            tzid = _defines(block)
            if tzid:
                own = own_name(tzid, block)
                defined.setdefault(tzid, own)
                out += [f"TZID:{own}" if _name(b) == "TZID" else b for b in block]
            block = None
    return out + (block or []), defined


def _defines(block: list[str]) -> str:
    """The TZID a VTIMEZONE block defines with rules, or "" when it defines nothing."""
    tzid = next((b.split(":", 1)[1].strip() for b in block
                 if _name(b) == "TZID" and ":" in b), "")
    parts: list[set[str]] = []
    for line in block:
        upper = line.upper()
        if upper.startswith(("BEGIN:STANDARD", "BEGIN:DAYLIGHT")):
            parts.append(set())
        elif parts and ":" in line:
            parts[-1].add(upper.split(":", 1)[0].split(";", 1)[0])
    ruled = bool(parts) and all({"DTSTART", "TZOFFSETTO"} <= part for part in parts)
    return tzid if ruled else ""
