"""The dashboard's painted cards as a widget: what the pointer or the keys are on (a win
to celebrate, an ask to thank for, a person to show), and the signals that act on it."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QScrollArea,
    QSizePolicy,
    QWidget,
)

from planner.ui.dashboard.painting import DARK, KEYS_HELP, LIGHT, layout_cards, paint_dashboard


class DashboardCanvas(QWidget):
    person_selected = Signal(int)
    celebrate_requested = Signal(int)  # win id
    thank_requested = Signal(int)  # ask id

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("dashboardCanvas")
        self.setAccessibleName("Dashboard charts")
        self.setAccessibleDescription(KEYS_HELP)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # the rows (wins, asks, people) could only be acted on with the mouse: Tab in,
        # Up/Down choose one, Enter does what a double-click does, Space what a click does
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stats = None
        self.hits: list[tuple[QRectF, str, int, int]] = []
        self.current = 0  # the row the keys act on (an index into hits)
        self.on_paint = None  # called before each paint (the dashboard refreshes stale data)
        self.setMouseTracking(True)

    def set_stats(self, stats) -> None:
        self.stats = stats
        self.setMinimumHeight(int(layout_cards(max(self.width(), 400))[1]))
        self.update()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return int(layout_cards(width)[1])

    def sizeHint(self) -> QSize:
        return QSize(1100, self.heightForWidth(1100))

    def resizeEvent(self, event) -> None:
        self.setMinimumHeight(self.heightForWidth(self.width()))
        super().resizeEvent(event)

    def paintEvent(self, event) -> None:
        if self.on_paint is not None:
            self.on_paint()
        painter = QPainter(self)
        try:
            dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
            self.hits = paint_dashboard(painter, self.stats, self.width(), self.height(),
                                        DARK if dark else LIGHT).hits
            chosen = self.chosen()
            if chosen is not None and self.hasFocus():
                painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(chosen[0].adjusted(1, 1, -1, -1), 3, 3)
        finally:
            painter.end()

    def chosen(self):
        """The row the keys act on, or None when no row is drawn."""
        if not self.hits:
            return None
        self.current = max(0, min(self.current, len(self.hits) - 1))
        return self.hits[self.current]

    def keyPressEvent(self, event) -> None:
        key, chosen = event.key(), self.chosen()
        if chosen is not None and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.current += -1 if key == Qt.Key.Key_Up else 1
            chosen = self.chosen()
            if chosen is not None:
                self._show(chosen[0])
            self.update()
        elif chosen is not None and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._act(chosen)
        elif chosen is not None and key == Qt.Key.Key_Space:
            self.person_selected.emit(chosen[3])
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:
        chosen = self.chosen()
        if chosen is not None:
            self._show(chosen[0])
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:
        self.update()
        super().focusOutEvent(event)

    def _show(self, rect: QRectF) -> None:
        """Scroll the chosen row into sight (the canvas sits in a scroll area)."""
        viewport = self.parentWidget()
        area = viewport.parentWidget() if viewport is not None else None
        if isinstance(area, QScrollArea):
            area.ensureVisible(int(rect.center().x()), int(rect.center().y()), 20,
                               int(rect.height()))

    def _act(self, found) -> None:
        _, kind, row_id, contact_id = found
        self.person_selected.emit(contact_id)
        if kind == "win":
            self.celebrate_requested.emit(row_id)
        elif kind == "ask":
            self.thank_requested.emit(row_id)

    def hit(self, pos: QPointF):
        return next((h for h in self.hits if h[0].contains(pos)), None)

    def mousePressEvent(self, event) -> None:
        found = self.hit(event.position())
        if found is not None:
            self.person_selected.emit(found[3])
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        found = self.hit(event.position())
        if found is not None:
            self.current = self.hits.index(found)
            self._act(found)
        super().mouseDoubleClickEvent(event)

    def mouseMoveEvent(self, event) -> None:
        found = self.hit(event.position())
        self.setCursor(Qt.CursorShape.PointingHandCursor if found else Qt.CursorShape.ArrowCursor)
        tips = {"win": "Double-click to celebrate this win",
                "ask": "Double-click to say thank you", "person": "Click to show them"}
        self.setToolTip(tips.get(found[1], "") if found else "")
        super().mouseMoveEvent(event)
