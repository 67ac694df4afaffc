"""Windows time zones in calendar files (planner/importers/ics_zones.py): Outlook's
display names ("(UTC-05:00) Eastern Time (US & Canada)") and Windows ids ("W. Europe
Standard Time") are the IANA zones they name, summer time included — they were read as
fixed offsets, an hour wrong from spring to autumn. A VTIMEZONE of the file with rules
wins; one without rules is dropped (it refused the whole file); an unknown label is its
fixed offset. Every check reads a real calendar text and looks at the UTC instant."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from planner.importers.ics_events import read_ics
from planner.importers.ics_zones import iana_name, windows_ids
from planner.importers.windows_zones import DISPLAY_NAMES

SINCE, UNTIL = datetime(2024, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)


def calendar(tzid: str, vtimezone: str = "", days=("20250715", "20250115")) -> str:
    quoted = f'"{tzid}"' if any(c in tzid for c in ",:;") else tzid
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:{day}\r\nSUMMARY:Meeting {day}\r\n"
        f"DTSTART;TZID={quoted}:{day}T100000\r\nDTEND;TZID={quoted}:{day}T103000\r\n"
        "ATTENDEE;CN=Ada:mailto:ada@example.org\r\nEND:VEVENT\r\n" for day in days)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{vtimezone}{events}END:VCALENDAR\r\n"


def instants(text: str) -> dict[str, str]:
    """UID (the day) → the UTC time it was read at."""
    found = read_ics(text, SINCE, UNTIL, name="x.ics")
    assert found.skipped == [] and found.notes == []
    return {i.source_key.split(":")[1]: i.at.strftime("%H:%M") for i in found.items}


@pytest.mark.parametrize(("tzid", "july", "january"), [
    ("(UTC-05:00) Eastern Time (US & Canada)", "14:00", "15:00"),
    ("(UTC-05:00) Eastern Time (US and Canada)", "14:00", "15:00"),
    ("(GMT-05:00) Eastern Time (US & Canada)", "14:00", "15:00"),
    ("Eastern Standard Time", "14:00", "15:00"),
    ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "08:00", "09:00"),
    ("W. Europe Standard Time", "08:00", "09:00"),
    ("(UTC+00:00) Dublin, Edinburgh, Lisbon, London", "09:00", "10:00"),
    ("(GMT) Greenwich Mean Time : Dublin, Edinburgh, Lisbon, London", "09:00", "10:00"),
    ("GMT Standard Time", "09:00", "10:00"),
    ("(UTC+10:00) Canberra, Melbourne, Sydney", "00:00", "23:00"),  # summer is January
    ("(UTC-08:00) Pacific Time (US & Canada)", "17:00", "18:00"),
    ("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", "04:30", "04:30"),  # no DST
    ("(UTC-07:00) Arizona", "17:00", "17:00"),  # no DST either
    ("(UTC) Coordinated Universal Time", "10:00", "10:00"),
])
def test_a_windows_zone_is_the_iana_zone_it_names_in_summer_and_winter(tzid, july, january):
    assert instants(calendar(tzid)) == {"20250715": july, "20250115": january}


@pytest.mark.parametrize(("tzid", "july"), [
    ("(UTC-05:00) Somewhere Not Listed", "15:00"),  # no DST known: the offset shown
    ("(UTC+05:45) Somewhere Else", "04:15"),  # part hours too
])
def test_an_unknown_label_is_the_fixed_offset_it_shows(tzid, july):
    assert instants(calendar(tzid))["20250715"] == july


VTIMEZONE = ("BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n{parts}END:VTIMEZONE\r\n")
STANDARD_ONLY = ("BEGIN:STANDARD\r\nDTSTART:16010101T000000\r\nTZOFFSETFROM:+0100\r\n"
                 "TZOFFSETTO:+0100\r\nEND:STANDARD\r\n")
OUTLOOK_RULES = (
    "BEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\n")


def test_the_files_own_vtimezone_with_rules_wins():
    """Its rules are the writer's word, even where they differ from the name's zone
    (this one says the zone keeps +01:00 all year)."""
    tzid = "(UTC+01:00) Brussels, Copenhagen, Madrid, Paris"
    text = calendar(tzid, VTIMEZONE.format(tzid=tzid, parts=STANDARD_ONLY))
    assert instants(text) == {"20250715": "09:00", "20250115": "09:00"}


def test_outlooks_vtimezone_with_summer_time_rules_is_read():
    tzid = "(UTC+01:00) Belgrade, Bratislava, Budapest, Ljubljana, Prague"
    text = calendar(tzid, VTIMEZONE.format(tzid=tzid, parts=OUTLOOK_RULES))
    assert instants(text) == {"20250715": "08:00", "20250115": "09:00"}


@pytest.mark.parametrize("parts", [
    "",  # no STANDARD or DAYLIGHT at all: icalendar refused the file ("at least one …")
    "BEGIN:STANDARD\r\nDTSTART:16010101T000000\r\nEND:STANDARD\r\n",  # no offset
])
def test_a_vtimezone_without_rules_defines_nothing_and_the_name_is_read(parts):
    tzid = "(UTC+01:00) Sarajevo, Skopje, Warsaw, Zagreb"
    text = calendar(tzid, VTIMEZONE.format(tzid=tzid, parts=parts))
    assert instants(text) == {"20250715": "08:00", "20250115": "09:00"}


def test_every_display_name_leads_to_a_zone_of_the_installed_table():
    """The data module names Windows ids; each is one that CLDR's table knows."""
    assert windows_ids(), "icalendar ships CLDR's Windows → IANA table"
    unknown = {text: wid for text, wid in DISPLAY_NAMES.items() if wid not in windows_ids()}
    assert unknown == {}
    assert iana_name("(UTC-05:00) Eastern Time (US & Canada)") == "America/New_York"
    assert iana_name("eastern standard time") == "America/New_York"
    assert iana_name("Europe/Berlin") is None and iana_name("(UTC-05:00) Nowhere") is None


