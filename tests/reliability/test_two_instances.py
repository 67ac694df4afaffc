"""Two windows on one database: the second is told and opens read-only (QLockFile beside
the database); the command line writing while the window is open works and shows up."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap

import pytest

from planner.cli import main
from planner.domain.errors import DatabaseProblem
from tests.helpers.stores import bound

HOLDER = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QLockFile
    lock = QLockFile(sys.argv[1] + ".lock")
    assert lock.tryLock(1000)
    print("locked", flush=True)
    sys.stdin.readline()
""")


def test_a_second_window_in_another_process_is_refused_clearly(database, qapp):
    from planner.app import acquire_instance_lock

    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(database)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseProblem) as refused:
            acquire_instance_lock(str(database))
        message = str(refused.value)
        assert "already open in another Mentorship Planner window" in message
        assert f"process {holder.pid}" in message
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
        holder.stdout.close()
    # the first one gone, the lock is free again
    lock = acquire_instance_lock(str(database))
    assert lock is not None and lock.isLocked()
    lock.unlock()


def test_a_crashed_windows_lock_is_taken_over(database, qapp):
    from planner.app import acquire_instance_lock

    previous = os.umask(0o022)
    try:
        holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(database)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    finally:
        os.umask(previous)
    assert holder.stdout.readline().strip() == "locked"
    holder.kill()
    holder.wait(timeout=10)
    holder.stdin.close()
    holder.stdout.close()
    assert stat.S_IMODE(os.stat(f"{database}.lock").st_mode) == 0o644  # the holder's
    lock = acquire_instance_lock(str(database))
    assert lock is not None and lock.isLocked()
    assert stat.S_IMODE(os.stat(f"{database}.lock").st_mode) == 0o600  # now ours
    lock.unlock()


def test_second_window_in_the_same_process_is_refused(database, qapp):
    from planner.app import acquire_instance_lock

    first = acquire_instance_lock(str(database))
    try:
        with pytest.raises(DatabaseProblem, match="already open"):
            acquire_instance_lock(str(database))
    finally:
        first.unlock()


def test_the_lock_file_is_for_its_owners_eyes_only(database, qapp):
    """It names the process and host that hold the database: 0600 like the database,
    whatever the umask (QLockFile makes it 0644 under the usual 022)."""
    from planner.app import acquire_instance_lock

    previous = os.umask(0o022)
    try:
        lock = acquire_instance_lock(str(database))
    finally:
        os.umask(previous)
    assert lock is not None and lock.isLocked()
    assert stat.S_IMODE(os.stat(f"{database}.lock").st_mode) == 0o600
    lock.unlock()


def test_run_gui_opens_the_second_window_read_only(database, qapp, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from planner.app import acquire_instance_lock, run_gui

    windows = []
    monkeypatch.setattr(QApplication, "exec", lambda *_: windows.extend(
        w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow") or 0)
    first = acquire_instance_lock(str(database))
    try:
        assert run_gui(str(database)) == 0
    finally:
        first.unlock()
    (window,) = [w for w in windows if w.isVisible()]
    try:
        assert window.document.read_only
        assert "already open" in window.read_only_banner.text()
        assert window.windowTitle() == "planner.db (read-only) — Mentorship Planner"
        assert not window.window_actions.add_contact.isEnabled()
        # the toast said as the window was built sits at the foot of the laid-out canvas
        toast, canvas = window.toast, window.view
        assert toast.isVisible() and toast.text().startswith("Opened read-only")
        assert canvas.rect().contains(toast.geometry())
        assert toast.geometry().bottom() > canvas.height() * 3 // 4
    finally:
        window.close()
        window.deleteLater()


def test_a_read_only_window_changes_nothing_and_follows_the_other(database, qtbot):
    from planner.app import build_main_window
    from planner.domain.errors import PlannerError
    from planner.domain.rings import Ring
    from planner.services import contacts

    before = database.read_bytes()
    window = build_main_window(str(database), watch=False, read_only="open elsewhere")
    qtbot.addWidget(window)
    grace = window.document.contacts()[0]
    assert window.document.move(grace.id, Ring.INNER) is False  # refused, with a message
    assert window.document.contact(grace.id).ring is None
    with pytest.raises(PlannerError):  # even a direct write is refused by the connection
        contacts.add_contact(bound(), "Sneaky Write")
    # the other window (here: the command line) changes it; this one follows
    assert main(["--db", str(database), "contacts", "move", "Grace Hopper", "outer"]) == 0
    qtbot.waitUntil(window.document.session.catch_up, timeout=3000)
    assert window.document.contact(grace.id).ring == Ring.OUTER
    assert len(before) > 0


def test_the_command_line_writes_while_the_window_is_open(database, qtbot):
    from planner.app import acquire_instance_lock, build_main_window
    from tests.helpers.cli import run_cli

    lock = acquire_instance_lock(str(database))
    window = build_main_window(str(database))
    qtbot.addWidget(window)
    try:
        result = run_cli("contacts", "add", "Katherine Johnson", db=database)
        assert result.returncode == 0, result.stderr
        result = run_cli("log", "Grace", "call", "--note", "from the terminal", db=database)
        assert result.returncode == 0, result.stderr
        qtbot.waitUntil(lambda: "Katherine Johnson" in
                        [c.name for c in window.document.contacts()], timeout=5000)
        # and the window can still write after the other program did
        grace = next(c for c in window.document.contacts() if c.name == "Grace Hopper")
        from planner.domain.rings import Ring

        assert window.document.move(grace.id, Ring.INNER)
        assert main(["--db", str(database), "rings"]) == 0
    finally:
        lock.unlock()
