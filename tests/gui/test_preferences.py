"""Preferences, themes and the About dialog, driven through the real window."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from planner.domain.rings import Ring
from tests.gui.helpers import open_window, populate


def stored_setting(db_path, key):
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return row and row[0]
    finally:
        conn.close()


def test_lowering_a_capacity_keeps_everyone_and_shows_over_capacity(qtbot, db_path):
    populate(db_path, inner=3, middle=2)
    window = open_window(qtbot, db_path)
    dialog = window.show_preferences()
    assert dialog.isVisible()
    dialog.capacity[Ring.INNER].setValue(2)
    assert "Inner has 3" in dialog.warning.text()
    dialog.cadence[Ring.MIDDLE].setValue(10)
    QTest.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert '"inner": 2' in stored_setting(db_path, "ring_capacity")
    assert '"middle": 10' in stored_setting(db_path, "ring_cadence_days")
    assert len(window.document.ring_members(Ring.INNER)) == 3  # nobody dropped
    ring = window.scene.rings[Ring.INNER]
    assert (ring.count, ring.capacity, ring.state) == (3, 2, "over")
    assert "Inner 3/2" in window.fill_label.text()
    window.document.undo()  # one undo step puts the old settings back
    assert window.document.capacity(Ring.INNER) == 3
    assert window.document.cadence(Ring.MIDDLE) == 14
    assert '"inner": 3' in stored_setting(db_path, "ring_capacity")


def test_the_dunbar_preset_fills_in_capacities(qtbot, db_path):
    populate(db_path, inner=1)
    window = open_window(qtbot, db_path)
    dialog = window.show_preferences()
    dialog.preset.setCurrentIndex(dialog.preset.findData("dunbar"))
    assert [dialog.capacity[r].value() for r in Ring] == [5, 15, 50]
    dialog.capacity[Ring.OUTER].setValue(49)
    assert dialog.preset.currentData() is None  # edited: a custom set now
    dialog.accept()
    assert window.document.capacity(Ring.MIDDLE) == 15


@pytest.fixture
def restore_app_look():
    """The theme test changes the application's palette and style sheet: put them back."""
    app = QApplication.instance()
    style, palette, sheet = app.style().name(), app.palette(), app.styleSheet()
    yield
    app.styleHints().unsetColorScheme()
    app.setStyle(style)
    app.setPalette(palette)
    app.setStyleSheet(sheet)


@pytest.mark.usefixtures("restore_app_look")
def test_theme_override_is_applied_and_remembered(qtbot, db_path):
    populate(db_path, inner=1)
    window = open_window(qtbot, db_path)
    dialog = window.show_preferences()
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.accept()
    app = QApplication.instance()
    assert app.property("planner_scheme") == "dark"
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert "dark theme" in app.styleSheet()
    assert window.settings.value("appearance/theme") == "dark"
    dialog = window.show_preferences()
    assert dialog.theme.currentData() == "dark"
    dialog.theme.setCurrentIndex(dialog.theme.findData("light"))
    dialog.accept()
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 150


def test_backup_count_is_stored(qtbot, db_path):
    populate(db_path, inner=1)
    window = open_window(qtbot, db_path)
    dialog = window.show_preferences()
    dialog.backup_keep.setValue(4)
    dialog.accept()
    assert stored_setting(db_path, "backup_keep") == "4"


def test_about_names_version_database_and_log(qtbot, db_path):
    from planner import __version__

    populate(db_path, inner=1)
    window = open_window(qtbot, db_path)
    dialog = window.show_about()
    text = dialog.text.text()
    assert __version__ in text
    assert str(db_path) in text
    assert "planner.log" in text
    assert "backups" in text
    # each path on one line (it broke at its hyphens: "mentorship-/planner")
    from planner.logs import log_path

    qtbot.waitExposed(dialog)
    room = dialog.text.width()
    assert room >= dialog.text.fontMetrics().horizontalAdvance(str(log_path()))


def test_week_start_sunday_plans_the_coming_week_on_sunday(qtbot, db_path):
    from datetime import datetime

    from planner.ui.focus.focus_panel import planning_week

    populate(db_path, inner=1)
    window = open_window(qtbot, db_path)
    dialog = window.show_preferences()
    dialog.week_start.setCurrentIndex(dialog.week_start.findData("sunday"))
    dialog.accept()
    assert window.settings.value("focus/week_start") == "sunday"
    sunday = datetime(2026, 11, 22, 18, 0).astimezone()  # Sunday of ISO week 47
    assert tuple(planning_week(sunday)) == (2026, 48)
    window.settings.setValue("focus/week_start", "monday")
    assert tuple(planning_week(sunday)) == (2026, 47)


def test_the_backups_and_reminders_fields_keep_their_size(qtbot, db_path):
    """Keep the last [10] … was a box across the whole tab with the sentence on a line
    under it; the reminders' time box took the whole width too."""
    populate(db_path, inner=1)
    window = open_window(qtbot, db_path)
    dialog = window.show_preferences()
    qtbot.waitExposed(dialog)
    for index, box in ((2, dialog.backup_keep), (3, dialog.reminders.time)):
        dialog.tabs.setCurrentIndex(index)
        qtbot.waitUntil(box.isVisible)
        assert box.width() <= 2 * box.sizeHint().width(), index


def test_preferences_reopen_on_the_page_last_used(qtbot, db_path):
    """Preferences always opened on Rings, whichever page was used last: it reopens on
    that page now — after Cancel or OK, and in the next run (the window's settings,
    as its own page is kept)."""
    populate(db_path, inner=1)
    window = open_window(qtbot, db_path)
    dialog = window.show_preferences()
    qtbot.waitExposed(dialog)
    assert dialog.tabs.currentWidget() is dialog.tabs.widget(0)  # Rings, the first time
    bar = dialog.tabs.tabBar()
    reminders = dialog.tabs.indexOf(dialog.reminders)
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(reminders).center())
    assert dialog.tabs.currentIndex() == reminders
    QTest.keyClick(dialog, Qt.Key.Key_Escape)  # Cancel
    assert not dialog.isVisible()

    dialog = window.show_preferences()
    qtbot.waitExposed(dialog)
    assert dialog.tabs.currentWidget() is dialog.reminders
    QTest.keyClick(dialog.tabs, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    backups_or_next = dialog.tabs.currentIndex()
    assert backups_or_next == (reminders + 1) % dialog.tabs.count()
    QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    window.close()

    again = open_window(qtbot, db_path, fresh_settings=False)  # the next run
    dialog = again.show_preferences()
    qtbot.waitExposed(dialog)
    assert dialog.tabs.currentIndex() == backups_or_next
    dialog.reject()
