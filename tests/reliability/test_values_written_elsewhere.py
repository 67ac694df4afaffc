"""Values the app never writes, written by someone else, do not stop anyone reading.

A team database's shared rows are also written by teammates (another version, or psql),
and a file by any program. One person with phones that are not JSON, a birthday that is
no date, a stage, kind or ask type this version does not know: every command and the
window go on showing everything, that value read as empty or the default (the log says
so once). They stopped ``contacts list``, ``rings`` and the export with "unexpected
error" for the whole team, and the window's timeline threw on every paint."""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager

import pytest

from planner.domain.rings import Ring
from tests.helpers.cli import invoke
from tests.helpers.stores import bound

pytestmark = pytest.mark.both_engines

#: What the other writer stores (the SQL works on both engines).
ODD_VALUES = (
    "UPDATE contact SET phones = 'not json', handles = '[1, 2]', channels = '{\"a\": 1}', "
    "tags = '5', birthday = '99-99', timezone = 'Mars/Olympus', stage = 'weird' "
    "WHERE name = 'Ada Lovelace'",
    "UPDATE contact SET tags = '[\"ok\", 7]', handles = '{\"x\": [1]}' "
    "WHERE name = 'Grace Hopper'",
    "UPDATE touchpoint SET kind = 'telepathy'",
    "UPDATE ask SET type = 'zzz', status = 'pondering'",
    "UPDATE give SET type = 'yyy'",
    "UPDATE stage_change SET from_stage = 'x', to_stage = 'y'",
)


@contextmanager
def other_writer(db_path):
    """A connection of another program (the file) or of someone else (the team database)."""
    if isinstance(db_path, str):  # a team database's URL
        import psycopg2

        conn = psycopg2.connect(db_path)
    else:
        conn = sqlite3.connect(db_path)
    try:
        yield conn
        conn.commit()
    finally:
        conn.close()


@pytest.fixture
def odd_database(db_path):
    from planner.services import advocacy, contacts, touchpoints
    from planner.storage.database import open_database

    handle = open_database(str(db_path))
    try:
        ada = contacts.add_contact(bound(), "Ada Lovelace", ring=Ring.INNER, tags=["math"],
                                   phones=["+44 20 7946 0000"])
        contacts.add_contact(bound(), "Grace Hopper", ring=Ring.MIDDLE, tags=["navy"])
        touchpoints.log_touchpoint(bound(), ada.id, "coffee", note="engines")
        advocacy.set_stage(bound(), ada.id, "cultivating")
        ask = advocacy.add_ask(bound(), ada.id, "talk", note="a talk")
        advocacy.add_give(bound(), ada.id, "intro", note="an intro", for_ask=ask.id)
    finally:
        handle.close()
    with other_writer(db_path) as conn:
        cur = conn.cursor()
        for statement in ODD_VALUES:
            cur.execute(statement)
    return db_path, ada.id


COMMANDS = (
    ("contacts", "list"),
    ("contacts", "list", "--json"),
    ("contacts", "show", "Ada Lovelace"),
    ("contacts", "show", "Grace Hopper"),
    ("timeline", "Ada Lovelace"),
    ("timeline",),
    ("focus",),
    ("agenda",),
    ("rings",),
    ("stats",),
    ("search", "engines"),
    ("stage", "Ada Lovelace", "advocate"),
)


def test_every_command_reads_on(odd_database, tmp_path):
    db_path, _ada = odd_database
    for args in COMMANDS:
        result = invoke(*args, db=db_path)
        said = result.stdout + result.stderr
        assert result.returncode == 0, (args, said)
        assert "unexpected" not in said and "Traceback" not in said, (args, said)
    shown = invoke("contacts", "show", "Ada Lovelace", db=db_path).stdout
    assert "Ada Lovelace" in shown and "+44" not in shown  # the phones read as none
    listed = json.loads(invoke("contacts", "list", "--json", db=db_path).stdout)
    grace = next(p for p in listed if p["name"] == "Grace Hopper")
    assert grace["tags"] == []  # a list with a number in it is not a list of tags
    for kind in ("json", "csv", "vcard"):
        out = tmp_path / f"out.{kind}"
        result = invoke("export", "--format", kind, "-o", str(out), db=db_path)
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 0


def test_the_window_shows_the_person_their_timeline_and_ledger(odd_database, qtbot):
    """pytest-qt fails the test on an exception in any Qt virtual (paint, sizeHint,
    rowCount): the person is selected, their timeline and ledger drawn, every tab shown."""
    from PySide6.QtWidgets import QTabWidget

    from tests.gui.helpers import open_window

    db_path, ada = odd_database
    window = open_window(qtbot, db_path)
    window.select(ada)
    qtbot.wait(50)
    for tabs in window.findChildren(QTabWidget):
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            tabs.currentWidget().grab()  # paints it, delegates and all
    window.grab()
    assert window.document.contact(ada).name == "Ada Lovelace"
