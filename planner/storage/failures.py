"""Storage failures a person can act on: a full disk, an I/O error, a read-only file
(and numbers too large for SQLite, which the person typed).

SQLite reports them as ``OperationalError`` (wrapped by peewee); here, in one place,
they become ``DatabaseProblem`` with a plain message, wherever the write happens
(services, migrations, the window, the command line). The failed transaction is
rolled back by SQLite, so the data saved before it stays intact.
"""

from __future__ import annotations

import os
import sqlite3
from functools import cache
from pathlib import Path

import peewee
from peewee import SqliteDatabase

from planner.domain.errors import DatabaseProblem, InvalidInput

_NOT_SAVED = "the change was not saved; everything saved before it is intact"
BUSY_SECONDS = 10  # the busy timeout of every connection (planner.storage.database)


def storage_problem(exc: BaseException, where: str = "the database") -> DatabaseProblem | None:
    """The DatabaseProblem for a full disk / I/O / read-only error, else None."""
    text = str(exc).lower()
    if "disk is full" in text or "no space left" in text or "file too large" in text:
        return DatabaseProblem(
            f"the disk holding {where} is full: {_NOT_SAVED}. Free some space and try again"
        )
    if "readonly database" in text or "read-only file system" in text:
        return DatabaseProblem(
            f"{where} is read-only: {_NOT_SAVED}. Check the file's and its folder's "
            "permissions, or open a copy"
        )
    if _error_code(exc) in (SQLITE_BUSY, SQLITE_LOCKED) or "database is locked" in text:
        return DatabaseProblem(
            f"{where} is busy: another window or command kept it locked for more than "
            f"{BUSY_SECONDS} seconds, so {_NOT_SAVED}. Try again in a moment"
        )
    if "disk i/o error" in text:
        return DatabaseProblem(
            f"cannot write {where} (disk I/O error; is the disk full or removed?): {_NOT_SAVED}"
        )
    return None


SQLITE_BUSY, SQLITE_LOCKED = 5, 6


def _error_code(exc: BaseException) -> int | None:
    """SQLite's primary result code of an error (peewee keeps the driver's as the cause)."""
    for candidate in (exc, exc.__cause__, exc.__context__):
        code = getattr(candidate, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code & 0xFF
    return None


def refuse_read_only(path: Path) -> None:
    """Refuse, clearly and before touching anything, a database that could not be saved
    to: a read-only file, or a read-only folder (SQLite keeps its journal beside it)."""
    if path.is_file() and not os.access(path, os.W_OK):
        raise DatabaseProblem(
            f"{path} is read-only, so changes could not be saved; it was left untouched. "
            "Make it writable (chmod u+w) or open a copy in a folder you can write"
        )
    folder = path.parent
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseProblem(
            f"the folder {folder} is read-only; the database keeps its journal beside "
            f"{path.name}, so it cannot be opened there (it was left untouched). Copy it to "
            "a folder you can write, or make the folder writable"
        )


def _translated(db, exc: BaseException) -> BaseException:
    return storage_problem(exc, str(getattr(db, "database", "") or "the database")) or exc


def _already_rolled_back(sql, exc: BaseException) -> bool:
    text = str(exc).lower()
    return (str(sql).lstrip().upper().startswith("ROLLBACK")
            and ("no transaction is active" in text or "no such savepoint" in text))


class ClearStorageErrors:
    """Mixin for peewee SQLite databases: storage failures raise DatabaseProblem."""

    def execute_sql(self, sql, params=None, *args, **kwargs):
        try:
            return super().execute_sql(sql, params, *args, **kwargs)
        except OverflowError as exc:  # e.g. an id of 99999999999999999999 typed by a person
            raise InvalidInput(
                f"a number is too large (SQLite integers stop at {2**63 - 1})") from exc
        except (peewee.OperationalError, sqlite3.OperationalError) as exc:
            if _already_rolled_back(sql, exc):
                return None
            problem = _translated(self, exc)
            if problem is exc:
                raise
            raise problem from exc

    def rollback(self):
        """SQLite itself rolls back a transaction that hit a full disk or an I/O error;
        peewee's ROLLBACK afterwards would fail and hide the real error."""
        try:
            return super().rollback()
        except (peewee.OperationalError, sqlite3.OperationalError) as exc:
            if not _already_rolled_back("ROLLBACK", exc):
                raise
            return None

    def begin(self, *args, **kwargs):
        """BEGIN IMMEDIATE waits the busy timeout for another writer; past it, one sentence."""
        try:
            return super().begin(*args, **kwargs)
        except (peewee.OperationalError, sqlite3.OperationalError) as exc:
            problem = _translated(self, exc)
            if problem is exc:
                raise
            raise problem from exc

    def commit(self):
        try:
            return super().commit()
        except (peewee.OperationalError, sqlite3.OperationalError) as exc:
            problem = _translated(self, exc)
            if problem is exc:
                raise
            raise problem from exc


class PlannerSqliteDatabase(ClearStorageErrors, SqliteDatabase):
    pass


@cache
def sqlcipher_database_class():
    from playhouse.sqlcipher_ext import SqlCipherDatabase

    return type("PlannerSqlCipherDatabase", (ClearStorageErrors, SqlCipherDatabase), {})
