"""Hostile input: emoji, right-to-left text, combining marks, NUL and control characters,
1 MB notes, dates far away; random arguments to every command; random, truncated and
mixed-encoding files to the importers; hostile data through every export.

What is accepted is stored exactly (NFC and trimmed outer spaces allowed); what is
refused is a PlannerError (one line and exit 1 from the command line); nothing
ever ends in a traceback or a damaged row.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import unicodedata
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.cli import main
from planner.domain.errors import InvalidInput
from planner.storage.database import open_database
from tests.helpers.stores import bound

HOSTILE = [
    "Zoë 🙂👩🏽‍💻", "مرحبا بالعالم", "שלום \u202eevil\u202c", "e\u0301\u0301\u0323", "Z̷̢̛a̶l̸g̵o",
    "\x00", "nul\x00inside", "bell\x07", "tab\there", "line\nbreak", "cr\rlf", "\u2028sep",
    "=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2", "@SUM(A1)", "\t=cmd",
    "<script>alert(1)</script>",
    "&amp; &lt;", "\"quoted\", comma; semi", "\\back\\slash", "a" * 300, " padded ", "",
    "\ufeffbom", "\U0010ffff", "ﷺ", "🏳️‍🌈", "0", "-1", "99999999999999999999", "1e308",
    "0001-01-01", "9999-12-31T23:59:59", "-0001-01-01", "2026-W99", "yesterday 25:61",
]

text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.lists(st.sampled_from(HOSTILE), max_size=4).map("".join),
)

FIGURES = {"services": 0, "cli": 0, "import": 0}


def expected(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def expected_name(value: str) -> str:
    """A one-line field keeps a tab as a space (it broke the people list's columns)."""
    return expected(value).replace("\t", " ")


def db_is_sound(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # every stored text decodes (no half characters, no surrogates)
        for (name,) in conn.execute("SELECT name FROM contact"):
            name.encode("utf-8")
    finally:
        conn.close()


# ------------------------------------------------------------------ services

@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=text, note=text)
def test_names_and_notes_are_stored_exactly_or_refused(opened, name, note):
    from planner.services import contacts, touchpoints

    FIGURES["services"] += 1
    try:
        person = contacts.add_contact(opened.backend, name)
    except InvalidInput as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert contacts.get_contact(person.id).name == expected_name(name)
        try:
            saved = touchpoints.add_note(opened.backend, person.id, note)
        except InvalidInput as exc:
            assert str(exc)
        else:
            assert touchpoints.get_note(saved.id).text == expected(note)
        try:
            logged = touchpoints.log_touchpoint(opened.backend, person.id, "call", note=note)
        except InvalidInput:
            pass
        else:
            assert touchpoints.get_touchpoint(logged.id).note == expected(note)


def test_a_one_megabyte_note_is_kept_whole_and_a_huge_one_refused(opened):
    from planner.domain.contact import MAX_TEXT
    from planner.services import contacts, touchpoints

    person = contacts.add_contact(opened.backend, "Big Note")
    body = ("Ünïcödé 🙂 مرحبا e\u0301 " * 50_000)[:1_000_000]
    body = unicodedata.normalize("NFC", body).strip()
    note = touchpoints.add_note(opened.backend, person.id, body)
    assert touchpoints.get_note(note.id).text == body
    with pytest.raises(InvalidInput):
        touchpoints.add_note(opened.backend, person.id, "x" * (MAX_TEXT + 1))
    assert body in [e.text for e in touchpoints.timeline(person.id)]


@pytest.mark.parametrize("moment", [
    datetime(1, 1, 2, tzinfo=UTC), datetime(1900, 1, 1, tzinfo=UTC),
    datetime(2999, 12, 31, tzinfo=UTC), datetime(9999, 12, 30, 23, 59, tzinfo=UTC),
])
def test_far_dates_are_kept_or_refused(opened, moment):
    from planner.services import contacts, touchpoints

    person = contacts.add_contact(opened.backend, "Time Traveller")
    try:
        logged = touchpoints.log_touchpoint(opened.backend, person.id, "call", at=moment,
                                            note="when?")
    except InvalidInput:
        return
    assert touchpoints.get_touchpoint(logged.id).at == moment
    note = touchpoints.add_note(opened.backend, person.id, "far", at=moment)
    assert touchpoints.get_note(note.id).at == moment
    touchpoints.timeline(person.id)  # reading them back works too


# ------------------------------------------------------------- command line

def _commands():
    import planner.cli as cli_module
    from planner.cli.common import cli

    cli_module._register()
    skip = {("db", "encrypt"), ("db", "decrypt"), ("db", "change-key"), ("demo",)}
    found = []

    def walk(group, prefix):
        for name, command in sorted(group.commands.items()):
            path = (*prefix, name)
            if hasattr(command, "commands"):
                walk(command, path)
            elif path not in skip:
                options = [o for p in command.params for o in getattr(p, "opts", [])
                           if o.startswith("-") and o not in ("-h", "--help")]
                found.append((path, options))

    walk(cli, ())
    return found


COMMANDS = _commands()
TOKENS = [*HOSTILE, "Ada", "#1", "1", "2", "call", "coffee", "inner", "outer", "none",
          "--json", "now", "2026-W47", "10", "-", "--", "csv", "json", "md"]


@pytest.fixture(scope="module")
def cli_database(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-cli")
    db = folder / "planner.db"
    assert main(["--db", str(db), "contacts", "add", "Ada"]) == 0
    assert main(["--db", str(db), "contacts", "move", "Ada", "inner"]) == 0
    assert main(["--db", str(db), "log", "Ada", "call", "--note", "first"]) == 0
    return db


def crashed(err: str) -> bool:
    """A traceback, or the command line's "unexpected error" line: each starts a line of
    its own. (Not the words anywhere: Hypothesis also draws this file's own strings as
    arguments, and a usage error quotes them back — "Got unexpected extra argument
    (unexpected error)".)"""
    return any(line.startswith(("Traceback (most recent call last)",
                                "planner: unexpected error"))
               for line in err.splitlines())


@pytest.mark.parametrize("command,options", COMMANDS, ids=[" ".join(c) for c, _ in COMMANDS])
def test_every_command_survives_random_arguments(cli_database, command, options, capsys,
                                                 monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # an -o/--output argument lands here, not in the repo
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    pool = st.sampled_from(TOKENS + options) if options else st.sampled_from(TOKENS)

    @settings(max_examples=60, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(args=st.lists(st.one_of(pool, text), max_size=6))
    def run(args):
        FIGURES["cli"] += 1
        code = main(["--db", str(cli_database), *command, *args])
        _out, err = capsys.readouterr()
        assert code in (0, 1, 2), (command, args, code)
        assert not crashed(err), (command, args, err)
        if code == 1:
            assert err.startswith("planner: ") and err.count("\n") == 1, (command, args, err)

    run()
    db_is_sound(cli_database)


# ---------------------------------------------------------------- importers

@settings(max_examples=200, deadline=None)
@given(data=st.one_of(
    st.binary(max_size=2000),
    st.sampled_from([b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada",
                     b"\xef\xbb\xbfName,Email\r\n\"unterminated",
                     b"BEGIN:VCARD\nFN:caf\xe9 \xc3\xa9\nEND:VCARD\n", b"\xff\xfe\x00\x00junk",
                     b"First Name,Last Name\n\x00\x00\x00,\xff\n"]),
    st.builds(lambda t, cut: t.encode("utf-8")[:cut], text, st.integers(0, 200)),
))
def test_importers_never_crash_on_random_bytes(data):
    from planner.importers import ParseResult, parse_file

    FIGURES["import"] += 1
    try:
        result = parse_file(data)
    except InvalidInput as exc:
        assert str(exc)
        return
    assert isinstance(result, ParseResult)
    for person in result.contacts:
        person.name.encode("utf-8")  # only whole characters come out


VCARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ümlaut\r\nEMAIL:zoe@example.org\r\nEND:VCARD\r\n"
         "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob\r\nNOTE:a long note that goes on and on\r\n"
         "END:VCARD\r\n").encode()


@pytest.mark.parametrize("how", ["random", "truncated", "mixed", "nul", "utf16-cut"])
def test_a_bad_import_file_is_refused_and_nothing_written(tmp_path, capsys, how):
    db = tmp_path / "planner.db"
    assert main(["--db", str(db), "contacts", "add", "Already Here"]) == 0
    source = tmp_path / "people.vcf"
    source.write_bytes({
        "random": bytes(range(256)) * 8,
        "truncated": VCARD[: len(VCARD) // 2 + 7],
        "mixed": VCARD.replace("Zoë".encode(), "Zo\xeb".encode("latin-1")),
        "nul": VCARD.replace(b"Bob", b"B\x00b"),
        "utf16-cut": VCARD.decode().encode("utf-16")[:-3],
    }[how])
    capsys.readouterr()
    code = main(["--db", str(db), "import", str(source)])
    _out, err = capsys.readouterr()
    assert code in (0, 1), err
    assert "Traceback" not in err and "unexpected" not in err
    conn = sqlite3.connect(db)
    names = [r[0] for r in conn.execute("SELECT name FROM contact ORDER BY id")]
    conn.close()
    if code == 1:
        assert err.startswith("planner: ") and err.count("\n") == 1
        assert names == ["Already Here"]  # all or nothing
    for name in names:
        assert name == expected(name) and "\x00" not in name
    db_is_sound(db)


# ------------------------------------------------------------------ exports

EVIL_NAMES = ["=HYPERLINK(\"http://evil\",\"x\")", "+SUM(1,2)", "-3+4", "@cmd", "\t=1+1",
              "<script>alert('x')</script>", "Zoë & \"Ümlaut\" <b>", "مرحبا 🙂 e\u0301",
              "comma, semi; colon: back\\slash", "L" + "o" * 150 + "ng"]
EVIL_NOTE = ("=1+1\n<img src=x onerror=alert(1)>\r\nline, with; commas: and \\ "
             + "🙂" * 60 + " end")


@pytest.fixture
def evil(tmp_path):
    from planner.domain.rings import Ring
    from planner.services import contacts, touchpoints

    db = tmp_path / "planner.db"
    opened = open_database(str(db))
    rings = [Ring.INNER] * 3 + [Ring.MIDDLE] * 7
    for name, ring in zip(EVIL_NAMES, rings, strict=True):
        person = contacts.add_contact(bound(), name, ring=ring, email="x@example.org")
        touchpoints.log_touchpoint(bound(), person.id, "call", at=datetime(2020, 1, 1, tzinfo=UTC),
                                   note=EVIL_NOTE)
    yield db
    opened.close()


def export(db: Path, *args: str, capsys) -> str:
    capsys.readouterr()
    assert main(["--db", str(db), *args]) == 0
    return capsys.readouterr().out


FORMULA = ("=", "+", "-", "@", "\t", "\r")


def test_csv_exports_neutralise_formulas(evil, capsys):
    for args in (["focus", "--format", "csv"], ["export", "--format", "csv"]):
        text_out = export(evil, *args, capsys=capsys)
        cells = [c for row in csv.reader(io.StringIO(text_out)) for c in row]
        assert cells
        assert not [c for c in cells if c.startswith(FORMULA)], args
        for name in EVIL_NAMES[:5]:
            assert any(c in (expected(name), "'" + expected(name)) for c in cells), (args, name)


def test_html_export_escapes_everything(evil, capsys):
    page = export(evil, "focus", "--format", "html", capsys=capsys)
    assert "<script>" not in page and "<img" not in page and "<b>" not in page

    class Texts(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.text = [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

        def handle_data(self, data):
            self.text.append(data)

    parser = Texts()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags
    shown = "".join(parser.text)
    for name in EVIL_NAMES:
        assert unicodedata.normalize("NFC", name).strip() in shown


def test_ics_export_is_folded_escaped_and_parses(evil, capsys):
    from icalendar import Calendar

    for extra in ([], ["--events"]):
        ics = export(evil, "focus", "--format", "ics", *extra, capsys=capsys)
        for line in ics.replace("\r\n", "\n").split("\n"):
            assert len(line.encode("utf-8")) <= 75, line
        calendar = Calendar.from_ical(ics)
        summaries = " ".join(str(c.get("SUMMARY")) for c in calendar.walk()
                             if c.get("SUMMARY") is not None)
        for name in EVIL_NAMES:
            assert unicodedata.normalize("NFC", name).strip() in summaries


def test_json_exports_are_valid_and_exact(evil, capsys):
    focus = json.loads(export(evil, "focus", "--format", "json", capsys=capsys))
    assert focus
    full = json.loads(export(evil, "export", "--format", "json", capsys=capsys))
    dumped = json.dumps(full, ensure_ascii=False)
    for name in EVIL_NAMES:
        assert json.dumps(expected(name), ensure_ascii=False)[1:-1] in dumped
    assert json.dumps(expected(EVIL_NOTE), ensure_ascii=False)[1:-1] in dumped
