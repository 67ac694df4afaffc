"""Issue 19: address books as other programs really write them arrive complete.

The files in ``tests/fixtures/issue19`` are written after the programs' published
layouts (Thunderbird's CSV export header in English and German, Roundcube's CSV
columns, LinkedIn's Connections.csv with its preamble, Google's CSV and its
"Outlook CSV", vCard 2.1/3.0/4.0, jCard per RFC 7095); the encodings are
written here from the same text.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from planner.domain.contact import Birthday
from planner.domain.errors import InvalidInput
from planner.importers import parse_file
from planner.importers.csv_formats import classify_header
from planner.importers.csv_specs import THUNDERBIRD_COLUMNS
from planner.services import contacts
from planner.services.importing import apply_import, preview_import
from tests.conftest import SHARED_FIXTURES

HERE = Path(__file__).parents[1] / "fixtures" / "issue19"


def people(result) -> dict:
    return {c.name: c for c in result.contacts}


# ------------------------------------------------------------ 1. layouts, every e-mail


@pytest.mark.parametrize("language", sorted(THUNDERBIRD_COLUMNS))
def test_a_thunderbird_header_in_any_of_its_languages_is_thunderbird(language):
    assert classify_header(list(THUNDERBIRD_COLUMNS[language])) == "thunderbird"


def test_thunderbird_csv_brings_every_email_phone_company_and_birthday():
    result = parse_file(HERE / "thunderbird_en.csv")
    assert result.format == "thunderbird"
    grace, alan = result.contacts
    assert grace.name == "Grace Hopper"
    assert grace.emails == ["grace@navy.example", "ghopper@yale.example"]
    assert grace.phones == ["+1 202 555 0101", "+1 202 555 0102"]
    assert (grace.organization, grace.title) == ("US Navy", "Rear Admiral")
    assert grace.birthday == Birthday(12, 9, 1906)
    assert grace.handles == {"website": "https://grace.example.org"}
    assert grace.notes == "Invented the compiler\nLoves nanoseconds"
    assert alan.birthday == Birthday(6, 23)  # Birth Month/Day without a year
    assert alan.organization == "Bletchley Park"


def test_recognised_columns_with_data_that_are_not_imported_are_said():
    notes = parse_file(HERE / "thunderbird_en.csv").notes
    assert any(n.startswith("not imported: fax numbers (column \"Fax Number\"") for n in notes)
    assert any(n.startswith("not imported: postal addresses (columns \"Work Address\"")
               for n in notes)
    assert any("nicknames" in n for n in notes) and any("departments" in n for n in notes)
    assert not any("pager" in n for n in notes)  # the column is there but empty: nothing lost


def test_localised_thunderbird_csv_german():
    result = parse_file(HERE / "thunderbird_de.csv")
    assert result.format == "thunderbird"
    (juergen,) = result.contacts
    assert juergen.name == "Jürgen Weiß"
    assert juergen.emails == ["juergen@example.de", "j.weiss@firma.example"]
    assert juergen.phones == ["+49 30 1234567", "+49 151 7654321"]
    assert (juergen.organization, juergen.title) == ("Müller & Söhne GmbH", "Entwickler")
    assert juergen.birthday == Birthday(3, 14, 1975)  # Geburtsjahr/-monat/Geburtstag
    assert any("postal addresses" in n for n in result.notes)


def test_roundcube_csv_brings_home_work_and_other_emails():
    result = parse_file(HERE / "roundcube.csv")
    assert result.format == "roundcube"
    ada, other = result.contacts
    assert ada.emails == ["ada@home.example", "ada@work.example", "ada@other.example"]
    assert other.emails == ["only.other@example.org"]


def test_any_csv_with_email_columns_brings_them_all():
    data = (
        b"Name;Mail privat;Mail Arbeit;Handy\r\n"
        b"Karl Klammer;karl@home.example;karl@work.example;+49 170 1234567\r\n"
    )
    (karl,) = parse_file(data).contacts
    assert karl.emails == ["karl@home.example", "karl@work.example"]
    assert karl.phones == ["+49 170 1234567"]


def test_an_outlook_export_still_reads_as_outlook_and_says_what_it_leaves():
    result = parse_file(SHARED_FIXTURES / "csv" / "outlook-en-multiline-notes.csv")
    assert result.format == "outlook"
    assert result.contacts[0].emails == ["john@example.com"]
    # (its Anniversary "0/0/00" and Gender "Unspecified" are Outlook's empty fields)
    assert result.notes == ['not imported: fax numbers (column "Business Fax", filled in 1 row): '
                            "the planner has no field for them"]


def test_other_peoples_details_are_named_never_read_as_the_persons_own():
    """Outlook's Spouse, Manager's Name, Assistant's Name and Assistant's Phone are about
    other people: the assistant's phone was read as the person's own; the rest went in
    silence (the vCard reader names the same as "related people")."""
    data = (b"Name,E-mail Address,Mobile Phone,Assistant's Phone,Assistant's Name,Spouse,"
            b"Manager's Name,Children\r\n"
            b"Ada Lovelace,ada@example.org,+44 20 7946 0001,+44 20 7946 0999,Mary,"
            b"William King,Charles Babbage,Byron\r\n")
    result = parse_file(data)
    (ada,) = result.contacts
    assert ada.phones == ["+44 20 7946 0001"]
    assert result.notes == [
        'not imported: related people (columns "Assistant\'s Phone", "Assistant\'s Name", '
        '"Spouse", "Manager\'s Name" and 1 more, filled in 1 row): the planner has no field '
        "for them"]
    # what Outlook writes in an empty field is not named ("Keine Angabe", "0.0.00")
    empty = parse_file(b"Name,Gender,Anniversary\r\nAda,Unspecified,0/0/00\r\n")
    assert empty.notes == []


# ---------------------------------------------------------- 2. same name, other people


def test_linkedin_people_who_share_a_name_are_different_people(opened):
    preview = preview_import(HERE / "linkedin_same_names.csv")
    rows = [(r.name, r.status) for r in preview.rows]
    assert rows == [
        ("John Smith", "new"), ("John Smith", "new"),  # other profile URL
        ("Maria Garcia", "new"), ("Maria Garcia", "new"),  # other e-mail
        ("Wei Zhang", "new"), ("Wei Zhang", "new"),  # other company
        ("Lee Chen", "new"), ("Lee Chen", "duplicate"),  # nothing tells them apart
    ]
    assert "another linkedin profile" in preview.rows[1].reason
    assert preview.rows[7].reason == "same name as line 11 in this file " \
        "(nothing else tells them apart)"
    summary = apply_import(opened.backend, preview, "merge")
    assert (summary.added, summary.merged + summary.unchanged) == (7, 1)
    smiths = [c for c in contacts.list_contacts() if c.name == "John Smith"]
    assert sorted(c.handles["linkedin"] for c in smiths) == [
        "https://www.linkedin.com/in/john-smith-8a7b6c",
        "https://www.linkedin.com/in/johnsmith42",
    ]


def test_merge_never_joins_people_whose_emails_or_profiles_differ(opened):
    kept = contacts.add_contact(opened.backend, "John Smith", email="john@acme.example",
                                handles={"linkedin": "https://www.linkedin.com/in/js-acme"})
    data = (
        b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
        b"John,Smith,https://www.linkedin.com/in/js-other,,Globex,,01 Jan 2024\r\n"
        b"John,Smith,,john@other.example,Initech,,01 Jan 2024\r\n"
        b"John,Smith,https://linkedin.com/in/JS-Acme/,,Acme,,01 Jan 2024\r\n"
    )
    preview = preview_import(data)
    assert [r.status for r in preview.rows] == ["new", "new", "duplicate"]
    assert preview.rows[2].matched_by == "profile"
    summary = apply_import(opened.backend, preview, "merge")
    assert (summary.added, summary.merged) == (2, 1)
    assert contacts.get_contact(kept.id).email == "john@acme.example"


# --------------------------------------------------------------------- 3. encodings

ADDRESS_BOOKS = [
    ("shift_jis", "Shift_JIS", "姓,名,電子メール アドレス,携帯電話\r\n"
     "山田,太郎,taro@example.jp,090-1234-5678\r\n鈴木,花子,hanako@example.jp,080-2345-6789\r\n"
     "佐藤,健一,kenichi@example.jp,070-3456-7890\r\n"),
    ("euc_kr", "EUC-KR", "성,이름,이메일,전화\r\n김,민준,minjun@example.kr,010-1234-5678\r\n"
     "이,서연,seoyeon@example.kr,010-2345-6789\r\n박,지훈,jihun@example.kr,010-3456-7890\r\n"),
    ("gb18030", "GB18030", "姓,名,电子邮件,手机\r\n王,伟,wei@example.cn,138 0013 8000\r\n"
     "李,芳,fang@example.cn,139 0013 9000\r\n张,敏,min@example.cn,137 0013 7000\r\n"),
    ("big5", "Big5", "姓氏,名字,電子郵件,行動電話\r\n陳,志明,chiming@example.tw,0912-345-678\r\n"
     "林,春嬌,chunchiao@example.tw,0923-456-789\r\n黃,美玲,meiling@example.tw,0934-567-890\r\n"),
    ("koi8_r", "KOI8-R", "Фамилия,Имя,Эл. почта,Телефон\r\n"
     "Петров,Иван,ivan@example.ru,+7 495 123-45-67\r\n"
     "Иванова,Мария,maria@example.ru,+7 812 234-56-78\r\n"
     "Сидоров,Алексей,alexey@example.ru,+7 343 345-67-89\r\n"),
    ("cp1252", "Windows-1252", "First Name,Last Name,E-mail Address\r\n"
     "José,Müller,jose@example.de\r\n"
     "François,Lefèvre,francois@example.fr\r\nSøren,Ødegård,soren@example.no\r\n"),
]


@pytest.mark.parametrize(("codec", "shown", "text"), ADDRESS_BOOKS)
def test_the_encoding_is_detected_and_shown_never_guessed_silently(opened, codec, shown, text):
    preview = preview_import(text.encode(codec))
    assert (preview.encoding, preview.encoding_how) == (shown, "detected")
    assert preview.encoding_text() == f"{shown} (detected)"
    assert shown in preview.encoding_warning()
    expected = [line.split(",") for line in text.splitlines()[1:]]
    header = text.splitlines()[0].split(",")
    emails = [cells[2] for cells in expected]
    assert [r.email for r in preview.rows] == emails
    got = {r.email: r.name for r in preview.rows}
    for cells in expected:  # the characters arrive right: both name parts are in the name
        assert cells[0] in got[cells[2]] and cells[1] in got[cells[2]], (header, got)


def test_a_chosen_encoding_wins_and_a_wrong_one_is_one_clear_line(opened):
    data = ADDRESS_BOOKS[0][2].encode("shift_jis")
    chosen = preview_import(data, encoding="shift_jis")
    assert (chosen.encoding, chosen.encoding_how) == ("Shift_JIS", "chosen")
    assert chosen.encoding_warning() == ""
    with pytest.raises(InvalidInput, match="cannot be read as UTF-8"):
        preview_import(data, encoding="utf-8")
    with pytest.raises(InvalidInput, match="unknown encoding 'klingon'"):
        preview_import(data, encoding="klingon")


EUROPEAN = ("First Name,Last Name,E-mail Address\r\nJosé,Müller,jose@example.de\r\n"
            "François,Lefèvre,francois@example.fr\r\nSøren,Ødegård,soren@example.no\r\n")
#: the same, with one byte on line 3 that is no UTF-8 (an en dash as Windows-1252 writes it)
STRAY = EUROPEAN.encode().replace(b"Lef\xc3\xa8vre", b"Lef\x96vre")


def test_utf8_with_a_stray_byte_is_read_as_utf8_and_its_line_named(opened):
    """One byte that is not UTF-8 made the whole file Windows-1250 ("detected"): every
    accented name turned to mojibake ("JosĂŠ MĂźller")."""
    preview = preview_import(STRAY)
    assert (preview.encoding, preview.encoding_how) == ("UTF-8", "utf-8")
    assert {r.email: r.name for r in preview.rows} == {
        "jose@example.de": "José Müller", "francois@example.fr": "François Lef\ufffdvre",
        "soren@example.no": "Søren Ødegård"}
    assert preview.encoding_warning() == ""
    assert preview.notes == [
        "the file is UTF-8 except for a few bytes on line 3: they cannot be read and were "
        "replaced by “�” (check the names there, or choose another encoding)"]


def test_utf8_chosen_for_a_file_with_stray_bytes_reads_it_with_a_note(opened):
    """--encoding utf-8 refused the file ("cannot be read as UTF-8 (byte 0x96 …)"), also
    one whose only byte beyond ASCII is the stray one; a file in another encoding
    altogether still is refused."""
    chosen = preview_import(STRAY, encoding="utf-8")
    assert (chosen.encoding, chosen.encoding_how) == ("UTF-8", "chosen")
    assert chosen.rows[0].name == "José Müller" and "line 3" in chosen.notes[0]
    plain = b"Name,Email\r\nAda,ada@example.org\r\nGr\xe9ce,grace@example.org\r\n"
    assert preview_import(plain).encoding_how == "detected"  # Windows-1252 "Gréce"
    only = preview_import(plain, encoding="utf-8")
    assert only.rows[1].name == "Gr\ufffdce" and "line 3:" in only.notes[0]
    with pytest.raises(InvalidInput, match="cannot be read as UTF-8"):
        preview_import(EUROPEAN.encode("cp1252") * 3, encoding="utf-8")


def test_the_lines_of_many_stray_bytes_are_named_the_first_five(opened):
    rows = "".join(f"Zoë {n},z{n}@example.org,Ünal\r\n" for n in range(40))
    data = ("Name,Email,Note\r\n" + rows).encode()
    for n in (3, 5, 9, 12, 20, 30):
        data = data.replace(f"Zoë {n},".encode(), f"Zo\xeb {n},".encode("latin-1"))
    preview = preview_import(data)
    assert preview.encoding_how == "utf-8" and len(preview.rows) == 40
    assert "on lines 5, 7, 11, 14, 22 and 1 more:" in preview.notes[0]


def test_utf8_and_utf16_without_bom_are_known_not_detected(opened):
    text = "Name,Email\r\nZoë Ünal,zoe@example.org\r\n"
    assert preview_import(text.encode()).encoding_how == "utf-8"
    utf16 = preview_import(text.encode("utf-16-le"))
    assert (utf16.encoding_how, utf16.rows[0].name) == ("utf-16", "Zoë Ünal")
    bom = preview_import(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert bom.encoding_text() == "UTF-16-LE (marked in the file)"


# --------------------------------------------------------- 4. and 5. vCard escapes, e-mails


def test_each_vcard_version_has_its_own_escaping():
    result = parse_file(HERE / "vcard_escapes.vcf")
    v21, v30, v40, _sony, _phone_only = result.contacts
    assert v21.name == "A;B\\C\\;D:E\\\\"  # 2.1: a text value is the literal text
    assert v21.notes == "C:\\Users\\ada\\notes.txt"
    assert v30.name == "A;B\\C,D" and v30.notes == "line one\nline two"
    assert v40.name == "Four, Card"


def test_2_1_structured_values_only_unescape_semicolons():
    data = (b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:Back\\;slash;Gi\\ven;;;\r\n"
            b"ORG:R\\&D\\;Labs;Unit\r\nEND:VCARD\r\n")
    (card,) = parse_file(data).contacts
    assert card.name == "Gi\\ven Back;slash"
    assert card.organization == "R\\&D;Labs"


def test_emails_with_display_names_and_dotless_domains_are_kept():
    v21, v30, v40, *_ = parse_file(HERE / "vcard_escapes.vcf").contacts
    assert v21.emails == ["omega@example.com"]
    assert v30.emails == ["contact1@invalid"] and v40.emails == ["user@localhost"]
    data = (b'Name,E-mail\r\nOmega,"""Omega, Dr"" <omega@example.com>, psi@example.org"\r\n'
            )
    (omega,) = parse_file(data).contacts
    assert omega.emails == ["omega@example.com", "psi@example.org"]


