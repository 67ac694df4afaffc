"""vCard import: real exports, damaged cards, big files, and junk."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.contact import (
    Birthday,
    clean_email,
    clean_list,
    clean_name,
    clean_note,
    clean_text,
)
from planner.domain.errors import InvalidInput
from planner.importers import Cancelled, ParseResult, parse_file, parse_vcards

VCARDS = Path(__file__).parents[3] / "shared" / "fixtures" / "vcard"


def assert_storable(contact) -> None:
    """What the services will check before saving: the preview must not promise more."""
    clean_name(contact.name)
    for value in contact.emails:
        assert clean_email(value) == value
    for value in (*contact.phones, *contact.handles.values(), contact.organization, contact.title):
        assert clean_text(value, "a field") == value
    assert clean_note(contact.notes) == contact.notes
    assert list(clean_list(contact.tags, "a tag")) == contact.tags


def read(name: str) -> ParseResult:
    return parse_vcards((VCARDS / name).read_bytes())


WHY = ": the planner has no field for them"


def not_imported(*lines: str) -> list[str]:
    """The file's notes, as the CSV reader words them ("not imported: fax numbers (…)")."""
    return [f"not imported: {line}{WHY}" for line in lines]


def only(result: ParseResult):
    assert len(result.contacts) == 1, result.contacts
    return result.contacts[0]


def test_every_shared_fixture_has_its_own_test():
    assert VCARDS.is_dir(), VCARDS  # /work/shared/fixtures/vcard beside the repository
    assert {p.name for p in VCARDS.glob("*.vcf")} == {
        "John_Doe_EVOLUTION.vcf",
        "John_Doe_GMAIL.vcf",
        "John_Doe_IPHONE.vcf",
        "John_Doe_MAC_ADDRESS_BOOK.vcf",
        "John_Doe_MS_OUTLOOK.vcf",
        "fullcontact.vcf",
        "gmail-list.vcf",
        "gmail-single.vcf",
        "outlook-2007.vcf",
        "rfc2426-example.vcf",
        "rfc6350-example.vcf",
    }


@pytest.mark.parametrize("name", sorted(p.name for p in VCARDS.glob("*.vcf")))
def test_every_fixture_contact_is_storable(name):
    for contact in read(name).contacts:
        assert_storable(contact)


# --- every shared fixture, with what it really contains -------------------------------------


def test_evolution_3_0_with_couchdb_params_and_folded_values():
    john = only(read("John_Doe_EVOLUTION.vcf"))
    assert john.name == "Mr. John Richter, James Doe Sr."
    assert john.emails == ["john.doe@ibm.com"]  # folded mid-address: "john.\r\n doe@ibm.com"
    assert john.phones == ["905-666-1234", "905-555-1234"]
    assert john.handles == {"aim": "johnny5@aol.com", "website": "http://www.ibm.com"}
    assert (john.organization, john.title) == ("IBM", "Money Counter")
    assert john.birthday == Birthday(3, 22, 1980)
    assert john.tags == ["VIP"]
    assert john.notes.startswith("THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS")
    assert 'CONTRIBUTORS "AS IS" AND' in john.notes  # folded between "A" and "S IS"
    assert john.notes.endswith("EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.")
    assert "WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED" in john.notes
    assert read("John_Doe_EVOLUTION.vcf").notes == not_imported(
        "postal addresses (ADR in 1 card)",
        "nicknames (NICKNAME in 1 card)",
        "departments (ORG's unit in 1 card)",  # ORG:IBM;Accounting;Dungeon
        "anniversaries and other dates (X-EVOLUTION-ANNIVERSARY in 1 card)",
        "related people (X-EVOLUTION-SPOUSE, X-EVOLUTION-MANAGER, X-EVOLUTION-ASSISTANT "
        "in 1 card)",
    )  # not UID, REV, X-EVOLUTION-FILE-AS or the CouchDB annotations: nothing of John's


