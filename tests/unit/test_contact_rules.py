"""Validation of what people type about a person: names, text, emails, birthdays."""

from __future__ import annotations

import unicodedata

import pytest

from planner.domain.contact import (
    MAX_FIELD,
    MAX_NAME,
    MAX_TEXT,
    Birthday,
    Contact,
    clean_cadence,
    clean_email,
    clean_list,
    clean_name,
    clean_note,
    clean_text,
    initials,
    normalised_name,
)
from planner.domain.errors import InvalidInput

# ------------------------------------------------------------------- names


def test_name_is_nfc_normalised_and_trimmed():
    decomposed = "  Zoe\u0308 Andre\u0301  "
    assert unicodedata.normalize("NFC", decomposed) != decomposed
    name = clean_name(decomposed)
    assert name == "Zoë André"
    assert name == unicodedata.normalize("NFC", name)
    assert len(name) == 9


def test_empty_name_is_refused():
    for empty in ("", "   ", None, "\t"):
        with pytest.raises(InvalidInput, match="needs a name"):
            clean_name(empty)


@pytest.mark.parametrize("bad", ["Ada\x00Lovelace", "\x00", "Ada\x00"])
def test_nul_is_refused_with_a_clear_message(bad):
    with pytest.raises(InvalidInput, match="the name contains a NUL character"):
        clean_name(bad)


@pytest.mark.parametrize(
    "bad",
    ["Ada\x07", "Ada\x1b[31mRed", "Ada\nLovelace", "Ada\rLovelace", "Ada\x7f", "Ada\x0bB"],
)
def test_control_characters_are_refused_in_single_line_fields(bad):
    with pytest.raises(InvalidInput, match="the name contains a control character"):
        clean_name(bad)


@pytest.mark.parametrize("bad", ["Ada\x85Lovelace", "Ada\x9bLovelace", "Ada\u2028Lovelace"])
def test_c1_controls_and_line_separators_are_refused_in_single_line_fields(bad):
    # these split a line (str.splitlines) or drive a terminal just like C0 controls
    with pytest.raises(InvalidInput, match="control character"):
        clean_name(bad)


def test_tab_is_a_space_in_single_line_text_but_newlines_are_refused():
    assert clean_text("a\tb", "the title") == "a b"  # a tab broke the list's columns
    with pytest.raises(InvalidInput, match="the title contains a control character"):
        clean_text("a\nb", "the title")


def test_notes_are_multiline_but_still_refuse_nul_and_other_controls():
    assert clean_note("line 1\nline 2\r\n\tindented") == "line 1\nline 2\r\n\tindented"
    with pytest.raises(InvalidInput, match="NUL"):
        clean_note("oops\x00")
    with pytest.raises(InvalidInput, match="control character"):
        clean_note("bell\x07")


def test_length_limits():
    assert clean_name("x" * MAX_NAME) == "x" * MAX_NAME
    with pytest.raises(InvalidInput) as err:
        clean_name("x" * (MAX_NAME + 1))
    assert "too long" in str(err.value)
    assert f"the limit is {MAX_NAME}" in str(err.value)
    assert clean_text("y" * MAX_FIELD, "the title") == "y" * MAX_FIELD
    with pytest.raises(InvalidInput, match="the title is too long"):
        clean_text("y" * (MAX_FIELD + 1), "the title")


def test_length_is_counted_after_trimming_and_normalising():
    assert len(clean_name("  " + "x" * MAX_NAME + "  ")) == MAX_NAME
    # 200 letters each followed by a combining mark compose to 200 characters
    assert len(clean_name("e\u0301" * MAX_NAME)) == MAX_NAME


def test_a_huge_note_is_refused_quickly():
    with pytest.raises(InvalidInput, match="the note is too long"):
        clean_note("n" * (MAX_TEXT + 1))
    assert len(clean_note("m" * 1_000_000)) == 1_000_000


# ------------------------------------------------------------------- email


@pytest.mark.parametrize(
    "good", ["ada@example.org", "a.b+tag@sub.example.co.uk", "  ADA@Example.org "]
)
def test_good_emails(good):
    assert clean_email(good) == good.strip()


def test_empty_email_is_allowed():
    assert clean_email("") == ""
    assert clean_email(None) == ""


def test_a_domain_without_a_dot_is_an_address():
    """user@localhost and contact1@invalid are valid addresses (RFC 5321; issue 19)."""
    assert clean_email("user@localhost") == "user@localhost"
    assert clean_email("contact1@invalid") == "contact1@invalid"


