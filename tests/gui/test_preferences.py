"""Preferences, themes and the About dialog, driven through the real window."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

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


def _focused_after_tabs(qtbot, dialog, count: int) -> list:
    seen = []
    for _ in range(count):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


def test_tab_goes_from_the_page_tabs_into_the_page_then_to_ok_and_cancel(qtbot, db_path):
    """Tab from the page tabs went to OK and Cancel first, and only then into the page
    (the pages were made before the tabs and the buttons)."""
    populate(db_path, inner=1)
    window = open_window(qtbot, db_path)
    dialog = window.show_preferences()
    qtbot.waitExposed(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.tabs.tabBar().setFocus()
    rings = [dialog.preset]
    for ring in Ring:
        rings += [dialog.capacity[ring], dialog.cadence[ring]]
    seen = _focused_after_tabs(qtbot, dialog, len(rings) + 2)
    assert seen == [*rings, ok, cancel]
    dialog.tabs.setCurrentIndex(dialog.tabs.indexOf(dialog.reminders))
    dialog.tabs.tabBar().setFocus()
    assert _focused_after_tabs(qtbot, dialog, 1) == [dialog.reminders.notify]
    dialog.reject()


def test_alt_letters_reach_the_fields_of_the_rings_and_reminders(qtbot, db_path):
    populate(db_path, inner=1)
    window = open_window(qtbot, db_path)
    dialog = window.show_preferences()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    for key, box in ((Qt.Key.Key_D, dialog.capacity[Ring.MIDDLE]),
                     (Qt.Key.Key_O, dialog.capacity[Ring.OUTER]),
                     (Qt.Key.Key_P, dialog.preset)):
        QTest.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
        assert box.hasFocus(), key
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    assert dialog.tabs.currentWidget() is dialog.reminders
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert dialog.reminders.time.hasFocus()
    was = dialog.reminders.tray.isChecked()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.reminders.tray.isChecked() is not was)  # (an animated click)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert window.settings.value("reminders/tray", True, bool) is True  # Escape kept it


def test_odd_ring_settings_are_said_under_the_rings_as_they_are_chosen(qtbot, db_path):
    populate(db_path, inner=1)
    window = open_window(qtbot, db_path)
    dialog = window.show_preferences()
    qtbot.waitExposed(dialog)
    assert dialog.warning.text() == ""
    dialog.cadence[Ring.INNER].setFocus()
    dialog.cadence[Ring.INNER].selectAll()
    QTest.keyClicks(dialog.cadence[Ring.INNER], "30")
    assert "inner ring is reached less often (30 days) than the middle ring (14 days)" \
        in dialog.warning.text()
    dialog.cadence[Ring.INNER].selectAll()
    QTest.keyClicks(dialog.cadence[Ring.INNER], "7")
    assert dialog.warning.text() == ""
    dialog.reject()


def test_ok_does_not_put_back_a_ring_setting_changed_meanwhile(qtbot, db_path):
    """OK wrote every value the dialog had shown: a cadence changed meanwhile (by a
    teammate, another window) was put back, though nobody touched it here."""
    from planner.services import settings as svc

    populate(db_path, inner=1)
    window = open_window(qtbot, db_path)
    dialog = window.show_preferences()
    qtbot.waitExposed(dialog)
    svc.set_cadences(window.document.backend, {Ring.OUTER: 60})  # meanwhile, elsewhere
    svc.set_capacities(window.document.backend, {Ring.MIDDLE: 20})
    dialog.backup_keep.setValue(dialog.backup_keep.value())  # untouched
    dialog.capacity[Ring.INNER].setValue(4)  # the one change made here
    QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert '"outer": 60' in stored_setting(db_path, "ring_cadence_days")
    capacities = stored_setting(db_path, "ring_capacity")
    assert '"inner": 4' in capacities and '"middle": 20' in capacities


def test_each_page_says_where_its_choices_are_kept(qtbot, db_path):
    from planner.ui.common.forms import THIS_COMPUTER
    from planner.ui.dialogs.preferences_dialog import KEPT_IN_FILE

    populate(db_path, inner=1)
    window = open_window(qtbot, db_path)
    dialog = window.show_preferences()
    said = {dialog.tabs.tabText(i).replace("&", ""): [
        label.text() for label in dialog.tabs.widget(i).findChildren(QLabel, "keptWhere")]
        for i in range(dialog.tabs.count())}
    assert said["Rings"] == [KEPT_IN_FILE]
    assert said["Appearance"] == [THIS_COMPUTER] and said["Reminders"] == [THIS_COMPUTER]
    dialog.reject()


@pytest.mark.parametrize("page", ["reminders", "security"])
def test_no_text_is_cut_at_the_dialogs_minimum_size(qtbot, db_path, page):
    """At its minimum size the Reminders note and the Security lines were cut (a tab
    widget's minimum ignores the height wrapped text needs)."""
    populate(db_path, inner=1)
    window = open_window(qtbot, db_path)
    window.settings.setValue("window/preferences_page", page)
    dialog = window.show_preferences()
    qtbot.waitExposed(dialog)
    dialog.resize(1, 1)  # as small as it goes
    qtbot.waitUntil(lambda: dialog.width() == dialog.minimumWidth() or
                    dialog.size() == dialog.minimumSize())
    QApplication.processEvents()
    shown = dialog.tabs.currentWidget()
    for label in shown.findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.text():
            assert label.height() >= label.heightForWidth(label.width()), label.text()
    dialog.reject()
