"""SQLCipher's key derivation, done once per file and key in this process.

SQLCipher turns the key text of a connection into the file's page key with PBKDF2 over
the file's salt (its first 16 bytes): 256,000 rounds of HMAC-SHA512, about 0.1 s of CPU.
It did so at every connection: twice to open a file (the look that proves the key, then
the connection), once more for the keyring's check and for each worker thread's
connection. The same derivation done here once gives the raw key, which SQLCipher takes
as ``x'…'`` (64 hex digits) without deriving anything.

* The salt is read from the file's header only when no connection of this process has
  the file open (:func:`planner.storage.sqlite.file_state.read_header`), and remembered with
  the file's identity (device, inode) for the connections made while it is open.
* The derivation's settings are SQLCipher's own defaults, asked of the library, not
  assumed; a new file, and a key of another form, get the key text as before.
* A raw key is only a shortcut: :func:`planner.storage.sqlite.encryption.connect` checks
  that it reads the file and otherwise keys a new connection with the key text, so a
  stale raw key, or a derivation that differs from the library's, is never taken for a
  wrong passphrase. Once a raw key has read a file (this process's derivation is then
  the library's) a raw key made from a salt read that moment that does not read the
  file is what the key text would give too: a wrong key, said without deriving it twice.

The raw keys live in this process's memory while their database is open, as the key
texts they are made from do (the database's connection parameters); they are forgotten
when it closes (:func:`forget_file`), and never written, logged or shown. A raw key
opens only the file it was made for (and its copies): its salt is in it.
No Qt, no peewee.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from planner.domain.errors import DatabaseProblem
from planner.storage.sqlite.backup import SQLITE_HEADER
from planner.storage.sqlite.file_state import read_header

SALT_BYTES = 16
#: SQLCipher's names of the PBKDF2 hash → hashlib's
_HASHES = {"PBKDF2_HMAC_SHA512": "sha512", "PBKDF2_HMAC_SHA256": "sha256",
           "PBKDF2_HMAC_SHA1": "sha1"}

_lock = threading.Lock()
#: (device, inode) of a file → its salt, as last read from its header
_salts: dict[tuple[int, int], bytes] = {}
#: (salt, key text) → the raw key, ``x'…'``
_raw: dict[tuple[bytes, str], str] = {}
#: a raw key made here has read a file: the derivation is the library's
_proven = False


@dataclass(frozen=True)
class RawKey:
    """A raw key for a file, and whether its salt was read from the file just now."""

    text: str
    fresh: bool


@cache
def _settings() -> tuple[str, int, int] | None:
    """(hashlib name, rounds, key bytes) of the library's PBKDF2; None if not known."""
    from sqlcipher3 import dbapi2

    conn = dbapi2.connect(":memory:")
    try:
        rounds = int(conn.execute("PRAGMA cipher_default_kdf_iter").fetchone()[0])
        algorithm = str(conn.execute("PRAGMA cipher_default_kdf_algorithm").fetchone()[0])
    except Exception:  # an older SQLCipher without these pragmas: derive nothing here
        return None
    finally:
        conn.close()
    name = _HASHES.get(algorithm.upper())
    return None if name is None or rounds <= 0 else (name, rounds, 32)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)  # (no descriptor of the file is opened)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _salt(path: Path) -> tuple[bytes, bool] | None:
    """The salt of ``path`` and whether it was read just now: read from its header when
    no connection has it open (then remembered), else as remembered from the last read."""
    identity = _identity(path)
    if identity is None:
        return None
    try:
        header = read_header(path)  # (guarded: never the bytes of a live file)
    except DatabaseProblem:  # a connection of this process has it open
        with _lock:
            found = _salts.get(identity)
        return None if found is None else (found, False)
    except OSError:
        return None
    if len(header) != SALT_BYTES or header == SQLITE_HEADER:  # (a plain file)
        return None
    with _lock:
        _salts[identity] = header
    return header, True


def file_salt(path: str | os.PathLike) -> bytes | None:
    """The SQLCipher salt of the file at ``path`` (random per encrypted file, kept by its
    copies and renames; not secret: it is the file's first bytes); None for a plain or
    missing file, or a live one whose salt this process has not read."""
    salted = _salt(Path(path))
    return None if salted is None else salted[0]


def raw_key(path: str | os.PathLike, key: str) -> RawKey | None:
    """``x'…'``: the page key SQLCipher would derive from ``key`` for the file at
    ``path``, made once per salt and key in this process; None when it cannot be made
    here (no file yet, its salt unknown, the library's settings unknown)."""
    if not key or key.startswith(("x'", "X'")):  # (a raw key is already one)
        return None
    settings = _settings()
    if settings is None:
        return None
    salted = _salt(Path(path))
    if salted is None:
        return None
    salt, fresh = salted
    with _lock:
        found = _raw.get((salt, key))
    if found is None:
        name, rounds, size = settings
        try:
            secret = key.encode("utf-8")
        except UnicodeEncodeError:  # (a lone surrogate: the key text goes as it is)
            return None
        found = "x'" + hashlib.pbkdf2_hmac(name, secret, salt, rounds, size).hex() + "'"
        with _lock:
            _raw[(salt, key)] = found
    return RawKey(found, fresh)


def read_a_file() -> None:
    """A raw key made here read its file: this process derives as the library does."""
    global _proven
    _proven = True


def failure_is_final(raw: RawKey) -> bool:
    """Would the key text fail where ``raw`` did? Yes once the derivation is proven and
    the salt was read from the file that moment."""
    return _proven and raw.fresh


def forget_file(path: str | os.PathLike) -> None:
    """``path``'s database was closed: the raw keys made for its salt go, with the salt."""
    identity = _identity(Path(path))
    with _lock:
        salt = _salts.pop(identity, None)  # type: ignore[arg-type]
        for made in [made for made in _raw if made[0] == salt]:
            del _raw[made]


def forget(path: str | os.PathLike) -> None:
    """A raw key made for ``path`` did not read it (the file was replaced in place):
    its remembered salt goes; the next connection reads it again or uses the key text."""
    identity = _identity(Path(path))
    with _lock:
        _salts.pop(identity, None)  # type: ignore[arg-type]
