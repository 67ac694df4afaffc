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


# -- a person's menu from the keys (the menu key, Shift+F10) and from the menu bar ------------
MENU_KEYS = [(Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier),
             (Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)]


def snoozes(contact_id: int) -> int:
    from planner.domain.timeline import EntryType
    from planner.services import touchpoints

    return sum(e.type is EntryType.SNOOZE for e in touchpoints.timeline(contact_id))


def walk_to(qtbot, menu, text: str) -> None:
    """Down through the open ``menu`` to the item ``text`` (the keys only)."""
    qtbot.waitUntil(menu.isVisible)
    for _ in range(len(menu.actions()) + 1):
        if menu.activeAction() is not None and menu.activeAction().text().replace(
                "&", "") == text:
            return
        QTest.keyClick(menu, Qt.Key.Key_Down)
    raise AssertionError(f"{text!r} not in {[a.text() for a in menu.actions()]}")


def snooze_from(qtbot, menu, choice: str) -> None:
    """Snooze ▸ ``choice`` in the open ``menu``, with the keys."""
    walk_to(qtbot, menu, "Snooze")
    QTest.keyClick(menu, Qt.Key.Key_Right)
    submenu = menu.activeAction().menu()
    qtbot.waitUntil(submenu.isVisible)
    assert [a.text() for a in submenu.actions()][:3] == [
        "Snooze a day", "Snooze 3 days", "Snooze a week"]
    walk_to(qtbot, submenu, choice)
    QTest.keyClick(submenu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not menu.isVisible())


@pytest.mark.parametrize(("key", "modifiers"), MENU_KEYS, ids=["Menu", "Shift+F10"])
def test_the_menu_key_opens_the_selected_nodes_menu_at_the_node(qtbot, window, key,
                                                                modifiers):
    """With Ruth selected on the rings, the menu key opened the empty canvas's menu (Add
    Person, Import, Fit) at the canvas's corner and Shift+F10 nothing: Snooze could not be
    reached from the keys. Both open her own menu, the one a right-click on her opens,
    below her node."""
    people = ids(window)
    view = window.view
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    QTest.keyClick(view, Qt.Key.Key_Tab)  # the first person on the rings
    QTest.keyClick(view, Qt.Key.Key_Right)  # and the next
    chosen = window.scene.selected_id()
    assert chosen is not None and window.current_id == chosen
    with qtbot.waitSignal(view.context_menu_requested) as asked:
        QTest.keyClick(view, key, modifiers)
    menu = window._context_menu
    qtbot.waitUntil(menu.isVisible)
    contact_id, where = asked.args
    assert contact_id == chosen
    node = window.scene.nodes[chosen]
    at = view.mapFromScene(node.scenePos())
    shown = view.viewport().mapFromGlobal(where)
    assert abs(shown.x() - at.x()) <= 2 and 0 < shown.y() - at.y() <= node.radius * 3, (
        shown, at)
    a = window.window_actions
    assert a.add_contact not in menu.actions() and a.log_kind["coffee"] in menu.actions()
    snooze_from(qtbot, menu, "Snooze 3 days")
    qtbot.waitUntil(lambda: snoozes(chosen) == 1)
    name = next(n for n, i in people.items() if i == chosen)
    assert window.document.undo_stack.undoText() == f"Snooze {name}"


def test_the_menu_key_with_nobody_selected_opens_the_canvas_menu_in_its_middle(qtbot,
                                                                              window):
    view = window.view
    window.select(None)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    with qtbot.waitSignal(view.canvas_menu_requested) as asked:
        QTest.keyClick(view, Qt.Key.Key_Menu)
    menu = window._context_menu
    qtbot.waitUntil(menu.isVisible)
    a = window.window_actions
    assert menu.actions() == [a.add_contact, a.import_file, a.zoom_fit]
    assert view.viewport().mapFromGlobal(asked.args[0]) == view.viewport().rect().center()
    menu.close()