# ------------------------------------------------------------------------ 6. JSON


def test_jcard_is_imported_like_vcard(opened):
    preview = preview_import(HERE / "contacts.jcard.json")
    assert preview.format == "jcard"
    assert [r.name for r in preview.rows] == ["Simon Perreault", "Second Person"]
    apply_import(opened.backend, preview)
    simon = next(c for c in contacts.list_contacts() if c.name == "Simon Perreault")
    assert simon.email == "simon.perreault@viagenie.ca"
    assert simon.phones == ("+1-418-656-9254 ext. 102", "+1-418-262-6501")
    assert simon.organization == "Viagenie" and simon.birthday == Birthday(2, 3)
    assert simon.tags == ("mentors", "quebec, city")
    assert simon.notes == "Line one\nLine two; with, punctuation\\ and a backslash"
    assert any("card 2 (property 4)" in line for line in preview.problem_lines())


def test_json_that_is_neither_an_export_nor_a_jcard_says_so(opened):
    with pytest.raises(InvalidInput, match="neither a Mentorship Planner export nor a jCard"):
        preview_import(HERE / "thunderbird.json")
    with pytest.raises(InvalidInput, match="cannot be read as JSON") as refused:
        preview_import(b'[["vcard", [')
    # one message that does not contradict itself ("…cannot be read as JSON; this JSON
    # file is neither…"): what can be imported instead
    assert "this JSON file" not in str(refused.value)
    assert "vCard (.vcf) or a CSV file can be imported" in str(refused.value)


