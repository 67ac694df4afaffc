"""The test-time guard of issue 17: no plain file I/O on a live database.

Closing any descriptor of a database file drops the SQLite locks of the whole
process (see ``planner.storage.sqlite.live_files``). This audit hook (PEP 578) watches
every ``open`` a Python process makes — ``open()``, ``io.open``, ``os.open``,
``pathlib``, ``shutil`` — and reports one that names a database file, or its
``-wal``/``-shm``/``-journal``, while a SQLite connection to that file is open
in the same process.

A connection counts when the app made it (``live_files`` tracks every connection
of the app, any thread, either SQLite library) or when anything in the process
opened it with the standard ``sqlite3`` module (its ``sqlite3.connect`` audit
event names the file; ``/proc/self/fd`` says whether it is still open).

The test session installs it in-process (``tests/conftest.py``) and in every
Python subprocess the tests start (``lock_guard_site/sitecustomize.py`` on
``PYTHONPATH``), which append what they find to ``$PLANNER_LOCK_GUARD_LOG``.
"""

from __future__ import annotations

import os
import sys
import threading
import traceback

LOG_VARIABLE = "PLANNER_LOCK_GUARD_LOG"
_SKIP_SUFFIXES = (".py", ".pyc", ".so", ".pth", ".pyi", ".typed", ".json", ".png", ".svg",
                  ".qm", ".ttf", ".ini", ".conf", ".cfg", ".txt", ".log", ".md", ".toml")

violations: list[str] = []
_seen: set[str] = set()  # files the standard sqlite3 module connected to
_busy = threading.local()
_installed = False
_to_log = True  # a subprocess reports through the log; the test process keeps a list


class LockGuardViolation(RuntimeError):
    """Python opened a database file (or a sidecar) that a connection holds open."""


def _text(path) -> str | None:
    if isinstance(path, int):
        return None
    if isinstance(path, bytes):
        return os.fsdecode(path)
    try:
        return os.fspath(path)
    except TypeError:
        return None


def _open_descriptors_of(real: str) -> bool:
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return True  # no /proc: assume the connection is still open
    for name in names:
        try:
            if os.readlink(f"/proc/self/fd/{name}") == real:
                return True
        except OSError:
            continue
    return False


def _live(base: str) -> bool:
    from planner.storage.sqlite import live_files

    if base in live_files.live_paths():
        return True
    return base in _seen and _open_descriptors_of(base)


def _report(path: str, base: str) -> None:
    stack = "".join(traceback.format_stack(limit=12)[:-3])
    message = (f"{path!r} was opened by Python while a SQLite connection to {base!r} "
               f"is open in process {os.getpid()}:\n{stack}")
    violations.append(message)
    log = os.environ.get(LOG_VARIABLE)
    if log and _to_log:
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (message + "\n\x1e\n").encode("utf-8", "replace"))
        finally:
            os.close(fd)


def _hook(event: str, args: tuple) -> None:
    if event == "open":
        if getattr(_busy, "on", False):
            return
        path = _text(args[0])
        if not path or path.endswith(_SKIP_SUFFIXES) or path.startswith("/proc/"):
            return
        _busy.on = True
        try:
            from planner.storage.sqlite.live_files import database_of

            base = database_of(path)
            if _live(base):
                _report(path, base)
                raise LockGuardViolation(f"{path} opened while a connection to it is open")
        finally:
            _busy.on = False
    elif event == "sqlite3.connect":
        path = _text(args[0])
        if path and path != ":memory:" and not path.startswith("file::memory:"):
            _busy.on = True
            try:
                from planner.storage.sqlite.live_files import real_path

                _seen.add(real_path(path))
            finally:
                _busy.on = False


def install(*, to_log: bool = True) -> None:
    global _installed, _to_log
    _to_log = to_log
    if not _installed:
        _installed = True
        sys.addaudithook(_hook)


def _held_inodes() -> set[tuple[int, int, int]]:
    """(major, minor, inode) of every file this process holds a POSIX lock on, from the
    kernel's table (/proc/locks: "1: POSIX ADVISORY READ <pid> <maj>:<min>:<ino> …")."""
    pid = str(os.getpid())
    held = set()
    try:
        with open("/proc/locks") as listed:
            lines = listed.read().splitlines()
    except OSError:
        return held
    for line in lines:
        parts = line.split()
        if "->" in parts:  # a waiter ("1: -> POSIX …"): not held
            continue
        if len(parts) >= 6 and parts[1] == "POSIX" and parts[4] == pid:
            major, minor, inode = parts[5].split(":")
            held.add((int(major, 16), int(minor, 16), int(inode)))
    return held


def locks_lost() -> list[str]:
    """The live databases of this process (in WAL mode: a -shm beside them) on which it
    no longer holds any POSIX lock. A WAL connection keeps a read lock on its -shm for as
    long as it is open; when none is held, something closed a descriptor of the file —
    Python (the audit hook above sees that) or native code such as Qt's file dialogs
    reading a listed file's type, which no Python hook sees."""
    from planner.storage.sqlite import live_files

    lost = []
    held = None
    for base in live_files.live_paths():
        try:
            shm = os.stat(base + "-shm")  # a stat, no descriptor
        except OSError:
            continue  # not in WAL mode (or not yet): no lock is held between transactions
        if held is None:
            held = _held_inodes()
        inode = (os.major(shm.st_dev), os.minor(shm.st_dev), shm.st_ino)
        if inode not in held and _still_there(base, inode):
            lost.append(base)
    return lost


def _still_there(base: str, inode: tuple[int, int, int]) -> bool:
    """The -shm is still the same file, and still not locked, when looked at again: a
    connection leaving WAL mode between the stat and the read of /proc/locks (a backup's
    copy is switched to DELETE right after SQLite's backup made it WAL) removes its -shm
    and lets go of its lock in that instant; that is no lost lock (seen once, on 3.12)."""
    try:
        again = os.stat(base + "-shm")
    except OSError:
        return False
    if (os.major(again.st_dev), os.minor(again.st_dev), again.st_ino) != inode:
        return False
    return inode not in _held_inodes()
