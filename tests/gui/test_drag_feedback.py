"""Drag and drop that cannot surprise (issue 20): every move, swap and unplace says what it
did with an Undo beside it, a full ring shows it while you drag, a swap that takes someone
off the rings says so, and the list's drag image is node-shaped."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from planner.domain.rings import Ring
from tests.gui.helpers import (
    _drag_event,
    band_point,
    drag_node,
    drop_from_list,
    dump_rings,
    list_mime,
    move_pointer,
    open_window,
    placements,
    populate,
    quick_animations,
    view_point,
    wait_settled,
)

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(autouse=True)
def _quick_glides(monkeypatch):
    quick_animations(monkeypatch)


@pytest.fixture
def full_inner(db_path):
    return populate(db_path, inner=3, middle=6, outer=4, unplaced=2)


def click_undo(window) -> None:
    button = window.toast.undo_button
    assert button.isVisible()
    QTest.mouseClick(button, LEFT)


def test_a_move_says_so_and_its_undo_button_undoes_it(qtbot, db_path, full_inner):
    window = open_window(qtbot, db_path)
    mover = full_inner["Outer 2"]
    before = dump_rings(db_path)
    drag_node(window, mover, band_point(Ring.MIDDLE, 45))
    wait_settled(qtbot, window)
    assert placements(db_path)[mover][0] == "middle"
    toast = window.toast
    assert toast.isVisible() and toast.text() == "Moved Outer 2 to the middle ring"
    click_undo(window)
    wait_settled(qtbot, window)
    assert dump_rings(db_path) == before
    # the toast now says it was undone, with nothing more to click
    assert toast.text() == "Undone: Move Outer 2 to middle"
    assert not toast.undo_button.isVisible()


def test_an_unplace_says_so_with_undo(qtbot, db_path, full_inner):
    window = open_window(qtbot, db_path)
    mover = full_inner["Middle 1"]
    drag_node(window, mover, band_point(None, 200))
    wait_settled(qtbot, window)
    assert mover not in placements(db_path)
    assert window.toast.text() == "Took Middle 1 off the rings"
    click_undo(window)
    wait_settled(qtbot, window)
    assert placements(db_path)[mover][0] == "middle"


def test_a_swap_from_the_list_says_who_left_the_rings(qtbot, db_path, full_inner):
    window = open_window(qtbot, db_path)
    newcomer, other = full_inner["Network 1"], full_inner["Inner 3"]
    before = dump_rings(db_path)
    pos = window.scene.nodes[other].pos()
    assert drop_from_list(window, newcomer, (pos.x(), pos.y()))
    wait_settled(qtbot, window)
    assert other not in placements(db_path)
    assert window.toast.text() == ("Network 1 took Inner 3's place; "
                                   "Inner 3 is off the rings now")
    click_undo(window)
    wait_settled(qtbot, window)
    assert dump_rings(db_path) == before


def test_a_drop_beside_people_on_a_full_ring_is_refused_in_one_line(
        qtbot, db_path, full_inner):
    window = open_window(qtbot, db_path)
    before = dump_rings(db_path)
    assert not drop_from_list(window, full_inner["Network 2"], (-20, 50))
    assert dump_rings(db_path) == before
    assert window.toast.text() == "The inner ring is full (3/3) — drop onto someone to swap"
    assert not window.toast.undo_button.isVisible()
    # a keyboard promotion into it: one line too, no list of names
    window.select(full_inner["Middle 1"])
    QTest.keyClick(window.view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage().startswith("The inner ring is full (3/3)")
    assert "Inner 1" not in window.statusBar().currentMessage()


def _drag_over(window, contact_id: int, point: tuple[float, float]) -> None:
    """Drag a person from the list and hold them over ``point`` (enter, then move)."""
    viewport = window.view.viewport()
    pos = QPointF(view_point(window.view, *point))
    mime = list_mime(window, contact_id)  # kept: the events only point to it
    for cls in (QDragEnterEvent, QDragMoveEvent):
        QApplication.sendEvent(viewport, _drag_event(cls, pos, mime))


def test_dragging_over_a_full_ring_shows_it_and_names_the_swap(qtbot, db_path, full_inner):
    window = open_window(qtbot, db_path)
    newcomer = full_inner["Network 1"]
    inner = window.scene.rings[Ring.INNER]
    _drag_over(window, newcomer, (-20, 50))  # the inner disc, on nobody
    assert inner.highlighted and inner.refusing
    assert window.toast.text() == "The inner ring is full (3/3) — drop onto someone to swap"
    pos = window.scene.nodes[full_inner["Inner 2"]].pos()
    _drag_over(window, newcomer, (pos.x(), pos.y()))
    assert inner.highlighted and not inner.refusing
    assert window.toast.text() == "Swap with Inner 2"
    _drag_over(window, newcomer, band_point(Ring.OUTER, 30))  # room there: nothing to say
    assert not inner.highlighted and window.scene.rings[Ring.OUTER].highlighted
    assert not window.scene.rings[Ring.OUTER].refusing
    # and what was said over the inner ring is withdrawn: no stale "Swap with Inner 2"
    assert not window.toast.isVisible()


def test_dragging_a_node_over_a_full_ring_shows_it(qtbot, db_path, full_inner):
    window = open_window(qtbot, db_path)
    view = window.view
    viewport = view.viewport()
    node = window.scene.nodes[full_inner["Middle 2"]]
    start = view.mapFromScene(node.pos())
    move_pointer(viewport, start)
    QTest.mousePress(viewport, LEFT, Qt.KeyboardModifier.NoModifier, start)
    end = view_point(view, 5, 30)
    for k in range(1, 9):
        QTest.mouseMove(viewport, start + (end - start) * (k / 8))
    assert window.scene.rings[Ring.INNER].refusing
    QTest.mouseRelease(viewport, LEFT, Qt.KeyboardModifier.NoModifier, end)
    assert not window.scene.rings[Ring.INNER].highlighted
    wait_settled(qtbot, window)


def test_the_list_drags_a_node_shaped_image(qtbot, db_path, full_inner):
    window = open_window(qtbot, db_path)
    table = window.contact_list.view
    image = table.drag_pixmap(full_inner["Network 1"]).toImage()
    assert image.width() == image.height()  # a round node, not a table row
    assert image.width() <= 64
    corner = image.pixelColor(1, 1)
    centre = image.pixelColor(image.width() // 2, image.height() // 2 + image.height() // 4)
    assert corner.alpha() == 0 and centre.alpha() == 255


def test_dragging_a_placed_person_off_the_rings_says_so(qtbot, db_path, full_inner):
    """A drop outside the rings takes the person off them; nothing said so while
    dragging. An unplaced person dragged there is said nothing (nothing would change)."""
    from planner.ui.rings.geometry import RADIUS

    window = open_window(qtbot, db_path)
    outside = (RADIUS[Ring.OUTER] * 1.4, 0.0)
    _drag_over(window, full_inner["Middle 1"], outside)
    assert window.toast.text() == "Release to take Middle 1 off the rings"
    _drag_over(window, full_inner["Middle 1"], band_point(Ring.OUTER, 30))
    assert not window.toast.isVisible()  # withdrawn over a ring with room
    _drag_over(window, full_inner["Network 1"], outside)
    assert not window.toast.isVisible()
