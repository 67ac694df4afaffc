"""The canvas widget: zoom, fit, keyboard paths and drops from the contact list."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QContextMenuEvent, QKeySequence, QPainter
from PySide6.QtWidgets import QGraphicsView

from planner.ui.common.mime import CONTACT_MIME, decode_contact_ids
from planner.ui.common.viewport import own_viewport
from planner.ui.rings.node_item import NodeItem

#: how long the pointer rests on a node before its card shows
DELAY_MS = 350

ZOOM_STEP = 1.2
NAMES_AT_ZOOM = 1.35
#: under this scale the inner and middle rings' names ran into each other and over the
#: nodes beside them (a window made small): they show while the pointer is on a node
RING_NAMES_AT_ZOOM = 0.5


class RingsView(QGraphicsView):
    #: Enter on a selected node: show that person
    open_person = Signal(int)
    #: right-click on a node: (contact id, global position) for the window's menu
    context_menu_requested = Signal(int, object)
    #: right-click on the empty canvas: (global position) for the window's menu
    canvas_menu_requested = Signal(object)
    #: while dragging: what a drop here would do when it is not a plain move ("" none)
    drag_hint = Signal(str)

    def __init__(self, scene, parent=None):
        super().__init__(scene, parent)
        own_viewport(self)  # (not C++'s: ~10 ms of start-up, planner.ui.common.viewport)
        self._scene = scene  # keep a reference (a parentless scene would be freed)
        self.setObjectName("ringsView")
        self.setAccessibleName("Rings canvas")
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.zoom = 1.0  # relative to "fit"
        self._fitted_scale = 1.0
        # the hover card: after the pointer rests on a node, gone when it leaves
        self.viewport().setMouseTracking(True)
        self._hover_card = None  # made when first shown (not before the first frame)
        self._hovered: NodeItem | None = None
        self._card_timer = QTimer(self)
        self._card_timer.setSingleShot(True)
        self._card_timer.setInterval(DELAY_MS)
        self._card_timer.timeout.connect(self._show_card)
        self._menu_refused = False  # a right press called a drag off: no menu for it

    # -- zoom ----------------------------------------------------------------------------
    def fit(self) -> None:
        """Ctrl+0: the three rings fill the view."""
        self.drop_card()
        self.resetTransform()
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self._fitted_scale = self.transform().m11()
        self.zoom = 1.0
        self._show_names()

    def zoom_by(self, factor: float, about=None) -> None:
        """Zoom about the centre of the view (keys), or about ``about``, a viewport point
        (the wheel: the point under the pointer stays under it where the view can scroll)."""
        new = max(0.5, min(6.0, self.zoom * factor))
        if new == self.zoom:
            return
        self.drop_card()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        held = self.mapToScene(about) if about is not None else None
        self.scale(new / self.zoom, new / self.zoom)
        self.zoom = new
        if held is not None:
            drift = self.mapFromScene(held) - about
            for bar, delta in ((self.horizontalScrollBar(), drift.x()),
                               (self.verticalScrollBar(), drift.y())):
                bar.setValue(bar.value() + delta)
        self._show_names()

    def _show_names(self) -> None:
        scale = self.transform().m11()
        self._scene.show_names(scale >= NAMES_AT_ZOOM, scale >= RING_NAMES_AT_ZOOM)

    def zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.drop_card()
        if self.zoom == 1.0:
            self.fit()

    def wheelEvent(self, event) -> None:
        """The plain wheel zooms about the pointer (the rings fit the view: there is
        nothing to scroll to); a touchpad's sideways swipe still scrolls."""
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(ZOOM_STEP ** steps, about=event.position().toPoint())
            event.accept()
            return
        super().wheelEvent(event)

    # -- keyboard --------------------------------------------------------------------------
    def focusNextPrevChild(self, forward: bool) -> bool:
        """Tab walks the people on the rings before leaving the canvas."""
        nodes = self._scene.ordered_nodes()
        current = self._scene.selected_id()
        ids = [n.contact_id for n in nodes]
        if not ids:
            return super().focusNextPrevChild(forward)
        if current in ids:
            index = ids.index(current) + (1 if forward else -1)
            if not 0 <= index < len(ids):
                return super().focusNextPrevChild(forward)
        else:
            index = 0 if forward else len(ids) - 1
        self.select_step_to(ids[index])
        return True

    def select_step_to(self, contact_id: int) -> None:
        self._scene.select_contact(contact_id)
        self._scene.person_selected.emit(contact_id)
        node = self._scene.nodes.get(contact_id)
        if node is not None:
            self.ensureVisible(node)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        mods = event.modifiers()
        plain = not (mods & (Qt.KeyboardModifier.ControlModifier
                             | Qt.KeyboardModifier.AltModifier))
        if plain and key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Up):
            self._step(1 if key in (Qt.Key.Key_Right, Qt.Key.Key_Down) else -1)
            return
        if key == Qt.Key.Key_Escape and self.cancel_drag():
            return
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            current = self._scene.selected_id()
            if current is not None:
                self.open_person.emit(current)
                return
        if event.matches(QKeySequence.StandardKey.ZoomIn) or (
                mods & Qt.KeyboardModifier.ControlModifier and key == Qt.Key.Key_Equal):
            self.zoom_in()
            return
        super().keyPressEvent(event)

    def _step(self, delta: int) -> None:
        ids = [n.contact_id for n in self._scene.ordered_nodes()]
        if not ids:
            return
        current = self._scene.selected_id()
        index = (ids.index(current) + delta) % len(ids) if current in ids else 0
        self.select_step_to(ids[index])

    def contextMenuEvent(self, event) -> None:
        if event.reason() == QContextMenuEvent.Reason.Mouse and (
                self._menu_refused or self.dragged_node() is not None):
            self._menu_refused = False  # a second button that called a drag off
            event.accept()
            return
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            self._keyboard_menu()
            event.accept()
            return
        node = self._scene.node_at(self.mapToScene(event.pos()))
        if node is None:
            self.canvas_menu_requested.emit(event.globalPos())
            event.accept()
            return
        self.select_step_to(node.contact_id)
        self.context_menu_requested.emit(node.contact_id, event.globalPos())
        event.accept()

    def _keyboard_menu(self) -> None:
        """The menu key or Shift+F10: the selected person's menu, just below their node
        (it was the empty canvas's, at the canvas's corner); with nobody selected, the
        canvas's, at its middle."""
        node = self._scene.nodes.get(self._scene.selected_id())
        if node is None:
            middle = self.viewport().rect().center()
            self.canvas_menu_requested.emit(self.viewport().mapToGlobal(middle))
            return
        self.ensureVisible(node)
        below = self.mapFromScene(node.scenePos() + QPointF(0, node.radius))
        self.context_menu_requested.emit(node.contact_id, self.viewport().mapToGlobal(below))

    # -- drops from the contact list ----------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(CONTACT_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasFormat(CONTACT_MIME):
            ids = decode_contact_ids(event.mimeData())
            self._hover_drop(self.mapToScene(event.position().toPoint()),
                             ids[0] if ids else None)
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event) -> None:
        # Not super(): it expects its own dragEnterEvent to have run, and warns otherwise.
        self._scene.highlight_area(None)
        self._set_hint("")
        event.accept()

    def _hover_drop(self, point: QPointF, contact_id: int | None) -> None:
        self._scene.highlight_area(point, contact_id)
        self._set_hint(self._scene.drag_hint(contact_id, point))

    def _set_hint(self, hint: str) -> None:
        """Say what a drop here would do; "" (away from a refusing spot, or the drag is
        over) withdraws what was said, so a stale "Swap with NAME" never outlives it."""
        if hint != getattr(self, "_last_hint", ""):
            self._last_hint = hint
            self.drag_hint.emit(hint)

    # -- the hover card ------------------------------------------------------------------
    @property
    def hover_card(self):
        """The card (planner.ui.rings.hover_card), made on first use."""
        if self._hover_card is None:
            from planner.ui.rings.hover_card import HoverCard

            self._hover_card = HoverCard(self)
        return self._hover_card

    #: what the window does that moves the canvas from under a resting card
    _CARD_GOES = (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Hide,
                  QEvent.Type.WindowDeactivate, QEvent.Type.WindowStateChange)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.window().installEventFilter(self)  # (again is harmless: Qt keeps one)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window() and event.type() in self._CARD_GOES:
            self.drop_card()  # a card left where the node was, pointing at nothing
        return super().eventFilter(watched, event)

    def drop_card(self) -> None:
        """Hide the card: the node under it moved (a resize, a move, a zoom, a scroll);
        the pointer resting again shows it again."""
        self._hover(None)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self.drop_card()

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:  # the card, not the plain tooltip
            event.accept()
            return True
        if event.type() == QEvent.Type.Leave:
            self._hover(None)
        return super().viewportEvent(event)

    def _hover(self, node: NodeItem | None) -> None:
        if node is self._hovered:
            return
        self._hovered = node
        if self._hover_card is not None:
            self._hover_card.hide_card()
        if node is None:
            self._card_timer.stop()
        else:
            self._card_timer.start()

    def _show_card(self) -> None:
        node = self._hovered
        if node is None or node.scene() is not self._scene:
            return
        corner = self.mapFromScene(node.scenePos()) + QPoint(int(node.radius), int(node.radius))
        self.hover_card.show_node(node, self.viewport().mapToGlobal(corner))

    # -- dragging a node ------------------------------------------------------------------
    def dragged_node(self) -> NodeItem | None:
        """The node the pointer is carrying (left button held on it), if any."""
        grabbed = self._scene.mouseGrabberItem()
        return grabbed if isinstance(grabbed, NodeItem) and grabbed.dragging else None

    def cancel_drag(self) -> bool:
        """Call off a node's drag (Esc, a second button, a drop outside the canvas): it
        glides back, nothing is lit up or said. False if nothing was being dragged."""
        node = self.dragged_node()
        if node is None:
            return False
        node.cancel_drag()
        self._set_hint("")
        self._scene.highlight_area(None)
        return True

    def _over_canvas(self, event) -> bool:
        return self.viewport().rect().contains(event.position().toPoint())

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton and self.cancel_drag():
            self._menu_refused = True  # the platform's menu for this press is not wanted
            event.accept()
            return
        self._menu_refused = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        super().mouseMoveEvent(event)
        if event.buttons() == Qt.MouseButton.NoButton:
            self._hover(self._scene.node_at(self.mapToScene(event.position().toPoint())))
        else:
            self._hover(None)
        node = self.dragged_node()
        if node is not None and event.buttons() & Qt.MouseButton.LeftButton:
            if self._over_canvas(event):
                self._hover_drop(self.mapToScene(event.position().toPoint()), node.contact_id)
            else:  # over a side panel or the desktop: letting go there changes nothing
                self._set_hint("")
                self._scene.highlight_area(None)

    def mouseReleaseEvent(self, event) -> None:
        self._set_hint("")  # first: the drop then says what it did (or why not) itself
        if event.button() == Qt.MouseButton.LeftButton and not self._over_canvas(event):
            self.cancel_drag()  # let go off the canvas (it unplaced them, unseen)
        super().mouseReleaseEvent(event)
        self._scene.highlight_area(None)

    def dropEvent(self, event) -> None:
        if not event.mimeData().hasFormat(CONTACT_MIME):
            event.ignore()
            return
        ids = decode_contact_ids(event.mimeData())
        point = QPointF(self.mapToScene(event.position().toPoint()))
        self._set_hint("")  # the drop says what it did (or why not) itself
        if ids and self._scene.drop_contact(ids[0], point):
            event.acceptProposedAction()
            self._scene.select_contact(ids[0])
        else:
            event.ignore()
            self._scene.highlight_area(None)
