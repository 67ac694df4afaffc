"""What cannot be used now says why, where a person looks: a disabled button's tooltip
("Select a source to remove it"), a disabled menu item's status-bar tip (with nobody
selected, the Person and Log menus say how to select someone)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QToolTip

from planner.ui.common.disabled_reason import SELECT_SOMEONE
from tests.gui.helpers import move_pointer, open_window, populate
from tests.gui.test_capture_sources_gui import ics, open_sources

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def window(qtbot, db_path):
    populate(db_path, inner=2, extra={"Ada Lovelace": (None, {"email": "ada@example.org"})})
    return open_window(qtbot, db_path)


def tooltip_over(qtbot, widget) -> str:
    """Rest the pointer on ``widget`` until its tooltip shows; what it says."""
    QToolTip.hideText()
    move_pointer(widget, QPoint(3, 3))
    move_pointer(widget, widget.rect().center())
    qtbot.waitUntil(QToolTip.isVisible, timeout=3000)
    return QToolTip.text()


def status_over_item(qtbot, window, menu_name: str, action) -> str:
    """Open the menu ``menu_name`` (as its place in the menu bar does) and rest the
    pointer on ``action``'s item: what the status bar says then; the menu closes again."""
    bar = window.menuBar()
    menu = window.menus[menu_name]
    corner = bar.actionGeometry(menu.menuAction()).bottomLeft()
    menu.popup(bar.mapToGlobal(corner))
    qtbot.waitUntil(menu.isVisible)
    window.statusBar().clearMessage()
    rect = menu.actionGeometry(action)
    move_pointer(menu, rect.center() + QPoint(0, 1))
    move_pointer(menu, rect.center())
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() != "", timeout=2000)
    message = window.statusBar().currentMessage()
    menu.close()
    qtbot.waitUntil(lambda: not menu.isVisible())
    return message


def test_remove_source_says_to_select_one(qtbot, window, tmp_path, monkeypatch):
    (tmp_path / "a.ics").write_text(ics("a@test", 2, "ada@example.org"))
    dialog = open_sources(qtbot, window)
    monkeypatch.setattr(dialog, "ask", lambda what: str(tmp_path / "a.ics"))
    qtbot.mouseClick(dialog.add_file, LEFT)
    qtbot.waitUntil(lambda: dialog.job is None)
    row = dialog.view.topLevelItem(0)
    point = dialog.view.visualItemRect(row).center()
    if dialog.view.selectedItems():  # (a new source is selected: unselect it)
        qtbot.mouseClick(dialog.view.viewport(), LEFT, Qt.KeyboardModifier.ControlModifier,
                         point)
    assert not dialog.remove_button.isEnabled()
    assert tooltip_over(qtbot, dialog.remove_button) == "Select a source to remove it"
    assert dialog.auto_accept.toolTip().startswith("Select a source")

    qtbot.mouseClick(dialog.view.viewport(), LEFT, pos=point)
    assert dialog.remove_button.isEnabled()
    assert dialog.remove_button.toolTip() == ""  # (its name says what it does)
    assert dialog.auto_accept.toolTip().startswith("Accept what this source finds")


def test_person_and_log_items_say_to_select_someone(qtbot, window):
    actions = window.window_actions
    window.select(None)
    assert not actions.edit_contact.isEnabled()
    assert status_over_item(qtbot, window, "person", actions.edit_contact) == SELECT_SOMEONE
    coffee = actions.log_kind["coffee"]
    assert status_over_item(qtbot, window, "log", coffee) == SELECT_SOMEONE

    window.select(window.document.contacts()[0].id)
    assert status_over_item(qtbot, window, "person", actions.edit_contact) == \
        "Edit the selected person"
    assert status_over_item(qtbot, window, "log", coffee).startswith("Log ")


def test_undo_says_there_is_nothing_to_undo(qtbot, window):
    undo = window.window_actions.undo
    assert not undo.isEnabled()
    assert status_over_item(qtbot, window, "edit", undo) == "Nothing to undo"
