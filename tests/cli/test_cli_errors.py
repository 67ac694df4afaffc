"""Exit codes and error output of the real ``planner`` command, and which database it uses."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.helpers.cli import invoke, ok
from tests.helpers.stores import bound


def refused(result: subprocess.CompletedProcess, *needles: str) -> str:
    """Exit 1, exactly one line on stderr, no traceback anywhere."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].strip()
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def usage_error(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_usage_errors_exit_2(db_path):
    usage_error(invoke("frobnicate", db=db_path), "frobnicate")
    usage_error(invoke("contacts", "add", db=db_path), "NAME")
    usage_error(invoke("contacts", "move", "ada", db=db_path), "RING")
    usage_error(invoke("contacts", "add", "Ada", "--ring", "centre", db=db_path), "centre")
    usage_error(invoke("contacts", "list", "--ring", "9", db=db_path), "unknown ring")
    usage_error(invoke("log", "ada", db=db_path), "KIND")
    usage_error(invoke("timeline", "--limit", "0", db=db_path))
    usage_error(invoke("contacts", "list", "--colour", db=db_path), "--colour")
    assert not db_path.exists(), "a usage error must not create the database"


def test_refused_actions_exit_1_with_one_line(db_path):
    for name in ("Ada Lovelace", "Ada Byron", "Grace", "Linus"):
        ok(
            invoke(
                "contacts",
                "add",
                name,
                "--ring",
                "inner" if name != "Ada Byron" else "outer",
                db=db_path,
            )
        )
    ok(invoke("contacts", "add", "Margaret", db=db_path))

    refused(invoke("contacts", "show", "nobody", db=db_path), "no contact named 'nobody'")
    refused(invoke("contacts", "show", "#404", db=db_path), "no contact with id 404")
    line = refused(invoke("contacts", "show", "ada", db=db_path), "Ada Lovelace", "Ada Byron")
    assert "2 contacts match" in line
    refused(
        invoke("contacts", "move", "margaret", "inner", db=db_path),
        "full",
        "Ada Lovelace",
        "Grace",
        "Linus",
    )
    refused(
        invoke("log", "grace", "coffee", "--at", "next tuesday-ish", db=db_path),
        "cannot read the time",
    )
    refused(invoke("note", "grace", "hello", "--at", "2026-02-30", db=db_path), "time")
    refused(invoke("contacts", "add", "Ada\x1b[31m", db=db_path), "control character")
    refused(invoke("contacts", "add", "x" * 201, db=db_path), "too long")
    refused(invoke("contacts", "add", "Eve", "--birthday", "2023-02-29", db=db_path), "birthday")
    refused(invoke("contacts", "add", "Eve", "--email", "eve-at-example", db=db_path), "email")
    # nothing was changed by the refusals
    listing = ok(invoke("contacts", "list", db=db_path))
    assert "Eve" not in listing
    assert len(listing.splitlines()) == 5


def test_namesakes_are_told_apart_by_id_not_by_a_fuller_name(db_path):
    for _ in range(2):
        ok(invoke("contacts", "add", "Sam Lee", db=db_path))
    ok(invoke("contacts", "add", "Sam Leeds", db=db_path))
    # the full name was typed: only an id can tell the two apart, and the message says so
    line = refused(invoke("log", "sam lee", "coffee", db=db_path),
                   "2 people are named 'sam lee'", "#1 Sam Lee", "#2 Sam Lee",
                   "Use the id, e.g. #1")
    assert "full name" not in line
    # a part of a name still asks for an id or the full name
    refused(invoke("log", "sam", "coffee", db=db_path), "3 contacts match 'sam'",
            "Use an id or the full name")
    ok(invoke("log", "#2", "coffee", db=db_path))
    assert "coffee" in ok(invoke("timeline", "#2", db=db_path))
    assert "coffee" not in ok(invoke("timeline", "#1", db=db_path))


@pytest.mark.parametrize("kind", ["random", "text", "other_sqlite", "truncated"])
def test_a_file_that_is_not_a_planner_database_is_refused_and_untouched(tmp_path, kind):
    path = tmp_path / "precious.db"
    if kind == "random":
        path.write_bytes(os.urandom(20_000))
    elif kind == "text":
        path.write_text("Dear diary,\n")
    elif kind == "other_sqlite":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE songs (title TEXT)")
        conn.execute("INSERT INTO songs VALUES ('Ada')")
        conn.commit()
        conn.close()
    else:
        from planner.services import contacts
        from planner.storage.database import open_database

        whole = tmp_path / "whole.db"
        handle = open_database(str(whole))
        for i in range(40):
            contacts.add_contact(bound(), f"Person {i}", notes="n" * 2000)
        handle.close()
        data = whole.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    before = sha(path)
    result = invoke("contacts", "list", db=path)
    line = refused(result, str(path))
    assert "untouched" in line or "damaged" in line or "not a Mentorship Planner" in line
    assert sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("precious")) == [
        "precious.db"
    ]


