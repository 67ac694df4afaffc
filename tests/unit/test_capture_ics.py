"""Reading calendar files (planner/importers/ics_events.py) over the real files of
../shared/fixtures/ics: every file gives correct items or one clear sentence; recurrence
with its exceptions; cancellations; kinds; time zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from planner.domain.errors import InvalidInput
from planner.importers.ics_events import read_ics

ICS = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "ics"
SINCE, UNTIL = datetime(1990, 1, 1, tzinfo=UTC), datetime(2026, 12, 4, 12, tzinfo=UTC)


def read(name: str, since=SINCE, until=UNTIL):
    return read_ics((ICS / name).read_bytes(), since, until, name=name)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


#: file → number of items it gives over SINCE..UNTIL (None: refused with one sentence)
EXPECTED = {
    "apple-macos-attendee-statuses.ics": 3,  # the fourth names nobody
    "apple-osx-allday.ics": 0,  # nobody in it
    "blackberry-request-qp-mangled.ics": None,
    "cyrus-duplicated-rrule.ics": 20,
    "evolution-allday-recurrence-id.ics": 326,
    "evolution-cancel.ics": 1,
    "evolution-freeassociation-tzid.ics": 0,
    "evolution-request-detached-instances.ics": 2,
    "exchange-cdo-request-bad-byday.ics": 14,
    "exchange-owa-undefined-tzids.ics": 90,
    "exchange2010-allday-moved-recurrence.ics": 51,
    "exchange2010-blank-tzid.ics": 1,
    "exchange2010-meeting-request.ics": 1,
    "google-allday-empty-exdate-malformed.ics": 20,
    "google-apple-structured-location.ics": 2635,
    "google-contacts-birthdays.ics": 4,  # 2014's own series, without its RDATE "20131210Z"
    "google-recurring-moved-occurrences.ics": 6,
    "korganizer-3.2-blank-lines.ics": 6,  # "Full Info" twice (COUNT=2), not three times
    "latin1-invalid-dtstart.ics": 0,
    "lotus-notes-request-recurrence-id.ics": 1,
    "nextcloud-calendar-app-allday-alarms.ics": 2,
    "nextcloud-sabredav-exdates.ics": 6,
    "outlook2007-tab-folds-attendees.ics": 1,
    "owncloud-vtodo-utf8.ics": 0,
    "thunderbird-cancelled-occurrence.ics": 3,
    "thunderbird-rdate-vtimezone-alarms.ics": 0,
    "thunderbird-recurrence-overrides.ics": 7,
    "utf8-cjk-email-param.ics": 1,
}


def test_every_shared_fixture_is_listed():
    assert ICS.is_dir(), ICS  # /work/shared/fixtures/ics beside the repository
    assert {p.name for p in ICS.glob("*.ics")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_file_gives_items_or_one_clear_sentence(name):
    expected = EXPECTED[name]
    if expected is None:
        with pytest.raises(InvalidInput) as refused:
            read(name)
        message = str(refused.value)
        assert message.startswith(f"{name} cannot be read as a calendar: ")
        assert "\n" not in message and "Traceback" not in message
        return
    items = read(name).items
    assert len(items) == expected
    keys = [i.source_key for i in items]
    assert len(set(keys)) == len(keys), "every occurrence has its own key"
    assert all(i.at.tzinfo is not None and SINCE <= i.at <= UNTIL for i in items)
    assert read(name).items == items, "the same file reads the same way twice"


def test_a_cancelled_occurrence_is_cancelled_and_the_others_are_not():
    items = read("thunderbird-cancelled-occurrence.ics").items
    assert [(i.at, i.cancelled, i.minutes) for i in sorted(items, key=lambda i: i.at)] == [
        (at("2020-01-28T21:00"), False, 60),  # 22:00 in Berlin
        (at("2020-01-29T21:00"), True, 60),
        (at("2020-01-30T21:00"), False, 60),
    ]


def test_exdates_in_utc_exclude_occurrences_across_the_dst_change():
    items = sorted(read("nextcloud-sabredav-exdates.ics").items, key=lambda i: i.at)
    # weekly at 00:30 Berlin from 4 March 2019, 8 times, but not 11 and 25 March
    assert [i.at for i in items] == [
        at("2019-03-03T23:30"), at("2019-03-17T23:30"), at("2019-03-31T22:30"),
        at("2019-04-07T22:30"), at("2019-04-14T22:30"), at("2019-04-21T22:30")]


def test_a_moved_occurrence_keeps_the_key_of_the_day_it_replaces():
    items = read("google-recurring-moved-occurrences.ics").items
    timed = sorted((i for i in items if i.minutes), key=lambda i: i.at)
    assert [i.at for i in timed] == [at("2023-08-08T04:00"), at("2023-08-14T04:00"),
                                     at("2023-08-22T04:00")]  # 14:00 Sydney; one moved
    assert timed[1].source_key.endswith(":20230815T040000Z")  # its RECURRENCE-ID


def test_overrides_change_time_and_title():
    items = read("thunderbird-recurrence-overrides.ics").items
    edited = [i for i in items if i.title == "test7 - edited"]
    assert len(edited) == 1 and edited[0].at == at("2019-03-19T03:00")


def test_method_cancel_cancels_the_meeting():
    (item,) = read("evolution-cancel.ics").items
    assert item.cancelled and item.source_key == "ics:invite"
    assert item.addresses == (("organizer@no.where", "Organizer"), ("user@no.where", "User"))


def test_an_invitation_with_a_windows_zone_and_folded_names():
    (item,) = read("exchange2010-meeting-request.ics").items
    assert item.at == at("2014-05-19T07:00")  # 09:00 Romance Standard Time (summer)
    assert (item.minutes, item.title, item.kind) == (30, "Segunda cita", "meeting")
    assert [a for a, _ in item.addresses] == ["pablo.marmol@zpush.org", "user1@zpush.org",
                                              "user2@zpush.org"]
    assert item.addresses[1][1] == "Name1 Surname2"


def test_a_meeting_room_is_nobody_and_tab_folds_are_unfolded():
    (item,) = read("outlook2007-tab-folds-attendees.ics").items
    addresses = [a for a, _ in item.addresses]
    assert "4th.floor.meeting.room@somewhere.com" not in addresses
    assert "some.attendee@event.com" in addresses and item.minutes is None  # all day


def test_the_email_parameter_wins_and_a_trailing_t_is_tolerated():
    (item,) = read("utf8-cjk-email-param.ics").items
    assert item.addresses == (("cyrus@example.com", "Cyrus Daboo"),)
    assert item.title == "© äö — üß" and item.at == at("2013-10-09T17:00")


def test_latin1_text_is_read_as_latin1():
    text = (ICS / "latin1-invalid-dtstart.ics").read_bytes().replace(
        b"END:VEVENT", b"ATTENDEE:mailto:a@b.org\r\nEND:VEVENT")
    (item,) = read_ics(text, SINCE, UNTIL).items
    assert item.title == "äöüß"


def test_outlook_web_labels_are_the_zones_they_name_with_daylight_saving_time():
    """They were read as their fixed offsets (Etc/GMT+5): an hour off in summer."""
    items = read("exchange-owa-undefined-tzids.ics").items
    syd = next(i for i in items if i.title == "TEST Syd")
    assert syd.at == at("2020-10-28T02:30")  # 13:30 in Sydney, summer time (+11) by then
    east = next(i for i in items if i.title == "TEST")
    assert east.at == at("2020-10-28T17:30")  # 13:30 in New York, still EDT (-4)
    after = next(i for i in items if i.title == "TEST 3")
    assert after.at == at("2020-11-02T18:30")  # 13:30 EST (-5): DST ended on 1 November
    series = sorted(i.at for i in items if i.title == "TEST2" and i.at.month == 3)
    assert [t.hour for t in series] == [18, 18, 18, 18, 17, 17, 17, 17]  # EDT from 14 March


def test_an_empty_tzid_is_a_floating_time():
    (item,) = read("exchange2010-blank-tzid.ics").items
    assert item.at == at("2015-08-26T09:00")
    assert {a for a, _ in item.addresses} == {"roberts@company.com", "sam@company.com"}


def test_spaces_in_a_repeat_rule_are_tolerated():
    items = read("exchange-cdo-request-bad-byday.ics").items
    assert all(i.at.weekday() < 5 for i in items) and len(items) == 14


def test_the_window_cuts_recurring_events():
    items = read("google-apple-structured-location.ics",
                 since=datetime(2017, 1, 2, tzinfo=UTC), until=datetime(2017, 1, 9, tzinfo=UTC))
    assert 1 <= len(items.items) <= 7


def event(extra: str, start="20261201T100000Z", end="20261201T110000Z", uid="u1") -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
            f"UID:{uid}\r\nDTSTART{start}\r\nDTEND{end}\r\n"
            "ATTENDEE;CN=Ada:mailto:ada@example.org\r\n"
            f"{extra}END:VEVENT\r\nEND:VCALENDAR\r\n").encode()


@pytest.mark.parametrize(("extra", "kind"), [
    ("SUMMARY:Catch-up\r\nLOCATION:https://meet.google.com/abc-defg-hij\r\n", "video"),
    ("SUMMARY:Sync\r\nX-GOOGLE-CONFERENCE:https://meet.google.com/x\r\n", "video"),
    ("SUMMARY:Sync\r\nDESCRIPTION:Join: https://us02web.zoom.us/j/123\r\n", "video"),
    ("SUMMARY:Coffee with Ada\r\n", "coffee"),
    ("SUMMARY:Catch-up\r\nLOCATION:Blue Bottle Coffee\r\n", "coffee"),
    ("SUMMARY:Lunch\r\n", "meal"),
    ("SUMMARY:Team dinner\r\n", "meal"),
    ("SUMMARY:Quick call\r\n", "call"),
    ("SUMMARY:Recall planning\r\n", "meeting"),
    ("SUMMARY:Planning\r\n", "meeting"),
])
def test_the_kind_comes_from_the_event(extra, kind):
    text = event(extra, start=":20261201T100000Z", end=":20261201T110000Z")
    (item,) = read_ics(text, SINCE, UNTIL).items
    assert item.kind == kind and item.minutes == 60


def test_a_windows_zone_without_vtimezone_and_a_floating_time():
    windows = read_ics(event("", start=";TZID=W. Europe Standard Time:20261201T100000",
                             end=";TZID=W. Europe Standard Time:20261201T103000"),
                       SINCE, UNTIL).items[0]
    assert (windows.at, windows.minutes) == (at("2026-12-01T09:00"), 30)
    from zoneinfo import ZoneInfo

    floating = read_ics(event("", start=":20261201T100000", end=":20261201T110000"), SINCE,
                        UNTIL, zone=ZoneInfo("America/New_York")).items[0]
    assert floating.at == at("2026-12-01T15:00")


def test_declined_attendees_are_nobody():
    text = event("ATTENDEE;PARTSTAT=DECLINED:mailto:grace@example.org\r\n",
                 start=":20261201T100000Z", end=":20261201T110000Z")
    (item,) = read_ics(text, SINCE, UNTIL).items
    assert [a for a, _ in item.addresses] == ["ada@example.org"]


def test_the_future_is_not_read():
    text = event("", start=":20261205T100000Z", end=":20261205T110000Z")
    assert read_ics(text, SINCE, UNTIL).items == []


@pytest.mark.parametrize(("data", "needle"), [
    (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEND:VCARD\r\n", "is not a calendar file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "is not a calendar file"),
    (b"BEGIN:VCALENDAR\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "cannot be read as a calendar"),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261201T1000", "it is cut short"),
])
def test_what_is_not_a_calendar_is_one_sentence(data, needle):
    with pytest.raises(InvalidInput) as refused:
        read_ics(data, SINCE, UNTIL, name="x.ics")
    assert needle in str(refused.value) and str(refused.value).startswith("x.ics ")


def test_a_huge_file_is_refused_before_reading(tmp_path, monkeypatch):
    from planner.services import capture_ics

    big = tmp_path / "big.ics"
    big.write_bytes(event("") * 10)
    monkeypatch.setattr(capture_ics, "MAX_ICS_BYTES", 1000)
    now = datetime.now(UTC)
    with pytest.raises(InvalidInput, match=r"big\.ics is too large to be a calendar file"):
        capture_ics.read_calendars(big, now - timedelta(days=30), now)


def test_an_event_repeating_more_often_than_daily_is_left_out_not_expanded():
    """FREQ=SECONDLY from 1900 ran past 40 s and 430 MB (its every second expanded);
    FREQ=MINUTELY made 43,200 proposals for one person in 30 days. Such a series is left
    out with a reason; the meetings beside it are read."""
    def event(uid: str, start: str, rule: str, summary: str) -> str:
        return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:{start}\r\nDTEND:{start[:-3]}30Z\r\n"
                f"RRULE:{rule}\r\nSUMMARY:{summary}\r\n"
                "ATTENDEE:mailto:jordan@fastmail.com\r\nEND:VEVENT\r\n")

    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
            + event("s", "19000101T100000Z", "FREQ=SECONDLY", "every second")
            + event("m", "20261101T100000Z", "FREQ=MINUTELY", "every minute")
            + event("h", "20261101T100000Z", "FREQ=HOURLY;INTERVAL=2", "every other hour")
            + event("w", "20261101T100000Z", "FREQ=WEEKLY", "weekly sync")
            + "END:VCALENDAR\r\n")
    since = datetime(2026, 11, 1, tzinfo=UTC)
    found = read_ics(text, since, since + timedelta(days=30), zone=UTC)
    assert {item.title for item in found.items} == {"weekly sync"}
    assert len(found.items) == 5  # Sundays 1, 8, 15, 22, 29 November
    assert [r.split(" (")[0] for r in found.skipped] == [
        "an event repeating secondly was not read", "an event repeating minutely was not read",
        "an event repeating hourly was not read"]


def _event(uid: str, start: str, extra: str, summary: str = "") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:{start}\r\n{extra}\r\n"
            f"SUMMARY:{summary or 'Event ' + uid}\r\n"
            "ATTENDEE:mailto:jordan@fastmail.com\r\nEND:VEVENT\r\n")


def _with_good(*events: str):
    """A calendar of one good meeting (20 Nov 2026) and ``events``, read over November."""
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
            + _event("good", "20261120T090000Z", "DURATION:PT30M") + "".join(events)
            + "END:VCALENDAR\r\n")
    since = datetime(2026, 11, 1, tzinfo=UTC)
    return read_ics(text, since, since + timedelta(days=30), zone=UTC)


DAILY = "DURATION:PT30M\r\nRRULE:FREQ=DAILY;COUNT=3"


@pytest.mark.parametrize(("extra", "why"), [
    ("RRULE:FREQ=FOO;COUNT=3", "its repeat rule cannot be read (FREQ=FOO;COUNT=3)"),
    ("RRULE:FREQ=DAILY;COUNT=abc", "its repeat rule cannot be read"),
    ("RRULE:FREQ=DAILY;UNTIL=tomorrow", "its repeat rule cannot be read"),
    ("RRULE:FREQ=WEEKLY;BYDAY=XX;COUNT=3", "its repeat rule cannot be read"),
    (DAILY + "\r\nEXDATE:garbage", "a date it leaves out cannot be read (garbage)"),
    (DAILY + "\r\nEXRULE:FREQ=FOO", "a rule of dates it leaves out cannot be read"),
])
def test_a_series_with_an_unreadable_rule_is_left_out_and_named(extra, why):
    """One broken property cost the whole calendar ("unexpected error
    (BrokenCalendarProperty …)") or, with skip_bad_series, the series silently."""
    found = _with_good(_event("bad", "20261110T090000Z", extra))
    assert [item.source_key for item in found.items] == ["ics:good"]
    (line,) = found.skipped
    assert line.startswith(f"“Event bad” (UID bad, 2026-11-10) was not read: {why}")


def test_an_unreadable_start_names_the_event():
    found = _with_good(_event("bad", "2026-11-10 09:00", "DURATION:PT30M"))
    assert [item.source_key for item in found.items] == ["ics:good"]
    assert found.skipped == ["“Event bad” (UID bad) was not read: its start is not a valid "
                             "date-time (2026-11-10 09:00)"]


@pytest.mark.parametrize("extra", ["DURATION:PTxyz", "DTEND:garbage",
                                   "RRULE:FREQ=DAILY;COUNT=3\r\nDURATION:PTxyz"])
def test_an_unreadable_length_costs_the_length_not_the_meeting(extra):
    found = _with_good(_event("bad", "20261110T090000Z", extra))
    bad = [item for item in found.items if item.source_key.startswith("ics:bad")]
    assert bad and all(item.minutes is None for item in bad)
    assert found.skipped == []
    assert len(found.notes) == 1 and found.notes[0].startswith(
        "“Event bad” (UID bad, 2026-11-10): its length cannot be read (")
    assert found.notes[0].endswith("); it is read without one")


@pytest.mark.parametrize(("extra", "count", "note"), [
    (DAILY + "\r\nEXDATE:", 3, "an empty date it leaves out was ignored"),
    (DAILY + "\r\nEXDATE:20261111T090000Z\r\nEXDATE;VALUE=DATE:", 2,
     "an empty date it leaves out was ignored"),
    (DAILY + "\r\nRDATE:garbage", 3, "a date it adds cannot be read (garbage) and was ignored"),
    (DAILY + "\r\nRDATE;VALUE=PERIOD:garbage", 3,
     "a date it adds cannot be read (garbage) and was ignored"),
    ("DURATION:PT30M\r\nRDATE:garbage", 1,
     "a date it adds cannot be read (garbage) and was ignored"),
])
def test_an_empty_or_unreadable_added_date_is_ignored_and_the_series_kept(extra, count, note):
    """Google writes an empty EXDATE; the series vanished without a word."""
    found = _with_good(_event("bad", "20261110T090000Z", extra))
    assert len([i for i in found.items if i.source_key.startswith("ics:bad")]) == count
    assert found.skipped == []
    assert found.notes == [f"“Event bad” (UID bad, 2026-11-10): {note}"]


def test_a_moved_occurrence_whose_original_date_cannot_be_read_leaves_out_its_series():
    found = _with_good(_event("rec", "20261110T090000Z", DAILY),
                       _event("rec", "20261111T100000Z", "DURATION:PT30M\r\nRECURRENCE-ID:garbage"))
    assert [item.source_key for item in found.items] == ["ics:good"]
    assert found.skipped == ["“Event rec” (UID rec, 2026-11-11) was not read: the original "
                             "date of a moved occurrence cannot be read (garbage); "
                             "its series was left out"]


def test_an_unreadable_sequence_number_is_ignored():
    found = _with_good(_event("bad", "20261110T090000Z", DAILY + "\r\nSEQUENCE:abc"))
    assert len(found.items) == 4 and found.skipped == []


def test_the_series_of_google_s_empty_exdate_is_kept_with_a_note():
    found = read("google-allday-empty-exdate-malformed.ics")
    assert len(found.items) == 20  # 21 days but one; the two series are the same one
    assert len(found.notes) == 1 and "an empty date it leaves out was ignored" in found.notes[0]


def test_korganizers_count_counts_its_start_as_the_first_occurrence():
    """"Full Info" starts on Tuesday 9 December 2003 and repeats on Mondays, COUNT=2: RFC
    5545 3.3.10 counts the start as the first, so it is 9 and 15 December (22 December
    was read too)."""
    items = read("korganizer-3.2-blank-lines.ics").items
    assert [i.at for i in items if i.title == "Full Info"] == [
        at("2003-12-09T09:15"), at("2003-12-15T09:15")]


@pytest.mark.parametrize(("start", "rule", "days"), [
    ("20261102T100000Z", "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=3", ["11-02", "11-03", "11-05"]),
    ("20261103T100000Z", "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=3", ["11-03", "11-05", "11-10"]),
    ("20261001T100000Z", "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=2", ["10-01", "10-15"]),
    ("20261102T100000Z", "FREQ=WEEKLY;BYDAY=TU;COUNT=1", ["11-02"]),
    ("20261102T100000Z", "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20261110T235959Z",
     ["11-02", "11-03", "11-05", "11-10"]),  # UNTIL: the start and the rule's days to it
])
def test_count_includes_a_start_that_is_not_one_of_the_rules_days(start, rule, days):
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
            + _event("c", start, f"DURATION:PT30M\r\nRRULE:{rule}") + "END:VCALENDAR\r\n")
    found = read_ics(text, datetime(2026, 9, 1, tzinfo=UTC), UNTIL)
    assert [i.at.strftime("%m-%d") for i in found.items] == days
    assert found.skipped == [] and found.notes == []


