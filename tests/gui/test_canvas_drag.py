"""Dragging people on the rings with the mouse, dropping them from the list, and undo.

Every test drives the real window the way a person would and then checks both
the database on disk (through a separate connection) and the canvas.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from planner.domain.rings import Ring
from planner.services import contacts as contact_svc
from planner.ui.rings.geometry import RADIUS, slot
from tests.gui.helpers import (
    band_point,
    drag_node,
    drag_on_viewport,
    drop_from_list,
    dump_rings,
    near,
    open_window,
    placements,
    polar,
    quick_animations,
    ring_order,
    send_drop,
    view_point,
    wait_settled,
)


@pytest.fixture(autouse=True)
def _quick_glides(monkeypatch):
    quick_animations(monkeypatch)


def assert_in_slot(window, contact_id: int, ring: Ring) -> None:
    """The node sits on ``ring`` in the slot of its stored position."""
    node = window.scene.nodes[contact_id]
    members = [c.id for c in window.document.ring_members(ring)]
    assert node.ring is ring
    x, y = slot(ring, members.index(contact_id), len(members))
    assert near(node.pos(), QPointF(x, y))


def assert_scene_matches_disk(window, path) -> None:
    """Every stored placement has its node in its slot, and nothing else is drawn."""
    places = placements(path)
    assert set(window.scene.nodes) == set(places)
    for ring in Ring:
        order = ring_order(path, ring)
        assert [c.id for c in window.document.ring_members(ring)] == order
        for cid in order:
            assert_in_slot(window, cid, ring)
        count, cap = window.document.fill()[ring]
        assert window.scene.rings[ring].label == f"{ring.label} {count}/{cap}"


@pytest.fixture
def people(db_path):
    from tests.gui.helpers import populate

    return populate(db_path, inner=2, middle=5, outer=8, unplaced=3)


@pytest.fixture
def full_inner(db_path):
    from tests.gui.helpers import populate

    return populate(db_path, inner=3, middle=6, outer=4, unplaced=2)


# -- moving between rings ------------------------------------------------------------------
def test_drag_from_outer_to_middle_band_moves_and_saves(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    mover = people["Outer 3"]
    old_outer = ring_order(db_path, Ring.OUTER)

    # Five people sit on the middle ring at 0°, 72°, 144°…; 100° falls after the second.
    drag_node(window, mover, band_point(Ring.MIDDLE, 100), steps=12)
    wait_settled(qtbot, window)

    assert placements(db_path)[mover] == ("middle", 2)
    middle = ring_order(db_path, Ring.MIDDLE)
    assert len(middle) == 6 and middle[2] == mover
    assert ring_order(db_path, Ring.OUTER) == [c for c in old_outer if c != mover]
    moves = dump_rings(db_path)["ring_move"]
    assert [(m[1], m[3], m[4]) for m in moves if m[1] == mover][-1] == (mover, "outer", "middle")
    assert_in_slot(window, mover, Ring.MIDDLE)
    assert_scene_matches_disk(window, db_path)
    assert window.scene.rings[Ring.MIDDLE].label == "Middle 6/12"
    assert window.scene.rings[Ring.OUTER].label == "Outer 7/72"
    assert window.document.undo_stack.count() == 1
    assert window.document.undo_stack.undoText() == "Move Outer 3 to middle"


def test_drag_inwards_to_the_inner_disc(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    mover = people["Middle 4"]
    drag_node(window, mover, (12, 30))  # near the centre: the inner ring owns the whole disc
    wait_settled(qtbot, window)
    assert placements(db_path)[mover][0] == "inner"
    assert_in_slot(window, mover, Ring.INNER)
    assert_scene_matches_disk(window, db_path)


def test_reorder_within_a_ring(qtbot, db_path, full_inner):
    window = open_window(qtbot, db_path)
    ids = [full_inner[f"Middle {n}"] for n in range(1, 7)]
    assert ring_order(db_path, Ring.MIDDLE) == ids
    rings_before = {cid: p[0] for cid, p in placements(db_path).items()}
    moves_before = dump_rings(db_path)["ring_move"]

    # Six people 60° apart, Middle 1 at the top. Drop it on its own ring line near the
    # bottom (Middle 4's slot, 180°): it takes that slot and Middle 2–4 close up behind.
    drag_node(window, ids[0], polar(RADIUS[Ring.MIDDLE] + 6, 170))
    wait_settled(qtbot, window)

    assert ring_order(db_path, Ring.MIDDLE) == [ids[1], ids[2], ids[3], ids[0], ids[4], ids[5]]
    assert {cid: p[0] for cid, p in placements(db_path).items()} == rings_before
    assert dump_rings(db_path)["ring_move"] == moves_before  # a reorder is not a ring move
    assert window.document.undo_stack.undoText() == "Reorder Middle 1"
    assert_scene_matches_disk(window, db_path)


@pytest.mark.parametrize(
    ("pixels", "scene"),
    [((1, 0), None), ((4, 2), None), (None, (0, 60))],
    ids=["tiny-nudge", "wobble", "same-slot"],
)
def test_drag_back_to_its_own_place_changes_nothing(qtbot, db_path, people, pixels, scene):
    window = open_window(qtbot, db_path)
    before = dump_rings(db_path)
    node = window.scene.nodes[people["Middle 1"]]  # at the top of the middle ring
    home = QPointF(node.pos())
    start = window.view.mapFromScene(home)
    if pixels:  # a nudge of a pixel or a few: too small to mean anything
        end = start + QPoint(*pixels)
    else:  # a real drag, dropped inside the band next to its own slot
        end = view_point(window.view, home.x() + scene[0], home.y() + scene[1])
    drag_on_viewport(window.view, start, end, steps=4)
    assert not near(node.pos(), home)  # the node did follow the pointer
    wait_settled(qtbot, window)
    assert near(node.pos(), home) and near(node.slot_pos, home)
    assert dump_rings(db_path) == before
    assert window.document.undo_stack.count() == 0


def test_a_small_drag_outward_keeps_an_outer_person_on_the_ring(qtbot, db_path, people):
    """About 12 px outward, the pointer still on the node's own circle, took an outer-ring
    person off the rings: the ring's area ended at its line, where its people sit."""
    window = open_window(qtbot, db_path)
    before = dump_rings(db_path)
    node = window.scene.nodes[people["Outer 2"]]
    home = QPointF(node.pos())
    # beyond the node's own circle (14), as a hand lets go: still the outer ring
    outward = home * ((RADIUS[Ring.OUTER] + 20) / RADIUS[Ring.OUTER])
    drag_on_viewport(window.view, window.view.mapFromScene(home),
                     view_point(window.view, outward.x(), outward.y()), steps=6)
    wait_settled(qtbot, window)
    assert people["Outer 2"] in placements(db_path)
    assert dump_rings(db_path) == before and window.document.undo_stack.count() == 0


