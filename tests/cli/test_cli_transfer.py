"""``planner import / export / backup / restore`` as a person runs them (in-process)."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.helpers.cli import invoke, ok, refused

VCARDS = Path(__file__).parents[3] / "shared" / "fixtures" / "vcard"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def names(db: Path) -> list[str]:
    return [c["name"] for c in json.loads(ok(invoke("contacts", "list", "--json", db=db)))]


def backups_of(db: Path) -> list[str]:
    folder = db.parent / "backups"
    return sorted(p.name for p in folder.glob("*.db")) if folder.is_dir() else []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("import",), ["FILE", "--format", "--dry-run", "--on-duplicate", "linkedin", "json"]),
        (("export",), ["--format", "json", "vcard", "csv", "-o"]),
        (("backup",), ["-o"]),
        (("restore",), ["FILE"]),
    ],
)
def test_help(args, words, db_path):
    out = ok(invoke(*args, "--help", db=db_path))
    for word in words:
        assert word in out


def test_import_prints_a_summary_and_duplicates_the_second_time(db_path):
    out = ok(invoke("import", str(VCARDS / "gmail-list.vcf"), db=db_path))
    assert "gmail-list.vcf (vcard): 3 new, 0 duplicates, 0 invalid" in out
    assert "Imported: 3 added, 0 merged, 0 skipped, 0 invalid" in out
    assert "backed up first" in out and backups_of(db_path)
    assert names(db_path) == ["Arnold Smith", "Chris Beatle", "Doug White"]
    again = ok(invoke("import", str(VCARDS / "gmail-list.vcf"), db=db_path))
    assert "0 new, 3 duplicates, 0 invalid" in again
    assert "card 1 (line 1): Arnold Smith — same email as #1 Arnold Smith" in again
    assert "Imported: 0 added, 0 merged, 3 skipped" in again
    added = ok(
        invoke("import", str(VCARDS / "gmail-list.vcf"), "--on-duplicate", "add", db=db_path)
    )
    assert "Imported: 3 added" in added and len(names(db_path)) == 6


def test_dry_run_writes_nothing(db_path):
    ok(invoke("contacts", "add", "Someone", db=db_path))
    out = ok(invoke("import", str(VCARDS / "rfc2426-example.vcf"), "--dry-run", db=db_path))
    assert "2 new" in out and "Dry run, nothing was written: 2 would be added" in out
    assert names(db_path) == ["Someone"] and backups_of(db_path) == []


def test_per_row_problems_name_the_card_and_line(db_path, tmp_path):
    data = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEMAIL:ada@example.org\r\n"
        "PHOTO;ENCODING=b;TYPE=JPEG:***\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:nobody\r\nEND:VCARD\r\n"
    )
    path = tmp_path / "cards.vcf"
    path.write_text(data)
    out = ok(invoke("import", str(path), db=db_path))
    assert "1 new, 0 duplicates, 1 invalid" in out
    assert "  card 1 (line 5): PHOTO: " in out
    assert "  card 2 (line 7): no name, organisation or email address" in out
    assert "Imported: 1 added, 0 merged, 0 skipped, 1 invalid" in out


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03" * 500, "not a text file"),
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nTEL:+1 555", "cut short"),
        (b"First Name,Last Name,E-mail Address\r\n", "only a header"),
    ],
)
def test_malformed_files_are_one_line_and_write_nothing(db_path, tmp_path, content, words):
    ok(invoke("contacts", "add", "Someone", db=db_path))
    path = tmp_path / "input.vcf"
    path.write_bytes(content)
    refused(invoke("import", str(path), db=db_path), words)
    assert names(db_path) == ["Someone"] and backups_of(db_path) == []


@pytest.mark.parametrize("fixture", ["google-contacts-birthdays.ics", "latin1-invalid-dtstart.ics",
                                     "korganizer-3.2-blank-lines.ics"])
def test_a_calendar_is_named_as_one_and_pointed_at_capture(db_path, fixture):
    """A calendar was read as a table of columns: "choose which column holds the name"."""
    from tests.conftest import SHARED_FIXTURES

    path = SHARED_FIXTURES / "ics" / fixture
    if not path.exists():  # (the fixture table names each file; CI has them all)
        raise AssertionError(f"missing fixture {path}")
    refused(invoke("import", str(path), db=db_path),
            f"{fixture} is a calendar, not an address book", "planner capture ics")
    assert names(db_path) == []


def test_a_database_file_is_named_as_one(db_path, tmp_path):
    other = tmp_path / "other.db"
    ok(invoke("contacts", "add", "Someone", db=other))
    refused(invoke("import", str(other), db=db_path),
            "other.db is a database file, not an address book", "Restore from Backup")
    assert names(db_path) == []


def test_missing_file_is_refused(db_path, tmp_path):
    refused(invoke("import", str(tmp_path / "nope.vcf"), db=db_path), "does not exist")


def test_csv_with_a_column_mapping(db_path, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Who,Mail,Company\r\nAda Lovelace,ada@example.org,Engines\r\n")
    ok(
        invoke(
            "import",
            str(path),
            "--map",
            "name=Who",
            "--map",
            "email=Mail",
            "--map",
            "organization=Company",
            db=db_path,
        )
    )
    shown = json.loads(ok(invoke("contacts", "show", "Ada Lovelace", "--json", db=db_path)))
    assert (shown["email"], shown["organization"]) == ("ada@example.org", "Engines")
    refused(invoke("import", str(path), "--map", "colour=Who", db=db_path), "unknown field")


def test_export_formats_to_stdout_and_to_a_file(db_path, tmp_path):
    ok(
        invoke(
            "contacts",
            "add",
            "Ada Lovelace",
            "--email",
            "ada@example.org",
            "--ring",
            "inner",
            db=db_path,
        )
    )
    dump = json.loads(ok(invoke("export", db=db_path)))
    assert (
        dump["format"] == "mentorship-planner-dump"
        and dump["contacts"][0]["name"] == "Ada Lovelace"
    )
    vcard = ok(invoke("export", "--format", "vcard", db=db_path))
    assert vcard.startswith("BEGIN:VCARD") and "FN:Ada Lovelace" in vcard
    csv_text = ok(invoke("export", "--format", "csv", db=db_path))
    assert csv_text.splitlines()[1].startswith("Ada Lovelace,Inner,ada@example.org")
    out = tmp_path / "people.vcf"
    result = invoke("export", "--format", "vcard", "-o", str(out), db=db_path)
    assert ok(result) == "" and str(out) in result.stderr
    assert out.read_text("utf-8") == vcard
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_json_round_trip_through_the_command_line(db_path, tmp_path):
    ok(
        invoke(
            "contacts",
            "add",
            "Ada Lovelace",
            "--email",
            "ada@example.org",
            "--ring",
            "inner",
            "--tag",
            "mentor",
            db=db_path,
        )
    )
    ok(invoke("contacts", "add", "Grace Hopper", "--ring", "middle", db=db_path))
    ok(invoke("log", "Ada Lovelace", "coffee", "--note", "engines", db=db_path))
    ok(invoke("note", "Grace Hopper", "COBOL", db=db_path))
    ok(invoke("contacts", "remove", "Grace Hopper", db=db_path))
    dump_file = tmp_path / "all.json"
    ok(invoke("export", "--format", "json", "-o", str(dump_file), db=db_path))
    other = tmp_path / "other.db"
    out = ok(invoke("import", str(dump_file), db=other))  # recognised as a dump
    assert out.startswith("Restored 2 contacts, 1 placement, 3 ring moves, 1 touchpoint, 1 note")
    first = json.loads(dump_file.read_text("utf-8"))
    second = json.loads(ok(invoke("export", db=other)))
    first.pop("exported_at")
    second.pop("exported_at")
    assert second == first
    refused(invoke("import", str(dump_file), "--format", "json", db=other), "empty database")


def test_json_dry_run_and_a_broken_dump(db_path, tmp_path):
    ok(invoke("contacts", "add", "Ada", db=db_path))
    dump_file = tmp_path / "all.json"
    ok(invoke("export", "-o", str(dump_file), db=db_path))
    other = tmp_path / "other.db"
    out = ok(invoke("import", str(dump_file), "--dry-run", db=other))
    assert "Dry run, nothing was written" in out and names(other) == []
    broken = tmp_path / "broken.json"
    broken.write_text(dump_file.read_text("utf-8")[:-40])
    refused(invoke("import", str(broken), "--format", "json", db=other), "not valid JSON")
    assert names(other) == []


def test_backup_and_restore(db_path, tmp_path):
    ok(invoke("contacts", "add", "Ada", db=db_path))
    copy = tmp_path / "copy.db"
    assert str(copy) in ok(invoke("backup", "-o", str(copy), db=db_path))
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert "backups" in ok(invoke("backup", db=db_path)) and len(backups_of(db_path)) == 1
    ok(invoke("contacts", "add", "Grace", db=db_path))
    out = ok(invoke("restore", str(copy), db=db_path))
    assert f"Restored {db_path}" in out and "pre-restore" in out
    assert names(db_path) == ["Ada"]
    kept = [n for n in backups_of(db_path) if n.endswith("-pre-restore.db")]
    assert len(kept) == 1
    conn = sqlite3.connect(db_path.parent / "backups" / kept[0])
    assert [r[0] for r in conn.execute("SELECT name FROM contact ORDER BY id")] == ["Ada", "Grace"]
    conn.close()


def test_a_backup_you_made_outlives_a_run_of_imports(db_path):
    """Eleven imports in a row rotated away the copy made with ``planner backup`` minutes
    before (review C #5): each kind of backup now keeps its own newest ones."""
    ok(invoke("contacts", "add", "Ada Lovelace", db=db_path))
    out = ok(invoke("backup", db=db_path))
    made = out.splitlines()[0].removeprefix("Backed up to ")
    assert made.endswith("-manual.db")
    assert ("The newest 10 backups you made are kept, apart from the daily and automatic "
            "ones.") in out
    for _ in range(11):
        ok(invoke("import", str(VCARDS / "gmail-single.vcf"), "--on-duplicate", "add",
                  db=db_path))
    kept = backups_of(db_path)
    assert Path(made).name in kept
    assert len([n for n in kept if n.endswith("-pre-import.db")]) == 10
    assert len(kept) == 11
    status = ok(invoke("db", "status", db=db_path))
    assert ("Backups kept: 1 made by you, 0 daily, 10 automatic (before an import, a restore "
            "or an upgrade); each kind keeps its own newest copies") in status
    counts = json.loads(ok(invoke("db", "status", "--json", db=db_path)))["backups"]
    assert (counts["manual"], counts["daily"], counts["automatic"]) == (1, 0, 10)
    # eleven more copies of your own: the oldest of those goes, the automatic ones stay
    for _ in range(10):
        ok(invoke("backup", db=db_path))
    kept = backups_of(db_path)
    assert Path(made).name not in kept
    assert len([n for n in kept if n.endswith("-manual.db")]) == 10
    assert len([n for n in kept if n.endswith("-pre-import.db")]) == 10


@pytest.mark.parametrize("kind", ["random", "other-sqlite", "text"])
def test_restore_of_a_non_backup_is_refused_and_changes_nothing(db_path, tmp_path, kind):
    ok(invoke("contacts", "add", "Ada", db=db_path))
    bad = tmp_path / "bad.db"
    if kind == "random":
        bad.write_bytes(os.urandom(4096))
    elif kind == "text":
        bad.write_text("hello")
    else:
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE t (x)")
        conn.close()
    before = (sha(db_path), sorted(p.name for p in db_path.parent.iterdir()))
    refused(invoke("restore", str(bad), db=db_path), "cannot restore", "nothing was changed")
    assert (sha(db_path), sorted(p.name for p in db_path.parent.iterdir())) == before


def test_restore_rescues_a_database_that_no_longer_opens(db_path, tmp_path):
    ok(invoke("contacts", "add", "Ada", db=db_path))
    copy = tmp_path / "copy.db"
    ok(invoke("backup", "-o", str(copy), db=db_path))
    data = db_path.read_bytes()
    db_path.write_bytes(data[:4096] + b"\xff" * (len(data) - 4096))
    refused(invoke("contacts", "list", db=db_path), "restore")
    ok(invoke("restore", str(copy), db=db_path))
    assert names(db_path) == ["Ada"]


def test_dash_as_the_output_is_standard_output(tmp_path, monkeypatch):
    """``-o -`` wrote a file named "-" ("Wrote json to -"); it is standard output."""
    from tests.helpers.cli import invoke

    db = tmp_path / "planner.db"
    assert invoke("contacts", "add", "Ada Lovelace", "--ring", "inner", db=db).returncode == 0
    monkeypatch.chdir(tmp_path)
    for args in (("export", "-o", "-"), ("focus", "-o", "-")):
        result = invoke(*args, db=db)
        assert result.returncode == 0 and "Ada Lovelace" in result.stdout, args
    assert not (tmp_path / "-").exists()