def test_count_with_a_start_off_the_rule_in_a_time_zone_and_on_a_date():
    """The start compared with the rule's first day where it is (Berlin, 23:30 on
    Monday is Monday there), and an all-day start as its date."""
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
            + _event("z", "20261102T233000", "DURATION:PT30M\r\nRRULE:FREQ=WEEKLY;BYDAY=MO;"
                     "COUNT=2").replace("DTSTART:", "DTSTART;TZID=Europe/Berlin:")
            + _event("d", "20261103", "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=2").replace(
                "DTSTART:", "DTSTART;VALUE=DATE:")
            + "END:VCALENDAR\r\n")
    found = read_ics(text, datetime(2026, 10, 1, tzinfo=UTC), UNTIL)
    zoned = [i.at for i in found.items if i.source_key.startswith("ics:z")]
    assert zoned == [at("2026-11-02T22:30"), at("2026-11-09T22:30")]  # Monday is a MO day
    dated = [i.at.strftime("%m-%d") for i in found.items if i.source_key.startswith("ics:d")]
    assert dated == ["11-03", "11-09"]  # Tuesday, then one Monday


@pytest.mark.parametrize(("event", "why"), [
    ("DTSTART:2026", "its start is not a valid date-time (2026)"),
    ("DTSTART:20261120T100000Z\r\nRRULE:FREQ=FOO", "its repeat rule cannot be read (FREQ=FOO)"),
    ('DTSTART;TZID="(UTC+99:99) Nowhere":20261120T100000',
     "its time zone cannot be read ((UTC+99:99) Nowhere)"),
])
def test_a_calendar_whose_only_event_is_broken_is_read_as_empty_and_says_why(event, why):
    """It was refused ("x.ics cannot be read as a calendar: …", exit code 1) while an
    empty calendar was read: now both are read, and the event left out is named."""
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:only\r\nSUMMARY:Sync\r\n"
            f"{event}\r\nATTENDEE:mailto:a@b.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    found = read_ics(text, SINCE, UNTIL, name="x.ics")
    assert found.items == [] and found.notes == []
    (line,) = found.skipped
    assert line.startswith("“Sync” (UID only") and line.endswith(f"was not read: {why}")
    empty = read_ics("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", SINCE, UNTIL)
    assert (empty.items, empty.skipped) == ([], [])


