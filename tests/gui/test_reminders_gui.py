"""Reminders in the real window: the tray icon's count and menu (its logic everywhere;
the icon itself where a system tray exists), snoozing from This week (undoable, in the
timeline), the weekly review driven by its keys, and closing to the tray."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from planner.domain.timeline import EntryType
from planner.services import touchpoints
from planner.ui.focus.focus_model import CONTACT_ID_ROLE
from planner.ui.focus.reminders import ASKED_CLOSE_TO_TRAY, CLOSE_TO_TRAY
from planner.ui.timeline.log_dialog import LogDialog
from tests.gui.helpers import open_window
from tests.gui.reminder_helpers import write_people
from tests.helpers.stores import bound


@pytest.fixture
def window(qtbot, db_path):
    write_people(db_path)
    return open_window(qtbot, db_path)


def focus_names(window) -> list[str]:
    model = window.focus.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def names_in_focus(window) -> set[str]:
    return {i.name for i in window.focus.focus_list().items}


def test_the_tray_counts_who_is_due_today_and_its_menu(qtbot, window):
    tray = window.reminders.tray
    assert tray.count == 3
    tooltip = tray.icon.toolTip()
    assert tooltip.startswith("Mentorship Planner — 3 due today (1 overdue)")
    assert "Alan's birthday tomorrow" in tooltip
    assert [a.text() for a in tray.menu.actions()] == [
        "&Open Mentorship Planner", "This &week", "&Log a touch…", "&Snooze all today (3)",
        "", "&Quit"]
    pixmap = tray.icon.icon().pixmap(64, 64).toImage()
    assert pixmap.pixelColor(56, 10).red() > 150  # the red badge in the corner

    window.show_page(window.view)
    tray.this_week_action.trigger()
    assert window.pages.currentWidget() is window.focus

    tray.snooze_action.trigger()  # one undo step for the three
    assert names_in_focus(window) == {"Alan"}  # his birthday keeps him; the due are snoozed
    assert tray.count == 0 and not tray.snooze_action.isEnabled()
    assert window.document.undo_stack.undoText() == "Snooze 3 people"
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert tray.count == 3 and names_in_focus(window) == {"Ada", "Grace", "Linus", "Alan"}

    tray.log_action.trigger()  # the most urgent person: Linus, never contacted
    dialog = window.history.dialog
    assert isinstance(dialog, LogDialog) and dialog.isVisible()
    linus = next(c for c in window.document.contacts() if c.name == "Linus")
    assert window.current_id == linus.id
    dialog.accept()
    qtbot.waitUntil(lambda: tray.count == 2)


def test_the_trays_this_week_and_the_notifications_click_show_this_weeks_list(
        qtbot, window):
    """Looking at next week, then away: the tray's This week (the same call as a click on
    the notification) shows the week its count of who is due today is about."""
    panel = window.focus
    window.show_page(panel)
    this = panel.week
    QTest.mouseClick(panel.next, Qt.MouseButton.LeftButton)
    assert panel.week != this
    window.show_page(window.view)
    window.showMinimized()
    window.reminders.tray.this_week_action.trigger()
    assert window.pages.currentWidget() is panel and not window.isMinimized()
    assert panel.week == this
    assert f"Week {this.week}, {this.year}" in panel.week_label.text()
    window.reminders.notifier.open_requested.emit()  # a click on the notification
    assert panel.week == this and panel.follows_today


def test_snooze_from_this_week_by_right_click_is_undoable_and_in_the_timeline(
        qtbot, window):
    window.show_page(window.focus)
    view = window.focus.view
    row = focus_names(window).index(next(n for n in focus_names(window) if "Ada" in n))
    rect = view.visualRect(window.focus.model.index(row, 0))
    ada_id = window.focus.model.index(row, 0).data(CONTACT_ID_ROLE)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, rect.center(),
                              view.viewport().mapToGlobal(rect.center()))
    QApplication.sendEvent(view.viewport(), event)
    menu = window.reminders.menu
    qtbot.waitUntil(menu.isVisible)
    assert [a.text() for a in menu.actions()] == [  # the node's and the panel's menu
        "Snooze a day", "Snooze 3 days", "Snooze a week"]  # (Stop snoozing once snoozed)
    QTest.keyClick(menu, Qt.Key.Key_Down)
    QTest.keyClick(menu, Qt.Key.Key_Down)
    QTest.keyClick(menu, Qt.Key.Key_Return)  # "Snooze 3 days"
    qtbot.waitUntil(lambda: "Ada" not in names_in_focus(window))
    assert not any("Ada" in n for n in focus_names(window))
    snoozes = [e for e in touchpoints.timeline(ada_id) if e.type is EntryType.SNOOZE]
    assert len(snoozes) == 1 and snoozes[0].summary().startswith("snoozed until ")
    assert window.reminders.tray.count == 2
    window.document.undo()
    assert "Ada" in names_in_focus(window)


def test_the_weekly_review_one_key_per_person_and_its_summary(qtbot, window):
    window.show_page(window.focus)
    order = [i.name for i in window.focus.focus_list().items]
    assert order == ["Linus", "Ada", "Grace", "Alan"]
    QTest.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    review = window.reminders.review
    qtbot.waitExposed(review)
    assert review.name.text() == "Linus" and review.progress.text() == "1 of 4"
    assert review.status.text() == "Middle ring · never contacted"
    # the latest note is muted but readable (it was drawn in the colour of lines, 1.7:1)
    review.note.setText("Latest note: talked about the conference")
    review.note.show()
    shot = review.note.grab().toImage()
    ink = min(QColor(shot.pixel(x, y)).lightnessF()
              for x in range(shot.width()) for y in range(shot.height()))
    assert ink < 0.5

    QTest.keyClick(review, Qt.Key.Key_L)  # Log: the log dialog opens for Linus
    dialog = window.history.dialog
    qtbot.waitUntil(dialog.isVisible)
    QTest.keyClick(dialog, Qt.Key.Key_Return)  # Enter saves
    qtbot.waitUntil(lambda: review.name.text() == "Ada")
    assert review.status.text().startswith("Inner ring · overdue 4 days · last touch ")
    QTest.keyClick(review, Qt.Key.Key_S)  # Snooze a week
    assert review.name.text() == "Grace"
    assert review.said.text().startswith("Snoozed Ada until ")  # said, with Undo
    assert review.undo_button.isVisible()
    QTest.keyClick(review, Qt.Key.Key_M)  # Move out a ring: middle → outer
    assert review.name.text() == "Alan"
    assert review.action.text() == "Wish them a happy birthday (tomorrow)"
    QTest.keyClick(review, Qt.Key.Key_K)  # Skip
    assert review.name.text() == "1 reached, 1 snoozed, 1 moved out, 1 skipped"
    assert review.close_button.isVisible() and not review.log_button.isVisible()

    doc = window.document
    grace = next(c for c in doc.contacts() if c.name == "Grace")
    assert grace.ring is not None and grace.ring.value == "outer"
    assert names_in_focus(window) == {"Alan"}  # Linus reached, Ada snoozed, Grace now outer
    QTest.mouseClick(review.close_button, Qt.MouseButton.LeftButton)
    assert not review.isVisible()


def test_esc_pauses_the_weekly_review_and_ctrl_r_goes_on_where_it_was(qtbot, window):
    """Esc halfway loses nothing: the window says where the review stopped, Start review
    reads Resume review, and Ctrl+R opens it at the next person with the tally kept —
    without whoever was reached from This week meanwhile."""
    window.show_page(window.focus)
    QTest.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    review = window.reminders.review
    qtbot.waitExposed(review)
    QTest.keyClick(review, Qt.Key.Key_K)  # skip Linus
    QTest.keyClick(review, Qt.Key.Key_S)  # snooze Ada
    assert review.name.text() == "Grace"
    QTest.keyClick(review, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not review.isVisible())
    assert "Review paused at 3 of 4" in window.statusBar().currentMessage()
    assert "Ctrl+R goes on" in window.statusBar().currentMessage()
    assert window.focus.review_button.text() == "Resume review"

    # Grace is reached from This week in the meantime: the review will not offer her
    row = focus_names(window).index(next(n for n in focus_names(window) if "Grace" in n))
    window.focus.view.setCurrentIndex(window.focus.model.index(row, 0))
    window.focus.view.setFocus()
    QTest.keyClick(window.focus.view, Qt.Key.Key_Space)  # tick: the log dialog
    dialog = window.history.dialog
    qtbot.waitUntil(dialog.isVisible)
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not any("Grace" in n for n in focus_names(window)))

    QTest.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.reminders.review is review
    qtbot.waitExposed(review)
    assert review.progress.text() == "3 of 3" and review.name.text() == "Alan"
    QTest.keyClick(review, Qt.Key.Key_K)
    assert review.name.text() == "0 reached, 1 snoozed, 0 moved out, 2 skipped"
    QTest.keyClick(review, Qt.Key.Key_Return)  # Done
    qtbot.waitUntil(lambda: not review.isVisible())
    assert window.focus.review_button.text() == "Start review"
    QTest.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.reminders.review is not review  # a finished review starts afresh
    qtbot.waitExposed(window.reminders.review)
    assert window.reminders.review.progress.text() == "1 of 2"  # Linus and Alan
    QTest.keyClick(window.reminders.review, Qt.Key.Key_Escape)


def test_closing_with_a_tray_asks_once_then_keeps_running_there(qtbot, window):
    reminders = window.reminders
    reminders.tray.icon.setVisible(True)  # as where a system tray exists
    if not reminders.tray.isVisible():
        pytest.skip("this platform cannot show a tray icon")
    window.close()
    box = reminders.question
    assert isinstance(box, QMessageBox) and box.isVisible() and window.isVisible()
    assert "Keep it running in the tray" in box.text()
    keep = next(b for b in box.buttons() if b.text() == "Keep in Tray")
    QTest.mouseClick(keep, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert window.settings.value(CLOSE_TO_TRAY, False, bool)
    assert window.settings.value(ASKED_CLOSE_TO_TRAY, False, bool)
    reminders.open_this_week()  # the tray's This week brings it back
    assert window.isVisible() and window.pages.currentWidget() is window.focus
    window.close()  # now it goes to the tray without asking
    assert not window.isVisible() and reminders.question is box
    reminders.tray.icon.setVisible(False)


def test_preferences_reminders_tab_stores_the_time_the_tray_and_start_at_login(
        qtbot, window):
    from PySide6.QtCore import QTime

    from planner import autostart
    from planner.ui.focus.notifier import NOTIFY_ON, NOTIFY_TIME, notify_time
    from planner.ui.focus.tray import TRAY_ON

    def tick(box) -> None:  # on the box itself (the row is wider than its text)
        QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))

    dialog = window.show_preferences()
    qtbot.waitExposed(dialog)
    tab = dialog.reminders
    dialog.tabs.setCurrentWidget(tab)
    assert tab.notify.isChecked() and tab.time.time() == QTime(9, 0)
    assert tab.tray.isChecked() and not tab.close_to_tray.isChecked()
    assert not tab.login.isChecked()
    tab.time.setTime(QTime(7, 45))
    tick(tab.login)
    tick(tab.tray)  # off: closing to the tray goes with it
    assert not tab.close_to_tray.isEnabled()
    dialog.accept()
    settings = window.settings
    assert settings.value(NOTIFY_TIME) == "07:45" and notify_time(settings).hour == 7
    assert settings.value(NOTIFY_ON, True, bool) and not settings.value(TRAY_ON, True, bool)
    entry = autostart.xdg_autostart_path()
    assert autostart.starts_at_login() and "--tray" in entry.read_text()
    assert not window.reminders.tray.isVisible()

    dialog = window.show_preferences()
    assert dialog.reminders.login.isChecked() and dialog.reminders.time.time() == QTime(7, 45)
    qtbot.waitExposed(dialog)
    dialog.tabs.setCurrentWidget(dialog.reminders)
    tick(dialog.reminders.login)
    dialog.accept()
    assert not entry.exists()


def test_a_refresh_queued_before_the_window_went_away_does_nothing(qtbot, db_path):
    """The tray's first count waits for the event loop (issue 23); a window closed before
    that (or a change signal after it) must not touch the tray's deleted menu."""
    write_people(db_path)
    window = open_window(qtbot, db_path)
    reminders = window.reminders
    reminders.shutdown()
    qtbot.wait(50)  # the menu's deleteLater runs
    reminders.refresh()  # what a queued timer or a late document signal calls
    window.document.contacts_changed.emit([])
    reminders.shutdown()  # twice is harmless too
    qtbot.wait(20)
    assert reminders.tray.closed


