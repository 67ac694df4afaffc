"""A drag a person takes back: Esc, a second button, letting go outside the canvas, and
a window that may not change anything. Each leaves the database as it was and sends the
node gliding back to its slot, with nothing left lit up or said."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from planner.domain.rings import Ring
from tests.gui.helpers import (
    band_point,
    dump_rings,
    move_pointer,
    near,
    open_window,
    populate,
    quick_animations,
    view_point,
    wait_settled,
)

LEFT, RIGHT = Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton
PLAIN = Qt.KeyboardModifier.NoModifier


@pytest.fixture(autouse=True)
def _quick_glides(monkeypatch):
    quick_animations(monkeypatch)


@pytest.fixture
def people(db_path):
    return populate(db_path, inner=2, middle=5, outer=8, unplaced=3)


def _hold(window, contact_id: int, to: QPoint, steps: int = 8) -> QPoint:
    """Press on the person's node and move (button held) to viewport point ``to``."""
    view = window.view
    viewport = view.viewport()
    start = view.mapFromScene(window.scene.nodes[contact_id].pos())
    move_pointer(viewport, start)
    QTest.mousePress(viewport, LEFT, PLAIN, start)
    for k in range(1, steps + 1):
        QTest.mouseMove(viewport, start + (to - start) * (k / steps))
    return to


def _assert_back_and_unchanged(qtbot, window, db_path, before, contact_id: int) -> None:
    assert dump_rings(db_path) == before
    wait_settled(qtbot, window)
    node = window.scene.nodes[contact_id]
    assert near(node.pos(), node.slot_pos)
    assert window.scene.mouseGrabberItem() is None
    assert not any(ring.highlighted for ring in window.scene.rings.values())
    assert window.document.undo_stack.count() == 0


def test_escape_mid_drag_cancels_and_the_node_glides_back(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    view, mover = window.view, people["Outer 3"]
    before = dump_rings(db_path)
    end = _hold(window, mover, view_point(view, *band_point(None, 40)))
    assert window.toast.text() == "Release to take Outer 3 off the rings"
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert window.scene.mouseGrabberItem() is None  # the pointer no longer carries them
    assert not window.toast.isVisible()  # "Release to take … off the rings" withdrawn
    # the hand goes on moving and lets go where the drop would have unplaced them
    QTest.mouseMove(view.viewport(), end + QPoint(5, 5))
    QTest.mouseRelease(view.viewport(), LEFT, PLAIN, end + QPoint(5, 5))
    _assert_back_and_unchanged(qtbot, window, db_path, before, mover)
    assert window.document.contact(mover).ring is Ring.OUTER


def test_a_second_button_mid_drag_cancels_without_a_menu(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    view, mover = window.view, people["Outer 2"]
    menus = []
    view.context_menu_requested.connect(lambda *args: menus.append(args))
    view.canvas_menu_requested.connect(lambda *args: menus.append(args))
    before = dump_rings(db_path)
    end = _hold(window, mover, view_point(view, *band_point(Ring.MIDDLE, 100)))
    viewport = view.viewport()
    QTest.mousePress(viewport, RIGHT, PLAIN, end)
    # what the window system adds to a right press (X11, macOS): a context menu event
    QApplication.sendEvent(viewport, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, end,
                                                       viewport.mapToGlobal(end)))
    QTest.mouseRelease(viewport, RIGHT, PLAIN, end)
    QTest.mouseMove(viewport, end + QPoint(10, 0))
    QTest.mouseRelease(viewport, LEFT, PLAIN, end + QPoint(10, 0))
    assert menus == []  # no person's menu popping up over a node left mid-way
    _assert_back_and_unchanged(qtbot, window, db_path, before, mover)
    assert window.document.contact(mover).ring is Ring.OUTER


def test_letting_go_outside_the_canvas_cancels(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    view, mover = window.view, people["Middle 2"]
    before = dump_rings(db_path)
    outside = QPoint(-40, view.viewport().height() // 2)  # over the people list
    _hold(window, mover, outside, steps=12)
    assert not window.toast.isVisible()  # no "Release to take … off the rings" out there
    QTest.mouseRelease(view.viewport(), LEFT, PLAIN, outside)
    _assert_back_and_unchanged(qtbot, window, db_path, before, mover)
    assert window.document.contact(mover).ring is Ring.MIDDLE


def test_a_drag_in_a_read_only_window_says_why_it_cannot(qtbot, db_path, monkeypatch):
    full = populate(db_path, inner=3, middle=4, outer=2, unplaced=1)
    window = open_window(qtbot, db_path)
    monkeypatch.setattr(window.document.database, "read_only", True, raising=False)
    view, mover = window.view, full["Middle 1"]
    before = dump_rings(db_path)
    target = window.scene.nodes[full["Inner 2"]].pos()
    end = _hold(window, mover, view_point(view, target.x(), target.y()))
    # no "Swap with Inner 2" offered: it would be refused
    assert window.toast.text().startswith("This window is read-only")
    QTest.mouseRelease(view.viewport(), LEFT, PLAIN, end)
    assert window.toast.text().startswith("This window is read-only")
    _assert_back_and_unchanged(qtbot, window, db_path, before, mover)
