"""``planner capture …`` in this process: a calendar file proposes, ``list`` shows,
``accept``/``reject`` review, a watched file re-read withdraws what left it, and bad
input is one line with nothing half-imported."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import planner.cli.capture  # the group attaches, whichever way commands load
from tests.helpers.cli import ok, refused, run_cli

ICS = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "ics"


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(*events: tuple[str, datetime, str, str]) -> str:
    """(uid, start, summary, attendee address) → a calendar text; 45 minutes each."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for uid, start, summary, who in events:
        lines += ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp(start)}",
                  f"DTSTART:{stamp(start)}", f"DTEND:{stamp(start + timedelta(minutes=45))}",
                  f"SUMMARY:{summary}", "ORGANIZER;CN=Me:mailto:me@home.org",
                  f"ATTENDEE;CN=Someone:mailto:{who}", "END:VEVENT"]
    return "\r\n".join([*lines, "END:VCALENDAR", ""])


class InProcess:
    def __init__(self, db: Path, capsys):
        self.db, self.capsys = db, capsys

    def __call__(self, *args: str) -> subprocess.CompletedProcess:
        from planner.cli import main

        self.capsys.readouterr()
        code = main(["--db", str(self.db), *args])
        out, err = self.capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)


@pytest.fixture
def planner(db_path, capsys):
    run = InProcess(db_path, capsys)
    ok(run("contacts", "add", "Ada Lovelace", "--ring", "inner", "--email", "ada@example.org"))
    ok(run("contacts", "add", "Grace Hopper", "--ring", "middle", "--email",
           "grace@navy.mil"))
    ok(run("capture", "me", "me@home.org"))
    return run


NOW = datetime.now(UTC).replace(microsecond=0)


def test_import_list_accept_reject(planner, tmp_path):
    path = tmp_path / "work.ics"
    path.write_text(calendar(("a", NOW - timedelta(days=2), "Coffee", "ADA+cal@example.org"),
                             ("b", NOW - timedelta(days=3), "Lunch", "grace@navy.mil"),
                             ("c", NOW + timedelta(days=1), "Later", "ada@example.org"),
                             ("d", NOW - timedelta(days=60), "Old", "ada@example.org")))
    out = ok(planner("capture", "ics", str(path)))
    assert "2 new" in out
    listed = json.loads(ok(planner("capture", "list", "--json")))
    assert [(p["person"], p["kind"], p["minutes"]) for p in listed] == [
        ("Ada Lovelace", "coffee", 45), ("Grace Hopper", "meal", 45)]
    ada, grace = listed[0]["id"], listed[1]["id"]
    assert "1 touchpoint with 1 person" in ok(planner("capture", "accept", str(ada)))
    timeline = json.loads(ok(planner("timeline", "Ada", "--json")))
    assert [e["kind"] for e in timeline if e["type"] == "touchpoint"] == ["coffee"]
    assert ok(planner("capture", "reject", str(grace))) == "Rejected 1.\n"
    assert ok(planner("capture", "list")) == "Nothing to review.\n"
    again = ok(planner("capture", "ics", str(path)))
    assert "0 new" in again, "a re-import proposes nothing twice"
    with_old = ok(planner("capture", "ics", str(path), "--since", "2000-01-01"))
    assert "1 new" in with_old
    refused(planner("capture", "accept", str(grace)), "rejected, not pending")


def test_a_watched_file_is_read_again_and_what_left_it_is_withdrawn(planner, tmp_path):
    path = tmp_path / "cal.ics"
    path.write_text(calendar(("a", NOW - timedelta(days=1), "Call", "ada@example.org"),
                             ("b", NOW - timedelta(days=2), "Sync", "grace@navy.mil")))
    out = ok(planner("capture", "ics", str(path), "--watch", "--label", "Work"))
    assert "Watching it as source 1 (Work)" in out
    assert "Work" in ok(planner("capture", "sources"))
    moved = NOW - timedelta(days=1, hours=3)
    path.write_text(calendar(("a", moved, "Call", "ada@example.org")))
    assert "1 updated, 1 withdrawn" in ok(planner("capture", "sync"))
    (only,) = json.loads(ok(planner("capture", "list", "--json")))
    assert only["at"] == moved.isoformat() and only["kind"] == "call"
    assert "Accepted 1" in ok(planner("capture", "accept", "--person", "Ada"))
    assert "1 pending proposal" not in ok(planner("capture", "forget", "1"))