def test_gmail_unescaped_comma_in_fn_keeps_the_whole_name():
    # vobject's own text behaviour would cut this FN at the comma ("Mr. John Richter").
    john = only(read("John_Doe_GMAIL.vcf"))
    assert john.name == "Mr. John Richter, James Doe Sr."
    assert john.emails == ["john.doe@ibm.com"]
    assert john.phones == ["905-555-1234", "905-666-1234"]
    assert john.handles == {"website": "http://www.ibm.com"}  # "http\://" unescaped
    assert john.birthday == Birthday(3, 22, 1980)
    assert john.notes.endswith("SUCH DAMAGE.\nFavotire Color: Blue")
    assert read("John_Doe_GMAIL.vcf").notes == not_imported(
        "postal addresses (ADR in 1 card)",
        "anniversaries and other dates (X-ABDATE in 1 card)",
        "related people (X-ABRELATEDNAMES in 1 card)",
    )  # the phonetic names are not said, as a CSV's phonetic columns are not


def test_iphone_export_with_cr_cr_lf_line_ends_groups_and_a_photo():
    result = read("John_Doe_IPHONE.vcf")
    john = only(result)
    assert john.name == "Mr. John Richter James Doe Sr."
    assert john.emails == ["john.doe@ibm.com"]  # item1.EMAIL
    assert john.phones == [
        "905-555-1234",
        "905-666-1234",
        "905-777-1234",
        "905-222-1234",  # the last is item2.TEL
    ]  # the two faxes (TEL;type=HOME;type=FAX…) and the pager are no numbers to call
    assert john.birthday == Birthday(6, 6, 2012)
    assert (john.organization, john.title) == ("IBM", "Money Counter")
    assert result.problems == []  # the 40 kB photo is valid
    assert result.notes == not_imported(
        "postal addresses (ADR in 1 card)",  # home and work
        "fax numbers (TEL;TYPE=FAX in 1 card)",
        "pager numbers (TEL;TYPE=PAGER in 1 card)",
        "nicknames (NICKNAME in 1 card)",  # Johny
        "departments (ORG's unit in 1 card)",  # ORG:IBM;Accounting
    )


def test_mac_address_book_preferred_phone_first_and_lf_only_photo_lines():
    result = read("John_Doe_MAC_ADDRESS_BOOK.vcf")
    john = only(result)
    assert john.name == "Mr. John Richter,James Doe Sr."
    assert john.emails == ["john.doe@ibm.com"]
    assert john.phones == ["905-777-1234", "905-666-1234", "905-555-1234", "905-222-1234"]
    assert john.organization == "IBM"
    assert result.problems == []
    assert result.notes == not_imported(
        "postal addresses (ADR in 1 card)",
        "fax numbers (TEL;TYPE=FAX in 1 card)",
        "pager numbers (TEL;TYPE=PAGER in 1 card)",
        "nicknames (NICKNAME in 1 card)",
        "departments (ORG's unit in 1 card)",
        "related people (X-ABRELATEDNAMES in 1 card)",
    )  # not X-ABUID, X-ABADR (a country's address format) or X-ABLabel


def test_outlook_2_1_keeps_the_note_past_its_commas():
    john = only(read("John_Doe_MS_OUTLOOK.vcf"))
    assert john.name == "Mr. John Richter James Doe Sr."
    assert john.emails == ["john.doe@ibm.cm"]  # sic: the fixture's own typo
    assert john.phones == ["(905) 555-1234", "(905) 666-1234"]
    assert john.handles == {"website": "http://www.ibm.com", "im": "johny5@aol.com"}
    assert john.birthday == Birthday(3, 22, 1980)  # 2.1 basic format 19800322
    assert john.notes.startswith("THIS SOFTWARE IS PROVIDED BY GEORGE EL-HADDAD ''AS IS'' AND ANY")
    assert john.notes.endswith("EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.")
    assert read("John_Doe_MS_OUTLOOK.vcf").notes == not_imported(
        "postal addresses (ADR, LABEL in 1 card)",  # 2.1 writes each address twice
        "nicknames (NICKNAME in 1 card)",
        "departments (ORG's unit in 1 card)",
        "roles (ROLE in 1 card)",  # Outlook's "Profession", beside the job title
        "anniversaries and other dates (X-MS-ANNIVERSARY in 1 card)",
        "related people (X-MS-MANAGER, X-MS-ASSISTANT in 1 card)",
    )  # not X-MS-OL-DESIGN (the business card's layout) or X-MS-OL-DEFAULT-POSTAL-ADDRESS


