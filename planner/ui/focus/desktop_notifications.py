"""The freedesktop notification service (org.freedesktop.Notifications) over D-Bus.

Spoken with jeepney (pure Python, already there on Linux for the keyring) rather than
QtDBus: PySide6 cannot mark a Python int as a D-Bus uint32, so QtDBus sends Notify as
``sisssasa{sv}i`` where the spec (and every server) wants ``susssasa{sv}i``. Replies and
signals (``ActionInvoked``: the user clicked the notification) are read when the
socket has data, through a QSocketNotifier: the GUI thread never blocks waiting.
"""

from __future__ import annotations

import logging
from collections import deque
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier, Signal

if TYPE_CHECKING:
    from jeepney.io.blocking import DBusConnection

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
APP_NAME = "Mentorship Planner"
APP_ICON = "mentorship-planner"
CALL_TIMEOUT = 2.0  # seconds: a notification server answers in milliseconds


class FreedesktopNotifications(QObject):
    """One connection to a session bus (``address``: a D-Bus address; default the
    session bus of ``$DBUS_SESSION_BUS_ADDRESS``). ``available`` is False when there is
    no bus or nobody serves notifications on it."""

    action_invoked = Signal(int, str)  # notification id, action key ("default" = a click)
    closed = Signal(int, int)  # notification id, reason

    def __init__(self, address: str | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.conn: DBusConnection | None = None
        self.server = ""
        self._signals: deque = deque()
        self._watch: QSocketNotifier | None = None
        try:
            self._connect(address or "SESSION")
        except Exception as exc:  # no bus, no service, a bus that does not answer
            log.info("no desktop notification service: %s", exc)
            self.close()

    @property
    def available(self) -> bool:
        return self.conn is not None

    def _connect(self, address: str) -> None:
        from jeepney import DBusAddress, MatchRule, new_method_call
        from jeepney.bus_messages import message_bus
        from jeepney.io.blocking import open_dbus_connection

        self.conn = conn = open_dbus_connection(bus=address)
        self._target = DBusAddress(PATH, bus_name=SERVICE, interface=SERVICE)
        info = conn.send_and_get_reply(
            new_method_call(self._target, "GetServerInformation"), timeout=CALL_TIMEOUT)
        if info.header.message_type.name != "method_return":
            raise RuntimeError(f"{SERVICE} answered {info.body!r}")
        self.server = str(info.body[0])
        rule = MatchRule(type="signal", interface=SERVICE, path=PATH)
        conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=CALL_TIMEOUT)
        self._filter = conn.filter(rule, queue=self._signals)
        self._watch = QSocketNotifier(conn.sock.fileno(), QSocketNotifier.Type.Read, self)
        self._watch.activated.connect(self._readable)

    def notify(self, summary: str, body: str, *, replaces: int = 0,
               actions: tuple[tuple[str, str], ...] = (("default", "Open This week"),
                                                       ("snooze-today", "Snooze all today"))
               ) -> int:
        """Show a notification; its id (0 when it could not be shown)."""
        if self.conn is None:
            return 0
        from jeepney import new_method_call

        flat = [part for action in actions for part in action]
        message = new_method_call(self._target, "Notify", "susssasa{sv}i",
                                  (APP_NAME, replaces, APP_ICON, summary, body, flat,
                                   {"category": ("s", "reminder")}, -1))
        try:
            reply = self.conn.send_and_get_reply(message, timeout=CALL_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            log.warning("the notification was not delivered: %s", exc)
            return 0
        finally:
            self._deliver()  # signals that came in while waiting for the reply
        if reply.header.message_type.name != "method_return":
            log.warning("the notification service refused: %s", reply.body)
            return 0
        return int(reply.body[0])

    def _readable(self) -> None:
        if self.conn is None:
            return
        try:
            while True:
                self.conn.recv_messages(timeout=0)
        except TimeoutError:
            pass
        except (OSError, ValueError) as exc:  # the bus went away
            log.info("the session bus closed: %s", exc)
            self.close()
        self._deliver()

    def _deliver(self) -> None:
        while self._signals:
            msg = self._signals.popleft()
            member = msg.header.fields.get(3)  # HeaderFields.member
            if member == "ActionInvoked":
                self.action_invoked.emit(int(msg.body[0]), str(msg.body[1]))
            elif member == "NotificationClosed":
                self.closed.emit(int(msg.body[0]), int(msg.body[1]))

    def close(self) -> None:
        if self._watch is not None:
            self._watch.setEnabled(False)
            self._watch.deleteLater()
            self._watch = None
        if self.conn is not None:
            try:
                self.conn.close()
            except OSError:
                pass
            self.conn = None
