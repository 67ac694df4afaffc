"""The wider network as a Qt table model: everyone, their ring and last touch.

``data()`` reads rows cached from the document; it never touches the database.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import IntEnum
from functools import cache

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QPainter, QPixmap

from planner.domain.cadence import urgency
from planner.domain.contact import Contact
from planner.ui.mime import CONTACT_MIME, encode_contact_ids
from planner.ui.palette import STATUS_COLORS


class Role(IntEnum):
    CONTACT_ID = Qt.ItemDataRole.UserRole + 1
    SORT = Qt.ItemDataRole.UserRole + 2
    SEARCH = Qt.ItemDataRole.UserRole + 3
    PLACED = Qt.ItemDataRole.UserRole + 4


COLUMNS = ("Name", "Ring", "Status", "Last touch")
NAME, RING, STATUS, LAST = range(4)


@cache
def status_dot(color: str) -> QPixmap:
    """A small filled circle in a status colour (cached: one per colour)."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return pixmap


def _last_touch_text(contact: Contact) -> str:
    if contact.last_touch is None:
        return "never"
    return contact.last_touch.astimezone().strftime("%d %b %Y")


class ContactTableModel(QAbstractTableModel):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self._rows: list[Contact] = []
        self._row_of: dict[int, int] = {}
        document.reset.connect(self.reload)
        document.contacts_changed.connect(self._contacts_changed)
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = sorted(self.document.contacts(), key=lambda c: (c.name.lower(), c.id))
        self._row_of = {c.id: i for i, c in enumerate(self._rows)}
        self.endResetModel()

    def _contacts_changed(self, ids: list) -> None:
        for cid in ids:
            row = self._row_of.get(cid)
            contact = self.document.contact(cid)
            if row is None or contact is None:
                self.reload()
                return
            self._rows[row] = contact
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def contact_at(self, row: int) -> Contact:
        return self._rows[row]

    def row_of(self, contact_id: int) -> int | None:
        return self._row_of.get(contact_id)

    # -- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        c = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == NAME:
                return c.name
            if col == RING:
                return c.ring.label if c.ring else "—"
            if col == STATUS:
                status = self.document.status_of(c)
                return status.label if status else ""
            return _last_touch_text(c)
        if role == Qt.ItemDataRole.DecorationRole and col == STATUS:
            status = self.document.status_of(c)
            return status_dot(STATUS_COLORS[status.value]) if status else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{c.name}\n{c.email}" if c.email else c.name
        if role == Role.CONTACT_ID:
            return c.id
        if role == Role.PLACED:
            return c.ring is not None
        if role == Role.SEARCH:
            return " ".join((c.name, c.email, c.organization, " ".join(c.tags))).casefold()
        if role == Role.SORT:
            if col == NAME:
                return c.name.casefold()
            if col == RING:
                return c.ring.depth if c.ring else 9
            if col == STATUS:
                return self._urgency(c)
            return c.last_touch.timestamp() if c.last_touch else 0.0
        return None

    def _urgency(self, c: Contact) -> float:
        """Most urgent sorts last ascending (first when sorted descending)."""
        if c.ring is None:
            return -1.0
        days = c.cadence_days or self.document.cadence(c.ring)
        value = urgency(c.last_touch, days, datetime.now(UTC))
        return 1e9 if value == float("inf") else value

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled)

    def mimeTypes(self) -> list[str]:
        return [CONTACT_MIME]

    def mimeData(self, indexes):
        ids = []
        for index in indexes:
            cid = self.data(index, Role.CONTACT_ID)
            if cid is not None and cid not in ids:
                ids.append(cid)
        return encode_contact_ids(ids)

    def supportedDragActions(self):
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction


class ContactFilterModel(QSortFilterProxyModel):
    """Search (name, email, organisation, tags) and the "unplaced only" filter."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._needle = ""
        self._unplaced_only = False
        self.setSortRole(Role.SORT)
        self.setDynamicSortFilter(True)

    def set_search(self, text: str) -> None:
        self._refilter("_needle", text.strip().casefold())

    def set_unplaced_only(self, on: bool) -> None:
        self._refilter("_unplaced_only", on)

    def _refilter(self, attr: str, value) -> None:
        if hasattr(self, "endFilterChange"):  # Qt 6.10+ deprecates invalidateRowsFilter()
            self.beginFilterChange()
            setattr(self, attr, value)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            setattr(self, attr, value)
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, row, parent) -> bool:
        index = self.sourceModel().index(row, 0, parent)
        if self._unplaced_only and index.data(Role.PLACED):
            return False
        return not self._needle or self._needle in (index.data(Role.SEARCH) or "")
