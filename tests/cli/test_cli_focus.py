"""``planner focus`` for real (in-process): every format, the week and moment
options, --limit, -o, and the refusals.

The data is built once with the command line itself, at explicit ``--at`` times, and
read as of Wednesday 18 Nov 2026 12:00 in Europe/Berlin (TZ is set for every run),
so every output below is exact.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from planner.domain.focus import current_iso_week
from planner.export.focus_csv import COLUMNS
from tests.helpers.cli import invoke, ok
from tests.helpers.postgres import ENGINES, engine_database

# on SQLite and on a team database (tests/conftest.py, tests/helpers/postgres.py)
pytestmark = pytest.mark.both_engines

TZ = "Europe/Berlin"
WEEK = ("--week", "2026-W47", "--as-of", "2026-11-18T12:00")
ORDER = ["Cy", "Hal", "Dee", "Ada Lovelace", "Bo Builder"]
NASTY = "=cmd|' /C calc'!A0"

#: name → (contact id, next due in UTC) for the people on the list
DUE = {
    "Cy": (3, datetime(2026, 11, 18, 11, 0, tzinfo=UTC)),  # never contacted: due as of now
    "Hal": (7, datetime(2026, 10, 15, 10, 0, tzinfo=UTC)),
    "Dee": (4, datetime(2026, 9, 12, 10, 0, tzinfo=UTC)),
    "Ada Lovelace": (1, datetime(2026, 11, 16, 9, 0, tzinfo=UTC)),
    "Bo Builder": (2, datetime(2026, 11, 20, 8, 0, tzinfo=UTC)),
}


def refused(result: subprocess.CompletedProcess, *needles: str, code: int = 1) -> str:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    if code == 1:
        assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)
    return lines[-1]


@pytest.fixture(autouse=True)
def berlin(monkeypatch):
    monkeypatch.setenv("TZ", TZ)


@pytest.fixture(scope="module", params=ENGINES)
def data(request, tmp_path_factory):
    """Seven people built with ``planner contacts add`` / ``log`` / ``note --at``."""
    root = tmp_path_factory.mktemp("focus-cli")
    steps = [
        (
            "contacts",
            "add",
            "Ada Lovelace",
            "--ring",
            "inner",
            "--channel",
            "im",
            "--handle",
            "slack=@ada",
        ),
        ("log", "Ada Lovelace", "im", "--at", "2026-11-13T10:00"),
        ("note", "Ada Lovelace", "Shipping v2\nmore details", "--at", "2026-11-17T09:00"),
        ("note", "Ada Lovelace", "Not written yet", "--at", "2026-11-20T09:00"),
        ("contacts", "add", "Bo Builder", "--ring", "middle", "--email", "bo@example.org"),
        ("log", "Bo Builder", "email", "--at", "2026-11-06T09:00"),
        ("contacts", "add", "Cy", "--ring", "outer", "--email", "cy@example.org"),
        ("contacts", "add", "Dee", "--ring", "outer", "--phone", "+44 20 7946 0000"),
        ("log", "Dee", "call", "--at", "2026-08-01T12:00"),
        ("contacts", "add", "Fay", "--ring", "middle"),
        ("log", "Fay", "video", "--at", "2026-11-17T12:00"),  # on track: not on the list
        ("contacts", "add", "Gus"),  # unplaced: never on the list
        ("contacts", "add", "Hal", "--ring", "middle"),
        ("log", "Hal", "coffee", "--at", "2026-10-01T12:00"),
        ("log", "Hal", "call", "--at", "2026-11-19T10:00"),  # after --as-of: ignored
    ]
    with engine_database(request, request.param, root) as db:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("TZ", TZ)
            for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
                mp.setenv(name, str(root / name.lower()))
            for step in steps:
                ok(invoke(*step, db=db))
        yield db


def focus(db, *args: str) -> subprocess.CompletedProcess:
    return invoke("focus", *args, db=db)


def lines_of(text: str) -> list[str]:
    return text.splitlines()


# --------------------------------------------------------------------- Markdown


def test_default_is_a_markdown_checklist_for_this_week(data):
    out = ok(focus(data))
    week = current_iso_week(tz=ZoneInfo(TZ))
    assert out.startswith(f"# Focus for week {week.week}, {week.year} (")
    assert out.count("- [ ] ") >= 2  # at least Cy and Dee (never contacted / long overdue)
    assert "**Cy**" in out and "**Dee**" in out
    assert "Gus" not in out
    assert out == ok(focus(data, "--format", "md"))


def test_markdown_for_a_given_week_and_moment_is_exact(data):
    out = ok(focus(data, *WEEK))
    assert lines_of(out) == [
        "# Focus for week 47, 2026 (16–22 Nov)",
        "",
        "_5 to reach, as of Wed 18 Nov 12:00._",
        "",
        "## Inner",
        "",
        "- [ ] **Ada Lovelace** — overdue by 2 days, last touch Fri 13 Nov (IM) — "
        "Quick check-in on IM (@ada)",
        "  - Note: Shipping v2",
        "",
        "## Middle",
        "",
        "- [ ] **Hal** — overdue by 34 days, last touch Thu 1 Oct (Coffee) — "
        "Propose a coffee to reconnect",
        "- [ ] **Bo Builder** — due soon (due Fri 20 Nov), last touch Fri 6 Nov (Email) — "
        "Catch up by email: ask what they're working on (bo@example.org)",
        "",
        "## Outer",
        "",
        "- [ ] **Cy** — never contacted — Reach out by email: nothing is logged with them yet "
        "(cy@example.org)",
        "- [ ] **Dee** — overdue by 67 days, last touch Sat 1 Aug (Call) — "
        "Propose a video call to reconnect (+44 20 7946 0000)",
    ]
    assert out == ok(focus(data, *WEEK))  # the same bytes every time


def test_the_same_moment_written_in_utc_gives_the_same_list(data):
    utc = ok(focus(data, "--week", "2026-W47", "--as-of", "2026-11-18T11:00Z"))
    assert utc == ok(focus(data, *WEEK))


def test_the_later_touch_counts_once_the_moment_is_after_it(data):
    out = ok(focus(data, "--week", "2026-W47", "--as-of", "2026-11-19T12:00"))
    assert "**Hal**" not in out
    assert "**Cy**" in out


# --------------------------------------------------------------------- each format


def test_json_has_every_field_in_rank_order(data):
    doc = json.loads(ok(focus(data, *WEEK, "--format", "json")))
    assert doc["week"] == "2026-W47" and doc["timezone"] == TZ
    assert doc["as_of"] == "2026-11-18T11:00:00+00:00"
    assert doc["week_start"] == "2026-11-15T23:00:00+00:00"
    items = doc["items"]
    assert [i["name"] for i in items] == ORDER
    assert [i["rank"] for i in items] == [1, 2, 3, 4, 5]
    by_name = {i["name"]: i for i in items}
    assert by_name["Hal"]["last_touch"] == "2026-10-01T10:00:00+00:00"  # not the 19 Nov call
    assert by_name["Hal"]["last_touch_kind"] == "coffee"
    assert by_name["Hal"]["days_overdue"] == 34
    assert by_name["Ada Lovelace"]["note"] == "Shipping v2"  # not the 20 Nov note
    assert by_name["Ada Lovelace"]["address"] == "@ada"
    assert by_name["Cy"]["status"] == "never" and by_name["Cy"]["urgency"] is None
    assert by_name["Bo Builder"]["status"] == "due-soon"
    for name, (cid, due) in DUE.items():
        assert by_name[name]["contact_id"] == cid
        assert datetime.fromisoformat(by_name[name]["next_due"]) == due


def test_csv_has_a_header_and_one_row_per_person(data):
    out = ok(focus(data, *WEEK, "--format", "csv"))
    rows = list(csv.reader(io.StringIO(out)))
    assert tuple(rows[0]) == COLUMNS
    body = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]
    assert [r["name"] for r in body] == ORDER
    assert [r["rank"] for r in body] == ["1", "2", "3", "4", "5"]
    ada = body[3]
    assert ada["status"] == "overdue" and ada["days_overdue"] == "2"
    assert ada["last_touch"] == "2026-11-13T10:00:00+01:00"
    assert ada["note"] == "Shipping v2"
    assert {r["week"] for r in body} == {"2026-W47"}


def test_html_is_one_page_with_everyone(data):
    out = ok(focus(data, *WEEK, "--format", "html"))
    assert out.lstrip().lower().startswith("<!doctype html>")
    assert "<title>Focus for week 47, 2026 (16–22 Nov)</title>" in out
    assert "</html>" in out
    assert "<script" not in out.lower() and "http" not in out.split("<body", 1)[1]
    positions = [out.index(name) for name in ("Ada Lovelace", "Hal", "Bo Builder", "Cy", "Dee")]
    assert positions == sorted(positions)  # grouped by ring, inner first
    assert "Fay" not in out and "Gus" not in out


def test_ics_parses_back_with_one_task_and_the_right_due_per_person(data):
    out = ok(focus(data, *WEEK, "--format", "ics"))
    cal = Calendar.from_ical(out)
    todos = cal.walk("VTODO")
    assert not cal.walk("VEVENT")
    assert [str(t["SUMMARY"]) for t in todos] == [f"Reach out to {n}" for n in ORDER]
    for todo in todos:
        name = str(todo["SUMMARY"]).removeprefix("Reach out to ")
        cid, due = DUE[name]
        assert str(todo["UID"]) == f"focus-2026-W47-{cid}@mentorship-planner"
        assert todo.decoded("DUE") == due
        assert todo.decoded("DTSTAMP") == datetime(2026, 11, 18, 11, 0, tzinfo=UTC)
    ada = next(t for t in todos if "Ada" in str(t["SUMMARY"]))
    assert "Note: Shipping v2" in str(ada["DESCRIPTION"])
    assert int(ada["PRIORITY"]) == 1


def test_ics_events_are_all_day_inside_the_week(data):
    out = ok(focus(data, *WEEK, "--format", "ics", "--events"))
    cal = Calendar.from_ical(out)
    assert not cal.walk("VTODO")
    days = {
        str(e["SUMMARY"]).removeprefix("Reach out to "): e.decoded("DTSTART")
        for e in cal.walk("VEVENT")
    }
    monday = date(2026, 11, 16)
    assert days == {
        "Cy": date(2026, 11, 18),
        "Hal": monday,
        "Dee": monday,
        "Ada Lovelace": monday,
        "Bo Builder": date(2026, 11, 20),
    }


@pytest.mark.parametrize("fmt", ["md", "csv", "html", "ics", "json"])
def test_every_format_lists_the_same_people(data, fmt):
    out = ok(focus(data, *WEEK, "--format", fmt))
    for name in ORDER:
        assert name in out, (fmt, name)
    for absent in ("Fay", "Gus"):
        assert absent not in out, (fmt, absent)


# --------------------------------------------------------------------- --limit and -o


def test_limit_keeps_the_most_urgent(data):
    doc = json.loads(ok(focus(data, *WEEK, "--limit", "2", "--format", "json")))
    assert [i["name"] for i in doc["items"]] == ["Cy", "Hal"]
    md = ok(focus(data, *WEEK, "--limit", "2"))
    assert md.count("- [ ] ") == 2
    assert "_2 to reach" in md


@pytest.mark.parametrize("fmt", ["md", "csv", "ics", "json"])
def test_output_file_gets_the_text_and_stdout_stays_empty(data, tmp_path, fmt):
    target = tmp_path / f"focus.{fmt}"
    target.write_text("old content", encoding="utf-8")  # replaced, not appended to
    result = focus(data, *WEEK, "--format", fmt, "-o", str(target))
    assert ok(result) == ""
    assert result.stderr.splitlines() == [f"Wrote 5 people for 2026-W47 to {target}"]
    written = target.read_bytes().decode("utf-8")
    shown = ok(focus(data, *WEEK, "--format", fmt))  # stdout is read in text mode
    assert written.replace("\r\n", "\n") == shown
    if fmt in ("csv", "ics"):
        assert "\r\n" in written  # CRLF as the formats want, not doubled
        assert "\r\r\n" not in written
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no .partial left


def test_output_into_a_missing_folder_is_refused(data, tmp_path):
    target = tmp_path / "no" / "such" / "focus.md"
    line = refused(focus(data, *WEEK, "-o", str(target)), "cannot write")
    assert str(target) in line
    assert not target.parent.exists()


# --------------------------------------------------------------------- CSV injection


@pytest.fixture
def nasty_db(db_path):
    ok(invoke("contacts", "add", NASTY, "--ring", "inner", "--email", "x@example.org", db=db_path))
    return db_path


def test_csv_neutralises_formulas_by_default(nasty_db):
    out = ok(focus(nasty_db, "--format", "csv"))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["name"] for r in rows] == ["'" + NASTY]
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r", "\n")), value


def test_no_escape_writes_cells_as_they_are(nasty_db):
    out = ok(focus(nasty_db, "--format", "csv", "--no-escape"))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["name"] for r in rows] == [NASTY]


def test_other_formats_show_the_name_as_text(nasty_db):
    md = ok(focus(nasty_db))
    assert "=cmd\\|' /C calc'!A0" in md  # the pipe escaped (not a table cell); "!" needs none
    doc = json.loads(ok(focus(nasty_db, "--format", "json")))
    assert doc["items"][0]["name"] == NASTY


# --------------------------------------------------------------------- refusals


def test_an_empty_week_says_so(db_path):
    ok(invoke("contacts", "add", "Loose", db=db_path))
    out = ok(focus(db_path, *WEEK))
    assert "Nobody needs you this week." in out
    assert json.loads(ok(focus(db_path, *WEEK, "--format", "json")))["items"] == []


def test_a_week_that_does_not_exist_is_refused_in_one_line(data):
    line = refused(focus(data, "--week", "2025-W53"), "2025 has no ISO week 53", "1 to 52")
    assert line.startswith("planner: ")


def test_a_week_that_exists_in_a_long_year(data):
    out = ok(focus(data, "--week", "2026-W53", "--as-of", "2026-11-18T12:00"))
    assert out.startswith("# Focus for week 53, 2026 (28 Dec 2026 – 3 Jan 2027)")


@pytest.mark.parametrize("week", ["next week", "2026-47", "W47", "2026-W0", "2026-W54"])
def test_unreadable_weeks_are_refused(data, week):
    refused(focus(data, "--week", week), "week")


@pytest.mark.parametrize("moment", ["half past never", "2026-13-01", "31/02/2026"])
def test_a_bad_as_of_is_refused(data, moment):
    refused(focus(data, "--as-of", moment), "cannot read the time")


@pytest.mark.parametrize(
    "args",
    [("--limit", "0"), ("--limit", "many"), ("--format", "pdf"), ("--format", "xlsx")],
)
def test_bad_options_are_usage_errors(data, args):
    refused(focus(data, *args), code=2)
