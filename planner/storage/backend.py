"""The engine behind one open database, behind one interface: a SQLite file, a SQLCipher
file or a PostgreSQL team database.

Only storage knows which engine it is: services and the document ask the backend for
what differs — a write transaction, a read snapshot, the per-user move lock, change detection, a
heartbeat, the current user, a file path to back up, and the kind of an error
(``planner.storage.failures.classify``, by result code / SQLSTATE) — never
``isinstance`` on a peewee database class, never SQL of their own.

``OpenDatabase.backend`` is the backend of an open database. Whoever opened it (the
document, a command, the self-test) passes it in: every service that writes or needs
one of these takes it as its first argument, ``store``; nothing above storage asks which
database the models are bound to (tests/unit/test_layer_rules.py). The engines' own
are ``sqlite.backend`` (a file) and ``postgres.backend`` (a team database), imported by
``backend_for`` when a database of theirs is first used.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

import peewee
from peewee import Database, SqliteDatabase

from planner.domain.errors import DatabaseProblem
from planner.storage.failures import Failure, classify
from planner.storage.models import db_proxy


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

    @property
    def key(self) -> str | None:
        """The key of an encrypted file (None: not encrypted)."""
        return None

    @property
    def url(self) -> str | None:
        """A team database's postgresql:// URL without its password, as a command may
        name it (None: a file)."""
        return None

    def copy_to(self, target: Path) -> None:
        """Copy the committed state of the open file to ``target`` (an encrypted file's
        copy with the same key). Only a file has one."""
        raise DatabaseProblem("only a database file is copied; a team database is "
                              "backed up on its server")

    def models_here(self) -> None:
        """Refuse a transaction on this database while the models are bound to another:
        a service is handed its database (``store``), and the repositories it calls read
        and write through the models' binding (peewee's ``db_proxy``), which must be this
        one (a programming error, not a user's)."""
        if db_proxy.obj is not self.db:
            raise RuntimeError("a service was given one database while the models are "
                               "bound to another")

    def write(self) -> AbstractContextManager:
        """A write transaction (or a savepoint inside the one already open)."""
        self.models_here()
        return self.db.atomic()

    def snapshot(self) -> AbstractContextManager:
        """A read transaction, so that several queries agree with each other (or a
        savepoint inside the one already open). Nothing may be written in it."""
        self.models_here()
        return self.db.atomic()

    def move_lock(self, owner: str) -> AbstractContextManager:
        """A write transaction serialised with ``owner``'s other moves of people between
        rings (two windows of one user never interleave a read-then-rewrite)."""
        raise NotImplementedError

    def data_version(self) -> int | None:
        """A number that changes when another connection commits (None: not available,
        a team database tells its changes by LISTEN/NOTIFY instead)."""
        return None

    def own_changes(self) -> int | None:
        """Rows changed through this thread's connection since it opened (None: it is not
        open, or the engine does not say)."""
        return None

    def checkpoint(self) -> None:
        """Copy what a file's write-ahead log holds into the file itself, waiting for no
        one (nothing to do for a team database)."""

    def heartbeat(self) -> None:
        """A cheap round trip; a lost connection raises ``ConnectionLost``."""
        self.db.execute_sql("SELECT 1").fetchone()

    def close_connection(self) -> None:
        """Close this thread's connection, if open (a file's last one checkpoints its WAL)."""
        if not self.db.is_closed():
            self.db.close()

    def session_id(self) -> int | None:
        """The server's id of this thread's connection (a team database's backend pid)."""
        return None

    def current_user(self) -> str:
        """The owner of this session's rows: "" in a file, the login role on a team."""
        return ""

    @staticmethod
    def classify(exc: BaseException) -> Failure:
        return classify(exc)


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
        from planner.storage.sqlite.backend import SqlCipherBackend, SqliteBackend

        if "passphrase" in (getattr(db, "connect_params", None) or {}):
            return SqlCipherBackend(db)
        return SqliteBackend(db)
    raise DatabaseProblem(f"unsupported database {type(db).__name__}")