def test_outlook_2007_quoted_printable_note_and_base64_key_and_photo():
    result = read("outlook-2007.vcf")
    mike = only(result)
    assert mike.name == "Mr. Michael Angstadt Jr."
    assert mike.emails == ["mike.angstadt@gmail.com"]
    # work, home, cell; the callback number (X-MS-TEL) is the cell's; not the work fax
    assert mike.phones == ["(111) 555-1111", "(111) 555-2222", "(111) 555-4444"]
    assert (mike.organization, mike.title) == ("TheCompany", "TheJobTitle")
    assert mike.birthday == Birthday(3, 10, 1922)
    assert mike.notes == (
        "This is the NOTE field\n"
        "I assume it encodes this text inside a NOTE vCard type.\n"
        "But I'm not sure because there's text formatting going on here.\n"
        "It does not preserve the formatting"
    )
    assert result.problems == []
    assert result.notes == not_imported(
        "postal addresses (ADR, LABEL in 1 card)",
        "fax numbers (TEL;TYPE=FAX in 1 card)",
        "nicknames (NICKNAME in 1 card)",
        "departments (ORG's unit in 1 card)",
        "roles (ROLE in 1 card)",
        "anniversaries and other dates (X-MS-ANNIVERSARY in 1 card)",
        "related people (X-MS-MANAGER, X-MS-ASSISTANT, X-MS-SPOUSE in 1 card)",
        "calendar addresses (FBURL in 1 card)",
        "public keys (KEY in 1 card)",
    )


def test_fullcontact_4_0_many_emails_phones_and_impp_handles():
    result = read("fullcontact.vcf")
    person = only(result)
    assert person.name == "Prefix FirstName MiddleName LastName Suffix"
    assert person.emails == [
        "home@example.com",
        "work@example.com",
        "school@example.com",
        "other@example.com",
        "custom@example.com",
    ]
    assert person.phones == [f"555-555-111{n}" for n in (1, 2, 3, 4, 5, 8, 9)]  # 6, 7: faxes
    assert person.handles["skype"] == "skype"
    assert person.handles["gtalk"] == "gtalk"
    assert person.handles["yahoo"] == "yahoo"
    assert person.handles["website"] == "http://www.homepage.com"
    assert [person.handles[f"website-{n}"] for n in (2, 3, 4)] == [
        "http://www.blog.com", "http://www.other.com", "http://www.custom.com"]
    assert (person.organization, person.title) == ("Organization1", "Title1")
    assert person.birthday == Birthday(8, 1, 2016)
    assert person.tags == ["Tag"]
    assert person.notes == ("Notes line 1\nNotes line 2\n\n"  # its second ORG and TITLE:
                            "Organisation 2: Organization2\n\nJob title 2: Title2")
    assert result.notes == not_imported(
        "postal addresses (ADR in 1 card)",
        "fax numbers (TEL;TYPE=FAX in 1 card)",
        "nicknames (NICKNAME in 1 card)",
        "departments (ORG's unit in 1 card)",
        # FullContact's hex-named properties: X-FC-OtherDates:…, X-FC-RelatedNames:…
        "anniversaries and other dates (X-FCENCODED in 1 card)",
        "related people (X-FCENCODED in 1 card)",
        "genders (GENDER, X-GENDER in 1 card)",
    )  # not X-ID, X-ETAG, X-FC-TAGS, X-FC-LIST-ID (FullContact's own ids) or PRODID


def test_gmail_list_three_cards_with_their_lines():
    result = read("gmail-list.vcf")
    assert [(c.name, c.emails, c.line) for c in result.contacts] == [
        ("Arnold Smith", ["asmithk@gmail.com"], 1),
        ("Chris Beatle", ["chrisy55d@yahoo.com"], 7),
        ("Doug White", ["dwhite@gmail.com"], 13),
    ]
    assert result.contacts[1].source == "card 2 (line 7)"
    assert result.notes == []  # nothing left out: nothing said