# ---------------------------------------------------------------- 7. Google groups


def test_google_system_groups_are_not_tags():
    kj, dv = parse_file(HERE / "google_system_groups.csv").contacts
    assert kj.tags == ["starred", "NASA"] and dv.tags == []
    (mary,) = parse_file(HERE / "google_outlook_csv.csv").contacts
    assert mary.tags == ["starred", "Engineers"]
    vcard = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dot\r\nCATEGORIES:myContacts,starred,Team\r\n"
             b"END:VCARD\r\n")
    assert parse_file(vcard).contacts[0].tags == ["starred", "Team"]


# --------------------------------------------------------------------- 8. smaller


def test_phone_only_entries_and_odd_birthdays():
    v21, _v30, _v40, sony, phone_only = parse_file(HERE / "vcard_escapes.vcf").contacts
    assert v21.birthday is None  # BDAY:1000-01-01 is "no date"
    assert sony.birthday == Birthday(12, 25)  # Sony Ericsson's 5 digits, no year
    assert (phone_only.name, phone_only.phones) == ("+46 8 123 456", ["+46 8 123 456"])


@pytest.mark.parametrize("text", ["0001-01-01", "1601-01-01", "4501-01-01", "1/1/4501",
                                  "1900-01-01", "9999-01-01"])
