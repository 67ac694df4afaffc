"""Encryption at rest with SQLCipher (``sqlcipher3``). No Qt, no keyring.

Plain or encrypted is decided by looking at the file: a SQLite file starts with
``SQLite format 3\\0``; a SQLCipher file starts with 16 random bytes (its salt)
and is a whole number of pages. Anything else is not a database. Only a key can
tell an encrypted Mentorship Planner database from random bytes.

Keys
    :func:`generate_key` makes the key of a database: the base64 text of 32
    random bytes, given to SQLCipher as its passphrase (SQLCipher runs PBKDF2
    over it, about 0.1–0.2 s; this process does it once per file and key, see
    :mod:`planner.storage.sqlite.derived_keys`). A person may instead choose their
    own passphrase (at least :data:`MIN_PASSPHRASE` characters). An empty key is
    always refused: SQLCipher would silently write a *plaintext* file.

Recovery passphrase
    :func:`recovery_passphrase` shows a generated key once as 14 groups of 4
    letters and digits (RFC 4648 base32 of the 32 key bytes plus a 3-byte
    SHA-256 checksum). It *is* the key, written for people: case, spaces and
    dashes do not matter, ``0``/``1``/``8`` are read as ``O``/``I``/``B``, and a
    typo is caught by the checksum instead of looking like a wrong key.
    :func:`keys_for_passphrase` turns what a person typed (recovery passphrase,
    own passphrase, or the key text itself) into the key to try, so the file
    opens on any machine with the recovery passphrase alone.

Converting a file (:func:`encrypt`, :func:`decrypt`, :func:`change_key`)
    1. lock the file exclusively (which fails while another connection has it
       open), after folding its ``-wal`` into it;
    2. ``sqlcipher_export`` into ``<name>.converting`` beside it (owner-only);
    3. verify: the copy opens with the new key (and is encrypted, or plain,
       as asked), passes its integrity checks and holds the same rows (count
       and SHA-256 per table, schema, user_version, application_id);
    4. hard-link the original as ``<name>.replaced``, then ``os.replace`` the
       copy over it (atomic) and remove stale ``-wal``/``-shm``/``-journal``;
    5. overwrite ``<name>.replaced`` with zeros, fsync, delete it (as far as
       the platform allows: SSDs and copy-on-write file systems may keep old
       blocks; full-disk encryption is the complete answer).
    A crash before step 4 leaves the original as it was; a crash after it
    leaves the converted file in place. :func:`cleanup_leftovers` (run at
    every open) deletes a stale copy, finishes step 5, and puts the original
    back should the database file itself be missing.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from planner.domain.errors import DatabaseProblem, InvalidInput
from planner.storage.failures import Failure, classify
from planner.storage.sqlite import derived_keys, live_files
from planner.storage.sqlite.backup import SQLITE_HEADER, create_private_file, sqlite_uri
from planner.storage.sqlite.file_state import (
    CONVERTING,
    REPLACED,
    file_state,
    is_encrypted,
    read_header,
)

log = logging.getLogger(__name__)

KEY_BYTES = 32
MIN_PASSPHRASE = 8
_CHECKSUM_BYTES = 3
_RECOVERY_CHARS = (KEY_BYTES + _CHECKSUM_BYTES) * 8 // 5  # 56
_GROUP = 4
_B32 = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")  # RFC 4648 base32
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})
SALT_BYTES = 16

EMPTY_KEY = (
    "an empty passphrase is refused: SQLCipher would silently keep the database "
    "unencrypted; type the passphrase"
)
NOT_TEXT_KEY = "the passphrase holds a byte that is not UTF-8 text; type it in UTF-8"
NUL_KEY = (
    "the passphrase holds a NUL character, which SQLCipher cannot take as text; "
    "give it without one"
)


class WrongKey(DatabaseProblem):
    """The key does not open the file (or the file is no database at all)."""


# -------------------------------------------------------------------------- keys


def generate_key() -> str:
    """A new random key: the base64 text of 32 random bytes."""
    import base64  # (these are imported where keys are made or read, not at every open)
    import secrets

    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def _key_bytes(key: str) -> bytes | None:
    import base64
    import binascii

    try:
        raw = base64.b64decode(key.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None
    return raw if len(raw) == KEY_BYTES else None


def is_generated_key(key: str) -> bool:
    return _key_bytes(key) is not None


def recovery_passphrase(key: str) -> str:
    """The recovery passphrase of a generated key (XXXX-XXXX-… 14 groups)."""
    raw = _key_bytes(key)
    if raw is None:
        raise ValueError(
            "only a generated key has a recovery passphrase; a chosen "
            "passphrase is its own recovery passphrase"
        )
    import base64

    payload = raw + hashlib.sha256(raw).digest()[:_CHECKSUM_BYTES]
    text = base64.b32encode(payload).decode("ascii")
    return "-".join(text[i : i + _GROUP] for i in range(0, len(text), _GROUP))


def _normalized_recovery(text: str) -> str | None:
    compact = "".join(ch for ch in text.upper() if ch not in " -\t\n\r").translate(_LOOKALIKES)
    if len(compact) == _RECOVERY_CHARS and set(compact) <= _B32:
        return compact
    return None


def key_from_recovery(text: str) -> str | None:
    """The key a recovery passphrase stands for; None if ``text`` is not one (or has a typo)."""
    compact = _normalized_recovery(text)
    if compact is None:
        return None
    import base64

    payload = base64.b32decode(compact)
    raw, check = payload[:KEY_BYTES], payload[KEY_BYTES:]
    if hashlib.sha256(raw).digest()[:_CHECKSUM_BYTES] != check:
        return None
    return base64.b64encode(raw).decode("ascii")


def looks_like_recovery(text: str) -> bool:
    """Shaped like a recovery passphrase (whether or not its checksum is right)."""
    return _normalized_recovery(text) is not None


def _text_forms(text: str) -> list[str]:
    """A typed passphrase in the forms worth trying, NFC (what set-up keeps) first.

    "é" typed on macOS is "e" plus a combining accent (NFD), one code point on Linux
    and Windows (NFC), and SQLCipher compares bytes. A chosen passphrase is kept in NFC
    since set-up normalises it; a file set up before that in the other form still
    opens with the form as typed and NFD. Plain ASCII has one form: one key to try."""
    import unicodedata

    forms = [unicodedata.normalize("NFC", text), text, unicodedata.normalize("NFD", text)]
    return list(dict.fromkeys(forms))


def keys_for_passphrase(text: str) -> list[str]:
    """The key(s) to try for what a person typed. Refuses an empty passphrase."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput(EMPTY_KEY)
    derived = key_from_recovery(text)
    return [derived] if derived else _text_forms(text)