def test_drag_outside_the_outer_ring_unplaces(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    mover = people["Outer 2"]
    drag_node(window, mover, band_point(None, 200))
    wait_settled(qtbot, window)

    assert mover not in placements(db_path)
    assert mover not in window.scene.nodes
    assert all(getattr(i, "contact_id", None) != mover for i in window.scene.items())
    assert contact_svc.get_contact(mover).ring is None
    assert window.scene.rings[Ring.OUTER].label == "Outer 7/72"
    assert window.document.undo_stack.undoText() == "Unplace Outer 2"

    panel = window.contact_list
    panel.unplaced_only.setChecked(True)
    shown = [panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())]
    assert "Outer 2" in shown
    assert sorted(shown) == sorted(["Outer 2", "Network 1", "Network 2", "Network 3"])
    row = panel.model.row_of(mover)
    assert panel.model.index(row, 1).data() == "—"


def test_swap_onto_a_person_on_a_full_ring(qtbot, db_path, full_inner):
    window = open_window(qtbot, db_path)
    mover, other = full_inner["Middle 2"], full_inner["Inner 2"]
    assert placements(db_path)[mover] == ("middle", 1)
    assert placements(db_path)[other] == ("inner", 1)

    target = window.scene.nodes[other].pos()
    drag_node(window, mover, (target.x() + 4, target.y() - 3))
    wait_settled(qtbot, window)

    # The mover takes the other's place; the other takes the mover's old place.
    assert placements(db_path)[mover] == ("inner", 1)
    assert placements(db_path)[other] == ("middle", 1)
    moves = {(m[1], m[3], m[4]) for m in dump_rings(db_path)["ring_move"]}
    assert {(mover, "middle", "inner"), (other, "inner", "middle")} <= moves
    assert window.document.undo_stack.count() == 1
    assert window.document.undo_stack.undoText() == "Swap Middle 2 and Inner 2"
    assert_in_slot(window, mover, Ring.INNER)
    assert_in_slot(window, other, Ring.MIDDLE)
    assert_scene_matches_disk(window, db_path)


