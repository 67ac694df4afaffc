"""``planner import`` of real address books (issue 19): the encoding shown and chosen,
what was not imported said (of a CSV and of a vCard), jCard read, other JSON refused in
one line."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SHARED_FIXTURES
from tests.helpers.cli import invoke, ok, refused

HERE = Path(__file__).parents[1] / "fixtures" / "issue19"
VCARDS = SHARED_FIXTURES / "vcard"
JAPANESE = (
    "姓,名,電子メール アドレス,携帯電話\r\n山田,太郎,taro@example.jp,090-1234-5678\r\n"
    "鈴木,花子,hanako@example.jp,080-2345-6789\r\n佐藤,健一,kenichi@example.jp,070-3456-7890\r\n"
)


def test_the_detected_encoding_is_on_the_preview_line_and_can_be_chosen(db_path, tmp_path):
    path = tmp_path / "adressbuch.csv"
    path.write_bytes(JAPANESE.encode("shift_jis"))
    out = ok(invoke("import", str(path), "--dry-run", db=db_path))
    assert "Read adressbuch.csv (csv, Shift_JIS (detected)): 3 new" in out
    assert "Note: the file does not say its encoding: it was detected as Shift_JIS" in out
    assert "--encoding NAME" in out
    chosen = ok(invoke("import", str(path), "--encoding", "cp932", db=db_path))
    assert "(csv, Shift_JIS (chosen)): 3 new" in chosen and "Note: the file" not in chosen
    assert "Imported: 3 added" in chosen
    listed = ok(invoke("contacts", "list", db=db_path))
    assert "山田 太郎" in listed or "太郎 山田" in listed


def test_a_wrong_or_unknown_encoding_is_one_line(db_path, tmp_path):
    path = tmp_path / "adressbuch.csv"
    path.write_bytes(JAPANESE.encode("shift_jis"))
    message = refused(invoke("import", str(path), "--encoding", "utf-8", db=db_path))
    assert "cannot be read as UTF-8" in message and "Traceback" not in message
    message = refused(invoke("import", str(path), "--encoding", "klingon", db=db_path))
    assert "unknown encoding 'klingon'" in message


def test_utf8_with_a_stray_byte_keeps_its_accents_and_names_the_line(db_path, tmp_path):
    """Read as Windows-1250 it imported "JosĂŠ MĂźller"; --encoding utf-8 refused it."""
    path = tmp_path / "people.csv"
    path.write_bytes("Name,E-mail Address\r\nJosé Müller,jose@example.org\r\n"
                     "Zoë Ångström,zoe@example.org\r\n".encode()
                     + b"Bad\x96Byte Person,bad@example.org\r\n")
    note = ("Note: the file is UTF-8 except for a few bytes on line 4: they cannot be read "
            "and were replaced by “�” (check the names there, or choose another encoding).")
    chosen = ok(invoke("import", str(path), "--encoding", "utf-8", "--dry-run", db=db_path))
    assert "(csv, UTF-8 (chosen)): 3 new" in chosen and note in chosen
    done = ok(invoke("import", str(path), db=db_path))
    assert "(csv, UTF-8 (checked)): 3 new" in done and note in done
    listed = ok(invoke("contacts", "list", db=db_path))
    assert "José Müller" in listed and "Zoë Ångström" in listed and "Bad�Byte Person" in listed


def test_columns_not_imported_are_said(db_path):
    out = ok(invoke("import", str(HERE / "thunderbird_en.csv"), "--dry-run", db=db_path))
    assert "(thunderbird, UTF-8 (checked)): 2 new" in out
    assert 'Note: not imported: fax numbers (column "Fax Number", filled in 1 row)' in out


def test_what_a_vcard_holds_and_the_planner_does_not_keep_is_said(db_path):
    """An iPhone's card: both addresses, the nickname, the department, two faxes and a
    pager were dropped without a word, the faxes and the pager among the phones."""
    out = ok(invoke("import", str(VCARDS / "John_Doe_IPHONE.vcf"), "--dry-run", db=db_path))
    why = ": the planner has no field for them."
    notes = [line for line in out.splitlines() if line.startswith("Note:")]
    assert notes == [
        f"Note: not imported: postal addresses (ADR in 1 card){why}",
        f"Note: not imported: fax numbers (TEL;TYPE=FAX in 1 card){why}",
        f"Note: not imported: pager numbers (TEL;TYPE=PAGER in 1 card){why}",
        f"Note: not imported: nicknames (NICKNAME in 1 card){why}",
        f"Note: not imported: departments (ORG's unit in 1 card){why}",
    ]
    assert "Dry run, nothing was written: 1 would be added" in out

    out = ok(invoke("import", str(VCARDS / "John_Doe_IPHONE.vcf"), db=db_path))
    assert f"Note: not imported: fax numbers (TEL;TYPE=FAX in 1 card){why}" in out
    assert "Imported: 1 added" in out
    shown = ok(invoke("contacts", "show", "1", db=db_path))
    phones = next(line for line in shown.splitlines() if line.startswith("Phones:"))
    assert phones.split(":", 1)[1].strip().split(", ") == [
        "905-555-1234", "905-666-1234", "905-777-1234", "905-222-1234"]  # no fax, no pager
    assert "Organisation: IBM" in shown


def test_two_cards_with_faxes_are_counted_as_two(db_path):
    out = ok(invoke("import", str(VCARDS / "rfc2426-example.vcf"), "--dry-run", db=db_path))
    assert "(vcard): 2 new" in out
    assert ("Note: not imported: fax numbers (TEL;TYPE=FAX in 2 cards): the planner has no "
            "field for them.") in out
    assert "Note: not imported: postal addresses (ADR in 2 cards)" in out


def test_a_vcard_with_nothing_left_out_says_nothing(db_path):
    out = ok(invoke("import", str(VCARDS / "gmail-list.vcf"), "--dry-run", db=db_path))
    assert "(vcard): 3 new" in out and "Note:" not in out


def test_jcard_imports_and_other_json_is_refused(db_path):
    out = ok(invoke("import", str(HERE / "contacts.jcard.json"), db=db_path))
    assert "(jcard): 2 new" in out and "Imported: 2 added" in out
    message = refused(invoke("import", str(HERE / "thunderbird.json"), db=db_path))
    assert "neither a Mentorship Planner export nor a jCard" in message
