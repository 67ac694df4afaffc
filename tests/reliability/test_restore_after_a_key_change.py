"""A copy made before the database's key was changed can still be restored.

``planner backup -o FILE`` writes a copy encrypted with the database's key of that day; a
change of key re-keys the backups folder but not copies kept elsewhere (they are the
person's). ``planner restore`` tried only the database's current key, so such a copy
was refused for good ("the database's key does not open it"), though its old passphrase
was at hand. Now the backup's passphrase is asked for (the next ``--passphrase-stdin``
line, or the terminal), and the restored database keeps the database's current key.
The real command line, real SQLCipher, the file-backed test keyring."""

from __future__ import annotations

import json

import pytest

from planner.storage.sqlite import encryption
from tests.helpers.cli import invoke, ok

OLD = "an old passphrase of mine"
NEW = "the new passphrase of mine"


@pytest.fixture(autouse=True)
def keyring_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.helpers.file_keyring.TestFileKeyring")
    monkeypatch.setenv("PLANNER_TEST_KEYRING", str(tmp_path / "keyring.json"))


def names(db) -> list[str]:
    return [c["name"] for c in json.loads(ok(invoke("contacts", "list", "--json", db=db)))]


@pytest.fixture
def copy_before_the_change(db_path, tmp_path):
    ok(invoke("contacts", "add", "Ada", db=db_path))
    ok(invoke("--passphrase-stdin", "db", "encrypt", db=db_path, input=OLD + "\n"))
    copy = tmp_path / "kept" / "before.db"
    copy.parent.mkdir()
    ok(invoke("backup", "-o", str(copy), db=db_path))
    ok(invoke("contacts", "add", "Grace", db=db_path))
    ok(invoke("--passphrase-stdin", "db", "change-key", "--own-passphrase", db=db_path,
              input=f"{OLD}\n{NEW}\n"))
    assert encryption.check_key(copy, OLD) and not encryption.check_key(copy, NEW)
    return copy


def test_the_copy_is_restored_with_its_own_passphrase(db_path, copy_before_the_change):
    restored = invoke("--passphrase-stdin", "restore", str(copy_before_the_change),
                      db=db_path, input=f"{NEW}\n{OLD}\n")
    ok(restored)
    assert "Restored" in restored.stdout
    assert OLD not in restored.stdout + restored.stderr
    assert names(db_path) == ["Ada"]  # (opened from the keyring: the current key)
    assert encryption.check_key(db_path, NEW) and not encryption.check_key(db_path, OLD)


def test_a_wrong_passphrase_for_the_copy_is_one_line_and_changes_nothing(
        db_path, copy_before_the_change):
    before = db_path.read_bytes()
    refused = invoke("--passphrase-stdin", "restore", str(copy_before_the_change),
                     db=db_path, input=f"{NEW}\nnot the one at all\n")
    assert refused.returncode == 1
    err = refused.stderr.strip()
    assert len(err.splitlines()) == 1 and "does not open" in err, err
    assert "not the one" not in err
    assert db_path.read_bytes() == before
    assert sorted(names(db_path)) == ["Ada", "Grace"]


def test_without_a_way_to_ask_the_refusal_says_how(db_path, copy_before_the_change):
    refused = invoke("restore", str(copy_before_the_change), db=db_path)
    assert refused.returncode == 1
    err = refused.stderr.strip()
    assert len(err.splitlines()) == 1 and "--passphrase-stdin" in err, err
    assert sorted(names(db_path)) == ["Ada", "Grace"]
