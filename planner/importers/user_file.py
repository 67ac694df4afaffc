"""Reading a file the user chose, safely: a regular file, never more than a hard limit.

A path handed to the app may name anything: ``/dev/zero`` (endless), a FIFO
(which blocks until someone writes), a socket, a folder, or a symbolic link to
any of these. Only a regular file (after following links) is read; the file is
opened with ``O_NONBLOCK`` so that even a FIFO swapped in after the check
cannot hang the app, checked again on the open descriptor, and read with a
hard byte limit (not trusting ``st_size``, which a growing file outruns).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from planner.domain.errors import InvalidInput

MAX_FILE_BYTES = 200 * 1024 * 1024  # bigger than any address book or export; refuse, don't hang
_CHUNK = 1024 * 1024
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(
    os, "O_CLOEXEC", 0
)


def _kind(mode: int) -> str | None:
    """Why a file of this mode cannot be read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def open_user_file(path: str | Path) -> int:
    """An open, read-only descriptor of the regular file ``path``; InvalidInput otherwise."""
    path = Path(path)
    try:
        why = _kind(os.stat(path).st_mode)  # follows links: a link to /dev/zero is a device
        if why is not None:
            raise InvalidInput(f"{path.name} {why}")
        fd = os.open(path, _FLAGS)
    except FileNotFoundError:
        raise InvalidInput(f"{path} does not exist") from None
    except PermissionError:
        raise InvalidInput(f"{path.name} cannot be read (permission denied)") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path.name} is a folder, not a file") from None
    except OSError as err:
        raise InvalidInput(f"{path.name} cannot be read: {err.strerror or err}") from None
    try:
        why = _kind(os.fstat(fd).st_mode)  # swapped for something else after the check?
        if why is not None:
            raise InvalidInput(f"{path.name} {why}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a regular file: ordinary reads from here on
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_user_file(path: str | Path, limit: int = MAX_FILE_BYTES, what: str = "file") -> bytes:
    """All bytes of the regular file ``path``, refusing more than ``limit`` of them."""
    path = Path(path)
    fd = open_user_file(path)
    try:
        if os.fstat(fd).st_size > limit:  # refuse at once; the read below is capped anyway
            raise _too_large(path, limit, what)
        parts: list[bytes] = []
        size = 0
        while True:
            try:
                chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
            except OSError as err:
                raise InvalidInput(f"{path.name} cannot be read: {err.strerror or err}") from None
            if not chunk:
                break
            parts.append(chunk)
            size += len(chunk)
            if size > limit:
                raise _too_large(path, limit, what)
        return b"".join(parts)
    finally:
        os.close(fd)


def _too_large(path: Path, limit: int, what: str) -> InvalidInput:
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} bytes"
    return InvalidInput(f"{path.name} is too large to be a {what} (more than {size})")
