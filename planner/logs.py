"""The log file: unexpected errors go here with their traceback, never on screen.

Tracebacks can quote what a person typed, so the log is private: the folder
is 0700 and every log file 0600 — tightened when they already exist with
wider modes (an older version, a restored home folder), and a file started by
a rollover is created private.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

_configured: Path | None = None
BACKUP_COUNT = 3


def log_path() -> Path:
    from planner.storage.target import data_dir

    return data_dir() / "logs" / "planner.log"


def _rotating_file(path: Path) -> logging.Handler:
    """The rotating log file, its files created owner-only whatever the umask."""
    import logging.handlers

    class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
        def _open(self):
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
            fd = os.open(self.baseFilename, flags | getattr(os, "O_NOFOLLOW", 0), 0o600)
            try:
                if hasattr(os, "fchmod"):
                    os.fchmod(fd, 0o600)
            except OSError:
                pass
            return open(fd, "a", encoding=self.encoding, errors=self.errors)

    return PrivateRotatingFileHandler(path, maxBytes=1_000_000, backupCount=BACKUP_COUNT,
                                      encoding="utf-8")


class PrivateLog(logging.Handler):
    """The log file, opened at its first record: logging.handlers (with the socket,
    pickle and queue modules it imports) is some 6 ms of the window's start, which
    most days writes nothing to the log (issue 23). A file that cannot be opened leaves
    the records unwritten, as a NullHandler did."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = path
        self._file: logging.Handler | None = None

    def _opened(self) -> logging.Handler:
        if self._file is None:
            try:
                self._file = _rotating_file(self.path)
            except OSError:
                self._file = logging.NullHandler()
            self._file.setFormatter(self.formatter)
        return self._file

    def emit(self, record: logging.LogRecord) -> None:
        self._opened().emit(record)

    def doRollover(self) -> None:
        opened = self._opened()
        if hasattr(opened, "doRollover"):
            opened.doRollover()

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


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
        handler: logging.Handler = PrivateLog(path)
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    _configured = path
    return path
