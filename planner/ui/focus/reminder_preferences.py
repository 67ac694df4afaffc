"""Preferences → Reminders: the daily notification (on/off, its time), the tray icon,
closing to the tray and starting at login. This computer's choices: QSettings, and the
login entry of planner.autostart. Applied when the Preferences dialog is accepted."""

from __future__ import annotations

import logging

from PySide6.QtCore import QSettings, QTime
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QTimeEdit, QWidget

from planner import autostart
from planner.ui.common.forms import THIS_COMPUTER, kept_where
from planner.ui.focus.notifier import NOTIFY_ON, NOTIFY_TIME, notifications_on, notify_time
from planner.ui.focus.reminders import CLOSE_TO_TRAY
from planner.ui.focus.tray import TRAY_ON

log = logging.getLogger(__name__)


class ReminderPreferences(QWidget):
    def __init__(self, parent, settings: QSettings):
        super().__init__(parent)
        self.settings = settings
        self.notify = QCheckBox("&Tell me once a day who is due", self)
        self.notify.setChecked(notifications_on(settings))
        self.time = QTimeEdit(self)
        self.time.setDisplayFormat("HH:mm")
        at = notify_time(settings)
        self.time.setTime(QTime(at.hour, at.minute))
        self.time.setAccessibleName("Notification time")
        self.notify.toggled.connect(self.time.setEnabled)
        self.time.setEnabled(self.notify.isChecked())
        self.tray = QCheckBox("Show an &icon in the system tray", self)
        self.tray.setChecked(bool(settings.value(TRAY_ON, True, bool)))
        self.close_to_tray = QCheckBox("&Closing the window keeps it running in the tray", self)
        self.close_to_tray.setChecked(bool(settings.value(CLOSE_TO_TRAY, False, bool)))
        self.tray.toggled.connect(self.close_to_tray.setEnabled)
        self.close_to_tray.setEnabled(self.tray.isChecked())
        self.login = QCheckBox("Start at &login, in the tray", self)
        self.login.setChecked(autostart.starts_at_login())
        note = QLabel("The notification says who is due today and whose birthday is "
                      "coming; clicking it opens This week.", self)
        note.setWordWrap(True)
        form = QFormLayout(self)
        # (the time box took the tab's whole width)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(kept_where(THIS_COMPUTER, self))
        form.addRow(self.notify)
        form.addRow("&Notify at", self.time)
        form.addRow(note)
        form.addRow(self.tray)
        form.addRow(self.close_to_tray)
        form.addRow(self.login)

    def choices(self) -> tuple:
        """What the tab says now (to tell whether anything was changed)."""
        return (self.notify.isChecked(), self.time.time().toString("HH:mm"),
                self.tray.isChecked(), self.close_to_tray.isChecked(), self.login.isChecked())

    def apply(self, reminders=None) -> str | None:
        """Store the choices; the window's reminders (if given) show or hide the icon.
        Returns a problem to show (the login entry could not be written), else None."""
        s = self.settings
        s.setValue(NOTIFY_ON, self.notify.isChecked())
        s.setValue(NOTIFY_TIME, self.time.time().toString("HH:mm"))
        s.setValue(TRAY_ON, self.tray.isChecked())
        s.setValue(CLOSE_TO_TRAY, self.close_to_tray.isChecked() and self.tray.isChecked())
        s.sync()
        if reminders is not None:
            reminders.tray.show_if_possible(self.tray.isChecked())
        if self.login.isChecked() != autostart.starts_at_login():
            try:
                autostart.set_start_at_login(self.login.isChecked())
            except OSError as exc:
                log.warning("start at login not changed: %s", exc)
                return f"Start at login could not be changed: {exc.strerror or exc}"
        return None
