"""Ctrl+C (SIGINT) stops a ``planner`` command at once with exit code 130 and one line,
never a traceback, and with nothing half-written.

Each test runs the real command in a process of its own and sends it SIGINT while it
waits: for the write lock another connection holds (every write begins IMMEDIATE and
waits up to 10 s for another writer), or for a line on standard input. It exited 1 with
"planner: aborted" (click's word for it), and a writer waiting for the lock heard the
Ctrl+C only when SQLite gave up, up to 10 s later."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers.cli import as_json, invoke, ok
from tests.helpers.interruptible import interruptible


def _start(db_path: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        interruptible([sys.executable, "-m", "planner", "--db", str(db_path), *args]),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})


def _has_open(proc: subprocess.Popen, path: Path) -> bool:
    """Whether the process holds ``path`` open (Linux: /proc/PID/fd)."""
    folder = Path(f"/proc/{proc.pid}/fd")
    try:
        return any(os.path.realpath(fd) == str(path.resolve()) for fd in folder.iterdir())
    except (FileNotFoundError, PermissionError):
        return False


def _reading_a_pipe(proc: subprocess.Popen) -> bool:
    """Whether the process sleeps reading a pipe (its standard input here; Linux)."""
    try:
        return "pipe_read" in Path(f"/proc/{proc.pid}/wchan").read_text()
    except (FileNotFoundError, PermissionError):
        return False


def _interrupt(proc: subprocess.Popen, *, once) -> tuple[float, str, str]:
    """SIGINT once ``once()`` holds and the command has sat there a moment; how long it
    took to end after the signal, and its output."""
    try:
        deadline = time.monotonic() + 60
        while not once():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the command never got there"
            time.sleep(0.05)
        time.sleep(0.7)  # waiting, in SQLite's busy wait or on the read
        assert proc.poll() is None, proc.communicate()
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        return time.monotonic() - sent, out, err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]  # (after ^C: a new line)
    assert len(lines) == 1, err
    return lines[0]


def test_ctrl_c_while_waiting_for_the_write_lock_stops_at_once_and_writes_nothing(db_path):
    ok(invoke("contacts", "add", "Ada Lovelace", db=db_path))
    holder = sqlite3.connect(db_path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another writer, mid-transaction
        proc = _start(db_path, "log", "Ada", "coffee", "--note", "never written")
        took, out, err = _interrupt(proc, once=lambda: _has_open(proc, db_path))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 130, (proc.returncode, out, err)
    assert _one_line(err) == "planner: interrupted" and out == ""
    assert took < 3, f"the Ctrl+C was heard only after {took:.1f} s"
    assert as_json(invoke("timeline", "--json", db=db_path))[0]["type"] == "created"
    assert as_json(invoke("contacts", "show", "Ada", "--json", db=db_path))["last_touch"] is None
    check = sqlite3.connect(db_path)
    try:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        check.close()


def test_ctrl_c_while_reading_standard_input_is_130_and_one_line(db_path):
    ok(invoke("contacts", "add", "Ada Lovelace", db=db_path))
    before = db_path.read_bytes()
    proc = _start(db_path, "--passphrase-stdin", "db", "encrypt", "--own-passphrase")
    took, out, err = _interrupt(proc, once=lambda: _reading_a_pipe(proc))
    assert proc.returncode == 130, (proc.returncode, out, err)
    assert _one_line(err) == "planner: interrupted" and "Traceback" not in err
    assert took < 3
    assert db_path.read_bytes()[:16] == before[:16] == b"SQLite format 3\x00"  # still plain
    assert "Ada Lovelace" in ok(invoke("contacts", "list", db=db_path))


def test_end_of_input_at_a_prompt_is_still_aborted_not_interrupted(db_path):
    """click's Abort for a closed standard input is not a Ctrl+C: exit 1, as before."""
    ok(invoke("contacts", "add", "Ada Lovelace", db=db_path))
    proc = _start(db_path, "--passphrase-stdin", "db", "encrypt", "--own-passphrase")
    out, err = proc.communicate("", timeout=60)
    assert proc.returncode == 1, (out, err)
    assert "Traceback" not in err and "interrupted" not in err
