"""The OS secret store (``keyring``), wrapped once. No Qt.

* Service ``mentorship-planner``; one account per database: the database file's
  absolute path with symbolic links resolved (or, for a server database, its URL
  without a password). A key waiting to replace the current one (written just
  before an encrypt or change-key swaps the file, see
  :mod:`planner.storage.sqlite.encryption`) lives under the same account plus
  :data:`PENDING_SUFFIX`, so a crash between the two steps never strands a file.
* The key of an encrypted file is also kept under the file's own account,
  :data:`FILE_PREFIX` and its SQLCipher salt (random per file, the same in its copies
  and after a rename; not secret), so the key follows the file: a database moved or
  renamed opens without asking, and a new database encrypted at the old path does not
  take the moved one's only key from the keyring.
* :func:`get_secret`, :func:`set_secret`, :func:`delete_secret` raise
  :class:`SecretStoreUnavailable` when there is no usable store: headless Linux
  (``fail.Keyring`` raises ``NoKeyringError`` on every call), the ``null``
  backend (it forgets everything), a plain-text file backend, a locked or
  refused keychain. The first time that happens in a process the user is told
  once, clearly, through the notice handler (the CLI prints one line, the GUI
  shows a message); callers then ask for the passphrase instead. Nothing ever
  falls back to storing a secret in a plain file.
* These calls may block (a keychain waiting for its unlock prompt): the GUI
  runs them off its thread (``planner.ui.security.secret_worker``).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from planner.domain.errors import PlannerError
from planner.storage import secret_notice

log = logging.getLogger(__name__)

SERVICE = "mentorship-planner"
PENDING_SUFFIX = "#pending"
FILE_PREFIX = "sqlcipher-file:"
NOTICE = (
    "No usable secret store: secrets cannot be remembered on this machine ({reason}). "
    "You will be asked for the passphrase whenever it is needed."
)


class SecretStoreUnavailable(PlannerError):
    """The OS secret store cannot be used here (none, locked or refused)."""

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason  # short: "the keyring is locked", ...


@dataclass(frozen=True)
class StoreStatus:
    usable: bool
    backend: str  # module.Class of the keyring backend
    reason: str = ""  # why not usable

    def describe(self) -> str:
        if self.usable:
            return f"the system keyring ({self.backend})"
        return f"no usable secret store ({self.reason})"


# the notice (planner.storage.secret_notice, which the command line imports on its own)
set_notice_handler = secret_notice.set_notice_handler
notice_given = secret_notice.notice_given
mark_notice_given = secret_notice.mark_notice_given
reset_notice = secret_notice.reset_notice


def _unavailable(reason: str) -> SecretStoreUnavailable:
    """Tell the user once, then return the error for the caller to raise."""
    message = NOTICE.format(reason=reason)
    secret_notice.tell_once(message)
    return SecretStoreUnavailable(message, reason)


# -------------------------------------------------------------------- the store


def _backend():
    import keyring

    return keyring.get_keyring()


def backend_name(backend=None) -> str:
    backend = backend if backend is not None else _backend()
    return f"{type(backend).__module__}.{type(backend).__name__}"


def store_status() -> StoreStatus:
    """Whether the configured backend can keep a secret, judged without calling it."""
    from keyring.backends import fail, null

    backend = _backend()
    name = backend_name(backend)
    if isinstance(backend, fail.Keyring):
        return StoreStatus(False, name, "no keyring service is running")
    if isinstance(backend, null.Keyring):
        return StoreStatus(False, name, "the keyring is switched off")
    if "plaintext" in type(backend).__name__.lower():
        return StoreStatus(False, name, "that keyring stores secrets in a plain file")
    return StoreStatus(True, name)


def _checked_backend():
    status = store_status()
    if not status.usable:
        raise _unavailable(status.reason)
    return _backend()


def _reason(exc: Exception) -> str:
    from keyring.errors import KeyringLocked, NoKeyringError

    if isinstance(exc, KeyringLocked):
        return "the keyring is locked"
    if isinstance(exc, NoKeyringError):
        return "no keyring service is running"
    text = str(exc).strip().splitlines()
    return f"the keyring refused: {text[0] if text else type(exc).__name__}"


def get_secret(account: str) -> str | None:
    """The secret stored for ``account``, or None; SecretStoreUnavailable if no store."""
    from keyring.errors import KeyringError

    backend = _checked_backend()
    try:
        return backend.get_password(SERVICE, account)
    except KeyringError as exc:
        raise _unavailable(_reason(exc)) from None
    except Exception as exc:  # D-Bus and friends raise their own errors
        log.exception("the keyring failed reading a secret")
        raise _unavailable(_reason(exc)) from None


def set_secret(account: str, secret: str) -> None:
    """Store ``secret``; read it back, so a store that silently forgets is caught."""
    from keyring.errors import KeyringError

    if not secret:
        raise ValueError("refusing to store an empty secret")
    backend = _checked_backend()
    try:
        backend.set_password(SERVICE, account, secret)
        kept = backend.get_password(SERVICE, account)
    except KeyringError as exc:
        raise _unavailable(_reason(exc)) from None
    except Exception as exc:
        log.exception("the keyring failed storing a secret")
        raise _unavailable(_reason(exc)) from None
    if kept != secret:
        raise _unavailable("the keyring did not keep the secret")


def delete_secret(account: str) -> None:
    """Forget ``account``'s secret; nothing stored is not an error."""
    from keyring.errors import KeyringError, PasswordDeleteError

    backend = _checked_backend()
    try:
        backend.delete_password(SERVICE, account)
    except PasswordDeleteError:
        return
    except KeyringError as exc:
        raise _unavailable(_reason(exc)) from None
    except Exception as exc:
        log.exception("the keyring failed deleting a secret")
        raise _unavailable(_reason(exc)) from None


