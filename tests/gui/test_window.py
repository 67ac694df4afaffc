"""The window as a whole: add / edit / remove people, changes from elsewhere, persistence."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from planner.domain.errors import NotFound
from planner.domain.rings import Ring
from planner.services import contacts as contact_svc
from planner.ui.common.window_layout import SIDE_MINIMUM_WIDTH
from tests.gui.helpers import (
    band_point,
    drag_dock_edge,
    drag_node,
    dump_rings,
    open_window,
    placements,
    populate,
    quick_animations,
    wait_settled,
)
from tests.helpers.cli import run_cli

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def _quick_glides(monkeypatch):
    quick_animations(monkeypatch)


def listed(window) -> list[str]:
    model = window.contact_list.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def ok_button(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


# -- add, edit, remove ------------------------------------------------------------------------
def test_add_a_person_with_inline_validation(qtbot, db_path):
    populate(db_path, inner=1, middle=2)
    window = open_window(qtbot, db_path)
    dialog = window.add_contact()
    assert dialog.isVisible() and dialog.isModal()  # open(): the test (and app) keep running
    assert not ok_button(dialog).isEnabled()  # no name yet
    assert dialog.error.text() == ""  # but nothing typed is nothing wrong yet

    QTest.keyClicks(dialog.name, "Priya Raman")
    assert ok_button(dialog).isEnabled()
    assert dialog.error.text() == ""
    QTest.keyClicks(dialog.email, "priya@")
    assert not ok_button(dialog).isEnabled()
    assert "email" in dialog.error.text()
    assert dialog.error.isVisible()
    QTest.keyClicks(dialog.email, "raman.in")
    assert ok_button(dialog).isEnabled() and dialog.error.text() == ""
    QTest.keyClicks(dialog.tags, "mentor, tamil")
    QTest.keyClicks(dialog.birthday, "1990-13-01")
    assert not ok_button(dialog).isEnabled() and dialog.error.text()
    dialog.birthday.clear()
    dialog.ring.setCurrentIndex(dialog.ring.findData(Ring.MIDDLE))

    QTest.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    priya = contact_svc.resolve_contact("Priya Raman")
    assert (priya.email, priya.tags, priya.ring) == (
        "priya@raman.in",
        ("mentor", "tamil"),
        Ring.MIDDLE,
    )
    assert placements(db_path)[priya.id] == ("middle", 2)
    assert "Priya Raman" in listed(window)
    assert priya.id in window.scene.nodes
    assert window.person.contact_id == priya.id
    assert window.scene.rings[Ring.MIDDLE].label == "Middle 3/12"

    window.document.undo_stack.undo()  # adding is undoable too
    with pytest.raises(NotFound):
        contact_svc.get_contact(priya.id)
    assert "Priya Raman" not in listed(window)
    assert priya.id not in window.scene.nodes


def test_cancel_adds_nobody(qtbot, db_path):
    populate(db_path, unplaced=1)
    window = open_window(qtbot, db_path)
    dialog = window.add_contact()
    QTest.keyClicks(dialog.name, "Nobody")
    QTest.keyClick(dialog, Qt.Key.Key_Escape)  # typed text: it asks first (issue 20)
    question = dialog.discard_question
    qtbot.waitUntil(question.isVisible)
    QTest.mouseClick(question.discard_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert listed(window) == ["Network 1"]
    assert window.document.undo_stack.count() == 0


def test_edit_a_person(qtbot, db_path):
    ids = populate(db_path, extra={"Kwame Mensah": (Ring.OUTER, {"email": "kwame@old.gh"})})
    window = open_window(qtbot, db_path)
    kwame = ids["Kwame Mensah"]
    window.select(kwame)
    window.window_actions.edit_contact.trigger()
    dialog = QApplication.activeModalWidget()
    assert dialog is not None and dialog.name.text() == "Kwame Mensah"
    assert not hasattr(dialog, "ring") or not dialog.ring.isVisible()  # moves are on the canvas
    dialog.email.clear()
    QTest.keyClicks(dialog.email, "kwame@new.gh")
    QTest.keyClicks(dialog.organization, "Ashesi")
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    assert not dialog.isVisible()

    fresh = contact_svc.get_contact(kwame)
    assert (fresh.email, fresh.organization, fresh.ring) == ("kwame@new.gh", "Ashesi", Ring.OUTER)
    assert "kwame@new.gh" in window.person.fields["email"].text()
    model = window.contact_list.model
    assert "kwame@new.gh" in model.index(model.row_of(kwame), 0).data(Qt.ItemDataRole.ToolTipRole)
    window.document.undo_stack.undo()
    assert contact_svc.get_contact(kwame).email == "kwame@old.gh"


def test_remove_then_undo_brings_them_back_to_their_ring(qtbot, db_path):
    ids = populate(db_path, inner=3, middle=2)
    window = open_window(qtbot, db_path)
    before = dump_rings(db_path)
    gone = ids["Inner 2"]
    window.select(gone)
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_Backspace, CTRL | Qt.KeyboardModifier.ShiftModifier)
    wait_settled(qtbot, window)

    with pytest.raises(NotFound):
        contact_svc.get_contact(gone)
    assert gone not in placements(db_path)
    assert "Inner 2" not in listed(window)
    assert gone not in window.scene.nodes
    assert window.person.contact_id is None
    assert "Ctrl+Z" in window.statusBar().currentMessage()

    QTest.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    wait_settled(qtbot, window)
    assert dump_rings(db_path) == before
    assert contact_svc.get_contact(gone).ring is Ring.INNER
    assert "Inner 2" in listed(window)
    assert window.scene.nodes[gone].ring is Ring.INNER
    assert [c.id for c in window.document.ring_members(Ring.INNER)] == [
        ids["Inner 1"],
        gone,
        ids["Inner 3"],
    ]


# -- changes made elsewhere -------------------------------------------------------------------
def test_a_cli_change_appears_in_the_open_window(qtbot, db_path):
    ids = populate(db_path, inner=1, outer=3)
    window = open_window(qtbot, db_path, watch=True)
    mover = ids["Outer 2"]
    assert window.scene.nodes[mover].ring is Ring.OUTER
    said: list[str] = []  # (a remark waits while the status bar says something else)
    window.document.note.connect(said.append)

    result = run_cli("contacts", "move", "Outer 2", "inner", db=db_path)
    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(lambda: window.scene.nodes[mover].ring is Ring.INNER, timeout=3000)
    wait_settled(qtbot, window)
    assert window.scene.rings[Ring.INNER].label == "Inner 2/3"
    model = window.contact_list.model
    assert model.index(model.row_of(mover), 1).data() == "Inner"

    result = run_cli("contacts", "add", "Olga Petrova", "--ring", "middle", db=db_path)
    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(lambda: "Olga Petrova" in listed(window), timeout=3000)
    olga = contact_svc.resolve_contact("Olga Petrova").id
    assert window.scene.nodes[olga].ring is Ring.MIDDLE
    assert any("another program" in text for text in said), said


def test_losing_the_undo_history_to_another_programs_change_is_said(qtbot, db_path):
    """Another program's commit clears the undo history (its steps could undo that change):
    a review found an import's Undo gone with no word of why."""
    ids = populate(db_path, inner=1, outer=3)
    window = open_window(qtbot, db_path, watch=True)
    said: list[str] = []
    window.document.note.connect(said.append)
    assert window.document.move(ids["Outer 1"], Ring.MIDDLE)
    assert window.document.undo_stack.canUndo()
    window.toast.show_message("Moved Outer 1 to Middle", undo=window.undo)  # as a drag says
    assert window.toast.undo_button.isVisible()
    with qtbot.waitSignal(window.document.external_change, timeout=5000):
        result = run_cli("log", "Outer 2", "coffee", db=db_path)
        assert result.returncode == 0, result.stderr
    assert said == ["Updated with changes made by another program; what you did before it "
                    "can no longer be undone"]
    assert not window.document.undo_stack.canUndo()
    # a toast's Undo for that step goes too (a review: pressing it did nothing)
    assert not window.toast.undo_button.isVisible()
    with qtbot.waitSignal(window.document.external_change, timeout=5000):
        assert run_cli("log", "Outer 3", "coffee", db=db_path).returncode == 0
    assert said[-1] == "Updated with changes made by another program"  # nothing was lost


