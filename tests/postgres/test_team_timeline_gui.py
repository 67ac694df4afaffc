"""The window on a team database, as alice: who logged each touchpoint and wrote each
note, her last touch beside the team's, and sharing one of her notes from the timeline.

Bob's history is written before the window opens, logged in as bob (his own role).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from planner.services import contacts
from planner.services import touchpoints as svc
from planner.ui.timeline.timeline_model import Role
from tests.gui.helpers import open_window
from tests.gui.history_helpers import entry_row, find_entry, person_last_touch
from tests.helpers.stores import bound
from tests.postgres.conftest import logged_in


@pytest.fixture(scope="module")
def team(pg_initialised):
    return pg_initialised, *pg_initialised.planner_users("alice", "bob")


def days_ago(days: int, hour: int = 10) -> datetime:
    day = datetime.now().astimezone() - timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def history(team):
    """Ada: alice's coffee 3 days ago and her private note; bob's IM yesterday and his
    shared note. Grace: nobody's touch yet."""
    from tests.postgres.conftest import empty_tables

    pg, alice, bob = team
    empty_tables(pg)
    ids = {}
    with logged_in(pg, alice):
        ada = contacts.add_contact(bound(), "Ada Lovelace").id
        grace = contacts.add_contact(bound(), "Grace Hopper").id
        ids["coffee"] = svc.log_touchpoint(bound(), ada, "coffee", at=days_ago(3), minutes=30,
                                           note="analytical engine").id
        ids["alice_note"] = svc.add_note(bound(), ada, "Thinking of *nominating* her",
                                         at=days_ago(2)).id
    with logged_in(pg, bob):
        ids["im"] = svc.log_touchpoint(bound(), ada, "im", at=days_ago(1),
                                       note="asked about looms").id
        ids["bob_note"] = svc.add_note(bound(), ada, "Wants to teach a course", at=days_ago(1, 12),
                                       shared=True).id
    return pg, alice, bob, ada, grace, ids


@pytest.fixture
def window(qtbot, history):
    pg, alice, *_ = history
    window = open_window(qtbot, pg.url(alice), watch=True)  # as the app runs (live updates)
    yield window
    window.document.session.stop_watching()


def bylines(model) -> dict[str, str]:
    return {model.index(r).data(Role.ENTRY_ID): model.index(r).data(Role.BYLINE)
            for r in range(model.rowCount()) if not model.index(r).data(Role.IS_HEADER)}


def test_the_timelines_say_who_logged_what_and_which_notes_are_private(window, history):
    _, alice, bob, ada, _, ids = history
    assert window.person.timeline_model.user == alice
    window.select(ada)
    person = window.person.timeline_model
    expected = {
        f"touchpoint:{ids['coffee']}": "by you",
        f"note:{ids['alice_note']}": "by you · private",
        f"touchpoint:{ids['im']}": f"by {bob}",
        f"note:{ids['bob_note']}": f"by {bob} · shared",
    }
    for model in (person, window.activity.model):
        shown = bylines(model)
        assert {k: shown[k] for k in expected} == expected
        assert not any(v for k, v in shown.items() if k.startswith(("created", "move")))
    im_row = entry_row(person, f"touchpoint:{ids['im']}")
    assert person.index(im_row).data().splitlines()[0].endswith(f"· IM · by {bob}")
    everyone = window.activity.model
    im_line = everyone.index(entry_row(everyone, f"touchpoint:{ids['im']}")).data()
    assert im_line.splitlines()[0].endswith(f"IM — Ada Lovelace · by {bob}")

    window.resize(1400, 1300)
    for view, name in ((window.person.timeline, "timeline-person"),
                       (window.activity.timeline, "timeline-everyone")):
        if view is window.activity.timeline:
            window.show_page(window.activity)  # All activity is a page of its own
        assert view.isVisible()
        image = view.grab()
        assert not image.isNull()
        image.save(f"/tmp/team-{name}.png")
    # everyone's timeline at a readable size, drawn by the same delegate
    from planner.ui.timeline.timeline_view import TimelineView

    big = TimelineView(everyone, with_contact=True)
    big.resize(620, 560)
    big.show()
    big.grab().save("/tmp/team-timeline.png")
    big.close()
    window.grab().save("/tmp/team-window.png")


def test_the_person_panel_shows_your_last_touch_and_the_teams(window, history):
    _, _, bob, ada, grace, _ = history
    window.resize(1400, 1300)
    window.select(ada)
    assert person_last_touch(window) == f"You: 3 days ago · coffee\nTeam: yesterday · IM by {bob}"
    window.person.grab().save("/tmp/team-person-panel.png")
    window.select(grace)
    assert person_last_touch(window) == "You: —\nTeam: —"
    # alice logs a call now: hers is the team's newest too
    from planner.document.log_commands import LogTouchpointCommand

    assert window.document.push(LogTouchpointCommand(window.document, ada, "call", None,
                                                     None, ""))
    window.select(ada)
    assert person_last_touch(window) == "You: today · call\nTeam: same"
    window.document.undo()
    assert person_last_touch(window) == f"You: 3 days ago · coffee\nTeam: yesterday · IM by {bob}"


