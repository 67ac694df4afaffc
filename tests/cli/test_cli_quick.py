"""``planner log CONTACT KIND`` and ``planner contacts show CONTACT`` run without click
(planner.cli.quick, issue 23) and do exactly what the click commands do: every command
line here is run both ways, on two copies of one database, and what they wrote, said and
left in the file is compared."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3

import pytest

import planner.cli.quick as quick
from planner.cli.quick import (
    LOG_OPTIONS,
    SHOW_OPTIONS,
    LogCommand,
    ShowCommand,
    log_arguments,
    quick_command,
    show_arguments,
)
from tests.helpers.cli import invoke, ok

RECOVERY = re.compile(r"^\s+([A-Z2-7]{4}(?:-[A-Z2-7]{4}){6})$", re.MULTILINE)  # two halves


@pytest.mark.parametrize(("args", "expected"), [
    (["log", "Ada", "coffee"], LogCommand(None, False, "Ada", "coffee")),
    (["--db", "a.db", "log", "Ada", "coffee"], LogCommand("a.db", False, "Ada", "coffee")),
    (["--db=a b.db", "log", "#3", "zoom"], LogCommand("a b.db", False, "#3", "zoom")),
    (["--db", "log", "log", "Ada", "call"], LogCommand("log", False, "Ada", "call")),
    (["--passphrase-stdin", "--db", "a.db", "log", "Ada", "im"],
     LogCommand("a.db", True, "Ada", "im")),
    (["log", "--note", "on *Babbage*", "Ada", "coffee", "--minutes=30", "--at", "yesterday"],
     LogCommand(None, False, "Ada", "coffee", when="yesterday", minutes=30,
                note="on *Babbage*")),
    (["log", "Ada", "coffee", "--minutes", "0", "--note="],
     LogCommand(None, False, "Ada", "coffee", minutes=0, note="")),
    (["log", "Ada", "coffee", "--minutes", "1440"],
     LogCommand(None, False, "Ada", "coffee", minutes=1440)),
    (["log", "Ada Lovelace", "in person"], LogCommand(None, False, "Ada Lovelace", "in person")),
])
def test_the_command_lines_run_without_click(monkeypatch, args, expected):
    monkeypatch.delenv("PLANNER_DB", raising=False)
    assert log_arguments(args) == expected


@pytest.mark.parametrize("args", [
    [], ["log"], ["log", "Ada"], ["log", "Ada", "coffee", "more"], ["--db", "a.db"],
    ["note", "Ada", "text"], ["timeline", "Ada"], ["contacts", "show", "Ada"],
    ["--help"], ["log", "--help"], ["log", "-h", "Ada", "coffee"], ["log", "Ada", "coffee", "-h"],
    ["--version", "log", "Ada", "coffee"], ["--tray", "log", "Ada", "coffee"],
    ["--demo", "log", "Ada", "coffee"], ["--db"], ["--db", "a", "--db", "b", "log", "A", "c"],
    ["--db=", "log", "Ada", "coffee"], ["--db", " ", "log", "Ada", "coffee"],
    ["--passphrase-stdin", "--passphrase-stdin", "log", "Ada", "coffee"],
    ["--passphrase-stdin=1", "log", "Ada", "coffee"],
    ["log", "Ada", "coffee", "--db", "a.db"],  # a group option after the command
    ["log", "--", "-Ada", "coffee"], ["log", "-", "coffee"], ["log", "-Ada", "coffee"],
    ["log", "Ada", "coffee", "--note"], ["log", "Ada", "coffee", "--note", "-x"],
    ["log", "Ada", "coffee", "--note", "a", "--note", "b"],  # click: the last one
    ["log", "Ada", "coffee", "--minutes", "1441"], ["log", "Ada", "coffee", "--minutes=-1"],
    ["log", "Ada", "coffee", "--minutes", " 5"], ["log", "Ada", "coffee", "--minutes", "٥"],
    ["log", "Ada", "coffee", "--minutes="], ["log", "Ada", "coffee", "--minute", "5"],
    ["log", "Ada", "coffee", "--at"], ["log", "Ada", "coffee", "--bogus"],
])
def test_everything_else_is_for_click(monkeypatch, args):
    monkeypatch.delenv("PLANNER_DB", raising=False)
    assert log_arguments(args) is None


@pytest.mark.parametrize(("args", "expected"), [
    (["contacts", "show", "Ada"], ShowCommand(None, False, "Ada")),
    (["--db", "a.db", "contacts", "show", "#3", "--json"], ShowCommand("a.db", False, "#3", True)),
    (["--db=contacts", "contacts", "show", "--json", "Ada Lovelace"],
     ShowCommand("contacts", False, "Ada Lovelace", True)),
    (["--passphrase-stdin", "contacts", "show", "ada"], ShowCommand(None, True, "ada")),
])
def test_contacts_show_runs_without_click(monkeypatch, args, expected):
    monkeypatch.delenv("PLANNER_DB", raising=False)
    assert show_arguments(args) == expected == quick_command(args)
    assert log_arguments(args) is None


@pytest.mark.parametrize("args", [
    ["contacts"], ["contacts", "show"], ["contacts", "show", "Ada", "Byron"],
    ["contacts", "list"], ["contacts", "edit", "Ada"], ["show", "Ada"],
    ["contacts", "--help"], ["contacts", "-h", "show", "Ada"], ["contacts", "show", "--help"],
    ["contacts", "show", "Ada", "-h"], ["contacts", "show", "Ada", "--json", "--json"],
    ["contacts", "show", "Ada", "--json=yes"], ["contacts", "show", "Ada", "--jso"],
    ["contacts", "show", "--", "-Ada"], ["contacts", "show", "-"], ["contacts", "show", "-Ada"],
    ["contacts", "show", "Ada", "--db", "a.db"], ["--tray", "contacts", "show", "Ada"],
    ["--db", "", "contacts", "show", "Ada"], ["--version", "contacts", "show", "Ada"],
    ["--db", "a", "--db", "b", "contacts", "show", "Ada"],
])
def test_every_other_contacts_command_line_is_for_click(monkeypatch, args):
    monkeypatch.delenv("PLANNER_DB", raising=False)
    assert show_arguments(args) is None and quick_command(args) is None


def test_the_database_variable_and_shell_completion_as_click_reads_them(monkeypatch):
    monkeypatch.setenv("PLANNER_DB", "from-env.db")
    assert log_arguments(["log", "Ada", "coffee"]) == LogCommand(None, False, "Ada", "coffee")
    for blank in ("", "  "):  # set to nothing: click refuses it (unless --db is given)
        monkeypatch.setenv("PLANNER_DB", blank)
        assert log_arguments(["log", "Ada", "coffee"]) is None
        assert log_arguments(["--db", "a.db", "log", "Ada", "coffee"]) == LogCommand(
            "a.db", False, "Ada", "coffee")
    monkeypatch.delenv("PLANNER_DB")
    monkeypatch.setenv("_PLANNER_COMPLETE", "bash_complete")
    assert log_arguments(["log", "Ada", "coffee"]) is None
    monkeypatch.delenv("_PLANNER_COMPLETE")
    monkeypatch.setenv("PLANNER_DB", "")
    assert show_arguments(["contacts", "show", "Ada"]) is None
    monkeypatch.delenv("PLANNER_DB")
    monkeypatch.setenv("_PLANNER_COMPLETE", "bash_complete")
    assert show_arguments(["contacts", "show", "Ada"]) is None
    monkeypatch.delenv("_PLANNER_COMPLETE")
    monkeypatch.setattr(quick, "CLICK_EXPANDS_WORDS", True)  # (on Windows)
    assert log_arguments(["log", "Ada*", "coffee"]) is None
    assert show_arguments(["contacts", "show", "Ada*"]) is None


def test_the_quick_path_knows_every_option_of_the_log_command():
    """An option added to ``planner log`` must be taught to planner.cli.quick (or refused
    there, for click): otherwise a command line using it would be run without it."""
    from planner.cli.common import cli

    log = cli.get_command(None, "log")
    assert log is not None
    options = {opt for param in log.params for opt in param.opts if opt.startswith("-")}
    assert options == set(LOG_OPTIONS)  # (and click's --help, which is left to click)
    assert [p.name for p in log.params if not p.opts[0].startswith("-")] == ["contact", "kind"]
    group = {opt for param in cli.params for opt in param.opts + param.secondary_opts}
    assert group == {"--db", "--passphrase-stdin", "--demo", "--tray", "--version",
                     "--self-test"}  # (and click's --help / -h, left to click)


def test_the_quick_path_knows_every_option_of_the_show_command():
    """As for ``log``: an option added to ``planner contacts show`` must be taught to
    planner.cli.quick, or it would be run without it."""
    from planner.cli.common import cli

    contacts = cli.get_command(None, "contacts")
    show = contacts.get_command(None, "show")
    assert {opt for param in show.params for opt in param.opts if opt.startswith("-")} == set(
        SHOW_OPTIONS)
    assert [p.name for p in show.params if not p.opts[0].startswith("-")] == ["contact"]
    assert not contacts.params  # the group itself takes no option but click's --help


# -- both ways, compared -----------------------------------------------------------------

PEOPLE = (("Ada Lovelace", "--email", "ada@example.org"), ("Grace Hopper",),
          ("Grace Kelly",), ("Linus",))


@pytest.fixture
def people_file(tmp_path):
    db = tmp_path / "people.db"
    for person in PEOPLE:
        ok(invoke("contacts", "add", *person, db=db))
    return db


def _touchpoints(db) -> list[tuple]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT id, contact_id, kind, minutes, note, author, version, source, "
                            "at = created_at FROM touchpoint ORDER BY id").fetchall()
    finally:
        conn.close()


def _at(db) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT at FROM touchpoint ORDER BY id")]
    finally:
        conn.close()


def _recording(run, calls: list):
    def recorded(*args, **kwargs):
        calls.append(args)
        return run(*args, **kwargs)

    return recorded


def _both_ways(monkeypatch, tmp_path, source, args, *, env=None, input=None, name_db=True):
    """Run ``planner ARGS`` on a copy of ``source`` without click, then on another copy
    through click; what each wrote and said, and the files."""
    results = []
    for way in ("quick", "click"):
        db = tmp_path / f"{way}.db"
        shutil.copyfile(source, db)
        ran = []
        with monkeypatch.context() as m:
            for key, value in (env or {}).items():
                m.setenv(key, value.replace("DB", str(db)))
            if way == "click":
                m.setattr(quick, "quick_command", lambda args: None)
            else:
                m.setattr(quick, "run_quick", _recording(quick.run_quick, ran))
            result = invoke(*[a.replace("DB", str(db)) for a in args], input=input,
                            db=db if name_db else None)
        if way == "quick":
            assert ran, "the quick path was not taken"
        results.append((result, db))
    return results


def _same(quick_run, click_run, *, timed_now: bool, read=_touchpoints):
    """Both ways said the same (the time of now aside) and left the same rows (``read``;
    None: the same bytes)."""
    (q, q_db), (c, c_db) = quick_run, click_run
    now = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
    clock = (lambda text: now.sub("<now>", text)) if timed_now else (lambda text: text)
    assert (q.returncode, clock(q.stdout), q.stderr.replace(str(q_db), "DB")) == (
        c.returncode, clock(c.stdout), c.stderr.replace(str(c_db), "DB"))
    if read is None:
        assert q_db.read_bytes() == c_db.read_bytes()
        return q
    assert read(q_db) == read(c_db)
    if not timed_now:
        assert _at(q_db) == _at(c_db)
    return q


@pytest.mark.parametrize(("args", "timed_now"), [
    (("log", "ada", "coffee"), True),
    (("log", "Ada Lovelace", "zoom", "--note", "the *engine*", "--minutes", "45"), True),
    (("log", "#4", "beer", "--at", "2026-11-16T10:00", "--minutes=0", "--note="), False),
    (("log", "4", "in-person", "--at=3 days ago"), True),  # (3 days before now)
    (("log", "linus", "Call"), True),
    (("log", "grace", "coffee"), True),  # two people: which one
    (("log", "nobody", "coffee"), True),
    (("log", "#99", "coffee"), True),
    (("log", "ada", "carrier pigeon"), True),
    (("log", "ada", "coffee", "--at", "next monday"), True),  # not in the future
    (("log", "ada", "coffee", "--at", "the day after never"), True),
    (("log", "ada", "coffee", "--note", "a\x00b"), True),
    (("log", "  ", "coffee"), True),
])
def test_a_log_says_and_writes_the_same_as_through_click(monkeypatch, tmp_path, people_file,
                                                        args, timed_now):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    quick_run, click_run = _both_ways(monkeypatch, tmp_path, people_file, args)
    _same(quick_run, click_run, timed_now=timed_now)


@pytest.mark.parametrize("args", [
    ("contacts", "show", "ada"),
    ("contacts", "show", "--json", "Ada Lovelace"),
    ("contacts", "show", "#2", "--json"),
    ("contacts", "show", "4"),
    ("contacts", "show", "grace"),  # two people: which one
    ("contacts", "show", "nobody"),
    ("contacts", "show", "#99"),
    ("contacts", "show", "  "),
])
def test_a_show_says_the_same_as_through_click(monkeypatch, tmp_path, people_file, args):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    shown = _same(*_both_ways(monkeypatch, tmp_path, people_file, args), timed_now=False)
    if args[-1] == "ada":
        assert shown.stdout.startswith("Name:         Ada Lovelace\nId:")
        assert "Email:        ada@example.org\n" in shown.stdout
    if "--json" in args:
        assert json.loads(shown.stdout)["name"] in ("Ada Lovelace", "Grace Hopper")


def test_the_database_from_the_variable_or_missing_is_said_the_same(monkeypatch, tmp_path,
                                                                   people_file):
    done = _same(*_both_ways(monkeypatch, tmp_path, people_file, ("log", "ada", "im"),
                             env={"PLANNER_DB": "DB"}, name_db=False), timed_now=True)
    assert done.stdout.startswith("Logged im with Ada Lovelace at ")
    missing = _same(*_both_ways(monkeypatch, tmp_path, people_file,
                                ("--db", f"{tmp_path}/no/such/folder.db", "log", "ada", "im"),
                                name_db=False), timed_now=True)
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    not_ours = tmp_path / "notes.txt"
    not_ours.write_text("not a database\n")
    refused = _same(*_both_ways(monkeypatch, tmp_path, not_ours, ("log", "ada", "im"),
                                name_db=True), timed_now=True, read=None)
    assert refused.returncode == 1 and "left untouched" in refused.stderr


def test_an_encrypted_file_opened_with_the_passphrase_on_standard_input(monkeypatch, tmp_path,
                                                                       people_file):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    recovery = "-".join(RECOVERY.findall(ok(invoke("db", "encrypt", db=people_file))))

    def read(db):  # the touchpoints, through the command line (the file is encrypted)
        out = ok(invoke("--passphrase-stdin", "timeline", "--json", db=db, input=recovery))
        return [(e["contact"], e["kind"]) for e in json.loads(out)]

    done = _same(*_both_ways(monkeypatch, tmp_path, people_file,
                             ("--passphrase-stdin", "log", "ada", "sms"), input=recovery + "\n"),
                 timed_now=True, read=read)
    assert done.returncode == 0 and done.stdout.startswith("Logged sms with Ada Lovelace")
    wrong = _same(*_both_ways(monkeypatch, tmp_path, people_file,
                              ("--passphrase-stdin", "log", "ada", "sms"), input="guess\n"),
                  timed_now=True, read=None)
    assert wrong.returncode == 1
    without = _same(*_both_ways(monkeypatch, tmp_path, people_file, ("log", "ada", "sms")),
                    timed_now=True, read=None)
    assert without.returncode == 1 and "--passphrase-stdin" in without.stderr
    shown = _same(*_both_ways(monkeypatch, tmp_path, people_file,
                              ("--passphrase-stdin", "contacts", "show", "ada"),
                              input=recovery + "\n"), timed_now=True, read=read)
    assert shown.returncode == 0 and shown.stdout.startswith("Name:         Ada Lovelace")


def test_a_line_click_would_change_is_written_by_click(monkeypatch, capsys):
    """``echo`` writes the line itself only where click.echo would write it unchanged."""
    import io

    import click

    said = []
    monkeypatch.setattr(click, "echo", lambda line: said.append(line))
    quick.echo("Logged coffee with Ada")
    assert capsys.readouterr().out == "Logged coffee with Ada\n" and said == []
    quick.echo("Logged coffee with \x1b[1mAda\x1b[0m")  # click strips it (not a terminal)
    ascii_out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    monkeypatch.setattr("sys.stdout", ascii_out)  # click writes UTF-8 instead
    quick.echo("Logged coffee with Ada")
    assert said == ["Logged coffee with \x1b[1mAda\x1b[0m", "Logged coffee with Ada"]
