"""The log file: unexpected errors go here with their traceback, never on screen.

Tracebacks can quote what a person typed, so the log is private: the folder
is 0700 and every log file 0600 — tightened when they already exist with
wider modes (an older version, a restored home folder), and a file started by
a rollover is created private.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

_configured: Path | None = None
BACKUP_COUNT = 3


def log_path() -> Path:
    from planner.storage.target import data_dir

    return data_dir() / "logs" / "planner.log"


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are created owner-only, whatever the umask."""

    def _open(self):
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(self.baseFilename, flags | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o600)
        except OSError:
            pass
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def make_private(path: Path) -> None:
    """The log folder 0700, the log and its rotated copies 0600."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    for candidate in [path, *(Path(f"{path}.{n}") for n in range(1, BACKUP_COUNT + 1))]:
        try:
            if not candidate.is_symlink():
                os.chmod(candidate, 0o600)
        except FileNotFoundError:
            continue


def setup_logging(level: int = logging.INFO) -> Path:
    """Send log records to a rotating file in the user data folder (once per process)."""
    global _configured
    if _configured is not None:
        return _configured
    path = log_path()
    try:
        make_private(path)
        handler: logging.Handler = PrivateRotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    _configured = path
    return path
