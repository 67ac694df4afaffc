"""Two windows on one database: the second is told and refused (QLockFile beside the
database); the command line writing while the window is open works and shows up."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from planner.cli import main
from planner.domain.errors import DatabaseProblem

HOLDER = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QLockFile
    lock = QLockFile(sys.argv[1] + ".lock")
    assert lock.tryLock(1000)
    print("locked", flush=True)
    sys.stdin.readline()
""")


@pytest.fixture
def database(tmp_path):
    db = tmp_path / "planner.db"
    assert main(["--db", str(db), "contacts", "add", "Grace Hopper"]) == 0
    return db


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

    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(database)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    holder.kill()
    holder.wait(timeout=10)
    holder.stdin.close()
    holder.stdout.close()
    lock = acquire_instance_lock(str(database))
    assert lock is not None and lock.isLocked()
    lock.unlock()


def test_second_window_in_the_same_process_is_refused(database, qapp):
    from planner.app import acquire_instance_lock

    first = acquire_instance_lock(str(database))
    try:
        with pytest.raises(DatabaseProblem, match="already open"):
            acquire_instance_lock(str(database))
    finally:
        first.unlock()


def test_run_gui_tells_the_second_window_and_does_not_open(database, qapp, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from planner.app import acquire_instance_lock, run_gui

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    first = acquire_instance_lock(str(database))
    try:
        with pytest.raises(DatabaseProblem):
            run_gui(str(database))
    finally:
        first.unlock()
    assert len(shown) == 1 and "already open" in shown[0]


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
