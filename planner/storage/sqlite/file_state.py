"""What a database file is, from its first 16 bytes, without opening it: ``plain``
SQLite, ``encrypted`` (could be SQLCipher) or something else.

Kept apart from :mod:`planner.storage.sqlite.encryption` so that opening a plain file —
the window's start-up, every command — needs none of the encryption code (issue 23).
"""

from __future__ import annotations

from pathlib import Path

from planner.domain.errors import DatabaseProblem
from planner.storage.sqlite import live_files
from planner.storage.sqlite.backup import SQLITE_HEADER

#: the smallest page of a SQLCipher file (a file of whole pages could be one)
MIN_PAGE = 512
#: beside a file being encrypted or decrypted: the converted copy, then the original
CONVERTING = ".converting"
REPLACED = ".replaced"


def read_header(path: Path) -> bytes:
    """The first 16 bytes of a file this process holds no connection to.

    Closing a descriptor of a file drops the SQLite locks of every connection
    of this process to it (see :mod:`planner.storage.sqlite.live_files`), so a live
    database is never read here: :func:`file_state` asks its connection instead.
    """
    with live_files.guarded(path) as may_read:
        if not may_read:
            raise DatabaseProblem(f"{Path(path).name} is open; its bytes are not read")
        with Path(path).open("rb") as fh:
            return fh.read(len(SQLITE_HEADER))


def _looks_like_text(header: bytes) -> bool:
    import string

    printable = set(string.printable.encode("ascii"))
    return all(byte in printable for byte in header)


def file_state(path: Path) -> str:
    """``missing``, ``empty``, ``folder``, ``special``, ``plain``, ``encrypted`` or ``foreign``.

    ``encrypted`` means "could be a SQLCipher file": only a key can confirm it.
    Reads at most 16 bytes; never writes.
    """
    path = Path(path)
    known = live_files.known_state(path)
    if known is not None:  # decided before its first connection; never re-read
        return known
    if not path.exists():
        return "missing"
    if path.is_dir():
        return "folder"
    if not path.is_file():  # a pipe, a device, a socket: never read (a FIFO would hang)
        return "special"
    size = path.stat().st_size
    if size == 0:
        return "empty"
    try:
        header = read_header(path)
    except OSError:
        return "foreign"
    except DatabaseProblem:  # a connection appeared meanwhile: it knows
        return live_files.known_state(path) or "foreign"
    if header == SQLITE_HEADER:
        return "plain"
    if size >= MIN_PAGE and size % MIN_PAGE == 0 and not _looks_like_text(header):
        return "encrypted"
    return "foreign"


def is_encrypted(path: Path) -> bool:
    return file_state(path) == "encrypted"
