"""A coming birthday and snoozing in the person panel and a node's right-click menu
(issue 21): the birthday with its hint, Snooze a day / 3 days / a week and Stop snoozing,
each one undo step, seen in the timeline, and the panel says until when."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, QLocale, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from planner.domain.focus import local_zone
from planner.domain.rings import Ring
from planner.domain.timeline import EntryType
from planner.services import contacts, touchpoints
from planner.storage.database import open_database
from tests.gui.helpers import open_window
from tests.helpers.stores import bound


def _day(day: date) -> str:
    return QLocale().toString(QDate(day.year, day.month, day.day), "ddd d MMM")


@pytest.fixture
def people(db_path) -> dict:
    """Alan, whose 40th... birthday is in two days; Grace, none."""
    today = datetime.now(local_zone()).date()
    soon = today + timedelta(days=2)
    handle = open_database(str(db_path))
    try:
        alan = contacts.add_contact(bound(), "Alan Turing", ring=Ring.INNER,
                                    birthday=f"{soon.year - 40}-{soon.month:02d}-{soon.day:02d}")
        grace = contacts.add_contact(bound(), "Grace Hopper", ring=Ring.MIDDLE)
    finally:
        handle.close()
    return {"alan": alan.id, "grace": grace.id, "today": today, "birthday": soon}


def _choose(qtbot, menu: QMenu, text: str) -> None:
    """Walk the open menu with the arrow keys to ``text`` and press Enter."""
    qtbot.waitUntil(menu.isVisible)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    for _ in range(texts.index(text) + 1):
        QTest.keyClick(menu, Qt.Key.Key_Down)
    assert menu.activeAction().text() == text
    QTest.keyClick(menu, Qt.Key.Key_Return)


def _click_and_choose(qtbot, button, menu: QMenu, text: str) -> list[str]:
    """Click the button (its menu runs its own loop until closed), then choose ``text``
    with the keys; what the menu offered."""
    offered: list[str] = []

    def choose() -> None:
        qtbot.waitUntil(menu.isVisible)
        offered.extend(a.text() for a in menu.actions())
        _choose(qtbot, menu, text)

    QTimer.singleShot(0, choose)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not menu.isVisible())
    return offered


def _snoozes(contact_id: int) -> list:
    return [e for e in touchpoints.timeline(contact_id) if e.type is EntryType.SNOOZE]


def test_the_person_panel_shows_a_coming_birthday_and_snoozes_from_its_button(
        qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    panel = window.person
    window.select(people["alan"])
    qtbot.waitUntil(lambda: panel.contact_id == people["alan"])
    hint = f"Birthday on {people['birthday'].strftime('%A')} — 40"
    assert panel.reminder.isVisible() and panel.reminder.text() == hint
    assert panel.fields["birthday"].text().endswith(f"({hint})")

    button = panel.snooze_button
    assert button.isVisible()
    menu = panel.snooze_menu
    offered = _click_and_choose(qtbot, button, menu, "Snooze a week")
    assert offered == ["Snooze a day", "Snooze 3 days", "Snooze a week"]  # nothing to stop
    back = _day(people["today"] + timedelta(days=7))
    qtbot.waitUntil(lambda: f"Snoozed until {back}" in panel.reminder.text())
    # said as logging says what it did (This week's row just went, without a word)
    assert window.statusBar().currentMessage() == (
        f"Snoozed Alan Turing until {back} (Edit → Undo brings them back)")
    assert window.document.undo_stack.undoText() == "Snooze Alan Turing"
    assert len(_snoozes(people["alan"])) == 1  # in the timeline
    qtbot.waitUntil(lambda: any(
        "snoozed until" in str(panel.timeline_model.index(row).data()).lower()
        for row in range(panel.timeline_model.rowCount())))

    offered = _click_and_choose(qtbot, button, menu, "Stop snoozing")
    assert offered == ["Snooze a day", "Snooze 3 days", "Snooze a week", "", "Stop snoozing"]
    qtbot.waitUntil(lambda: "Snoozed" not in panel.reminder.text())
    assert panel.reminder.text() == hint
    assert window.statusBar().currentMessage() == "Alan Turing is back in This week"

    # each was one undo step
    assert window.document.undo_stack.undoText() == "End Alan Turing's snooze"
    window.document.undo()
    qtbot.waitUntil(lambda: f"Snoozed until {back}" in panel.reminder.text())
    window.document.undo()
    qtbot.waitUntil(lambda: "Snoozed" not in panel.reminder.text())
    assert _snoozes(people["alan"]) == []

    window.select(people["grace"])  # no birthday, not snoozed: no line at all
    qtbot.waitUntil(lambda: panel.contact_id == people["grace"])
    assert not panel.reminder.isVisible()


def test_snooze_from_a_nodes_right_click_menu(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    view = window.view
    node = window.scene.nodes[people["grace"]]
    point = view.mapFromScene(node.scenePos())
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point,
                              view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    menu = window._context_menu
    qtbot.waitUntil(menu.isVisible)
    snooze = next(a for a in menu.actions() if a.menu() is not None and a.text() == "Snooze")
    menu.setActiveAction(snooze)
    QTest.keyClick(menu, Qt.Key.Key_Right)
    submenu = snooze.menu()
    qtbot.waitUntil(submenu.isVisible)
    assert [a.text() for a in submenu.actions()] == [
        "Snooze a day", "Snooze 3 days", "Snooze a week"]
    if submenu.activeAction() is None:
        QTest.keyClick(submenu, Qt.Key.Key_Down)
    assert submenu.activeAction().text() == "Snooze a day"
    QTest.keyClick(submenu, Qt.Key.Key_Return)
    tomorrow = _day(people["today"] + timedelta(days=1))
    qtbot.waitUntil(lambda: f"Snoozed until {tomorrow}" in window.person.reminder.text())
    assert window.document.undo_stack.undoText() == "Snooze Grace Hopper"
    assert len(_snoozes(people["grace"])) == 1
