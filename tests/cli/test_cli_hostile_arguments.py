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