def check_new_passphrase(text: str) -> str:
    """A passphrase a person chose for a database; refused if empty, short or easy to guess.

    Returned in NFC (see :func:`_text_forms`), so the same words typed on any system open
    the file."""
    import unicodedata

    text = unicodedata.normalize("NFC", (text or "").strip())
    require_new_key(text)
    if len(text) < MIN_PASSPHRASE:
        raise InvalidInput(f"choose a passphrase of at least {MIN_PASSPHRASE} characters")
    from planner.domain.passphrase_strength import weakness

    why = weakness(text)
    if why is not None:
        raise InvalidInput(
            f"that passphrase is too easy to guess ({why}); choose a longer one of your own, "
            "e.g. a few unrelated words"
        )
    return text


def require_key(key: str | None) -> str:
    if key is None or not key.strip():
        raise InvalidInput(EMPTY_KEY)
    try:  # a byte that is not UTF-8 (`planner --passphrase-stdin` in a Latin-1 terminal)
        key.encode("utf-8")
    except UnicodeEncodeError:  # (the byte is not named: it is part of a secret)
        raise InvalidInput(NOT_TEXT_KEY) from None
    return key


def require_new_key(key: str | None) -> str:
    """As :func:`require_key`, for a key a file is about to be given: no NUL either.
    SQLCipher's ``PRAGMA key`` takes text, which a NUL ends, so a file keyed with one
    could be opened only by this process's own key derivation (derived_keys). A file
    given one before is still opened that way where it can be (see :func:`_connect`)."""
    require_key(key)
    assert key is not None
    if "\x00" in key:
        raise InvalidInput(NUL_KEY)
    return key


# ------------------------------------------------------------------ connections


_quiet = False


def _driver():
    from sqlcipher3 import dbapi2

    global _quiet
    if not _quiet:
        _quiet = True
        quiet_sqlcipher(dbapi2)
    return dbapi2


