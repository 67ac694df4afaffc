"""File → Export → Everything or People…: the save dialog starts in the user's Documents
folder, then in the folder saved into last (issue 20; the This Week export's helper)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLineEdit

from tests.gui.helpers import open_window, populate


def _dialog(window) -> QFileDialog:
    shown = [d for d in window.findChildren(QFileDialog) if d.isVisible()]
    assert len(shown) == 1
    return shown[0]


def _type_and_save(qtbot, dialog: QFileDialog, path: Path) -> None:
    qtbot.waitExposed(dialog)
    qtbot.wait(300)  # the dialog reads its folder first (and would then reset the name)
    box = dialog.findChild(QLineEdit, "fileNameEdit")
    box.setCompleter(None)  # its popup, shown when the folder is read, would take the click
    box.setFocus()
    box.selectAll()
    QTest.keyClicks(box, str(path))
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.waitUntil(save.isEnabled)
    QTest.mouseClick(save, Qt.MouseButton.LeftButton)


def test_export_dialog_starts_in_documents_then_the_last_folder(qtbot, db_path, tmp_path,
                                                                monkeypatch):
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    populate(db_path, inner=1, outer=2)
    window = open_window(qtbot, db_path)

    window.window_actions.export_file.trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(QFileDialog)))
    dialog = _dialog(window)
    assert Path(dialog.directory().absolutePath()) == home / "Documents"
    assert dialog.selectedFiles()[0].startswith(str(home / "Documents" / "mentorship-planner-"))
    saved = tmp_path / "exports"
    saved.mkdir()
    _type_and_save(qtbot, dialog, saved / "people.json")
    qtbot.waitUntil(lambda: (window.transfer.last_message or "").startswith("Exported"),
                    timeout=20_000)
    assert (saved / "people.json").exists() and window.transfer.job is None

    window.window_actions.export_file.trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(QFileDialog)))
    dialog = _dialog(window)
    assert Path(dialog.directory().absolutePath()) == saved
    dialog.reject()
