"""What the people list says when it shows nobody: that the search found no one, or that
everyone is on a ring — not a blank box. (An empty database is explained in the middle
of the window, where its three ways to start are.)"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QAbstractScrollArea

#: room around the words, in pixels
MARGIN = 10


def empty_list_text(search: str, unplaced_only: bool, everyone: int) -> str:
    """Why the list is empty, in a sentence ("" for an empty database): ``search`` as
    typed, ``everyone`` the number of people in the database."""
    search = search.strip()
    if search:
        who = "Nobody unplaced" if unplaced_only else "Nobody"
        return f"{who} matches “{search}”. Esc clears the search."
    if unplaced_only and everyone:
        return "Everyone is on a ring. Untick Unplaced only to see them."
    return ""


def paint_empty_text(view: QAbstractScrollArea, text: str) -> None:
    """``text`` across the top of ``view``'s viewport, wrapped, in the placeholder colour
    (call from the view's paintEvent, after the rows)."""
    if not text:
        return
    viewport = view.viewport()
    painter = QPainter(viewport)
    try:
        painter.setPen(view.palette().color(QPalette.ColorRole.PlaceholderText))
        area = viewport.rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        painter.drawText(area, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                                   | Qt.TextFlag.TextWordWrap), text)
    finally:
        painter.end()
