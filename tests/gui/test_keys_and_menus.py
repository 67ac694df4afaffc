"""Keys, menus and dialogs (issue 20): one-key logging only where it is meant, Esc asks
before throwing typed text away, right-click menus on the list and the empty canvas, and a
search box that Esc clears and Down leaves for its results."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.gui.helpers import open_window, populate, read_rows, view_point

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def window(qtbot, db_path):
    populate(db_path, inner=2, middle=3, outer=4, unplaced=2)
    return open_window(qtbot, db_path)


def log_dialog_open(window) -> bool:
    dialog = window.history.dialog
    return dialog is not None and dialog.isVisible()


def right_click(widget, pos: QPoint) -> None:
    """What a right mouse click delivers to a widget: a context menu event."""
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, widget.mapToGlobal(pos))
    QApplication.sendEvent(widget, event)


def ids(window) -> dict[str, int]:
    return {c.name: c.id for c in window.document.contacts()}


def test_one_key_logging_only_from_the_rings_or_the_list(qtbot, window, db_path):
    people = ids(window)
    window.select(people["Inner 1"])
    # This week has the keys: C is not a coffee
    window.window_actions.show_focus.trigger()
    window.focus.view.setFocus()
    qtbot.waitUntil(window.focus.view.hasFocus)
    QTest.keyClick(window.focus.view, Qt.Key.Key_C)
    assert not log_dialog_open(window)
    # the person's timeline and the search box neither (the search gets the letter)
    window.window_actions.show_rings.trigger()
    window.person.timeline.setFocus()
    qtbot.waitUntil(window.person.timeline.hasFocus)
    QTest.keyClick(window.person.timeline, Qt.Key.Key_C)
    assert not log_dialog_open(window)
    QTest.mouseClick(window.contact_list.search, LEFT)
    QTest.keyClick(window.contact_list.search, Qt.Key.Key_C)
    assert window.contact_list.search.text() == "c" and not log_dialog_open(window)
    QTest.keyClick(window.contact_list.search, Qt.Key.Key_Escape)
    # the rings: C opens the log dialog, preset to a coffee, and nothing is written yet
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    window.select(people["Inner 1"])
    QTest.keyClick(window.view, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: log_dialog_open(window))
    assert window.history.dialog.chosen_kind() == "coffee"
    assert read_rows(db_path, "touchpoint") == []
    window.history.dialog.reject()
    # the list too
    window.contact_list.view.setFocus()
    qtbot.waitUntil(window.contact_list.view.hasFocus)
    QTest.keyClick(window.contact_list.view, Qt.Key.Key_I)
    qtbot.waitUntil(lambda: log_dialog_open(window))
    assert window.history.dialog.chosen_kind() == "im"


def test_esc_with_typed_text_asks_before_discarding(qtbot, window, db_path):
    people = ids(window)
    window.select(people["Middle 1"])
    dialog = window.history.log(people["Middle 1"], "coffee")
    qtbot.waitExposed(dialog)
    QTest.keyClicks(dialog.note, "Talked about the migration")
    QTest.keyClick(dialog.note, Qt.Key.Key_Escape)
    box = dialog.discard_question
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert dialog.isVisible()
    QTest.mouseClick(box.keep_button, LEFT)  # keep editing: nothing lost
    qtbot.waitUntil(lambda: not box.isVisible())
    assert dialog.isVisible() and dialog.note.toPlainText() == "Talked about the migration"
    QTest.keyClick(dialog.note, Qt.Key.Key_Escape)
    box = dialog.discard_question
    qtbot.waitUntil(box.isVisible)
    QTest.mouseClick(box.discard_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert read_rows(db_path, "touchpoint") == []
    # nothing typed: Esc just closes
    dialog = window.history.log(people["Middle 1"], "coffee")
    qtbot.waitExposed(dialog)
    QTest.keyClick(dialog.note, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_esc_in_the_add_person_dialog_asks_too(qtbot, window):
    dialog = window.add_contact()
    qtbot.waitExposed(dialog)
    QTest.keyClicks(dialog.name, "Grace")
    QTest.keyClick(dialog.name, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.discard_question is not None
                    and dialog.discard_question.isVisible())
    assert dialog.isVisible()
    QTest.mouseClick(dialog.discard_question.discard_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert "Grace" not in ids(window)


def test_right_click_on_the_list_offers_what_a_node_offers(qtbot, window):
    people = ids(window)
    table = window.contact_list.view
    model, proxy = window.contact_list.model, window.contact_list.proxy
    index = proxy.mapFromSource(model.index(model.row_of(people["Outer 2"]), 0))
    right_click(table.viewport(), table.visualRect(index).center())
    menu = window._context_menu
    qtbot.waitUntil(menu.isVisible)
    assert window.current_id == people["Outer 2"]
    a = window.window_actions
    shown = menu.actions()
    for action in (a.log_kind["coffee"], a.log_note, a.edit_contact, a.promote, a.unplace):
        assert action in shown and action.isEnabled()
    menu.close()


def test_right_click_on_the_empty_canvas(qtbot, window):
    view = window.view
    right_click(view.viewport(), view_point(view, 0, 0))  # the centre: nobody there
    menu = window._context_menu
    qtbot.waitUntil(menu.isVisible)
    a = window.window_actions
    assert menu.actions() == [a.add_contact, a.import_file, a.zoom_fit]
    menu.close()


def test_search_esc_clears_down_enters_the_results_and_the_canvas_highlights(qtbot, window):
    people = ids(window)
    search = window.contact_list.search
    QTest.mouseClick(search, LEFT)
    QTest.keyClicks(search, "middle")
    nodes = window.scene.nodes
    assert nodes[people["Middle 2"]].opacity() == 1.0
    assert nodes[people["Inner 1"]].opacity() < 0.5
    QTest.keyClick(search, Qt.Key.Key_Down)
    table = window.contact_list.view
    qtbot.waitUntil(table.hasFocus)
    assert window.current_id in {people[f"Middle {n}"] for n in (1, 2, 3)}
    QTest.mouseClick(search, LEFT)
    QTest.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == ""
    assert all(node.opacity() == 1.0 for node in nodes.values())


def test_f6_moves_the_keys_from_panel_to_panel(qtbot, window):
    """From the rings, Tab walks from person to person, so no key reached the Person
    panel; F6 and Shift+F6 go round the panels: the people, the page shown, the person."""
    window.select(ids(window)["Middle 1"])
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)

    def press(key, modifier=Qt.KeyboardModifier.NoModifier):
        QTest.keyClick(QApplication.focusWidget(), key, modifier)
        return QApplication.focusWidget()

    def within(pane) -> bool:
        focus = QApplication.focusWidget()
        return focus is pane or pane.isAncestorOf(focus)

    press(Qt.Key.Key_F6)
    assert within(window.person)  # the person's first control
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # and Tab goes on in there
    assert within(window.person)
    assert press(Qt.Key.Key_F6) is window.contact_list.search  # round to the people
    assert press(Qt.Key.Key_F6) is window.view  # and back to the rings
    shift = Qt.KeyboardModifier.ShiftModifier
    assert press(Qt.Key.Key_F6, shift) is window.contact_list.search  # Shift+F6: backwards
    press(Qt.Key.Key_F6, shift)
    assert within(window.person)
    # a hidden panel is passed over; on another page, that page takes the keys
    window.person_dock.hide()
    window.window_actions.show_focus.trigger()
    window.contact_list.search.setFocus()
    press(Qt.Key.Key_F6)
    assert within(window.focus)
    assert press(Qt.Key.Key_F6) is window.contact_list.search
    assert "F6" in [k.toString() for k in window.window_actions.next_pane.shortcuts()]
