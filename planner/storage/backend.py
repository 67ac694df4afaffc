"""The engine behind one open database, behind one interface: a SQLite file, a SQLCipher
file or a PostgreSQL team database.

Only storage knows which engine it is: services and the document ask the backend for
what differs — a write transaction, the per-user move lock, change detection, a
heartbeat, the current user, a file path to back up, and the kind of an error
(``planner.storage.failures.classify``, by result code / SQLSTATE) — never
``isinstance`` on a peewee database class, never SQL of their own.

``OpenDatabase.backend`` is the backend of an open database; ``current()`` the one the
models are bound to now (the process-wide ``db_proxy``, until it goes).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import peewee
from peewee import Database, SqliteDatabase

from planner.domain.errors import DatabaseProblem
from planner.storage.failures import Failure, classify, storage_problem


class Backend:
    """What differs between engines, for one peewee database."""

    kind = "?"  # "sqlite", "sqlcipher" or "postgresql"
    team = False  # a shared team database (rows have owners, changes come by LISTEN)

    def __init__(self, db: Database):
        self.db = db

    @property
    def path(self) -> Path | None:
        """The database file (None: a team database, or SQLite in memory)."""
        return None

    def write(self) -> AbstractContextManager:
        """A write transaction (or a savepoint inside the one already open)."""
        return self.db.atomic()

    def move_lock(self, owner: str) -> AbstractContextManager:
        """A write transaction serialised with ``owner``'s other moves of people between
        rings (two windows of one user never interleave a read-then-rewrite)."""
        raise NotImplementedError

    def data_version(self) -> int | None:
        """A number that changes when another connection commits (None: not available,
        a team database tells its changes by LISTEN/NOTIFY instead)."""
        return None

    def heartbeat(self) -> None:
        """A cheap round trip; a lost connection raises ``ConnectionLost``."""
        self.db.execute_sql("SELECT 1").fetchone()

    def session_id(self) -> int | None:
        """The server's id of this thread's connection (a team database's backend pid)."""
        return None

    def current_user(self) -> str:
        """The owner of this session's rows: "" in a file, the login role on a team."""
        return ""

    @staticmethod
    def classify(exc: BaseException) -> Failure:
        return classify(exc)


class SqliteBackend(Backend):
    kind = "sqlite"

    @property
    def path(self) -> Path | None:
        name = str(self.db.database)
        if name in ("", ":memory:") or name.startswith("file::memory:"):
            return None
        return Path(name).absolute()

    def write(self) -> AbstractContextManager:
        """BEGIN IMMEDIATE: the write lock first, so a writer waits its turn instead of
        failing when another commits meanwhile (a savepoint when already inside one)."""
        if self.db.transaction_depth() == 0:
            return self.db.atomic("IMMEDIATE")
        return self.db.atomic()

    @contextmanager
    def move_lock(self, owner: str) -> Iterator[None]:
        """The write lock (one writer per file) serialises every move."""
        try:
            with self.db.atomic("IMMEDIATE"):  # (a savepoint inside a transaction)
                yield
        except peewee.OperationalError as exc:  # BEGIN itself is not always translated
            if classify(exc) is Failure.LOCKED:
                raise DatabaseProblem(
                    "the database is busy (another program is writing to it); nothing was "
                    "changed, try again") from exc
            problem = storage_problem(exc, str(self.db.database))
            if problem is None:
                raise
            raise problem from exc

    def data_version(self) -> int | None:
        return self.db.execute_sql("PRAGMA data_version").fetchone()[0]


class SqlCipherBackend(SqliteBackend):
    kind = "sqlcipher"


def backend_for(db: Database) -> Backend:
    """The backend of a peewee database (made once, kept on it)."""
    found = getattr(db, "_planner_backend", None)
    if found is None or found.db is not db:
        found = _make(db)
        db._planner_backend = found  # type: ignore[attr-defined]
    return found


def _make(db: Database) -> Backend:
    if isinstance(db, peewee.PostgresqlDatabase):
        from planner.storage.postgres.backend import PostgresBackend

        return PostgresBackend(db)
    if isinstance(db, SqliteDatabase):
        if "passphrase" in (getattr(db, "connect_params", None) or {}):
            return SqlCipherBackend(db)
        return SqliteBackend(db)
    raise DatabaseProblem(f"unsupported database {type(db).__name__}")


def current() -> Backend:
    """The backend of the database the models are bound to now."""
    from planner.storage.models import db_proxy

    db = db_proxy.obj
    if db is None:
        raise DatabaseProblem("no database is open")
    return backend_for(db)
