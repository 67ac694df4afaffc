"""A lock file that names no window (planner.instance_lock): an empty or unreadable
``planner.db.lock`` left by a crash or power loss while it was being written, a sync
tool or another program. It used to be taken for a live window for ever, so every window
on that database opened read-only. It is taken over when no process holds it, and left
alone while a process does or while it may be a lock being written right now."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
import time

import pytest

from planner.domain.errors import DatabaseProblem

# holds the lock file's native locks as QLockFile does (flock and fcntl) without
# writing anything into it: a live holder whose file names no one
HOLDER = textwrap.dedent("""
    import fcntl, os, sys
    fd = os.open(sys.argv[1], os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    print("held", flush=True)
    sys.stdin.readline()
""")


def left_behind(path, content: bytes | None = b"", *, link_to=None, age: float = 60):
    """A lock file as a crash (or someone) left it, ``age`` seconds old."""
    if link_to is not None:
        os.symlink(link_to, path)
    else:
        with open(path, "wb") as out:
            out.write(content or b"")
    then = time.time() - age
    os.utime(path, (then, then), follow_symlinks=False)


def names_us(path) -> bool:
    with open(path, encoding="utf-8") as lock_file:
        return lock_file.read().split()[0] == str(os.getpid())


@pytest.mark.parametrize("content", [b"", b"\x00\x00\x00", b"not a lock\n"],
                         ids=["empty", "zeros", "text"])
def test_a_lock_file_naming_no_one_is_taken_over(database, qapp, content, caplog):
    from planner.app import acquire_instance_lock

    lock_path = f"{database}.lock"
    left_behind(lock_path, content)
    lock = acquire_instance_lock(str(database))
    try:
        assert lock is not None and lock.isLocked()
        assert names_us(lock_path)
        assert stat.S_IMODE(os.stat(lock_path).st_mode) == 0o600
        assert "naming no process" in caplog.text
    finally:
        lock.unlock()


def test_the_window_opens_for_writing_over_such_a_file(database, qapp, monkeypatch):
    """Through run_gui, as `planner --db FILE` starts: a window that can change things,
    not the read-only one a second window gets."""
    from PySide6.QtWidgets import QApplication

    from planner.app import run_gui

    left_behind(f"{database}.lock")
    windows = []
    monkeypatch.setattr(QApplication, "exec", lambda *_: windows.extend(
        w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow") or 0)
    assert run_gui(str(database)) == 0
    (window,) = [w for w in windows if w.isVisible()]
    try:
        assert not window.document.read_only
        assert window.window_actions.add_contact.isEnabled()
        assert names_us(f"{database}.lock")
    finally:
        window.close()
        window.deleteLater()


def test_a_link_in_its_place_changes_nothing_it_points_at(database, qapp, tmp_path):
    """A symbolic link where the lock file goes (a shared folder): the file it points at
    keeps its content and mode; the lock taken is a file of its own, 0600."""
    from planner.app import acquire_instance_lock

    victim = tmp_path / "elsewhere.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    os.chmod(victim, 0o644)
    left_behind(f"{database}.lock", link_to=victim)
    lock = acquire_instance_lock(str(database))
    try:
        assert lock is not None and lock.isLocked()
        assert victim.read_text(encoding="utf-8") == "keep me\n"
        assert stat.S_IMODE(os.stat(victim).st_mode) == 0o644
        assert not os.path.islink(f"{database}.lock")
        assert stat.S_IMODE(os.stat(f"{database}.lock").st_mode) == 0o600
    finally:
        lock.unlock()


def test_a_file_held_by_a_live_process_is_left_alone(database, qapp):
    from planner.app import acquire_instance_lock

    lock_path = f"{database}.lock"
    left_behind(lock_path)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, lock_path],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseProblem, match="is in the way") as refused:
            acquire_instance_lock(str(database))
        assert "delete that file" in str(refused.value)
        assert os.path.exists(lock_path) and os.path.getsize(lock_path) == 0
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
        holder.stdout.close()
    # its holder gone, the file is taken over
    lock = acquire_instance_lock(str(database))
    assert lock is not None and names_us(lock_path)
    lock.unlock()


def test_a_lock_file_being_written_now_is_left_alone(database, qapp):
    """Empty and a moment old: it may be another window's lock between its creation and
    its first write, so it is not removed."""
    from planner.app import acquire_instance_lock

    lock_path = f"{database}.lock"
    left_behind(lock_path, age=0)
    with pytest.raises(DatabaseProblem, match="is in the way"):
        acquire_instance_lock(str(database))
    assert os.path.exists(lock_path) and os.path.getsize(lock_path) == 0


def test_a_dangling_link_is_said_plainly(database, qapp, tmp_path):
    from planner.app import acquire_instance_lock

    left_behind(f"{database}.lock", link_to=tmp_path / "nowhere")
    with pytest.raises(DatabaseProblem) as refused:
        acquire_instance_lock(str(database))
    message = str(refused.value)
    assert "planner.db.lock is in the way" in message
    assert "already open" not in message


def test_a_lock_naming_another_computer_says_how_to_end_it(database, qapp):
    """A data folder copied from another computer brings that computer's lock along:
    only that computer can tell whether it is live, so it stays; the message names the
    computer and says what to do if the database is not open there."""
    from planner.app import acquire_instance_lock

    lock_path = f"{database}.lock"
    written = "4242\nplanner\nanother-laptop\n0123456789abcdef0123456789abcdef\n\n"
    left_behind(lock_path, written.encode())
    with pytest.raises(DatabaseProblem) as refused:
        acquire_instance_lock(str(database))
    message = str(refused.value)
    assert "on another-laptop (process 4242)" in message
    assert f"delete {lock_path}" in message
    with open(lock_path, encoding="utf-8") as lock_file:
        assert lock_file.read() == written

