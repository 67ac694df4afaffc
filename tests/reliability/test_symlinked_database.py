"""A database reached through a symbolic link (issue 17): the real file is worked on.

``db encrypt`` used to replace the link with an encrypted file and zero-fill the
real one; ``restore`` replaced the link and left the real file old.
"""

from __future__ import annotations

import json

import pytest

from planner.storage.sqlite import encryption
from tests.helpers.cli import invoke, ok
from tests.helpers.encrypted import SECRET, assert_encrypted_on_disk


@pytest.fixture
def linked(tmp_path):
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "planner.db"
    link = tmp_path / "planner.db"
    link.symlink_to(real)
    ok(invoke("contacts", "add", "Ada Lovelace", "--notes", SECRET, db=link))
    return link, real


def _names(db) -> list[str]:
    return [c["name"] for c in json.loads(ok(invoke("contacts", "list", "--json", db=db)))]


def test_encrypting_through_a_link_encrypts_the_real_file_and_keeps_the_link(linked, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    link, real = linked
    out = ok(invoke("--passphrase-stdin", "db", "encrypt", "--own-passphrase", db=link,
                     input="violet tugboat minnow lantern\n"))
    assert "ncrypted" in out
    assert link.is_symlink() and link.resolve() == real
    assert_encrypted_on_disk(real)
    assert encryption.check_key(real, "violet tugboat minnow lantern")
    names = json.loads(ok(invoke("--passphrase-stdin", "contacts", "list", "--json", db=link,
                                  input="violet tugboat minnow lantern\n")))
    assert [c["name"] for c in names] == ["Ada Lovelace"]


def test_restoring_through_a_link_restores_the_real_file(linked, tmp_path):
    link, real = linked
    copy = tmp_path / "copy.db"
    ok(invoke("backup", "-o", str(copy), db=link))
    ok(invoke("contacts", "add", "Grace Hopper", db=link))
    ok(invoke("restore", str(copy), db=link))
    assert link.is_symlink() and link.resolve() == real
    assert _names(real) == ["Ada Lovelace"] == _names(link)
    assert (real.parent / "backups").is_dir()  # the pre-restore copy is beside the real file


def test_backups_of_a_linked_database_live_beside_the_real_file(linked):
    link, real = linked
    ok(invoke("backup", db=link))
    assert list((real.parent / "backups").glob("planner-*.db"))
    assert not (link.parent / "backups").exists()
