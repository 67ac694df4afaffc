"""Consistent copies of a SQLite database through SQLite's online backup API."""

from __future__ import annotations

import os
import re
import sqlite3
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from planner.storage.sqlite import live_files

SQLITE_HEADER = b"SQLite format 3\x00"


def sqlite_uri(path: Path, **params: str) -> str:
    """A ``file:`` URI for ``path`` that survives '#', '?', '%' and spaces in the name,
    and bytes that are not UTF-8 (a name made on a Latin-1 system: "caf\\xe9.db"), which
    quote() refused, so that such a database was made once and then never opened again."""
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"file:{quote(os.fsencode(path))}" + (f"?{query}" if query else "")


def driver_errors() -> tuple[type[Exception], ...]:
    """The errors SQLite's drivers raise (sqlite3's and sqlcipher3's own classes)."""
    from sqlcipher3 import dbapi2

    return sqlite3.Error, dbapi2.Error


def lock_exclusively(path: Path, key: str | None, *, again: str, cannot: str):
    """A connection to ``path`` (``key``: an encrypted one) holding it exclusively; see
    ``hold_exclusively``."""
    if key is None:
        conn = sqlite3.connect(str(path), timeout=2, isolation_level=None,
                               factory=live_files.tracked(sqlite3.Connection))
    else:
        from planner.storage.sqlite.encryption import connect

        conn = connect(path, key, timeout=2)
    return hold_exclusively(conn, path, again=again, cannot=cannot)


def hold_exclusively(conn, path: Path, *, again: str, cannot: str):
    """Make ``conn`` (to ``path``) hold it exclusively, in rollback mode, its WAL folded
    in; return it. Leaving WAL mode needs every other connection gone, so this is also how
    we find out that the window (or another process) still has the file open: then
    "in use", by SQLite's result code (busy/locked), never by its message. ``again`` says
    what to do once it is closed ("try again"); ``cannot`` starts any other refusal.
    The connection is closed when this raises."""
    from planner.domain.errors import DatabaseProblem
    from planner.storage.failures import Failure, classify

    in_use = DatabaseProblem(f"{path} is in use (is the Mentorship Planner window open?); "
                             f"close it and {again}. Nothing was changed")
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        if str(mode).lower() != "delete":  # another connection keeps it in WAL mode
            raise in_use
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")  # in exclusive locking mode the lock stays after commit
    except DatabaseProblem:
        conn.close()
        raise
    except Exception as exc:  # sqlite3's or sqlcipher3's errors
        conn.close()
        if classify(exc) is Failure.LOCKED:
            raise in_use from None
        raise DatabaseProblem(f"{cannot}: {exc}; nothing was changed") from None
    except BaseException:
        conn.close()
        raise
    return conn


def backups_folder(db_path: Path) -> Path:
    return db_path.parent / "backups"


def create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only (notes are sensitive)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def backup_to(source: sqlite3.Connection, dest: Path, key: str | None = None) -> Path:
    """Copy a live connection's database to ``dest`` (owner-only), atomically.

    ``key``: the source is an encrypted (SQLCipher) database with this key, and
    so is the copy (SQLCipher's backup API copies between equal keys only).
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".partial")
    if tmp.exists():
        tmp.unlink()
    create_private_file(tmp)
    if key is None:
        target = sqlite3.connect(tmp, factory=live_files.tracked(sqlite3.Connection))
    else:
        from planner.storage.sqlite.encryption import connect

        target = connect(tmp, key)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    if key is not None and _header(tmp) == SQLITE_HEADER:  # never a plaintext copy
        # (the copy's connection is closed: reading its first bytes drops no lock)
        tmp.unlink()
        raise OSError(f"the copy of an encrypted database came out unencrypted: {dest}")
    os.replace(tmp, dest)
    return dest


#: a copy being written is touched with every page: one untouched this long was left by a
#: process that died writing it (killed, a power cut) and will never be finished
STALE_PARTIAL_SECONDS = 3600


def remove_stale_partials(db_path: Path) -> list[Path]:
    """Remove the unfinished copies of ``db_path``'s backups (``NAME.partial`` and its
    ``-journal`` in its ``backups/``) that a process which died mid-copy left: each has a
    name of its own (the time of the attempt), so nothing else would ever remove them,
    and a day's retries of a big database pile up gigabytes. Only the app's own folder
    and names: never a finished backup, the database, or another program's file."""
    folder = backups_folder(db_path)
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    now = time.time()
    for pattern in (f"{db_path.stem}-*.db.partial", f"{db_path.stem}-*.db.partial-journal"):
        for path in folder.glob(pattern):
            try:
                if path.is_file() and now - path.stat().st_mtime > STALE_PARTIAL_SECONDS:
                    path.unlink()
                    removed.append(path)
            except OSError:  # gone meanwhile, or not ours to remove: left as it is
                continue
    return removed


