"""Help: Getting started, the sheet of keyboard shortcuts (read from the window's
actions, so it is never out of date) and opening the log folder."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.logs import log_path

#: what the sheet leaves free of the screen's height (the title bar and some air)
SCREEN_MARGIN = 72

#: keys that belong to a widget rather than to an action (the canvas, the lists)
CANVAS_KEYS = (
    ("Select the next / previous person on the rings", "Tab, arrows"),
    ("Open the selected person", "Enter"),
    ("Zoom about the pointer", "Mouse wheel"),
    ("Search: clear it", "Esc"),
    ("Search: go to the results", "Down"),
    ("Log dialog: save / new line", "Enter / Shift+Enter"),
)

GETTING_STARTED = """
<h2>Getting started</h2>
<p>The pyramid of mentorship keeps the people you help grow on three rings:
<b>3</b> people you mentor near-daily on the inner ring, <b>12</b> you cultivate often on
the middle ring and <b>72</b> you keep in touch with on the outer ring.</p>
<ol>
<li><b>Bring your people in</b>: <i>Add person</i> (Ctrl+N), or <i>Import</i> a vCard or
CSV file from your address book (Ctrl+I).</li>
<li><b>Place them</b>: drag someone from the list onto a ring. Drag a node to another ring
to move it, onto someone on a full ring to swap the two, outside the rings to take them
off. Every change can be undone (Ctrl+Z).</li>
<li><b>Keep in touch</b>: with someone selected press <b>C</b> for a coffee, <b>I</b> for a
message, <b>P</b> for a call… or use <i>Log</i> in the toolbar.</li>
<li><b>Each week</b>: <i>This week</i> (Ctrl+2) lists whom to reach out to; tick someone
when you have. Export it or copy it as Markdown.</li>
</ol>
<p><i>Help → Keyboard Shortcuts</i> lists every key.</p>
"""


def _close_buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    return buttons


class GettingStarted(QDialog):
    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("gettingStarted")
        self.setWindowTitle("Getting Started")
        self.text = QLabel(GETTING_STARTED, self)
        self.text.setWordWrap(True)
        self.text.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(_close_buttons(self))


class ShortcutsSheet(QDialog):
    """Every shortcut: one row per action that has a key, then the widgets' own keys."""

    def __init__(self, parent: QWidget, rows: list[tuple[str, str]]):
        super().__init__(parent)
        self.setObjectName("shortcutsSheet")
        self.setWindowTitle("Keyboard Shortcuts")
        rows = sorted(rows, key=lambda row: row[0].lower()) + list(CANVAS_KEYS)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setTabKeyNavigation(False)  # Tab goes on to Close; the arrows move in it
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.verticalHeader().hide()
        # rows as high as a line of text needs (the style's were 30 pixels: 15 rows showed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("Keyboard shortcuts")
        for row, (what, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(what))
            item = QTableWidgetItem(keys)
            item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 1, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(_close_buttons(self))
        self.resize(560, self._fitting_height(parent))

    def _fitting_height(self, parent: QWidget) -> int:
        """Every row, where the screen has the room; else as high as the screen allows
        (its title bar and a margin left free): a 1366×768 laptop showed 15 rows of ~50."""
        layout = self.layout()
        assert layout is not None  # laid out in __init__
        table = self.table
        rows = sum(table.rowHeight(row) for row in range(table.rowCount()))
        wanted = (rows + table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
                  + layout.totalSizeHint().height() - table.sizeHint().height())
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        return max(300, min(wanted, screen.height() - SCREEN_MARGIN))

    def rows(self) -> list[tuple[str, str]]:
        return [(self._text(r, 0), self._text(r, 1)) for r in range(self.table.rowCount())]

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""


def open_log_folder() -> QUrl:
    """Show the folder holding the log in the desktop's file manager."""
    folder = log_path().parent
    folder.mkdir(parents=True, exist_ok=True)
    url = QUrl.fromLocalFile(str(folder))
    QDesktopServices.openUrl(url)
    return url
