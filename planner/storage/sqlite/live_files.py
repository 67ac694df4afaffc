"""Which database files this process holds SQLite connections to, right now.

POSIX advisory locks belong to a process, not to a descriptor: closing *any*
descriptor of a database file drops every lock the process's SQLite
connections hold on it (sqlite.org, "How To Corrupt An SQLite Database File",
§2.2). Another process then takes itself for the last connection, checkpoints
and deletes the ``-wal``, and acknowledged writes are lost. The same happens
between two SQLite libraries in one process (the standard ``sqlite3`` and
``sqlcipher3`` each keep their own lock bookkeeping).

So the app never does file work on a database it holds open. Every connection
the app makes to a database file is a :func:`tracked` connection; this module
knows which files have one open, and

* :func:`known_state` answers "plain or encrypted?" for a live file from the
  connection itself (decided once, before the first connection), so nobody
  needs to read its header;
* :func:`require_closed` refuses file work (copy, swap, shred, convert) on a
  file that still has a connection in this process;
* :func:`guarded` serialises a short look at a file's bytes with opening
  connections, so a connection cannot appear while a descriptor is open.

No Qt, no peewee.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TypeVar

from planner.domain.errors import DatabaseProblem

SIDECAR_SUFFIXES = ("-wal", "-shm", "-journal")

_lock = threading.RLock()
#: real path of a database file → its open tracked connections
_open: dict[str, weakref.WeakSet] = {}
#: real path → "plain" or "encrypted", as the connections were made
_states: dict[str, str] = {}


def real_path(path: str | os.PathLike) -> str:
    """The file a path names, links resolved; ``sqlite_uri`` strings are unwrapped."""
    text = os.fspath(path)
    if text.startswith("file:"):
        from urllib.parse import unquote_to_bytes

        text = os.fsdecode(unquote_to_bytes(text[len("file:") :].split("?", 1)[0]))
    return os.path.realpath(text)


def database_of(path: str | os.PathLike) -> str:
    """The database file a path belongs to (a sidecar's database; else the path)."""
    text = os.fspath(path)
    for suffix in SIDECAR_SUFFIXES:
        if text.endswith(suffix):
            return real_path(text[: -len(suffix)])
    return real_path(text)


def _register(conn, path: str, state: str) -> None:
    with _lock:
        conns = _open.setdefault(path, weakref.WeakSet())
        if not conns:  # the first connection says what the file is; a later read-only
            _states[path] = state  # look through the other library does not overwrite it
        conns.add(conn)


def _unregister(conn) -> None:
    path = getattr(conn, "_planner_file", None)
    if path is None:
        return
    with _lock:
        conns = _open.get(path)
        if conns is not None:
            conns.discard(conn)
            if not conns:
                del _open[path]


_C = TypeVar("_C")  # the driver's Connection class


@cache
def tracked(base: type[_C]) -> type[_C]:
    """A subclass of a driver's ``Connection`` class that registers itself while open.

    Pass it as ``factory=`` to ``sqlite3.connect`` / ``sqlcipher3.dbapi2.connect``.
    """

    class TrackedConnection(base):  # type: ignore[misc, valid-type]
        _planner_file: str | None = None

        def __init__(self, database, *args, **kwargs):
            with _lock:  # no header is being read while the file gets a connection
                super().__init__(database, *args, **kwargs)
                text = os.fspath(database)
                if text not in ("", ":memory:") and not text.startswith("file::memory:"):
                    self._planner_file = real_path(text)
                    _register(self, self._planner_file, _state_of(base))

        def close(self) -> None:
            try:
                super().close()
            finally:
                _unregister(self)

    TrackedConnection.__name__ = f"Tracked{base.__name__}"
    return TrackedConnection


def _state_of(base: type) -> str:
    return "plain" if base.__module__.startswith("sqlite3") else "encrypted"


def mark(path: str | os.PathLike, state: str) -> None:
    """Record what a live file is when the connection's library does not say it
    (a plain file opened through SQLCipher, e.g. to encrypt it)."""
    with _lock:
        key = real_path(path)
        if key in _open:
            _states[key] = state


def is_live(path: str | os.PathLike) -> bool:
    """Does this process hold an open connection to ``path`` (or the file it links to)?"""
    key = database_of(path)
    with _lock:
        return bool(_open.get(key))


def known_state(path: str | os.PathLike) -> str | None:
    """``plain`` or ``encrypted`` for a live file (from its connections); None otherwise."""
    key = database_of(path)
    with _lock:
        return _states.get(key) if _open.get(key) else None


def live_paths() -> list[str]:
    with _lock:
        return [path for path, conns in _open.items() if conns]


def require_closed(path: str | os.PathLike, action: str) -> None:
    """Refuse ``action`` on a file this process still holds a connection to."""
    if is_live(path):
        raise DatabaseProblem(
            f"cannot {action}: {Path(path).name} is still open in this window or command; "
            "close it first. Nothing was changed"
        )


@contextmanager
def guarded(path: str | os.PathLike) -> Iterator[bool]:
    """Hold off new connections while looking at ``path``'s bytes.

    Yields True when the bytes may be read (no connection of this process has
    the file open); the caller must then not keep any descriptor past the block.
    """
    with _lock:
        yield not is_live(path)
