"""Where an export (or a copy) may be written: never over a database.

``planner export -o planner.db`` replaced the open database with its own JSON dump,
``focus -o`` with a Markdown page, and ``-o planner.db-wal`` wrote into its log; as
root, ``-o /dev/full`` even replaced the device with a file. Every writer of a file the
user keeps asks ``refuse_unsafe`` first.
"""

from __future__ import annotations

import os
from pathlib import Path

from planner.domain.errors import InvalidInput
from planner.storage.sqlite import live_files
from planner.storage.sqlite.file_state import file_state

#: names an encrypted database may have (its bytes cannot tell it from other binary data)
_DATABASE_SUFFIXES = (".db", ".sqlite", ".sqlite3", ".db3")


def _same_file(a: Path, b: str) -> bool:
    try:
        return os.path.samefile(a, b)  # stats only: hard links and bind mounts too
    except OSError:
        return False


def refuse_unsafe(path: Path, *, databases: bool = True) -> None:
    """InvalidInput when writing ``path`` would replace a database (the open one, a file
    this process holds, a -wal/-shm/-journal of one and, with ``databases``, any SQLite
    file or a file named like an encrypted one) or something that is not a regular file.
    (A backup copy may replace a database file the user names, never an open one.)"""
    base = live_files.database_of(path)
    sidecar = base != live_files.real_path(path)
    if live_files.is_live(base) or any(_same_file(path, live) for live in live_files.live_paths()):
        what = "a file of the open database" if sidecar else "the open database itself"
        raise InvalidInput(f"{path} is {what}; choose another file")
    if sidecar and os.path.exists(base):
        raise InvalidInput(f"{path.name} belongs to the database {Path(base).name}; "
                           "choose another file")
    if path.is_file():
        _refuse_with_sidecars(path)
    state = file_state(path)
    if state == "special":
        raise InvalidInput(f"{path} is not a regular file (a device, pipe or socket); "
                           "choose a file")
    if databases and (state == "plain" or (state == "encrypted"
                                           and path.suffix.lower() in _DATABASE_SUFFIXES)):
        raise InvalidInput(f"{path} is a database file, which an export never replaces; "
                           "choose another name")


def _refuse_with_sidecars(path: Path) -> None:
    """A file with a write-ahead log (or a rollback journal) beside it is a database in use
    by some program, or one not closed cleanly: replacing it left the log, which SQLite
    then replayed into the new file (``backup -o other.db`` over a window's database mixed
    that window's last changes into the copy and lost the rest of its data)."""
    for suffix in ("-wal", "-shm", "-journal"):
        beside = path.with_name(path.name + suffix)
        if beside.exists():
            raise InvalidInput(
                f"{path} is a database in use, or not closed cleanly ({beside.name} is beside "
                "it): it is never replaced; choose another file")
