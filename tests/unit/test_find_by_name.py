"""Resolving NAME on the command line (contacts_repo.find_by_name): in a file the names
that cannot match are left out in SQL first; what it finds must be exactly what
casefolding every name finds, for any script, case and punctuation, on both engines."""

from __future__ import annotations

import sys

from planner.services import contacts
from planner.storage.contacts_repo import _FOLD_TO_ASCII, find_by_name

NAMES = ["Ada Lovelace", "ada  byron", "ADA KING", "Émile Zola", "émile durand", "Zoë Ng",
         "Straße Müller", "STRASSE Meyer", "Kelvin \u212a Temp", "kelvin plain", "O'Brien Bo",
         "50% Off", "Under_Score", "Back\\Slash", "Ωmega Greek", "ωmega lower", "İstanbul Ali",
         "Tab\tName", "Lovelace Ada", "Grace Hopper", "grace", "Groß Anna", "Jeﬀ Liga",
         "Meſs Long", "Phạm Minh Tuấn", "TUẤN UPPER", "Đặng Văn", "ǰohn Hook", "Non\u00a0Break",
         "Jan Sen ﬁsh", "JanSSen Groß", "Alİ Veli"]
NEEDLES = ["ada", "ADA LOVELACE", "ada byron", "émile", "EMILE", "zoë", "straße", "strasse",
           "müller", "k", "\u212a", "kelvin", "o'b", "50%", "%", "under_", "_", "back\\",
           "\\", "ωmega", "ΩMEGA", "i̇stanbul", "tab name", "lovelace", "grace", "gr", "zz",
           "  ada   lovelace ", "bo", "gross", "ss", "jeff", "ff", "mess", "tuấn", "TUẤN",
           "đặng", "ĐẶNG", "j", "ǰohn", "non break", "phạm minh", "i", "jansen", "fish",
           "liga", "anna", "ali", "lice"]


def reference(everyone: list[tuple[int, str]], name: str) -> list[tuple[int, str]]:
    """What find_by_name did with every name read (before the SQL prefilter)."""
    folded = " ".join(name.casefold().split())
    first = folded.split(" ", 1)[0]
    candidates = [(cid, n) for cid, n in everyone if first in n.casefold()]
    exact = [(cid, n) for cid, n in candidates if " ".join(n.casefold().split()) == folded]
    if exact or not folded:
        return exact
    return [(cid, n) for cid, n in candidates
            if n.casefold().startswith(folded)
            or any(word.startswith(folded) for word in n.casefold().split())]


def test_the_names_found_are_those_casefolding_finds(backend):
    people = [contacts.add_contact(backend.backend, name) for name in NAMES]
    everyone = [(c.id, c.name) for c in people]  # as stored (NFC: the Kelvin sign is a K)
    gone = contacts.add_contact(backend.backend, "Ada Gone")
    contacts.remove_contact(backend.backend, gone.id)
    for needle in NEEDLES:
        assert find_by_name(needle) == reference(everyone, needle), needle
    assert find_by_name("ada lovelace") == [(everyone[0][0], "Ada Lovelace")]
    assert [n for _, n in find_by_name("émile")] == ["Émile Zola", "émile durand"]
    assert find_by_name("Ada Gone") == []


def test_the_characters_folding_to_ascii_are_all_listed():
    """The SQL prefilter lets through, for a word typed in ASCII, only the names LIKE
    matches or holding one of these: the list must be every character beyond ASCII whose
    casefold holds ASCII, in this Python's Unicode tables."""
    folding = {chr(i) for i in range(128, sys.maxunicode + 1)
               if any(c.isascii() for c in chr(i).casefold())}
    assert folding == set(_FOLD_TO_ASCII)



def test_a_file_without_the_name_order_index_finds_the_same(tmp_path):
    """find_by_name reads the names through the people list's index where there is one;
    a file of schema 7 (before that index), opened read-only, is searched all the same."""
    import shutil
    import sqlite3
    from pathlib import Path

    from planner.storage.database import open_database

    path = tmp_path / "planner.db"
    shutil.copyfile(Path(__file__).parents[1] / "fixtures" / "schemas" / "planner-v7.db", path)
    raw = sqlite3.connect(path)  # (no connection of the app's is open yet)
    everyone = raw.execute('SELECT "id", "name" FROM "contact" WHERE "deleted_at" IS NULL '
                           'ORDER BY "id"').fetchall()
    assert not raw.execute("SELECT 1 FROM sqlite_master WHERE name = 'contact_name_order'"
                           ).fetchone()
    raw.close()
    assert len(everyone) >= 2
    opened = open_database(path, read_only=True)
    try:
        for needle in [name for _, name in everyone] + ["a", "e", "zz", everyone[0][1][:3]]:
            assert find_by_name(needle) == reference(everyone, needle), needle
    finally:
        opened.close()
