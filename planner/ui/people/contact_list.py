"""The left panel: search box, "unplaced only" filter and the sortable contact table."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QDrag, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
)

from planner.ui.common.menu_key import item_menu_place
from planner.ui.common.palette import NEUTRAL_HALO, RING_COLORS
from planner.ui.common.viewport import own_viewport
from planner.ui.common.window_layout import SidePanel
from planner.ui.people.contact_model import (
    LAST,
    STATUS,
    STATUS_DOT,
    ContactFilterModel,
    ContactTableModel,
    avatar,
)
from planner.ui.people.empty_list import empty_list_text, paint_empty_text

#: the list's drag image: about a middle-ring node on a fitted canvas
DRAG_SIZE = 40
#: the panel width from which the "Last touch" column is shown
WIDE_ENOUGH_FOR_LAST_TOUCH = 420


class StatusDotDelegate(QStyledItemDelegate):
    """The status column shows its coloured dot only (the words are its tooltip and its
    accessible text): the name column keeps the room. (The words are dropped in
    ``displayText``: overriding ``initStyleOption`` copied the style option into Python
    and back for every cell painted, some 50 µs each.)"""

    def displayText(self, value, locale) -> str:
        return ""


class ContactTable(QTableView):
    """The contact table. Its short columns fit every value they can show, measured from
    those few texts: Qt's own sizing asks the model about every row while the table is
    not yet shown (up to 1,000 once it is), some 480,000 data() calls and 3 s of the
    start-up with 10,000 people."""

    #: a person's menu is asked for: (their row's index, where to show it, global)
    menu_requested = Signal(object, object)

    def __init__(self, model: ContactTableModel, parent=None):
        super().__init__(parent)
        own_viewport(self)  # (not C++'s: ~10 ms of start-up, planner.ui.common.viewport)
        self._source = model
        # Tab leaves the list, as from every other list (a table's Tab went from cell to
        # cell: 30,000 presses to get past 10,000 people); the arrows move in it
        self.setTabKeyNavigation(False)
        self.empty_text = ""  # what the list says while it shows nobody

    def set_empty_text(self, text: str) -> None:
        if text != self.empty_text:
            self.empty_text = text
            self.viewport().update()

    def paintEvent(self, event) -> None:
        """The rows about to be painted hold their values first (see ContactFilterModel)."""
        items = self.model()
        if isinstance(items, ContactFilterModel) and items.rowCount():
            first = self.rowAt(0)
            last = self.rowAt(self.viewport().height() - 1)
            items.hold(max(first, 0), last if last >= 0 else items.rowCount() - 1)
        super().paintEvent(event)
        if items is not None and not items.rowCount():
            paint_empty_text(self, self.empty_text)

    def contextMenuEvent(self, event) -> None:
        """A right-click's row, or the current row for the menu key or Shift+F10 (the
        keyboard's event came in the table's coordinates, not the rows': a custom menu
        signal cannot tell them apart)."""
        index, where = item_menu_place(self, event)
        if index.isValid():
            self.menu_requested.emit(index, where)
        event.accept()

    def contact_id_at(self, index) -> int | None:
        """The person on the row of a view index (held or not)."""
        return self._source.id_at(index.row()) if index.isValid() else None

    def drag_pixmap(self, contact_id: int | None) -> QPixmap:
        """What a drag from the list looks like: the node it becomes, not a table row."""
        contact = self._source.document.contact(contact_id) if contact_id is not None else None
        if contact is None:
            return avatar("?", NEUTRAL_HALO, DRAG_SIZE)
        return avatar(contact.initials, RING_COLORS[contact.ring] if contact.ring
                      else NEUTRAL_HALO, DRAG_SIZE)

    def startDrag(self, supported_actions) -> None:
        rows = self.selectionModel().selectedRows()
        if not rows:
            return
        mime = self.model().mimeData(rows)
        drag = QDrag(self)
        drag.setMimeData(mime)
        pixmap = self.drag_pixmap(self.contact_id_at(rows[0]))
        drag.setPixmap(pixmap)
        drag.setHotSpot(QPoint(pixmap.width() // 2, pixmap.height() // 2))
        drag.exec(supported_actions, Qt.DropAction.MoveAction)

    def sizeHintForColumn(self, column: int) -> int:
        if column == STATUS:
            return STATUS_DOT + 12
        texts = self._source.column_texts(column)
        if not texts:
            return super().sizeHintForColumn(column)
        metrics = self.fontMetrics()
        margin = 2 * (self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin,
                                               None, self) + 1)
        dot = STATUS_DOT + margin if column == STATUS else 0  # the status dot
        return max(metrics.horizontalAdvance(text) for text in texts) + margin + dot


class ContactListPanel(SidePanel):
    person_selected = Signal(object)  # contact id or None
    person_activated = Signal(int)  # double-click / Enter
    #: right-click on a person: (contact id, global position), the same menu as a node's
    context_menu_requested = Signal(int, object)
    #: the people the search matches (None: no search), for the canvas to highlight
    matches_changed = Signal(object)

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setObjectName("contactListPanel")
        self.model = ContactTableModel(document, self)
        self.proxy = ContactFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search people…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search contacts")
        self.search.textChanged.connect(self.proxy.set_search)
        self._matches_shown: set[int] | None = None
        self.search.textChanged.connect(self._search_changed)
        self.search.installEventFilter(self)

        self.unplaced_only = QCheckBox("Unplaced only", self)
        self.unplaced_only.setAccessibleName("Show only unplaced contacts")
        self.unplaced_only.toggled.connect(self.proxy.set_unplaced_only)
        #: the person chosen (here, on the canvas, anywhere): a search or a filter refills
        #: the list, and once it shows everyone again their row is chosen again
        self._chosen: int | None = None
        self.search.textChanged.connect(self._filter_changed)
        self.unplaced_only.toggled.connect(self._filter_changed)

        self.view = ContactTable(self.model, self)
        self.view.setAccessibleName("Contacts")
        self.view.setModel(self.proxy)
        # the indicator first: enabling sorting then sorts once, by name (the model's order)
        self.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.verticalHeader().hide()
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STATUS, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(STATUS, STATUS_DOT + 14)
        self.view.setItemDelegateForColumn(STATUS, StatusDotDelegate(self.view))
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        # while the list moves, the search index's build (a worker thread) waits
        self.view.verticalScrollBar().valueChanged.connect(self.model.list_moved)
        self.view.menu_requested.connect(self._menu_requested)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.activated.connect(self._activated)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        # (a search that still finds nobody changes no rows: its words still change)
        self.search.textChanged.connect(self._update_count)
        self.unplaced_only.toggled.connect(self._update_count)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.search)
        layout.addWidget(self.unplaced_only)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)
        self._update_count()

    def eventFilter(self, watched, event) -> bool:
        """In the search box: Esc clears it, Down goes into the results."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            if event.key() == Qt.Key.Key_Down and self.proxy.rowCount():
                self.view.setFocus()
                current = self.view.currentIndex()
                if not current.isValid():
                    self.view.setCurrentIndex(self.proxy.index(0, 0))
                return True
        return super().eventFilter(watched, event)

    def _search_changed(self, text: str) -> None:
        # the canvas highlights the placed among the matches (read or not yet): told only
        # when that changes, as most keys typed leave it as it was
        matches = self.model.matching_ids() if text.strip() else None
        if matches != self._matches_shown:
            self._matches_shown = matches
            self.matches_changed.emit(matches)

    def _menu_requested(self, index, where) -> None:
        cid = self.view.contact_id_at(index)
        if cid is not None:
            self.view.setCurrentIndex(index)
            self.context_menu_requested.emit(cid, where)

    def resizeEvent(self, event) -> None:
        """A narrow panel (a laptop) keeps the names whole: "Last touch" shows only when
        there is room for it beside them."""
        super().resizeEvent(event)
        self.view.setColumnHidden(LAST, self.width() < WIDE_ENOUGH_FOR_LAST_TOUCH)

    def _update_count(self, *args) -> None:
        from planner.domain.formatting import plural

        shown, total = self.model.total(), self.model.document.count()
        everyone = plural(total, "person", "people")
        self.count_label.setText(f"{shown:,} of {everyone}" if shown != total else everyone)
        self.view.set_empty_text("" if shown else empty_list_text(
            self.search.text(), self.unplaced_only.isChecked(), total))

    def _current_changed(self, current, previous) -> None:
        self._chosen = self.view.contact_id_at(current)
        self.person_selected.emit(self._chosen)

    def _filter_changed(self, *_args) -> None:
        """The list was filled afresh: the person chosen is chosen in it again, on the next
        turn (after the fill), once it is the whole list again — not at every key typed,
        where finding their row could read pages of a long list."""
        if self._chosen is not None and not self.search.text().strip():
            QTimer.singleShot(0, self, self._choose_again)

    def _choose_again(self) -> None:
        if self._chosen is not None and self.selected_id() != self._chosen \
                and not self.search.text().strip():
            self.select_contact(self._chosen)

    def _activated(self, index) -> None:
        cid = self.view.contact_id_at(index)
        if cid is not None:
            self.person_activated.emit(cid)

    def selected_id(self) -> int | None:
        return self.view.contact_id_at(self.view.currentIndex())

    def select_contact(self, contact_id: int | None) -> None:
        """Follow a selection made elsewhere (the canvas) without echoing it back."""
        self._chosen = contact_id
        if contact_id == self.selected_id():
            return
        selection = self.view.selectionModel()
        selection.blockSignals(True)
        try:
            row = self.model.reveal(contact_id) if contact_id is not None else None
            if row is None:
                self.view.clearSelection()
                self.view.setCurrentIndex(self.proxy.index(-1, -1))
                return
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                self.view.setCurrentIndex(index)
                self.view.selectRow(index.row())
                # rows reveal() just read are not laid out yet (the view does that on its
                # next turn of the event loop): scrolling now went to the old last row
                self.view.updateGeometries()
                self.view.scrollTo(index)
            else:
                self.view.clearSelection()
        finally:
            selection.blockSignals(False)
        self.view.viewport().update()
