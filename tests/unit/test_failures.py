"""Storage errors are classified by SQLite's result code (and an OSError's errno), never
by the words of the message: real errors, provoked on real files."""

from __future__ import annotations

import errno
import sqlite3

import peewee
import pytest

from planner.domain.errors import DatabaseProblem
from planner.storage.database import open_database
from planner.storage.failures import (
    SQLITE_BUSY,
    SQLITE_NOTADB,
    SQLITE_READONLY,
    Failure,
    classify,
    sqlite_code,
    storage_problem,
)
from planner.storage.sqlite import encryption


def _error(conn, sql: str) -> BaseException:
    with pytest.raises(sqlite3.DatabaseError) as caught:
        conn.execute(sql)
    return caught.value


def test_a_writer_holding_the_lock_is_locked_by_code(tmp_path):
    path = tmp_path / "a.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        exc = _error(other, "BEGIN IMMEDIATE")
        assert sqlite_code(exc) == SQLITE_BUSY
        assert classify(exc) is Failure.LOCKED
        problem = storage_problem(exc, "a.db")
        assert problem is not None and "a.db is busy" in str(problem)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        other.close()


def test_the_classification_reads_the_code_not_the_words(tmp_path):
    """The same error, its message replaced by a translation: the same kind (the code
    stays); and a message that only says "locked" without the code is not LOCKED."""
    path = tmp_path / "a.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA query_only = 1")
    exc = _error(conn, "CREATE TABLE t (x)")
    assert sqlite_code(exc) == SQLITE_READONLY and classify(exc) is Failure.READ_ONLY
    exc.args = ("Versuch, in eine schreibgeschützte Datenbank zu schreiben",)
    assert classify(exc) is Failure.READ_ONLY
    assert classify(sqlite3.OperationalError("database is locked")) is Failure.OTHER
    conn.close()


def test_peewee_keeps_the_drivers_code(tmp_path):
    db = peewee.SqliteDatabase(str(tmp_path / "a.db"), pragmas={"query_only": 1})
    with pytest.raises(peewee.OperationalError) as caught:
        db.execute_sql("CREATE TABLE t (x)")
    assert classify(caught.value) is Failure.READ_ONLY
    db.close()


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are not the pages of a SQLite database" * 100)
    conn = sqlite3.connect(path)
    exc = _error(conn, "SELECT * FROM sqlite_master")
    conn.close()
    assert sqlite_code(exc) == SQLITE_NOTADB and classify(exc) is Failure.NOT_A_DATABASE
    assert storage_problem(exc) is None  # not a disk problem: said otherwise by the caller


def test_sqlcipher_reads_a_wrong_key_as_not_a_database(tmp_path):
    path = tmp_path / "secret.db"
    open_database(str(path)).close()
    encryption.encrypt(path, encryption.generate_key())
    conn = encryption.connect(path, encryption.generate_key(), readonly=True)
    try:
        with pytest.raises(Exception) as caught:  # sqlcipher3's own DatabaseError
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()
    assert classify(caught.value) is Failure.NOT_A_DATABASE
    with pytest.raises(encryption.WrongKey):
        encryption.open_verified(path, encryption.generate_key())


def test_os_errors_by_errno():
    full = OSError(errno.ENOSPC, "Kein Platz mehr auf dem Gerät")
    assert classify(full) is Failure.DISK_FULL
    assert "is full" in str(storage_problem(full, "x.db"))
    assert classify(OSError(errno.EROFS, "…")) is Failure.READ_ONLY
    assert classify(OSError(errno.EIO, "…")) is Failure.IO_ERROR


def test_a_translated_problem_still_carries_its_kind(tmp_path, monkeypatch):
    """The database's own translation (DatabaseProblem from the driver's error) keeps the
    error as its cause: classify sees through it."""
    from planner.storage import failures

    monkeypatch.setattr(failures, "BUSY_SECONDS", 1)  # (a writer waits 1 s, not 10, here)
    path = tmp_path / "a.db"
    handle = open_database(str(path))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseProblem) as caught, handle.db.atomic("IMMEDIATE"):
            pass
        assert classify(caught.value) is Failure.LOCKED
        assert "busy" in str(caught.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        handle.close()


def test_constraints_by_extended_code(tmp_path):
    conn = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = 1")
    conn.execute("CREATE TABLE p (id INTEGER PRIMARY KEY, u TEXT UNIQUE)")
    conn.execute("CREATE TABLE c (p_id INTEGER REFERENCES p(id))")
    conn.execute("INSERT INTO p VALUES (1, 'x')")
    assert classify(_error(conn, "INSERT INTO p VALUES (2, 'x')")) is Failure.DUPLICATE
    assert classify(_error(conn, "INSERT INTO p VALUES (1, 'y')")) is Failure.DUPLICATE
    assert classify(_error(conn, "INSERT INTO c VALUES (9)")) is Failure.FOREIGN_KEY
    conn.close()
