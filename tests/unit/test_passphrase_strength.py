"""Own passphrases: the common and the trivially weak are refused with a reason.

The rules live in ``planner.domain.passphrase_strength``; ``check_new_passphrase``
applies them, and the command line (``db encrypt --own-passphrase``,
``db change-key --own-passphrase``) says the reason in one line, changing nothing.
"""

from __future__ import annotations

import pytest

from planner.domain.errors import InvalidInput
from planner.domain.passphrase_strength import weakness
from planner.storage.sqlite import encryption
from tests.helpers.cli import invoke, ok, refused

WEAK = {
    "12345678": "most common",
    "password1": "most common",
    "Password123!": "most common",
    "P@ssw0rd": "most common",
    "qwertyuiop": "most common",
    "iloveyou": "most common",
    "letmein!!": "most common",
    "Mentorship Planner": "most common",
    "planner2024!": "most common",
    "MyMentorshipPlanner!!": "app's name",
    "MentorshipPlanner1": "most common",
    "aaaaaaaaaa": "repeats",
    "abcabcabcabc": "repeats",
    "zzzzzzzzzzzzzzzzzzzzzzzzz": "repeats",
    "abcdefghij": "sequence",
    "87654321": "sequence",
    "poiuytrewq": "sequence",
    "asdfghjkl;": "sequence",
    "34567890": "sequence",
    "aabbaabb": "repeats",
    "abbaabab": "too few different",
}
STRONG = [
    "correct horse battery staple",
    "another long passphrase",
    "long enough",
    "violet tram umbrella 47",
    "Mentorship is how Grace learnt Cobol",
]


@pytest.mark.parametrize("text", sorted(WEAK))
def test_weak_passphrases_are_refused_with_the_reason(text):
    assert WEAK[text] in (weakness(text) or ""), (text, weakness(text))
    with pytest.raises(InvalidInput, match="too easy to guess"):
        encryption.check_new_passphrase(text)


@pytest.mark.parametrize("text", STRONG)
def test_ordinary_passphrases_pass(text):
    assert weakness(text) is None
    assert encryption.check_new_passphrase(f" {text} ") == text


def test_short_is_still_said_first():
    with pytest.raises(InvalidInput, match="at least 8"):
        encryption.check_new_passphrase("1234")


def test_the_cli_refuses_a_weak_own_passphrase_in_one_line(db_path):
    ok(invoke("contacts", "add", "Ada", db=db_path))
    for weak in ("password1", "12345678", "qwertyuiop"):
        refused(invoke("--passphrase-stdin", "db", "encrypt", "--own-passphrase", db=db_path,
                        input=f"{weak}\n"), "too easy to guess")
    assert encryption.file_state(db_path) == "plain"
    ok(invoke("--passphrase-stdin", "db", "encrypt", "--own-passphrase", db=db_path,
               input="violet tram umbrella 47\n"))
    refused(invoke("--passphrase-stdin", "db", "change-key", "--own-passphrase", db=db_path,
                    input="violet tram umbrella 47\naaaaaaaaaaaa\n"), "too easy to guess")
    listed = ok(invoke("--passphrase-stdin", "contacts", "list", db=db_path,
                        input="violet tram umbrella 47\n"))
    assert "Ada" in listed