def test_accept_all_adds_a_new_person_unplaced(planner, tmp_path):
    path = tmp_path / "new.ics"
    path.write_text(calendar(("n", NOW - timedelta(days=1), "Intro", "zoe@site.org")).replace(
        "ATTENDEE;CN=Someone:mailto:zoe@site.org",
        "ATTENDEE;CN=Ada:mailto:ada@example.org\r\nATTENDEE;CN=Zoë Zed:mailto:zoe@site.org"))
    ok(planner("capture", "ics", str(path)))
    out = ok(planner("capture", "accept", "--all"))
    assert "2 touchpoints with 2 people (1 added to your network, unplaced)" in out
    people = json.loads(ok(planner("contacts", "list", "--json")))
    zoe = next(p for p in people if p["name"] == "Zoë Zed")
    assert zoe["ring"] is None and zoe["email"] == "zoe@site.org"


def test_an_event_with_a_broken_property_is_one_line_and_the_rest_is_read(planner, tmp_path,
                                                                         db_path):
    """A malformed repeat rule ended the whole read in "unexpected error
    (BrokenCalendarProperty …)"; an empty EXDATE lost its series without a word."""
    day = (NOW - timedelta(days=3)).strftime("%Y%m%d")
    text = calendar(("a", NOW - timedelta(days=2), "Coffee", "ada@example.org"),
                    ("bad", NOW - timedelta(days=3), "Standup", "grace@navy.mil"),
                    ("s", NOW - timedelta(days=4), "Weekly", "grace@navy.mil"))
    text = text.replace("SUMMARY:Standup", "SUMMARY:Standup\r\nRRULE:FREQ=DAILY;COUNT=abc")
    text = text.replace("SUMMARY:Weekly", "SUMMARY:Weekly\r\nRRULE:FREQ=DAILY;COUNT=2\r\n"
                        "EXDATE;VALUE=DATE:")
    path = tmp_path / "work.ics"
    path.write_text(text)
    done = run_cli("capture", "ics", str(path), db=db_path)  # the lines as a person sees them
    assert done.returncode == 0, done.stderr
    assert "3 new" in done.stdout  # the coffee and both days of the weekly one
    assert "unexpected error" not in done.stderr and "Traceback" not in done.stderr
    assert (f"work.ics: “Standup” (UID bad, {day[:4]}-{day[4:6]}-{day[6:]}) was not read: "
            "its repeat rule cannot be read (FREQ=DAILY;COUNT=abc)") in done.stderr
    assert "work.ics: “Weekly” (UID s, " in done.stderr
    assert "an empty date it leaves out was ignored" in done.stderr


@pytest.mark.parametrize("name", ["blackberry-request-qp-mangled.ics"])
def test_a_malformed_calendar_is_one_line_and_nothing_is_kept(planner, tmp_path, name):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "good.ics").write_text(
        calendar(("g", NOW - timedelta(days=1), "Sync", "ada@example.org")))
    (folder / name).write_bytes((ICS / name).read_bytes())
    refused(planner("capture", "ics", str(folder), "--watch"),
            f"{name} cannot be read as a calendar", "quoted-printable")
    assert ok(planner("capture", "list")) == "Nothing to review.\n"
    assert "No sources yet" in ok(planner("capture", "sources"))


def test_not_a_calendar_and_a_missing_file(planner, tmp_path):
    card = tmp_path / "ada.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEND:VCARD\r\n")
    refused(planner("capture", "ics", str(card)), "ada.vcf is not a calendar file")
    refused(planner("capture", "ics", str(tmp_path / "gone.ics")), "does not exist")
    refused(planner("capture", "accept", "99"), "no captured touchpoint with id 99")


