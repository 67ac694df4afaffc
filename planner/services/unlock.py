"""Opening an encrypted database file: the keys the keyring keeps for it, the keys a
typed passphrase stands for, which of them opens the file, and keeping one.

The window asks (planner.ui.security.passphrase_dialog); what it asks with lives here.
Key checks and keyring lookups may block (a key derivation is ~0.2 s; a keychain may be
locked): the window calls those off its thread. Opening is done on the thread that will
use the connection (the window's).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from planner.storage import secrets
from planner.storage.database import OpenDatabase, open_database
from planner.storage.sqlite import encryption
from planner.storage.target import DatabaseTarget, resolve_target

#: the key did not open the file
WrongKey = encryption.WrongKey


def target_of(database) -> DatabaseTarget:
    return resolve_target(database)


def is_encrypted(database) -> bool:
    """Does ``database`` name an encrypted file? Looks at its first bytes only."""
    target = resolve_target(database)
    return target.path is not None and encryption.file_state(target.path) == "encrypted"


def keys_for_passphrase(typed: str) -> list[str]:
    """The key(s) to try for what a person typed; InvalidInput for an empty one."""
    return encryption.keys_for_passphrase(typed)


def key_that_opens(path: Path, keys: Iterable[str]) -> str | None:
    """The first of ``keys`` that opens the file at ``path`` (None: none does). Blocks."""
    return encryption.find_key(path, keys)


def looks_like_recovery(typed: str) -> bool:
    """Shaped like a recovery passphrase (a typo in one is worth a hint)."""
    return encryption.looks_like_recovery(typed)


def kept_keys(target: DatabaseTarget) -> tuple[secrets.StoreStatus, list[str]]:
    """What the keyring keeps for the file (its key, then a pending one) and whether it
    could be asked. Blocks."""
    return secrets.lookup_database_keys(target)


def keep_key(target: DatabaseTarget, key: str) -> None:
    """Keep the file's key in the keyring. Blocks."""
    secrets.remember_database_key(target, key)


def open_with_keys(database, keys: Iterable[str]) -> tuple[OpenDatabase | None, int]:
    """Open ``database`` with the first of ``keys`` that opens it: (the open database,
    that key's place in ``keys``), or (None, -1) when none does. Opening proves the key
    with the read it needs anyway (a key derivation less than checking first). Another
    failure to open is raised (PlannerError)."""
    for index, key in enumerate(keys):
        try:
            return open_database(database, key=key), index
        except WrongKey:
            continue
    return None, -1


def open_with_key(database, key: str) -> OpenDatabase:
    return open_database(database, key=key)
