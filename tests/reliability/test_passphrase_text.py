"""What a passphrase is, as text: the same words typed on another machine open the file.

"é" is one code point when typed on Linux or Windows (NFC) and two, "e" and a combining
accent, when typed on macOS (NFD); copied from a PDF or a password manager it may be either.
SQLCipher compares bytes, so a passphrase set up in one form used to be refused in the
other. A NUL character (possible only through ``--passphrase-stdin``) used to end in an
"unexpected error" with a traceback in the log. The real command line, real SQLCipher, no
keyring (each passphrase is typed)."""

from __future__ import annotations

import unicodedata

import pytest

from planner.storage.sqlite import encryption
from tests.helpers.cli import invoke, ok
from tests.helpers.encrypted import SECRET

WORDS = "café crème brûlée au lit"
NFC = unicodedata.normalize("NFC", WORDS)
NFD = unicodedata.normalize("NFD", WORDS)


@pytest.fixture(autouse=True)
def headless(monkeypatch):
    """No keyring: every open needs the passphrase typed."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


@pytest.fixture
def plain(db_path):
    ok(invoke("contacts", "add", "Ada", "--notes", SECRET, db=db_path))
    return db_path


def names(db, passphrase: str) -> str:
    return ok(invoke("--passphrase-stdin", "contacts", "list", db=db, input=passphrase + "\n"))


def test_the_forms_really_differ():
    assert NFC != NFD and NFC.encode() != NFD.encode()


@pytest.mark.parametrize(("set_up", "typed"), [(NFD, NFC), (NFC, NFD)],
                         ids=["macos-then-linux", "linux-then-macos"])
def test_a_passphrase_opens_the_file_whichever_form_it_is_typed_in(plain, set_up, typed):
    ok(invoke("--passphrase-stdin", "db", "encrypt", db=plain, input=set_up + "\n"))
    assert "Ada" in names(plain, typed)
    assert "Ada" in names(plain, set_up)


def test_a_file_set_up_in_the_other_form_before_still_opens(plain):
    """A file encrypted by an earlier version with the NFD bytes as its key (a Mac)
    opens with the passphrase typed on Linux."""
    encryption.encrypt(plain, NFD)
    assert "Ada" in names(plain, NFC)
    assert "Ada" in names(plain, NFD)


def test_change_key_to_a_passphrase_typed_on_a_mac_opens_on_linux(plain):
    ok(invoke("--passphrase-stdin", "db", "encrypt", db=plain, input="first passphrase ok\n"))
    ok(invoke("--passphrase-stdin", "db", "change-key", "--own-passphrase", db=plain,
              input=f"first passphrase ok\n{NFD}\n"))
    assert "Ada" in names(plain, NFC)


@pytest.mark.parametrize("command", [["db", "encrypt"], ["contacts", "list"]])
def test_a_nul_character_in_a_passphrase_is_one_line(plain, command, tmp_path):
    if command[0] == "contacts":
        ok(invoke("--passphrase-stdin", "db", "encrypt", db=plain, input=NFC + "\n"))
    before = plain.read_bytes()
    result = invoke("--passphrase-stdin", *command, db=plain, input="secret\x00words here\n")
    assert result.returncode == 1, result.stdout
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert "unexpected" not in err, err
    # set up: refused for its NUL; opening: that, or "does not open" when this process's
    # own key derivation (which a NUL does not stop) has already shown it is the library's
    assert "NUL" in err or (command[0] == "contacts" and "does not open" in err), err
    assert "secret" not in err and "words" not in err
    assert plain.read_bytes() == before
