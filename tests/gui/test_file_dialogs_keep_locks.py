"""A file dialog that lists the database's folder leaves the window's locks on it.

Qt's file dialogs opened a listed file to tell its type (QMimeDatabase reads the first
bytes of a name it cannot place: ``planner.db``, its -wal and -shm), and closing that
descriptor dropped every POSIX lock SQLite held on the file in this process. A command
line run next then took the database for closed and removed the -wal the window was
still writing: the review saw pending proposals disagree, the undo history emptied and
the file damaged on quit. Every dialog the window can open is shown here on a folder
holding the open database, its rows and their icons and types read, and the locks the
process holds on the database are counted before and after."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel

from planner.domain.rings import Ring
from tests.gui.helpers import open_window
from tests.gui.history_helpers import make_people


def held_locks() -> int:
    """POSIX locks this process holds (the database's, here), as the kernel lists them."""
    pid = f" {os.getpid()} "
    with open("/proc/locks") as listed:  # the kernel's table, not the database
        return sum(1 for line in listed if pid in line)


@pytest.fixture
def documents(tmp_path, monkeypatch) -> Path:
    """A home whose Documents folder (where the dialogs start) holds the database."""
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    return home / "Documents"


def shown_dialog(qtbot) -> QFileDialog:
    def visible():
        return next((w for w in QApplication.topLevelWidgets()
                     if isinstance(w, QFileDialog) and w.isVisible()), None)

    qtbot.waitUntil(lambda: visible() is not None, timeout=5000)
    dialog = visible()
    assert dialog is not None
    return dialog


def read_every_row(qtbot, dialog: QFileDialog, folder: Path) -> None:
    """What the dialog's view asks of its model, for every file of ``folder``: the name,
    the icon and the type, then time for the model's own thread to fetch them."""
    dialog.setNameFilter("Everything (*)")  # its own filter may hide the -wal and -shm
    model = dialog.findChild(QFileSystemModel)
    assert model is not None
    root = model.index(str(folder))
    listed = {"planner.db", "planner.db-wal", "planner.db-shm"}
    qtbot.waitUntil(lambda: listed <= {model.index(r, 0, root).data()
                                       for r in range(model.rowCount(root))}, timeout=5000)
    names = []
    for row in range(model.rowCount(root)):
        index = model.index(row, 0, root)
        names.append(index.data())
        index.data(Qt.ItemDataRole.DecorationRole)
        model.index(row, 2, root).data()  # the "Type" column
    assert listed <= set(names)
    qtbot.wait(400)
    model.index(0, 0, QModelIndex())  # and once more after the fetches came back
    for row in range(model.rowCount(root)):
        model.index(row, 0, root).data(Qt.ItemDataRole.DecorationRole)


def test_every_file_dialog_leaves_the_database_locked(qtbot, documents):
    path = documents / "planner.db"
    ids = make_people(path, {"Ada Lovelace": Ring.INNER})
    window = open_window(qtbot, path)
    window.select(ids["Ada Lovelace"])
    before = held_locks()
    assert before > 0  # the window's connection holds its locks

    def avatar_dialog():
        from planner.ui.common.avatars import PhotoButton

        button = window.findChild(PhotoButton)
        assert button is not None
        button.ask_path(lambda chosen: None)

    opening = {
        "Open Database File": window.window_actions.open_file.trigger,
        "Import": window.window_actions.import_file.trigger,
        "Export": window.window_actions.export_file.trigger,
        "This Week": window.window_actions.export_focus.trigger,
        "Choose a Picture": avatar_dialog,
    }
    for what, open_it in opening.items():
        open_it()
        dialog = shown_dialog(qtbot)
        assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog), what
        read_every_row(qtbot, dialog, documents)
        assert held_locks() == before, f"the {what} dialog dropped the database's locks"
        dialog.reject()
        qtbot.waitUntil(lambda d=dialog: not d.isVisible(), timeout=2000)
    assert held_locks() == before


def test_no_file_dialog_is_made_but_by_file_dialogs():
    """Every dialog comes from planner.ui.common.file_dialogs (a static QFileDialog.get…
    or a QFileDialog of its own would list files with Qt's content-reading icons)."""
    root = Path(__file__).resolve().parents[2] / "planner"
    found = []
    for source in root.rglob("*.py"):
        if source.name == "file_dialogs.py":
            continue
        text = source.read_text(encoding="utf-8")
        for needle in ("QFileDialog(", "QFileDialog.get", "QFileSystemModel(",
                       "QFileIconProvider("):
            if needle in text:
                found.append(f"{source.relative_to(root)}: {needle}")
    assert found == []
