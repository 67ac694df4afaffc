"""A crash mid-write: a process logging changes is SIGKILLed at random points.

The child logs touchpoints and notes (through the services, or through the
command line's ``main`` in-process) and prints ``ack <text>`` after each
commit. The parent kills it at a random moment, reopens the database and
checks ``PRAGMA integrity_check`` and that every acknowledged change is there.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner.storage.database import open_database
from tests.helpers.stores import bound

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

KILLS = 30
CHANGES_PER_RUN = 5000  # far more than a run can make before it is killed

CHILD = r"""
import sys
from planner.storage.database import open_database

path, tag, mode, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
if mode == "cli":
    from planner.cli import main
    for i in range(count):
        text = f"{tag}-{i}"
        args = ["--db", path, "log", "Crash Dummy", "call", "--note", text] if i % 2 else \
               ["--db", path, "note", "Crash Dummy", text]
        if main(args) != 0:
            sys.exit(3)
        print("ack", text, flush=True)
else:
    from planner.services import touchpoints
    opened = open_database(path)
    for i in range(count):
        text = f"{tag}-{i}"
        if i % 2:
            touchpoints.log_touchpoint(opened.backend, 1, "call", note=text)
        else:
            touchpoints.add_note(opened.backend, 1, text)
        print("ack", text, flush=True)
"""

FIGURES: dict[str, int] = {}


def stored_texts(path: Path) -> tuple[str, set[str]]:
    conn = sqlite3.connect(path)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        texts = {r[0] for r in conn.execute("SELECT note FROM touchpoint")}
        texts |= {r[0] for r in conn.execute("SELECT text FROM note")}
        return check, texts
    finally:
        conn.close()


def acknowledged_in(output: str) -> list[str]:
    """The texts of the whole ``ack TEXT`` lines (the command line prints lines of its own
    too). A last line without its newline was cut short by the kill: the child had not
    finished acknowledging it (seen once under load: a bare "ack " at the end)."""
    return [line[4:-1] for line in output.splitlines(keepends=True)
            if line.startswith("ack ") and line.endswith("\n") and len(line) > 5]


def run_and_kill(script: Path, db: Path, tag: str, mode: str, rng: random.Random) -> list[str]:
    """Start the child, let it acknowledge some changes, SIGKILL it; the acknowledged texts."""
    proc = subprocess.Popen(
        [sys.executable, str(script), str(db), tag, mode, str(CHANGES_PER_RUN)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    acked: list[str] = []
    wanted = rng.randint(1, 150)
    try:
        assert proc.stdout is not None
        while len(acked) < wanted:
            line = proc.stdout.readline()
            if not line:
                break
            acked += acknowledged_in(line)
        time.sleep(rng.uniform(0, 0.02))  # land somewhere inside the next write
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        # whatever it printed in full before dying was acknowledged too
        acked += acknowledged_in(proc.stdout.read())
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL, "the child ended before it was killed"
    return acked


@pytest.mark.slow
def test_sigkill_at_random_points_loses_no_acknowledged_change(tmp_path):
    from planner.services import contacts

    db = tmp_path / "planner.db"
    opened = open_database(str(db))
    contacts.add_contact(bound(), "Crash Dummy")
    opened.close()
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    rng = random.Random(int(os.environ.get("PLANNER_CRASH_SEED", "12")))
    acknowledged: set[str] = set()
    started = time.monotonic()
    kills = 0
    for round_no in range(KILLS):
        mode = "cli" if round_no % 3 == 2 else "services"
        acked = run_and_kill(script, db, f"r{round_no}", mode, rng)
        kills += 1
        acknowledged |= set(acked)
        check, texts = stored_texts(db)
        assert check == "ok", f"integrity_check after kill {kills}: {check}"
        missing = acknowledged - texts
        assert not missing, f"after kill {kills} ({mode}) lost {sorted(missing)[:5]}"
        reopened = open_database(str(db))  # the app itself opens it too
        reopened.close()
        if time.monotonic() - started > 50:
            break
    assert kills >= 5
    FIGURES.update(kills=kills, acknowledged=len(acknowledged), lost=0)
    print(f"\nreliability: {kills} kills survived, {len(acknowledged)} acknowledged "
          "changes, 0 lost")