def test_gmail_single_grouped_tel_and_icq():
    greg = only(read("gmail-single.vcf"))
    assert greg.name == "Greg Dartmouth"
    assert greg.emails == ["gdartmouth@hotmail.com"]
    assert greg.phones == ["555 555 1111", "555 555 2222"]
    assert greg.handles == {"icq": "123456789", "website": "http://TheProfile.com"}
    assert greg.birthday == Birthday(9, 10, 1960)
    assert greg.notes.splitlines()[0] == "This is GMail's note field."
    assert read("gmail-single.vcf").notes == not_imported(
        "postal addresses (ADR in 1 card)",
        "nicknames (NICKNAME in 1 card)",
        "anniversaries and other dates (X-ABDATE in 1 card)",
        "related people (X-ABRELATEDNAMES in 1 card)",
    )


def test_rfc2426_example_lower_case_begin_and_no_n():
    result = read("rfc2426-example.vcf")
    frank, tim = result.contacts
    assert frank.name == "Frank Dawson"
    assert frank.emails == ["Frank_Dawson@Lotus.com", "fdawson@earthlink.net"]  # PREF first
    assert frank.phones == ["+1-919-676-9515"]  # not TEL;TYPE=FAX,WORK:+1-919-676-9564
    assert frank.organization == "Lotus Development Corporation"
    assert tim.name == "Tim Howes"
    assert tim.emails == ["howes@netscape.com"]
    assert tim.phones == ["+1-415-937-3419"]
    assert result.notes == not_imported(
        "postal addresses (ADR in 2 cards)",
        "fax numbers (TEL;TYPE=FAX in 2 cards)",
    )


def test_rfc6350_example_tel_uris_and_birthday_without_year():
    result = read("rfc6350-example.vcf")
    simon = only(result)
    assert simon.name == "Simon Perreault"
    assert simon.emails == ["simon.perreault@viagenie.ca"]
    assert simon.phones == ["+1-418-656-9254 ext. 102", "+1-418-262-6501"]
    assert simon.birthday == Birthday(2, 3, None)
    assert simon.organization == "Viagenie"
    assert result.notes == not_imported(
        "postal addresses (ADR in 1 card)",
        "anniversaries and other dates (ANNIVERSARY in 1 card)",
        "genders (GENDER in 1 card)",
        "languages (LANG in 1 card)",
        "geographic positions (GEO in 1 card)",
        "public keys (KEY in 1 card)",  # a link to the key: still the person's key
    )


# --- damaged cards: one bad property costs only that property -------------------------------

DAMAGED = b"""BEGIN:VCARD\r
VERSION:3.0\r
FN:Grace Hopper\r
PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRg!!notbase64\r
 AAAA==\r
EMAIL:grace@example.org\r
PROFILE\r
TEL:+1 555 0100\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:2.1\r
N:Lovelace;Ada\r
FN;ENCODING=QUOTED-PRINTABLE:Ada =ZZLovelace\r
NOTE;ENCODING=QUOTED-PRINTABLE:first line=0D=0A=\r
second line\r
EMAIL;INTERNET:ada@example.org\r
END:VCARD\r
"""


def test_damaged_properties_are_reported_with_card_and_line():
    result = parse_vcards(DAMAGED)
    grace, ada = result.contacts
    assert (grace.name, grace.emails, grace.phones) == (
        "Grace Hopper",
        ["grace@example.org"],
        ["+1 555 0100"],
    )
    assert ada.name == "Ada Lovelace"  # FN was damaged: the name comes from N
    assert ada.emails == ["ada@example.org"]
    assert ada.notes == "first line\nsecond line"
    reported = [(p.where, p.field) for p in result.problems]
    assert reported == [
        ("card 1 (line 4)", "PHOTO"),
        ("card 1 (line 7)", "PROFILE"),
        ("card 2 (line 13)", "FN"),
    ]
    assert "base64" in result.problems[0].message
    assert "=ZZ" in result.problems[2].message
    assert result.invalid == []


