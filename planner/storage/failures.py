"""Storage failures a person can act on: a full disk, an I/O error, a read-only file
(and numbers too large for SQLite, which the person typed).

SQLite reports them as ``OperationalError`` (wrapped by peewee); here, in one place,
they become ``DatabaseProblem`` with a plain message, wherever the write happens
(services, migrations, the window, the command line). The failed transaction is
rolled back by SQLite, so the data saved before it stays intact.

Every engine error is classified here, by ``classify``: by SQLite's result code, by
PostgreSQL's SQLSTATE, by an ``OSError``'s errno — never by the text of a message, which
a server with another ``lc_messages`` (or a translated libpq) words differently.
"""

from __future__ import annotations

import enum
import errno
import operator
import os
import sqlite3
import time
from functools import cache
from pathlib import Path

import peewee
from peewee import SqliteDatabase

from planner.domain.errors import DatabaseProblem, InvalidInput

_NOT_SAVED = "the change was not saved; everything saved before it is intact"
#: bytes.decode called from C with its arguments by position: the cheapest tolerant text
#: factory (a 200,000-row read of four columns: 177 ms with sqlite3's own strict decoding,
#: 270 ms so, 363 ms with str(…, encoding=, errors=))
_TOLERANT_TEXT = operator.methodcaller("decode", "utf-8", "replace")
BUSY_SECONDS = 10  # the busy timeout of every connection (planner.storage.database)
#: BEGIN IMMEDIATE waits for another writer in slices this long: SQLite waits in C, where a
#: Ctrl+C (KeyboardInterrupt) is held back until it gives up, 10 s later
WAIT_SLICE_MS = 200


class Failure(enum.Enum):
    """What went wrong, whatever the engine (the table in ``classify``)."""

    LOCKED = "locked"  # another writer holds the lock (past the busy timeout)
    DISK_FULL = "disk full"
    READ_ONLY = "read-only"
    IO_ERROR = "I/O error"
    CORRUPT = "corrupt"
    NOT_A_DATABASE = "not a database"  # SQLCipher says so for a wrong key too
    AUTH_FAILED = "authentication failed"  # the password was refused
    NOT_AUTHORIZED = "not authorized"  # no such role, or pg_hba.conf refuses it
    NO_PASSWORD = "no password"  # the server asks for a password and we have none
    PERMISSION_DENIED = "permission denied"
    CONNECTION_LOST = "connection lost"  # the server went away mid-session
    UNREACHABLE = "unreachable"  # no server to talk to (refused, timed out, not ready)
    CONFLICT = "conflict"  # serialization failure, deadlock: the transaction was undone
    UNDEFINED = "undefined"  # no such function / table (an older team setup)
    FOREIGN_KEY = "foreign key"  # a row refers to one that is not there
    DUPLICATE = "duplicate"  # a unique key (or primary key) clashes
    OTHER = "other"


# SQLite's primary result codes (https://sqlite.org/rescode.html)
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN = 10, 11, 13, 14
SQLITE_NOTADB = 26
# extended result codes (the primary code in the low byte)
SQLITE_CONSTRAINT_FOREIGNKEY, SQLITE_CONSTRAINT_PRIMARYKEY = 787, 1555
SQLITE_CONSTRAINT_UNIQUE = 2067

_SQLITE = {
    SQLITE_BUSY: Failure.LOCKED, SQLITE_LOCKED: Failure.LOCKED,
    SQLITE_READONLY: Failure.READ_ONLY, SQLITE_PERM: Failure.PERMISSION_DENIED,
    SQLITE_IOERR: Failure.IO_ERROR, SQLITE_CORRUPT: Failure.CORRUPT,
    SQLITE_FULL: Failure.DISK_FULL, SQLITE_NOTADB: Failure.NOT_A_DATABASE,
}
_SQLITE_EXTENDED = {
    SQLITE_CONSTRAINT_FOREIGNKEY: Failure.FOREIGN_KEY,
    SQLITE_CONSTRAINT_PRIMARYKEY: Failure.DUPLICATE, SQLITE_CONSTRAINT_UNIQUE: Failure.DUPLICATE,
}

