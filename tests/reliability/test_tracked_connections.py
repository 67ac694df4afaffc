"""Every SQLite connection the app makes to a file is a tracked one (issue 17's rule).

CI caught the daily backup's read-only connection (an untracked ``sqlite3.connect``)
open on a worker thread while a failed restore reopened the database: the reopen read
the file's header with plain I/O, which drops the backup connection's locks. A tracked
connection makes the file live, so its header is asked of the connection instead.
"""

from __future__ import annotations

import ast
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from planner.storage import dump
from planner.storage.sqlite import backup, encryption, live_files

PLANNER = Path(__file__).resolve().parents[2] / "planner"
CONNECT_NAMES = {"sqlite3", "dbapi2", "driver", "sqlcipher3"}


def _untracked_connects() -> list[str]:
    found = []
    for source in sorted(PLANNER.rglob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "connect" and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in CONNECT_NAMES):
                continue
            first = node.args[0] if node.args else None
            in_memory = isinstance(first, ast.Constant) and first.value == ":memory:"
            if not in_memory and not any(k.arg == "factory" for k in node.keywords):
                found.append(f"{source.relative_to(PLANNER.parent)}:{node.lineno}")
    return found


def test_every_connection_to_a_file_is_tracked():
    assert _untracked_connects() == []


def test_the_contract_sees_an_untracked_connect(tmp_path, monkeypatch):
    """The check above can fail: a module with a bare connect is reported."""
    module = tmp_path / "planner" / "bad.py"
    module.parent.mkdir()
    module.write_text("import sqlite3\nconn = sqlite3.connect('x.db')\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["PLANNER"]), "PLANNER",
                        tmp_path / "planner")
    assert _untracked_connects() == ["planner/bad.py:2"]


def _plain_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()


def test_a_read_only_look_makes_the_file_live_and_its_state_is_asked(tmp_path):
    path = tmp_path / "planner.db"
    _plain_database(path)
    assert encryption.file_state(path) == "plain"  # not live: read from the header
    conn = dump._connect_readonly(path)
    try:
        assert live_files.is_live(path)
        # the lock guard (active for the whole suite) fails this test if the header is read
        assert encryption.file_state(path) == "plain"
    finally:
        conn.close()
    assert not live_files.is_live(path)


def test_a_backup_on_another_thread_keeps_the_file_live_meanwhile(tmp_path):
    """What the daily backup does on its worker thread: while its source connection is
    open, the file is live (and a restore's reopen asks instead of reading). Another
    process holds the file exclusively for a moment, so the backup waits, connected."""
    path = tmp_path / "planner.db"
    _plain_database(path)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_EXCLUSIVELY, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        job = threading.Thread(target=backup.backup_file, args=(path, tmp_path / "copy.db"))
        job.start()
        deadline = time.monotonic() + 10
        while not live_files.is_live(path) and job.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)
        assert live_files.is_live(path), "the backup's connection is not tracked"
        assert encryption.file_state(path) == "plain"  # asked of the connection, not read
    finally:
        holder.wait(30)
        holder.stdout.close()
    job.join(30)
    assert not live_files.is_live(path)
    assert (tmp_path / "copy.db").stat().st_size > 0


HOLD_EXCLUSIVELY = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("holding", flush=True)
time.sleep(1.5)
conn.execute("COMMIT")
"""


def test_the_first_connection_says_what_the_file_is(tmp_path):
    """A read-only look through the standard library at a file SQLCipher holds open does
    not turn it into a plain file for the rest of the process."""
    path = tmp_path / "secret.db"
    _plain_database(path)
    key = encryption.generate_key()
    encryption.encrypt(path, key)
    held = encryption.open_verified(path, key)
    try:
        assert encryption.file_state(path) == "encrypted"
        look = sqlite3.connect(backup.sqlite_uri(path, mode="ro"), uri=True,
                               factory=live_files.tracked(sqlite3.Connection))
        look.close()
        assert encryption.file_state(path) == "encrypted"
    finally:
        held.close()
