"""The wider network as a Qt table model: everyone, their ring and last touch.

``data()`` reads rows cached from the document; it never touches the database.

Sorting happens here, in the source model, with one key per row (``sort_key``):
a QSortFilterProxyModel sort calls ``data()`` from C++ twice per comparison,
which at 10,000 people took about a second per sort (and the list sorted twice
while the window was built). The filter proxy forwards ``sort()`` here and only
filters; the order is stable and matches what the proxy sort produced: rows by
name first, then by the column's key.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import IntEnum
from functools import cache

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QRectF,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPixmap

from planner.domain.cadence import urgency
from planner.domain.contact import Contact
from planner.domain.rings import RING_ORDER
from planner.ui import avatars
from planner.ui.dates import date_text
from planner.ui.mime import CONTACT_MIME, encode_contact_ids
from planner.ui.palette import NEUTRAL_HALO, RING_COLORS, STATUS_COLORS


class Role(IntEnum):
    CONTACT_ID = Qt.ItemDataRole.UserRole + 1
    SORT = Qt.ItemDataRole.UserRole + 2
    SEARCH = Qt.ItemDataRole.UserRole + 3
    PLACED = Qt.ItemDataRole.UserRole + 4


COLUMNS = ("Name", "Ring", "Status", "Last touch")
NAME, RING, STATUS, LAST = range(4)


STATUS_DOT = 12  # pixels


@cache
def status_dot(color: str) -> QPixmap:
    """A small filled circle in a status colour (cached: one per colour)."""
    pixmap = QPixmap(STATUS_DOT, STATUS_DOT)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return pixmap


AVATAR = 18  # pixels


@cache
def avatar(initials: str, color: str, size: int = AVATAR) -> QPixmap:
    """A round avatar: the initials on the ring's colour (cached). Small in the list; a
    node's size as the list's drag image."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    border = max(1, size // 16)
    painter.setPen(QPen(QColor("white"), border) if size > AVATAR else Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(QRectF(border / 2, border / 2, size - border, size - border))
    font = QFont(painter.font())
    font.setBold(True)
    font.setPixelSize(max(7, int(size * (0.38 if len(initials) > 2 else 0.45))))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, initials)
    painter.end()
    return pixmap


def _last_touch_text(contact: Contact) -> str:
    if contact.last_touch is None:
        return "never"
    return date_text(contact.last_touch)


class ContactTableModel(QAbstractTableModel):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self._rows: list[Contact] = []
        self._row_of: dict[int, int] = {}
        self._placed: set[int] = set()
        self._sort_column, self._sort_order = NAME, Qt.SortOrder.AscendingOrder
        self._sorted_by: tuple | None = None  # (column, order) the rows are in
        document.reset.connect(self.reload)
        document.contacts_changed.connect(self._contacts_changed)
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = self._ordered(self.document.contacts())
        self._sorted_by = (self._sort_column, self._sort_order)
        self._row_of = {c.id: i for i, c in enumerate(self._rows)}
        self._placed = {c.id for c in self._rows if c.ring is not None}
        self.endResetModel()

    def _contacts_changed(self, ids: list) -> None:
        keys_changed = False
        for cid in ids:
            row = self._row_of.get(cid)
            contact = self.document.contact(cid)
            if row is None or contact is None:
                self.reload()
                return
            old = self._rows[row]
            keys_changed = keys_changed or old.name != contact.name or (
                self._sort_column != NAME
                and self.sort_key(old, self._sort_column)
                != self.sort_key(contact, self._sort_column))
            self._rows[row] = contact
            if contact.ring is None:
                self._placed.discard(cid)
            else:
                self._placed.add(cid)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        if keys_changed:  # keep the order, as a dynamically sorted proxy did
            self._sorted_by = None
            self.sort(self._sort_column, self._sort_order)

    # -- sorting --------------------------------------------------------------------------------
    def sort_key(self, c: Contact, column: int):
        """What a column sorts by (also served as Role.SORT)."""
        if column == NAME:
            return c.name.casefold()
        if column == RING:
            return c.ring.depth if c.ring else 9
        if column == STATUS:
            return self._urgency(c)
        return c.last_touch.timestamp() if c.last_touch else 0.0

    def _ordered(self, contacts) -> list[Contact]:
        rows = sorted(contacts, key=lambda c: (c.name.lower(), c.id))
        if not 0 <= self._sort_column < len(COLUMNS):
            return rows
        if self._sort_column == STATUS:
            now = datetime.now(UTC)  # one clock for every row of this sort
            keys = {c.id: self._urgency(c, now) for c in rows}
            key = lambda c: keys[c.id]  # noqa: E731
        else:
            column = self._sort_column
            key = lambda c: self.sort_key(c, column)  # noqa: E731
        rows.sort(key=key, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        return rows

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if (column, order) == self._sorted_by:
            return  # already in that order (the view asks again as it is set up)
        self._sort_column, self._sort_order = column, order
        self._sorted_by = (column, order)
        rows = self._ordered(self._rows)
        if [c.id for c in rows] == [c.id for c in self._rows]:
            self._rows = rows
            return
        self.layoutAboutToBeChanged.emit()
        old_ids = [c.id for c in self._rows]
        self._rows = rows
        self._row_of = {c.id: i for i, c in enumerate(rows)}
        persistent = self.persistentIndexList()
        moved = [self.index(self._row_of[old_ids[i.row()]], i.column())
                 if 0 <= i.row() < len(old_ids) and old_ids[i.row()] in self._row_of
                 else QModelIndex() for i in persistent]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def column_texts(self, column: int) -> set[str]:
        """The texts a short column can show now, for sizing it to its contents without
        reading every row (see ContactTable): cheap, as it runs on every change."""
        if column == RING:
            return {*(ring.label for ring in RING_ORDER), "—"}
        if column == STATUS:
            placed = (self.document.contact(cid) for cid in self._placed)
            return {s.label for s in map(self.document.status_of, filter(None, placed)) if s}
        if column == LAST:
            return {"never", *(date_text(datetime(2000, m, 28)) for m in range(1, 13))}
        return set()

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
        if role == Qt.ItemDataRole.DecorationRole and col == NAME:
            return avatars.photo_pixmap(c.id, AVATAR, load=False) or avatar(
                c.initials, RING_COLORS[c.ring] if c.ring else NEUTRAL_HALO)
        if role == Qt.ItemDataRole.ToolTipRole and col == STATUS:
            status = self.document.status_of(c)
            return status.label if status else "Not on a ring"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{c.name}\n{c.email}" if c.email else c.name
        if role == Role.CONTACT_ID:
            return c.id
        if role == Role.PLACED:
            return c.ring is not None
        if role == Role.SEARCH:
            return " ".join((c.name, c.email, c.organization, " ".join(c.tags))).casefold()
        if role == Role.SORT:
            return self.sort_key(c, col)
        return None

    def _urgency(self, c: Contact, now: datetime | None = None) -> float:
        """Most urgent sorts last ascending (first when sorted descending)."""
        if c.ring is None:
            return -1.0
        days = c.cadence_days or self.document.cadence(c.ring)
        value = urgency(c.last_touch, days, now or datetime.now(UTC))
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

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """The source model sorts (one key per row); this proxy keeps its order."""
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        """The status column is a dot wide: its header is a dot too (the word is its tip)."""
        if orientation == Qt.Orientation.Horizontal and section == STATUS:
            if role == Qt.ItemDataRole.DisplayRole:
                return "●"
            if role == Qt.ItemDataRole.ToolTipRole:
                return COLUMNS[STATUS]
        return super().headerData(section, orientation, role)

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