def quiet_sqlcipher(driver=None) -> None:
    """Stop SQLCipher printing HMAC errors on stderr for a wrong key (we report it).

    SQLCipher's log level is process-wide; the app reports every failure itself.
    """
    if driver is None:
        driver = _driver()
    conn = driver.connect(":memory:")
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
    finally:
        conn.close()


def connect(
    path: Path,
    key: str | None,
    *,
    readonly: bool = False,
    immutable: bool = True,
    timeout: float = 5.0,
):
    """A ``sqlcipher3`` connection (autocommit) keyed with ``key``; not yet verified.

    ``key=None`` opens a plain SQLite file through SQLCipher (for exporting it).
    Read-only connections use ``immutable`` when no ``-wal`` exists (unless told
    not to), so they leave nothing beside a file that may not be ours.
    """
    if key is not None:
        raw = derived_keys.raw_key(path, require_key(key))
        if raw is not None:  # the key derived once in this process (derived_keys)
            conn = _connect(path, raw.text, readonly=readonly, immutable=immutable,
                            timeout=timeout)
            if _took(conn, path, raw, final=derived_keys.failure_is_final(raw)):
                return conn  # (or, when final, what the key text would have met)
    return _connect(path, key, readonly=readonly, immutable=immutable, timeout=timeout)


def connect_derived(database: str, key: str, **params):
    """A driver connection to ``database`` keyed with the key this process derived once
    for it (:mod:`planner.storage.sqlite.derived_keys`), known to read it; None when
    there is no such key or it does not read the file: the caller then keys one with
    the key text. ``params`` go to the driver's ``connect``."""
    raw = derived_keys.raw_key(database, key)
    if raw is None:
        return None
    conn = _driver().connect(database, **params)
    try:
        conn.execute("PRAGMA key = " + _quote(raw.text))
    except BaseException:
        conn.close()
        raise
    return conn if _took(conn, database, raw, final=False) else None


def _took(conn, path, raw: derived_keys.RawKey, *, final: bool) -> bool:
    """Does ``conn``, keyed with ``raw``, read its file? If not it is closed (unless the
    failure is ``final``: then it is kept, as the key text's would be) and the file's
    remembered salt is forgotten."""
    if _reads(conn):
        derived_keys.read_a_file()
        return True
    if final:
        return True
    conn.close()
    derived_keys.forget(path)  # (replaced in place, say): the key text decides
    return False


def _reads(conn) -> bool:
    """Does a connection keyed with a raw key read its file? Not when the file's salt
    changed since it was read, or it is no SQLCipher file; nor when the read fails for
    another reason (busy, say): the key text then decides, and its connection meets
    that reason where its caller expects it, as before."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception:  # sqlcipher3's DatabaseError, not sqlite3's
        return False
    return True


def _connect(path: Path, key: str | None, *, readonly: bool, immutable: bool,
             timeout: float):
    driver = _driver()
    if key is None:  # a plain file through SQLCipher's own library: never a live one
        live_files.require_closed(path, "open it through SQLCipher")
    factory = live_files.tracked(driver.Connection)
    if readonly:
        params = {"mode": "ro"}
        if immutable and not Path(f"{path}-wal").exists():
            params["immutable"] = "1"
        conn = driver.connect(
            sqlite_uri(Path(path), **params),
            uri=True,
            timeout=timeout,
            isolation_level=None,
            check_same_thread=False,
            factory=factory,
        )
    else:
        conn = driver.connect(
            str(path), timeout=timeout, isolation_level=None, check_same_thread=False,
            factory=factory,
        )
    if key is None:
        live_files.mark(path, "plain")
    try:
        if key is not None:
            if "\x00" in require_key(key):  # (sqlite3 refuses it in SQL text: ValueError)
                raise InvalidInput(NUL_KEY)
            conn.execute("PRAGMA key = " + _quote(key))
    except BaseException:
        conn.close()
        raise
    return conn


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _verify(conn, path: Path) -> None:
    """Raise WrongKey unless the keyed connection can read the schema."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception as exc:  # sqlcipher3's DatabaseError, not sqlite3's
        if classify(exc) is Failure.NOT_A_DATABASE:  # SQLITE_NOTADB: what a wrong key reads as
            raise WrongKey(
                f"the passphrase does not open {Path(path).name} (wrong key, or not a "
                "Mentorship Planner database); the file was left untouched"
            ) from None
        raise DatabaseProblem(f"{Path(path).name} cannot be read ({exc})") from None


