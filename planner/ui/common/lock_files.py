"""The app's QLockFiles (a database's ``planner.db.lock``, the daily reminder's
``reminders.lock``): owner-only, and one that names no process taken over.

A lock file names the process and host that hold it. QLockFile with a stale time of 0
takes over one whose process is gone, but takes one that names no process (an empty or
unreadable file: a crash or power loss between its creation and its first write, a sync
tool's copy, another program) for a live holder for ever: every window on the database
opened read-only, and the daily reminder was never sent again. Such a file is removed
when no process holds it — QLockFile's own removal takes the file's native locks first,
which a live holder keeps — and left alone while it is young enough to be a lock being
written right now. A lock file is never opened here: closing a descriptor of it would
drop the POSIX lock QLockFile holds on it for this whole process.
"""

from __future__ import annotations

import logging
import os
import time

from PySide6.QtCore import QLockFile

log = logging.getLogger(__name__)

#: a lock that names no process and is younger than this may be one being written now
BEING_WRITTEN_S = 2.0


def take(lock: QLockFile, timeout_ms: int = 0) -> bool:
    """Lock ``lock`` (owner-only once held), taking over a file that names no process
    and that no process holds. False when it is held, or cannot be made (then
    ``lock.error()`` says which)."""
    path = lock.fileName()
    if lock.tryLock(timeout_ms):
        owner_only(path)
        return True
    if lock.error() != QLockFile.LockError.LockFailedError or owner(lock)[0]:
        return False
    if _old_enough(path) and lock.removeStaleLockFile() and lock.tryLock(0):
        log.warning("a lock file naming no process was in the way (%s); it was removed", path)
        owner_only(path)
        return True
    return False


def owner(lock: QLockFile) -> tuple[int, str]:
    """(pid, host) the lock file names; (0, "") when it names none."""
    info = lock.getLockInfo()  # (ok?, pid, host, app name): shapes vary with the binding
    if isinstance(info, tuple) and len(info) >= 3 and isinstance(info[-3], int):
        return info[-3], str(info[-2] or "")
    return 0, ""


def owner_only(path: str) -> None:
    """A lock file says which process on which host holds it: for its owner's eyes only
    (QLockFile makes it with the umask's 0644). Changed by its name, never opened; a
    symbolic link put in its place is left alone (the log's files are treated alike)."""
    try:
        if not os.path.islink(path):
            os.chmod(path, 0o600)
    except OSError:  # a file system without modes: the lock still works
        log.debug("a lock file's mode could not be set", exc_info=True)


def _old_enough(path: str) -> bool:
    try:
        age = time.time() - os.lstat(path).st_mtime
    except OSError:
        return True  # gone meanwhile: the next try takes it
    return abs(age) >= BEING_WRITTEN_S