def test_a_zone_nobody_knows_is_read_as_local_time_and_said_once_per_file():
    """TZID=Mars/Base (no VTIMEZONE, not IANA, not Windows, not an Outlook label) was read
    as local time without a word."""
    from zoneinfo import ZoneInfo

    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
            + _event("m1", "20261110T100000", "DTEND;TZID=Mars/Base:20261110T110000")
            .replace("DTSTART:", "DTSTART;TZID=Mars/Base:")
            + _event("m2", "20261111T100000", "RRULE:FREQ=DAILY;COUNT=2")
            .replace("DTSTART:", "DTSTART;TZID=Mars/Base:")
            + _event("v1", "20261112T100000", "DURATION:PT1H")
            .replace("DTSTART:", 'DTSTART;TZID="Venus: Dome":')
            + _event("ok", "20261113T100000", "DURATION:PT1H")  # floating: no zone to name
            .replace("DTSTART:", "DTSTART;TZID=Europe/Paris:")
            + _event("fl", "20261114T100000", "DURATION:PT1H")
            + "END:VCALENDAR\r\n")
    since = datetime(2026, 11, 1, tzinfo=UTC)
    found = read_ics(text, since, since + timedelta(days=30), name="x.ics",
                     zone=ZoneInfo("America/New_York"))
    assert [i.at for i in found.items] == [
        at("2026-11-10T15:00"), at("2026-11-11T15:00"), at("2026-11-12T15:00"),
        at("2026-11-12T15:00"), at("2026-11-13T09:00"), at("2026-11-14T15:00")]
    assert found.items[0].minutes == 60
    assert found.skipped == []
    assert found.notes == [
        "time zone 'Mars/Base' is not known: its times were read as local time",
        "time zone 'Venus: Dome' is not known: its times were read as local time"]


