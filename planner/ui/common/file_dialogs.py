"""Every file dialog of the app: a Qt dialog that never opens the files it lists.

To show a file's icon and its type, Qt's file dialogs ask QMimeDatabase, which opens a
file whose name does not settle its type and reads its first bytes (so do GTK's native
dialogs, in this process). Opening and closing any descriptor on the database file drops
every POSIX lock SQLite holds on it in this process: a dialog showing the database's
folder (Open Database File starts there; Import starts wherever the user was) left the
window holding an unlocked database, which a command line then treated as closed,
removing the -wal and -shm the window was still writing (data lost, the file damaged).

So a dialog here is always Qt's own (``DontUseNativeDialog``) with ``NameOnlyIcons``:
icons and type names from the name alone. A test checks no other file dialog is made.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileInfo
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QWidget

_ICON = QAbstractFileIconProvider.IconType


class NameOnlyIcons(QFileIconProvider):
    """A file's icon and type from its name and whether it is a folder: never its
    content (``QFileIconProvider`` reads it through QMimeDatabase)."""

    def icon(self, what) -> QIcon:  # both overloads in one
        if isinstance(what, QFileInfo):
            if what.isDir():
                return super().icon(_ICON.Folder)
            if what.isSymLink() or what.isFile():
                return super().icon(_ICON.File)
            return super().icon(_ICON.Drive if what.isRoot() else _ICON.File)
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix.upper()} File" if suffix else "File"


def file_dialog(parent: QWidget | None, caption: str, folder: str | Path = "",
                filters: list[str] | None = None) -> QFileDialog:
    """A Qt file dialog that lists ``folder`` without opening any file in it."""
    dialog = QFileDialog(parent, caption, str(folder))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    icons = NameOnlyIcons()
    dialog.setIconProvider(icons)
    dialog.name_only_icons = icons  # type: ignore[attr-defined]  # kept as long as the dialog
    if filters:
        dialog.setNameFilters(filters)
    return dialog


def ask_open_file(parent: QWidget | None, caption: str, folder: str | Path,
                  filters: list[str]) -> str:
    """A modal open dialog for one existing file: its path, "" when cancelled."""
    dialog = file_dialog(parent, caption, folder, filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    chosen = dialog.selectedFiles() if dialog.exec() else []
    dialog.deleteLater()
    return chosen[0] if chosen else ""


def ask_folder(parent: QWidget | None, caption: str, folder: str | Path) -> str:
    """A modal dialog for an existing folder: its path, "" when cancelled."""
    dialog = file_dialog(parent, caption, folder)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    chosen = dialog.selectedFiles() if dialog.exec() else []
    dialog.deleteLater()
    return chosen[0] if chosen else ""
