"""The dashboard's rows by keyboard alone: they could only be double-clicked. Tab into
the charts, Up/Down choose a row, Enter celebrates the win (or thanks for the ask) as a
double-click does, Space shows the person."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from planner.domain.rings import Ring
from planner.services import advocacy as svc
from tests.gui.helpers import open_window, populate
from tests.helpers.stores import bound


@pytest.fixture
def window(qtbot, db_path):
    people = populate(db_path, inner=1, middle=1, outer=0, unplaced=0,
                      extra={"Ada Lovelace": (Ring.MIDDLE, {})})
    win = open_window(qtbot, db_path)
    win.window_actions.show_dashboard.trigger()
    qtbot.waitUntil(lambda: win.dashboard.stats is not None and not win.dashboard.dirty,
                    timeout=3000)
    win.people_ids = people
    return win


def test_the_waiting_rows_are_reached_and_acted_on_with_keys(qtbot, window):
    ada = window.people_ids["Ada Lovelace"]
    win_ = svc.add_win(bound(), ada, "Keynote")
    ask = svc.add_ask(bound(), ada, "talk", status="done")
    window.document.refresh_contacts([ada])
    window.document.timeline_changed.emit([ada])
    dash, canvas = window.dashboard, window.dashboard.canvas
    qtbot.waitUntil(lambda: not dash.dirty and len(dash.stats.wins_waiting) == 1
                    and len(dash.stats.thanks_waiting) == 1, timeout=3000)
    assert canvas.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert "Enter" in canvas.accessibleDescription()
    canvas.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(canvas.hasFocus, timeout=2000)
    qtbot.waitUntil(lambda: len(canvas.hits) == 2, timeout=2000)
    assert canvas.chosen()[1:3] == ("win", win_.id)  # the first row to start with
    QTest.keyClick(canvas, Qt.Key.Key_Return)
    dialog = window.advocacy.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=2000)
    assert window.current_id == ada
    assert dialog.windowTitle() == "Celebrate a win"
    assert dialog.subject.text() == "Ada Lovelace's win: Keynote"
    QTest.keyClick(dialog.kind, Qt.Key.Key_Home)  # another kind: the caller's title stays
    assert dialog.windowTitle() == "Celebrate a win"
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)

    canvas.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(canvas, Qt.Key.Key_Down)
    assert canvas.chosen()[1:3] == ("ask", ask.id)
    QTest.keyClick(canvas, Qt.Key.Key_Down)  # stays on the last row
    assert canvas.chosen()[1:3] == ("ask", ask.id)
    QTest.keyClick(canvas, Qt.Key.Key_Enter)
    dialog = window.advocacy.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=2000)
    assert dialog.windowTitle() == "Say thank you"
    assert dialog.subject.text() == "Thank Ada Lovelace for the talk"
