"""A whole ``planner`` process's start-up: the garbage collector waits for it, and the
process is told to write no core file.

Kept apart from click (planner.cli.lazy), as the window's start does not import click
(planner.cli.window)."""

from __future__ import annotations

import errno
import gc
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_collecting_paused = False


@contextmanager
def own_process() -> Iterator[None]:
    """Around a whole ``planner`` process: no garbage collection during start-up, and
    none on the way out.

    Start-up (importing click, peewee, the models, the command's module, opening the
    database) makes some 20,000 objects that all live as long as the process; the
    collector walked them ~50 times meanwhile (gen 0 and 1, at every 700 new objects)
    and once more at exit, about 7 % of ``planner log``. :func:`start_collecting`
    resumes it, with what start-up made frozen (``gc.freeze``), before the command
    runs, so a long command (an import, ``demo``) collects its garbage as before."""
    global _collecting_paused
    no_core_files()
    gc.disable()
    _collecting_paused = True
    try:
        yield
    finally:
        gc.freeze()  # the process is ending: nothing to gain from walking everything again
        _collecting_paused = False


def no_core_files() -> None:
    """A crash writes no core file: the process's memory holds the key of an encrypted
    database and the passphrase typed while the database is open, and a core file would
    keep them on disk (``ulimit -c unlimited``, a crash reporter that honours the
    limit). Only the soft limit is lowered (nothing else of the process changes; a
    debugger can still attach); Python's own fault report on stderr stays."""
    try:
        import resource
    except ImportError:  # Windows: no core files
        return
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
        resource.setrlimit(resource.RLIMIT_CORE, (0, hard))
    except (ValueError, OSError):  # a platform that refuses: as before
        pass


def start_collecting() -> None:
    """Start-up is over (the command is about to run): resume garbage collection, if
    :func:`own_process` paused it, for the objects made from now on."""
    global _collecting_paused
    if _collecting_paused:
        _collecting_paused = False
        gc.freeze()
        gc.enable()


class _WholeWrites(io.RawIOBase):
    """Standard output's descriptor, written in full or not at all: a short write (a
    full disk takes what fits and says so only at the next write) is continued, and its
    error raised. CPython's own stdout takes a short write for success: ``planner export
    > dump.json`` on a full disk left a cut dump and exited 0 without a word."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data) -> int:  # bytes-like in, all written
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            written = os.write(self._fd, view[done:])
            if written == 0:
                raise OSError(errno.EIO, "standard output took nothing")
            done += written
        return done


class _ClosedOutput(io.RawIOBase):
    """Standard output when the process started without one (``planner export >&-``):
    Python makes it None and print() drops what is printed, so the export exited 0 and
    wrote nothing. Writing fails instead, as on a full disk; descriptor 1 is never
    written, as the next file opened (the log, an export's temporary file) may be it."""

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def _errors(errors: str | None) -> str:
    """Standard output's error handler: a file name that is not UTF-8 ("caf\\xe9.db",
    which Python holds as "caf\\udce9.db") is written back as the bytes it was made of, as
    Python itself does in the C locale. Under a UTF-8 locale Python's is "strict", and
    ``planner backup -o`` to such a name made the copy, then failed printing where it went
    ("unexpected error")."""
    return "surrogateescape" if errors in (None, "strict") else errors


@contextmanager
def whole_writes() -> Iterator[None]:
    """Standard output writes everything or raises (``_WholeWrites``), for a whole
    process; flushed at the end of the block so an error there is the command's too."""
    before = sys.stdout
    if before is None:  # started with it closed (`>&-`): what is printed fails, not vanishes
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(_ClosedOutput()), encoding="utf-8")
        try:
            yield
            sys.stdout.flush()
        finally:
            sys.stdout = before
        return
    if not hasattr(before, "fileno"):
        yield
        return
    try:
        fd = before.fileno()
    except (OSError, ValueError):  # not a real descriptor (a test's capture)
        yield
        return
    before.flush()
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(_WholeWrites(fd)), encoding=before.encoding,
        errors=_errors(before.errors), line_buffering=bool(before.line_buffering),
        write_through=False)
    try:
        yield
        sys.stdout.flush()
    finally:
        sys.stdout = before
