"""The daily notification in the running app: a timer ticks the DailySchedule (the
rules and texts live in planner.domain.reminders / services.reminders), and the one
notification of the day goes out through the desktop's notification service (D-Bus),
else the tray icon's balloon, else a banner in the window. Clicking it opens This week.

Only one running instance notifies: the first to take ``reminders.lock`` (a QLockFile in
the data folder, held while it runs); the day last notified is kept in QSettings, which
every instance of this user shares.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, QSettings, QTimer, Signal

from planner.domain.errors import InvalidInput, PlannerError
from planner.domain.focus import local_zone
from planner.domain.reminders import DEFAULT_NOTIFY_AT, NotificationText, parse_notify_time
from planner.services.reminders import DailySchedule
from planner.ui.common.lock_files import take

if TYPE_CHECKING:  # (imported when the first notification is sent)
    from planner.ui.focus.desktop_notifications import FreedesktopNotifications

log = logging.getLogger(__name__)

NOTIFY_ON = "reminders/notify"
NOTIFY_TIME = "reminders/time"
LAST_DAY = "reminders/last_day"
TICK_MS = 30_000  # a tick every 30 s: a sleep, a DST change or a new time need no timer maths


def notify_time(settings: QSettings) -> time:
    try:
        return parse_notify_time(str(settings.value(NOTIFY_TIME, "09:00")))
    except InvalidInput:
        return DEFAULT_NOTIFY_AT


def notifications_on(settings: QSettings) -> bool:
    return bool(settings.value(NOTIFY_ON, True, bool))


class SettingsDayStore:
    """The last notified local day, in QSettings (shared by every instance of the user)."""

    def __init__(self, settings: QSettings):
        self.settings = settings

    def last_day(self) -> date | None:
        self.settings.sync()  # another instance may have written it
        try:
            return date.fromisoformat(str(self.settings.value(LAST_DAY, "")))
        except ValueError:
            return None

    def set_last_day(self, day: date) -> None:
        self.settings.setValue(LAST_DAY, day.isoformat())
        self.settings.sync()


class InstanceClaim:
    """True while this process holds the notifier's lock file (taken on first ask; a
    crashed instance's lock, and one that names no process, are taken over:
    planner.ui.common.lock_files)."""

    def __init__(self, path: Path | str):
        self.lock = QLockFile(str(path))
        self.lock.setStaleLockTime(0)

    def __call__(self) -> bool:
        return self.lock.isLocked() or take(self.lock)

    def release(self) -> None:
        if self.lock.isLocked():
            self.lock.unlock()


def default_lock_path() -> Path:
    from planner.services.folders import data_folder

    folder = data_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "reminders.lock"


class Notifier(QObject):
    """``deliver`` says which way a notification went: ``dbus``, ``tray``, ``banner``."""

    open_requested = Signal()  # the notification was clicked: show This week
    snooze_requested = Signal()  # its "Snooze all today" button
    delivered = Signal(str, str)  # route, the sentence

    def __init__(self, settings: QSettings, *, clock: Callable[[], datetime] | None = None,
                 bus_address: str | None = None, lock_path: Path | str | None = None,
                 tray=None, banner: Callable[[str], None] | None = None,
                 text: Callable[[], NotificationText | None] | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.settings = settings
        self.clock = clock or (lambda: datetime.now(UTC))
        self.bus_address = bus_address
        self.claim = InstanceClaim(lock_path or default_lock_path())
        self.tray = tray
        self.banner = banner
        self.text = text or self._daily_text
        self.dbus: FreedesktopNotifications | None = None
        self.notification_id = 0
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)

    def start(self) -> None:
        self.timer.start()
        QTimer.singleShot(3000, self, self.tick)  # at start (or on wake) without waiting

    def schedule(self) -> DailySchedule:
        return DailySchedule(clock=self.clock, store=SettingsDayStore(self.settings),
                             at=notify_time(self.settings), tz=local_zone(),
                             claim=self.claim)

    def tick(self) -> bool:
        """Send today's notification if its time has come (once a day, one instance)."""
        if not notifications_on(self.settings) or not self.schedule().tick():
            return False
        try:
            text = self.text()
        except PlannerError as exc:  # e.g. a team database out of reach: try tomorrow
            log.warning("no daily notification: %s", exc)
            return False
        except Exception:  # a timer's tick never takes the app down: logged, tried tomorrow
            log.exception("no daily notification")
            return False
        if text is not None:
            self.deliver(text)
        return True

    def _daily_text(self) -> NotificationText | None:
        from planner.services.reminders import daily_notification

        return daily_notification(as_of=self.clock(), tz=local_zone())

    def deliver(self, text: NotificationText) -> str:
        route = "banner"
        dbus = self._dbus()
        if dbus.available:
            self.notification_id = dbus.notify(text.summary, text.body)
            if self.notification_id:
                route = "dbus"
        if route == "banner" and self._tray_can_show():
            from PySide6.QtWidgets import QSystemTrayIcon

            self.tray.showMessage(text.summary, text.body,
                                  QSystemTrayIcon.MessageIcon.Information, 15_000)
            route = "tray"
        if route == "banner" and self.banner is not None:
            self.banner(text.sentence)
        self.delivered.emit(route, text.sentence)
        return route

    def _dbus(self) -> FreedesktopNotifications:
        if self.dbus is None:
            from planner.ui.focus.desktop_notifications import FreedesktopNotifications

            self.dbus = FreedesktopNotifications(self.bus_address, self)
            self.dbus.action_invoked.connect(self._action)
        return self.dbus

    def _action(self, notification_id: int, key: str) -> None:
        if notification_id != self.notification_id:
            return
        if key == "default":
            self.open_requested.emit()
        elif key == "snooze-today":
            self.snooze_requested.emit()

    def _tray_can_show(self) -> bool:
        from PySide6.QtWidgets import QSystemTrayIcon

        return (self.tray is not None and self.tray.isVisible()
                and QSystemTrayIcon.supportsMessages())

    def shutdown(self) -> None:
        self.timer.stop()
        if self.dbus is not None:
            self.dbus.close()
        self.claim.release()
