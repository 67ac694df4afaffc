"""What a person (or a script) may type on the command line that the app cannot use:
one clear line and exit 1 or 2, nothing written, never "unexpected error".

Found by the command-line audit (session 15): each test failed before its fix."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.helpers.cli import invoke, ok, refused, run_cli


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def people(db_path):
    for name, ring in (("Ada Lovelace", "inner"), ("Grace Hopper", "outer")):
        ok(invoke("contacts", "add", name, "--ring", ring, db=db_path))
    ok(invoke("win", "ada", "A talk", db=db_path))
    return db_path


# Every command that looks a person up by what was typed (CONTACT, --swap OTHER).
LOOKUPS = [
    ("contacts", "show", "{}"),
    ("contacts", "show", "{}", "--json"),
    ("contacts", "edit", "{}", "--org", "Acme"),
    ("contacts", "move", "{}", "outer"),
    ("contacts", "move", "ada", "outer", "--swap", "{}"),
    ("contacts", "remove", "{}"),
    ("log", "{}", "coffee"),
    ("note", "{}", "a note"),
    ("timeline", "{}"),
    ("stage", "{}", "advocate"),
    ("win", "{}", "A post"),
    ("ask", "{}", "intro"),
    ("give", "{}", "gift"),
    ("snooze", "{}", "1d"),
]


@pytest.mark.parametrize("args", LOOKUPS, ids=lambda a: " ".join(a[:2]))
def test_a_name_too_long_for_anyone_is_no_contact_not_an_unexpected_error(people, args):
    """SQLite refuses a LIKE pattern over 50,000 bytes ("LIKE or GLOB pattern too
    complex"): a 100,000-character CONTACT ended every lookup in "unexpected error"."""
    before = sha(people)
    typed = "x" * 100_000
    line = refused(invoke(*(a.format(typed) for a in args), db=people), "no contact named")
    assert "unexpected" not in line
    assert sha(people) == before


def test_a_long_word_beyond_ascii_is_no_contact_either(people):
    """60,000 bytes of UTF-8 in 30,000 characters: the limit is SQLite's, in bytes."""
    refused(invoke("log", "é" * 30_000 + " lovelace", "coffee", db=people), "no contact named")
    assert "Ada Lovelace" in ok(invoke("contacts", "show", "ada", db=people))


# A byte that is not UTF-8 on the command line ($'Jos\xe9' typed in a Latin-1 terminal)
# reaches Python as a lone surrogate ("Jos\udce9"), which no database can store.
NOT_UTF8 = "Jos\udce9"

TEXTS = [
    ("contacts", "add", "{}"),
    ("contacts", "add", "Zoe", "--org", "{}"),
    ("contacts", "add", "Zoe", "--tag", "{}"),
    ("contacts", "add", "Zoe", "--handle", "github={}"),
    ("contacts", "add", "Zoe", "--notes", "{}"),
    ("contacts", "edit", "ada", "--name", "{}"),
    ("note", "ada", "{}"),
    ("log", "ada", "coffee", "--note", "{}"),
    ("win", "ada", "{}"),
    ("thank", "1", "--note", "{}"),
    *LOOKUPS,
]


@pytest.mark.parametrize("args", TEXTS, ids=lambda a: " ".join(a))
def test_a_byte_that_is_not_utf8_is_named_not_an_unexpected_error(people, args):
    ok(invoke("ask", "ada", "intro", db=people))  # (ask 1, for thank)
    before = sha(people)
    line = refused(invoke(*(a.format(NOT_UTF8) for a in args), db=people),
                   "not UTF-8 text (\\xe9)")
    assert "unexpected" not in line
    assert sha(people) == before


def test_an_encoding_name_that_is_not_utf8_is_an_unknown_encoding(people, tmp_path):
    cards = tmp_path / "people.vcf"
    cards.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoe\r\nEND:VCARD\r\n", "utf-8")
    refused(invoke("import", str(cards), "--encoding", "latin\udce9", db=people),
            "unknown encoding")


# A file name may hold bytes that are not UTF-8 (made on a Latin-1 system, copied from an
# old disk): Python hands it over as "caf\udce9.db", and it must work like any other name.
# These run as processes of their own, with standard output as a UTF-8 desktop locale
# makes it (PYTHONIOENCODING=utf-8: "strict"; the C locale would forgive).


@pytest.fixture
def utf8_desktop(monkeypatch):
    monkeypatch.setenv("PYTHONIOENCODING", "utf-8")


def test_a_database_whose_name_is_not_utf8_opens_again_and_again(tmp_path, utf8_desktop):
    """quote() of the file: URI refused the name, so the database was made by the first
    command and every later one ended in "unexpected error"."""
    db = tmp_path / "caf\udce9.db"
    ok(run_cli("contacts", "add", "Ada Lovelace", "--ring", "inner", db=db))
    ok(run_cli("log", "ada", "coffee", db=db))
    assert "Ada Lovelace" in ok(run_cli("rings", db=db))
    out = ok(run_cli("backup", db=db))
    [copy] = (tmp_path / "backups").iterdir()
    assert str(copy) in out


def test_backup_restore_export_and_import_with_names_that_are_not_utf8(tmp_path, utf8_desktop):
    """A backup to such a name said the database "may be damaged", and so did a restore
    from it; an export or import that worked failed printing the name."""
    db = tmp_path / "planner.db"
    ok(run_cli("contacts", "add", "Ada Lovelace", "--ring", "inner", db=db))
    copy = tmp_path / "copie-\udce9t\udce9.db"
    assert str(copy) in ok(run_cli("backup", "-o", str(copy), db=db))
    ok(run_cli("contacts", "add", "Grace Hopper", db=db))
    ok(run_cli("restore", str(copy), db=db))
    assert "Grace" not in ok(run_cli("contacts", "list", db=db))
    dump = tmp_path / "dump-\udce9.json"
    result = run_cli("export", "-o", str(dump), db=db)
    ok(result)
    assert "dump-" in result.stderr and dump.stat().st_size > 0
    cards = tmp_path / "carnet-\udce9.vcf"
    cards.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoe\r\nEND:VCARD\r\n", "utf-8")
    assert cards.name in ok(run_cli("import", str(cards), db=db))


def test_encrypting_a_database_whose_name_is_not_utf8(tmp_path, utf8_desktop):
    """SQLCipher's ATTACH of the converted copy bound its name as text, which failed."""
    db = tmp_path / "caf\udce9.db"
    ok(run_cli("contacts", "add", "Ada Lovelace", db=db))
    words = "correct horse battery staple 42\n"
    ok(run_cli("--passphrase-stdin", "db", "encrypt", "--own-passphrase", "--no-keyring",
               db=db, input=words))
    assert not db.read_bytes().startswith(b"SQLite format 3\x00")
    assert "Ada Lovelace" in ok(run_cli("--passphrase-stdin", "contacts", "list", db=db,
                                        input=words))


@pytest.mark.parametrize("args", [
    ("backup", "-o", "{}"), ("export", "-o", "{}"), ("focus", "-o", "{}"), ("import", "{}"),
    ("restore", "{}"), ("capture", "ics", "{}"), ("capture", "ics", "{}", "--watch"),
], ids=lambda a: " ".join(a))
@pytest.mark.parametrize("nothing", ["", "   "], ids=["empty", "spaces"])
def test_a_file_name_of_nothing_is_a_usage_error_not_the_current_folder(
        people, tmp_path, monkeypatch, args, nothing):
    """click made "" the current folder: `backup -o ""` copied the database into it and
    `capture ics "" --watch` kept watching it."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    before = sha(people)
    result = invoke(*(a.format(nothing) for a in args), db=people)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "not nothing" in result.stderr and "Traceback" not in result.stderr
    assert list(here.iterdir()) == []
    assert sha(people) == before
    assert "No sources" in ok(invoke("capture", "sources", db=people))


# --passphrase-stdin: standard input closed, or a line that is not UTF-8 text.

WORDS = "correct horse battery staple 42\n"


@pytest.fixture
def encrypted(tmp_path):
    db = tmp_path / "secret.db"
    ok(invoke("contacts", "add", "Ada Lovelace", db=db))
    ok(invoke("--passphrase-stdin", "db", "encrypt", "--own-passphrase", "--no-keyring",
              db=db, input=WORDS))
    assert "Ada" in ok(invoke("--passphrase-stdin", "contacts", "list", db=db, input=WORDS))
    return db


def test_passphrase_stdin_with_standard_input_closed_is_one_line(encrypted):
    """`planner --passphrase-stdin … <&-`: sys.stdin is None (AttributeError before)."""
    before = sha(encrypted)
    refused(run_cli("--passphrase-stdin", "contacts", "list", db=encrypted, closed=(0,)),
            "standard input is closed")
    assert sha(encrypted) == before


@pytest.mark.parametrize("locale", ["c", "utf8"])
def test_a_passphrase_that_is_not_utf8_is_refused_in_one_line(encrypted, monkeypatch, locale):
    """`printf 'caf\\xe9…' | planner --passphrase-stdin`: under a UTF-8 locale reading the
    line failed (UnicodeDecodeError), under the C locale the key (UnicodeEncodeError)."""
    if locale == "utf8":
        monkeypatch.setenv("PYTHONIOENCODING", "utf-8")
    before = sha(encrypted)
    line = refused(run_cli("--passphrase-stdin", "contacts", "list", db=encrypted,
                           input="caf\udce9 horse battery staple\n"), "not UTF-8 text")
    assert "\\xe9" not in line  # (a byte of a secret is not shown)
    assert sha(encrypted) == before


def test_encrypting_with_a_passphrase_that_is_not_utf8_changes_nothing(tmp_path):
    db = tmp_path / "plain.db"
    ok(invoke("contacts", "add", "Ada Lovelace", db=db))
    before = sha(db)
    refused(run_cli("--passphrase-stdin", "db", "encrypt", "--own-passphrase", "--no-keyring",
                    db=db, input="caf\udce9 horse battery staple\n"), "not UTF-8 text")
    assert sha(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.db"]


# A database another program holds exclusively (a database tool, `sqlite3` with
# `PRAGMA locking_mode=EXCLUSIVE`): reading it meets "database is locked".


@pytest.fixture
def held_by_another(people):
    """The database, held exclusively by a connection of this process, which the
    ``planner`` subprocesses see as another program (POSIX locks are per process)."""
    import sqlite3

    conn = sqlite3.connect(people, isolation_level=None)
    conn.execute("PRAGMA locking_mode=EXCLUSIVE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("UPDATE contact SET notes = 'being written' WHERE id = 1")
    yield people
    conn.execute("ROLLBACK")
    conn.close()


def test_restore_over_a_database_another_program_holds_changes_nothing(held_by_another,
                                                                        tmp_path):
    """It was taken for damaged, so restore replaced it under its writer (whose later
    writes went to the unlinked file) and removed its -wal and -shm."""
    good = tmp_path / "good" / "good.db"
    good.parent.mkdir()
    ok(run_cli("contacts", "add", "Linus", db=good))

    def files():  # (stat only: opening a file held by this process would drop its locks)
        return sorted((p.name, p.stat().st_ino, p.stat().st_size)
                      for p in tmp_path.rglob("*") if p.is_file())

    before = files()
    line = refused(run_cli("restore", str(good), db=held_by_another),
                   "in use", "another program keeps it locked", "Nothing was changed")
    assert "damaged" not in line
    assert files() == before


def test_a_database_another_program_holds_is_in_use_not_damaged(held_by_another):
    """Every command said "cannot be read (database is locked); it may be damaged" and
    told to restore a backup, which would lose what the other program was writing."""
    line = refused(run_cli("rings", db=held_by_another), "in use", "try again")
    assert "damaged" not in line and "restore" not in line


@pytest.mark.parametrize("args", [("export",), ("contacts", "show", "ada", "--json"),
                                  ("rings",), ("--version",)], ids=" ".join)
def test_output_to_a_closed_standard_output_fails_not_vanishes(people, args):
    """`planner export >&-` (a job started without standard output) exited 0 and wrote
    nothing: Python makes sys.stdout None and click drops what is printed to it."""
    result = run_cli(*args, db=people, closed=(1,))
    line = refused(result, "cannot write the output: standard output is closed")
    assert "Traceback" not in line


def test_a_closed_standard_output_does_not_stop_an_export_to_a_file(people, tmp_path):
    dump = tmp_path / "dump.json"
    result = run_cli("export", "-o", str(dump), db=people, closed=(1,))
    assert result.returncode == 0, result.stderr
    assert '"Ada Lovelace"' in dump.read_text("utf-8")


# A database whose text is not UTF-8: another program wrote it (a CAST of a BLOB, another
# language's driver), or a scribbled page; a backup holding it restores as any other.


@pytest.fixture
def not_utf8_inside(people):
    import sqlite3

    conn = sqlite3.connect(people)
    with conn:
        conn.execute("UPDATE contact SET name = CAST(X'4772611f6365ff' AS TEXT) "
                     "WHERE name = 'Grace Hopper'")
        conn.execute("UPDATE contact SET notes = CAST(X'6e6f7465ff' AS TEXT)")
    conn.close()
    return people


@pytest.mark.parametrize("args", [
    ("rings",), ("contacts", "list"), ("contacts", "list", "--json"),
    ("contacts", "show", "ada", "--json"), ("log", "ada", "coffee"), ("timeline",),
    ("export",), ("focus", "--format", "csv"), ("stats", "--json"), ("agenda",),
], ids=" ".join)
def test_text_that_is_not_utf8_in_the_database_is_read_not_fatal(not_utf8_inside, args):
    """sqlite3's decoding raised OperationalError: every command ended in "unexpected
    error (Could not decode to UTF-8 column 'name' …)"."""
    out = ok(invoke(*args, db=not_utf8_inside))
    if "--json" in args or args == ("export",):
        import json

        json.loads(out)