def test_full_ring_refuses_a_drop_beside_people(qtbot, db_path, full_inner):
    window = open_window(qtbot, db_path)
    mover = full_inner["Outer 1"]
    node = window.scene.nodes[mover]
    home = QPointF(node.pos())
    before = dump_rings(db_path)

    drag_node(window, mover, (0, 55))  # the inner disc, on nobody
    assert not near(node.pos(), home)  # it was really dragged away…
    wait_settled(qtbot, window)  # …and glides back
    assert near(node.pos(), home) and near(node.slot_pos, home)

    assert dump_rings(db_path) == before
    assert window.document.undo_stack.count() == 0
    toast = window.toast
    assert toast.isVisible()
    assert "inner ring is full" in toast.text()
    # one short line, not everyone's name (issue 20)
    assert toast.text() == "The inner ring is full (3/3) — drop onto someone to swap"
    assert toast.geometry().intersects(window.view.viewport().rect())
    assert "inner ring is full" in window.statusBar().currentMessage()
    assert window.isActiveWindow()  # not a modal box: the window keeps working
    drag_node(window, full_inner["Outer 2"], band_point(Ring.MIDDLE, 45))
    wait_settled(qtbot, window)
    assert placements(db_path)[full_inner["Outer 2"]][0] == "middle"