# PostgreSQL's SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html)
_SQLSTATE = {
    "28P01": Failure.AUTH_FAILED,  # invalid_password
    "28000": Failure.NOT_AUTHORIZED,  # invalid_authorization_specification
    "42501": Failure.PERMISSION_DENIED,  # insufficient_privilege ("must be owner" too)
    "40001": Failure.CONFLICT,  # serialization_failure
    "40P01": Failure.CONFLICT,  # deadlock_detected
    "55P03": Failure.LOCKED,  # lock_not_available
    "57P01": Failure.CONNECTION_LOST,  # admin_shutdown (terminated by an admin)
    "57P02": Failure.CONNECTION_LOST,  # crash_shutdown
    "57P03": Failure.UNREACHABLE,  # cannot_connect_now (starting up, shutting down)
    "53100": Failure.DISK_FULL,  # disk_full
    "58030": Failure.IO_ERROR,  # io_error
    "25006": Failure.READ_ONLY,  # read_only_sql_transaction
    "XX001": Failure.CORRUPT,  # data_corrupted
    "XX002": Failure.CORRUPT,  # index_corrupted
    "42883": Failure.UNDEFINED,  # undefined_function
    "42P01": Failure.UNDEFINED,  # undefined_table
    "23503": Failure.FOREIGN_KEY,  # foreign_key_violation
    "23505": Failure.DUPLICATE,  # unique_violation
}
_SQLSTATE_CLASS = {"08": Failure.CONNECTION_LOST}  # connection_exception

_ERRNO = {
    errno.ENOSPC: Failure.DISK_FULL, errno.EFBIG: Failure.DISK_FULL,
    errno.EDQUOT: Failure.DISK_FULL, errno.EROFS: Failure.READ_ONLY,
    errno.EACCES: Failure.PERMISSION_DENIED, errno.EPERM: Failure.PERMISSION_DENIED,
    errno.EIO: Failure.IO_ERROR,
}

#: set on a driver error raised while connecting (``PlannerPostgresDatabase._connect``)
CONNECTING = "planner_connecting"
#: set on a connection error whose kind ``postgres.diagnosis`` found out
DIAGNOSED = "planner_failure"