def test_sync_reads_every_source_and_a_broken_one_changes_nothing(planner, tmp_path):
    good, bad = tmp_path / "good.ics", tmp_path / "bad.ics"
    good.write_text(calendar(("g", NOW - timedelta(days=1), "Sync", "ada@example.org")))
    bad.write_text(calendar(("b", NOW - timedelta(days=1), "Call", "grace@navy.mil")))
    ok(planner("capture", "ics", str(bad), "--watch", "--label", "Bad"))
    ok(planner("capture", "ics", str(good), "--watch", "--label", "Good"))
    bad.write_text("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nRRULE:FREQ=3DYEARLY\r\n")
    good.write_text(calendar(("g", NOW - timedelta(days=1), "Sync", "ada@example.org"),
                             ("h", NOW - timedelta(days=2), "Lunch", "ada@example.org")))
    result = planner("capture", "sync")
    assert result.returncode == 1
    assert result.stderr.startswith("planner: Bad: bad.ics cannot be read as a calendar")
    assert "Good: 1 new" in result.stdout
    assert len(json.loads(ok(planner("capture", "list", "--json")))) == 3  # Bad's kept
    assert "accepted automatically" in ok(planner("capture", "auto-accept", "2"))
    good.write_text(calendar(("i", NOW - timedelta(days=3), "Coffee", "ada@example.org")))
    assert "1 accepted automatically" in ok(planner("capture", "sync", "2"))


def test_an_outlook_zone_label_is_read_with_its_summer_time(planner, tmp_path):
    """Outlook Web's "(UTC-05:00) Eastern Time (US & Canada)", with no VTIMEZONE, was read
    as UTC-05:00 all year: the July meeting landed an hour late."""
    label = '"(UTC-05:00) Eastern Time (US & Canada)"'
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:{day}\r\nSUMMARY:Sync\r\nDTSTART;TZID={label}:{day}T100000\r\n"
        f"DTEND;TZID={label}:{day}T104500\r\nATTENDEE:mailto:ada@example.org\r\nEND:VEVENT\r\n"
        for day in ("20250715", "20250115"))
    path = tmp_path / "owa.ics"
    path.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n")
    assert "2 new" in ok(planner("capture", "ics", str(path), "--since", "2025-01-01",
                                 "--until", "2025-12-31"))
    listed = json.loads(ok(planner("capture", "list", "--json")))
    assert sorted((p["at"], p["minutes"]) for p in listed) == [
        ("2025-01-15T15:00:00+00:00", 45),  # 10:00 EST
        ("2025-07-15T14:00:00+00:00", 45)]  # 10:00 EDT


def test_a_cancelled_meeting_and_a_broken_event_are_said_as_such(planner, db_path, tmp_path):
    """A cancelled meeting with Ada was "1 with nobody you know"; the event left out was
    said only by logging's last-resort handler, after the summary."""
    text = calendar(("ok", NOW - timedelta(days=1), "Sync", "ada@example.org"),
                    ("gone", NOW - timedelta(days=2), "Coffee", "grace@navy.mil"),
                    ("bad", NOW - timedelta(days=3), "Standup", "ada@example.org"))
    text = text.replace("SUMMARY:Coffee", "SUMMARY:Coffee\r\nSTATUS:CANCELLED")
    text = text.replace("SUMMARY:Standup", "SUMMARY:Standup\r\nRRULE:FREQ=FOO")
    path = tmp_path / "work.ics"
    path.write_text(text)
    done = run_cli("capture", "ics", str(path), db=db_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        "Captured from work.ics: 1 new, 0 updated, 0 withdrawn; 0 already known, 0 with "
        "nobody you know, 1 cancelled; 1 warning above.")
    day = (NOW - timedelta(days=3)).date().isoformat()
    assert done.stderr == (f"planner: warning: work.ics: “Standup” (UID bad, {day}) was not "
                           "read: its repeat rule cannot be read (FREQ=FOO)\n")


