"""The lock guard itself must catch what it is there to catch (see tests/helpers/lock_guard.py)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from planner.storage.database import open_database
from tests.helpers import lock_guard


def _forget_new(before: int) -> list[str]:
    found = lock_guard.violations[before:]
    del lock_guard.violations[before:]
    return found


@pytest.mark.parametrize("sidecar", ["", "-wal", "-shm"])
def test_opening_a_live_database_or_its_sidecar_is_caught(tmp_path, sidecar):
    db = tmp_path / "planner.db"
    opened = open_database(str(db))
    before = len(lock_guard.violations)
    try:
        with pytest.raises(lock_guard.LockGuardViolation):
            open(f"{db}{sidecar}", "rb").close()
    finally:
        opened.close()
        found = _forget_new(before)
    assert len(found) == 1 and str(db) in found[0]
    open(db, "rb").close()  # closed now: allowed


def test_a_raw_sqlite3_connection_counts_too(tmp_path):
    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x)")
    before = len(lock_guard.violations)
    try:
        with pytest.raises(lock_guard.LockGuardViolation):
            db.read_bytes()
    finally:
        conn.close()
        found = _forget_new(before)
    assert len(found) == 1
    assert db.read_bytes().startswith(b"SQLite format 3")


def test_a_subprocess_reports_through_its_log(tmp_path):
    log = tmp_path / "guard.log"
    db = tmp_path / "planner.db"
    script = (
        "from planner.storage.database import open_database\n"
        f"o = open_database({str(db)!r})\n"
        "try:\n"
        f"    open({str(db)!r}, 'rb').close()\n"
        "except RuntimeError:\n"
        "    pass\n"
        "o.close()\n"
    )
    env = {**os.environ, lock_guard.LOG_VARIABLE: str(log)}
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=120)
    assert str(db) in log.read_text()
