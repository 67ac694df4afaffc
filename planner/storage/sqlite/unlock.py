"""Finding the key of an encrypted database: given, typed, in the keyring, or asked for.

No Qt. The keyring may block (a locked keychain): the GUI calls these off its
thread, or looks the keys up itself and passes ``key=`` to ``open_database``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from planner.domain.errors import DatabaseProblem, InvalidInput
from planner.storage.sqlite import encryption


@dataclass(frozen=True)
class PassphraseRequest:
    """What a passphrase prompt shows: which file, and why the last try failed."""

    path: Path
    error: str | None = None  # None on the first ask
    attempt: int = 1
    store_reason: str | None = None  # why the keyring could not help, if it could not


#: Asks a person for the passphrase; returns it, or None to give up.
AskPassphrase = Callable[[PassphraseRequest], "str | None"]


def keyring_key(path: Path, database=None) -> str | None:
    """The key for the encrypted ``path`` from the keyring, checked against the file.

    A pending key (left by an interrupted encrypt or change-key) that opens the
    file becomes the current one. None when the keyring has no working key or
    cannot be used (the user was told once). May block: not on the GUI thread.
    """
    from planner.storage import secrets

    found = encryption.find_key(path, secrets.database_keys(database or path))
    if found is not None:
        try:
            if secrets.database_key(database or path) != found:
                secrets.remember_database_key(database or path, found)
        except secrets.SecretStoreUnavailable:
            pass
    return found


def _wrong(path: Path, typed: str | None = None) -> encryption.WrongKey:
    hint = ""
    if typed is not None and encryption.looks_like_recovery(typed):
        hint = " (it looks like a recovery passphrase with a typo: check each group)"
    return encryption.WrongKey(
        f"the passphrase does not open {path}{hint}; the file was left untouched"
    )


def unlock_key(
    path: Path,
    *,
    key: str | None = None,
    passphrase: str | None = None,
    ask: AskPassphrase | None = None,
    use_keyring: bool = True,
    database=None,
) -> str:
    """The key that opens the encrypted file ``path``, or DatabaseProblem.

    In order: ``key`` (exact key text), ``passphrase`` (what a person typed:
    recovery passphrase, own passphrase or key), the keyring (current, then
    pending key), then ``ask`` until it gives up. An empty passphrase is
    refused; a wrong one leaves the file untouched (it is only read).
    """

    def check(candidate: str) -> None:
        encryption.open_verified(path, candidate).close()

    return unlock(path, key, passphrase, ask, use_keyring, database, check)[0]


def unlock(path, key, passphrase, ask, use_keyring, database, attempt):
    """As :func:`unlock_key`; ``attempt(key)`` reads the file (WrongKey if it cannot).

    Returns (key, what ``attempt`` returned), so the read that proves a key
    is the one the caller needed anyway (each costs a key derivation).
    """

    def tried(candidate: str):
        try:
            return True, attempt(candidate)
        except encryption.WrongKey:
            return False, None

    if key is not None:
        return key, attempt(encryption.require_key(key))
    if passphrase is not None:
        for candidate in encryption.keys_for_passphrase(passphrase):
            ok, result = tried(candidate)
            if ok:
                return candidate, result
        raise _wrong(path, passphrase)
    store_reason = None
    if use_keyring:
        from planner.storage import secrets

        keys = secrets.database_keys(database or path)
        for index, candidate in enumerate(keys):
            ok, result = tried(candidate)
            if ok:
                # not the path's key: a pending key of an interrupted conversion, or the
                # file's own (it was moved or copied here): now the key of this path too
                try:
                    if index:
                        secrets.remember_database_key(database or path, candidate)
                    else:  # kept by an earlier version under the path alone
                        secrets.follow_file(database or path, candidate)
                except secrets.SecretStoreUnavailable:
                    pass
                return candidate, result
        status = secrets.store_status()
        store_reason = None if status.usable else status.reason
    if ask is not None:
        error, number = None, 1
        while True:
            typed = ask(PassphraseRequest(path, error, number, store_reason))
            if typed is None:
                raise DatabaseProblem(
                    f"{path} is encrypted and no passphrase was given; it was not opened"
                )
            try:
                candidates = encryption.keys_for_passphrase(typed)
            except InvalidInput as exc:
                error = str(exc)
            else:
                for candidate in candidates:
                    ok, result = tried(candidate)
                    if ok:
                        return candidate, result
                error = str(_wrong(path, typed))
            number += 1
    why = f" (no usable secret store: {store_reason})" if store_reason else ""
    raise DatabaseProblem(
        f"{path} is not a plain SQLite file: either an encrypted database whose key is not "
        f"in this machine's keyring{why}, or not a Mentorship Planner database. It was left "
        "untouched; to open an encrypted database give its passphrase (or recovery "
        "passphrase), e.g. with planner --passphrase-stdin"
    )
