"""A person on a ring: a round node with initials, a cadence halo and a tooltip.

The node only reports gestures (pressed, released at a point); the scene
decides what a drop means and the document changes the data.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsObject,
)

from planner.domain.contact import Contact
from planner.domain.rings import Ring
from planner.ui.common import avatars
from planner.ui.common.dates import date_text
from planner.ui.common.palette import NEUTRAL_HALO, RING_COLORS, ink_on
from planner.ui.rings.geometry import NODE_RADIUS
from planner.ui.rings.glide import Glide

HALO = 5.0
ANIMATION_MS = 180
ORIGIN = QPointF(0, 0)
#: a name under a node is cut (…) past about this many average characters: "Agnieszka
#: Lewandowska" under an inner node ran across the middle ring's node beside it (the
#: whole name is on the hover card)
LABEL_CHARS = 18

#: the names' font and its metrics, for the application font they were made from
_label_fonts: dict[str, tuple[QFont, QFontMetricsF]] = {}
#: pens, brushes and fonts every node paints with (made once, not at every paint)
_paint_tools: dict[object, object] = {}


def _label_font() -> tuple[QFont, QFontMetricsF]:
    """The names' font (half a point under the application's, 8.5 at least) and its
    metrics: one of each for every label (87 pairs were a tenth of building the rings)."""
    base = QApplication.font()
    key = base.key()
    found = _label_fonts.get(key)
    if found is None:
        font = QFont(base)
        font.setPointSizeF(max(8.5, font.pointSizeF() - 0.5))
        found = _label_fonts[key] = (font, QFontMetricsF(font))
    return found


def _tool(key, make):
    found = _paint_tools.get(key)
    if found is None:
        found = _paint_tools[key] = make()
    return found


class NameLabel(QGraphicsItem):
    """A name under a node, at a readable size whatever the zoom (it ignores the view's
    scale), centred, on a pale pill so it reads over the rings' colours."""

    def __init__(self, parent: QGraphicsItem):
        super().__init__(parent)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._text = ""
        self._font, self._metrics = _label_font()
        self._rect = QRectF()

    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        self.prepareGeometryChange()
        widest = self._metrics.averageCharWidth() * LABEL_CHARS
        self._text = self._metrics.elidedText(text, Qt.TextElideMode.ElideRight, widest)
        width = self._metrics.horizontalAdvance(self._text) + 8
        height = self._metrics.height() + 2
        self._rect = QRectF(-width / 2, 0, width, height)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option, widget=None) -> None:
        palette = QApplication.palette()
        back = QColor(palette.color(QPalette.ColorRole.Base))
        back.setAlpha(215)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(back)
        painter.drawRoundedRect(self._rect, 6, 6)
        painter.setFont(self._font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self._text)


