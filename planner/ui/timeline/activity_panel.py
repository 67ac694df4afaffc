"""Everyone's timeline with filters by kind and ring, and full-text search."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from planner.domain.kinds import Kind
from planner.domain.rings import RING_ORDER
from planner.ui.people.search_model import SearchResultsModel
from planner.ui.people.search_view import SearchResultsView
from planner.ui.timeline.timeline_model import TimelineModel
from planner.ui.timeline.timeline_view import TimelineView

#: what the list says while it has nothing to show (filtered: that the filters hide it all)
EMPTY = "Nothing logged yet: every touchpoint and note, with anyone, shows here, newest first."
EMPTY_FILTERED = "Nothing of that kind, or with anyone on that ring, yet."
#: search results read at a time (the newest)
SEARCH_LIMIT = 100


class ActivityPanel(QWidget):
    jump_requested = Signal(int, str)  # contact id, entry id

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setObjectName("activityPanel")
        self.document = document
        self.kind_filter = QComboBox(self)
        self.kind_filter.setAccessibleName("Filter by kind")
        self.kind_filter.addItem("All kinds", None)
        for kind in Kind:
            self.kind_filter.addItem(kind.label, kind.value)
        self.ring_filter = QComboBox(self)
        self.ring_filter.setAccessibleName("Filter by ring")
        self.ring_filter.addItem("All rings", None)
        for ring in RING_ORDER:
            self.ring_filter.addItem(f"{ring.label} ring", ring)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search notes…  (accents and case ignored)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search notes")
        self.status = QLabel(self)

        self.model = TimelineModel(document, person_scope=False, parent=self)
        self.timeline = TimelineView(self.model, with_contact=True, parent=self)
        self.timeline.setObjectName("activityTimeline")
        self.timeline.placeholder = EMPTY
        self.results_model = SearchResultsModel(self)
        self.results = SearchResultsView(self.results_model, self)
        self.results.jump_requested.connect(self.jump_requested)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.timeline)
        self.stack.addWidget(self.results)

        bar = QHBoxLayout()
        bar.addWidget(self.kind_filter)
        bar.addWidget(self.ring_filter)
        bar.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda: self._debounce.start())
        self.search.returnPressed.connect(self._enter)
        self.kind_filter.currentIndexChanged.connect(self.apply_filters)
        self.ring_filter.currentIndexChanged.connect(self.apply_filters)
        document.placements_changed.connect(self._ring_members_changed)

    def apply_filters(self) -> None:
        kind = self.kind_filter.currentData()
        ring = self.ring_filter.currentData()
        self.timeline.placeholder = EMPTY if kind is None and ring is None else EMPTY_FILTERED
        ids = {c.id for c in self.document.ring_members(ring)} if ring is not None else None
        self.model.set_filters({kind} if kind else None, ids)
        if self.search.text().strip():  # the results follow the filters too
            self.run_search()

    def _keep(self):
        """The kind and ring filters as a test of a search result (None: no filter)."""
        kind = self.kind_filter.currentData()
        ring = self.ring_filter.currentData()
        if kind is None and ring is None:
            return None
        ids = {c.id for c in self.document.ring_members(ring)} if ring is not None else None
        return lambda hit: ((kind is None or hit.kind == kind)
                            and (ids is None or hit.contact_id in ids))

    def _ring_members_changed(self, rings: list | None = None, _ids: list | None = None) -> None:
        """Filtered by a ring whose members changed: read again (another ring's: nothing)."""
        ring = self.ring_filter.currentData()
        if ring is not None and (rings is None or ring in rings):
            self.apply_filters()

    def run_search(self) -> None:
        self._debounce.stop()
        text = self.search.text()
        if not text.strip():
            self.results_model.run("")  # no stale results for Enter to jump to
            self.stack.setCurrentWidget(self.timeline)
            self.status.setText("")
            return
        keep = self._keep()
        count = self.results_model.run(text, SEARCH_LIMIT, keep)
        self.stack.setCurrentWidget(self.results)
        if not count:
            self.status.setText(f"Nothing found for “{text}”"
                                + (" with these filters" if keep is not None else ""))
        elif count >= SEARCH_LIMIT and keep is None:  # (the newest that many: maybe more)
            self.status.setText(f"The newest {count} found")
        else:
            self.status.setText(f"{count} found")
        if count:
            self.results.setCurrentIndex(self.results_model.index(0))

    def _enter(self) -> None:
        """Enter in the search box jumps to the selected (or first) result."""
        if self._debounce.isActive() or self.results_model.query != self.search.text():
            self.run_search()  # (searching again would lose the selected result)
        index = self.results.currentIndex()
        if not index.isValid() and self.results_model.rowCount():
            index = self.results_model.index(0)
        if index.isValid():
            self.results.activated.emit(index)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
