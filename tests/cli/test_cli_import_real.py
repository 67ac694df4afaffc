"""``planner import`` of real address books (issue 19): the encoding shown and chosen,
what was not imported said, jCard read, other JSON refused in one line."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.cli import invoke, ok, refused

HERE = Path(__file__).parents[1] / "fixtures" / "issue19"
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


def test_columns_not_imported_are_said(db_path):
    out = ok(invoke("import", str(HERE / "thunderbird_en.csv"), "--dry-run", db=db_path))
    assert "(thunderbird, UTF-8 (checked)): 2 new" in out
    assert 'Note: not imported: fax numbers (column "Fax Number", filled in 1 row)' in out


def test_jcard_imports_and_other_json_is_refused(db_path):
    out = ok(invoke("import", str(HERE / "contacts.jcard.json"), db=db_path))
    assert "(jcard): 2 new" in out and "Imported: 2 added" in out
    message = refused(invoke("import", str(HERE / "thunderbird.json"), db=db_path))
    assert "neither a Mentorship Planner export nor a jCard" in message
