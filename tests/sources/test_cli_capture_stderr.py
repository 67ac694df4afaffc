"""What a real ``planner`` process shows on stderr when a sync meets a broken server or an
event it cannot read: the command's one line, never a log record printed by Python's
last-resort handler, nor a library's traceback (those go to the log file)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.helpers import radicale_server
from tests.helpers.fake_http import FakeHTTP
from tests.sources.test_caldav_real import event, make_calendar, stamp

REPO = Path(__file__).resolve().parents[2]
NOW = datetime.now(UTC).replace(microsecond=0)
XML = {"Content-Type": "application/xml; charset=utf-8"}


def run(db: Path, tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "tests.helpers.file_keyring.TestFileKeyring",
           "PLANNER_TEST_KEYRING": str(tmp_path / "keyring.json"),
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "planner", "--db", str(db), *args],
                          input=stdin, capture_output=True, text=True, cwd=REPO, env=env,
                          timeout=120)


def test_a_bad_answer_is_said_once_without_a_traceback(tmp_path):
    html = FakeHTTP(lambda m, p, b: (207, XML, b""))  # an empty body: the library trips
    try:
        done = run(tmp_path / "p.db", tmp_path, "capture", "caldav", "add",
                   f"{html.base}/cal/", "--user", "me", "--password-stdin", stdin="pw-123\n")
    finally:
        html.close()
    assert done.returncode == 1
    assert done.stderr == (f"planner: 127.0.0.1:{html.port} gave an answer that could not be "
                           "read (AttributeError)\n")


@pytest.mark.parametrize("command", [("capture", "caldav", "sync"), ("capture", "sync")],
                         ids=["caldav sync", "sync of every source"])
def test_an_event_that_cannot_be_read_is_warned_about_once(radicale, tmp_path, command):
    """`planner capture caldav sync`, and `planner capture sync` (every kind of source),
    say an unreadable CalDAV event once: no second copy from Python's last-resort handler."""
    calendar = make_calendar(radicale)
    calendar.save_event(event("fine", NOW - timedelta(days=1)))
    calendar.save_event(event("broken", NOW - timedelta(days=1)).replace(
        f"DTSTART:{stamp(NOW - timedelta(days=1))}",
        f'DTSTART;TZID="(UTC+99:99) Nowhere":{stamp(NOW - timedelta(days=1))[:-1]}'))
    db = tmp_path / "p.db"
    assert run(db, tmp_path, "contacts", "add", "Ann", "--email", "ann@example.org"
               ).returncode == 0
    assert run(db, tmp_path, "capture", "me", f"{radicale_server.USER}@example.org"
               ).returncode == 0
    added = run(db, tmp_path, "capture", "caldav", "add", radicale.calendar_url(), "--user",
                radicale_server.USER, "--password-stdin", "--label", "Work",
                stdin=radicale_server.PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    synced = run(db, tmp_path, *command)
    assert synced.returncode == 0 and "Work: 1 new" in synced.stdout, synced.stderr
    if command == ("capture", "sync"):
        assert "1 warning above" in synced.stdout
    lines = synced.stderr.splitlines()
    assert len(lines) == 1, synced.stderr
    assert lines[0].startswith("planner: warning: Work: event broken.ics: “Mentoring” (UID broken,")
    assert lines[0].endswith("was not read: its time zone cannot be read ((UTC+99:99) Nowhere)")