@pytest.mark.parametrize(("key", "modifiers"), MENU_KEYS, ids=["Menu", "Shift+F10"])
def test_the_menu_key_on_a_row_of_the_list_opens_that_persons_menu(qtbot, window, key,
                                                                   modifiers):
    """The people list: its right-click menu from the keys, for the current row, at it."""
    table = window.contact_list.view
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    for _ in range(3):
        QTest.keyClick(table, Qt.Key.Key_Down)
    row = table.currentIndex()
    chosen = table.contact_id_at(row)
    assert chosen is not None and window.current_id == chosen
    with qtbot.waitSignal(window.contact_list.context_menu_requested) as asked:
        QTest.keyClick(table, key, modifiers)
    menu = window._context_menu
    qtbot.waitUntil(menu.isVisible)
    assert asked.args[0] == chosen
    assert table.visualRect(row).contains(table.viewport().mapFromGlobal(asked.args[1]))
    snooze_from(qtbot, menu, "Snooze a day")
    qtbot.waitUntil(lambda: snoozes(chosen) == 1)
    assert window.current_id == chosen


def test_the_person_menu_snoozes_the_selected_person(qtbot, window):
    """Person ▸ Snooze ▸ …: the same choices as a node's menu, from the menu bar."""
    people = ids(window)
    person_menu = window.menus["person"]
    snooze = window.menus["snooze"]
    window.select(None)
    assert not snooze.menuAction().isEnabled()  # nobody to snooze
    window.select(people["Middle 2"])
    assert snooze.menuAction().isEnabled()
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)  # Alt+P: Person
    qtbot.waitUntil(person_menu.isVisible)
    snooze_from(qtbot, person_menu, "Snooze a week")
    qtbot.waitUntil(lambda: snoozes(people["Middle 2"]) == 1)
    assert window.document.undo_stack.undoText() == "Snooze Middle 2"
    # once snoozed, the menu offers to stop it
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(person_menu.isVisible)
    walk_to(qtbot, person_menu, "Snooze")
    QTest.keyClick(person_menu, Qt.Key.Key_Right)
    qtbot.waitUntil(snooze.isVisible)
    assert "Stop snoozing" in [a.text() for a in snooze.actions()]
    QTest.keyClick(snooze, Qt.Key.Key_Escape)
    QTest.keyClick(person_menu, Qt.Key.Key_Escape)


def test_the_menu_key_in_this_week_snoozes_the_current_row(qtbot, window):
    """This week's right-click Snooze menu from the keys, for the current row (a keyboard
    menu event reaches the list's viewport in its coordinates, as a right-click does)."""
    from planner.ui.focus.focus_model import CONTACT_ID_ROLE

    qtbot.waitUntil(lambda: window.reminders is not None)
    window.window_actions.show_focus.trigger()
    view = window.focus.view
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.waitUntil(lambda: view.model().rowCount() >= 3)
    view.setCurrentIndex(view.model().index(1, 0))
    chosen = view.currentIndex().data(CONTACT_ID_ROLE)
    QTest.keyClick(view, Qt.Key.Key_Menu)
    qtbot.waitUntil(lambda: getattr(window.reminders, "menu", None) is not None
                    and window.reminders.menu.isVisible())
    menu = window.reminders.menu
    walk_to(qtbot, menu, "Snooze a day")
    QTest.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: snoozes(chosen) == 1)


def test_every_menu_gives_each_entry_a_key_of_its_own(qtbot, window):
    """Alt+F, then a letter: two entries of one menu with the same underlined letter make
    the letter cycle between them instead of choosing (File → Back Up To… once shared its
    T with Open Team Database…)."""
    from PySide6.QtWidgets import QMenu

    def keys(menu: QMenu) -> list[str]:
        found = []
        for action in menu.actions():
            text = action.text().replace("&&", "")
            if "&" in text:
                found.append(text[text.index("&") + 1].lower())
            if action.menu() is not None:
                assert len(keys(action.menu())) == len(set(keys(action.menu())))
        return found

    for name, menu in window.menus.items():
        letters = keys(menu)
        assert len(letters) == len(set(letters)), (name, [a.text() for a in menu.actions()])
    bar = [a.text() for a in window.menuBar().actions()]
    tops = [t[t.index("&") + 1].lower() for t in bar if "&" in t]
    assert len(tops) == len(set(tops)), bar
