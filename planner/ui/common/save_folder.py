"""Where a save dialog starts: the folder the user saved into last, else their Documents
folder (QStandardPaths), never the app's working directory."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog

SETTING = "files/last_save_folder"


def documents_folder() -> Path:
    location = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(location) if location else Path.home()
    return folder if folder.is_dir() else Path.home()


def start_folder(settings: QSettings | None = None) -> Path:
    last = (settings or QSettings()).value(SETTING, "", str)
    if isinstance(last, str) and last and Path(last).is_dir():
        return Path(last)
    return documents_folder()


def remember_folder(path: str | Path, settings: QSettings | None = None) -> None:
    settings = settings or QSettings()
    settings.setValue(SETTING, str(Path(path).parent))


def save_dialog(parent, caption: str, file_name: str, filters: list[str]) -> QFileDialog:
    """A save dialog in the start folder, proposing ``file_name``; the folder chosen is
    remembered for the next one."""
    from planner.ui.common.file_dialogs import file_dialog

    dialog = file_dialog(parent, caption, start_folder(), filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.selectFile(str(start_folder() / file_name))
    dialog.fileSelected.connect(remember_folder)
    return dialog
