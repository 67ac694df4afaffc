"""A sentence in an empty list's place: what will show there (an empty box says nothing)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QListWidget


def paint_placeholder(view: QAbstractItemView, text: str) -> None:
    """Draw ``text`` on ``view``'s viewport when its model has no rows (call it after the
    view's own painting, from its paintEvent)."""
    model = view.model()
    if not text or model is None or model.rowCount() != 0:
        return
    painter = QPainter(view.viewport())
    painter.setPen(view.palette().color(QPalette.ColorRole.PlaceholderText))
    painter.drawText(view.viewport().rect().adjusted(12, 10, -12, -10),
                     int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                         | Qt.TextFlag.TextWordWrap), text)
    painter.end()


class PlaceholderList(QListWidget):
    """A list widget that says ``placeholder`` while it is empty."""

    def __init__(self, placeholder: str = "", parent=None):
        super().__init__(parent)
        self.placeholder = placeholder

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        paint_placeholder(self, self.placeholder)
