"""Search results drawn with the matched words highlighted."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QPalette, QTextDocument
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate

from planner.ui.common.dates import date_text
from planner.ui.common.selection import selection_fill
from planner.ui.people.search_model import HIT_ROLE, highlighted_html


class SearchDelegate(QStyledItemDelegate):
    def _doc(self, hit, width: int, palette: QPalette) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(4)
        when = date_text(hit.at)
        color = palette.color(QPalette.ColorRole.Text).name()
        doc.setHtml(f"<div style='color:{color}'><b>{html.escape(hit.contact)}</b> · "
                    f"{html.escape(hit.kind)} · {when}<br>{highlighted_html(hit)}</div>")
        doc.setTextWidth(max(50, width))
        return doc

    def paint(self, painter, option, index) -> None:
        hit = index.data(HIT_ROLE)
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, selection_fill(option.palette))
        doc = self._doc(hit, option.rect.width(), option.palette)
        painter.translate(option.rect.topLeft())
        doc.drawContents(painter)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        hit = index.data(HIT_ROLE)
        width = option.rect.width() or 400
        return QSize(width, int(self._doc(hit, width, option.palette).size().height()))


class SearchResultsView(QListView):
    jump_requested = Signal(int, str)  # contact id, entry id

    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(SearchDelegate(self))
        self.setWordWrap(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setAccessibleName("Search results")
        self.activated.connect(self._jump)

    def _jump(self, index) -> None:
        hit = index.data(HIT_ROLE)
        if hit is not None:
            self.jump_requested.emit(hit.contact_id, hit.id)
