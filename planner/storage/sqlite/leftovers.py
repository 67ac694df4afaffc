"""What an interrupted conversion, restore or backup left beside a database.

Run when a database opens (before its first connection of this process):

* an interrupted encryption (:func:`planner.storage.sqlite.encryption.cleanup_leftovers`):
  the stale copy is shredded, a swapped-out original overwritten;
* the staged copy of an interrupted restore (``NAME.restoring`` and its
  ``-journal``) and the half-written copies of interrupted backups (``*.partial``
  in ``backups/``: daily, pre-import, pre-restore, pre-migration) are deleted;
* an encryption killed while it converted the backups left some of them plain
  beside an encrypted database: :func:`finish_backup_encryption` encrypts them
  with the database's key, so no plaintext copy outlives the conversion.

Nothing here touches a file while another program may still be working on it:
the clean-up happens only when the database itself is not locked by anyone, and
never on a database this process holds open.
"""

from __future__ import annotations

import logging
import sqlite3
import stat
import time
from pathlib import Path

from planner.domain.errors import DatabaseProblem
from planner.storage.failures import Failure, classify
from planner.storage.sqlite import live_files
from planner.storage.sqlite.backup import backups_folder, list_backups, sqlite_uri
from planner.storage.sqlite.file_state import CONVERTING, REPLACED, file_state

log = logging.getLogger(__name__)

RESTORING = ".restoring"
PARTIAL = ".partial"
#: A staged restore or a half-written backup younger than this may still be in the
#: works in another process (a backup does not lock the database it copies): kept.
STALE_AFTER_S = 3600


def interrupted_files(path: Path, now: float | None = None) -> list[Path]:
    """The leftovers of interrupted restores and backups beside ``path`` (not removed):
    those untouched for :data:`STALE_AFTER_S`, so never another process's work in progress."""
    found = [Path(f"{path}{RESTORING}{suffix}") for suffix in ("", "-journal")]
    folder = backups_folder(path)
    if folder.is_dir():
        found += sorted(folder.glob(f"*{PARTIAL}")) + sorted(folder.glob(f"*{PARTIAL}-journal"))
    now = time.time() if now is None else now
    return [leftover for leftover in found if _stale(leftover, now)]


def _stale(path: Path, now: float) -> bool:
    try:
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_AFTER_S


def _in_use_elsewhere(path: Path) -> bool:
    """Does another connection hold ``path`` locked (a conversion or restore at work)?"""
    if not path.exists():
        return False
    try:
        conn = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True, timeout=0,
                               isolation_level=None,
                               factory=live_files.tracked(sqlite3.Connection))
    except sqlite3.Error:
        return False
    try:
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        return classify(exc) is Failure.LOCKED  # SQLITE_BUSY / SQLITE_LOCKED
    except sqlite3.DatabaseError:  # encrypted: not readable without the key, but not locked
        return False
    finally:
        conn.close()
    return False


def clean(path: Path) -> list[Path]:
    """Finish or undo what interrupted work left beside ``path``; returns what was removed."""
    path = Path(path)
    if live_files.is_live(path) or path.is_dir():
        return []  # this process has it open: its own work is not "interrupted"
    pending = interrupted_files(path)
    converting = [Path(f"{path}{CONVERTING}"), Path(f"{path}{REPLACED}")]
    if not pending and not any(p.exists() for p in converting):
        return []
    if _in_use_elsewhere(path):
        return []  # another program is converting or restoring it right now
    from planner.storage.sqlite import encryption  # (only when there is work to finish)

    removed = encryption.cleanup_leftovers(path)
    for leftover in pending:
        leftover.unlink(missing_ok=True)
        removed.append(leftover)
    if removed:
        log.warning("removed what an interrupted job left beside %s: %s", path,
                    ", ".join(p.name for p in removed))
    return removed


def finish_backup_encryption(path: Path, key: str) -> int:
    """Encrypt (with ``key``) the backups of the encrypted ``path`` still left plain."""
    from planner.storage.sqlite import encryption

    done = 0
    for backup in list_backups(path):
        if file_state(backup) != "plain":
            continue
        try:
            encryption.encrypt(backup, key)
        except DatabaseProblem as exc:
            log.warning("could not encrypt the plain backup %s: %s", backup, exc)
            continue
        done += 1
    if done:
        log.warning("encrypted %s backup(s) of %s that an interrupted encryption left plain",
                    done, path)
    return done
