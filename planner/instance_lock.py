"""One window per database file: a QLockFile beside it (``planner.db.lock``), owner-only,
and one that names no process taken over when no process holds it
(planner.ui.common.lock_files).

A lock naming another computer (a shared folder, or a data folder copied with its lock)
is left alone, since only that computer can tell whether it is live; the message says
how to end it if it is not. One that names no process and cannot be taken over (held,
or a moment old) is said to be in the way, with what to do.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile, QSysInfo

from planner.domain.errors import DatabaseProblem
from planner.ui.common.lock_files import owner, take


def acquire(path: Path) -> QLockFile | None:
    """The held lock for the database at ``path``. Raises DatabaseProblem when another
    window holds it (or a lock file in the way cannot be removed); None when the folder
    cannot hold a lock file (read-only), with nothing else to protect."""
    lock_path = f"{path}.lock"
    lock = QLockFile(lock_path)
    lock.setStaleLockTime(0)  # only a live process holds it; a crashed one's is taken over
    if take(lock, 100):
        return lock
    if lock.error() != QLockFile.LockError.LockFailedError:
        return None
    pid, host = owner(lock)
    if pid and host and host != QSysInfo.machineHostName():
        raise DatabaseProblem(
            f"{path} is open in a Mentorship Planner window on {host} (process {pid}). If "
            f"it is not open there (a copy of the data folder brings its lock along), "
            f"delete {lock_path} and open the database again (the command line can "
            "still change it)")
    if pid:
        raise DatabaseProblem(
            f"{path} is already open in another Mentorship Planner window (process "
            f"{pid}{' on ' + host if host else ''}); switch to that window (the command "
            "line can still change it while the window is open)")
    raise DatabaseProblem(
        f"{lock_path} is in the way: it names no window, and it is held or could not be "
        "removed. If no Mentorship Planner window has the database open, delete that "
        "file and open the database again (the command line can still change it)")
