"""An export, a This Week page or a backup copy never replaces a database or a device.

``export -o planner.db`` replaced the open database with its own dump ("Wrote json to
planner.db", exit 0), ``focus -o`` with a Markdown page, ``-o planner.db-wal`` wrote into
its log, and as root ``-o /dev/full`` replaced the device with a file. Here each is
refused with one line, and the database, its log and the special file are unchanged."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from tests.helpers.cli import invoke


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "planner.db"
    assert invoke("contacts", "add", "Ada Lovelace", "--ring", "inner", db=path).returncode == 0
    return path


def people(path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM contact").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("command", [
    ("export", "-o"), ("export", "--format", "csv", "-o"), ("export", "--format", "vcard", "-o"),
    ("focus", "-o")])
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_no_export_replaces_the_open_database_or_its_files(db, command, suffix):
    target = db.with_name(db.name + suffix)
    result = invoke(*command, str(target), db=db)
    assert result.returncode == 1, result.stdout
    assert "the open database" in result.stderr or "belongs to the database" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert people(db) == 1
    assert invoke("contacts", "show", "Ada Lovelace", db=db).returncode == 0


def test_no_export_replaces_another_database_file(db, tmp_path):
    other = tmp_path / "other.db"
    assert invoke("contacts", "add", "Grace Hopper", db=other).returncode == 0
    result = invoke("export", "-o", str(other), db=db)
    assert result.returncode == 1
    assert "is a database file, which an export never replaces" in result.stderr
    assert people(other) == 1
    # an export of its own kind is replaced as always
    out = tmp_path / "people.json"
    for _ in range(2):
        assert invoke("export", "-o", str(out), db=db).returncode == 0


def test_nothing_replaces_a_device_pipe_or_socket(db, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for args in (("export", "-o", str(fifo)), ("focus", "-o", str(fifo)),
                 ("backup", "-o", str(fifo))):
        result = invoke(*args, db=db)
        assert result.returncode == 1, args
        assert "not a regular file" in result.stderr
        assert stat.S_ISFIFO(os.stat(fifo).st_mode), args  # still the pipe


def test_a_backup_copy_never_goes_into_the_open_databases_log(db):
    for suffix in ("-wal", "-shm"):
        result = invoke("backup", "-o", str(db) + suffix, db=db)
        assert result.returncode == 1
        assert "a file of the open database" in result.stderr
    assert people(db) == 1


def test_no_backup_copy_replaces_a_database_another_program_has_open(db, tmp_path):
    """``planner --db B backup -o A`` while another program had A open replaced A's file
    and left A's write-ahead log beside it; SQLite then replayed that log into the copy:
    A's owner lost everything but their last changes, mixed into B's data. A copy never
    replaces a file with a log or journal beside it; once A is closed it may."""
    other = tmp_path / "other.db"
    assert invoke("contacts", "add", "Grace Hopper", db=other).returncode == 0
    holder = sqlite3.connect(other, isolation_level=None)
    try:
        holder.execute("PRAGMA wal_autocheckpoint=0")
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("UPDATE contact SET name = 'Grace Brewster Hopper'")
        holder.execute("COMMIT")
        assert other.with_name("other.db-wal").exists()
        result = invoke("backup", "-o", str(other), db=db)
        assert result.returncode == 1, result.stdout
        assert result.stderr.strip().splitlines() == [
            f"planner: {other} is a database in use, or not closed cleanly (other.db-wal is "
            "beside it): it is never replaced; choose another file"]
        names = [r[0] for r in holder.execute("SELECT name FROM contact")]
        assert names == ["Grace Brewster Hopper"]
    finally:
        holder.close()  # the last connection: its log is written back and removed
    assert not other.with_name("other.db-wal").exists()
    assert invoke("backup", "-o", str(other), db=db).returncode == 0  # closed: a copy may
    shown = invoke("contacts", "list", db=other)
    assert "Ada Lovelace" in shown.stdout and "Grace" not in shown.stdout