class NodeItem(QGraphicsObject):
    released = Signal(object, QPointF)  # (node, scene position of the pointer)

    def __init__(self, contact: Contact):
        super().__init__()
        self.contact_id = contact.id
        self.ring: Ring = contact.ring or Ring.OUTER
        self.radius = NODE_RADIUS[self.ring]
        self.slot_pos = QPointF()
        self.halo_color = QColor(NEUTRAL_HALO)
        self._halo_pen = QPen(self.halo_color, HALO)
        self.status_text = ""
        self._due: datetime | None = None  # next due (shown as next_due)
        self._press_pos: QPointF | None = None
        self._name = ""
        self._initials = "?"
        # the person's round picture (planner.ui.common.avatars), else initials
        self._photo: QPixmap | None = None
        self._shown: tuple | None = None
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsFocusable)
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        # the name under the node: made when first shown (most outer nodes are named only
        # while hovered: measuring 72 names would delay the first frame, issue 23)
        self._label: NameLabel | None = None
        self._label_text = ""
        self._names_shown = False
        self._always_named = False  # inner and middle nodes: their name is always under them
        self._ring_names = True  # … unless the canvas is too small for them (then on hover)
        self.set_contact(contact)

    # -- data ------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @property
    def contact(self) -> Contact:
        return self._contact

    def set_place(self, contact: Contact) -> bool:
        """The same person in a new place (a reorder): nothing drawn changes unless their
        ring or details did too (then as set_contact). False if nothing drawn changed."""
        if (contact.name, contact.ring, contact.last_touch, contact.cadence_days) \
                == self._shown:
            self._contact = contact
            return False
        return self.set_contact(contact)

    def set_contact(self, contact: Contact) -> bool:
        """Show ``contact``; False if nothing drawn changed (a new place around the ring)."""
        ring_of = contact.ring or self.ring
        photo = avatars.photo_pixmap(contact.id, int(2 * NODE_RADIUS[ring_of]))  # not in paint()
        if photo is not self._photo:
            self._photo = photo
            self.update()
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
        # the middle ring is crowded: first names; the inner ring and hover: full names
        first = contact.name.split()[0] if contact.name.split() else contact.name
        self._label_text = first if ring is Ring.MIDDLE else contact.name
        if self._label is not None:
            self._place_label(self._label)
        self.update()
        return True

    def _place_label(self, label: NameLabel) -> None:
        if label.text() != self._label_text:
            label.set_text(self._label_text)
        label.setPos(0, self.radius + HALO + 1)

    def _show_label(self, on: bool) -> None:
        label = self._label
        if label is None:
            if not on:
                return
            label = self._label = NameLabel(self)
            self._place_label(label)
        label.setVisible(on)

    def set_status(self, color: str, text: str, due: datetime | None = None) -> None:
        """The halo's colour; the status words and when they are next due (``due``) in
        the card."""
        halo = QColor(color)
        if halo != self.halo_color or (text, due) != (self.status_text, self._due):
            self.halo_color = halo
            self._halo_pen = QPen(halo, HALO)
            self.status_text, self._due = text, due
            self.update()

    @property
    def next_due(self) -> str:
        """When they are next due, as the card says it ("" for the unplaced); written out
        when asked for, not for every node at start (issue 23)."""
        return date_text(self._due, weekday=True) if self._due is not None else ""

    def toolTip(self) -> str:
        """The hover card's text (the view shows the card instead of a tooltip, so it is
        made when asked for rather than kept up to date for every node)."""
        return self._tooltip(self._contact)

    def set_initials(self, text: str) -> None:
        """Initials told apart from everyone else's on the ring (the scene decides)."""
        if text != self._initials:
            self._initials = text
            self.update()

    @property
    def initials(self) -> str:
        return self._initials

    def name_always(self, on: bool) -> None:
        """The name under the node at every readable zoom (inner and middle rings)."""
        self._always_named = on
        self._show_label(self._named())

    def _named(self) -> bool:
        """Whether the name shows without the pointer on the node."""
        return self._names_shown or (self._always_named and self._ring_names)

    def _tooltip(self, contact: Contact) -> str:
        """The hover card: name, ring and status, last touch, next due."""
        last = date_text(contact.last_touch, weekday=True) if contact.last_touch else "never"
        lines = [contact.name, f"{self.ring.label} ring · last touch {last}"]
        if self.status_text:
            lines.append(self.status_text)
        if self.next_due:
            lines.append(f"next due {self.next_due}")
        return "\n".join(lines)

    # -- geometry and painting -------------------------------------------------------
    def boundingRect(self) -> QRectF:
        r = self.radius + HALO + 2
        return QRectF(-r, -r, 2 * r, 2 * r)

    def shape(self):

        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), self.radius + HALO, self.radius + HALO)
        return path

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self.radius
        painter.setPen(self._halo_pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(ORIGIN, r + HALO / 2, r + HALO / 2)
        painter.setPen(_tool("edge", lambda: QPen(QColor("white"), 1.5)))
        painter.setBrush(_tool(self.ring, lambda: QBrush(QColor(RING_COLORS[self.ring]))))
        painter.drawEllipse(ORIGIN, r, r)
        if self.isSelected():
            painter.setPen(_tool("selected", lambda: QPen(QColor("#1f6feb"), 3)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(ORIGIN, r + HALO + 1, r + HALO + 1)
        box = QRectF(-r, -r, 2 * r, 2 * r)
        if self._photo is not None and self._photo.width() == int(2 * r):
            painter.drawPixmap(box, self._photo, QRectF(self._photo.rect()))
            return
        base = painter.font()
        longer = len(self._initials) > 2
        size = max(9, int(r * (0.6 if longer else 0.72)))

        def initials_font() -> QFont:
            font = QFont(base)
            font.setBold(True)
            font.setPixelSize(size)
            return font

        painter.setFont(_tool((base.key(), size), initials_font))
        # white or dark, whichever reads better on the ring's colour (white initials on
        # the middle ring's amber were 2.2:1)
        ink = ink_on(RING_COLORS[self.ring])
        painter.setPen(_tool(("ink", ink), lambda: QPen(QColor(ink))))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self._initials)

    # -- movement -------------------------------------------------------------------
    def _glide(self) -> Glide | None:
        """The scene's clock for gliding nodes (planner.ui.rings.glide), if it has one."""
        return getattr(self.scene(), "glide", None)

    def move_to_slot(self, point: QPointF, animate: bool = True) -> None:
        glide = self._glide()
        point = QPointF(point)
        if glide is None:  # (not in a scene with a clock)
            self.slot_pos = point
            self.setPos(point)
        elif self.slot_changed(point, glide):
            glide.send([(self, point)], ANIMATION_MS if animate else 0)

    def slot_changed(self, point: QPointF, glide: Glide) -> bool:
        """Take ``point`` (a new QPointF, not shared) as this node's slot; True when the
        node must be sent there (it is elsewhere and not already on its way), which the
        caller does for many nodes at once (``Glide.send``)."""
        if point == self.slot_pos and (self.pos() == point or glide.moving(self)):
            return False
        self.slot_pos = point
        return True

    def is_animating(self) -> bool:
        glide = self._glide()
        return glide is not None and glide.moving(self)

    # -- gestures ---------------------------------------------------------------------
    @property
    def dragging(self) -> bool:
        """The left button pressed on this node and not yet released (nor the drag
        called off)."""
        return self._press_pos is not None

    def mousePressEvent(self, event) -> None:
        if self.dragging:  # a second button while dragging: the drag is called off
            event.accept()
            self.cancel_drag()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            glide = self._glide()
            if glide is not None:
                glide.stop(self)  # the pointer has it now
            self._press_pos = QPointF(self.pos())
            self.setZValue(10)
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        start, self._press_pos = self._press_pos, None
        self._end_drag_look()
        if start is not None and (self.pos() - start).manhattanLength() > 3:
            self.released.emit(self, event.scenePos())
        elif start is not None and self.pos() != self.slot_pos:
            self.move_to_slot(self.slot_pos)  # a nudge too small to be a drag

    def cancel_drag(self) -> None:
        """Esc, a second button, a drop outside the canvas: the pointer lets go of the
        node, which glides back to its slot; nothing is dropped, nothing changes."""
        if not self.dragging:
            return
        self._press_pos = None
        self._end_drag_look()
        scene = self.scene()
        if scene is None:
            return
        if scene.mouseGrabberItem() is self:
            self.ungrabMouse()  # (the rest of the gesture goes to nobody)
        self.move_to_slot(self.slot_pos, animate=getattr(scene, "animate", True))

    def _end_drag_look(self) -> None:
        self.setZValue(0)
        self.setCursor(Qt.CursorShape.OpenHandCursor)

    def show_name(self, always: bool, ring_names: bool = True) -> None:
        """Names are drawn at a readable zoom; otherwise only while hovered. The inner and
        middle rings' names (``ring_names``) show at smaller zooms, but not on a canvas so
        small that they would run into each other."""
        self._names_shown = always
        self._ring_names = ring_names
        self._show_label(self._named())

    def hoverEnterEvent(self, event) -> None:
        self.setZValue(5)
        self._show_label(True)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self.setZValue(0)
        self._show_label(self._named())
        super().hoverLeaveEvent(event)