def test_a_window_checkpoints_its_log_once_still_and_not_while_busy(qtbot, db_path):
    """SQLite checkpoints the write-ahead log in the commit that takes it past 1,000
    pages: 10-45 ms in the middle of someone's drag or log. The window does it once it
    has been still for a moment after writing, so that commit rarely comes."""
    from planner.document.session import FileWatcher

    ids = populate(db_path, inner=1, outer=3)
    window = open_window(qtbot, db_path, watch=True)
    ran: list[str] = []
    connection = window.document.database.db.connection()
    connection.set_trace_callback(lambda sql: "wal_checkpoint" in sql and ran.append(sql))
    try:
        qtbot.wait(int(FileWatcher.STILL_S * 1000) + 600)
        assert ran == []  # nothing written since it opened
        for n in range(6):  # someone at work: a change every 0.15 s
            ring = Ring.MIDDLE if n % 2 == 0 else Ring.OUTER
            assert window.document.move(ids["Outer 1"], ring)
            qtbot.wait(150)
        assert ran == []
        qtbot.waitUntil(lambda: len(ran) == 1, timeout=3000)
        assert ran == ["PRAGMA wal_checkpoint(PASSIVE)"]
        qtbot.wait(int(FileWatcher.STILL_S * 1000) + 600)
        assert len(ran) == 1  # once: nothing was written since
    finally:
        connection.set_trace_callback(None)


