"""Writing a file the user will keep (an export) so that nobody else can read or redirect it.

The text goes to a private temporary file beside the target, created with
``O_CREAT | O_EXCL | O_NOFOLLOW`` under a random name (a planted file or
symbolic link is never opened, let alone written through), mode 0600 whatever
the umask, fsynced, then renamed over the target with ``os.replace`` (which
replaces a link at the target itself, never what it points to) and the folder
fsynced so the rename survives a power cut.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_TRIES = 5


def write_private(path: Path, data: bytes) -> Path:
    """Replace ``path`` with ``data`` atomically, owner-only; raises OSError on failure."""
    path = Path(path)
    fd, tmp = _create_temp(path)
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o600)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_folder(path.parent)
    return path


def _create_temp(path: Path) -> tuple[int, Path]:
    for _ in range(_TRIES):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.partial")
        try:
            return os.open(tmp, _FLAGS, 0o600), tmp
        except FileExistsError:
            continue  # someone planted this very name: pick another
    raise FileExistsError(f"cannot create a temporary file beside {path}")


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
