"""Reminders in the window: the tray icon, the daily notification, snoozing from This
week, the weekly review and closing to the tray — wired onto a MainWindow from outside
(``attach_reminders``), so the window itself only makes one call.

Preferences (QSettings, this computer's): ``reminders/tray`` (the icon, on by default),
``reminders/close_to_tray`` (off by default; the first close with a tray asks),
``reminders/notify`` and ``reminders/time`` (see ui/notifier.py).
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from planner.domain.errors import PlannerError
from planner.ui.focus.focus_panel import REVIEW_KEY
from planner.ui.focus.notifier import Notifier
from planner.ui.focus.tray import TRAY_ON, ReminderTray

if TYPE_CHECKING:  # (imported when a review starts)
    from planner.ui.focus.weekly_review import WeeklyReview

log = logging.getLogger(__name__)

CLOSE_TO_TRAY = "reminders/close_to_tray"
ASKED_CLOSE_TO_TRAY = "reminders/asked_close_to_tray"


class Reminders(QObject):
    def __init__(self, window, settings: QSettings | None = None, *, notify: bool = True):
        super().__init__(window)
        self.window = window
        self.document = window.document
        self._shown_for: tuple | None = None  # (cache version, minute) the tray shows
        self.settings = settings or window.settings
        self.quitting = False
        self.question: QMessageBox | None = None
        self.review: WeeklyReview | None = None
        self._review_week = ""  # the week (2026-W50) the review goes through
        self.tray = ReminderTray(self)
        self.tray.open_requested.connect(self.open_window)
        self.tray.this_week_requested.connect(self.open_this_week)
        self.tray.log_requested.connect(self.log_touch)
        self.tray.snooze_all_requested.connect(self.snooze_all_today)
        self.tray.quit_requested.connect(self.quit)
        self.notifier = Notifier(self.settings, tray=self.tray, banner=window.show_message,
                                 parent=self)
        self.notifier.open_requested.connect(self.open_this_week)
        self.notifier.snooze_requested.connect(self.snooze_all_today)
        self.tray.icon.messageClicked.connect(self.open_this_week)
        self.review_action = QAction("&Start Weekly Review…", window)
        self.review_action.setShortcut(QKeySequence(REVIEW_KEY))
        self.review_action.setStatusTip("Go through this week's people one at a time")
        self.review_action.triggered.connect(self.start_review)
        window.addAction(self.review_action)
        view_menu = getattr(window, "menus", {}).get("view")
        if view_menu is not None:
            view_menu.insertAction(view_menu.actions()[0] if view_menu.actions() else None,
                                   self.review_action)
        self.review_button = window.focus.add_review_button()  # (the window may have it)
        self.review_button.clicked.connect(self.start_review)
        view = window.focus.view
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._focus_menu)
        # (This week first: its cache hears of a change before the tray's count reads it)
        for signal in (self.document.reset, self.document.timeline_changed,
                       self.document.contacts_changed, self.document.entries_changed):
            signal.connect(self.refresh)
        window.installEventFilter(self)
        # File → Quit quits (closing the window may only hide it), and so does logging out
        quit_action = getattr(getattr(window, "window_actions", None), "quit", None)
        if quit_action is not None:
            quit_action.triggered.disconnect(window.close)
            quit_action.triggered.connect(self.quit)
        app = QApplication.instance()
        if isinstance(app, QGuiApplication):  # (the session manager's signals are a GUI's)
            app.commitDataRequest.connect(self._session_ends)
        # the tray's count of who is due: once the first frame is on screen (issue 23; it
        # ranks the placed people, as This week does). The app attaches the reminders
        # after that frame; a window that made them earlier (`planner --tray`) waits here
        from planner.ui.common.first_frame import after_first_frame

        after_first_frame(window, self.refresh)
        if self.tray.show_if_possible(bool(self.settings.value(TRAY_ON, True, bool))):
            QApplication.setQuitOnLastWindowClosed(False)  # hidden in the tray is running
        if notify:
            self.notifier.start()

    # -- the day -----------------------------------------------------------------------
    def agenda(self):
        """Today's agenda from This week's kept candidates and items (a change re-reads
        only the people it names; see FocusCache)."""
        from planner.services.reminders import build_agenda

        cache = self.window.focus.cache
        cache.update()
        return build_agenda(list(cache.candidates.values()), datetime.now(UTC), cache.tz,
                            items=cache.items)

    def refresh(self, *_args) -> None:
        if self.tray.closed:  # queued before the window went away: nothing to show it on
            return
        try:
            cache = self.window.focus.cache
            cache.update()
            shown_for = (cache.version, int(time.time() // 60))  # (the day moves on too)
            if shown_for == self._shown_for:  # one change arrives as several signals
                return
            self._shown_for = shown_for
            self.tray.update(self.agenda())
        except PlannerError as exc:  # a team database out of reach: keep the last count
            log.info("tray not refreshed: %s", exc)

    # -- what the tray and the notification ask for ---------------------------------------
    def open_window(self) -> None:
        w = self.window
        w.showNormal() if w.isMinimized() else w.show()
        w.raise_()
        w.activateWindow()

    def open_this_week(self) -> None:
        """The notification's click and the tray's This week: the page at the week the
        day's count is about (it stayed on a week stepped to, next week's list under a
        notification about today)."""
        self.open_window()
        focus = self.window.focus
        if focus.week != focus.planning_week():
            focus.set_week(focus.planning_week())
        self.window.show_page(focus)

    def log_touch(self) -> None:
        """The most urgent person due today (else the selected one): the log dialog."""
        self.open_window()
        due = self.agenda().due
        contact_id = due[0].contact_id if due else self.window.current_id
        if contact_id is not None:
            self.window.select(contact_id)
        self.window.history.log(contact_id, "coffee")

    def snooze_all_today(self) -> bool:
        ids = [p.contact_id for p in self.agenda().due]
        if self.document.editing.snooze(ids, "1d"):
            self.window.show_message(f"Snoozed {len(ids)} until tomorrow (Ctrl+Z undoes it)")
            return True
        return False

    def _session_ends(self, *_args) -> None:
        self.quitting = True

    def quit(self) -> None:
        self.quitting = True
        self.window.close()
        QApplication.quit()

    # -- snoozing from This week ----------------------------------------------------------
    def _focus_menu(self, pos) -> QMenu | None:
        from planner.ui.focus.focus_model import CONTACT_ID_ROLE

        view = self.window.focus.view
        index = view.indexAt(pos)
        if not index.isValid():
            return None
        menu = self.snooze_menu(index.data(CONTACT_ID_ROLE))
        menu.popup(view.viewport().mapToGlobal(pos))
        return menu

    def snooze_menu(self, contact_id: int) -> QMenu:
        """The same Snooze menu as a node's and the person panel's (ui/snooze_menu.py)."""
        from planner.ui.focus.snooze_menu import snooze_menu

        self.menu = snooze_menu(self.window, self.document, contact_id)
        return self.menu

    # -- the weekly review ----------------------------------------------------------------
    def start_review(self) -> WeeklyReview:
        """The week's review; one left with Esc goes on where it was (same week)."""
        from planner.ui.focus.weekly_review import WeeklyReview

        focus = self.window.focus.focus_list()
        items = list(focus.items)
        self.open_window()
        review = self.review
        if review is not None and review.paused and self._review_week == focus.label:
            review.resume(items)
            review.open()
            self._say_review_state()
            return review
        if review is not None:
            review.deleteLater()
        self._review_week = focus.label
        self.review = review = WeeklyReview(
            self.window, items, log=self._review_log, snooze=self._review_snooze,
            move_out=self._move_out, undo=self._review_undo)
        review.finished_review.connect(self.window.show_message)
        review.finished_review.connect(lambda _text: self._say_review_state())
        review.rejected.connect(self._review_left)
        review.open()
        self._say_review_state()
        return review

    def _review_left(self) -> None:
        """Esc (or the window's ×) before the end: nothing is lost, and it says so."""
        review = self.review
        if review is not None and review.paused:
            self.window.show_message(
                f"Review paused at {review.index + 1} of {len(review.items)} "
                f"({review.tally.summary()}) — {REVIEW_KEY} goes on from there")
        self._say_review_state()

    def _say_review_state(self) -> None:
        paused = self.review is not None and self.review.paused
        self.review_button.setText("Resume review" if paused else "Start review")

    def _review_log(self, contact_id: int, done) -> None:
        from planner.domain.focus import suggested_kind

        self.window.select(contact_id)
        contact = self.document.contact(contact_id)
        # the kind their channels suggest ("Quick check-in on IM" opened as Coffee)
        kind = suggested_kind(contact) if contact is not None else "coffee"
        dialog = self.window.history.log(contact_id, kind)
        if dialog is None:
            done(False)
            return
        dialog.accepted.connect(lambda: done(True))
        dialog.rejected.connect(lambda: done(False))

    def _review_snooze(self, contact_id: int) -> str | None:
        from planner.ui.focus.snooze_menu import snoozed_said

        if not self.document.editing.snooze([contact_id], "7d"):
            return None
        return snoozed_said(self.document, contact_id)

    def _move_out(self, contact_id: int) -> str | None:
        """One ring out, off the rings from the outer one: the domain's demote rule, as
        Ctrl+Down has it. A refusal (the next ring full) raises, for the review to say;
        done, what the move says (the window's "Took Alan off the rings")."""
        target = self.document.plan_step(contact_id, up=False)
        if target is not None:
            self.document.plan_move(contact_id, target)
        said: list[str] = []

        def heard(text: str) -> None:
            said.append(text)

        self.document.moved.connect(heard)
        try:
            moved = self.document.editing.move(contact_id, target)
        finally:
            self.document.moved.disconnect(heard)
        return (said[0] if said else "Moved") if moved else None

    def _review_undo(self) -> str | None:
        """Undo the review's last step (the window's Undo is behind the dialog)."""
        text = self.document.undo_stack.undoText()
        if not self.document.undo():
            return None
        self.window.show_message(f"Undone: {text}")
        return f"Undone: {text}"

    # -- closing to the tray ---------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close and not self.quitting:
            return self._closing(event)
        return False

    def _closing(self, event) -> bool:
        if not self.tray.isVisible() or self._replaced():
            self._after_close(quit_app=False)
            return False
        if bool(self.settings.value(CLOSE_TO_TRAY, False, bool)):
            event.ignore()
            self.window.hide()
            return True
        if bool(self.settings.value(ASKED_CLOSE_TO_TRAY, False, bool)):
            self._after_close(quit_app=True)
            return False
        event.ignore()
        self.ask_close_to_tray()
        return True

    def _replaced(self) -> bool:
        """Another main window is open (a switch of database): this one really closes."""
        kind = type(self.window)
        return any(w is not self.window and isinstance(w, kind) and w.isVisible()
                   for w in QApplication.topLevelWidgets())

    def _after_close(self, quit_app: bool) -> None:
        """Once the window is closed: the icon goes and the lock is free; with a tray the
        app does not quit by itself (see __init__), so it is told to."""
        def closed() -> None:
            if not self.window.isVisible():
                self.shutdown()
                if quit_app:
                    QApplication.quit()

        QTimer.singleShot(0, self, closed)

    def ask_close_to_tray(self) -> QMessageBox:
        """The first close with a tray: keep running there (for the daily reminder)?"""
        self.settings.setValue(ASKED_CLOSE_TO_TRAY, True)
        box = QMessageBox(QMessageBox.Icon.Question, "Keep running in the tray?",
                          "Closing the window quits Mentorship Planner, and the daily "
                          "reminder with it. Keep it running in the tray instead? "
                          "(Preferences → Reminders changes this.)", parent=self.window)
        keep = box.addButton("Keep in Tray", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)

        def answered(_result) -> None:
            if box.clickedButton() is keep:
                self.settings.setValue(CLOSE_TO_TRAY, True)
                self.window.hide()
            else:
                self.quit()

        box.finished.connect(answered)
        self.question = box
        box.open()
        return box

    def shutdown(self) -> None:
        self.notifier.shutdown()
        self.tray.close()


def attach_reminders(window, *, notify: bool = True) -> Reminders:
    return Reminders(window, notify=notify)
