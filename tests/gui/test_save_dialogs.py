"""Save dialogs start in the user's Documents folder and then where they saved last;
*This Week…* is in File → Export too (issue 20)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from tests.gui.helpers import open_window, populate


def _dialogs(window) -> list[QFileDialog]:
    return [d for d in window.findChildren(QFileDialog) if d.isVisible()]


def test_save_dialogs_start_in_documents_then_the_last_folder(qtbot, db_path, tmp_path,
                                                              monkeypatch):
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    populate(db_path, inner=1, outer=2)
    window = open_window(qtbot, db_path)
    a = window.window_actions
    assert a.export_focus in window.menus["export"].actions()
    assert a.export_file in window.menus["export"].actions()
    assert window.menus["export"].menuAction() in window.menus["file"].actions()

    a.export_focus.trigger()
    qtbot.waitUntil(lambda: len(_dialogs(window)) == 1)
    dialog = _dialogs(window)[0]
    assert Path(dialog.directory().absolutePath()) == home / "Documents"
    reports = tmp_path / "reports"
    reports.mkdir()
    dialog.selectFile(str(reports / "week.md"))
    dialog.accept()
    qtbot.waitUntil(lambda: (reports / "week.md").exists())
    assert (reports / "week.md").read_text(encoding="utf-8").startswith("# Focus for week")

    # the next save dialog (the dashboard's PNG) starts where the last one saved
    dialog = window.dashboard.ask_export()
    qtbot.waitUntil(dialog.isVisible)
    assert Path(dialog.directory().absolutePath()) == reports
    dialog.reject()
