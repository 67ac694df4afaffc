"""The lock bug of issue 17: looking at the database file while a connection is open.

POSIX locks belong to the process: closing any descriptor of the database file
dropped the window's SQLite locks; the next ``planner`` command then deleted the
-wal under it, and the window's last checkpoint overwrote the command's writes.
Each test here makes the window-side calls that used to read the file, then
checks that every acknowledged write of both sides is in the database.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from planner.domain.errors import DatabaseProblem
from planner.services import backups, contacts, security, touchpoints
from planner.storage import dump
from planner.storage.database import open_database
from planner.storage.models import ContactRow, db_proxy
from planner.storage.sqlite import encryption, live_files
from tests.helpers.cli import ok, run_cli
from tests.helpers.stores import bound


def _notes(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT note FROM touchpoint ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def database(tmp_path):
    db = tmp_path / "planner.db"
    ok(run_cli("contacts", "add", "Ada Lovelace", db=db))
    return db


def _held_connection_scenario(db: Path, look) -> list[str]:
    """The reproduction of the issue, with ``look`` as the window's call in the middle."""
    opened = open_database(str(db))
    try:
        assert ContactRow.select().count() == 1  # the window has read the database
        look(db)
        ok(run_cli("rings", db=db))  # used to checkpoint and delete the -wal here
        ada = contacts.resolve_contact("Ada Lovelace").id
        touchpoints.log_touchpoint(bound(), ada, "coffee", note="from the window")
        ok(run_cli("log", "Ada", "im", "--note", "from CLI", db=db))
        touchpoints.log_touchpoint(bound(), ada, "call", note="from the window, after")
    finally:
        opened.close()
    return _notes(db)


def _second_read_only_open(db: Path) -> None:
    """A second, read-only opening of the same file (then back to the first)."""
    first = db_proxy.obj
    open_database(str(db), read_only=True).close()
    db_proxy.initialize(first)


@pytest.mark.parametrize(
    "look",
    [
        pytest.param(encryption.file_state, id="file_state"),
        pytest.param(encryption.status, id="encryption.status"),
        pytest.param(lambda db: security.security_status(str(db), check_keyring=False),
                     id="security_status"),
        pytest.param(lambda db: dump.classify_file(db), id="classify_file"),
        pytest.param(lambda db: backups.backup_now(bound()), id="backup_now"),
        pytest.param(_second_read_only_open, id="second_read_only_open"),
    ],
)
def test_no_acknowledged_write_is_lost(database, look):
    assert _held_connection_scenario(database, look) == [
        "from the window", "from CLI", "from the window, after"]
    conn = sqlite3.connect(database)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_file_state_of_a_live_database_is_answered_from_its_connection(database):
    opened = open_database(str(database))
    try:
        assert live_files.is_live(database)
        assert encryption.file_state(database) == "plain"
        with pytest.raises(DatabaseProblem):
            encryption.read_header(database)  # refused, never read
    finally:
        opened.close()
    assert not live_files.is_live(database)
    assert encryption.read_header(database).startswith(b"SQLite format 3")


def test_a_link_to_a_live_database_is_the_live_database(database, tmp_path):
    link = tmp_path / "link.db"
    link.symlink_to(database)
    opened = open_database(str(database))
    try:
        assert live_files.is_live(link)
        assert live_files.is_live(Path(f"{link}-wal"))
        with pytest.raises(DatabaseProblem, match="still open"):
            dump.fsync_file(link)
    finally:
        opened.close()


def test_a_worker_threads_connection_counts_until_it_is_closed(database):
    opened = open_database(str(database))
    opened.db.close()  # this thread's connection only
    done = threading.Event()
    release = threading.Event()

    def worker():
        opened.db.connect()
        done.set()
        release.wait(10)
        opened.db.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert done.wait(10)
        assert live_files.is_live(database)  # another thread's connection holds locks
        with pytest.raises(DatabaseProblem, match="still open"):
            encryption.encrypt(database, encryption.generate_key())
    finally:
        release.set()
        thread.join()
    assert not live_files.is_live(database)