def _fixed(offset: str) -> str:
    return ("BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
            f"TZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\nEND:STANDARD\r\n")


@pytest.mark.parametrize("tzid", [
    "Leak Test Custom Zone",  # a name of the writer's own
    "(UTC+02:00) Leak Test Outlook Label",  # an Outlook label
    "Cape Verde Standard Time",  # a Windows id: the file's rules are still its word
])
def test_each_file_reads_its_own_definition_of_a_zone_name(tzid):
    """python icalendar keeps the first VTIMEZONE it read of a name that is not IANA for
    the life of the process: in the window, every later file with that TZID but other
    rules was read in the first file's zone (hours off, without a word)."""
    east = calendar(tzid, VTIMEZONE.format(tzid=tzid, parts=_fixed("+0500")))
    west = calendar(tzid, VTIMEZONE.format(tzid=tzid, parts=_fixed("-0300")))
    assert instants(east) == {"20250715": "05:00", "20250115": "05:00"}
    assert instants(west) == {"20250715": "13:00", "20250115": "13:00"}
    assert instants(east) == {"20250715": "05:00", "20250115": "05:00"}


def test_files_read_at_once_in_threads_keep_their_own_zones():
    """The window reads on a worker thread while another read may run: no shared state
    mixes two files' definitions of one name."""
    from concurrent.futures import ThreadPoolExecutor

    tzid = "Leak Test Threaded Zone"
    texts = {offset: calendar(tzid, VTIMEZONE.format(tzid=tzid, parts=_fixed(offset)))
             for offset in ("+0500", "-0300", "+0000")}
    expected = {"+0500": "05:00", "-0300": "13:00", "+0000": "10:00"}
    jobs = [offset for offset in texts for _ in range(6)]
    with ThreadPoolExecutor(max_workers=3) as pool:
        read = list(pool.map(lambda offset: instants(texts[offset])["20250715"], jobs))
    assert read == [expected[offset] for offset in jobs]


def test_a_vtimezone_whose_tzid_line_has_parameters_is_read():
    """RiCal writes ``TZID;X-RICAL-TZSOURCE=TZINFO:…``: it was taken for a VTIMEZONE
    without a TZID and dropped, and its events read as floating times."""
    tzid = "Leak Test Parameter Zone"
    text = calendar(tzid, VTIMEZONE.format(tzid=tzid, parts=_fixed("+0500")).replace(
        "TZID:", "TZID;X-RICAL-TZSOURCE=TZINFO:"))
    assert instants(text) == {"20250715": "05:00", "20250115": "05:00"}


def test_a_zone_left_out_is_named_as_the_file_writes_it():
    """The name icalendar is given (TZID and a digest of its rules) is never shown."""
    tzid = "(UTC+99:99) Leak Test Nowhere"
    text = calendar(tzid, VTIMEZONE.format(tzid=tzid, parts=_fixed("+0100")), days=("20250715",))
    (line,) = read_ics(text, SINCE, UNTIL, name="x.ics").skipped
    assert line.endswith("its time zone cannot be read ((UTC+99:99) Leak Test Nowhere)")
