"""Contact export as vCard 4.0 and CSV, and both read back by our importers."""

from __future__ import annotations

import csv
import io

import vobject

from planner.domain.contact import Birthday, Contact
from planner.domain.rings import Ring
from planner.export.contacts_csv import COLUMNS, write_contacts_csv
from planner.export.contacts_vcard import fold, write_vcards
from planner.importers import guess_mapping, parse_csv, parse_vcards

PEOPLE = [
    Contact(
        id=1,
        name="Ada Lovelace",
        ring=Ring.INNER,
        email="ada@example.org",
        phones=("+44 20 7946 0001", "(020) 7946 0002"),
        handles={
            "linkedin": "https://www.linkedin.com/in/ada",
            "twitter": "@ada",
            "website": "https://ada.example.com",
            "skype": "ada.l",
            "matrix": "@ada:m.org",
        },
        tags=("mentee", "maths, early"),
        birthday=Birthday(12, 10, 1815),
        timezone="Europe/London",
        organization="Analytical Engines; Ltd",
        title="Programmer, first",
        notes="Met at the meetup.\nAsk about notes\\drafts; and, commas.\n\n"
        + "long " * 60
        + "end",
    ),
    Contact(
        id=2,
        name="Zoë Ñúñez-王",
        email="zoe@example.com",
        birthday=Birthday(2, 29),
        tags=("Ünïcode",),
    ),
    Contact(id=3, name="Madonna"),
    Contact(
        id=4,
        name='=HYPERLINK("http://evil")',
        email="x@example.org",
        phones=("-5",),
        notes="@SUM(1+1)",
        title="-Lead",
        organization="+Org",
    ),
]


def summary(contact) -> tuple:
    """The fields both formats must carry, in one comparable shape."""
    if hasattr(contact, "emails"):
        emails = contact.emails
    else:
        emails = [contact.email] if contact.email else []
    return (
        contact.name,
        list(emails),
        list(contact.phones),
        contact.birthday,
        list(contact.tags),
        contact.organization,
        contact.title,
        contact.notes,
        dict(contact.handles),
        contact.timezone,
    )


# --- vCard ---------------------------------------------------------------------------------


def test_vcard_round_trip_keeps_every_field():
    text = write_vcards(PEOPLE)
    result = parse_vcards(text.encode("utf-8"))
    assert result.problems == [] and result.invalid == []
    assert [summary(c) for c in result.contacts] == [summary(p) for p in PEOPLE]


def test_vcard_lines_are_crlf_and_folded_at_75_octets():
    text = write_vcards(PEOPLE)
    assert text.endswith("END:VCARD\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines)  # the long note was folded


def test_fold_never_splits_a_utf8_character():
    line = "NOTE:" + "é王" * 60
    folded = fold(line)
    pieces = folded.removesuffix("\r\n").split("\r\n ")
    assert "".join(pieces) == line
    assert all(len(p.encode()) <= 74 for p in pieces[1:]) and len(pieces[0].encode()) <= 75


def test_vcard_values_escaped_and_birthdays():
    text = write_vcards(PEOPLE[:3])
    assert "FN:Ada Lovelace\r\n" in text
    assert "ORG:Analytical Engines\\; Ltd\r\n" in text
    assert "TITLE:Programmer\\, first\r\n" in text
    assert "BDAY:18151210\r\n" in text
    assert "BDAY:--0229\r\n" in text  # year unknown
    assert "TZ:Europe/London\r\n" in text and text.count("TZ:") == 1
    assert "CATEGORIES:mentee,maths\\, early\r\n" in text
    assert "IMPP;X-SERVICE-TYPE=skype:skype:ada.l\r\n" in text
    assert "X-SOCIALPROFILE;TYPE=linkedin:https://www.linkedin.com/in/ada\r\n" in text
    assert "URL:https://ada.example.com\r\n" in text
    assert "BEGIN:VCARD\r\nVERSION:4.0\r\n" in text
    assert text.count("BEGIN:VCARD") == 3


def test_vcard_output_is_readable_by_vobject_too():
    cards = list(vobject.readComponents(write_vcards(PEOPLE)))
    assert [c.fn.value for c in cards] == [p.name for p in PEOPLE]
    assert cards[0].email.value == "ada@example.org"
    assert cards[0].title.value == "Programmer, first"
    assert cards[0].categories.value == ["mentee", "maths, early"]
    assert cards[0].note.value == PEOPLE[0].notes


# --- CSV -----------------------------------------------------------------------------------


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_header_and_handle_columns():
    header = rows(write_contacts_csv(PEOPLE))[0]
    assert header == [
        *COLUMNS,
        "Handle: linkedin",
        "Handle: matrix",
        "Handle: skype",
        "Handle: twitter",
        "Handle: website",
    ]


def test_csv_round_trip_through_the_generic_importer():
    text = write_contacts_csv(PEOPLE)
    result = parse_csv(text.encode("utf-8"))
    assert result.format == "csv"
    assert result.problems == [] and result.invalid == []
    assert [summary(c) for c in result.contacts] == [summary(p) for p in PEOPLE]


def test_csv_formula_injection_is_neutralised():
    table = rows(write_contacts_csv(PEOPLE))
    evil = dict(zip(table[0], table[4], strict=True))
    assert evil["Name"] == '\'=HYPERLINK("http://evil")'
    assert evil["Phones"] == "'-5"
    assert evil["Notes"] == "'@SUM(1+1)"
    assert evil["Title"] == "'-Lead"
    assert evil["Organization"] == "'+Org"
    ada = dict(zip(table[0], table[1], strict=True))
    assert ada["Phones"] == "'+44 20 7946 0001; (020) 7946 0002"  # expected while escaping
    assert ada["Handle: twitter"] == "'@ada"
    assert ada["Name"] == "Ada Lovelace"
    zoe = dict(zip(table[0], table[2], strict=True))
    assert zoe["Birthday"] == "'--02-29"


def test_csv_tab_cr_and_lf_starts_are_neutralised_too():
    odd = Contact(id=9, name="\tTab", notes="\nNewline first", title="\rCR")
    table = rows(write_contacts_csv([odd]))
    cells = dict(zip(table[0], table[1], strict=True))
    assert cells["Name"] == "'\tTab"
    assert cells["Notes"] == "'\nNewline first"
    assert cells["Title"] == "'\rCR"


def test_csv_escaping_can_be_turned_off():
    table = rows(write_contacts_csv(PEOPLE, escape_formulas=False))
    assert table[4][0] == '=HYPERLINK("http://evil")'
    assert dict(zip(table[0], table[1], strict=False))["Phones"] == (
        "+44 20 7946 0001; (020) 7946 0002")


def test_csv_says_each_persons_ring_and_the_importer_leaves_it_alone():
    """A spreadsheet of the people can be sorted by ring; reading it back is not a way to
    place people (the rings' limits hold in the app; a JSON export restores them)."""
    table = rows(write_contacts_csv(PEOPLE))
    assert table[0][:2] == ["Name", "Ring"]
    assert [row[1] for row in table[1:]] == ["Inner", "", "", ""]
    assert "Ring" not in guess_mapping(table[0]).values()  # no field of a person reads it
    result = parse_csv(write_contacts_csv(PEOPLE).encode("utf-8"))
    assert result.problems == [] and len(result.contacts) == len(PEOPLE)


def test_csv_uses_crlf_and_quotes_multiline_notes():
    text = write_contacts_csv(PEOPLE[:1])
    assert text.count("\r\n") == 2
    assert '"Met at the meetup.\nAsk about' in text
