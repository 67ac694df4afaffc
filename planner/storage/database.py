"""Opening a database: look before touching, then pragmas, then migrations."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import peewee
from peewee import Database, SqliteDatabase

from planner.domain.errors import DatabaseProblem
from planner.storage import migrations
from planner.storage.failures import BUSY_SECONDS as BUSY_TIMEOUT_S  # a writer waits this
from planner.storage.failures import Failure, classify
from planner.storage.models import db_proxy
from planner.storage.sqlite import leftovers, live_files
from planner.storage.sqlite.backup import (
    backup_file,
    backup_name,
    create_private_file,
    sqlite_uri,
)
from planner.storage.sqlite.file_state import file_state
from planner.storage.target import DatabaseTarget, resolve_target, spec_names_file

if TYPE_CHECKING:
    from planner.storage.backend import Backend
    from planner.storage.sqlite.unlock import AskPassphrase

log = logging.getLogger(__name__)

SQLITE_PRAGMAS = {
    "busy_timeout": BUSY_TIMEOUT_S * 1000,  # SQLCipher's driver gets no timeout argument
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": 2,  # FULL: an acknowledged write survives power loss
    "cache_size": -16000,
}


@dataclass
class OpenDatabase:
    """A database opened (and bound) by :func:`open_database`."""

    target: DatabaseTarget
    db: Database
    schema_version: int
    encrypted: bool = False  # a SQLCipher file (its key is in db.connect_params)
    read_only: bool = False  # every connection refuses writes (PRAGMA query_only)

    @property
    def path(self) -> Path | None:
        return self.target.path

    @property
    def backend(self) -> Backend:
        """The engine behind this database (``planner.storage.backend``)."""
        from planner.storage.backend import backend_for

        return backend_for(self.db)

    def bind(self) -> None:
        """Make this the database the models read and write (peewee binds them to one
        database per process: opening one binds it, a failed open leaves them as they
        were; a window that cannot be built on a database it opened takes them back)."""
        db_proxy.initialize(self.db)

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()
        if self.encrypted and self.path is not None:  # what was derived of its key goes
            from planner.storage.sqlite import derived_keys

            derived_keys.forget_file(self.path)


@contextmanager
def binding(db: Database) -> Iterator[None]:
    """Bind the models to ``db`` for an open (its migrations use them); if the open then
    fails, the models go back to the database they were bound to before, so a failed open
    of another database never leaves a window or a command on a closed one."""
    previous = db_proxy.obj
    db_proxy.initialize(db)
    try:
        yield
    except BaseException:
        if db_proxy.obj is db:
            db_proxy.initialize(previous)
        raise


def restore_hint(path: Path) -> str:
    """The exact command that restores ``path``'s latest backup (if it has one)."""
    latest = latest_backup(path)
    if latest is None:
        return f"restore a backup with: planner --db '{path}' restore BACKUP_FILE"
    return f"restore the latest backup with: planner --db '{path}' restore '{latest}'"


def latest_backup(path: Path) -> Path | None:
    """The newest backup kept beside ``path`` (in backups/), or None."""
    from planner.storage.sqlite.backup import list_backups

    try:
        return max(list_backups(path), key=lambda p: (p.stat().st_mtime, p.name), default=None)
    except OSError:
        return None


def inspect_sqlite_file(path: Path, key: str | None = None) -> int | None:
    """Return the planner schema version of an existing file (0 = empty database).

    Reads without writing; refuses anything that is not ours, leaving it untouched.
    ``key`` reads an encrypted (SQLCipher) file.
    """
    state = file_state(path)  # a live file is asked, never read
    if state in ("missing", "empty"):
        return None
    if state == "folder":
        raise DatabaseProblem(f"{path} is a folder, not a database file")
    if state == "special":
        raise DatabaseProblem(
            f"{path} is not a regular file (a pipe, device or socket), not a database file; "
            "it was left untouched")
    if state != "plain" and key is None:
        raise DatabaseProblem(
            f"{path} is not a Mentorship Planner database (it is not a SQLite file); "
            "it was left untouched"
        )
    try:
        params = {"mode": "ro"}
        if not Path(f"{path}-wal").exists():
            # Nobody has it open in WAL mode, so all of it is in the file: read it as
            # immutable, which leaves no -wal/-shm beside a file that may not be ours.
            params["immutable"] = "1"
        if key is not None:
            from planner.storage.sqlite import encryption  # (an encrypted file only)

            conn = encryption.open_verified(path, key)
        else:
            conn = sqlite3.connect(sqlite_uri(path, **params), uri=True,
                                   factory=live_files.tracked(sqlite3.Connection))
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            refuse_altered(conn, path)  # a file is data, never code
            if not tables:
                return 0
            if "planner_meta" not in tables:
                raise DatabaseProblem(
                    f"{path} is a SQLite database of another program, not a Mentorship Planner "
                    "database; it was left untouched"
                )
            rows = dict(conn.execute("SELECT key, value FROM planner_meta").fetchall())
        finally:
            conn.close()
    except (sqlite3.DatabaseError, _cipher_error()) as exc:
        if classify(exc) is Failure.LOCKED:  # not damaged: restoring a backup would lose work
            raise DatabaseProblem(
                f"{path} is in use: another program keeps it locked, so it could not be read; "
                "it was left untouched. Close that program, or try again in a moment"
            ) from None
        raise DatabaseProblem(
            f"{path} cannot be read ({exc}); it may be damaged. It was left untouched; "
            + restore_hint(path)
        ) from None
    version = int(rows.get("schema_version", 0))
    if version > migrations.LATEST:
        raise DatabaseProblem(
            f"{path} was made by a newer version of Mentorship Planner (schema {version}, "
            f"this version knows up to {migrations.LATEST}); update the app to open it"
        )
    return version