def test_a_drag_is_one_undo_step(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    mover = people["Outer 5"]
    drag_node(window, mover, band_point(Ring.MIDDLE, 300), steps=60)
    wait_settled(qtbot, window)
    assert placements(db_path)[mover][0] == "middle"
    assert window.document.undo_stack.count() == 1
    assert len([m for m in dump_rings(db_path)["ring_move"] if m[1] == mover]) == 2  # add+move


def test_click_without_moving_selects_and_keeps_the_data(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    cid = people["Inner 2"]
    before = dump_rings(db_path)
    point = window.view.mapFromScene(window.scene.nodes[cid].pos())
    QTest.mouseClick(
        window.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
    )
    assert window.scene.selected_id() == cid
    assert window.person.contact_id == cid
    assert "Inner 2" in window.person.title.text()
    assert dump_rings(db_path) == before
    assert window.document.undo_stack.count() == 0


# -- dropping from the contact list ----------------------------------------------------------
def test_a_drop_from_the_list_on_a_ring_line_goes_to_that_ring(qtbot, db_path, people):
    """On the middle ring's own line, where its people sit, it went to the outer ring."""
    window = open_window(qtbot, db_path)
    cid = people["Network 3"]
    assert drop_from_list(window, cid, polar(RADIUS[Ring.MIDDLE] + 8, 36))  # between people
    wait_settled(qtbot, window)
    assert placements(db_path)[cid][0] == "middle"


def test_drop_from_the_list_places_on_that_ring(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    cid = people["Network 2"]
    assert drop_from_list(window, cid, band_point(Ring.MIDDLE, 200))
    wait_settled(qtbot, window)

    assert placements(db_path)[cid][0] == "middle"
    assert cid in window.scene.nodes
    assert_in_slot(window, cid, Ring.MIDDLE)
    assert window.scene.selected_id() == cid
    assert window.document.undo_stack.undoText() == "Move Network 2 to middle"
    model = window.contact_list.model
    assert model.index(model.row_of(cid), 1).data() == "Middle"
    assert not any(r.highlighted for r in window.scene.rings.values())


def test_drop_from_the_list_outside_the_rings_does_nothing(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    before = dump_rings(db_path)
    assert not drop_from_list(window, people["Network 1"], band_point(None, 90))
    assert dump_rings(db_path) == before


def test_drag_over_highlights_the_ring_under_the_pointer(qtbot, db_path, people):
    from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent
    from PySide6.QtWidgets import QApplication

    from tests.gui.helpers import _drag_event, list_mime

    window = open_window(qtbot, db_path)
    mime = list_mime(window, people["Network 1"])
    pos = QPointF(view_point(window.view, *band_point(Ring.OUTER, 10)))
    viewport = window.view.viewport()
    for cls in (QDragEnterEvent, QDragMoveEvent):
        QApplication.sendEvent(viewport, _drag_event(cls, pos, mime))
    assert [r for r, item in window.scene.rings.items() if item.highlighted] == [Ring.OUTER]
    # Over the outer half of an inner person the drop would go to them: inner lights up.
    inner = window.scene.nodes[people["Inner 1"]].pos()
    over = QPointF(view_point(window.view, inner.x() + 3, inner.y() - 12))
    QApplication.sendEvent(viewport, _drag_event(QDragMoveEvent, over, mime))
    assert [r for r, item in window.scene.rings.items() if item.highlighted] == [Ring.INNER]
    # The pointer leaves without dropping (this also ends Qt's drag, so no target dangles).
    QApplication.sendEvent(viewport, QDragLeaveEvent())
    assert not any(item.highlighted for item in window.scene.rings.values())


def test_foreign_drops_are_ignored(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    before = dump_rings(db_path)
    mime = QMimeData()
    mime.setText(str(people["Network 1"]))
    assert not send_drop(window.view.viewport(), mime, view_point(window.view, 0, 40))
    assert dump_rings(db_path) == before


def test_drop_from_the_list_onto_a_full_ring_is_refused(qtbot, db_path, full_inner):
    window = open_window(qtbot, db_path)
    before = dump_rings(db_path)
    assert not drop_from_list(window, full_inner["Network 1"], (-20, 50))
    assert dump_rings(db_path) == before
    assert full_inner["Network 1"] not in window.scene.nodes
    assert window.toast.isVisible() and "inner ring is full" in window.toast.text()
    assert window.document.undo_stack.count() == 0


def test_drop_from_the_list_onto_a_person_on_a_full_ring_swaps(qtbot, db_path, full_inner):
    window = open_window(qtbot, db_path)
    newcomer, other = full_inner["Network 1"], full_inner["Inner 3"]
    pos = window.scene.nodes[other].pos()
    assert drop_from_list(window, newcomer, (pos.x(), pos.y()))
    wait_settled(qtbot, window)

    assert placements(db_path)[newcomer] == ("inner", 2)
    assert other not in placements(db_path)  # the newcomer's old place: off the rings
    assert other not in window.scene.nodes
    assert_in_slot(window, newcomer, Ring.INNER)
    assert_scene_matches_disk(window, db_path)


# -- undo and redo ---------------------------------------------------------------------------
def test_undo_and_redo_restore_the_database_exactly(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    stack = window.document.undo_stack
    mover = people["Outer 6"]
    before = dump_rings(db_path)
    drag_node(window, mover, band_point(Ring.INNER, 90))
    wait_settled(qtbot, window)
    after = dump_rings(db_path)
    assert after != before and placements(db_path)[mover][0] == "inner"

    stack.undo()
    wait_settled(qtbot, window)
    assert dump_rings(db_path) == before
    assert_in_slot(window, mover, Ring.OUTER)
    assert_scene_matches_disk(window, db_path)

    stack.redo()
    wait_settled(qtbot, window)
    assert dump_rings(db_path) == after
    assert_in_slot(window, mover, Ring.INNER)
    assert_scene_matches_disk(window, db_path)


def test_undo_of_a_swap_and_an_unplace(qtbot, db_path, full_inner):
    window = open_window(qtbot, db_path)
    stack = window.document.undo_stack
    start = dump_rings(db_path)
    other = window.scene.nodes[full_inner["Inner 1"]].pos()
    drag_node(window, full_inner["Outer 4"], (other.x(), other.y()))
    wait_settled(qtbot, window)
    swapped = dump_rings(db_path)
    drag_node(window, full_inner["Middle 5"], band_point(None, 120))
    wait_settled(qtbot, window)
    assert stack.count() == 2

    stack.undo()
    wait_settled(qtbot, window)
    assert dump_rings(db_path) == swapped
    assert full_inner["Middle 5"] in window.scene.nodes
    stack.undo()
    wait_settled(qtbot, window)
    assert dump_rings(db_path) == start
    assert_scene_matches_disk(window, db_path)


def test_undo_redo_from_the_edit_menu_and_shortcuts(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    mover = people["Middle 3"]
    before = dump_rings(db_path)
    drag_node(window, mover, band_point(Ring.OUTER, 250))
    wait_settled(qtbot, window)
    after = dump_rings(db_path)

    edit = window.menus["edit"]
    undo, redo = window.window_actions.undo, window.window_actions.redo
    assert undo in edit.actions() and redo in edit.actions()
    assert undo.isEnabled() and not redo.isEnabled()
    assert "Move Middle 3 to outer" in undo.text()
    undo.trigger()
    wait_settled(qtbot, window)
    assert dump_rings(db_path) == before
    redo.trigger()
    wait_settled(qtbot, window)
    assert dump_rings(db_path) == after

    window.view.setFocus()
    ctrl = Qt.KeyboardModifier.ControlModifier
    QTest.keyClick(window, Qt.Key.Key_Z, ctrl)
    wait_settled(qtbot, window)
    assert dump_rings(db_path) == before
    assert_scene_matches_disk(window, db_path)
    QTest.keyClick(window, Qt.Key.Key_Z, ctrl | Qt.KeyboardModifier.ShiftModifier)
    wait_settled(qtbot, window)
    assert dump_rings(db_path) == after
    assert_scene_matches_disk(window, db_path)
    assert window.document.undo_stack.count() == 1


def test_the_people_shifted_by_a_reorder_glide_there_and_a_pressed_one_stops(
        qtbot, db_path, full_inner, monkeypatch):
    quick_animations(monkeypatch, 1500)  # slow enough to catch them on the way, under load
    window = open_window(qtbot, db_path)
    ids = [full_inner[f"Middle {n}"] for n in range(1, 7)]
    nodes = window.scene.nodes
    before = {cid: QPointF(nodes[cid].pos()) for cid in ids}
    drag_node(window, ids[0], polar(RADIUS[Ring.MIDDLE] + 6, 170))
    shifted = ids[1:4]  # Middle 2-4 close up behind
    assert all(nodes[cid].is_animating() for cid in shifted)
    assert not any(nodes[cid].is_animating() for cid in ids[4:])  # not moved at all
    qtbot.wait(150)
    on_the_way = nodes[ids[2]]
    here = QPointF(on_the_way.pos())
    assert not near(here, before[ids[2]]) and not near(here, on_the_way.slot_pos)

    # the pointer takes a gliding node: it stops where it is, and goes home when let go
    view = window.view
    point = view_point(view, here.x(), here.y())
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     point)
    assert not on_the_way.is_animating()
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier, point)
    wait_settled(qtbot, window, timeout=6000)
    assert_scene_matches_disk(window, db_path)


def test_the_outer_ring_keeps_its_names_hidden_after_someone_leaves(qtbot, db_path, people):
    """After an outer-ring person left, all 70-odd outer names were drawn for good: the
    ring came through the signal as "outer", which is not Ring.OUTER."""
    window = open_window(qtbot, db_path)
    assert not window.scene._names_shown  # the fitted zoom: names on hover only

    def named_outer() -> list[str]:
        return [n.name for n in window.scene.nodes.values() if n.ring is Ring.OUTER
                and n._label is not None and n._label.isVisible()]

    assert named_outer() == []
    assert window.document.editing.move(people["Outer 2"], None)
    assert named_outer() == []
    assert window.document.undo()
    assert named_outer() == []
    middle = [n for n in window.scene.nodes.values() if n.ring is Ring.MIDDLE]
    assert middle and all(n._label is not None and n._label.isVisible() for n in middle)
