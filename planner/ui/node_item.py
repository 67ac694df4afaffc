"""A person on a ring: a round node with initials, a cadence halo and a tooltip.

The node only reports gestures (pressed, released at a point); the scene
decides what a drop means and the document changes the data.
"""

from __future__ import annotations

from PySide6.QtCore import Property, QEasingCurve, QPointF, QPropertyAnimation, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsSimpleTextItem,
)

from planner.domain.contact import Contact
from planner.domain.rings import Ring
from planner.ui.geometry import NODE_RADIUS
from planner.ui.palette import NEUTRAL_HALO, RING_COLORS

HALO = 5.0
ANIMATION_MS = 180


class NodeItem(QGraphicsObject):
    released = Signal(object, QPointF)  # (node, scene position of the pointer)

    def __init__(self, contact: Contact):
        super().__init__()
        self.contact_id = contact.id
        self.ring: Ring = contact.ring or Ring.OUTER
        self.radius = NODE_RADIUS[self.ring]
        self.slot_pos = QPointF()
        self.halo_color = QColor(NEUTRAL_HALO)
        self.status_text = ""
        self._press_pos: QPointF | None = None
        self._animation: QPropertyAnimation | None = None
        self._name = ""
        self._initials = "?"
        self._shown: tuple | None = None
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsFocusable)
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self._label = QGraphicsSimpleTextItem(self)
        self._label.setBrush(QApplication.palette().color(QPalette.ColorRole.WindowText))
        self._label.setVisible(False)
        self._names_shown = False
        self.set_contact(contact)

    # -- data ------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @property
    def contact(self) -> Contact:
        return self._contact

    def set_contact(self, contact: Contact) -> bool:
        """Show ``contact``; False if nothing drawn changed (a new place around the ring)."""
        shown = (contact.name, contact.ring, contact.last_touch, contact.cadence_days)
        if shown == self._shown:
            self._contact = contact
            return False
        self._shown = shown
        ring = contact.ring or self.ring
        if ring != self.ring:
            self.prepareGeometryChange()
            self.ring = ring
            self.radius = NODE_RADIUS[ring]
        self._contact = contact
        self._name = contact.name
        self._initials = contact.initials
        self._label.setText(contact.name)
        rect = self._label.boundingRect()
        self._label.setPos(-rect.width() / 2, self.radius + HALO + 2)
        self.setToolTip(self._tooltip(contact))
        self.update()
        return True

    def set_status(self, color: str, text: str) -> None:
        """The halo's colour and the status words in the tooltip."""
        if QColor(color) != self.halo_color or text != self.status_text:
            self.halo_color = QColor(color)
            self.status_text = text
            self.setToolTip(self._tooltip(self._contact))
            self.update()

    def _tooltip(self, contact: Contact) -> str:
        last = contact.last_touch.astimezone().strftime("%a %d %b %Y") if contact.last_touch \
            else "never"
        lines = [contact.name, f"{self.ring.label} ring · last touch {last}"]
        if self.status_text:
            lines.append(self.status_text)
        return "\n".join(lines)

    # -- geometry and painting -------------------------------------------------------
    def boundingRect(self) -> QRectF:
        r = self.radius + HALO + 2
        return QRectF(-r, -r, 2 * r, 2 * r)

    def shape(self):
        from PySide6.QtGui import QPainterPath

        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), self.radius + HALO, self.radius + HALO)
        return path

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self.radius
        halo = QColor(self.halo_color)
        painter.setPen(QPen(halo, HALO))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(0, 0), r + HALO / 2, r + HALO / 2)
        fill = QColor(RING_COLORS[self.ring])
        painter.setPen(QPen(QColor("white"), 1.5))
        painter.setBrush(QBrush(fill))
        painter.drawEllipse(QPointF(0, 0), r, r)
        if self.isSelected():
            painter.setPen(QPen(QColor("#1f6feb"), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), r + HALO + 1, r + HALO + 1)
        font = QFont(painter.font())
        font.setBold(True)
        font.setPixelSize(max(9, int(r * 0.72)))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(-r, -r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter,
                         self._initials)

    # -- movement -------------------------------------------------------------------
    def _get_pos(self) -> QPointF:
        return self.pos()

    def _set_pos(self, value: QPointF) -> None:
        self.setPos(value)

    animated_pos = Property(QPointF, _get_pos, _set_pos)

    def move_to_slot(self, point: QPointF, animate: bool = True) -> None:
        self.slot_pos = QPointF(point)
        if self._animation is not None:
            self._animation.stop()
        if not animate or self.pos() == point:
            self.setPos(point)
            return
        if self._animation is None:  # one per node, reused: a drag shifts a whole ring
            self._animation = QPropertyAnimation(self, b"animated_pos", self)
            self._animation.setDuration(ANIMATION_MS)
            self._animation.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._animation.setEndValue(QPointF(point))
        self._animation.start()

    def is_animating(self) -> bool:
        return self._animation is not None and \
            self._animation.state() == QPropertyAnimation.State.Running

    # -- gestures ---------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        self._press_pos = QPointF(self.pos())
        self.setZValue(10)
        self.setCursor(Qt.CursorShape.ClosedHandCursor)
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        self.setZValue(0)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        start, self._press_pos = self._press_pos, None
        if start is not None and (self.pos() - start).manhattanLength() > 3:
            self.released.emit(self, event.scenePos())
        elif start is not None and self.pos() != self.slot_pos:
            self.move_to_slot(self.slot_pos)  # a nudge too small to be a drag

    def show_name(self, always: bool) -> None:
        """Names are drawn at a readable zoom; otherwise only while hovered."""
        self._names_shown = always
        self._label.setVisible(always)

    def hoverEnterEvent(self, event) -> None:
        self.setZValue(5)
        self._label.setVisible(True)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self.setZValue(0)
        self._label.setVisible(self._names_shown)
        super().hoverLeaveEvent(event)
