"""The backend of an open SQLite / SQLCipher database: what services and the document
ask instead of looking at the peewee class (the PostgreSQL half is in
tests/postgres/test_error_codes_pg.py)."""

from __future__ import annotations

import sqlite3

import pytest

from planner.domain.errors import DatabaseProblem
from planner.storage import backend as backends
from planner.storage.database import open_database
from planner.storage.failures import Failure
from planner.storage.sqlite import encryption
from tests.helpers.stores import bound


@pytest.fixture
def handle(tmp_path):
    opened = open_database(str(tmp_path / "planner.db"))
    yield opened
    opened.close()


def _other_writer_waits(path) -> bool:
    """Can another connection take the write lock right now?"""
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        other.close()


def test_a_file_is_sqlite_not_a_team(handle, tmp_path):
    found = handle.backend
    assert found is bound() is backends.backend_for(handle.db)
    assert (found.kind, found.team, found.current_user()) == ("sqlite", False, "")
    assert found.path == (tmp_path / "planner.db").absolute()
    assert found.session_id() is None
    found.heartbeat()


def test_a_write_transaction_takes_the_lock_at_its_start(handle, tmp_path):
    """BEGIN IMMEDIATE: before anything is written, another writer already waits; a
    write inside a write is a savepoint of the same transaction."""
    with handle.backend.write():
        assert _other_writer_waits(tmp_path / "planner.db")
        with handle.backend.write():  # a savepoint: no second BEGIN
            handle.db.execute_sql("CREATE TABLE inner_write (x)")
        assert _other_writer_waits(tmp_path / "planner.db")  # still the outer one's
    assert not _other_writer_waits(tmp_path / "planner.db")


def test_a_snapshot_reads_without_the_write_lock(handle, tmp_path):
    """BEGIN DEFERRED: a read snapshot (an export, the dashboard) neither takes the write
    lock nor waits for another writer's, and sees one state from its first read."""
    handle.db.execute_sql("CREATE TABLE seen (x)")
    holder = sqlite3.connect(tmp_path / "planner.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program is writing
    try:
        with handle.backend.snapshot():
            assert handle.db.transaction_depth() == 1
            assert handle.db.execute_sql("SELECT count(*) FROM seen").fetchone()[0] == 0
            holder.execute("INSERT INTO seen VALUES (1)")
            holder.execute("COMMIT")
            assert handle.db.execute_sql("SELECT count(*) FROM seen").fetchone()[0] == 0
            with handle.backend.snapshot():  # a savepoint: no second BEGIN
                assert handle.db.execute_sql("SELECT count(*) FROM seen").fetchone()[0] == 0
        assert handle.db.execute_sql("SELECT count(*) FROM seen").fetchone()[0] == 1
    finally:
        holder.close()


def test_the_move_lock_is_the_write_lock(handle, tmp_path):
    with handle.backend.move_lock(""):
        assert _other_writer_waits(tmp_path / "planner.db")


def test_a_move_while_another_program_writes_is_refused_clearly(handle, tmp_path,
                                                               monkeypatch):
    from planner.storage import failures

    monkeypatch.setattr(failures, "BUSY_SECONDS", 1)  # (a writer waits 1 s, not 10, here)
    holder = sqlite3.connect(tmp_path / "planner.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseProblem, match="busy") as caught, \
                handle.backend.move_lock(""):
            pass
        assert handle.backend.classify(caught.value) is Failure.LOCKED
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_data_version_changes_when_another_connection_commits(handle, tmp_path):
    before = handle.backend.data_version()
    handle.db.execute_sql("CREATE TABLE mine (x)")  # this connection's own commit
    assert handle.backend.data_version() == before
    other = sqlite3.connect(tmp_path / "planner.db", isolation_level=None)
    other.execute("CREATE TABLE theirs (x)")
    other.close()
    assert handle.backend.data_version() != before


def test_an_encrypted_file_is_sqlcipher(tmp_path):
    path = tmp_path / "secret.db"
    open_database(str(path)).close()
    key = encryption.generate_key()
    encryption.encrypt(path, key)
    opened = open_database(str(path), key=key)
    try:
        found = opened.backend
        assert (found.kind, found.team, found.path) == ("sqlcipher", False, path.absolute())
        with found.write():
            assert opened.db.transaction_depth() == 1
        assert isinstance(found.data_version(), int)
    finally:
        opened.close()


def test_a_memory_database_has_no_file(tmp_path):
    from peewee import SqliteDatabase

    assert backends.backend_for(SqliteDatabase(":memory:")).path is None


def test_a_copy_holds_what_is_committed(handle, tmp_path):
    """copy_to: from this connection when it is idle; inside a write, from another
    connection, so the copy never holds the open transaction's rows."""
    handle.db.execute_sql("CREATE TABLE kept (x)")
    handle.db.execute_sql("INSERT INTO kept VALUES (1)")
    handle.backend.copy_to(tmp_path / "idle.db")
    with handle.backend.write():
        handle.db.execute_sql("INSERT INTO kept VALUES (2)")
        handle.backend.copy_to(tmp_path / "during.db")
    for name, rows in (("idle.db", 1), ("during.db", 1)):
        copy = sqlite3.connect(tmp_path / name)
        try:
            assert copy.execute("SELECT count(*) FROM kept").fetchone()[0] == rows
        finally:
            copy.close()
    assert handle.backend.url is None


def test_memory_has_no_file_to_copy(tmp_path):
    from peewee import SqliteDatabase

    memory = backends.backend_for(SqliteDatabase(":memory:"))
    with pytest.raises(DatabaseProblem, match="in-memory"):
        memory.copy_to(tmp_path / "copy.db")
