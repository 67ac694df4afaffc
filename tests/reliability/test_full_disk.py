"""A full disk: a tiny filesystem (tmpfs of 2 MiB, mounted by the test when it may),
or a file size limit (RLIMIT_FSIZE) in a subprocess. The failed action says so
clearly, the data saved before it is intact and the app keeps working."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from planner.cli import main
from planner.domain.errors import DatabaseProblem, PlannerError
from tests.helpers.stores import bound

BIG = "x" * 200_000  # a note larger than whatever room is left


@pytest.fixture
def tiny_dir(tmp_path):
    mount = tmp_path / "tiny"
    mount.mkdir()
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a tiny filesystem needs root on Linux (see the RLIMIT test)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"mount not permitted here: {done.stderr!r} (see the RLIMIT test)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    """Take every free byte of the filesystem; return the filler to delete later."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno in (errno.ENOSPC, errno.EFBIG)
    finally:
        os.close(fd)
    return filler


def rows(path: Path) -> tuple[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return (conn.execute("PRAGMA integrity_check").fetchone()[0],
                conn.execute("SELECT id, note FROM touchpoint ORDER BY id").fetchall())
    finally:
        conn.close()


def test_services_raise_a_clear_error_and_keep_earlier_data(tiny_dir):
    from planner.services import contacts, touchpoints
    from planner.storage.database import open_database

    db = tiny_dir / "planner.db"
    opened = open_database(str(db))
    try:
        ada = contacts.add_contact(bound(), "Ada")
        for i in range(5):
            touchpoints.log_touchpoint(bound(), ada.id, "call", note=f"kept {i}")
        filler = fill(tiny_dir)
        with pytest.raises(DatabaseProblem) as full:
            touchpoints.log_touchpoint(bound(), ada.id, "call", note=BIG)
        assert "disk" in str(full.value) and "full" in str(full.value)
        assert "not saved" in str(full.value)
        with pytest.raises(PlannerError):  # again: still a clear refusal, not a crash
            touchpoints.add_note(bound(), ada.id, BIG)
        filler.unlink()
        touchpoints.log_touchpoint(bound(), ada.id, "call", note="after")  # room again: works
    finally:
        opened.close()
    check, stored = rows(db)
    assert check == "ok"
    assert [n for _, n in stored] == [f"kept {i}" for i in range(5)] + ["after"]


def test_cli_says_one_line_exit_1(tiny_dir, capsys):
    db = tiny_dir / "planner.db"
    assert main(["--db", str(db), "contacts", "add", "Ada"]) == 0
    assert main(["--db", str(db), "log", "Ada", "call", "--note", "kept"]) == 0
    filler = fill(tiny_dir)
    capsys.readouterr()
    assert main(["--db", str(db), "note", "Ada", BIG]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("planner: ") and "\n" not in err and "full" in err
    assert "unexpected" not in err
    filler.unlink()
    check, stored = rows(db)
    assert check == "ok" and [n for _, n in stored] == ["kept"]


def test_window_shows_the_failure_and_keeps_working(tiny_dir, qtbot):
    from planner.app import build_main_window
    from planner.document.log_commands import LogTouchpointCommand
    from planner.domain.kinds import Kind
    from planner.domain.rings import Ring

    db = tiny_dir / "planner.db"
    assert main(["--db", str(db), "contacts", "add", "Ada"]) == 0
    window = build_main_window(str(db), watch=False)
    qtbot.addWidget(window)
    window.show()
    document = window.document
    (ada,) = document.contacts()
    messages: list[str] = []
    document.message.connect(messages.append)
    assert document.move(ada.id, Ring.INNER)

    filler = fill(tiny_dir)
    logged = document.push(LogTouchpointCommand(document, ada.id, Kind("call"), None, None, BIG))
    assert not logged
    assert messages and "full" in messages[-1]
    assert "full" in window.statusBar().currentMessage()
    assert not document.undo_stack.canRedo()

    filler.unlink()  # the person frees space: the same window carries on
    ok = document.push(LogTouchpointCommand(document, ada.id, Kind("call"), None, None, "ok"))
    assert ok, messages
    assert document.move(ada.id, Ring.MIDDLE)
    assert document.contact(ada.id).ring == Ring.MIDDLE
    window.close()
    check, stored = rows(db)
    assert check == "ok" and [n for _, n in stored] == ["ok"]


LIMITED = textwrap.dedent("""
    import resource, signal, sys
    from planner.cli import main
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    sys.exit(main(sys.argv[2:]))
""")


def test_file_size_limit_equivalent_in_a_subprocess(tmp_path):
    """Where mounting is not allowed: the same fault through RLIMIT_FSIZE."""
    if not hasattr(__import__("signal"), "SIGXFSZ"):
        pytest.skip("POSIX only")
    db = tmp_path / "planner.db"
    assert main(["--db", str(db), "contacts", "add", "Ada"]) == 0
    assert main(["--db", str(db), "log", "Ada", "call", "--note", "kept"]) == 0
    # The limit sits below where a 125,000-character note takes the -wal (which starts
    # empty: the commands above closed the database), whatever size the schema gives
    # the database file itself (no write goes there before the note's commit).
    assert not Path(f"{db}-wal").exists()
    done = subprocess.run(
        [sys.executable, "-c", LIMITED, str(96 * 1024),
         "--db", str(db), "note", "Ada", "y" * 125_000],  # grows the WAL past the limit
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 1, done.stderr
    err = done.stderr.strip()
    assert "\n" not in err and "Traceback" not in err
    assert "full" in err or "disk I/O" in err or "too large" in err
    check, stored = rows(db)
    assert check == "ok" and [n for _, n in stored] == ["kept"]