def open_verified(path: Path, key: str | None, *, readonly: bool = True, immutable: bool = True):
    """A keyed connection known to decrypt ``path``; WrongKey otherwise."""
    conn = connect(path, key, readonly=readonly, immutable=immutable)
    try:
        _verify(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def check_key(path: Path, key: str) -> bool:
    """Does ``key`` open ``path``? Read-only; the file is left untouched."""
    if not key or not key.strip():
        return False
    try:
        conn = open_verified(path, key)
    except DatabaseProblem:
        return False
    conn.close()
    return True


def find_key(path: Path, candidates: Iterable[str]) -> str | None:
    """The first candidate key that opens ``path``."""
    for key in candidates:
        if key and check_key(path, key):
            return key
    return None


# ----------------------------------------------------------------- verification


@dataclass(frozen=True)
class Fingerprint:
    """What must survive a conversion: every table's row count and checksum."""

    tables: dict[str, tuple[int, str]]
    schema: str
    user_version: int
    application_id: int

    @property
    def rows(self) -> int:
        return sum(count for count, _ in self.tables.values())


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def fingerprint(conn, schema: str = "main") -> Fingerprint:
    s = _ident(schema)
    entries = conn.execute(
        f"SELECT type, name, tbl_name, sql FROM {s}.sqlite_master ORDER BY type, name"
    ).fetchall()
    tables: dict[str, tuple[int, str]] = {}
    for kind, name, _tbl, sql in entries:
        if kind != "table" or (sql or "").upper().startswith("CREATE VIRTUAL TABLE"):
            continue  # a virtual table's rows live in its shadow tables, which count
        columns = conn.execute(f"PRAGMA {s}.table_info({_ident(name)})").fetchall()
        order = ", ".join(str(i + 1) for i in range(len(columns))) or "1"
        digest = hashlib.sha256()
        count = 0
        for row in conn.execute(f"SELECT * FROM {s}.{_ident(name)} ORDER BY {order}"):
            digest.update(repr(row).encode("utf-8", "surrogatepass"))
            count += 1
        tables[name] = (count, digest.hexdigest())
    schema_text = "\n".join(
        repr(entry) for entry in entries if not str(entry[1]).startswith("sqlite_autoindex")
    )
    user_version = conn.execute(f"PRAGMA {s}.user_version").fetchone()[0]
    application_id = conn.execute(f"PRAGMA {s}.application_id").fetchone()[0]
    return Fingerprint(tables, schema_text, user_version, application_id)


def _integrity(conn, path: Path, encrypted: bool) -> None:
    result = conn.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise DatabaseProblem(f"the converted copy of {path.name} failed its check ({result})")
    if encrypted:
        problems = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        if problems:
            raise DatabaseProblem(
                f"the converted copy of {path.name} failed its check ({problems[0][0]})"
            )


# -------------------------------------------------------------------- copying


def export_copy(source, dest: Path, dest_key: str | None, schema: str = "main") -> None:
    """``sqlcipher_export`` the ``source`` connection into a new owner-only ``dest``.

    ``dest_key=None`` writes a plain SQLite file. ``user_version`` and
    ``application_id`` (which the export leaves out) are copied too. ``schema``
    names the attached database to export, if not the connection's own.
    """
    if dest_key is not None:
        require_new_key(dest_key)
    create_private_file(dest)
    # the name as bytes: a name that is not UTF-8 (Latin-1 "caf\\xe9.db") cannot be bound as text
    source.execute("ATTACH DATABASE ? AS converted KEY ?", (os.fsencode(dest), dest_key or ""))
    try:
        source.execute("SELECT sqlcipher_export('converted', ?)", (schema,))
        for pragma in ("user_version", "application_id"):
            value = int(source.execute(f"PRAGMA {_ident(schema)}.{pragma}").fetchone()[0])
            source.execute(f"PRAGMA converted.{pragma} = {value}")
    finally:
        source.execute("DETACH DATABASE converted")


def copy_file(source: Path, source_key: str | None, dest: Path, dest_key: str | None) -> int:
    """A verified, owner-only copy of the file ``source`` at the new ``dest`` under another key.

    Either key may be None (plain). The source is only read. Returns the rows
    verified; on any failure ``dest`` is removed and the error raised.
    """
    check = open_verified(source, source_key)  # WrongKey before anything is written
    check.close()
    conn = _driver().connect(":memory:", uri=True, isolation_level=None, check_same_thread=False)
    try:
        params = {"mode": "ro"}
        if not Path(f"{source}-wal").exists():
            params["immutable"] = "1"
        conn.execute(
            "ATTACH DATABASE ? AS source KEY ?",
            (sqlite_uri(Path(source), **params), source_key or ""),
        )
        before = fingerprint(conn, "source")
        try:
            export_copy(conn, dest, dest_key, schema="source")
            _check_copy(dest, dest_key, before)
            _fsync(dest)
        except BaseException:
            _shred(dest)
            raise
    finally:
        conn.close()
    return before.rows


def _header_matches(path: Path, encrypted: bool) -> bool:
    header = read_header(path)
    return header != SQLITE_HEADER if encrypted else header == SQLITE_HEADER


# ------------------------------------------------------------------ conversions


@dataclass(frozen=True)
class Conversion:
    path: Path
    encrypted: bool  # what the file is now
    rows: int  # rows verified in the new file (all tables)


def sidecars(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal")]


def _lock(path: Path, key: str | None):
    """A connection holding ``path`` exclusively, in rollback mode, WAL folded in."""
    from planner.storage.sqlite.backup import hold_exclusively

    conn = connect(path, key, timeout=2)
    try:
        _verify(conn, path)
    except BaseException:
        conn.close()
        raise
    return hold_exclusively(conn, path, again="try again", cannot=f"cannot convert {path}")


def convert(path: Path, old_key: str | None, new_key: str | None,
            ready: Callable[[], None] | None = None) -> Conversion:
    """Rewrite ``path`` from ``old_key`` to ``new_key`` (None = plain), verified, atomically.

    Raises (leaving the original as it was) if the old key is wrong, the file
    is in use, or the copy does not verify. ``ready`` is called once the file is held
    for the conversion (nothing else can refuse it now but the disk): where a new
    recovery passphrase is shown, so one is never shown for a change that was refused.
    """
    path = Path(os.path.realpath(path))  # a link's real file is converted, never the link
    if new_key is not None:
        require_new_key(new_key)
    if old_key is not None:
        require_key(old_key)
    live_files.require_closed(path, "convert the database")  # see live_files
    cleanup_leftovers(path)
    staged = path.with_name(path.name + CONVERTING)
    stash = path.with_name(path.name + REPLACED)
    conn = _lock(path, old_key)
    try:
        if ready is not None:
            ready()
        before = fingerprint(conn)
        try:
            export_copy(conn, staged, new_key)
            _check_copy(staged, new_key, before)
            _fsync(staged)
        except BaseException:
            _shred(staged)
            raise
        _link_or_none(path, stash)
        try:
            _swap(staged, path)
        except BaseException:
            _shred(staged)
            if _same(stash, path):
                stash.unlink()  # only a second name of the untouched original
            raise
        _fsync_dir(path.parent)
        for sidecar in sidecars(path):
            sidecar.unlink(missing_ok=True)  # they belonged to the old file
    finally:
        conn.close()
    _shred(stash)
    log.info(
        "converted %s (%s → %s), %s rows verified",
        path,
        "encrypted" if old_key else "plain",
        "encrypted" if new_key else "plain",
        before.rows,
    )
    return Conversion(path, new_key is not None, before.rows)


def _check_copy(staged: Path, key: str | None, before: Fingerprint) -> None:
    if not _header_matches(staged, key is not None):
        raise DatabaseProblem(
            f"the converted copy of {staged.name} is not "
            + ("encrypted" if key else "plain")
            + "; nothing was changed"
        )
    check = open_verified(staged, key)
    try:
        _integrity(check, staged, key is not None)
        after = fingerprint(check)
    finally:
        check.close()
    if after != before:
        differing = sorted(
            name
            for name in set(before.tables) | set(after.tables)
            if before.tables.get(name) != after.tables.get(name)
        )
        raise DatabaseProblem(
            "the converted copy does not hold the same data"
            + (f" (tables {', '.join(differing)})" if differing else " (schema)")
            + "; nothing was changed"
        )


def encrypt(path: Path, key: str, ready: Callable[[], None] | None = None) -> Conversion:
    """Encrypt the plain SQLite file ``path`` with ``key`` (``ready``: see ``convert``)."""
    require_new_key(key)
    state = file_state(path)
    if state == "encrypted":
        raise InvalidInput(f"{path} is already encrypted")
    if state != "plain":
        raise DatabaseProblem(
            f"{path} is not a SQLite database file ({state}); nothing was changed"
        )
    return convert(path, None, key, ready)


def decrypt(path: Path, key: str) -> Conversion:
    """Turn the encrypted ``path`` back into a plain SQLite file."""
    require_key(key)
    state = file_state(path)
    if state == "plain":
        raise InvalidInput(f"{path} is not encrypted")
    if state != "encrypted":
        raise DatabaseProblem(f"{path} is not an encrypted database ({state}); nothing was changed")
    return convert(path, key, None)


def change_key(path: Path, old_key: str, new_key: str,
               ready: Callable[[], None] | None = None) -> Conversion:
    """Re-encrypt ``path`` with ``new_key``; the old key stops working (``ready``: see
    ``convert``)."""
    require_key(old_key)
    require_new_key(new_key)
    if not is_encrypted(path):
        raise InvalidInput(f"{path} is not encrypted")
    return convert(path, old_key, new_key, ready)


# ------------------------------------------------------------ removing files


def _swap(staged: Path, path: Path) -> None:
    """The one atomic step: the verified copy takes the database's name."""
    os.replace(staged, path)


def _link_or_none(path: Path, stash: Path) -> None:
    """Hard-link the original so it can be overwritten after the swap."""
    stash.unlink(missing_ok=True)
    try:
        os.link(path, stash)
    except OSError as exc:  # FAT, some network shares: the old blocks are just freed
        log.warning("cannot keep %s to overwrite it after the swap: %s", path, exc)


def shred(path: Path) -> None:
    """Overwrite a file with zeros, flush it to disk, then delete it."""
    _shred(Path(path))


def _shred(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    live_files.require_closed(path, "overwrite it")  # never a file with a connection
    try:
        with path.open("r+b", buffering=0) as fh:
            chunk = bytes(1 << 20)
            left = size
            while left > 0:
                left -= fh.write(chunk[: min(left, len(chunk))])
            os.fsync(fh.fileno())
    except OSError as exc:
        log.warning("cannot overwrite %s before deleting it: %s", path, exc)
    path.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    from planner.storage.dump import fsync_file

    fsync_file(path)


def _fsync_dir(folder: Path) -> None:
    from planner.storage.dump import fsync_dir

    fsync_dir(folder)


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def cleanup_leftovers(path: Path) -> list[Path]:
    """Finish or undo a conversion a crash interrupted; returns what was removed.

    * ``<name>.converting`` is never the only copy of anything: overwritten, deleted.
    * ``<name>.replaced`` that is still the database file itself (crash before
      the swap): the extra name is removed. A different file (crash after the
      swap) is the old original: overwritten, deleted. With the database file
      missing, it is put back as the database.
    """
    path = Path(path)
    removed: list[Path] = []
    staged = path.with_name(path.name + CONVERTING)
    stash = path.with_name(path.name + REPLACED)
    if staged.exists() and staged.is_file():
        _shred(staged)
        removed.append(staged)
    if stash.exists() and stash.is_file():
        if not path.exists():
            os.replace(stash, path)
            log.warning("put %s back: the database file was missing", path)
        elif _same(stash, path):
            stash.unlink()
            removed.append(stash)
        else:
            _shred(stash)
            removed.append(stash)
    return removed


# ------------------------------------------------------------------- status


@dataclass(frozen=True)
class FileStatus:
    path: Path
    state: str  # as file_state()
    backups_plain: int
    backups_encrypted: int

    @property
    def encrypted(self) -> bool:
        return self.state == "encrypted"


def status(path: Path) -> FileStatus:
    from planner.storage.sqlite.backup import list_backups

    path = Path(path)
    plain = encrypted = 0
    for backup in list_backups(path):
        state = file_state(backup)
        plain += state == "plain"
        encrypted += state == "encrypted"
    return FileStatus(path, file_state(path), plain, encrypted)


def plain_sqlite_readable(path: Path) -> bool:
    """Can the standard ``sqlite3`` module read ``path`` without a key? (tests, status)"""
    try:
        conn = sqlite3.connect(sqlite_uri(Path(path), mode="ro", immutable="1"), uri=True,
                               factory=live_files.tracked(sqlite3.Connection))
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False
    return True
