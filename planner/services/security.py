"""Encryption at rest as a person uses it: ``planner db …`` and Settings → Security.

Where the key lives
    A generated key (:func:`new_key`) is kept in the OS keyring (service
    ``mentorship-planner``, account = the database file's path) when the
    keyring is usable, so the app opens the database without asking. The
    person is shown its recovery passphrase once, *before* the file is
    converted (so no crash can strand a file whose key nobody has); with it the
    file opens on any machine (``planner --passphrase-stdin``, the passphrase
    dialog, or plain SQLCipher with the key text). Without a usable keyring,
    or with ``remember=False``, the passphrase is asked for at every open.
    A person may choose their own passphrase instead (:func:`new_key` with
    ``own=``); it is then its own recovery passphrase.

Crash safety with the keyring
    The new key is written to the keyring as *pending* before the file
    changes, and becomes the current key after; opening tries both. So a
    crash at any point leaves a file whose key is in the keyring (or in the
    person's hands).

Backups
    The automatic backups beside the database (``backups/``) follow the
    database: encrypting encrypts them, changing the key re-keys them,
    decrypting decrypts them. Copies written elsewhere (``backup -o``) are the
    person's to manage.

Hooks for Settings → Security (the preferences dialog)
    :func:`security_status` (what to show), :func:`new_key` then
    :func:`encrypt_database` (show ``NewKey.recovery`` first; the "two clicks"),
    :func:`passphrase_problem` (an own passphrase checked as it is typed),
    :func:`key_kept` (is the key in the keyring: what the status line says),
    :func:`change_database_key`, :func:`decrypt_database`,
    :func:`remember_key` / :func:`forget_key` (a "remember on this machine"
    switch). All of them may block on the keyring and take seconds on a big
    file: run them with ``planner.ui.security.secret_worker.run_in_background``, after
    closing the window's own connection (``opened.close()`` on the GUI thread);
    the conversion needs the file to itself and refuses while it is in use.
    Reopen afterwards with ``open_database(path, key=…)``. No Qt here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from planner.domain.errors import DatabaseProblem, InvalidInput, PlannerError
from planner.storage import secrets
from planner.storage.sqlite import encryption, live_files
from planner.storage.sqlite.backup import kind_counts, list_backups
from planner.storage.target import DatabaseTarget, resolve_target

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewKey:
    """A key about to be given to a database, and what the person must keep."""

    key: str
    recovery: str | None  # the recovery passphrase to show once; None for an own passphrase

    @property
    def chosen(self) -> bool:
        return self.recovery is None


def new_key(own: str | None = None) -> NewKey:
    """A random key with its recovery passphrase, or the person's own passphrase (checked)."""
    if own is not None:
        return NewKey(encryption.check_new_passphrase(own), None)
    key = encryption.generate_key()
    return NewKey(key, encryption.recovery_passphrase(key))


def passphrase_problem(own: str) -> str | None:
    """Why :func:`new_key` would refuse ``own`` as a chosen passphrase (the rule and the
    words of ``planner db encrypt --own-passphrase``), or None when it is accepted. For the
    window, which says it as the person types."""
    try:
        new_key(own=own)
    except InvalidInput as exc:
        return str(exc)
    return None


def key_kept(database, key: str) -> bool | None:
    """Is ``key`` kept for the database in this computer's keyring? None: there is no
    usable keyring here. Blocks (a locked keychain): call it off the GUI thread."""
    target, _ = _path(database)
    store, keys = secrets.lookup_database_keys(target)
    if not store.usable:
        return None
    return key in keys


