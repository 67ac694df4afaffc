"""What a person (or a script) may type on the command line that the app cannot use:
one clear line and exit 1 or 2, nothing written, never "unexpected error".

Found by the command-line audit (session 15): each test failed before its fix."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.helpers.cli import invoke, ok, refused


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def people(db_path):
    for name, ring in (("Ada Lovelace", "inner"), ("Grace Hopper", "outer")):
        ok(invoke("contacts", "add", name, "--ring", ring, db=db_path))
    ok(invoke("win", "ada", "A talk", db=db_path))
    return db_path


# Every command that looks a person up by what was typed (CONTACT, --swap OTHER).
LOOKUPS = [
    ("contacts", "show", "{}"),
    ("contacts", "show", "{}", "--json"),
    ("contacts", "edit", "{}", "--org", "Acme"),
    ("contacts", "move", "{}", "outer"),
    ("contacts", "move", "ada", "outer", "--swap", "{}"),
    ("contacts", "remove", "{}"),
    ("log", "{}", "coffee"),
    ("note", "{}", "a note"),
    ("timeline", "{}"),
    ("stage", "{}", "advocate"),
    ("win", "{}", "A post"),
    ("ask", "{}", "intro"),
    ("give", "{}", "gift"),
    ("snooze", "{}", "1d"),
]


@pytest.mark.parametrize("args", LOOKUPS, ids=lambda a: " ".join(a[:2]))
def test_a_name_too_long_for_anyone_is_no_contact_not_an_unexpected_error(people, args):
    """SQLite refuses a LIKE pattern over 50,000 bytes ("LIKE or GLOB pattern too
    complex"): a 100,000-character CONTACT ended every lookup in "unexpected error"."""
    before = sha(people)
    typed = "x" * 100_000
    line = refused(invoke(*(a.format(typed) for a in args), db=people), "no contact named")
    assert "unexpected" not in line
    assert sha(people) == before


def test_a_long_word_beyond_ascii_is_no_contact_either(people):
    """60,000 bytes of UTF-8 in 30,000 characters: the limit is SQLite's, in bytes."""
    refused(invoke("log", "é" * 30_000 + " lovelace", "coffee", db=people), "no contact named")
    assert "Ada Lovelace" in ok(invoke("contacts", "show", "ada", db=people))


# A byte that is not UTF-8 on the command line ($'Jos\xe9' typed in a Latin-1 terminal)
# reaches Python as a lone surrogate ("Jos\udce9"), which no database can store.
NOT_UTF8 = "Jos\udce9"

TEXTS = [
    ("contacts", "add", "{}"),
    ("contacts", "add", "Zoe", "--org", "{}"),
    ("contacts", "add", "Zoe", "--tag", "{}"),
    ("contacts", "add", "Zoe", "--handle", "github={}"),
    ("contacts", "add", "Zoe", "--notes", "{}"),
    ("contacts", "edit", "ada", "--name", "{}"),
    ("note", "ada", "{}"),
    ("log", "ada", "coffee", "--note", "{}"),
    ("win", "ada", "{}"),
    ("thank", "1", "--note", "{}"),
    *LOOKUPS,
]


@pytest.mark.parametrize("args", TEXTS, ids=lambda a: " ".join(a))
def test_a_byte_that_is_not_utf8_is_named_not_an_unexpected_error(people, args):
    ok(invoke("ask", "ada", "intro", db=people))  # (ask 1, for thank)
    before = sha(people)
    line = refused(invoke(*(a.format(NOT_UTF8) for a in args), db=people),
                   "not UTF-8 text (\\xe9)")
    assert "unexpected" not in line
    assert sha(people) == before


def test_an_encoding_name_that_is_not_utf8_is_an_unknown_encoding(people, tmp_path):
    cards = tmp_path / "people.vcf"
    cards.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoe\r\nEND:VCARD\r\n", "utf-8")
    refused(invoke("import", str(cards), "--encoding", "latin\udce9", db=people),
            "unknown encoding")

