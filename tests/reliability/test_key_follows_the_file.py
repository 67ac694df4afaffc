"""The keyring's key follows the encrypted file, not only its path.

The key was kept under the file's path alone. A database renamed or moved (``mv``, a sync
tool, a restore from another folder) then asked for its passphrase; worse, a new database
made at the old path and encrypted replaced that key in the keyring, so the moved file
could be opened only with a recovery passphrase written down months ago. The real command
line, real SQLCipher, the file-backed test keyring (what each command really stored)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli import invoke, ok


@pytest.fixture
def keyring_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "keyring.json"
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.helpers.file_keyring.TestFileKeyring")
    monkeypatch.setenv("PLANNER_TEST_KEYRING", str(path))
    return path


def stored(keyring_file: Path) -> dict[str, str]:
    return json.loads(keyring_file.read_text()) if keyring_file.exists() else {}


def encrypted(path: Path, name: str) -> Path:
    ok(invoke("contacts", "add", name, db=path))
    ok(invoke("db", "encrypt", db=path))
    return path


def people(path: Path) -> str:
    """``contacts list`` with no passphrase to give: it opens from the keyring or not at all."""
    return ok(invoke("contacts", "list", db=path))


def test_a_renamed_database_opens_from_the_keyring(tmp_path, keyring_file):
    old = encrypted(tmp_path / "planner.db", "Ada")
    moved = tmp_path / "elsewhere" / "renamed.db"
    moved.parent.mkdir()
    old.rename(moved)
    assert "Ada" in people(moved)


def test_a_new_database_at_the_old_path_does_not_take_the_moved_ones_key(tmp_path,
                                                                        keyring_file):
    old = encrypted(tmp_path / "planner.db", "Ada")
    moved = tmp_path / "last-year.db"
    old.rename(moved)
    encrypted(old, "Grace")  # a fresh database where the old one was, encrypted too
    assert "Grace" in people(old)
    assert "Ada" in people(moved)


def test_a_copy_opens_with_the_originals_key(tmp_path, keyring_file):
    original = encrypted(tmp_path / "planner.db", "Ada")
    copy = tmp_path / "copy.db"
    copy.write_bytes(original.read_bytes())  # (no connection holds it: the whole database)
    assert "Ada" in people(copy)


def test_change_key_and_decrypt_leave_no_key_behind(tmp_path, keyring_file):
    db = encrypted(tmp_path / "planner.db", "Ada")
    ok(invoke("db", "change-key", db=db))
    keys = set(stored(keyring_file).values())
    assert len(keys) == 1, "the old key is kept for nothing after a change"
    assert "Ada" in people(db)
    ok(invoke("db", "decrypt", db=db))
    assert stored(keyring_file) == {}