def _header(path: Path) -> bytes:
    from planner.storage.sqlite.file_state import read_header  # refuses a file still open here

    return read_header(path)


def backup_file(db_path: Path, dest: Path, key: str | None = None) -> Path:
    """Copy the database file ``db_path`` (encrypted with ``key``, if given) to ``dest``."""
    if key is None:
        source = sqlite3.connect(sqlite_uri(db_path, mode="ro"), uri=True,
                                 factory=live_files.tracked(sqlite3.Connection))
    else:
        from planner.storage.sqlite.encryption import open_verified

        source = open_verified(db_path, key, immutable=False)
    try:
        return backup_to(source, dest, key)
    finally:
        source.close()


def backup_name(db_path: Path, reason: str, when: datetime | None = None) -> Path:
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    return backups_folder(db_path) / f"{db_path.stem}-{stamp}-{reason}.db"


def list_backups(db_path: Path) -> list[Path]:
    """This database's backups, oldest first: named as :func:`backup_name` names them.
    Another database's in the same folder (``planner-work-…`` beside ``planner.db``) are
    not listed: Restore offered them, and encrypting this database converted them with
    its key."""
    folder = backups_folder(db_path)
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.glob(f"{db_path.stem}-*.db")
                   if backup_kind(p, db_path) is not None), key=lambda p: p.name)


#: the kinds of backup, each rotated on its own: a copy a person asked for (``manual``),
#: the ``daily`` one, and the ``automatic`` ones made before an import, a restore or an
#: upgrade (any other reason). Eleven imports in a row once pushed out the only copy a
#: person had made on purpose, and the day's copy with it.
KINDS = ("manual", "daily", "automatic")
_OWN_NAME = re.compile(r"^\d{8}-\d{6}-\d{6}-([a-z0-9][a-z0-9-]*)\.db$")


def backup_kind(backup: Path, db_path: Path) -> str | None:
    """The kind (one of :data:`KINDS`) of a backup of ``db_path``, from its name; None
    for a file that is not one of ours (e.g. another database's, ``planner-work-…``)."""
    prefix = f"{db_path.stem}-"
    if not backup.name.startswith(prefix):
        return None
    found = _OWN_NAME.match(backup.name[len(prefix):])
    if found is None:
        return None
    reason = found.group(1)
    return reason if reason in ("manual", "daily") else "automatic"


def kind_counts(db_path: Path) -> dict[str, int]:
    """How many backups of ``db_path`` there are of each kind (:data:`KINDS`)."""
    counts = dict.fromkeys(KINDS, 0)
    for path in list_backups(db_path):
        kind = backup_kind(path, db_path)
        if kind is not None:
            counts[kind] += 1
    return counts


def rotate(db_path: Path, keep: int) -> list[Path]:
    """Keep the newest ``keep`` backups of each kind (:data:`KINDS`); delete the older
    ones and return them. A file whose name is not one of ours is never touched."""
    by_kind: dict[str, list[Path]] = {kind: [] for kind in KINDS}
    for path in list_backups(db_path):  # oldest first (the name starts with the time)
        kind = backup_kind(path, db_path)
        if kind is not None:
            by_kind[kind].append(path)
    doomed = sorted(
        (path for kept in by_kind.values() for path in kept[: max(0, len(kept) - keep)]),
        key=lambda p: p.name,
    )
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed
