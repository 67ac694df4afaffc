"""Keys gone wrong, end to end through the command line: a wrong passphrase, a locked
keyring, no keyring at all. One line, exit 1, the encrypted file untouched.
(The storage-level cases are in tests/unit/test_encryption.py and test_secrets.py.)"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from planner.cli import main
from planner.storage.sqlite import encryption
from tests.helpers.keyrings import locked_keyring, no_keyring  # noqa: F401  (fixtures)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def encrypted(tmp_path):
    db = tmp_path / "planner.db"
    assert main(["--db", str(db), "contacts", "add", "Secret Person"]) == 0
    key = encryption.generate_key()
    encryption.encrypt(db, key)
    return db, key


def run(db: Path, stdin: str, capsys, monkeypatch, *args: str) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    capsys.readouterr()
    code = main(["--db", str(db), "--passphrase-stdin", *args])
    return code, capsys.readouterr().err.strip()


@pytest.mark.parametrize("keyring_state", ["no_keyring", "locked_keyring"])
def test_wrong_passphrase_is_one_line_and_changes_nothing(encrypted, capsys, monkeypatch,
                                                          request, keyring_state):
    request.getfixturevalue(keyring_state)
    db, key = encrypted
    before = digest(db)
    for args in (["contacts", "list"], ["log", "Secret", "call"]):
        code, err = run(db, "not the passphrase\n", capsys, monkeypatch, *args)
        assert code == 1, err
        lines = [ln for ln in err.splitlines() if ln.startswith("planner: ")]
        assert lines and "Traceback" not in err and "unexpected" not in err, err
        assert digest(db) == before
    # the right recovery passphrase still opens it
    code, err = run(db, encryption.recovery_passphrase(key) + "\n", capsys, monkeypatch,
                    "contacts", "list")
    assert code == 0, err


def test_empty_passphrase_is_refused(encrypted, capsys, monkeypatch, no_keyring):  # noqa: F811
    db, _key = encrypted
    before = digest(db)
    code, err = run(db, "\n", capsys, monkeypatch, "contacts", "list")
    assert code == 1 and "Traceback" not in err
    assert digest(db) == before
