"""The backend of a SQLite or SQLCipher file: what differs in a file (``storage.backend``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import peewee

from planner.domain.errors import DatabaseProblem
from planner.storage.backend import Backend
from planner.storage.failures import Failure, classify, storage_problem


class SqliteBackend(Backend):
    kind = "sqlite"

    @property
    def path(self) -> Path | None:
        name = str(self.db.database)
        if name in ("", ":memory:") or name.startswith("file::memory:"):
            return None
        return Path(name).absolute()

    def copy_to(self, target: Path) -> None:
        """SQLite's backup API, from this thread's connection when it is open and not in
        a transaction; else from another connection, which sees only committed data."""
        from planner.storage.sqlite import backup

        path = self.path
        if path is None:
            raise DatabaseProblem("an in-memory database has no file to back up")
        if self.db.is_closed() or self.db.in_transaction():
            backup.backup_file(path, target, key=self.key)
        else:
            backup.backup_to(self.db.connection(), target, key=self.key)

    def write(self) -> AbstractContextManager:
        """BEGIN IMMEDIATE: the write lock first, so a writer waits its turn instead of
        failing when another commits meanwhile (a savepoint when already inside one)."""
        self.models_here()
        if self.db.transaction_depth() == 0:
            return self.db.atomic("IMMEDIATE")
        return self.db.atomic()

    def snapshot(self) -> AbstractContextManager:
        """BEGIN DEFERRED: in WAL mode the reads see one snapshot from the first of them,
        without the write lock — an export or the dashboard neither waits for a writer
        nor holds one up (a savepoint when already inside a transaction)."""
        self.models_here()
        return self.db.atomic("DEFERRED")

    @contextmanager
    def move_lock(self, owner: str) -> Iterator[None]:
        """The write lock (one writer per file) serialises every move."""
        self.models_here()
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

    def own_changes(self) -> int | None:
        if self.db.is_closed():
            return None
        return self.db.connection().total_changes

    def checkpoint(self) -> None:
        """A PASSIVE checkpoint: as much of the log as no reader still needs goes into
        the file, without waiting. (SQLite runs one itself in the commit that takes the
        log past 1,000 pages: 10-45 ms in the middle of someone's drag or log; a window
        runs this when it has been still for a moment, so that commit rarely comes.)"""
        if self.db.is_closed() or self.db.in_transaction():
            return
        self.db.execute_sql("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


class SqlCipherBackend(SqliteBackend):
    kind = "sqlcipher"

    @property
    def key(self) -> str | None:
        return self.db.connect_params.get("passphrase") or None
