"""The tray icon: how many people are due today (overdue included) drawn on the icon,
the day in its tooltip, and a menu — Open, This week, Log a touch…, Snooze all today,
Quit. It only shows and asks: ``ui/reminders.py`` wires what the choices do."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from planner.domain.reminders import Agenda, tray_tooltip
from planner.ui.common.icons import app_icon

TRAY_ON = "reminders/tray"
ICON_SIZE = 64


def badge_icon(count: int) -> QIcon:
    """The app icon with a red badge of ``count`` (none at 0; ``99+`` past 99)."""
    pixmap = app_icon().pixmap(ICON_SIZE, ICON_SIZE)
    if count <= 0:
        return QIcon(pixmap)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    text = str(count) if count < 100 else "99+"
    side = ICON_SIZE * (0.58 if len(text) < 3 else 0.75)
    rect = QRectF(ICON_SIZE - side, 0, side, ICON_SIZE * 0.58)
    painter.setBrush(QColor("#c62828"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(rect.height() * 0.72))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)


class ReminderTray(QObject):
    """The icon and its menu. ``show_if_possible`` shows it where a tray exists."""

    open_requested = Signal()
    this_week_requested = Signal()
    log_requested = Signal()
    snooze_all_requested = Signal()
    quit_requested = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.menu = QMenu()
        self.menu.setObjectName("trayMenu")
        self.open_action = self._add("&Open Mentorship Planner", self.open_requested)
        self.this_week_action = self._add("This &week", self.this_week_requested)
        self.log_action = self._add("&Log a touch…", self.log_requested)
        self.snooze_action = self._add("&Snooze all today", self.snooze_all_requested)
        self.menu.addSeparator()
        self.quit_action = self._add("&Quit", self.quit_requested)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.count = 0
        self.closed = False

    def _add(self, text: str, signal) -> QAction:
        action = QAction(text, self.menu)
        action.triggered.connect(signal.emit)
        self.menu.addAction(action)
        return action

    def _activated(self, reason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_requested.emit()

    def update(self, agenda: Agenda) -> None:
        """Count and tooltip from the day's agenda; Snooze all only when someone is due."""
        if self.closed:  # a refresh queued before the window closed (its menu is gone)
            return
        self.count = len(agenda.due)
        self.icon.setIcon(badge_icon(self.count))
        self.icon.setToolTip(f"Mentorship Planner — {tray_tooltip(agenda)}")
        self.snooze_action.setEnabled(bool(agenda.due))
        self.snooze_action.setText(f"&Snooze all today ({self.count})" if agenda.due
                                   else "&Snooze all today")

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show_if_possible(self, wanted: bool = True) -> bool:
        shown = wanted and self.available()
        self.icon.setVisible(shown)
        return shown

    def isVisible(self) -> bool:  # what the notifier asks before a balloon
        return self.icon.isVisible()

    def showMessage(self, *args) -> None:
        self.icon.showMessage(*args)

    def close(self) -> None:
        if self.closed:  # once: its menu is gone after the first
            return
        self.closed = True
        self.icon.hide()
        self.menu.deleteLater()