# ------------------------------------------------------------- database keys


def account_for(database: str | os.PathLike | None) -> str:
    """The keyring account of a database string (as ``--db`` takes it) or path."""
    from planner.storage.target import DatabaseTarget, resolve_target

    target = database if isinstance(database, DatabaseTarget) else resolve_target(database)
    if target.path is not None:
        return str(Path(os.path.realpath(target.path)))
    return target.display()


def database_key(database) -> str | None:
    """The key stored for a database (SecretStoreUnavailable if no store)."""
    return get_secret(account_for(database))


def database_keys(database) -> list[str]:
    """Keys worth trying for a database, current first then pending; [] if no store."""
    try:
        return stored_database_keys(database)
    except SecretStoreUnavailable:
        return []


def stored_database_keys(database) -> list[str]:
    """As :func:`database_keys`, but SecretStoreUnavailable when there is no store."""
    account = account_for(database)
    keys: list[str] = []
    for name in (account, account + PENDING_SUFFIX, file_account(database)):
        value = get_secret(name) if name else None
        if value and value not in keys:
            keys.append(value)
    return keys


def file_account(database) -> str | None:
    """The account of the encrypted file a database string names, as the file is now
    (its salt: see the module's note); None for a server database or a plain file.
    Reads the file's first bytes only when no connection of this process has it open."""
    from planner.storage.sqlite import derived_keys
    from planner.storage.target import DatabaseTarget, resolve_target

    target = database if isinstance(database, DatabaseTarget) else resolve_target(database)
    if target.path is None:
        return None
    salt = derived_keys.file_salt(target.path)
    return None if salt is None else FILE_PREFIX + salt.hex()


def lookup_database_keys(database) -> tuple[StoreStatus, list[str]]:
    """The store's status and the database's keys, in one call that may block.

    For a worker thread: the status reflects what the call found (a locked or
    refusing keychain makes it not usable), never raises for a missing store.
    """
    status = store_status()
    if not status.usable:
        return status, []
    try:
        return status, stored_database_keys(database)
    except SecretStoreUnavailable as exc:
        return StoreStatus(False, status.backend, exc.reason), []


def remember_database_key(database, key: str) -> None:
    """Make ``key`` the database's key in the store, under its path and under the file as
    it is now (and drop any pending one)."""
    account = account_for(database)
    set_secret(account, key)
    own = file_account(database)
    if own is not None:
        set_secret(own, key)
    delete_secret(account + PENDING_SUFFIX)


def follow_file(database, key: str) -> None:
    """Keep ``key``, known to open the database's file, under the file's own account too
    when it is not there yet (a key an earlier version kept under the path alone)."""
    own = file_account(database)
    if own is not None and get_secret(own) != key:
        set_secret(own, key)


def stage_database_key(database, key: str) -> None:
    """Keep ``key`` as the database's pending key, before the file changes to it."""
    set_secret(account_for(database) + PENDING_SUFFIX, key)


def forget_database_key(database, file_accounts: tuple[str | None, ...] = ()) -> None:
    """Forget the database's keys: its path's, a pending one, the file's as it is now and
    ``file_accounts`` (a file's before a conversion gave it another salt, or none)."""
    account = account_for(database)
    delete_secret(account)
    delete_secret(account + PENDING_SUFFIX)
    for name in {file_account(database), *file_accounts}:
        if name is not None:
            delete_secret(name)
