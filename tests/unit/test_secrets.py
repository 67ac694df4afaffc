"""The keyring wrapper: one account per database, and a clear one-time notice without one."""

from __future__ import annotations

import os

import pytest

from planner.storage import secrets
from planner.storage.secrets import SERVICE, SecretStoreUnavailable


def test_get_set_delete_under_the_apps_service(memory_keyring, fresh_notice):
    assert secrets.get_secret("acct") is None
    secrets.set_secret("acct", "s3cret")
    assert memory_keyring.store == {(SERVICE, "acct"): "s3cret"}
    assert secrets.get_secret("acct") == "s3cret"
    secrets.delete_secret("acct")
    secrets.delete_secret("acct")  # nothing stored is not an error
    assert secrets.get_secret("acct") is None
    assert fresh_notice == []
    assert SERVICE == "mentorship-planner"


def test_the_account_is_the_databases_real_absolute_path(tmp_path, monkeypatch):
    real = tmp_path / "real.db"
    real.touch()
    link = tmp_path / "link.db"
    link.symlink_to(real)
    monkeypatch.chdir(tmp_path)
    assert secrets.account_for("real.db") == str(real)
    assert secrets.account_for(str(link)) == str(real)
    assert secrets.account_for(f"sqlite:///{real}") == str(real)
    monkeypatch.setenv("PLANNER_DB", str(real))
    assert secrets.account_for(None) == str(real)
    url = "postgresql://ada:hunter2@db.example.org/planner"
    assert "hunter2" not in secrets.account_for(url)


def test_database_keys_current_then_pending(memory_keyring, tmp_path):
    db = tmp_path / "p.db"
    assert secrets.database_keys(db) == []
    secrets.stage_database_key(db, "new")
    assert secrets.database_keys(db) == ["new"]
    secrets.remember_database_key(db, "old")
    secrets.stage_database_key(db, "new")
    assert secrets.database_keys(db) == ["old", "new"]
    secrets.remember_database_key(db, "new")  # promotes and drops the pending copy
    assert secrets.database_keys(db) == ["new"]
    secrets.forget_database_key(db)
    assert secrets.database_keys(db) == []
    assert memory_keyring.store == {}


def test_no_keyring_backend_says_so_once_and_never_crashes(no_keyring, tmp_path):
    said = no_keyring
    status = secrets.store_status()
    assert not status.usable and "fail" in status.backend
    for _ in range(3):
        with pytest.raises(SecretStoreUnavailable, match="cannot be remembered"):
            secrets.get_secret("acct")
        with pytest.raises(SecretStoreUnavailable):
            secrets.set_secret("acct", "k")
        with pytest.raises(SecretStoreUnavailable):
            secrets.delete_secret("acct")
        assert secrets.database_keys(tmp_path / "p.db") == []
    assert len(said) == 1, said
    assert "No usable secret store" in said[0]
    assert "cannot be remembered on this machine" in said[0]
    assert secrets.notice_given()


def test_the_real_keyring_call_error_is_caught(fresh_notice, monkeypatch):
    """Even when the backend looks usable, NoKeyringError from the call is caught."""
    import keyring
    from keyring.backend import KeyringBackend
    from keyring.errors import NoKeyringError

    class Broken(KeyringBackend):
        priority = 1

        def get_password(self, *args):
            raise NoKeyringError("no D-Bus")

        set_password = delete_password = get_password

    previous = keyring.get_keyring()
    keyring.set_keyring(Broken())
    try:
        with pytest.raises(SecretStoreUnavailable, match="no keyring service"):
            secrets.get_secret("a")
    finally:
        keyring.set_keyring(previous)
    assert len(fresh_notice) == 1


def test_a_locked_keyring_is_reported_not_raised(locked_keyring):
    with pytest.raises(SecretStoreUnavailable, match="locked"):
        secrets.get_secret("acct")
    with pytest.raises(SecretStoreUnavailable):
        secrets.set_secret("acct", "k")
    assert len(locked_keyring) == 1


def test_the_null_backend_that_forgets_everything_is_not_a_store(fresh_notice):
    # tests run with PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring
    import keyring
    from keyring.backends import null

    previous = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())
    try:
        assert not secrets.store_status().usable
        with pytest.raises(SecretStoreUnavailable, match="switched off"):
            secrets.set_secret("acct", "k")
    finally:
        keyring.set_keyring(previous)
    assert len(fresh_notice) == 1


def test_a_store_that_silently_drops_secrets_is_caught(fresh_notice):
    import keyring
    from keyring.backend import KeyringBackend

    class Forgetful(KeyringBackend):
        priority = 1

        def get_password(self, service, username):
            return None

        def set_password(self, service, username, password):
            pass

        def delete_password(self, service, username):
            pass

    previous = keyring.get_keyring()
    keyring.set_keyring(Forgetful())
    try:
        with pytest.raises(SecretStoreUnavailable, match="did not keep"):
            secrets.set_secret("acct", "k")
    finally:
        keyring.set_keyring(previous)


def test_a_plain_text_file_backend_is_refused(fresh_notice):
    """Never a silent fallback to secrets in a plain file (keyrings.alt's PlaintextKeyring)."""
    import keyring
    from keyring.backend import KeyringBackend

    calls = []

    class PlaintextKeyring(KeyringBackend):
        priority = 1

        def get_password(self, *args):
            calls.append(args)

        set_password = delete_password = get_password

    previous = keyring.get_keyring()
    keyring.set_keyring(PlaintextKeyring())
    try:
        assert not secrets.store_status().usable
        with pytest.raises(SecretStoreUnavailable, match="plain file"):
            secrets.set_secret("acct", "k")
    finally:
        keyring.set_keyring(previous)
    assert calls == []


def test_an_empty_secret_is_never_stored(memory_keyring):
    with pytest.raises(ValueError):
        secrets.set_secret("acct", "")
    assert memory_keyring.store == {}


def test_a_failing_notice_handler_does_not_break_the_caller(no_keyring):
    def boom(message):
        raise RuntimeError("handler bug")

    secrets.set_notice_handler(boom)
    with pytest.raises(SecretStoreUnavailable):
        secrets.get_secret("acct")


def test_no_qt_in_the_secret_store_module():
    import subprocess
    import sys

    code = (
        "import sys, planner.storage.secrets, planner.storage.sqlite.encryption, "
        "planner.services.security; print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ}, check=True
    ).stdout.strip()
    assert out == "False"


def test_lookup_for_a_worker_reports_what_it_found(memory_keyring, tmp_path):
    db = tmp_path / "p.db"
    secrets.remember_database_key(db, "k")
    status, keys = secrets.lookup_database_keys(db)
    assert status.usable and keys == ["k"]


def test_lookup_with_a_locked_keychain_is_not_usable(locked_keyring, tmp_path):
    status, keys = secrets.lookup_database_keys(tmp_path / "p.db")
    assert not status.usable and status.reason == "the keyring is locked" and keys == []
    assert len(locked_keyring) == 1