def test_profile_property_is_legal_and_costs_nothing():
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nPROFILE:VCARD\r\nFN:Anna\r\nEND:VCARD\r\n"
    result = parse_vcards(card)
    assert [c.name for c in result.contacts] == ["Anna"]
    assert result.problems == []


def test_bad_email_and_birthday_are_dropped_but_reported():
    card = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo\r\nEMAIL:bo at example\r\n"
        b"BDAY:sometime\r\nBDAY;VALUE=text:circa 1990\r\nEND:VCARD\r\n"
    )
    result = parse_vcards(card)
    assert result.contacts[0].emails == []
    assert result.contacts[0].birthday is None
    assert [(p.where, p.field) for p in result.problems] == [
        ("card 1 (line 4)", "EMAIL"),
        ("card 1 (line 5)", "BDAY"),
        ("card 1 (line 6)", "BDAY"),
    ]


def test_truncated_last_card_keeps_what_it_had():
    data = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Whole\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Short\r\nEMAIL:cut@example.org\r\nTEL:12"
    )
    result = parse_vcards(data)
    assert [c.name for c in result.contacts] == ["Whole", "Cut Short"]
    assert result.contacts[1].phones == ["12"]
    assert [(p.where, p.field) for p in result.problems] == [("card 2 (line 5)", "END")]


def test_card_without_name_or_email_is_invalid_not_fatal():
    data = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:nothing to call them by\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:only@example.org\r\nEND:VCARD\r\n"
    )
    result = parse_vcards(data)
    assert [c.name for c in result.contacts] == ["only@example.org"]
    assert [p.where for p in result.invalid] == ["card 1 (line 1)"]


def test_a_card_with_only_a_phone_number_is_a_person_named_after_it():
    """Phones export SIM entries with a number and nothing else (issue 19, item 8)."""
    data = b"BEGIN:VCARD\r\nVERSION:2.1\r\nTEL;CELL:+1 555 0100\r\nEND:VCARD\r\n"
    result = parse_vcards(data)
    assert [(c.name, c.phones) for c in result.contacts] == [("+1 555 0100", ["+1 555 0100"])]
    assert [str(p) for p in result.problems] == [
        "card 1 (line 1), name: no name in the file: named after the phone number"
    ]


def test_agent_card_inside_a_card_is_not_a_person():
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Boss\r\nAGENT:\r\nBEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"FN:Assistant\r\nEND:VCARD\r\nEMAIL:boss@example.org\r\nEND:VCARD\r\n"
    )
    result = parse_vcards(data)
    assert [(c.name, c.emails) for c in result.contacts] == [("Boss", ["boss@example.org"])]


# --- encodings, versions and value formats --------------------------------------------------


def test_2_1_charsets_latin1_bytes_and_quoted_printable_utf8():
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=ISO-8859-1:M\xfcller;J\xfcrgen\r\n"
        b"ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Caf=C3=A9 M=C3=BCller=\r\n"
        b" & Co\r\nTITLE;CHARSET=ISO-8859-1;QUOTED-PRINTABLE:Gesch=E4ftsf=FChrer\r\n"
        b"TEL;CELL;PREF:+49 151 0000\r\nTEL;WORK:+49 30 0000\r\nEND:VCARD\r\n"
    )
    person = only(parse_vcards(data))
    assert person.name == "Jürgen Müller"
    assert person.organization == "Café Müller & Co"
    assert person.title == "Geschäftsführer"
    assert person.phones == ["+49 151 0000", "+49 30 0000"]


def test_utf16_with_bom_and_utf8_bom_and_non_ascii_names():
    text = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Zoë Ñúñez 王小明\r\nEND:VCARD\r\n"
    for data in (
        codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        codecs.BOM_UTF8 + text.encode("utf-8"),
        text.encode("utf-16"),
    ):
        assert only(parse_vcards(data)).name == "Zoë Ñúñez 王小明"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("BDAY:--0412", Birthday(4, 12)),
        ("BDAY:--04-12", Birthday(4, 12)),
        ("BDAY;VALUE=text:--04-12", Birthday(4, 12)),
        ("BDAY;VALUE=date:1604-04-12", Birthday(4, 12)),  # Apple's "year unknown"
        ("BDAY;X-APPLE-OMIT-YEAR=1972:1972-04-12", Birthday(4, 12)),
        ("BDAY:1990-04-12T00:00:00Z", Birthday(4, 12, 1990)),
        ("BDAY:19900412", Birthday(4, 12, 1990)),
    ],
)
def test_birthday_forms(value, expected):
    card = f"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:B\r\n{value}\r\nEND:VCARD\r\n".encode()
    assert only(parse_vcards(card)).birthday == expected