def test_a_calendar_whose_only_event_is_broken_reads_as_empty_and_says_why(planner, db_path,
                                                                          tmp_path):
    """It exited 1 ("cannot be read as a calendar") while an empty calendar exits 0."""
    empty = tmp_path / "empty.ics"
    empty.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
    quiet = run_cli("capture", "ics", str(empty), db=db_path)
    assert (quiet.returncode, quiet.stderr) == (0, "")
    assert "Captured from empty.ics: 0 new" in quiet.stdout
    broken = tmp_path / "broken.ics"
    broken.write_text(calendar(("bad", NOW - timedelta(days=1), "Standup", "ada@example.org"))
                      .replace("SUMMARY:Standup", "SUMMARY:Standup\r\nRRULE:FREQ=FOO"))
    done = run_cli("capture", "ics", str(broken), "--watch", db=db_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("planner: warning: broken.ics: “Standup” (UID bad, ")
    assert done.stderr.endswith("was not read: its repeat rule cannot be read (FREQ=FOO)\n")
    assert done.stdout.startswith("Captured from broken.ics: 0 new, 0 updated, 0 withdrawn; "
                                  "0 already known, 0 with nobody you know; 1 warning above.")
    synced = run_cli("capture", "sync", db=db_path)
    assert synced.returncode == 0
    assert synced.stderr.startswith("planner: warning: broken.ics: “Standup” (UID bad, ")
    assert "broken.ics: 0 new" in synced.stdout and "1 warning above" in synced.stdout


def test_a_zone_nobody_knows_is_one_warning_for_the_file(planner, tmp_path):
    """TZID=Mars/Base was read as local time without a word; two events in it are one
    warning, not two."""
    text = calendar(("m1", NOW - timedelta(days=2), "Sync", "ada@example.org"),
                    ("m2", NOW - timedelta(days=3), "Coffee", "grace@navy.mil"))
    for moment in (NOW - timedelta(days=2), NOW - timedelta(days=3)):
        for prop, when in (("DTSTART", moment), ("DTEND", moment + timedelta(minutes=45))):
            text = text.replace(f"{prop}:{stamp(when)}",
                                f"{prop};TZID=Mars/Base:{stamp(when)[:-1]}")
    path = tmp_path / "mars.ics"
    path.write_text(text)
    done = planner("capture", "ics", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ("planner: warning: mars.ics: time zone 'Mars/Base' is not known: "
                           "its times were read as local time\n")
    assert done.stdout.splitlines()[0] == (
        "Captured from mars.ics: 2 new, 0 updated, 0 withdrawn; 0 already known, 0 with "
        "nobody you know; 1 warning above.")


def test_a_file_cut_short_inside_an_event_keeps_the_events_before_it(planner, tmp_path):
    """It read as an empty calendar: "0 new", no warning, the complete meeting lost too."""
    text = calendar(("ok", NOW - timedelta(days=2), "Sync", "ada@example.org"),
                    ("cut", NOW - timedelta(days=1), "Coffee", "grace@navy.mil"))
    text = text[:text.rindex("END:VEVENT")] + "END:VCALENDAR\r\n"
    path = tmp_path / "cut.ics"
    path.write_text(text)
    done = planner("capture", "ics", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ("planner: warning: cut.ics: the calendar ends inside an event "
                           "(line 13, “Coffee”): the file is cut short there; the events "
                           "before it were read\n")
    assert done.stdout.splitlines()[0] == (
        "Captured from cut.ics: 1 new, 0 updated, 0 withdrawn; 0 already known, 0 with "
        "nobody you know; 1 warning above.")


def test_a_utf8_calendar_with_a_stray_byte_keeps_its_names(planner, tmp_path):
    """One byte that is not UTF-8 read the whole file as Windows-1252: the new person
    offered was "JosÃ© MÃ¼ller", the note "CafÃ© with JosÃ©", and nothing was said."""
    text = calendar(("s1", NOW - timedelta(days=2), "Café with José", "zoe@example.org"))
    text = text.replace("ORGANIZER;CN=Me:mailto:me@home.org",
                        "ORGANIZER;CN=José Müller:mailto:jose@example.org")
    text = text.replace("ATTENDEE;CN=Someone", "LOCATION:Room \x92B\r\nATTENDEE;CN=Zoë")
    path = tmp_path / "stray.ics"
    path.write_bytes(text.encode("utf-8").replace("\x92".encode(), b"\x92"))
    done = planner("capture", "ics", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ("planner: warning: stray.ics: the file is UTF-8 except for a few "
                           "bytes on line 11: they cannot be read and were replaced by “�” "
                           "(check the names there)\n")
    listed = json.loads(ok(planner("capture", "list", "--json")))
    assert sorted((p["person"], p["note"]) for p in listed) == [
        ("José Müller", "Café with José"), ("Zoë", "Café with José")]
