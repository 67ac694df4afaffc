"""The "This week" list as a checkable Qt model: tick someone to log a touch with them."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, Signal

from planner.domain.focus import FocusItem, FocusList
from planner.export.focus_common import last_touch_text, status_text
from planner.ui.common.palette import STATUS_COLORS
from planner.ui.people.contact_model import status_dot

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
CONTACT_ID_ROLE = Qt.ItemDataRole.UserRole + 2


class FocusModel(QAbstractListModel):
    #: a row was ticked: log a touch with this person
    ticked = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.focus: FocusList | None = None
        self.items: list[FocusItem] = []

    def set_focus(self, focus: FocusList) -> None:
        """Show ``focus``: the same people in the same order change their rows' data only
        (the selection and the scroll stay); otherwise the list is laid out again."""
        new = list(focus.items)
        if self.focus is not None and [i.contact_id for i in new] == \
                [i.contact_id for i in self.items]:
            changed = [row for row, (a, b) in enumerate(zip(self.items, new, strict=True))
                       if a != b]
            self.focus, self.items = focus, new
            if changed:
                self.dataChanged.emit(self.index(changed[0]), self.index(changed[-1]))
            return
        self.beginResetModel()
        self.focus = focus
        self.items = new
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        # (items come with their focus list: none before the first set_focus)
        if self.focus is None or not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        tz = self.focus.tz
        if role == Qt.ItemDataRole.DisplayRole:
            touch = f" · {last_touch_text(item, tz, self.focus.as_of)}" if item.last_touch else ""
            return (f"{item.name} ({item.ring.label}) — {status_text(item, tz, self.focus.as_of)}"
                    f"{touch}\n"
                    f"{item.action}")
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole:
            return status_dot(STATUS_COLORS[item.status.value])
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [item.action]
            if item.address:
                lines.append(f"Reach them: {item.address}")
            if item.note:
                lines.append(f"Latest note: {item.note}")
            return "\n".join(lines)
        if role == ITEM_ROLE:
            return item
        if role == CONTACT_ID_ROLE:
            return item.contact_id
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role == Qt.ItemDataRole.CheckStateRole and index.isValid():
            if Qt.CheckState(value) == Qt.CheckState.Checked:
                self.ticked.emit(self.items[index.row()].contact_id)
            return True
        return False

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable)
