"""A read-only database file or folder: refused with a clear message before anything is
written (the file untouched), one line from the command line, a message box from the
window; never a traceback.

Root ignores permission bits, so as root the test makes things read-only with a
read-only bind mount instead of chmod.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main
from planner.domain.errors import DatabaseProblem
from planner.storage.database import open_database


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def read_only(tmp_path):
    """make(path): path (a file or a folder) becomes read-only until the test ends."""
    undo = []

    def make(path: Path) -> None:
        if os.geteuid() != 0:
            mode = path.stat().st_mode
            path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
            undo.append(lambda: path.chmod(mode))
            return
        if sys.platform != "linux":
            pytest.skip("read-only bind mounts are Linux only")
        for cmd in (["mount", "--bind", str(path), str(path)],
                    ["mount", "-o", "remount,bind,ro", str(path)]):
            done = subprocess.run(cmd, capture_output=True)
            if done.returncode != 0:
                pytest.skip(f"cannot make {path.name} read-only as root here: {done.stderr!r}")
            if cmd[1] == "--bind":
                undo.append(lambda: subprocess.run(["umount", str(path)], check=False))

    yield make
    for step in reversed(undo):
        step()


@pytest.fixture
def database(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "planner.db"
    assert main(["--db", str(db), "contacts", "add", "Ada"]) == 0
    assert main(["--db", str(db), "log", "Ada", "call", "--note", "kept"]) == 0
    return db


@pytest.mark.parametrize("what", ["file", "folder"])
def test_cli_refuses_in_one_line_and_leaves_the_file_alone(database, read_only, capsys, what):
    read_only(database if what == "file" else database.parent)
    before = digest(database)
    listing = sorted(p.name for p in database.parent.iterdir())
    capsys.readouterr()
    for args in (["contacts", "list"], ["log", "Ada", "call"], ["timeline"]):
        assert main(["--db", str(database), *args]) == 1
        err = capsys.readouterr().err.strip()
        assert err.startswith("planner: ") and "\n" not in err, err
        assert "read-only" in err and "untouched" in err
        assert "restore" not in err  # nothing is damaged: no talk of backups
        if os.geteuid() == 0:  # a read-only mount: no chmod helps (a review found it said)
            assert "on a disk mounted read-only" in err and "chmod" not in err, err
    assert digest(database) == before
    assert sorted(p.name for p in database.parent.iterdir()) == listing


def test_services_raise_a_database_problem(database, read_only):
    read_only(database.parent)
    with pytest.raises(DatabaseProblem, match="read-only"):
        open_database(str(database))


def test_the_window_says_so_and_does_not_crash(database, read_only, qapp, monkeypatch, capsys):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    assert main(["--db", str(database), "backup"]) == 0  # a backup exists: still no offer
    read_only(database.parent)
    capsys.readouterr()
    assert main(["--db", str(database)]) == 1  # `planner` alone opens the window
    assert len(shown) == 1 and "read-only" in shown[0]
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err and "read-only" in err


def test_writable_again_opens_normally(database, tmp_path):
    """The same file opens once it can be written (nothing was left behind)."""
    opened = open_database(str(database))
    opened.close()
    assert main(["--db", str(database), "timeline", "Ada"]) == 0


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_restore_over_a_read_only_database_says_so(database, read_only, tmp_path, capsys,
                                                     what):
    """It said "disk I/O error", or named our own temporary file (…restoring.partial)."""
    backup = tmp_path / "copy.db"
    assert main(["--db", str(database), "backup", "-o", str(backup)]) == 0
    read_only(database if what == "file" else database.parent)
    before = digest(database)
    capsys.readouterr()
    assert main(["--db", str(database), "restore", str(backup)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("planner: cannot restore ") and "\n" not in err, err
    assert "read-only" in err and "nothing was changed" in err
    assert "partial" not in err and "I/O" not in err
    assert digest(database) == before