@dataclass(frozen=True)
class SecurityStatus:
    path: Path
    state: str  # encryption.file_state(): plain, encrypted, missing, ...
    key_location: str  # keyring, not-in-keyring, no-store, unchecked, or "" (not encrypted)
    store: secrets.StoreStatus
    backups_plain: int
    backups_encrypted: int
    #: the backups of each kind (``manual``, ``daily``, ``automatic``): each is rotated on
    #: its own, so a person sees why their copy is still there after many imports
    backup_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def encrypted(self) -> bool:
        return self.state == "encrypted"

    def key_text(self) -> str:
        return {
            "keyring": f"in {self.store.describe()}",
            "not-in-keyring": "not in this machine's keyring: the passphrase is asked for "
            "when the database opens",
            "no-store": f"{self.store.describe()}: the passphrase is asked for when the "
            "database opens",
            "unchecked": "not looked up in the keyring",
            "": "none (the database is not encrypted)",
        }[self.key_location]

    def lines(self) -> list[str]:
        what = {
            "encrypted": "yes (SQLCipher)",
            "plain": "no",
            "missing": "no (the database does not exist yet)",
            "empty": "no (an empty file)",
        }.get(self.state, f"unknown ({self.state}: not a Mentorship Planner database)")
        rows = [
            f"Database: {self.path}",
            f"Encrypted: {what}",
            f"Key: {self.key_text()}",
            f"Secret store: {self.store.describe()}",
        ]
        total = self.backups_plain + self.backups_encrypted
        if total:
            rows.append(
                f"Backups: {total} ({self.backups_encrypted} encrypted, "
                f"{self.backups_plain} not encrypted)"
            )
        if self.backup_kinds:
            kinds = self.backup_kinds
            rows.append(
                f"Backups kept: {kinds.get('manual', 0)} made by you, "
                f"{kinds.get('daily', 0)} daily, {kinds.get('automatic', 0)} automatic "
                "(before an import, a restore or an upgrade); each kind keeps its own newest "
                "copies (how many: Preferences → Backups, 10 by default)"
            )
        return rows

    def as_dict(self) -> dict:
        return {
            "database": str(self.path),
            "encrypted": self.encrypted,
            "state": self.state,
            "key": self.key_location or None,
            "secret_store": {
                "usable": self.store.usable,
                "backend": self.store.backend,
                "reason": self.store.reason or None,
            },
            "backups": {"encrypted": self.backups_encrypted, "plain": self.backups_plain,
                        **{kind: count for kind, count in self.backup_kinds.items()}},
        }


def _path(database) -> tuple[DatabaseTarget, Path]:
    target = database if isinstance(database, DatabaseTarget) else resolve_target(database)
    if target.path is None:
        raise InvalidInput(f"{target.display()}: encryption applies to database files only")
    return target, target.path


def _closed_here(path: Path) -> None:
    """Refuse while any connection of this process (any thread, any SQLite library)
    has the file open: the conversion needs the file to itself, and SQLCipher's
    locks cannot see another library's (see planner.storage.sqlite.live_files).
    Another process is caught by the conversion's exclusive lock."""
    if live_files.is_live(path):
        raise DatabaseProblem(
            f"{path} is open in this window; close the database first (the conversion needs "
            "the file to itself). Nothing was changed"
        )


def _own_schema(path: Path, key: str | None, doing: str) -> None:
    """Refuse a file whose schema is not exactly one the app makes (a trigger, a view...
    someone added): converting it would carry them into the new file (issue 17)."""
    from planner.storage.dump import altered_schema

    problem = altered_schema(path, key, str(path))
    if problem:
        raise DatabaseProblem(f"{problem}, so it will not be {doing}; nothing was changed")


def security_status(database=None, *, check_keyring: bool = True) -> SecurityStatus:
    """Encrypted or not, where the key lives, and the state of the backups.

    ``check_keyring`` looks the key up (may block) and checks it opens the file.
    """
    target, path = _path(database)
    files = encryption.status(path)
    store = secrets.store_status()
    location = ""
    if files.encrypted:
        if not check_keyring:
            location = "unchecked"
        elif not store.usable:
            location = "no-store"
            try:
                secrets.database_key(target)  # gives the one-time notice
            except secrets.SecretStoreUnavailable:
                pass
        else:
            from planner.storage.sqlite.unlock import keyring_key

            location = "keyring" if keyring_key(path, target) else "not-in-keyring"
            store = secrets.store_status()  # a locked keyring may have refused meanwhile
            if location == "not-in-keyring" and secrets.notice_given() and not store.usable:
                location = "no-store"
    kinds = kind_counts(path)
    return SecurityStatus(
        path, files.state, location, store, files.backups_plain, files.backups_encrypted,
        kinds if any(kinds.values()) else {},
    )