@pytest.mark.parametrize(
    "bad",
    [
        "ada",
        "ada@",
        "@example.org",
        "ada@.example",
        "ada lovelace@example.org",
        "a@b@c.org",
        "<ada@example.org>",
    ],
)
def test_bad_emails_are_refused(bad):
    with pytest.raises(InvalidInput, match="does not look like an email address"):
        clean_email(bad)


# ----------------------------------------------------------------- birthday


def test_birthday_with_year():
    b = Birthday.parse("1815-12-10")
    assert (b.year, b.month, b.day) == (1815, 12, 10)
    assert b.iso() == "1815-12-10"
    assert Birthday.parse("18151210") == b


def test_birthday_without_year():
    b = Birthday.parse("--12-10")
    assert b.year is None
    assert (b.month, b.day) == (12, 10)
    assert b.iso() == "--12-10"
    assert Birthday.parse(b.iso()) == b
    assert Birthday.parse("--1210") == b


def test_29_february_without_a_year_is_fine_but_not_in_a_common_year():
    assert Birthday.parse("--02-29").iso() == "--02-29"
    assert Birthday.parse("2024-02-29").iso() == "2024-02-29"
    with pytest.raises(InvalidInput, match=r"not a real birthday: 2023-02-29$"):
        Birthday.parse("2023-02-29")  # as typed: it said "2/29", a US order used nowhere
    with pytest.raises(InvalidInput, match=r"not a real birthday: --02-30$"):
        Birthday.parse("--02-30")


@pytest.mark.parametrize(
    "bad", ["--02-30", "--13-01", "1990-00-10", "--00-00", "10/12/1815", "yesterday", "", "--2-3"]
)
def test_bad_birthdays_are_refused(bad):
    with pytest.raises(InvalidInput):
        Birthday.parse(bad)


# ------------------------------------------------------------- other rules


def test_lists_are_trimmed_deduplicated_case_insensitively_in_order():
    assert clean_list([" rust ", "Python", "RUST", "", "python", "go"], "tag") == (
        "rust",
        "Python",
        "go",
    )
    assert clean_list(None, "tag") == ()
    with pytest.raises(InvalidInput, match="tag contains a control character"):
        clean_list(["ok", "bad\x01"], "tag")


@pytest.mark.parametrize("bad", [0, -3, 3651, 2.5, "7"])
def test_cadence_bounds(bad):
    with pytest.raises(InvalidInput, match="cadence"):
        clean_cadence(bad)


def test_cadence_good_values():
    assert clean_cadence(None) is None
    assert clean_cadence(1) == 1
    assert clean_cadence(3650) == 3650


def test_initials():
    assert initials("Ada Lovelace") == "AL"
    assert initials("Ada King Lovelace") == "AL"
    assert initials("plato") == "PL"
    assert initials("  ") == "?"
    assert Contact(id=1, name="Grace Hopper").initials == "GH"


def test_preferred_channel():
    assert Contact(id=1, name="A", channels=("im", "email")).preferred_channel == "im"
    assert Contact(id=1, name="A", email="a@example.org").preferred_channel == "email"
    assert Contact(id=1, name="A").preferred_channel == ""


def test_normalised_name_ignores_case_accents_and_spacing():
    assert normalised_name("  Zoë   ANDRÉ ") == normalised_name("zoe andre")
    assert normalised_name("Straße") == normalised_name("STRASSE")


def test_a_time_zone_is_one_the_database_knows_spelled_its_way():
    """ "Mars/Base" was stored, and "europe/berlin" kept as typed (zoneinfo would not find
    it on a case-sensitive file system)."""
    from planner.domain.fields import clean_fields

    assert clean_fields({"timezone": " europe/berlin "}) == {"timezone": "Europe/Berlin"}
    assert clean_fields({"timezone": "utc"}) == {"timezone": "UTC"}
    assert clean_fields({"timezone": ""}) == {"timezone": ""}
    with pytest.raises(InvalidInput, match="unknown time zone 'Mars/Base'"):
        clean_fields({"timezone": "Mars/Base"})


def test_a_phone_number_has_a_digit():
    """As an import reads them: "abc" was kept as a phone number from the command line."""
    from planner.domain.fields import clean_fields

    assert clean_fields({"phones": ["+44 20 7946 0000", " ext. 12 "]})["phones"] == [
        "+44 20 7946 0000", "ext. 12"]
    with pytest.raises(InvalidInput, match="'abc' is not a phone number"):
        clean_fields({"phones": ["+1 555", "abc"]})
