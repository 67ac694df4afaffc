"""File → Restore from Backup…: pick one of the automatic backups, or another file.

The dialog only chooses; :class:`planner.ui.transfer.backup_flow.BackupFlow`
asks for confirmation and restores. Open it with ``open()``.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from planner.ui.common.dates import date_text, time_text

_NAME = re.compile(r"-(\d{8})-(\d{6})-\d{6}-([a-z0-9-]+)\.db$")
REASONS = {
    "manual": "made by you",
    "daily": "daily",
    "pre-import": "before an import",
    "pre-restore": "before a restore",
}


def describe_backup(path: Path, *, seconds: bool = False) -> tuple[str, str]:
    """("12 Mar 2026 09:30", "before an import") from a backup's file name (``seconds``:
    "09:30:15", to tell apart two made in one minute)."""
    found = _NAME.search(path.name)
    if not found:
        return path.name, ""
    day, time, reason = found.groups()
    try:
        made = datetime.strptime(day + time, "%Y%m%d%H%M%S")  # local time, in the name
        when = f"{date_text(made)} {time_text(made, seconds=seconds)}"
    except ValueError:
        when = f"{day}-{time}"
    if reason.startswith("pre-migration"):
        return when, "before an upgrade"
    return when, REASONS.get(reason, reason)


def size_text(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError:
        return "?"
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


class RestoreDialog(QDialog):
    """The backups, newest first. ``chosen`` gives the file; ``other_file_requested``
    asks the controller for a file dialog."""

    chosen = Signal(Path)
    other_file_requested = Signal()

    def __init__(self, parent, backups: list[Path], database: Path | None, kept: str = ""):
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle("Restore from Backup")
        self.resize(560, 380)
        where = f" of <b>{database.name}</b>" if database else ""
        self.intro = intro = QLabel(
            f"Replace everything{where} with a backup. What is there now is kept as a "
            "backup first, so a restore can itself be undone by restoring that."
            + (f" {kept[0].upper()}{kept[1:]}." if kept else ""),
            self,
        )
        intro.setWordWrap(True)
        self.list = QTreeWidget(self)
        self.list.setObjectName("backupList")
        self.list.setAccessibleName("Backups")
        self.list.setHeaderLabels(["Made", "Why", "Size"])
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.list.header().setStretchLastSection(False)
        self.list.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        minutes = Counter(describe_backup(p)[0] for p in backups)
        for path in reversed(backups):  # newest first
            when, why = describe_backup(path)
            if minutes[when] > 1:  # two made in one minute: told apart by their seconds
                when, why = describe_backup(path, seconds=True)
            item = QTreeWidgetItem([when, why, size_text(path)])
            item.setData(0, Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(0, str(path))
            self.list.addTopLevelItem(item)
        # as wide as its dates and some room (sized to them exactly, a date touched the
        # column's edge)
        self.list.resizeColumnToContents(0)
        self.list.setColumnWidth(0, self.list.columnWidth(0) + 24)
        self.empty = QLabel("There are no backups yet. Choose a file instead.", self)
        self.empty.setVisible(not backups)
        self.buttons = QDialogButtonBox(self)
        self.restore_button = self.buttons.addButton(
            "&Restore…", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.file_button = self.buttons.addButton(
            "Choose a &File…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button.clicked.connect(self._restore_selected)
        self.file_button.clicked.connect(self._other_file)
        self.buttons.rejected.connect(self.reject)
        self.list.itemSelectionChanged.connect(self._update)
        self.list.itemActivated.connect(lambda *_: self._restore_selected())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.buttons)
        first = self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)
        self._update()

    def selected_path(self) -> Path | None:
        items = self.list.selectedItems()
        return Path(items[0].data(0, Qt.ItemDataRole.UserRole)) if items else None

    def select_path(self, path: Path) -> None:
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            if item is not None and Path(item.data(0, Qt.ItemDataRole.UserRole)) == Path(path):
                self.list.setCurrentItem(item)
                return
        raise KeyError(path)

    def _update(self) -> None:
        self.restore_button.setEnabled(self.selected_path() is not None)

    def _restore_selected(self) -> None:
        path = self.selected_path()
        if path is not None:
            self.accept()
            self.chosen.emit(path)

    def _other_file(self) -> None:
        self.accept()
        self.other_file_requested.emit()