#: (schema version, SHA-256 of :func:`schema_digest`) of the ``sqlite_master`` of a file
#: this version makes: exactly the entries ``schema_expected`` builds at
#: ``migrations.LATEST``. tests/cli/test_cli_open_fast.py keeps it in step (and prints
#: the new value when a migration is added).
THIS_VERSIONS_SCHEMA = (9, "fbbf65e1705b6c4320bfe19c8e676a431fffe53f4d378bfe615552f84eeda1d5")


def schema_digest(rows: Iterable[tuple]) -> str:
    """SHA-256 of ``sqlite_master`` rows (type, name, tbl_name, sql), in any order."""
    text = "\n".join(sorted(repr(tuple(row)) for row in rows))
    return _sha256(text.encode("utf-8", "backslashreplace")).hexdigest()


def _sha256(data: bytes):
    """SHA-256 from CPython's own implementation where there is one: hashlib's loads
    OpenSSL (~2 ms of every command, which needs no other hash)."""
    try:
        from _sha2 import sha256  # type: ignore[import-not-found]  # CPython 3.12 and on
    except ImportError:
        try:
            from _sha256 import sha256  # type: ignore[import-not-found]  # CPython 3.11
        except ImportError:
            from hashlib import sha256
    return sha256(data)


def refuse_altered(conn, path: Path) -> None:
    """``schema_check.refuse_altered``, answered at once for the common case: a file whose
    schema is, byte for byte, the one this version makes.

    The entry-by-entry check builds its expectation by running every migration step in
    an in-memory database and then compares normalised SQL: some 20 ms of every command,
    nearly all of ``planner log``'s opening. A file made (or migrated) by this version
    has exactly that schema, so one digest of its ``sqlite_master`` and the two header
    pragmas the check reads tell the same; anything else (an older schema, another
    SQLite's spelling, an added trigger…) goes through the full check, which names
    the difference."""
    if not _made_by_this_version(conn):
        from planner.storage.sqlite import schema_check

        schema_check.refuse_altered(conn, path)


def _made_by_this_version(conn) -> bool:
    version, digest = THIS_VERSIONS_SCHEMA
    if version != migrations.LATEST:
        return False
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    if schema_digest(rows) != digest:
        return False
    # planner_meta is ours (its definition is in the digest): its version must be this one
    row = conn.execute(
        'SELECT value FROM "planner_meta" WHERE key = ?', ("schema_version",)).fetchone()
    try:
        if row is None or int(row[0]) != version:
            return False
    except (TypeError, ValueError):
        return False
    application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    return application_id in (0, migrations.SQLITE_APPLICATION_ID) and user_version == 0


def _cipher_error() -> type[Exception]:
    from sqlcipher3 import dbapi2

    return dbapi2.DatabaseError


def connect_sqlite(path: Path, *, read_only: bool = False) -> SqliteDatabase:
    """A plain database. Every write transaction begins IMMEDIATE (takes the write lock
    first and waits its turn), so a writer never fails when another commits meanwhile."""
    from planner.storage.failures import PlannerSqliteDatabase  # full disk → DatabaseProblem

    return PlannerSqliteDatabase(
        str(path), pragmas=_pragmas(read_only), timeout=BUSY_TIMEOUT_S,
        check_same_thread=False, lock_type=None if read_only else "IMMEDIATE",
        factory=live_files.tracked(sqlite3.Connection))


