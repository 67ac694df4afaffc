"""Writers wait their turn (issue 17): every write transaction begins IMMEDIATE.

A deferred transaction (read, then write) failed at once with "database is
locked" when another writer committed in between; now a writer takes the write
lock first and waits up to the busy timeout, and a real timeout is one sentence.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time

from tests.helpers.cli import ok, refused, run_cli


def _hold_write_lock(db, seconds: float, started: threading.Event) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE contact SET notes = notes WHERE id = 1")
        started.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
    finally:
        conn.close()


def test_a_writer_waits_for_another_writers_transaction(db_path):
    ok(run_cli("contacts", "add", "Ada Lovelace", "--ring", "inner", db=db_path))
    for args in (("note", "Ada", "waited"), ("log", "Ada", "im"), ("contacts", "move", "Ada",
                                                                   "middle")):
        started = threading.Event()
        holder = threading.Thread(target=_hold_write_lock, args=(db_path, 2.5, started))
        holder.start()
        try:
            assert started.wait(10)
            ok(run_cli(*args, db=db_path))
        finally:
            holder.join()
    timeline = run_cli("timeline", "Ada", "--json", db=db_path)
    kinds = [entry["kind"] for entry in __import__("json").loads(ok(timeline))]
    assert "note" in kinds and "im" in kinds and "move" in kinds


def test_a_real_timeout_is_one_clear_sentence_and_nothing_is_written(db_path):
    ok(run_cli("contacts", "add", "Ada Lovelace", db=db_path))
    started = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(db_path, 13, started))
    holder.start()
    try:
        assert started.wait(10)
        line = refused(run_cli("note", "Ada", "never saved", db=db_path), "busy")
        assert "unexpected" not in line and "not saved" in line
    finally:
        holder.join()
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM note").fetchone()[0] == 0
    conn.close()


WRITER = """
import subprocess, sys
db, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
failures = 0
for i in range(count):
    args = ["note", "Ada", f"{name}-{i}"] if i % 2 else ["log", "Ada", "im", "--note",
                                                       f"{name}-{i}"]
    r = subprocess.run([sys.executable, "-m", "planner", "--db", db, *args],
                       capture_output=True, text=True)
    if r.returncode != 0:
        failures += 1
        print(r.stderr.strip(), file=sys.stderr)
print(failures)
"""


def test_four_command_line_writers_at_once_never_fail(db_path):
    ok(run_cli("contacts", "add", "Ada Lovelace", db=db_path))
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), f"w{n}", "8"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(4)
    ]
    for proc in writers:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert out.strip() == "0", err  # no writer was refused "database is locked"
    conn = sqlite3.connect(db_path)
    texts = {r[0] for r in conn.execute("SELECT note FROM touchpoint UNION ALL "
                                        "SELECT text FROM note")}
    conn.close()
    assert texts >= {f"w{n}-{i}" for n in range(4) for i in range(8)}