def test_handles_from_x_properties_impp_and_profile_urls():
    card = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:H\r\nX-TWITTER:@hopper\r\n"
        b"item1.URL:https\\://www.linkedin.com/in/hopper\r\nURL:https://github.com/hopper\r\n"
        b"IMPP:skype:hopper.g?call\r\nX-SOCIALPROFILE;TYPE=mastodon:https://hachyderm.io/@h\r\n"
        b"CATEGORIES:mentee,python\\, data,mentee\r\nEND:VCARD\r\n"
    )
    person = only(parse_vcards(card))
    assert person.handles == {
        "twitter": "@hopper",
        "linkedin": "https://www.linkedin.com/in/hopper",
        "github": "https://github.com/hopper",
        "skype": "hopper.g",
        "mastodon": "https://hachyderm.io/@h",
    }
    assert person.tags == ["mentee", "python, data"]


# --- what the planner has no field for: named in the file's notes, never mixed in --------------


def test_fax_and_pager_numbers_are_named_not_put_among_the_phones():
    card = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Fay\r\nTEL;CELL:+1 555 0100\r\n"
        b"TEL;WORK;FAX:+1 555 0101\r\nTEL;PAGER:+1 555 0102\r\n"
        b"TEL;VOICE;FAX:+1 555 0103\r\nEND:VCARD\r\n"  # callable as well: a phone
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Paige\r\nTEL;TYPE=pager:\r\n"  # empty: nothing
        b"TEL;VALUE=uri;TYPE=\"home,fax\":tel:+1-555-0104\r\nEND:VCARD\r\n"
    )
    result = parse_vcards(card)
    fay, paige = result.contacts
    assert fay.phones == ["+1 555 0100", "+1 555 0103"]
    assert paige.phones == []
    assert result.notes == not_imported(
        "fax numbers (TEL;TYPE=FAX in 2 cards)",
        "pager numbers (TEL;TYPE=PAGER in 1 card)",
    )
    assert result.problems == []  # a note about the file, not a problem of a card


def test_cards_are_counted_once_per_kind_and_empty_values_not_at_all():
    card = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nADR;TYPE=home:;;1 Main St;Town;;;\r\n"
        b"ADR;TYPE=work:;;2 High St;City;;;\r\nORG:Acme\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:B\r\nADR:;;;;;;\r\nNICKNAME:\r\n"
        b"ORG:;Sales\r\nEND:VCARD\r\n"  # no organisation: the unit stands for it
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:C\r\nitem1.ADR:;;3 Low Rd;;;;\r\n"
        b"item1.X-ABLabel:Cottage\r\nPRODID:-//Apple Inc.//iOS//EN\r\nUID:c\r\n"
        b"REV:2024-01-01T00:00:00Z\r\nX-ABUID:c\r\nEND:VCARD\r\n"
    )
    result = parse_vcards(card)
    assert [(c.name, c.organization) for c in result.contacts] == [
        ("A", "Acme"), ("B", "Sales"), ("C", "")]
    assert result.notes == not_imported("postal addresses (ADR in 2 cards)")


def test_a_damaged_key_is_a_problem_and_not_named_again():
    card = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:K\r\nKEY;ENCODING=b:!!notbase64\r\n"
        b"LOGO;VALUE=uri:https://example.org/logo.png\r\nEND:VCARD\r\n"
    )
    result = parse_vcards(card)
    assert [(p.field, p.message) for p in result.problems] == [
        ("KEY", "left out: the embedded data is damaged (not valid base64)")]
    assert result.notes == not_imported("logos (LOGO in 1 card)")