def test_no_date_placeholders_are_no_birthday(text):
    data = f"Name,Birthday\r\nAda,{text}\r\n".encode()
    (ada,) = parse_file(data).contacts
    assert ada.birthday is None


def test_reimporting_with_merge_reports_nothing_merged(opened):
    apply_import(opened.backend, preview_import(HERE / "thunderbird_en.csv"))
    again = apply_import(opened.backend, preview_import(HERE / "thunderbird_en.csv"), "merge")
    assert (again.added, again.merged, again.unchanged) == (0, 0, 2)
    assert "0 merged, 2 unchanged" in again.summary()


def test_a_vcard_in_shift_jis_without_charset_is_detected_and_said(opened):
    """Japanese phones export vCard 2.1 in Shift_JIS and name no CHARSET on most lines."""
    text = ("BEGIN:VCARD\r\nVERSION:2.1\r\nN:山田;太郎;;;\r\nFN:山田 太郎\r\n"
            "TEL;CELL:090-1234-5678\r\nNOTE:東京の友人、毎年会う\r\nEND:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:2.1\r\nN:鈴木;花子;;;\r\nFN:鈴木 花子\r\n"
            "EMAIL;INTERNET:hanako@example.jp\r\nEND:VCARD\r\n")
    preview = preview_import(text.encode("shift_jis"))
    assert [r.name for r in preview.rows] == ["山田 太郎", "鈴木 花子"]
    assert preview.encoding_text() == "Shift_JIS (detected)"
    assert preview.encoding_warning()
    chosen = preview_import(text.encode("shift_jis"), encoding="shift_jis")
    assert chosen.encoding_text() == "Shift_JIS (chosen)"
    assert [r.name for r in chosen.rows] == ["山田 太郎", "鈴木 花子"]


def test_a_german_outlook_export_reads_its_columns_by_what_they_say():
    """Outlook 2007, German UI (its ä and ß lost to U+FFFD): e-mail, phones, company,
    'E-Mail: Angezeigter Name' (a display name, not an address) and '0.0.00' (no date)."""
    result = parse_file(SHARED_FIXTURES / "csv" / "outlook2007-de-mojibake-header.csv")
    firm, person = result.contacts
    assert (firm.name, firm.phones) == ("The Firm", ["+4983242332"])
    assert person.emails == ["email@example.org"] and person.organization == "Firma"
    assert person.tags == ["Partner"] and firm.birthday is None
    problems = [str(p) for p in result.problems]
    assert not any("Angezeigter Name" in p or "Geburtstag" in p for p in problems), problems
    assert result.notes == ['not imported: fax numbers (column "Fax gesch\ufffdftlich", '
                            "filled in 1 row): the planner has no field for them"]