def test_a_database_from_a_newer_version_is_refused(db_path):
    ok(invoke("contacts", "add", "Ada", db=db_path))
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE planner_meta SET value = '999' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    before = sha(db_path)
    refused(invoke("contacts", "list", db=db_path), "newer version")
    assert sha(db_path) == before


def test_planner_db_variable_and_db_option(tmp_path, monkeypatch, isolated_home):
    from_env = tmp_path / "env" / "planner.db"
    explicit = tmp_path / "explicit.db"
    monkeypatch.setenv("PLANNER_DB", str(from_env))
    ok(invoke("contacts", "add", "Env Person"))
    assert from_env.exists()
    assert oct(from_env.stat().st_mode & 0o777) == oct(0o600)
    ok(invoke("contacts", "add", "Explicit Person", db=explicit))  # --db beats PLANNER_DB
    assert "Env Person" in ok(invoke("contacts", "list"))
    assert "Explicit Person" not in ok(invoke("contacts", "list"))
    assert "Explicit Person" in ok(invoke("contacts", "list", db=explicit))
    data_home = Path(os.environ["XDG_DATA_HOME"])
    assert not any(data_home.rglob("planner.db")), "the default database was created too"


@pytest.mark.parametrize("blank", ["", "  "])
def test_planner_db_set_to_nothing_is_refused_like_an_empty_db_option(
        blank, tmp_path, monkeypatch, isolated_home):
    """It opened (and made) the default database, as ``--db ''`` once did: a script's
    ``PLANNER_DB="$DB"`` with DB unset wrote to the real one; "  " opened the working
    folder ("… is a folder, not a database file")."""
    monkeypatch.setenv("PLANNER_DB", blank)
    message = ("PLANNER_DB is set but empty: set it to a database file or a postgresql:// "
               "URL, or unset it to use the default database")
    for args in (("contacts", "add", "Ada"), ("contacts", "list"), ()):  # () the window
        result = invoke(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.splitlines()[-1] == f"Error: {message}"
        assert "Traceback" not in result.stderr
    empty_option = invoke("--db", "", "contacts", "list")
    assert empty_option.returncode == 2 and "not nothing" in empty_option.stderr
    data_home = Path(os.environ["XDG_DATA_HOME"])
    assert not any(data_home.rglob("planner.db")), "the default database was made"
    explicit = tmp_path / "explicit.db"  # --db given: the variable is not read
    ok(invoke("contacts", "add", "Ada", db=explicit))
    assert "Ada" in ok(invoke("contacts", "list", db=explicit))


def test_default_database_is_in_the_user_data_folder(isolated_home):
    ok(invoke("contacts", "add", "Ada"))
    data_home = Path(os.environ["XDG_DATA_HOME"])
    created = list(data_home.rglob("planner.db"))
    assert len(created) == 1
    assert created[0].parent.name == "mentorship-planner"
    assert oct(created[0].stat().st_mode & 0o777) == oct(0o600)
    assert "Ada" in ok(invoke("contacts", "list"))


def test_unwritable_location_is_one_clear_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    refused(invoke("contacts", "list", db=blocker / "planner.db"), "cannot create")


@pytest.mark.parametrize("port", ["99999", "abc", "0"])
def test_a_team_url_whose_port_is_no_port_is_one_clear_line(port):
    """It said "unexpected error (ValueError: Port out of range 0-65535)"."""
    line = refused(invoke("--db", f"postgresql://ada@127.0.0.1:{port}/team", "rings"),
                   "the port must be a number from 1 to 65535")
    assert "unexpected" not in line


def test_an_unknown_time_zone_is_refused_and_a_known_one_spelled_right(db_path):
    refused(invoke("contacts", "add", "Ada", "--timezone", "Mars/Base", db=db_path),
            "unknown time zone 'Mars/Base'")
    ok(invoke("contacts", "add", "Ada", "--timezone", "europe/berlin", db=db_path))
    assert "Europe/Berlin" in ok(invoke("contacts", "show", "Ada", db=db_path))


def test_a_touchpoint_in_the_future_is_refused_and_nothing_is_written(db_path):
    ok(invoke("contacts", "add", "Ada", db=db_path))
    refused(invoke("log", "Ada", "coffee", "--at", "tomorrow", db=db_path), "in the future")
    assert "never" in ok(invoke("contacts", "show", "Ada", db=db_path)).lower()
    ok(invoke("log", "Ada", "coffee", "--at", "yesterday 14:00", db=db_path))


def test_a_mistyped_folder_makes_no_database_and_no_db_is_a_usage_error(tmp_path):
    """`--db /tmp/nofolder/sub/x.db contacts list` made both folders and an empty
    database, then said "No contacts yet"; `--db ""` opened the default database."""
    refused(invoke("--db", str(tmp_path / "nofolder" / "sub" / "x.db"), "contacts", "list"),
            "does not exist")
    assert not (tmp_path / "nofolder").exists()
    usage_error(invoke("--db", "", "contacts", "list"), "--db")
    ok(invoke("contacts", "add", "Ada", db=tmp_path / "new.db"))  # a folder that is there


def test_an_output_cut_short_by_a_full_disk_is_an_error(tmp_path):
    """``planner export > dump.json`` on a full disk: the disk takes what fits (a short
    write) and refuses the rest. CPython's standard output takes the short write for
    success, so the dump was cut and the command exited 0 without a word. A file size
    limit (RLIMIT_FSIZE, its signal ignored) makes the same short write here."""
    import resource
    import signal
    import subprocess
    import sys

    db = tmp_path / "demo.db"
    assert invoke("demo", "--contacts", "30", "--touchpoints", "200", "--seed", "1",
                  db=db).returncode == 0
    limit = 64 * 1024  # above what opening the database writes (its -shm: 32 KB)

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    out = tmp_path / "dump.json"
    for args in (("export",), ("timeline", "--limit", "1000", "--json")):
        with open(out, "wb") as stdout:
            done = subprocess.run([sys.executable, "-m", "planner", "--db", str(db), *args],
                                  stdout=stdout, stderr=subprocess.PIPE, text=True,
                                  preexec_fn=small_disk, timeout=120)
        assert out.stat().st_size == limit, done.stderr  # it was cut
        assert done.returncode == 1, (args, done.stderr)
        assert "cannot write the output (File too large); what was written is incomplete" \
            in done.stderr
    # and a whole output still ends well
    with open(out, "wb") as stdout:
        done = subprocess.run([sys.executable, "-m", "planner", "--db", str(db), "export"],
                              stdout=stdout, stderr=subprocess.PIPE, timeout=120)
    assert done.returncode == 0 and out.stat().st_size > limit


def test_a_damaged_database_is_not_backed_up_over_the_good_backups(tmp_path):
    """A backup is checked as a restore checks it: a damaged database used to be copied
    ("Backed up", exit 0) and after ten of them the rotation had removed every good one."""
    db = tmp_path / "planner.db"
    assert invoke("demo", "--contacts", "30", "--touchpoints", "100", "--seed", "1",
                  db=db).returncode == 0
    for _ in range(2):
        assert invoke("backup", db=db).returncode == 0
    backups = sorted((tmp_path / "backups").iterdir())
    with open(db, "r+b") as damaged:  # no connection is open: a test's own bytes
        damaged.seek(40960)
        damaged.write(b"\xff" * 3000)
    for _ in range(3):  # none is kept: the rotation never runs
        result = invoke("backup", db=db)
        assert result.returncode == 1
        assert result.stderr.startswith("planner: no backup was made: planner.db is damaged (")
        assert f"restore '{backups[-1]}'" in result.stderr
    assert sorted((tmp_path / "backups").iterdir()) == backups


def test_a_stray_quote_in_a_csv_is_refused_not_read_as_the_rest_of_the_file(tmp_path):
    """30 rows with an opening quote on line 7 imported 6 people, the sixth named after
    the other 24 ("name shortened" the only word of it), exit 0."""
    rows = ["Name,E-mail Address"] + [
        f'"Person {i},p{i}@example.com' if i == 5 else f"Person {i},p{i}@example.com"
        for i in range(30)]
    stray = tmp_path / "stray.csv"
    stray.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = tmp_path / "planner.db"
    for dry in ((), ("--dry-run",)):
        result = invoke("import", str(stray), *dry, db=db)
        assert result.returncode == 1
        assert result.stderr == ("planner: cannot import stray.csv: line 7 opens a quoted "
                                 "field that is never closed (a stray \" there?); nothing was "
                                 "imported\n")
    after = tmp_path / "after.csv"
    after.write_text('Name,Email\n"Ada" Lovelace,a@x.org\nBob,b@x.org\n', encoding="utf-8")
    result = invoke("import", str(after), db=db)
    assert result.returncode == 1 and "line 2: a quoted field is followed by more text" in (
        result.stderr)
    # quotes as CSV means them still import: a comma inside one, a doubled one, an inch sign
    fine = tmp_path / "fine.csv"
    fine.write_text('Name,Email\n"Lovelace, Ada",a@x.org\n"The ""Bob""",b@x.org\n'
                    'Carl 5" tall,c@x.org\n', encoding="utf-8")
    assert invoke("import", str(fine), db=db).returncode == 0
    names = json.loads(invoke("contacts", "list", "--json", db=db).stdout)
    assert sorted(p["name"] for p in names) == ['Carl 5" tall', "Lovelace, Ada", 'The "Bob"']


def test_a_damaged_page_met_by_any_command_is_named_not_an_unexpected_error(tmp_path):
    """A damaged first page was said clearly at opening; one met later (reading rows) gave
    "unexpected error (DatabaseError: database disk image is malformed)"."""
    db = tmp_path / "planner.db"
    assert invoke("demo", "--contacts", "30", "--touchpoints", "100", "--seed", "1",
                  db=db).returncode == 0
    assert invoke("backup", db=db).returncode == 0
    (backup,) = (tmp_path / "backups").iterdir()
    with open(db, "r+b") as damaged:  # no connection is open: a test's own bytes
        damaged.seek(4096)
        damaged.write(os.urandom(3000))
    for args in (("rings",), ("contacts", "list"), ("log", "1", "coffee"), ("export",)):
        result = invoke(*args, db=db)
        assert result.returncode == 1, args
        assert result.stderr == (f"planner: {db} is damaged (database disk image is "
                                 f"malformed); restore the latest backup with: planner --db "
                                 f"'{db}' restore '{backup}'\n"), args


def test_restore_says_what_a_file_that_is_not_a_backup_is(tmp_path):
    """A JSON export given to restore was "not a SQLite file" (it points to import now);
    an encrypted backup given to a plain database was too."""
    db = tmp_path / "planner.db"
    assert invoke("contacts", "add", "Ada Lovelace", db=db).returncode == 0
    export = tmp_path / "everything.json"
    assert invoke("export", "-o", str(export), db=db).returncode == 0
    result = invoke("restore", str(export), db=db)
    assert result.returncode == 1
    assert "everything.json is a JSON export, not a database: load it into a new database " \
        f"with planner --db NEW.db import '{export}'" in result.stderr
    scrambled = tmp_path / "secret.db"
    scrambled.write_bytes(os.urandom(8192))  # what SQLCipher's pages look like
    result = invoke("restore", str(scrambled), db=db)
    assert result.returncode == 1
    assert "secret.db looks like an encrypted database, and this database is not " \
        "encrypted" in result.stderr
