"""Initials on the rings (issue 20): whole characters, unjoined right-to-left letters,
different for everyone on a ring."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from planner.domain.initials import ZWNJ, graphemes, initials, unique_initials


def test_plain_names():
    assert initials("Ada Lovelace") == "AL"
    assert initials("Ada King Lovelace") == "AL"
    assert initials("plato") == "PL"
    assert initials("Jean-Luc Picard") == "JP"
    assert initials("   ") == "?"


def test_a_letter_keeps_its_accents_even_decomposed():
    decomposed = unicodedata.normalize("NFD", "Émile Zola")
    assert initials(decomposed) == "ÉZ"
    # a combining mark NFC cannot fold in stays with its letter
    expected = unicodedata.normalize("NFC", "Z\u0327\u0301Q\u0323\u0307")
    assert initials("Z\u0327\u0301oe Q\u0323\u0307uinn") == expected
    assert len(graphemes(expected)) == 2


def test_graphemes_keep_emoji_sequences_whole():
    family = "\U0001F469\u200d\U0001F469\u200d\U0001F467"
    assert graphemes(f"{family}x") == [family, "x"]
    assert graphemes("\U0001F44B\U0001F3FD!") == ["\U0001F44B\U0001F3FD", "!"]


def test_arabic_initials_do_not_join_into_a_word():
    text = initials("محمد علي")
    assert text == f"م{ZWNJ}ع"
    assert initials("نور") == f"ن{ZWNJ}و"
    # Hebrew letters do not join: nothing added
    assert initials("דוד כהן") == "דכ"


def test_titles_and_suffixes_are_not_initials():
    """Review C #3: "Mr. John Richter James Doe Sr." (an iPhone card) had "MS"."""
    assert initials("Mr. John Richter James Doe Sr.") == "JD"
    assert initials("Prof. Dr. Ada Lovelace, PhD") == "AL"
    assert initials("Dr Grace Hopper") == "GH"
    assert initials("Mrs. Jane Smith") == "JS"
    assert initials("Ms. Marie Curie Ph.D.") == "MC"
    assert initials("Martin Luther King Jr.") == "MK"
    assert initials("John Doe, Jr.") == "JD"
    assert initials("Henry Ford II") == "HF"
    assert initials("Mr. & Mrs. Smith") == "SM"
    assert initials("Herr Max Mustermann") == "MM"
    # a name is never emptied, nor an ambiguous word taken for a title
    assert initials("Dr. Who") == "WH"
    assert initials("Miss") == "MI"
    assert initials("Yo-Yo Ma") == "YM"
    assert initials("Don Knuth") == "DK"
    assert initials("M. Night Shyamalan") == "MS"
    # told apart on a ring by their names, not their titles
    assert unique_initials({1: "Dr. Mark Williams", 2: "Maria Wöhler Sr."}) == {
        1: "MWi", 2: "MWö"}


def test_cjk_and_korean_names():
    assert initials("王小明") == "王小"
    assert initials("김 민준") == "김민"


def test_two_mw_on_a_ring_are_told_apart():
    names = {1: "Mark Williams", 2: "Maria Wöhler", 3: "Ada Lovelace"}
    assert unique_initials(names) == {1: "MWi", 2: "MWö", 3: "AL"}


def test_names_that_cannot_be_told_apart_get_numbers():
    names = {5: "Sam Lee", 9: "Sam Lee", 7: "Sara Lee", 8: "Ada Lovelace"}
    assert unique_initials(names) == {5: "SL1", 7: "SL2", 9: "SL3", 8: "AL"}


@given(st.dictionaries(st.integers(0, 200), st.text(min_size=0, max_size=30), max_size=30))
def test_initials_on_a_ring_are_always_different(names):
    got = unique_initials(names)
    assert set(got) == set(names)
    assert len({text.casefold() for text in got.values()}) == len(got)
