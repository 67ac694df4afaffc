"""CSV import: Google (both layouts), Outlook, LinkedIn, and any CSV through a mapping."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
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
from planner.importers import (
    ParseResult,
    csv_columns,
    detect_format,
    guess_mapping,
    parse_csv,
    parse_file,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "csv"
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


def data(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("google_legacy.csv", "google"),
        ("google_contacts.csv", "google"),
        ("outlook_contacts.csv", "outlook"),
        ("linkedin_connections.csv", "linkedin"),
        ("generic_semicolon.csv", "csv"),
    ],
)
def test_detect_format_from_the_header(name, fmt):
    assert detect_format(data(name)) == fmt
    assert detect_format(data(name), "renamed.txt") == fmt


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.csv")))
def test_every_fixture_contact_is_storable(name):
    for contact in parse_csv(data(name)).contacts:
        assert_storable(contact)


def test_detect_format_vcard():
    assert detect_format((VCARDS / "gmail-list.vcf").read_bytes()) == "vcard"
    assert detect_format(codecs.BOM_UTF8 + b"\r\nbegin:vcard\r\n") == "vcard"


def test_google_legacy_layout():
    result = parse_csv(data("google_legacy.csv"))
    assert result.format == "google"
    ada, grace, noname = result.contacts
    assert ada.name == "Ada Lovelace"
    assert ada.emails == ["ada@example.org", "ada.l@work.example"]
    assert ada.phones == ["+44 20 7946 0001", "+44 20 7946 0002"]  # " ::: " in one cell
    assert (ada.organization, ada.title) == ("Analytical Engines Ltd", "Programmer")
    assert ada.birthday == Birthday(12, 10, 1815)
    assert ada.tags == ["Mentees", "starred"]  # "* myContacts" is everyone: dropped
    assert ada.handles == {"linkedin": "https://www.linkedin.com/in/ada-lovelace"}
    assert ada.notes == "Met at the analytical\nengine meetup"
    assert (ada.line, grace.line) == (2, 4)  # the note spans lines 2-3
    assert grace.name == "Grace Hopper"  # from Given/Family Name
    assert grace.birthday == Birthday(12, 9)
    assert grace.handles == {"website": "https://grace.example.com"}
    assert noname.name == "noname@example.com"
    assert [(p.where, p.message) for p in result.invalid] == [
        ("line 6", "no name, e-mail address or phone number")
    ]


def test_google_2023_layout_with_labels_and_primary_email_marker():
    result = parse_csv(data("google_contacts.csv"))
    linus, margaret, broken = result.contacts
    assert linus.name == "Linus Torvalds"
    assert linus.emails == ["torvalds@home.example", "linus@example.org"]  # "* Home" first
    assert linus.handles == {"github": "https://github.com/torvalds"}
    assert (linus.organization, linus.title) == ("Linux Foundation", "Fellow")
    assert linus.tags == ["Kernel"]
    assert margaret.name == "Margaret Heafield Hamilton"
    assert margaret.birthday == Birthday(8, 17)
    assert margaret.tags == ["Apollo", "Mentors"]
    assert broken.name == "Broken Email" and broken.emails == []
    assert [(p.where, p.field) for p in result.problems] == [
        ("line 4", "E-mail 1 - Value"),
        ("line 4", "Birthday"),
    ]


def test_outlook_cp1252_with_multiline_note():
    result = parse_csv(data("outlook_contacts.csv"))
    assert result.format == "outlook"
    jose, zoe = result.contacts
    assert jose.name == "José Müller"  # not "Mr. José Müller": Outlook's Title is the prefix
    assert jose.emails == ["jose.muller@example.de"]
    assert jose.phones == ["+49 151 2345678", "+49 30 1234567"]
    assert (jose.organization, jose.title) == ("Müller & Söhne GmbH", "Head of Engineering")
    assert jose.birthday == Birthday(3, 22, 1980)
    assert jose.tags == ["VIP", "Mentees"]
    assert jose.notes == "Prefers calls;\nmornings only"
    assert zoe.name == "Zoë Ng" and zoe.birthday is None and zoe.line == 4  # "0/0/00" = none
    assert zoe.phones == ["(020) 7946 0999"]


def test_outlook_unicode_export_utf16_with_bom():
    text = data("outlook_contacts.csv").decode("cp1252")
    result = parse_csv(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert [c.name for c in result.contacts] == ["José Müller", "Zoë Ng"]


def test_linkedin_preamble_bom_crlf_and_empty_emails():
    raw = data("linkedin_connections.csv")
    assert raw.startswith(codecs.BOM_UTF8) and b"\r\n" in raw
    result = parse_csv(raw)
    assert result.format == "linkedin"
    priya, soren = result.contacts
    assert priya.name == "Priya Raman" and priya.emails == []
    assert priya.handles == {"linkedin": "https://www.linkedin.com/in/priya-raman-1a2b3c"}
    assert (priya.organization, priya.title) == ("Data, Inc.", "Staff Engineer")
    assert priya.notes == "Connected on 07 Dec 2025"
    assert priya.line == 5  # Notes:, the paragraph, a blank line, the header
    assert soren.name == "Søren Kierkegård" and soren.emails == ["soren@example.dk"]
    assert [p.where for p in result.invalid] == ["line 7"]


def test_semicolon_csv_with_a_mapping():
    mapping = {
        "name": "Full name",
        "email": "E-mail",
        "phone": "Mobile",
        "organization": "Company",
        "tags": "Groups",
        "birthday": "Born",
        "notes": "Remarks",
    }
    result = parse_csv(data("generic_semicolon.csv"), "csv", mapping)
    emile, marie, phone_only = result.contacts
    assert phone_only.name == "+33 1 00 00 00 00"  # a phone book entry is someone (issue 19)
    assert emile.name == "Émile Zola"
    assert emile.phones == ["+33 6 12 34 56 78"]
    assert emile.tags == ["writers", "mentees"]
    assert emile.birthday == Birthday(4, 2, 1840)  # 02.04.1840 is day first
    assert emile.notes == "Owes me 3,50 €"
    assert marie.organization == "Institut du Radium, Paris"
    assert result.invalid == []
    assert [(p.where, p.field) for p in result.problems] == [("line 4", "name")]


def test_columns_and_guessed_mapping_for_a_generic_csv():
    columns = csv_columns(data("generic_semicolon.csv"))
    assert columns == ["Full name", "E-mail", "Mobile", "Company", "Groups", "Born", "Remarks"]
    assert guess_mapping(columns) == {
        "name": "Full name",
        "email": "E-mail",
        "phone": "Mobile",
        "organization": "Company",
        "notes": "Remarks",
        "tags": "Groups",
        "birthday": "Born",
    }
    assert len(parse_csv(data("generic_semicolon.csv")).contacts) == 3  # guessed


def test_guess_mapping_handles_and_names():
    assert guess_mapping(["First Name", "Surname", "Twitter", "Handle: mastodon", "URL"]) == {
        "first_name": "First Name",
        "last_name": "Surname",
        "handle:twitter": "Twitter",
        "handle:mastodon": "Handle: mastodon",
        "handle:website": "URL",
    }


def test_of_several_phone_columns_a_main_one_with_a_value_is_guessed():
    """A German Outlook export whose header the classifier cannot read (mojibake) goes to
    the mapping step: Phone was pre-filled with its first phone column, the empty
    "Telefon Assistent", before "Telefon geschäftlich", "Mobiltelefon", "Haupttelefon"."""
    from planner.ui.transfer.import_flow import csv_header

    path = VCARDS.parent / "csv" / "outlook2007-de-mojibake-header.csv"
    columns, samples = csv_header(path)
    assert columns.index("Telefon Assistent") < columns.index("Mobiltelefon")
    phone = guess_mapping(columns, samples)["phone"]
    assert samples.get(phone) and phone.startswith(("Telefon gesch", "Mobiltelefon"))
    # without samples (the command line): a main column still comes before a secondary one
    assert guess_mapping(columns)["phone"].startswith("Telefon gesch")
    assert guess_mapping(["Assistant's Phone", "Car Phone", "Telefon 2", "Telefon privat"]
                         )["phone"] == "Telefon privat"
    assert guess_mapping(["Phone 2", "Phone"], {"Phone 2": "+1 555"})["phone"] == "Phone 2"


def test_tab_separated_with_windows_line_ends_and_mapping_to_handles():
    raw = b"Who\tMail\tGitHub\r\nKen Thompson\tken@example.com\thttps://github.com/ken\r\n"
    result = parse_csv(raw, mapping={"name": "Who", "email": "Mail", "handle:github": "GitHub"})
    assert result.contacts[0].handles == {"github": "https://github.com/ken"}
    assert result.contacts[0].emails == ["ken@example.com"]


def test_parse_file_reads_a_path(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_bytes(data("linkedin_connections.csv"))
    result = parse_file(path)
    assert result.format == "linkedin" and len(result.contacts) == 2


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"Name,Email\r\n", "has no contacts"),
        (codecs.BOM_UTF8 + b"First Name,Last Name,E-mail Address\r\n\r\n", "has no contacts"),
        (b"", "empty"),
        (b"\x00\x01\x02\x03binary\x00", "not a text file"),
        (b"Name,Email\r\n,\r\n", "has no contacts"),  # an empty row is no row
        (b"Name,Email,Phone\r\n,,no number\r\n", "no row has a name or an email"),
    ],
)
def test_unreadable_csv_raises_invalid_input(raw, words):
    with pytest.raises(InvalidInput) as caught:
        parse_csv(raw)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_a_mapping_naming_a_missing_column_is_refused():
    with pytest.raises(InvalidInput, match="no column called 'Mail'"):
        parse_csv(b"Name,Email\r\nAda,ada@example.org\r\n", "csv", {"email": "Mail"})
    with pytest.raises(InvalidInput, match="name or the email"):
        parse_csv(b"Name,Email\r\nAda,ada@example.org\r\n", "csv", {"phone": "Email"})


def test_progress_and_cancel_for_csv():
    rows = "".join(f"Person {i},p{i}@example.org\r\n" for i in range(1000))
    raw = ("Name,Email\r\n" + rows).encode()
    calls = []
    result = parse_csv(raw, progress=lambda done, total: calls.append((done, total)))
    assert len(result.contacts) == 1000 and calls[-1] == (1000, 1000)


@settings(max_examples=300)
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash(raw):
    try:
        result = parse_csv(raw)
    except InvalidInput:
        return
    assert isinstance(result, ParseResult)
    for contact in result.contacts:
        assert_storable(contact)


@settings(max_examples=300)
@given(
    st.lists(st.lists(st.text(max_size=20), max_size=5), max_size=8),
    st.sampled_from([",", ";", "\t"]),
)
def test_random_tables_never_crash(rows, delimiter):
    lines = ["Name" + delimiter + "Email"] + [delimiter.join(r) for r in rows]
    try:
        result = parse_csv("\r\n".join(lines).encode("utf-8", "surrogatepass"))
    except InvalidInput:
        return
    for contact in result.contacts:
        assert_storable(contact)


@pytest.mark.parametrize("header", ["Name,Email,Email,Phone,Phone",
                                    "Name,E-mail Address,E-mail Address,Mobile Phone,Mobile Phone"])
def test_a_repeated_column_is_read_too(header):
    """The second "Email" (or Outlook's second "E-mail Address") column was dropped
    without a word: the header was looked up by name, and a name finds one column."""
    data = f"{header}\nDup Hdr,first@ex.org,second@ex.org,+1 555 0100,+1 555 0101\n".encode()
    result = parse_csv(data)
    (person,) = result.contacts
    assert person.emails == ["first@ex.org", "second@ex.org"]
    assert person.phones == ["+1 555 0100", "+1 555 0101"]


def test_a_repeated_column_of_a_field_holding_one_value_goes_into_the_notes():
    data = b"Name,Email,Company,Company\nDup Org,d@ex.org,First Org,Second Org\n"
    result = parse_csv(data)
    (person,) = result.contacts
    assert person.organization == "First Org"
    assert person.notes == "Organisation 2: Second Org"


def test_google_second_website_and_organisation_are_kept():
    """"Website 2 - Value" and "Organization 2 - Name" were dropped without a word."""
    data = (b"Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,Website 1 - Type,"
            b"Website 1 - Value,Website 2 - Type,Website 2 - Value,Organization 1 - Name,"
            b"Organization 1 - Title,Organization 2 - Name\n"
            b"Google Multi,Google,Multi,* Home,gm@ex.org,Home Page,http://home.example,Blog,"
            b"http://blog.example,Org One,Boss,Org Two\n")
    result = parse_csv(data)
    assert result.format == "google"
    (person,) = result.contacts
    assert person.handles == {"website": "http://home.example",
                              "website-2": "http://blog.example"}
    assert (person.organization, person.title) == ("Org One", "Boss")
    assert person.notes == "Organisation 2: Org Two"