def test_a_jcard_names_what_it_holds_like_a_vcard():
    jcard = json.dumps(["vcard", [
        ["version", {}, "text", "4.0"],
        ["fn", {}, "text", "Jo"],
        ["nickname", {}, "text", "Jojo"],
        ["org", {}, "text", ["Acme", "Research"]],
        ["adr", {"type": "home"}, "text", ["", "", "1 Main St", "Town", "", "", ""]],
        ["tel", {"type": ["work", "fax"]}, "uri", "tel:+1-555-0101"],
        ["tel", {"type": "cell"}, "uri", "tel:+1-555-0100"],
        ["related", {"type": "spouse"}, "text", "Sam"],
    ]]).encode()
    result = parse_file(jcard)
    (jo,) = result.contacts
    assert (jo.organization, jo.phones) == ("Acme", ["+1-555-0100"])
    assert result.notes == not_imported(
        "postal addresses (ADR in 1 card)",
        "fax numbers (TEL;TYPE=FAX in 1 card)",
        "nicknames (NICKNAME in 1 card)",
        "departments (ORG's unit in 1 card)",
        "related people (RELATED in 1 card)",
    )


def test_parse_file_dispatches_a_vcf_path(tmp_path):
    path = tmp_path / "one.vcf"
    path.write_bytes((VCARDS / "gmail-list.vcf").read_bytes())
    assert len(parse_file(path).contacts) == 3
    assert parse_file(path).format == "vcard"


# --- a big file: progress and cancel ---------------------------------------------------------


def many_cards(count: int) -> bytes:
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Person{i};Test;;;\r\nFN:Test Person{i}\r\n"
        "EMAIL;TYPE=INTERNET:p{i}@example.com\r\nTEL;TYPE=CELL:+44 20 7946 {i:04d}\r\n"
        "ORG:Acme;R&D\r\nBDAY:--0412\r\nCATEGORIES:mentee,python\r\n"
        "NOTE:Met at PyCon\\, talked about\\nmentoring\r\nEND:VCARD\r\n"
    )
    return "".join(card.format(i=i) for i in range(count)).encode()


def test_ten_thousand_cards_report_progress():
    calls = []
    result = parse_vcards(many_cards(10_000), progress=lambda *args: calls.append(args))
    assert len(result.contacts) == 10_000
    assert result.contacts[-1].name == "Test Person9999"
    assert result.contacts[-1].line == 9999 * 11 + 1
    assert calls[0] == (0, 10_000) and calls[-1] == (10_000, 10_000)
    assert len(calls) == 101


def test_cancel_halfway_raises_cancelled():
    seen = []
    with pytest.raises(Cancelled):
        parse_vcards(
            many_cards(10_000),
            progress=lambda done, total: seen.append(done),
            should_cancel=lambda: bool(seen) and seen[-1] >= 5_000,
        )
    assert seen[-1] == 5_000


# --- files that are not contacts at all -------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"  \r\n\r\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a text file"),
        (bytes(range(256)) * 4, "not a text file"),
        (b"\xff\xfeB\x00E\x00\x00\xd8", "cannot be decoded"),  # UTF-16 BOM, lone surrogate
        ("BEGIN:VCARD\nFN:x\nEND:VCARD".encode("cp500"), "no vCards"),  # EBCDIC
        (b"hello world\r\n", "no vCards"),
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nTEL:+1 555", "cut short"),
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nPHOTO;ENCODING=b:AAAA\r\nEND:VCARD\r\n", "no name"),
    ],
)
def test_unreadable_files_raise_invalid_input_with_one_clear_line(data, words):
    with pytest.raises(InvalidInput) as caught:
        parse_vcards(data)
    message = str(caught.value)
    assert words in message and "\n" not in message


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash(data):
    try:
        result = parse_vcards(data)
    except InvalidInput:
        return
    assert isinstance(result, ParseResult)
    for contact in result.contacts:
        assert_storable(contact)


