"""A timeline as a Qt list model that pages in from the database as you scroll.

Rows are day headers ("Today", "Yesterday", "Mon 16 Nov") and entries, newest
first. ``fetchMore`` reads one page after the last cursor, so opening the view
costs one page whatever the size of the history.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt

from planner.domain.timeline import EntryType, TimelineEntry, byline
from planner.domain.timeline_order import cursor_after
from planner.services import touchpoints as svc
from planner.ui.common.dates import date_time_text, day_text, time_text

PAGE = 100

#: a row: ("day", its date) heading the entries of a day, or ("entry", the entry)
Row = tuple[str, date | TimelineEntry]


class Role(IntEnum):
    ENTRY = Qt.ItemDataRole.UserRole + 1
    IS_HEADER = Qt.ItemDataRole.UserRole + 2
    ENTRY_ID = Qt.ItemDataRole.UserRole + 3
    CONTACT_ID = Qt.ItemDataRole.UserRole + 4
    KIND = Qt.ItemDataRole.UserRole + 5
    BYLINE = Qt.ItemDataRole.UserRole + 6  # team database: "by bob", "by you · private"


def day_label(day: date, today: date | None = None) -> str:
    today = today or datetime.now().astimezone().date()
    delta = (today - day).days
    if delta == 0:
        return "Today"
    if delta == 1:
        return "Yesterday"
    if delta == -1:
        return "Tomorrow"
    return day_text(day, today)


def entry_text(entry: TimelineEntry, with_contact: bool, by: str = "") -> str:
    """One readable line: what, when, with whom (and by whom: ``by``)."""
    clock = time_text(entry.at)
    if entry.type is EntryType.TOUCHPOINT:
        from planner.domain.kinds import kind_label

        what = kind_label(entry.kind) or "Touch"
    elif entry.type is EntryType.NOTE:
        what = "Note"
    else:
        what = entry.summary()
        what = what[:1].upper() + what[1:]  # (capitalize() lowered the rest: "sun 13 dec")
    parts = [clock, what]
    if entry.minutes:
        parts.append(f"{entry.minutes} min")
    line = " · ".join(parts)
    if with_contact:
        line = f"{line} — {entry.contact}"
    if by:
        line = f"{line} · {by}"
    body = entry.text if entry.type in (EntryType.TOUCHPOINT, EntryType.NOTE) else ""
    return f"{line}\n{body}" if body else line


def _key(entry: TimelineEntry) -> tuple:
    """The timeline's order (newest first is the greatest key): time, type, row id."""
    cursor = cursor_after(entry)
    return (cursor.at, cursor.order, cursor.row_id)