@dataclass(frozen=True)
class KeyChange:
    """What an encrypt / change-key / decrypt did."""

    path: Path
    encrypted: bool  # the database now
    rows: int  # rows verified in the converted file
    remembered: bool  # the (new) key is in the keyring
    store_problem: str | None = None  # why the key could not be remembered
    backups_converted: int = 0
    backups_skipped: list[tuple[Path, str]] = field(default_factory=list)


def _stage(target: DatabaseTarget, key: str, remember: bool) -> tuple[bool, str | None]:
    if not remember:
        return False, None
    try:
        secrets.stage_database_key(target, key)
    except secrets.SecretStoreUnavailable as exc:
        return False, str(exc)
    return True, None


def _promote(target: DatabaseTarget, key: str, staged: bool) -> tuple[bool, str | None]:
    if not staged:
        return False, None
    try:
        secrets.remember_database_key(target, key)
    except secrets.SecretStoreUnavailable as exc:
        return False, str(exc)  # the pending copy still opens it
    return True, None


def _forget_quietly(target: DatabaseTarget, *file_accounts: str | None) -> None:
    try:
        secrets.forget_database_key(target, file_accounts)
    except secrets.SecretStoreUnavailable:
        pass


def _forget_file_key(account: str | None) -> None:
    """Drop the key kept for the file as it was before a conversion gave it a new salt:
    that key opens nothing now (the old key, after a change)."""
    if account is None:
        return
    try:
        secrets.delete_secret(account)
    except secrets.SecretStoreUnavailable:
        pass


def _convert_backups(path: Path, old_key: str | None, new_key: str | None):
    """Bring the automatic backups to the database's new key; report what could not be."""
    converted, skipped = 0, []
    for backup in list_backups(path):
        state = encryption.file_state(backup)
        try:
            if old_key is None and state == "plain":
                encryption.encrypt(backup, encryption.require_key(new_key))  # its first check
            elif old_key is not None and state == "encrypted":
                if not encryption.check_key(backup, old_key):
                    if new_key is not None and encryption.check_key(backup, new_key):
                        continue  # already done (an earlier run was interrupted)
                    skipped.append((backup, "encrypted with another key"))
                    continue
                encryption.convert(backup, old_key, new_key)
            else:
                continue
        except PlannerError as exc:
            skipped.append((backup, str(exc)))
            continue
        converted += 1
    return converted, skipped


def encrypt_database(database, new: NewKey, *, remember: bool = True,
                     ready: Callable[[], None] | None = None) -> KeyChange:
    """Encrypt a plain database (and its automatic backups) with ``new.key``.

    Show ``new.recovery`` to the person *before* the file is rewritten: from ``ready``,
    called once the file is held for the conversion (a refusal, "in use" say, comes
    before it), or before calling this (the window's dialog). With a usable
    keyring and ``remember``, the key is stored there; otherwise the person
    types the passphrase at every open. An already encrypted database whose
    backups are still plain gets those backups encrypted (``new.key`` must
    then be the database's key).
    """
    target, path = _path(database)
    _closed_here(path)
    state = encryption.file_state(path)
    if state == "encrypted":
        if not encryption.check_key(path, new.key):
            raise InvalidInput(f"{path} is already encrypted")
        converted, skipped = _convert_backups(path, None, new.key)
        if not converted and not skipped:
            raise InvalidInput(f"{path} is already encrypted")
        return KeyChange(path, True, 0, False, None, converted, skipped)
    if state != "plain":
        raise DatabaseProblem(
            f"{path} is not a database that can be encrypted ({state}); nothing was changed"
        )
    _own_schema(path, None, "encrypted")
    staged, problem = _stage(target, new.key, remember)
    try:
        done = encryption.encrypt(path, new.key, ready)
    except BaseException:
        if staged:
            _drop_pending(target)
        raise
    remembered, later = _promote(target, new.key, staged)
    converted, skipped = _convert_backups(path, None, new.key)
    return KeyChange(path, True, done.rows, remembered, problem or later, converted, skipped)


