"""The import preview as a Qt table model: one row per card or CSV line, nothing written.

The rows are the :class:`planner.services.importing.PreviewRow` objects the
worker produced; ``data()`` only formats them (no database, no parsing), so a
10,000-row preview scrolls as fast as a small one. :class:`PreviewFilter`
narrows the table to new, duplicate or invalid rows.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from planner.services.importing import ImportPreview, PreviewRow, problem_text, reason_text
from planner.ui.people.contact_model import status_dot

COLUMNS = ("Status", "Where", "Name", "Email", "Reason")
STATUS, WHERE, NAME, EMAIL, REASON = range(len(COLUMNS))
STATUS_LABELS = {"new": "New", "duplicate": "Duplicate", "invalid": "Invalid"}
STATUS_COLORS = {"new": "#2e9e5b", "duplicate": "#e0a100", "invalid": "#d64545"}
#: what happens to a duplicate under each choice, as the Status column says it
CHOICE_WORDS = {"skip": "skipped", "merge": "merged", "add": "added"}


class Role(IntEnum):
    STATUS = Qt.ItemDataRole.UserRole + 1  # "new", "duplicate" or "invalid"
    ROW = Qt.ItemDataRole.UserRole + 2  # the PreviewRow itself


class PreviewModel(QAbstractTableModel):
    """Read-only: status, where in the file, name, email and why (duplicate/invalid/left out)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._preview: ImportPreview | None = None
        self._rows: list[PreviewRow] = []
        self._choice = "skip"

    # -- contents ---------------------------------------------------------------------------
    def set_preview(self, preview: ImportPreview | None) -> None:
        self.beginResetModel()
        self._preview = preview
        self._rows = list(preview.rows) if preview is not None else []
        self.endResetModel()

    @property
    def preview(self) -> ImportPreview | None:
        return self._preview

    def set_choice(self, choice: str) -> None:
        """Skip, merge or add: duplicates' Status text says what will happen to them."""
        if choice == self._choice:
            return
        self._choice = choice
        if self._rows:
            self.dataChanged.emit(
                self.index(0, STATUS),
                self.index(len(self._rows) - 1, STATUS),
                [Qt.ItemDataRole.DisplayRole],
            )

    def row_at(self, row: int) -> PreviewRow:
        return self._rows[row]

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUS_LABELS, 0)
        for row in self._rows:
            out[row.status] += 1
        return out

    # -- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col)
        if role == Qt.ItemDataRole.DecorationRole and col == STATUS:
            return status_dot(STATUS_COLORS[row.status])
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._text(row, col) or "empty"
        if role == Role.STATUS:
            return row.status
        if role == Role.ROW:
            return row
        return None

    # -- formatting ---------------------------------------------------------------------------
    def _text(self, row: PreviewRow, col: int) -> str:
        if col == STATUS:
            label = STATUS_LABELS[row.status]
            if row.status == "duplicate":
                return f"{label} — {CHOICE_WORDS[self._choice]}"
            return label
        if col == WHERE:
            return row.where
        if col == NAME:
            return row.name
        if col == EMAIL:
            return row.email
        return self._reason(row)

    @staticmethod
    def _reason(row: PreviewRow) -> str:
        # the command line's words ("left out: name" was said of a person named after the
        # phone number, and "left out: PHOTO" hid why)
        return reason_text(row)

    def _tooltip(self, row: PreviewRow) -> str:
        lines = [f"{row.where}: {row.name or '(no name)'}"]
        if row.reason:
            lines.append(row.reason)
        lines.extend(problem_text(p) for p in row.problems)
        return "\n".join(lines)


class PreviewFilter(QSortFilterProxyModel):
    """Show every row, or only the new, duplicate or invalid ones."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._status = ""

    def set_status(self, status: str) -> None:
        """``""`` shows everything."""
        if hasattr(self, "endFilterChange"):  # Qt 6.10+ deprecates invalidateRowsFilter()
            self.beginFilterChange()
            self._status = status
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._status = status
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        if not self._status:
            return True
        index = self.sourceModel().index(source_row, STATUS, source_parent)
        return index.data(Role.STATUS) == self._status