def test_file_quit_quits_once_the_reminders_are_attached(qtbot, window, monkeypatch):
    """File → Quit is the reminders' quit (closing the window may only hide it in the
    tray): the window closes and the app is told to quit (found by name: the window's
    registry of actions, window_actions)."""
    reminders = window.reminders
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda: quits.append(True))  # (not the run's)
    window.window_actions.quit.trigger()
    assert reminders.quitting and quits == [True]
    assert not window.isVisible()


def test_a_review_of_nobody_says_everyone_is_on_track(qtbot):
    """With nobody due, the review said "0 reached, 0 snoozed, 0 moved out"."""
    from planner.ui.focus.weekly_review import WeeklyReview

    review = WeeklyReview(None, [], log=lambda cid, done: done(False),
                          snooze=lambda cid: False, move_out=lambda cid: False)
    qtbot.addWidget(review)
    review.open()
    qtbot.waitExposed(review)
    assert review.progress.text() == "Nobody to review this week"
    assert review.name.text() == "Everyone is on track this week"
    assert review.close_button.isVisible() and not review.log_button.isVisible()


def test_the_weekly_reviews_log_opens_with_the_kind_their_channels_suggest(qtbot, db_path):
    """L opened Coffee whatever the suggestion said ("Quick check-in on IM")."""
    from planner.services import contacts
    from planner.storage.database import open_database

    write_people(db_path)
    handle = open_database(str(db_path))
    try:
        linus = next(c for c in contacts.list_contacts() if c.name == "Linus")
        contacts.edit_contact(bound(), linus.id, channels=["video"])
    finally:
        handle.close()
    window = open_window(qtbot, db_path)
    window.show_page(window.focus)
    QTest.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    review = window.reminders.review
    qtbot.waitExposed(review)
    assert review.name.text() == "Linus"
    QTest.keyClick(review, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: window.history.dialog is not None
                    and window.history.dialog.isVisible())
    assert window.history.dialog.chosen_kind() == "video"
    window.history.dialog.reject()


