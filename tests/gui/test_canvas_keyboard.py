"""The canvas without a mouse: select with Tab and arrows, promote, demote, unplace, zoom."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from planner.domain.rings import Ring
from tests.gui.helpers import (
    dump_rings,
    open_window,
    placements,
    populate,
    quick_animations,
    ring_order,
    wait_settled,
)

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def _quick_glides(monkeypatch):
    quick_animations(monkeypatch)


@pytest.fixture
def window(qtbot, db_path):
    populate(db_path, inner=2, middle=3, outer=4, unplaced=1)
    window = open_window(qtbot, db_path)
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    return window


def ids_by_name(window) -> dict[str, int]:
    return {c.name: c.id for c in window.document.contacts()}


def key(window, k, mods=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the keyboard focus is, as a person would type it."""
    QTest.keyClick(QApplication.focusWidget() or window, k, mods)


def shown(window) -> int | None:
    """The person the details panel shows."""
    return window.person.contact_id


def test_tab_walks_the_nodes_and_shows_the_person(window):
    ids = ids_by_name(window)
    key(window, Qt.Key.Key_Tab)
    assert window.scene.selected_id() == ids["Inner 1"]  # inner ring first, from the top
    assert shown(window) == ids["Inner 1"]
    assert "Inner 1" in window.person.title.text()
    assert window.view.hasFocus()
    key(window, Qt.Key.Key_Tab)
    assert window.scene.selected_id() == ids["Inner 2"]
    key(window, Qt.Key.Key_Tab)
    assert shown(window) == ids["Middle 1"]  # then outwards
    key(window, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert shown(window) == ids["Inner 2"]
    # The list follows the canvas.
    assert window.contact_list.selected_id() == ids["Inner 2"]


def test_arrows_step_around_and_wrap(window):
    ids = ids_by_name(window)
    key(window, Qt.Key.Key_Right)
    assert shown(window) == ids["Inner 1"]
    key(window, Qt.Key.Key_Down)
    assert shown(window) == ids["Inner 2"]
    key(window, Qt.Key.Key_Left)
    assert shown(window) == ids["Inner 1"]
    key(window, Qt.Key.Key_Up)  # before the first: wraps to the last node
    assert shown(window) == ids["Outer 4"]
    assert window.scene.nodes[ids["Outer 4"]].isSelected()


def test_ctrl_up_promotes_and_ctrl_down_demotes(qtbot, window, db_path):
    ids = ids_by_name(window)
    window.select(ids["Outer 2"])
    window.view.setFocus()
    key(window, Qt.Key.Key_Up, CTRL)
    wait_settled(qtbot, window)
    assert placements(db_path)[ids["Outer 2"]][0] == "middle"
    assert window.scene.nodes[ids["Outer 2"]].ring is Ring.MIDDLE
    assert shown(window) == ids["Outer 2"]  # still the one selected
    key(window, Qt.Key.Key_Up, CTRL)
    wait_settled(qtbot, window)
    assert placements(db_path)[ids["Outer 2"]][0] == "inner"
    key(window, Qt.Key.Key_Down, CTRL)
    wait_settled(qtbot, window)
    assert placements(db_path)[ids["Outer 2"]][0] == "middle"
    assert window.scene.nodes[ids["Outer 2"]].ring is Ring.MIDDLE
    assert window.document.undo_stack.count() == 3


def test_ctrl_left_and_right_move_the_person_along_their_ring(qtbot, window, db_path):
    """A drag could reorder a ring and the keys could not: Ctrl+Right / Ctrl+Left move the
    selected person one place on / back (one undo step each), and at the ring's end say
    so and change nothing."""
    ids = ids_by_name(window)
    outer = [ids[f"Outer {n}"] for n in range(1, 5)]
    assert ring_order(db_path, Ring.OUTER) == outer
    window.select(ids["Outer 2"])
    window.view.setFocus()
    key(window, Qt.Key.Key_Right, CTRL)
    wait_settled(qtbot, window)
    assert ring_order(db_path, Ring.OUTER) == [outer[0], outer[2], outer[1], outer[3]]
    assert shown(window) == ids["Outer 2"] and window.scene.selected_id() == ids["Outer 2"]
    key(window, Qt.Key.Key_Right, CTRL)
    wait_settled(qtbot, window)
    assert ring_order(db_path, Ring.OUTER) == [outer[0], outer[2], outer[3], outer[1]]
    before = dump_rings(db_path)
    key(window, Qt.Key.Key_Right, CTRL)  # already last
    assert "Outer 2 is already last on the outer ring" in window.statusBar().currentMessage()
    assert dump_rings(db_path) == before
    key(window, Qt.Key.Key_Left, CTRL)
    wait_settled(qtbot, window)
    assert ring_order(db_path, Ring.OUTER) == [outer[0], outer[2], outer[1], outer[3]]
    assert window.document.undo_stack.count() == 3
    key(window, Qt.Key.Key_Z, CTRL)
    key(window, Qt.Key.Key_Z, CTRL)
    key(window, Qt.Key.Key_Z, CTRL)
    wait_settled(qtbot, window)
    assert ring_order(db_path, Ring.OUTER) == outer
    assert [n.contact_id for n in window.scene.ordered_nodes()
            if n.ring is Ring.OUTER] == outer  # the canvas agrees


def test_ctrl_left_in_the_search_box_still_jumps_a_word(qtbot, window):
    panel = window.contact_list
    panel.search.setFocus()
    QTest.keyClicks(panel.search, "ada love")
    key(window, Qt.Key.Key_Left, CTRL)
    assert panel.search.cursorPosition() == 4


def test_promote_into_a_full_ring_offers_whom_to_swap_with(qtbot, window, db_path):
    """A drag swaps by dropping onto someone; Ctrl+Up into a full ring said "drop onto
    someone to swap", which no key could do. It offers the ring's people instead: Enter
    swaps (one undo step), Esc changes nothing."""
    ids = ids_by_name(window)
    window.select(ids["Middle 1"])
    key(window, Qt.Key.Key_Up, CTRL)  # inner: 3 of 3 now
    wait_settled(qtbot, window)
    window.select(ids["Middle 2"])
    window.view.setFocus()
    before = dump_rings(db_path)
    key(window, Qt.Key.Key_Up, CTRL)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    menu = QApplication.activePopupWidget()
    assert menu is window.swap_menu
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["The inner ring is full (3/3): swap Middle 2 with",
                     "Inner 1", "Inner 2", "Middle 1"]
    assert menu.activeAction().text() == "Inner 1"
    QTest.keyClick(menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert dump_rings(db_path) == before and window.document.undo_stack.count() == 1

    key(window, Qt.Key.Key_Up, CTRL)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    menu = QApplication.activePopupWidget()
    QTest.keyClick(menu, Qt.Key.Key_Down)
    assert menu.activeAction().text() == "Inner 2"
    QTest.keyClick(menu, Qt.Key.Key_Return)
    wait_settled(qtbot, window)
    rings = placements(db_path)
    assert rings[ids["Middle 2"]][0] == "inner" and rings[ids["Inner 2"]][0] == "middle"
    assert window.document.undo_stack.count() == 2
    window.document.undo()
    wait_settled(qtbot, window)
    assert dump_rings(db_path) == before

    window.activateWindow()  # (offscreen, the closed popup left no window active)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.select(ids["Inner 1"])
    window.view.setFocus()
    key(window, Qt.Key.Key_Up, CTRL)
    assert dump_rings(db_path) == before
    assert "already on the inner ring" in window.statusBar().currentMessage()
    assert QApplication.activePopupWidget() is None


def test_delete_unplaces(qtbot, window, db_path):
    ids = ids_by_name(window)
    key(window, Qt.Key.Key_Tab)
    key(window, Qt.Key.Key_Tab)
    assert shown(window) == ids["Inner 2"]
    key(window, Qt.Key.Key_Delete)
    wait_settled(qtbot, window)
    assert ids["Inner 2"] not in placements(db_path)
    assert ids["Inner 2"] not in window.scene.nodes
    assert window.scene.rings[Ring.INNER].label == "Inner 1/3"
    assert window.document.undo_stack.undoText() == "Unplace Inner 2"


def test_enter_opens_the_person(window):
    ids = ids_by_name(window)
    key(window, Qt.Key.Key_Tab)
    key(window, Qt.Key.Key_Right)
    key(window, Qt.Key.Key_Return)
    assert shown(window) == ids["Inner 2"]
    focus = QApplication.focusWidget()
    assert focus is window.person or window.person.isAncestorOf(focus)


def test_keys_do_nothing_when_nobody_is_selected(window, db_path):
    before = dump_rings(window.document.database.path)
    window.select(None)
    for k in (Qt.Key.Key_Delete, Qt.Key.Key_Return):
        key(window, k)
    key(window, Qt.Key.Key_Up, CTRL)
    assert dump_rings(db_path) == before
    assert shown(window) is None


def test_zoom_with_keys_and_fit(window):
    view = window.view
    fitted = view.transform().m11()
    key(window, Qt.Key.Key_Equal, CTRL)
    assert view.transform().m11() == pytest.approx(fitted * 1.2)
    key(window, Qt.Key.Key_Equal, CTRL)
    assert view.transform().m11() == pytest.approx(fitted * 1.44)
    key(window, Qt.Key.Key_Minus, CTRL)
    assert view.transform().m11() == pytest.approx(fitted * 1.2)
    key(window, Qt.Key.Key_0, CTRL)
    assert view.transform().m11() == pytest.approx(fitted)
    # "Fit" shows the whole of every ring.
    outer = view.mapFromScene(QPointF(0, 0)), view.mapFromScene(QPointF(400, 400))
    assert view.viewport().rect().contains(outer[1])
    assert view.viewport().rect().contains(view.mapFromScene(QPointF(-400, -400)))


def test_ctrl_wheel_zooms(window):
    view = window.view
    fitted = view.transform().m11()
    centre = QPointF(view.viewport().rect().center())
    event = QWheelEvent(
        centre,
        QPointF(view.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        CTRL,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)
    assert view.transform().m11() == pytest.approx(fitted * 1.2)


def test_rings_fit_the_view_on_resize(qtbot, window):
    view = window.view
    before = view.transform().m11()
    window.resize(window.width() + 300, window.height() + 200)
    qtbot.waitUntil(lambda: view.transform().m11() > before * 1.05)
    viewport = view.viewport().rect()
    for corner in ((-400, -400), (400, 400)):
        assert viewport.contains(view.mapFromScene(QPointF(*corner)))


def test_ctrl_down_on_the_outer_ring_takes_them_off_the_rings(qtbot, window, db_path):
    ids = ids_by_name(window)
    window.select(ids["Outer 1"])
    key(window, Qt.Key.Key_Down, CTRL)
    wait_settled(qtbot, window)
    assert ids["Outer 1"] not in placements(db_path)
    assert ids["Outer 1"] not in window.scene.nodes
    assert shown(window) == ids["Outer 1"]  # still shown, now "Not on a ring"
    assert "Not on a ring" in window.person.subtitle.text()
    key(window, Qt.Key.Key_Up, CTRL)  # and back onto the outer ring
    wait_settled(qtbot, window)
    assert placements(db_path)[ids["Outer 1"]][0] == "outer"


def test_undoing_an_unplace_brings_the_person_back_selected(qtbot, window, db_path):
    """After Delete then Ctrl+Z the person was back on the ring with no selection on
    their node: the list and the panel still showed them, but → went to the first person
    instead of their neighbour."""
    ids = ids_by_name(window)
    key(window, Qt.Key.Key_Tab)
    key(window, Qt.Key.Key_Tab)
    assert shown(window) == ids["Inner 2"]
    key(window, Qt.Key.Key_Delete)
    wait_settled(qtbot, window)
    assert ids["Inner 2"] not in window.scene.nodes
    window.view.setFocus()
    key(window, Qt.Key.Key_Z, CTRL)
    wait_settled(qtbot, window)
    assert ids["Inner 2"] in placements(db_path)
    assert window.scene.selected_id() == ids["Inner 2"]
    assert shown(window) == ids["Inner 2"]
    key(window, Qt.Key.Key_Left)  # to the neighbour, not the first person
    assert window.scene.selected_id() == ids["Inner 1"]