@settings(max_examples=300)
@given(st.lists(st.text(max_size=60), max_size=12), st.sampled_from(["2.1", "3.0", "4.0"]))
def test_random_lines_inside_a_card_never_crash(lines, version):
    body = "\r\n".join(lines)
    data = f"BEGIN:VCARD\r\nVERSION:{version}\r\nFN:Kept\r\n{body}\r\nEND:VCARD\r\n"
    try:
        result = parse_vcards(data.encode("utf-8", "surrogatepass"))
    except InvalidInput:
        return
    assert result.contacts
    for contact in result.contacts:
        assert_storable(contact)


B64_21 = (b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=BASE64:w5xuw69jb2RlO0Jhc2U=\r\n"
          b"FN;CHARSET=UTF-8;ENCODING=BASE64:QmFzZSBTaXh0eS1Gb3VyIMOcbsOvY29kZQ==\r\n"
          b"EMAIL;INTERNET:b64-21@ex.org\r\nNOTE;ENCODING=BASE64;CHARSET=UTF-8:SGVsbG8NClfDtnJsZA==\r\n"
          b"\r\nORG;ENCODING=BASE64;CHARSET=ISO-8859-1:SvxyZ2Vu\r\nEND:VCARD\r\n")
B64_30 = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nN;ENCODING=b;CHARSET=UTF-8:w5xuw69jb2RlO0Jhc2U=\r\n"
          b"FN;ENCODING=b;CHARSET=UTF-8:QmFzZSBTaXh0eS1Gb3VyIMOcbsOvY29kZQ==\r\n"
          b"EMAIL:b64-30@ex.org\r\nNOTE;ENCODING=B:SGVsbG8NClfDtnJsZA==\r\n"
          b"TITLE;ENCODING=b:not base64!\r\n"
          b"END:VCARD\r\n")


def test_base64_text_is_decoded_with_its_charset():
    """FN;ENCODING=BASE64 (2.1) and ENCODING=b (3.0) were kept as the base64 itself."""
    first = only(parse_vcards(B64_21))
    assert first.name == "Base Sixty-Four Ünïcode"
    assert first.notes == "Hello\nWörld"
    assert first.organization == "Jürgen"  # its CHARSET, ISO-8859-1
    second_result = parse_vcards(B64_30)
    second = only(second_result)
    assert (second.name, second.notes) == ("Base Sixty-Four Ünïcode", "Hello\nWörld")
    assert second.title == ""  # not base64: that field only is left out, and said so
    assert [(p.field, p.message) for p in second_result.problems] == [
        ("TITLE", "left out: damaged base64 text (not valid base64)")]


MULTIVALUE = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Multi Values\r\nEMAIL:multi@ex.org\r\n"
              b"URL:http://home.example\r\nURL:http://blog.example\r\n"
              b"URL;TYPE=WORK:http://work.example\r\nORG:First Org\r\nORG:Second Org\r\n"
              b"TITLE:First Title\r\nTITLE:Second Title\r\nNOTE:first note\r\n"
              b"X-SKYPE:skype.one\r\nX-SKYPE:skype.two\r\nX-TWITTER:@one\r\nX-TWITTER:@two\r\n"
              b"END:VCARD\r\n")


def test_second_websites_handles_organisations_and_titles_are_kept():
    """The second URL, ORG, TITLE or messenger name of a card was dropped without a word:
    handles are numbered as a second e-mail is ("email-2"); a second organisation or job
    title, which the planner has one place for, goes into the notes."""
    person = only(parse_vcards(MULTIVALUE))
    assert person.handles == {
        "website": "http://home.example", "website-2": "http://blog.example",
        "website-3": "http://work.example", "skype": "skype.one", "skype-2": "skype.two",
        "twitter": "@one", "twitter-2": "@two"}
    assert (person.organization, person.title) == ("First Org", "First Title")
    assert person.notes == "first note\n\nOrganisation 2: Second Org\n\n" \
        "Job title 2: Second Title"


def test_the_same_handle_twice_is_kept_once():
    card = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Twice\r\nURL:http://home.example\r\n"
            b"URL:http://home.example\r\nORG:Org\r\nORG:Org\r\nEND:VCARD\r\n")
    person = only(parse_vcards(card))
    assert person.handles == {"website": "http://home.example"} and person.notes == ""