def test_a_file_that_ends_inside_an_event_reads_the_events_before_it_and_says_so():
    """An event with no END:VEVENT (the file cut short, its END:VCALENDAR added back) made
    icalendar read no calendar at all: an empty one, without a word."""
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
            + _event("a", "20261110T100000Z", "DURATION:PT1H")
            + _event("b", "20261111T100000Z", "DURATION:PT1H")
            + "BEGIN:VEVENT\r\nUID:cut\r\nDTSTART:20261112T100000Z\r\nSUMMARY:Lunch wi\r\n"
              " th Ada\r\nATTENDEE:mailto:ada@example.org\r\nEND:VCALENDAR\r\n")
    since = datetime(2026, 11, 1, tzinfo=UTC)
    found = read_ics(text, since, since + timedelta(days=30), name="x.ics")
    assert [i.source_key for i in found.items] == ["ics:a", "ics:b"]
    assert found.notes == [] and found.skipped == [
        "the calendar ends inside an event (line 17, “Lunch with Ada”): the file is cut "
        "short there; the events before it were read"]


def test_an_event_without_its_end_is_left_out_and_the_events_after_it_are_read():
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
            + _event("a", "20261110T100000Z", "DURATION:PT1H").replace("END:VEVENT\r\n", "")
            + "BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20261111T100000Z\r\nSUMMARY:Event b\r\n"
              "ATTENDEE:mailto:ada@example.org\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n"
              "TRIGGER:-PT5M\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    since = datetime(2026, 11, 1, tzinfo=UTC)
    found = read_ics(text, since, since + timedelta(days=30), name="x.ics")
    assert [i.source_key for i in found.items] == ["ics:b"]
    assert found.skipped == [
        "an event (line 3, “Event a”) has no END:VEVENT: it was not read; the events after "
        "it were"]
    assert found.notes == ["a VALARM (line 14) has no END:VALARM: it was left out"]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_utf8_calendar_with_a_stray_byte_keeps_its_accents_and_names_the_line(bom):
    """One byte that is not UTF-8 made the whole file Windows-1252: “Café with José”
    became “CafÃ© with JosÃ©”, every name in it too, without a word (and with a BOM, the
    file was refused: its "ï»¿BEGIN" line could not be read)."""
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:s1\r\n"
            "DTSTART:20261110T100000Z\r\nSUMMARY:Café with José\r\n"
            "ORGANIZER;CN=José Müller:mailto:jose@example.org\r\n"
            "LOCATION:Room \x92B\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    data = bom + text.encode("utf-8").replace("\x92".encode(), b"\x92")
    since = datetime(2026, 11, 1, tzinfo=UTC)
    found = read_ics(data, since, since + timedelta(days=30), name="x.ics")
    (item,) = found.items
    assert item.title == "Café with José"
    assert item.addresses == (("jose@example.org", "José Müller"),)
    assert found.skipped == [] and found.notes == [
        "the file is UTF-8 except for a few bytes on line 8: they cannot be read and were "
        "replaced by “�” (check the names there)"]
