"""Backups and restore of the SQLite database file.

* :func:`backup_now` copies the open database with SQLite's online backup API,
  so the copy is consistent even while the window (or a worker) writes. Every
  copy is owner-only (0600): it holds the same notes as the database.
* Copies without a destination go to ``backups/`` beside the database, named
  ``<stem>-YYYYmmdd-HHMMSS-ffffff-<reason>.db`` (local time), and the folder is
  then rotated to keep the newest ``backup_keep`` (a setting, default 10) of each
  kind: the ones a person made (``manual``), the ``daily`` ones, and the automatic
  ones (``pre-import``, ``pre-restore``, ``pre-migration-vN`` written by storage at
  open). A kind never pushes out another: a run of imports once rotated away the
  copy made on purpose just before it.
* :func:`daily_backup_if_due` is called once when the app starts: it makes a
  ``daily`` copy unless a daily copy from today already exists, then rotates (which
  also trims pre-migration copies made while opening).
* :func:`restore` validates the file first (a Mentorship Planner database this
  version can open), keeps the current database as a ``pre-restore`` backup,
  then swaps the files atomically. The caller must have closed every
  connection to the database (other threads' too) and reopens it afterwards;
  another process with it open makes restore refuse instead of corrupting it.
* Encrypted databases (SQLCipher): every copy is encrypted with the database's
  key, never plaintext. A restore into an encrypted database (or from an
  encrypted backup) leaves the database encrypted with its key; the key is
  the open database's, else the keyring's, else the ``key`` argument.
* A team database (PostgreSQL) is backed up and restored on the server with
  ``pg_dump`` / ``pg_restore``; :func:`team_backup_hint` and
  :func:`team_restore_hint` name the exact commands.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from planner.domain.errors import DatabaseProblem, InvalidInput
from planner.storage import dump
from planner.storage.settings_repo import set_setting
from planner.storage.sqlite import backup as sqlite_backup
from planner.storage.sqlite import live_files
from planner.storage.sqlite.encryption import is_encrypted
from planner.storage.target import real_file, resolve_target

if TYPE_CHECKING:
    from planner.storage.backend import Backend

log = logging.getLogger(__name__)

KEEP_SETTING = "backup_keep"
DEFAULT_KEEP = 10
MAX_KEEP = 1000
_REASON = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")
_STAMP = re.compile(r"^(\d{8})-\d{6}-\d{6}-")


@dataclass(frozen=True)
class RestoreResult:
    database: Path  # the database file that now holds the restored data
    source: Path  # the backup it came from
    previous: Path | None  # the pre-restore copy of what was there (None if nothing was)
    schema_version: int  # of the restored file; opening it migrates if older


# ---------------------------------------------------------------- which database


def _file_backend(store: Backend) -> Backend:
    """The open database, a file; a team database is backed up on its server (said how)."""
    if store.team:
        raise DatabaseProblem(team_backup_hint(store.url or ""))
    return store


def _shown(url: str) -> str:
    """The URL to put in a command: without its password (pg_dump asks, or reads ~/.pgpass)."""
    from planner.services.team import account_url

    return account_url(url)


def team_backup_hint(url: str, today: date | None = None) -> str:
    """How to back up the team database at ``url`` (one line, never a password)."""
    stamp = (today or date.today()).isoformat()
    shown = _shown(url)
    return (
        "a team database is backed up on the database server, not by planner: a database "
        f"admin runs pg_dump --format=custom --dbname='{shown}' --file=planner-{stamp}.dump "
        "(restored with pg_restore); for a planner-level copy of what you can see: "
        f"planner --db '{shown}' export --format json -o planner-{stamp}.json"
    )


def team_restore_hint(url: str, source: str | Path) -> str:
    """How to restore a pg_dump file (or load a JSON export) into the team database."""
    shown = _shown(url)
    name = str(source)
    if name.lower().endswith(".json"):
        return (
            f"a JSON export is loaded into an empty team database with: "
            f"planner --db '{shown}' import '{name}'"
        )
    return (
        "a team database is restored on the database server, not by planner: an admin runs "
        f"pg_restore --clean --if-exists --single-transaction --dbname='{shown}' '{name}' "
        "(a pg_dump --format=custom file); a JSON export is loaded into an empty team "
        f"database with: planner --db '{shown}' import FILE.json"
    )


def current_path(store: Backend) -> Path:
    """The file of the open SQLite database."""
    path = _file_backend(store).path
    if path is None:
        raise DatabaseProblem("an in-memory database has no file to back up")
    return path


# ------------------------------------------------------------------ the setting


def keep_count() -> int:
    """How many backups of each kind to keep (setting ``backup_keep``, default 10)."""
    from planner.services.setting_rules import read_setting

    return int(read_setting(KEEP_SETTING))  # (a stored value that is not valid: said once)


def set_keep_count(store: Backend, keep: int) -> None:
    if isinstance(keep, bool) or not isinstance(keep, int) or not 1 <= keep <= MAX_KEEP:
        raise InvalidInput(f"keep 1 to {MAX_KEEP} backups, not {keep}")
    with store.write():
        set_setting(KEEP_SETTING, keep)


# ---------------------------------------------------------------------- backups


def backup_now(
    store: Backend,
    dest: str | Path | None = None, reason: str = "manual", *, when: datetime | None = None
) -> Path:
    """Copy the open database to ``dest`` (a file or folder), else into ``backups/``.

    Returns the new file. Only copies made into ``backups/`` are rotated.
    ``when`` (local time, default now) names the copy.
    """
    if not _REASON.match(reason):
        raise ValueError(f"a backup reason is lower-case letters, digits and '-': {reason!r}")
    found = _file_backend(store)
    path = current_path(store)
    if dest is None:
        target = sqlite_backup.backup_name(path, reason, when)
        _private_folder(target.parent)
        sqlite_backup.remove_stale_partials(path)
    else:
        target = Path(dest).expanduser().absolute()
        if target.is_dir():
            target = target / sqlite_backup.backup_name(path, reason, when).name
        if _same_file(target, path):
            raise InvalidInput(f"{target} is the database itself; choose another file")
        from planner.storage.write_target import refuse_unsafe

        # never into an open database's -wal, nor over a device (as root: replaced)
        refuse_unsafe(target, databases=False)
        if not target.parent.is_dir():
            raise InvalidInput(f"cannot write {target}: the folder {target.parent} does not exist")
    try:
        found.copy_to(target)  # (an encrypted database's copies are encrypted with its key)
    except OSError as exc:
        raise InvalidInput(f"cannot write the backup {target}: {exc.strerror or exc}") from None
    except sqlite_backup.driver_errors() as exc:
        raise DatabaseProblem(f"the backup to {target} failed: {exc}") from None
    dump.fsync_file(target)
    _refuse_a_damaged_copy(target, path, found.key)
    log.info("backed up %s to %s (%s)", path, target, reason)
    if dest is None:
        sqlite_backup.rotate(path, keep_count())
    return target


def _refuse_a_damaged_copy(target: Path, path: Path, key: str | None) -> None:
    """The copy is checked as a restore would check it (``PRAGMA quick_check`` and the
    planner's tables) before it counts: a damaged database copied without a word, and
    after ten daily backups the rotation had removed every good one. A damaged copy is
    removed, the kept backups are left as they are, and the message says what to do."""
    found = dump.classify_file(target, key)
    if found.kind == "planner":
        return
    target.unlink(missing_ok=True)  # our own new copy (never the database: checked above)
    kept = sqlite_backup.list_backups(path)
    hint = (f"the newest kept backup is {kept[-1].name}: planner --db '{path}' restore "
            f"'{kept[-1]}'" if kept else "no backup is kept yet")
    said = (found.message.replace(target.name, path.name)
            .replace("*** in database main ***\n", "").replace("\n", "; "))
    raise DatabaseProblem(
        f"no backup was made: {said}; the backups kept were left as they are; {hint}")


def kept_note(reason: str = "manual") -> str:
    """What the rotation keeps, said after a copy made for ``reason`` (one sentence, no
    full stop): a person who asked for a copy learns it will not be pushed out by the
    automatic ones."""
    keep = keep_count()
    if reason == "manual":
        return (f"the newest {keep} backups you made are kept, apart from the daily and "
                "automatic ones")
    return (f"the newest {keep} backups of each kind are kept: made by you, daily, and "
            "automatic (before an import, a restore or an upgrade)")


def list_backups(store: Backend) -> list[Path]:
    """The automatic backups of the open database, oldest first."""
    return sqlite_backup.list_backups(current_path(store))


def backup_date(backup: Path, db_path: Path) -> str | None:
    """``YYYYmmdd`` (local) a file in ``backups/`` was made, from its name; None if not ours."""
    name = backup.name
    prefix = f"{db_path.stem}-"
    if not name.startswith(prefix):
        return None
    found = _STAMP.match(name[len(prefix) :])
    return found.group(1) if found else None


def daily_backup_if_due(store: Backend, keep: int | None = None, *,
                        now: datetime | None = None) -> Path | None:
    """Back up once per (local) day; then keep the newest ``keep`` backups of each kind.

    Returns the new backup, or None when a daily one from today already exists (a
    copy before an import does not count: it is rotated with the other automatic
    ones and may be gone tomorrow), or when the database holds nothing yet. Called by
    the app at start, after opening (and so
    after any migration).
    """
    path = current_path(store)
    now = now or datetime.now()
    today = now.strftime("%Y%m%d")
    made = None
    if dump.is_empty():  # a new file: nothing to keep (its copies filled the restore list)
        return None
    if not any(backup_date(b, path) == today and sqlite_backup.backup_kind(b, path) == "daily"
               for b in sqlite_backup.list_backups(path)):
        made = backup_now(store, reason="daily", when=now)
    sqlite_backup.rotate(path, keep if keep is not None else keep_count())
    return made


# ---------------------------------------------------------------------- restore


def restore(
    store: Backend | None,
    source: str | Path, db_path: str | Path | None = None, *, key: str | None = None,
    backup_key: str | None = None,
) -> RestoreResult:
    """Replace the database with the backup ``source``; the caller reopens the database.

    ``store`` is the open database, if any: ``db_path`` defaults to it (its connection
    in this thread is closed here when it is the one restored), else to the default
    database. Refuses, changing nothing, if ``source`` is not a Mentorship Planner
    database this version can open, or if another program still has the database open.
    ``key`` is the database's key when it is encrypted (default: the open database's,
    else the keyring's). ``backup_key`` opens an encrypted backup made under another key
    (before a change of key); the restored database is given ``key`` all the same.
    """
    source = Path(source).expanduser().absolute()
    if db_path is None:
        db_path = _open_path(store) or resolve_target(None).path
    assert db_path is not None
    db_path = real_file(Path(db_path))  # through a link: the real file is restored
    _refuse_read_only(db_path)
    key = key or _restore_key(store, source, db_path)
    db_encrypted = is_encrypted(db_path)
    if db_encrypted and key is None:
        raise DatabaseProblem(
            f"{db_path} is encrypted and its key is not in this machine's keyring; give its "
            "passphrase (planner --passphrase-stdin). Nothing was changed"
        )
    source_key = backup_key or key
    version = dump.check_restorable(source, source_key)
    if _same_file(source, db_path):
        raise InvalidInput(f"{source.name} is the database itself; choose a backup file")
    current = dump.classify_file(db_path, key)
    if current.kind == "busy":  # (taken for damaged, it was replaced under its writer)
        raise DatabaseProblem(f"cannot restore over {db_path}: {current.message}; close it "
                              "and restore again. Nothing was changed")
    if current.kind == "foreign":
        raise DatabaseProblem(
            f"will not overwrite {db_path}: {current.message}; nothing was changed"
        )
    from_encrypted = dump.classify_file(source, source_key).encrypted
    _close_open(store, db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    staged = db_path.with_name(f"{db_path.name}.restoring")
    # consistent, fsynced, in the same folder; encrypted if either side is (with the
    # database's key: a backup under an older key is re-keyed by a verified export)
    staged_key = (key or source_key) if (db_encrypted or from_encrypted) else None
    dump.copy_database(source, staged, source_key if from_encrypted else None, staged_key)
    try:
        # the copy is what is swapped in: check it too, in case the file changed meanwhile
        altered = dump.altered_schema(staged, staged_key, source.name)
        if altered:
            raise DatabaseProblem(f"cannot restore: {altered}; nothing was changed")
        previous = _swap_in(staged, db_path, current.kind, key if db_encrypted else None)
    finally:
        staged.unlink(missing_ok=True)
    log.info("restored %s from %s (previous copy: %s)", db_path, source, previous)
    return RestoreResult(db_path, source, previous, version)


def restore_refusal(store: Backend, source: str | Path,
                    db_path: str | Path | None = None) -> str | None:
    """Why ``source`` cannot be restored over the database, in one plain sentence for a
    person at the window (None: it can be; :func:`restore` checks again). Read-only, run
    before anyone is asked to confirm. The command line keeps :func:`restore`'s own
    words, which name the command to run instead."""
    source = Path(source).expanduser().absolute()
    db_path = Path(db_path) if db_path is not None else _open_path(store)
    name = source.name
    key = _restore_key(store, source, db_path) if db_path is not None else None
    found = dump.classify_file(source, key)
    if found.kind == "missing":
        return f"{name} does not exist."
    if found.kind == "empty":
        return f"{name} is an empty file, not a backup."
    if found.kind == "damaged":
        return f"{name} is damaged and cannot be restored."
    if found.kind == "busy":
        return f"{found.message}; close it and try again."
    if found.kind == "altered":
        return f"{found.message}, so it is not restored from."
    if found.kind == "foreign":
        if dump.is_json_export(source):
            return (f"{name} is a full export, not a backup. To load it, make a new database "
                    "(File → New Database File…) and import it there (File → Import…).")
        if found.message.startswith(f"{name} looks like an encrypted database"):
            return (f"{name} looks like an encrypted backup, and this database's key does "
                    "not open it.")
        return f"{name} is not a Mentorship Planner backup."
    if found.schema_version < 1:
        return f"{name} is an empty Mentorship Planner database, not a backup."
    from planner.storage import migrations

    if found.schema_version > migrations.LATEST:
        return (f"{name} was made by a newer version of Mentorship Planner; update the app "
                "to restore it.")
    if db_path is not None and _same_file(source, db_path):
        return f"{name} is the database itself; choose a backup."
    return None


def _restore_key(store: Backend | None, source: Path, db_path: Path) -> str | None:
    """The database's key, if the database or the backup is encrypted (keyring may block)."""
    open_path = _open_path(store)
    if store is not None and open_path is not None and _same_file(open_path, db_path):
        found = store.key
        if found is not None:
            return found
    if is_encrypted(db_path):
        from planner.storage.sqlite.unlock import keyring_key

        return keyring_key(db_path)
    return None


def _refuse_read_only(db_path: Path) -> None:
    """A restore replaces the file in its folder: both must be writable (said so, not as
    "disk I/O error" or a refused temporary file of ours)."""
    folder = db_path.parent
    from planner.storage.failures import on_read_only_disk

    if folder.is_dir() and on_read_only_disk(folder):
        raise DatabaseProblem(f"cannot restore into {folder}: it is on a disk mounted "
                              "read-only; nothing was changed")
    if db_path.is_file() and not os.access(db_path, os.W_OK):
        raise DatabaseProblem(f"cannot restore over {db_path}: it is read-only. Make it "
                              "writable (chmod u+w) first; nothing was changed")
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseProblem(f"cannot restore into {folder}: the folder is read-only. Make it "
                              "writable first; nothing was changed")


def _swap_in(staged: Path, db_path: Path, kind: str, key: str | None = None) -> Path | None:
    if kind in ("missing", "empty"):
        _remove_sidecars(db_path)
        os.replace(staged, db_path)
        dump.fsync_dir(db_path.parent)
        return None
    previous = sqlite_backup.backup_name(db_path, "pre-restore")
    _private_folder(previous.parent)
    if kind == "damaged":
        _raw_copy(db_path, previous)  # cannot be read: keep its bytes as they are
        _remove_sidecars(db_path)
        os.replace(staged, db_path)
        dump.fsync_dir(db_path.parent)
        return previous
    conn = _lock_exclusively(db_path, key)
    try:
        sqlite_backup.backup_to(conn, previous, key)
        dump.fsync_file(previous)
        _remove_sidecars(db_path)  # the old file is in rollback mode now: these are stale
        os.replace(staged, db_path)
        dump.fsync_dir(db_path.parent)
    finally:
        conn.close()  # releases the lock on the old (now unlinked) file
    _remove_sidecars(db_path)
    return previous


def _lock_exclusively(db_path: Path, key: str | None = None):
    """A connection holding ``db_path`` exclusively (see ``storage.sqlite.backup``)."""
    return sqlite_backup.lock_exclusively(db_path, key, again="restore again",
                                  cannot=f"cannot restore over {db_path}")


def _open_path(store: Backend | None) -> Path | None:
    """The file of the open database (None: a team one, or none is open)."""
    return None if store is None else store.path


def _close_open(store: Backend | None, db_path: Path) -> None:
    """Close this thread's connection if it is to ``db_path`` (closing checkpoints the WAL)."""
    open_path = _open_path(store)
    if store is not None and open_path is not None and _same_file(open_path, db_path):
        store.close_connection()


def _raw_copy(db_path: Path, dest: Path) -> None:
    live_files.require_closed(db_path, "copy the damaged database")  # see live_files
    sqlite_backup.create_private_file(dest)
    shutil.copyfile(db_path, dest)
    wal = Path(f"{db_path}-wal")
    if wal.exists():
        wal_copy = Path(f"{dest}-wal")
        sqlite_backup.create_private_file(wal_copy)
        shutil.copyfile(wal, wal_copy)
    dump.fsync_file(dest)


def _remove_sidecars(db_path: Path) -> None:
    for sidecar in dump.sidecar_files(db_path):
        sidecar.unlink(missing_ok=True)


def _private_folder(folder: Path) -> None:
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False