def test_a_file_that_is_no_database_any_more_is_said_once_and_not_polled(qtbot, db_path):
    """Another program put something that is no database where the window's file was
    (the window's next read opens it afresh): one sentence in the status bar, polling
    stops, nothing escapes into the event loop, and the window still shows what it had."""
    import os

    ids = populate(db_path, inner=1)
    window = open_window(qtbot, db_path, watch=True)
    window.document.database.close()  # as after a conversion: the next read reconnects
    impostor = db_path.with_name("impostor")
    impostor.write_bytes(b"not a database at all " * 200)
    os.replace(impostor, db_path)  # no connection of this process holds the file now
    assert window.document.session.catch_up()
    assert "cannot be read any more" in window.statusBar().currentMessage()
    assert not window.document.session.stop_watching()  # it had already stopped
    assert ids["Inner 1"] in window.scene.nodes


def test_own_changes_are_not_mistaken_for_changes_from_elsewhere(qtbot, db_path):
    ids = populate(db_path, outer=3)
    window = open_window(qtbot, db_path, watch=True)
    drag_node(window, ids["Outer 1"], band_point(Ring.MIDDLE, 90))
    wait_settled(qtbot, window)
    assert not window.document.session.catch_up()
    assert window.document.undo_stack.count() == 1  # an external change would clear it


# -- between runs -----------------------------------------------------------------------------
def test_geometry_and_side_panels_are_restored(qtbot, db_path):
    """The side panels are docks since issue 20: their widths and a closed panel come back."""
    populate(db_path, inner=1)
    first = open_window(qtbot, db_path, size=None)
    # Qt fits a restored window onto the screen (offscreen: 800×800) where it can; the
    # window is wider than that at least (it fits 1024×640)
    screen = first.screen().availableGeometry()
    minimum = first.minimumSizeHint()
    size = (minimum.width() + 20, min(screen.height() - 40, minimum.height() + 200))
    first.setGeometry(screen.x() + 4, screen.y() + 6, *size)
    first.person_dock.close()
    qtbot.waitUntil(lambda: first.people_dock.width() > 0)
    dragged = first.people_dock.width() + 30
    drag_dock_edge(qtbot, first, first.people_dock, 30)
    qtbot.waitUntil(lambda: first.people_dock.width() == dragged)
    geometry = first.geometry()
    assert (first.width(), first.height()) == size
    first.close()

    second = open_window(qtbot, db_path, fresh_settings=False, size=None)
    # offscreen's fake frame makes positions vague, and its 800-pixel screen cuts the width
    assert second.height() == geometry.height()
    # the width dragged to, or its share of a narrower window (not below the minimum)
    share = max(SIDE_MINIMUM_WIDTH,
                min(dragged, round(dragged * second.width() / geometry.width())))
    qtbot.waitUntil(lambda: abs(second.people_dock.width() - share) <= 1)
    assert not second.person_dock.isVisible()