def _chain(exc: BaseException):
    """The error and what it wraps: peewee keeps the driver's error as ``orig`` (and as
    the cause or context), ours keep theirs as ``__cause__``."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        item = todo.pop(0)
        if item is None or any(item is s for s in seen):
            continue
        seen.append(item)
        todo += [getattr(item, "orig", None), item.__cause__, item.__context__]
    return seen


def sqlite_code(exc: BaseException, *, extended: bool = False) -> int | None:
    """SQLite's primary (or extended) result code of an error (sqlite3 and sqlcipher3
    both carry it)."""
    for item in _chain(exc):
        code = getattr(item, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code if extended else code & 0xFF
    return None


def sqlstate(exc: BaseException) -> str | None:
    """PostgreSQL's SQLSTATE of an error (psycopg2's ``pgcode``)."""
    for item in _chain(exc):
        code = getattr(item, "pgcode", None) or getattr(item, "sqlstate", None)
        if isinstance(code, str) and len(code) == 5:
            return code
    return None


def classify(exc: BaseException) -> Failure:
    """The kind of an engine error, by code (see the tables above).

    Without a code, only these facts decide (never a message's words): a psycopg2
    ``InterfaceError`` is raised for a connection already closed; an ``OperationalError``
    without SQLSTATE comes from libpq itself, not the server, so the connection failed —
    lost mid-session, or unreachable when it was raised while connecting; what a failed
    connect really was (a password refused, none given) ``postgres.diagnosis`` finds out
    and records on the error."""
    for item in _chain(exc):
        found = getattr(item, DIAGNOSED, None)
        if isinstance(found, Failure):
            return found
    code = sqlite_code(exc, extended=True)
    if code is not None:
        return _SQLITE_EXTENDED.get(code) or _SQLITE.get(code & 0xFF, Failure.OTHER)
    state = sqlstate(exc)
    if state is not None:
        return _SQLSTATE.get(state) or _SQLSTATE_CLASS.get(state[:2], Failure.OTHER)
    for item in _chain(exc):
        if isinstance(item, OSError) and item.errno in _ERRNO:
            return _ERRNO[item.errno]
    for item in _chain(exc):
        module = type(item).__module__ or ""
        if module.startswith("psycopg2"):
            name = type(item).__name__
            if name == "InterfaceError":
                return Failure.CONNECTION_LOST
            if name == "OperationalError":
                connecting = any(getattr(i, CONNECTING, False) for i in _chain(exc))
                return Failure.UNREACHABLE if connecting else Failure.CONNECTION_LOST
    return Failure.OTHER


def storage_problem(exc: BaseException, where: str = "the database") -> DatabaseProblem | None:
    """The DatabaseProblem for a full disk / I/O / read-only / locked error, else None."""
    failure = classify(exc)
    if failure is Failure.DISK_FULL:
        return DatabaseProblem(
            f"the disk holding {where} is full: {_NOT_SAVED}. Free some space and try again"
        )
    if failure is Failure.READ_ONLY:
        return DatabaseProblem(
            f"{where} is read-only: {_NOT_SAVED}. Check the file's and its folder's "
            "permissions, or open a copy"
        )
    if failure is Failure.LOCKED:
        return DatabaseProblem(
            f"{where} is busy: another window or command kept it locked for more than "
            f"{BUSY_SECONDS} seconds, so {_NOT_SAVED}. Try again in a moment"
        )
    if failure is Failure.IO_ERROR:
        return DatabaseProblem(
            f"cannot write {where} (disk I/O error; is the disk full or removed?): {_NOT_SAVED}"
        )
    if failure is Failure.CORRUPT:  # a damaged page met in the middle of any command
        return DatabaseProblem(f"{where} is damaged ({_first_line(exc)}); {_damaged_hint(where)}")
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _damaged_hint(where: str) -> str:
    """What to do about a damaged file: the command restoring its latest backup."""
    path = Path(where)
    if not path.is_file():
        return "restore a backup"
    from planner.storage.database import restore_hint

    return restore_hint(path)


def on_read_only_disk(path: Path) -> bool:
    """Whether ``path`` (a file or folder) lies on a file system mounted read-only, where
    no permission can be changed (``statvfs``: no file is opened)."""
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # gone meanwhile; no statvfs (Windows)
        return False


def refuse_read_only(path: Path) -> None:
    """Refuse, clearly and before touching anything, a database that could not be saved
    to: a read-only file, or a read-only folder (SQLite keeps its journal beside it)."""
    if path.exists() and on_read_only_disk(path):
        raise DatabaseProblem(
            f"{path} is on a disk mounted read-only, and the planner writes to its database "
            "even to read it (its log of changes), so it was not opened and was left "
            "untouched. Copy it to a folder you can write and open the copy"
        )
    if path.is_file() and not os.access(path, os.W_OK):
        raise DatabaseProblem(
            f"{path} is read-only, and the planner writes to its database even to read it "
            "(its log of changes), so it was not opened and was left untouched. Make it "
            "writable (chmod u+w) or open a copy in a folder you can write"
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


def _already_rolled_back(db, sql) -> bool:
    """A ROLLBACK (to a savepoint) that failed because SQLite had already rolled the whole
    transaction back (after a full disk or an I/O error): the connection is in none."""
    if not str(sql).lstrip().upper().startswith("ROLLBACK"):
        return False
    conn = db._state.conn
    return conn is not None and not conn.in_transaction


class ClearStorageErrors:
    """Mixin for peewee SQLite databases: storage failures raise DatabaseProblem, and
    text that is not UTF-8 is read, not fatal."""

    def _add_conn_hooks(self, conn):
        """Text is read with bytes that are not UTF-8 replaced ("Ada\ufffd"): sqlite3's own
        decoding raised OperationalError, so one name written by another program (a CAST
        of a BLOB, another language's driver) or a scribbled page stopped every command
        and the window. About 0.1 µs a text value read (a whole 200k-row timeline: 0.1 s
        more); writing stays strict."""
        super()._add_conn_hooks(conn)  # type: ignore[misc]
        conn.text_factory = _TOLERANT_TEXT

    def execute_sql(self, sql, params=None, *args, **kwargs):
        try:
            return super().execute_sql(sql, params, *args, **kwargs)  # type: ignore[misc]
        except OverflowError as exc:  # e.g. an id of 99999999999999999999 typed by a person
            raise InvalidInput(
                f"a number is too large (SQLite integers stop at {2**63 - 1})") from exc
        except (peewee.OperationalError, sqlite3.OperationalError) as exc:
            if _already_rolled_back(self, sql):
                return None
            problem = _translated(self, exc)
            if problem is exc:
                raise
            raise problem from exc
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            if classify(exc) is not Failure.CORRUPT:  # (an IntegrityError is the caller's)
                raise
            raise _translated(self, exc) from exc

    def rollback(self):
        """SQLite itself rolls back a transaction that hit a full disk or an I/O error;
        peewee's ROLLBACK afterwards would fail and hide the real error."""
        try:
            return super().rollback()  # type: ignore[misc]
        except (peewee.OperationalError, sqlite3.OperationalError):
            if not _already_rolled_back(self, "ROLLBACK"):
                raise
            return None

    def begin(self, lock_type=None):
        """BEGIN IMMEDIATE waits the busy timeout for another writer; past it, one sentence."""
        try:
            if (lock_type or getattr(self, "_lock_type", None) or "").upper() in (
                    "IMMEDIATE", "EXCLUSIVE"):
                return self._begin_waiting(lock_type)
            return super().begin(lock_type)  # type: ignore[misc]
        except (peewee.OperationalError, sqlite3.OperationalError) as exc:
            problem = _translated(self, exc)
            if problem is exc:
                raise
            raise problem from exc

    def _begin_waiting(self, lock_type):
        """Take the write lock, waiting up to :data:`BUSY_SECONDS` for another writer in
        slices of :data:`WAIT_SLICE_MS`, so that a Ctrl+C meanwhile is honoured at once
        (nothing is written yet: the command stops clean)."""
        cursor = self.cursor()  # type: ignore[attr-defined]
        deadline = time.monotonic() + BUSY_SECONDS
        try:
            while True:
                started = time.monotonic()
                left = int((deadline - started) * 1000)
                cursor.execute(f"PRAGMA busy_timeout = {max(min(WAIT_SLICE_MS, left), 0)}")
                try:
                    return super().begin(lock_type)  # type: ignore[misc]
                except (peewee.OperationalError, sqlite3.OperationalError) as exc:
                    if left <= WAIT_SLICE_MS or classify(exc) is not Failure.LOCKED:
                        raise
                if time.monotonic() - started < WAIT_SLICE_MS / 2000:  # (an SQLite built
                    time.sleep(WAIT_SLICE_MS / 4000)  # without usleep() does not wait)
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")

    def commit(self):
        try:
            return super().commit()  # type: ignore[misc]
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

    class PlannerSqlCipherDatabase(ClearStorageErrors, SqlCipherDatabase):
        """Each connection (one per thread) is keyed with the key this process derived
        once for the file (:mod:`planner.storage.sqlite.derived_keys`), not with the key
        text SQLCipher would derive again (~0.1 s of CPU); with the key text when that
        cannot be made or does not read the file."""

        def _connect(self):
            from planner.storage.sqlite import encryption

            params = dict(self.connect_params)
            key = params.pop("passphrase", None) or ""
            conn = encryption.connect_derived(self.database, key, isolation_level=None,
                                              **params)
            if conn is None:  # (peewee's own: keyed with the key text)
                return super()._connect()
            try:
                self._add_conn_hooks(conn)
            except BaseException:
                conn.close()
                raise
            return conn

    return PlannerSqlCipherDatabase
