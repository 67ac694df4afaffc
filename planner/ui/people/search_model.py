"""Search results (notes and touchpoint notes) as a Qt list model."""

from __future__ import annotations

import html

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt

from planner.services import search as search_svc
from planner.services.search import SearchHit
from planner.ui.common.dates import date_text, date_time_text

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 2
CONTACT_ID_ROLE = Qt.ItemDataRole.UserRole + 3


def highlighted_html(hit: SearchHit) -> str:
    """The snippet with the matched words in bold, everything else escaped."""
    return search_svc.plain(hit.snippet, "<b style='background:#fff3a3;color:#000'>", "</b>",
                            escape=html.escape)


class SearchResultsModel(QAbstractListModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.hits: list[SearchHit] = []
        self.query = ""

    def run(self, text: str, limit: int = 100, keep=None) -> int:
        """Search ``text``: the newest ``limit`` matches, of those ``keep(hit)`` allows
        (the page's kind and ring filters; None: all)."""
        self.beginResetModel()
        self.query = text
        hits = search_svc.search(text, limit) if text.strip() else []
        self.hits = [h for h in hits if keep(h)] if keep is not None else hits
        self.endResetModel()
        return len(self.hits)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            when = date_text(hit.at)
            return f"{when} · {hit.kind} — {hit.contact}: " + search_svc.plain(hit.snippet)
        if role == Qt.ItemDataRole.ToolTipRole:
            return date_time_text(hit.at, long=True)
        if role == HIT_ROLE:
            return hit
        if role == ENTRY_ID_ROLE:
            return hit.id
        if role == CONTACT_ID_ROLE:
            return hit.contact_id
        return None
