"""Corrupt, truncated, foreign and too-new files: a clear message, the file untouched,
and the way back named: the exact restore command (CLI) or a restore offer (GUI)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from planner.cli import main
from planner.domain.errors import DatabaseProblem
from planner.storage.database import open_database


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_database_with_backup(path: Path) -> Path:
    assert main(["--db", str(path), "contacts", "add", "Ada Lovelace"]) == 0
    assert main(["--db", str(path), "log", "Ada", "call", "--note", "first"]) == 0
    assert main(["--db", str(path), "backup"]) == 0
    (backup,) = sorted((path.parent / "backups").glob("*.db"))
    return backup


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def scribble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(100, len(data), 997):  # garbage through every page after the header
        data[offset:offset + 64] = b"\xde\xad\xbe\xef" * 16
    path.write_bytes(bytes(data))


def header_only(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:100])


def too_new(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE planner_meta SET value='999' WHERE key='schema_version'")
    conn.commit()
    conn.close()


DAMAGE = {"truncated": truncate, "scribbled": scribble, "header-only": header_only}


@pytest.mark.parametrize("how", sorted(DAMAGE))
def test_damaged_file_clear_message_untouched_and_exact_restore_command(tmp_path, capsys, how):
    db = tmp_path / "planner.db"
    backup = make_database_with_backup(db)
    DAMAGE[how](db)
    before = digest(db)
    capsys.readouterr()

    assert main(["--db", str(db), "contacts", "list"]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert "damaged" in err or "cannot be" in err
    command = f"planner --db '{db}' restore '{backup}'"
    assert command in err
    assert digest(db) == before
    assert not Path(f"{db}-wal").exists() or how == "scribbled"

    # the command it names works and brings the data back
    assert main(["--db", str(db), "restore", str(backup)]) == 0
    assert main(["--db", str(db), "timeline", "Ada"]) == 0
    assert "first" in capsys.readouterr().out


def test_not_a_database_is_refused_and_left_alone(tmp_path, capsys):
    db = tmp_path / "notes.txt"
    db.write_bytes(b"Dear diary,\x00\xff" * 500)
    before = digest(db)
    assert main(["--db", str(db), "contacts", "list"]) == 1
    err = capsys.readouterr().err.strip()
    assert "not a Mentorship Planner database" in err and "untouched" in err
    assert "\n" not in err
    assert digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_newer_version_is_refused_and_left_alone(tmp_path, capsys):
    db = tmp_path / "planner.db"
    make_database_with_backup(db)
    too_new(db)
    before = digest(db)
    capsys.readouterr()
    assert main(["--db", str(db), "log", "Ada", "call"]) == 1
    err = capsys.readouterr().err.strip()
    assert "newer version" in err and "update the app" in err
    assert digest(db) == before
    with pytest.raises(DatabaseProblem):
        open_database(str(db))
    assert digest(db) == before


def test_gui_offers_to_restore_the_latest_backup(qtbot, tmp_path):
    from planner.app import build_main_window, offer_restore

    db = tmp_path / "planner.db"
    make_database_with_backup(db)
    truncate(db)
    with pytest.raises(DatabaseProblem) as problem:
        open_database(str(db))
    outcome = []
    box = offer_restore(str(db), problem.value, on_done=outcome.append)
    assert box is not None and box.isVisible()
    assert box.restore_button.text() == "Restore the latest backup"
    assert "damaged" in box.text()
    box.restore_button.click()
    qtbot.waitUntil(lambda: outcome == [True])
    assert list((tmp_path / "backups").glob("*pre-restore*"))  # the damaged bytes are kept

    window = build_main_window(str(db), watch=False)
    qtbot.addWidget(window)
    assert [c.name for c in window.document.contacts()] == ["Ada Lovelace"]


def test_gui_declining_changes_nothing(qtbot, tmp_path):
    from planner.app import offer_restore

    db = tmp_path / "planner.db"
    make_database_with_backup(db)
    scribble(db)
    before = digest(db)
    outcome = []
    box = offer_restore(str(db), DatabaseProblem("damaged"), on_done=outcome.append)
    box.reject()
    qtbot.waitUntil(lambda: outcome == [False])
    assert digest(db) == before


def test_gui_offers_nothing_without_a_backup(qtbot, tmp_path):
    from planner.app import offer_restore

    db = tmp_path / "planner.db"
    db.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    assert offer_restore(str(db), DatabaseProblem("damaged")) is None


def test_run_gui_shows_the_offer_for_a_damaged_file(qtbot, tmp_path, monkeypatch):
    """The real start-up path (exec() replaced by a wait): the offer opens, the person
    restores, the window runs."""
    import sys

    from PySide6.QtWidgets import QApplication, QMessageBox

    from planner import app as app_module
    from planner.ui.window.main_window import MainWindow

    db = tmp_path / "planner.db"
    make_database_with_backup(db)
    truncate(db)
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: pytest.fail(f"critical {a}"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own
    app = QApplication.instance()
    seen = {}

    def visible(kind):
        return [w for w in app.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]

    def fake_exec():
        qtbot.waitUntil(lambda: bool(visible(QMessageBox)))
        box = visible(QMessageBox)[0]
        seen["text"] = box.text()
        box.restore_button.click()
        qtbot.waitUntil(lambda: bool(visible(MainWindow)), timeout=10_000)
        seen["windows"] = visible(MainWindow)
        return 0

    monkeypatch.setattr(app, "exec", fake_exec)
    quits = app.quitOnLastWindowClosed()
    try:
        assert app_module.run_gui(str(db)) == 0
    finally:
        app.setQuitOnLastWindowClosed(quits)
        lock = getattr(app, "_planner_lock", None)
        if lock is not None:
            lock.unlock()
    assert "damaged" in seen["text"] and len(seen["windows"]) == 1
    window = seen["windows"][0]
    qtbot.addWidget(window)
    assert [c.name for c in window.document.contacts()] == ["Ada Lovelace"]


def test_gui_offers_to_restore_a_database_someone_planted_a_trigger_in(qtbot, tmp_path):
    """A file whose schema was altered (here: a trigger that wipes the notes) is refused
    at open; the window offers the latest backup, which has no trigger."""
    import sqlite3

    from planner.app import offer_restore

    db = tmp_path / "planner.db"
    make_database_with_backup(db)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TRIGGER wipe AFTER INSERT ON touchpoint BEGIN DELETE FROM note; END")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseProblem, match="trigger") as problem:
        open_database(str(db))
    outcome = []
    box = offer_restore(str(db), problem.value, on_done=outcome.append)
    assert box is not None and "wipe" in box.text()
    box.restore_button.click()
    qtbot.waitUntil(lambda: outcome == [True])
    opened = open_database(str(db))
    try:
        triggers = {r[0] for r in opened.db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type='trigger'").fetchall()}
    finally:
        opened.close()
    assert "wipe" not in triggers