class TimelineModel(QAbstractListModel):
    def __init__(self, document, person_scope: bool = False, parent=None):
        """``person_scope``: one person's history (empty until a person is set);
        otherwise everyone's."""
        super().__init__(parent)
        self.document = document
        self.person_scope = person_scope
        self.contact_id: int | None = None
        self.kinds: set[str] | None = None
        self.contact_ids: set[int] | None = None
        self.user = ""  # the connected role on a team database (see byline)
        self._rows: list[Row] = []
        self._last: TimelineEntry | None = None
        self._exhausted = False
        self._fetching = False
        document.timeline_changed.connect(self._history_changed)
        document.entries_changed.connect(self._entries_changed)
        document.reset.connect(self.reload)
        self.reload()

    # -- what to show --------------------------------------------------------------------
    def set_contact(self, contact_id: int | None) -> None:
        self.contact_id = contact_id
        self.reload()

    def set_filters(self, kinds: set[str] | None = None,
                    contact_ids: set[int] | None = None) -> None:
        self.kinds, self.contact_ids = kinds, contact_ids
        self.reload()

    def _history_changed(self, ids: list) -> None:
        if not self.person_scope or self.contact_id in ids:
            self.reload()

    def _entries_changed(self, changes: list) -> None:
        """Touchpoints or notes added, edited or removed: only their rows change (an
        edit may move its entry to another day); the pages read stay."""
        for change in changes:
            if self.person_scope and change.contact_id != self.contact_id:
                continue
            self._remove_entry(change.entry_id)
            if change.entry is not None and self._shows(change.entry):
                self._insert_entry(change.entry)

    def _shows(self, entry: TimelineEntry) -> bool:
        """Would a page read now include ``entry`` (filters, and the pages read so far)?"""
        if self.kinds is not None and (entry.type is not EntryType.TOUCHPOINT
                                       or entry.kind not in self.kinds):
            return False
        if self.contact_ids is not None and entry.contact_id not in self.contact_ids:
            return False
        if self._last is None:  # nothing read: an empty history shows it, else a page will
            return self._exhausted
        # older than the last entry read: it comes with a later page
        return self._exhausted or _key(entry) > _key(self._last)

    def _remove_entry(self, entry_id: str) -> None:
        rows = self._rows
        kind, _, number = entry_id.partition(":")  # (TimelineEntry.id, without making one
        row_id = int(number)                       # string per row read: 175 rows a log)
        row = next((i for i, (_, item) in enumerate(rows)
                    if isinstance(item, TimelineEntry) and item.row_id == row_id
                    and item.type == kind), None)
        if row is None:
            return
        first = row
        alone = rows[row - 1][0] == "day" and (row + 1 == len(rows) or rows[row + 1][0] == "day")
        if alone:  # the last entry of its day: the day's header goes too
            first = row - 1
        self.beginRemoveRows(QModelIndex(), first, row)
        del rows[first:row + 1]
        self.endRemoveRows()

    def _insert_entry(self, entry: TimelineEntry) -> None:
        rows, key, day = self._rows, _key(entry), self._day(entry)
        at = next((i for i, (_, item) in enumerate(rows)
                   if isinstance(item, TimelineEntry) and _key(item) < key), len(rows))
        if at > 0 and rows[at - 1][0] == "day" and rows[at - 1][1] != day:
            at -= 1  # the older entry's header (another day): ours goes above it
        above = rows[at - 1][1] if at > 0 else None
        above_day = self._day(above) if isinstance(above, TimelineEntry) else above
        # under an entry (or the header) of its own day it joins that day; it made a second
        # "Today" when the entry above its place was today's and the older one yesterday's
        new: list[Row] = ([("entry", entry)] if above_day == day
                          else [("day", day), ("entry", entry)])
        self.beginInsertRows(QModelIndex(), at, at + len(new) - 1)
        rows[at:at] = new
        self.endInsertRows()

    def reload(self) -> None:
        # The first page is read inside the reset: views (and model testers) that call
        # fetchMore while the reset is announced must not insert rows in the middle of it.
        self._fetching = True
        try:
            self._last, self._exhausted = None, False
            self.user = svc.current_user()
            rows = self._read_page() if self._may_fetch() else []
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
        finally:
            self._fetching = False

    # -- paging ------------------------------------------------------------------------
    def _may_fetch(self) -> bool:
        return not self._exhausted and (not self.person_scope or self.contact_id is not None)

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: B008
        # not while a page is being added: a fetchMore from a rowsInserted handler
        # would read the same page again
        return not parent.isValid() and not self._fetching and self._may_fetch()

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        try:
            new_rows = self._read_page()
            if new_rows:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(new_rows) - 1)
                self._rows.extend(new_rows)
                self.endInsertRows()
        finally:
            self._fetching = False

    def _read_page(self) -> list[Row]:
        """The rows of the next page (day headers and entries); moves the cursor on."""
        cursor = cursor_after(self._last) if self._last is not None else None
        entries = svc.timeline(self.contact_id, limit=PAGE, cursor=cursor, kinds=self.kinds,
                               contact_ids=self.contact_ids)
        if len(entries) < PAGE:
            self._exhausted = True
        new_rows: list[Row] = []
        last_day = self._day(self._last) if self._last is not None else None
        for entry in entries:
            day = self._day(entry)
            if day != last_day:
                new_rows.append(("day", day))
                last_day = day
            new_rows.append(("entry", entry))
        if entries:
            self._last = entries[-1]
        return new_rows

    @staticmethod
    def _day(entry: TimelineEntry) -> date:
        return entry.at.astimezone().date()

    def find_row(self, entry_id: str, max_pages: int = 50) -> int | None:
        """The row of an entry, paging in until it is found (search → jump)."""
        for _ in range(max_pages + 1):
            for row, (_, item) in enumerate(self._rows):
                if isinstance(item, TimelineEntry) and item.id == entry_id:
                    return row
            if not self.canFetchMore():
                return None
            self.fetchMore()
        return None

    def entry_count(self) -> int:
        return sum(1 for kind, _ in self._rows if kind == "entry")

    # -- Qt model API --------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        kind, item = self._rows[index.row()]
        if kind == "day":
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return day_label(item)
            if role == Role.IS_HEADER:
                return True
            return None
        entry: TimelineEntry = item
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return entry_text(entry, not self.person_scope, byline(entry, self.user))
        if role == Role.IS_HEADER:
            return False
        if role == Role.BYLINE:
            return byline(entry, self.user)
        if role == Role.ENTRY:
            return entry
        if role == Role.ENTRY_ID:
            return entry.id
        if role == Role.CONTACT_ID:
            return entry.contact_id
        if role == Role.KIND:
            return entry.kind
        if role == Qt.ItemDataRole.ToolTipRole:
            return date_time_text(entry.at, long=True)
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()][0] == "day":
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
