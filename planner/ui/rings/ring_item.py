"""A ring: its circle, the band it owns, and its fill label ("Inner 2/3")."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QApplication, QGraphicsItem

from planner.domain.rings import RING_ORDER, Ring
from planner.ui.common.palette import RING_COLORS, ink_on
from planner.ui.rings.geometry import NODE_RADIUS, RADIUS


def is_dark() -> bool:
    """The window is in its dark theme (theme.apply_theme marks the application)."""
    app = QApplication.instance()
    return app is not None and app.property("planner_scheme") == "dark"


class RingItem(QGraphicsItem):
    def __init__(self, ring: Ring):
        super().__init__()
        self.ring = ring
        self.count = 0
        self.capacity = 1
        self.highlighted = False
        self.refusing = False  # a drop here would be refused (full): drawn as such
        self.setZValue(-10 + ring.depth)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        r = RADIUS[ring]
        self._rect = QRectF(-r - 4, -r - 34, 2 * r + 8, 2 * r + 38)

    @property
    def label(self) -> str:
        return f"{self.ring.label} {self.count}/{self.capacity}"

    @property
    def state(self) -> str:
        if self.count == 0:
            return "empty"
        if self.count > self.capacity:
            return "over"
        return "full" if self.count == self.capacity else "partial"

    def set_fill(self, count: int, capacity: int) -> None:
        if (count, capacity) != (self.count, self.capacity):
            self.count, self.capacity = count, capacity
            self.update()

    def set_highlighted(self, on: bool, refusing: bool = False) -> None:
        refusing = on and refusing
        if (on, refusing) != (self.highlighted, self.refusing):
            self.highlighted, self.refusing = on, refusing
            self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def _band(self) -> QPainterPath:
        """The area the ring owns (a disc, or a disc less the ring inside): made once, a
        path subtraction at every paint was most of drawing the rings (issue 23)."""
        band = getattr(self, "_band_path", None)
        if band is None:
            band = self._band_path = self._make_band()
        return band

    def _make_band(self) -> QPainterPath:
        r = RADIUS[self.ring]
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), r, r)
        index = RING_ORDER.index(self.ring)
        if index > 0:
            inner = RADIUS[RING_ORDER[index - 1]]
            hole = QPainterPath()
            hole.addEllipse(QPointF(0, 0), inner, inner)
            path = path.subtracted(hole)
        return path

    def paint(self, painter: QPainter, option, widget=None) -> None:
        color = QColor(RING_COLORS[self.ring])
        state = self.state
        band = QColor(color)
        if is_dark():  # a warm colour thinly over a dark ground turns brown: keep it faint
            band.setAlpha({"empty": 5, "partial": 9, "full": 14, "over": 14}[state]
                          + (30 if self.highlighted else 0))
            color = color.lighter(112)
        else:
            band.setAlpha({"empty": 10, "partial": 22, "full": 38, "over": 38}[state]
                          + (40 if self.highlighted else 0))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillPath(self._band(), QBrush(band))
        r = RADIUS[self.ring]
        pen = QPen(QColor("#c0392b") if state == "over" else color)
        pen.setWidthF({"empty": 1.5, "partial": 2.5, "full": 4.0, "over": 4.0}[state])
        if state == "empty":
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(0, 0), r, r)
        if self.refusing:  # full: a red dashed edge while something is dragged over it
            refuse = QPen(QColor("#c0392b"), 3.0, Qt.PenStyle.DashLine)
            painter.setPen(refuse)
            painter.drawEllipse(QPointF(0, 0), r + 3, r + 3)
        # the pill in the ring's own colour in both themes: its ink is chosen for that
        # (the dark theme's lighter red read 4.2:1 with either ink)
        self._paint_label(painter, QColor(RING_COLORS[self.ring]), state)

    def _paint_label(self, painter: QPainter, color: QColor, state: str) -> None:
        font = QFont(painter.font())
        font.setPointSizeF(11 if self.ring is Ring.OUTER else 10)
        font.setBold(state in ("full", "over"))
        painter.setFont(font)
        text = self.label + ("  over capacity" if state == "over" else "")
        metrics = painter.fontMetrics()
        width = metrics.horizontalAdvance(text) + 14
        r = RADIUS[self.ring]
        # Inner: the empty centre; others: inside their band, under the top node (and, on
        # the middle ring, under that node's name)
        top = -10 if self.ring is Ring.INNER else -r + NODE_RADIUS[self.ring] + 12
        if self.ring is Ring.MIDDLE:
            top += 30
        box = QRectF(-width / 2, top, width, 20)
        painter.setPen(Qt.PenStyle.NoPen)
        fill = QColor("#c0392b") if state == "over" else color
        fill.setAlpha(235)
        painter.setBrush(fill)
        painter.drawRoundedRect(box, 9, 9)
        # white or dark, whichever reads better on the pill (white on the middle ring's
        # amber was 2.0:1)
        painter.setPen(QColor(ink_on(QColor(fill.rgb()).name())))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
