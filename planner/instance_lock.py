"""One window per database file: a QLockFile beside it (``planner.db.lock``).

The file names the process and host that hold it; it is owner-only, like the database.
A lock naming another computer (a shared folder, or a data folder copied with its lock)
is left alone, since only that computer can tell whether it is live; the message says
how to end it if it is not.
A lock that names no process (an empty or unreadable file: a crash or power loss while
it was being written, a sync tool's copy, another program) was taken for a live window
for ever, so every window on that database opened read-only. It is removed when no
process holds it: QLockFile's own removal takes the file's native locks first, which a
live holder keeps, and it is left alone while it is young enough to be a lock that is
being written right now. The lock file is never opened here: closing a descriptor of it
would drop the POSIX lock QLockFile holds on it for this whole process.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from PySide6.QtCore import QLockFile, QSysInfo

from planner.domain.errors import DatabaseProblem

log = logging.getLogger(__name__)

#: a lock that names no process and is younger than this may be one being written now
BEING_WRITTEN_S = 2.0


def acquire(path: Path) -> QLockFile | None:
    """The held lock for the database at ``path``. Raises DatabaseProblem when another
    window holds it (or a lock file in the way cannot be removed); None when the folder
    cannot hold a lock file (read-only), with nothing else to protect."""
    lock_path = f"{path}.lock"
    lock = QLockFile(lock_path)
    lock.setStaleLockTime(0)  # only a live process holds it; a crashed one's is taken over
    if lock.tryLock(100):
        _owner_only(lock_path)
        return lock
    if lock.error() != QLockFile.LockError.LockFailedError:
        return None
    pid, host = _owner(lock)
    if pid and host and host != QSysInfo.machineHostName():
        # (only that computer can tell whether it is still open: a lock copied with the
        # data folder from another computer names it too)
        raise DatabaseProblem(
            f"{path} is open in a Mentorship Planner window on {host} (process {pid}). If "
            f"it is not open there (a copy of the data folder brings its lock along), "
            f"delete {lock_path} and open the database again (the command line can "
            "still change it)")
    if pid:
        who = f" (process {pid}{' on ' + host if host else ''})"
        raise DatabaseProblem(
            f"{path} is already open in another Mentorship Planner window{who}; switch to "
            "that window (the command line can still change it while the window is open)")
    if _old_enough(lock_path) and lock.removeStaleLockFile() and lock.tryLock(100):
        log.warning("a lock file naming no process was beside %s; it was removed", path)
        _owner_only(lock_path)
        return lock
    raise DatabaseProblem(
        f"{lock_path} is in the way: it names no window, and it is held or could not be "
        "removed. If no Mentorship Planner window has the database open, delete that "
        "file and open the database again (the command line can still change it)")


def _owner(lock: QLockFile) -> tuple[int, str]:
    """(pid, host) the lock file names; (0, "") when it names none."""
    info = lock.getLockInfo()  # (ok?, pid, host, app name): shapes vary with the binding
    if isinstance(info, tuple) and len(info) >= 3 and isinstance(info[-3], int):
        return info[-3], str(info[-2] or "")
    return 0, ""


def _old_enough(lock_path: str) -> bool:
    try:
        age = time.time() - os.lstat(lock_path).st_mtime
    except OSError:
        return True  # gone meanwhile: the next try takes it
    return abs(age) >= BEING_WRITTEN_S


def _owner_only(path: str) -> None:
    """The lock file says which process on which host has the database open: for its
    owner's eyes only (QLockFile makes it with the umask's 0644). Changed by its name,
    never opened; a symbolic link put in its place is left alone (the log's files are
    treated alike)."""
    try:
        if not os.path.islink(path):
            os.chmod(path, 0o600)
    except OSError:  # a file system without modes: the lock still works
        log.debug("the lock file's mode could not be set", exc_info=True)