def test_move_out_on_the_outer_ring_says_it_takes_them_off_and_can_be_undone(qtbot, window):
    """M on someone on the outer ring unplaced them silently under "Move out a ring".
    The button says what it will do for this person, and the review says what it did,
    with Undo (the button or Ctrl+Z) bringing them back to be reviewed again."""
    window.show_page(window.focus)
    QTest.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    review = window.reminders.review
    qtbot.waitExposed(review)
    assert review.name.text() == "Linus"  # middle ring
    assert review.move_button.text().startswith("&Move to the outer ring")
    QTest.keyClick(review, Qt.Key.Key_K)
    assert review.name.text() == "Ada"  # inner ring
    assert review.move_button.text().startswith("&Move to the middle ring")
    QTest.keyClick(review, Qt.Key.Key_K)
    QTest.keyClick(review, Qt.Key.Key_M)  # Grace: middle → outer, and it says so
    assert review.said.text() == "Moved Grace to the outer ring"
    assert review.undo_button.isVisible()
    assert review.name.text() == "Alan"  # on the outer ring: M takes him off
    assert review.move_button.text().startswith("Take off the rings")
    QTest.keyClick(review, Qt.Key.Key_M)
    doc = window.document
    alan = next(c for c in doc.contacts() if c.name == "Alan")
    assert doc.contact(alan.id).ring is None
    assert review.said.text() == "Took Alan off the rings"
    assert review.undo_button.isVisible()
    assert review.name.text() == ("0 reached, 0 snoozed, 1 moved out, "
                                  "1 taken off the rings, 2 skipped")

    QTest.mouseClick(review.undo_button, Qt.MouseButton.LeftButton)  # Undo: back to Alan
    assert doc.contact(alan.id).ring is not None and doc.contact(alan.id).ring.value == "outer"
    assert review.name.text() == "Alan" and review.log_button.isVisible()
    assert review.said.text() == "Undone: Unplace Alan" and not review.undo_button.isVisible()
    QTest.keyClick(review, Qt.Key.Key_M)  # again, then Ctrl+Z in the review undoes it too
    assert doc.contact(alan.id).ring is None
    QTest.keyClick(review, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.contact(alan.id).ring is not None and review.name.text() == "Alan"
    grace = next(c for c in doc.contacts() if c.name == "Grace")
    assert doc.contact(grace.id).ring.value == "outer"  # only the last step was undone


def test_move_out_into_a_full_ring_says_why_in_the_review(qtbot, db_path):
    """Grace (middle) cannot move out onto a full outer ring: the review said nothing and
    stayed on her; now it says why."""
    from planner.domain.rings import Ring
    from planner.services import settings as settings_svc
    from planner.storage.database import open_database

    write_people(db_path)
    handle = open_database(str(db_path))
    try:
        settings_svc.set_capacities(bound(), {Ring.OUTER: 1})
    finally:
        handle.close()
    window = open_window(qtbot, db_path)
    window.show_page(window.focus)
    QTest.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    review = window.reminders.review
    qtbot.waitExposed(review)
    QTest.keyClick(review, Qt.Key.Key_K)
    QTest.keyClick(review, Qt.Key.Key_K)
    assert review.name.text() == "Grace"
    QTest.keyClick(review, Qt.Key.Key_M)
    assert review.name.text() == "Grace"  # still her turn
    assert "outer ring is full" in review.said.text() and not review.undo_button.isVisible()
    # what the review can do (it cannot swap), not the window's "Swap with one of them"
    assert "snooze or skip Grace" in review.said.text(), review.said.text()
    assert "Swap" not in review.said.text()