def connect_sqlcipher(path: Path, key: str, *, read_only: bool = False) -> SqliteDatabase:
    """An encrypted database: every connection (one per thread) is keyed with the key
    this process derived once for the file (storage/sqlite/derived_keys)."""
    from sqlcipher3 import dbapi2

    from planner.storage.failures import sqlcipher_database_class
    from planner.storage.sqlite import encryption

    SqlCipherDatabase = sqlcipher_database_class()  # full disk → DatabaseProblem
    return SqlCipherDatabase(
        str(path), passphrase=encryption.require_key(key), pragmas=_pragmas(read_only),
        timeout=BUSY_TIMEOUT_S, check_same_thread=False,
        lock_type=None if read_only else "IMMEDIATE",
        factory=live_files.tracked(dbapi2.Connection))


def _pragmas(read_only: bool) -> list[tuple[str, object]]:
    pragmas = list(SQLITE_PRAGMAS.items())
    if read_only:  # every connection of this database (worker threads too) refuses writes
        pragmas.append(("query_only", 1))
    return pragmas


def open_database(
    spec: str | None = None,
    *,
    migrate: bool = True,
    key: str | None = None,
    passphrase: str | None = None,
    ask_passphrase: AskPassphrase | None = None,
    use_keyring: bool = True,
    read_only: bool = False,
    password: str | None = None,
) -> OpenDatabase:
    """Open (creating if needed) the database ``spec`` names and bind the models to it.

    A plain SQLite file opens as before. An encrypted file (decided by looking
    at it) needs its key: ``key`` (exact), ``passphrase`` (typed), the keyring
    (``use_keyring``), then ``ask_passphrase``; see ``planner.storage.sqlite.unlock``.
    The keyring may block: the GUI looks the key up off its thread and passes
    ``key``. A wrong key is refused and leaves the file untouched.
    ``password`` is a team database's password for this session only (kept nowhere;
    without it the keyring's is used, see ``planner.storage.postgres``).
    """
    target = resolve_target(spec)
    if target.kind == "postgresql":  # a team database: planner.storage.postgres
        from planner.storage.postgres.opening import open_postgres

        return open_postgres(target, migrate=migrate, password=password)
    path = target.path
    assert path is not None
    from planner.storage.failures import refuse_read_only

    refuse_read_only(path)  # a clear refusal before anything is written (never a traceback)
    if not read_only:
        leftovers.clean(path)  # finish or undo an interrupted encryption, restore or backup
    cipher_key = None
    if file_state(path) == "encrypted":
        from planner.storage.sqlite.unlock import unlock

        cipher_key, existing = unlock(path, key, passphrase, ask_passphrase, use_keyring,
                                      target, lambda k: inspect_sqlite_file(path, k))
        if not read_only and not live_files.is_live(path):
            leftovers.finish_backup_encryption(path, cipher_key)  # no plaintext left behind
    else:
        existing = inspect_sqlite_file(path)
    if existing is None and not path.exists():
        if spec_names_file(spec) and not path.parent.exists():
            # a mistyped path made its folders and an empty database, which a listing then
            # called "no contacts yet"; the default file's folder is made on first start
            raise DatabaseProblem(f"the folder {path.parent} does not exist: a new "
                                  "database is made only in a folder that is there")
        try:
            create_private_file(path)
        except OSError as exc:
            raise DatabaseProblem(f"cannot create the database {path}: {exc.strerror}") from None
    if cipher_key is None:
        db = connect_sqlite(path, read_only=read_only)
    else:
        db = connect_sqlcipher(path, cipher_key, read_only=read_only)
    if read_only:
        migrate = False
    try:
        db.connect()
        with binding(db):
            version = migrations.read_version(db)
            if migrate and version < migrations.LATEST:
                version = migrations.migrate(
                    db, version, backup=lambda v: _pre_migration_backup(path, v, cipher_key)
                )
                db.execute_sql(f"PRAGMA application_id = {migrations.SQLITE_APPLICATION_ID}")
    except (sqlite3.DatabaseError, peewee.DatabaseError) as exc:
        # peewee wraps sqlite3's errors in its own classes (not sqlite3 subclasses)
        db.close()
        from planner.storage.failures import storage_problem  # a full disk is not damage

        raise storage_problem(exc, str(path)) or DatabaseProblem(
            f"{path} cannot be opened ({exc}); " + restore_hint(path)) from None
    except BaseException:
        db.close()
        raise
    return OpenDatabase(target, db, version, encrypted=cipher_key is not None,
                        read_only=read_only)


def _pre_migration_backup(path: Path, version: int, key: str | None = None) -> None:
    dest = backup_name(path, f"pre-migration-v{version}")
    backup_file(path, dest, key=key)
    log.info("backed up %s to %s before migrating from schema %s", path, dest, version)