def open_menu(qtbot, view, row: int) -> QMenu:
    rect = view.visualRect(view.model().index(row))
    assert rect.isValid()
    pos = rect.center()
    QApplication.sendEvent(
        view.viewport(),
        QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, view.viewport().mapToGlobal(pos)),
    )
    menus = [m for m in view.findChildren(QMenu) if m.isVisible()]
    assert len(menus) == 1
    return menus[0]


def note_state(pg, note_id: int) -> tuple:
    return pg.sql("SELECT shared, version FROM note WHERE id = %s", (note_id,))[0]


def test_sharing_a_note_from_the_timeline_is_one_undo_step(qtbot, window, history):
    pg, _, _, ada, _, ids = history
    window.select(ada)
    view, model = window.person.timeline, window.person.timeline_model
    note_id = f"note:{ids['alice_note']}"
    menu = open_menu(qtbot, view, entry_row(model, note_id))
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert set(actions) == {"Edit…", "Delete", "Share with the team"}
    actions["Share with the team"].trigger()
    menu.close()
    assert note_state(pg, ids["alice_note"]) == (True, 2)
    assert bylines(model)[note_id] == "by you · shared"
    assert window.document.undo_stack.undoText() == "Share note"
    window.person.grab().save("/tmp/team-person-shared.png")

    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert note_state(pg, ids["alice_note"]) == (False, 3)
    assert bylines(model)[note_id] == "by you · private"

    menu = open_menu(qtbot, view, entry_row(model, note_id))  # and back again: "Make private"
    assert "Share with the team" in [a.text() for a in menu.actions()]
    menu.close()
    window.document.redo()
    menu = open_menu(qtbot, view, entry_row(model, note_id))
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert "Make private" in actions
    actions["Make private"].trigger()
    menu.close()
    assert note_state(pg, ids["alice_note"]) == (False, 5)


def test_no_share_entry_on_a_teammates_note_or_a_touchpoint(qtbot, window, history):
    _, _, _, ada, _, ids = history
    window.select(ada)
    view, model = window.person.timeline, window.person.timeline_model
    menu = open_menu(qtbot, view, entry_row(model, f"note:{ids['bob_note']}"))
    enabled = {a.text(): a.isEnabled() for a in menu.actions() if a.text()}
    assert enabled == {"Edit…": False, "Delete": False}  # bob's note: only bob changes it
    menu.close()
    menu = open_menu(qtbot, view, entry_row(model, f"touchpoint:{ids['im']}"))
    enabled = {a.text(): a.isEnabled() for a in menu.actions() if a.text()}
    assert enabled == {"Edit…": True, "Delete": True}  # touchpoints are the team's
    menu.close()


def test_sharing_a_note_someone_changed_meanwhile_is_refused(qtbot, window, history):
    pg, _, _, ada, _, ids = history
    window.select(ada)
    view, model = window.person.timeline, window.person.timeline_model
    note_id = f"note:{ids['alice_note']}"
    # alice's other laptop edits the note after this window read it
    pg.sql("UPDATE note SET text = 'edited elsewhere', version = version + 1 WHERE id = %s",
           (ids["alice_note"],))
    messages = []
    window.document.message.connect(messages.append)
    menu = open_menu(qtbot, view, entry_row(model, note_id))
    next(a for a in menu.actions() if a.text() == "Share with the team").trigger()
    menu.close()
    assert note_state(pg, ids["alice_note"]) == (False, 2)
    assert any("this note about Ada Lovelace was changed by someone else meanwhile" in m
               for m in messages), messages
    assert not window.document.undo_stack.canUndo()
    qtbot.waitUntil(lambda: find_entry(model, note_id) is not None
                    and find_entry(model, note_id).text == "edited elsewhere", timeout=3000)


def test_a_database_file_shows_no_bylines(qtbot, tmp_path):
    from tests.gui.history_helpers import database

    db_path = tmp_path / "planner.db"  # (this folder's db_path is a team database)
    with database(db_path):
        ada = contacts.add_contact(bound(), "Ada Lovelace").id
        svc.log_touchpoint(bound(), ada, "coffee")
        svc.add_note(bound(), ada, "a note")
    window = open_window(qtbot, db_path)
    window.select(ada)
    model = window.person.timeline_model
    assert model.user == "" and set(bylines(model).values()) == {""}
    assert "You:" not in person_last_touch(window) and "(Coffee)" in person_last_touch(window)
    row = entry_row(model, next(k for k in bylines(model) if k.startswith("note")))
    menu = open_menu(qtbot, window.person.timeline, row)
    assert {a.text() for a in menu.actions()} == {"Edit…", "Delete"}
    menu.close()