def test_a_move_persists_across_reopening(qtbot, db_path):
    ids = populate(db_path, inner=1, middle=2, outer=2)
    first = open_window(qtbot, db_path)
    drag_node(first, ids["Outer 2"], band_point(Ring.INNER, 200))
    wait_settled(qtbot, first)
    first.close()

    second = open_window(qtbot, db_path)
    assert second.scene.nodes[ids["Outer 2"]].ring is Ring.INNER
    assert second.scene.rings[Ring.INNER].label == "Inner 2/3"
    assert second.document.undo_stack.count() == 0


# -- small things -------------------------------------------------------------------------
def test_node_tooltips_start_with_the_name(qtbot, db_path):
    populate(db_path, inner=2, middle=3, extra={"José Álvarez": (Ring.OUTER, {})})
    window = open_window(qtbot, db_path)
    assert len(window.scene.nodes) == 6
    for cid, node in window.scene.nodes.items():
        name = window.document.contact(cid).name
        assert node.toolTip().startswith(name)
        assert f"{node.ring.label} ring" in node.toolTip()


def test_title_status_bar_and_ring_labels(qtbot, db_path):
    populate(db_path, inner=3, middle=5)
    window = open_window(qtbot, db_path)
    assert str(db_path) in window.windowTitle() or db_path.name in window.windowTitle()
    labels = {ring: item.label for ring, item in window.scene.rings.items()}
    assert labels == {Ring.INNER: "Inner 3/3", Ring.MIDDLE: "Middle 5/12", Ring.OUTER: "Outer 0/72"}
    states = {ring: item.state for ring, item in window.scene.rings.items()}
    assert states == {Ring.INNER: "full", Ring.MIDDLE: "partial", Ring.OUTER: "empty"}
    assert "Inner 3/3" in window.fill_label.text()
    assert "Middle 5/12" in window.fill_label.text()


def test_no_two_actions_share_a_shortcut(qtbot, db_path):
    populate(db_path)
    window = open_window(qtbot, db_path)
    keys = Counter(
        key.toString()
        for action in window.findChildren(type(window.window_actions.undo))
        for key in action.shortcuts()
        if not key.isEmpty()
    )
    assert [k for k, n in keys.items() if n > 1] == []


def test_every_person_action_is_in_a_menu(qtbot, db_path):
    populate(db_path)
    window = open_window(qtbot, db_path)

    def walk(menu):
        for action in menu.actions():
            yield action
            if action.menu():
                yield from walk(action.menu())

    in_menus = {a for menu in window.menus.values() for a in walk(menu)}
    a = window.window_actions
    for action in (
        a.add_contact,
        a.edit_contact,
        a.remove_contact,
        a.undo,
        a.redo,
        a.promote,
        a.demote,
        a.unplace,
        a.zoom_in,
        a.zoom_out,
        a.zoom_fit,
        a.unplaced_only,
    ):
        assert action in in_menus, action.text()


def test_undo_says_what_it_undid_and_the_offer_to_undo_goes(qtbot, db_path):
    """The status bar kept "Removed X — Undo (Ctrl+Z) brings them back" after Ctrl+Z
    had brought them back; now it says what was undone, and then redone."""
    ids = populate(db_path, inner=2)
    window = open_window(qtbot, db_path)
    window.select(ids["Inner 1"])
    QTest.keyClick(window, Qt.Key.Key_Backspace,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    bar = window.statusBar()
    qtbot.waitUntil(lambda: bar.currentMessage().startswith("Removed Inner 1"))
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: ids["Inner 1"] in window.scene.nodes)
    assert bar.currentMessage().startswith("Undone: ")
    assert "Inner 1" in bar.currentMessage() and "brings them back" not in bar.currentMessage()
    assert window.toast.text() == bar.currentMessage()
    QTest.keyClick(window, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: ids["Inner 1"] not in window.scene.nodes)
    assert bar.currentMessage().startswith("Redone: ") and "Inner 1" in bar.currentMessage()


def test_the_page_left_open_is_open_again(qtbot, db_path):
    """Closed on the Dashboard, the window opened on the Rings again."""
    populate(db_path, inner=1)
    first = open_window(qtbot, db_path)
    first.pages.setCurrentWidget(first.pages.widget(2))  # the Dashboard
    first.close()
    second = open_window(qtbot, db_path, fresh_settings=False)
    assert second.pages.tabText(second.pages.currentIndex()) == "Dashboard"
    assert second.dashboard.isVisible()
