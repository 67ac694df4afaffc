"""``--at monday`` said on a Monday is today, as "today" is (it was a week ago, at noon);
``last monday`` is the one before today; today's name with a time still ahead is refused
for a touchpoint, saying how to name last week's.

The clock is the system's, set by faketime (libfaketime) for the command's own process:
Monday 16 November 2026, 10:00 in Berlin (09:00 UTC)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.helpers.servers import need

MONDAY = "2026-11-16 10:00:00"


@pytest.fixture
def planner_on_monday(db_path):
    faketime = need("faketime", "faketime")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [faketime, MONDAY, sys.executable, "-m", "planner", "--db", str(db_path), *args],
            capture_output=True, text=True, timeout=120,
            env={**os.environ, "TZ": "Europe/Berlin"})

    return run


def _entries(run) -> list[tuple[str, str]]:
    listed = run("timeline", "Ada", "--json")
    assert listed.returncode == 0, listed.stderr
    return [(e["kind"], e["at"][:16]) for e in json.loads(listed.stdout) if e["kind"] != "created"]


def test_monday_said_on_a_monday_is_today(planner_on_monday):
    run = planner_on_monday
    assert run("contacts", "add", "Ada Lovelace").returncode == 0
    today = run("log", "Ada", "coffee", "--at", "monday")
    assert today.returncode == 0, today.stderr
    assert today.stdout == "Logged coffee with Ada Lovelace at 2026-11-16 10:00\n"
    assert run("log", "Ada", "call", "--at", "Mon 9:00").returncode == 0
    assert run("log", "Ada", "video", "--at", "last monday").returncode == 0
    assert run("log", "Ada", "email", "--at", "sunday 18:00").returncode == 0
    assert sorted(_entries(run), key=lambda e: e[1]) == [
        ("video", "2026-11-09T11:00"),  # last week's, at noon in Berlin
        ("email", "2026-11-15T17:00"),
        ("call", "2026-11-16T08:00"),
        ("coffee", "2026-11-16T09:00"),  # now
    ]


def test_todays_name_with_a_time_still_ahead_is_refused_for_a_touchpoint(planner_on_monday):
    run = planner_on_monday
    assert run("contacts", "add", "Ada Lovelace").returncode == 0
    ahead = run("log", "Ada", "coffee", "--at", "monday 14:30")
    assert ahead.returncode == 1 and "Traceback" not in ahead.stderr
    assert ahead.stderr == (
        "planner: that time is in the future: log a touchpoint once it has happened (a date "
        "ahead goes in a note, or snooze the person); 'monday 14:30' is today, "
        "'last monday 14:30' a week ago\n")
    assert _entries(run) == []
    noted = run("note", "Ada", "Talk rehearsal", "--at", "monday 14:30")  # a note may be ahead
    assert noted.returncode == 0, noted.stderr
    assert _entries(run) == [("note", "2026-11-16T13:30")]