def _drop_pending(target: DatabaseTarget) -> None:
    try:
        # account_for takes a DatabaseTarget too (its annotation in secrets.py leaves it out)
        account = secrets.account_for(target)  # type: ignore[arg-type]
        secrets.delete_secret(account + secrets.PENDING_SUFFIX)
    except secrets.SecretStoreUnavailable:
        pass


def change_database_key(database, old_key: str, new: NewKey, *, remember: bool = True,
                        ready: Callable[[], None] | None = None) -> KeyChange:
    """Re-encrypt with ``new.key`` (backups too); the old key stops opening the database.
    ``ready``: as for :func:`encrypt_database`."""
    target, path = _path(database)
    _closed_here(path)
    if not encryption.is_encrypted(path):
        raise InvalidInput(f"{path} is not encrypted; encrypt it first")
    if new.key == old_key:
        raise InvalidInput("the new passphrase is the same as the current one")
    if not encryption.check_key(path, old_key):
        raise encryption.WrongKey(
            f"the current passphrase does not open {path}; nothing was changed"
        )
    _own_schema(path, old_key, "re-encrypted")
    was = secrets.file_account(target)  # the file's own account, before its salt changes
    staged, problem = _stage(target, new.key, remember)
    try:
        done = encryption.change_key(path, old_key, new.key, ready)
    except BaseException:
        if staged:
            _drop_pending(target)
        raise
    if staged:
        remembered, later = _promote(target, new.key, staged)
        _forget_file_key(was)
    else:
        remembered, later = False, None
        _forget_quietly(target, was)  # the old key opens nothing any more
    converted, skipped = _convert_backups(path, old_key, new.key)
    return KeyChange(path, True, done.rows, remembered, problem or later, converted, skipped)


def decrypt_database(database, key: str) -> KeyChange:
    """Turn the encrypted database (and its backups) back into plain SQLite files."""
    target, path = _path(database)
    _closed_here(path)
    if encryption.check_key(path, key):  # a wrong key is the conversion's to report
        _own_schema(path, key, "decrypted")
    was = secrets.file_account(target)  # (a plain file has no salt to find it by)
    done = encryption.decrypt(path, key)
    converted, skipped = _convert_backups(path, key, None)
    if not skipped:
        _forget_quietly(target, was)  # kept while some backup still needs it
    return KeyChange(path, False, done.rows, False, None, converted, skipped)


def remember_key(database, passphrase: str) -> bool:
    """Keep the database's key in the keyring ("remember on this machine"); False if no store.

    ``passphrase`` is the key, the recovery passphrase or an own passphrase;
    one that does not open the file is refused.
    """
    target, path = _path(database)
    key = passphrase
    if encryption.is_encrypted(path):
        found = encryption.find_key(path, encryption.keys_for_passphrase(passphrase))
        if found is None:
            raise encryption.WrongKey(f"that passphrase does not open {path}")
        key = found
    try:
        secrets.remember_database_key(target, key)
    except secrets.SecretStoreUnavailable:
        return False
    return True


def forget_key(database) -> bool:
    """Remove the database's key from the keyring; False if there is no store."""
    target, _ = _path(database)
    try:
        secrets.forget_database_key(target)
    except secrets.SecretStoreUnavailable:
        return False
    return True
