"""The daily notification delivered to a real freedesktop notification server on a
private D-Bus session bus (dbus-daemon + tests/helpers/notification_server.py), with a
fake clock: what the server received (summary, body, actions, the exact D-Bus
signature), once a day, by one instance only, and a click (ActionInvoked "default")
opening This week in the real window."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from planner.storage.database import open_database
from planner.ui.focus.notifier import LAST_DAY, NOTIFY_TIME, Notifier
from tests.gui.helpers import open_window, use_private_settings
from tests.gui.reminder_helpers import at, write_people

REPO = Path(__file__).resolve().parents[2]


def _need(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is missing: .ci/run installs it (apt-get install dbus)")
        pytest.skip(f"{tool} is not installed (apt-get install dbus)")
    return found


@pytest.fixture
def bus(tmp_path):
    """A private session bus with the test notification server on it:
    (address, the server's log of Notify calls, invoke(id, key))."""
    daemon = subprocess.Popen([_need("dbus-daemon"), "--session", "--nofork",
                               "--print-address=1"], stdout=subprocess.PIPE, text=True)
    address = daemon.stdout.readline().strip()
    log = tmp_path / "notifications.jsonl"
    server = subprocess.Popen([sys.executable, "-m", "tests.helpers.notification_server",
                               address, str(log)], stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert server.stdout.readline().strip() == "ready"

    def invoke(notification_id: int, key: str) -> None:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        with open_dbus_connection(bus=address) as conn:
            target = DBusAddress("/org/freedesktop/Notifications",
                                 bus_name="org.freedesktop.Notifications",
                                 interface="org.planner.TestControl")
            conn.send_and_get_reply(new_method_call(target, "Invoke", "us",
                                                    (notification_id, key)), timeout=5)

    def received() -> list[dict]:
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    yield address, received, invoke
    for process in (server, daemon):
        process.kill()
        process.wait(10)
        process.stdout.close()


class Clock:
    def __init__(self, moment: datetime):
        self.now = moment

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def people(db_path):
    return write_people(db_path)


def test_the_daily_notification_reaches_the_server_once_and_a_click_opens_this_week(
        qtbot, db_path, people, bus, tmp_path):
    address, received, invoke = bus
    window = open_window(qtbot, db_path)
    window.show_page(window.view)
    settings = QSettings()
    clock = Clock(at(people, 8, 59))
    notifier = Notifier(settings, clock=clock, bus_address=address,
                        lock_path=tmp_path / "reminders.lock", parent=window)
    notifier.open_requested.connect(lambda: window.show_page(window.focus))

    assert notifier.tick() is False and received() == []  # not yet
    clock.now = at(people, 9, 0)
    with qtbot.waitSignal(notifier.delivered) as sent:
        assert notifier.tick() is True
    assert sent.args[0] == "dbus"
    (note,) = received()
    assert note["summary"] == "3 people are due today"
    assert note["body"] == ("Linus (never contacted), Ada (overdue 4 days), Grace — "
                            "and it is Alan's birthday tomorrow")
    assert note["actions"] == ["default", "Open This week", "snooze-today", "Snooze all today"]
    assert note["app_name"] == "Mentorship Planner"
    assert note["signature"] == "susssasa{sv}i"  # exactly as the spec says
    assert settings.value(LAST_DAY) == people.isoformat()

    for minutes in (1, 30, 600):  # later the same day: nothing more
        clock.now = at(people, 9) + timedelta(minutes=minutes)
        assert notifier.tick() is False
    assert len(received()) == 1

    assert window.pages.currentWidget() is not window.focus
    invoke(note["id"], "default")  # the user clicks it
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.focus, timeout=5000)
    notifier.shutdown()


def test_asleep_for_days_one_notification_on_wake_and_only_one_instance_sends(
        qtbot, db_path, people, bus, tmp_path):
    address, received, _ = bus
    use_private_settings()
    settings = QSettings()
    settings.setValue(NOTIFY_TIME, "08:30")
    settings.setValue(LAST_DAY, (people - timedelta(days=3)).isoformat())
    handle = open_database(str(db_path))
    lock = tmp_path / "reminders.lock"
    clock = Clock(at(people, 14, 5))  # woke up at 14:05, three days later
    first = Notifier(settings, clock=clock, bus_address=address, lock_path=lock)
    second = Notifier(QSettings(), clock=clock, bus_address=address, lock_path=lock)
    try:
        assert first.tick() is True
        assert second.tick() is False  # the day is done, and the lock is the first's
        assert len(received()) == 1
        clock.now += timedelta(days=1)
        assert [second.tick(), first.tick()] == [False, True]  # only the lock holder
        first.shutdown()  # the first quits: the second takes over the next day
        clock.now += timedelta(days=1)
        assert second.tick() is True
        assert len(received()) == 3
    finally:
        second.shutdown()
        handle.close()


def test_without_a_notification_service_the_banner_says_it(qtbot, db_path, people, tmp_path):
    use_private_settings()
    shown = []
    handle = open_database(str(db_path))
    try:
        notifier = Notifier(QSettings(), clock=Clock(at(people, 10)),
                            bus_address="unix:path=/nonexistent/bus",
                            lock_path=tmp_path / "reminders.lock", banner=shown.append)
        assert notifier.tick() is True
        assert shown == ["3 people are due today: Linus (never contacted), Ada (overdue 4 "
                         "days), Grace — and it is Alan's birthday tomorrow"]
        notifier.shutdown()
    finally:
        handle.close()


def test_a_lock_left_naming_no_one_does_not_stop_the_reminders(qtbot, db_path, people,
                                                              tmp_path):
    """An empty ``reminders.lock`` (a crash or power loss while it was written) was taken
    for a live instance for ever: no reminder was sent again. Now it is taken over."""
    use_private_settings()
    lock = tmp_path / "reminders.lock"
    lock.write_bytes(b"")
    then = datetime.now().timestamp() - 60
    os.utime(lock, (then, then))
    shown = []
    handle = open_database(str(db_path))
    try:
        notifier = Notifier(QSettings(), clock=Clock(at(people, 10)),
                            bus_address="unix:path=/nonexistent/bus", lock_path=lock,
                            banner=shown.append)
        assert notifier.tick() is True
        assert len(shown) == 1 and shown[0].startswith("3 people are due today")
        assert lock.read_text(encoding="utf-8").split()[0] == str(os.getpid())
        assert oct(lock.stat().st_mode & 0o777) == "0o600"
        notifier.shutdown()
    finally:
        handle.close()


def test_a_tick_that_cannot_read_the_database_is_logged_and_never_raises(
        qtbot, db_path, people, tmp_path, caplog):
    """A timer's tick must not take the app down (here: a database gone under it, as a
    dropped team database raises a driver error): logged, and tried again tomorrow."""
    use_private_settings()
    shown = []

    def gone():
        raise RuntimeError("the database went away")

    notifier = Notifier(QSettings(), clock=Clock(at(people, 10)),
                        bus_address="unix:path=/nonexistent/bus",
                        lock_path=tmp_path / "reminders.lock", banner=shown.append, text=gone)
    try:
        assert notifier.tick() is False
        assert shown == [] and "no daily notification" in caplog.text
    finally:
        notifier.shutdown()
