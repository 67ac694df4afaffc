"""The rings canvas as a scene that mirrors the document.

It turns gestures into intentions (move here, reorder, swap, unplace) and
hands them to the document; when the document changes, nodes glide to their
slots. A refused drop sends the node back to where it was.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtWidgets import QGraphicsScene

from planner.domain.cadence import next_due
from planner.domain.errors import PlannerError, RingFull
from planner.domain.initials import unique_initials
from planner.domain.rings import RING_ORDER, Ring
from planner.ui.common.palette import NEUTRAL_HALO, STATUS_COLORS
from planner.ui.rings import node_item
from planner.ui.rings.geometry import (
    NODE_RADIUS,
    RADIUS,
    SCENE_EXTENT,
    area_at,
    index_at_angle,
    nearest_slot,
    slot,
)
from planner.ui.rings.glide import Glide
from planner.ui.rings.node_item import NodeItem
from planner.ui.rings.ring_item import RingItem


class RingsScene(QGraphicsScene):
    #: the user selected a person on the canvas (None = nobody)
    person_selected = Signal(object)

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.animate = True
        self.glide = Glide(self)  # moves the nodes to new slots, after a change
        self.setSceneRect(QRectF(-SCENE_EXTENT, -SCENE_EXTENT, 2 * SCENE_EXTENT,
                                 2 * SCENE_EXTENT))
        self.rings = {ring: RingItem(ring) for ring in RING_ORDER}
        for item in self.rings.values():
            self.addItem(item)
        self.nodes: dict[int, NodeItem] = {}
        self._names_shown = False
        self._ring_names = True  # the inner and middle rings' names (off on a tiny canvas)
        self._labelled: dict[Ring, list[int]] = {}  # who each ring's initials were made for
        #: the person the window has selected (they may have no node: unplaced for now)
        self._chosen: int | None = None
        document.reset.connect(self.sync)
        document.placements_changed.connect(self._placements_changed)
        document.contacts_changed.connect(self._update_contacts)
        self.selectionChanged.connect(self._selection_changed)
        self.sync()

    # -- mirroring the document ---------------------------------------------------------
    def _placements_changed(self, rings: list, ids: list) -> None:
        """Only the rings that changed are laid out again; of their nodes only those
        whose slot moved are sent to it (a reorder: the people between the two slots)."""
        # (through the signal a ring arrives as its text: "outer" is not Ring.OUTER, and
        # the outer ring's people were all given their names for good)
        self.sync([Ring(ring) for ring in rings])

    def sync(self, rings: list | None = None) -> None:
        """Lay out ``rings`` (None: all of them) as the document has them now."""
        for cid in list(self.nodes):  # someone no longer placed (or no longer there)
            contact = self.document.cached(cid)
            if contact is None or contact.ring is None:
                gone = self.nodes.pop(cid)
                self.removeItem(gone)
                self.glide.stop(gone)
        sends: list = []  # (node, slot): sent together, on one reading of the clock
        glide = self.glide
        for ring in RING_ORDER if rings is None else rings:
            members = self.document.ring_members(ring)
            count, cap = len(members), self.document.capacity(ring)
            self.rings[ring].set_fill(count, cap)
            for index, contact in enumerate(members):
                node = self.nodes.get(contact.id)
                x, y = slot(ring, index, count)
                if node is None:
                    node = NodeItem(contact)
                    node.released.connect(self._node_released)
                    node.show_name(self._names_shown, self._ring_names)
                    matches = getattr(self, "_matches", None)
                    node.setOpacity(1.0 if matches is None or contact.id in matches else 0.25)
                    node.setPos(x, y)
                    self.addItem(node)
                    self.nodes[contact.id] = node
                    node.move_to_slot(QPointF(x, y), animate=False)
                    self._show_status(node, contact)
                    if contact.id == self._chosen:  # back on a ring (an undone unplace)
                        self.select_contact(contact.id)
                    continue
                # the document replaces a changed contact; a new place alone shows nothing new
                # (a picture comes with contacts_changed, see _update_contacts)
                if node.contact is not contact and node.set_place(contact):
                    self._show_status(node, contact)
                point = QPointF(x, y)
                if node.slot_changed(point, glide) and not node.dragging:
                    sends.append((node, point))  # (a dragged one goes there if let go)
            ids = [c.id for c in members]
            if rings is None or self._labelled.get(ring) != sorted(ids):  # (a reorder keeps
                # everyone's initials; a reset may bring new names)
                self._label_ring(ring, members)
        glide.send(sends, node_item.ANIMATION_MS if self.animate else 0)

    def _label_ring(self, ring: Ring, members: list) -> None:
        """Initials different for everyone on the ring; names under inner and middle nodes."""
        self._labelled[ring] = sorted(c.id for c in members)
        texts = unique_initials({c.id: c.name for c in members})
        for contact in members:
            node = self.nodes.get(contact.id)
            if node is not None:
                node.set_initials(texts[contact.id])
                node.name_always(ring is not Ring.OUTER)

    def _update_contacts(self, ids: list) -> None:
        renamed: set[Ring] = set()
        for cid in ids:
            node = self.nodes.get(cid)
            contact = self.document.contact(cid)
            if node is not None and contact is not None and contact.ring is not None:
                if node.contact is not contact:  # sync() may have shown it already
                    if node.name != contact.name:
                        renamed.add(contact.ring)
                    node.set_contact(contact)
                self._show_status(node, contact)
        for ring in renamed:  # a new name may make (or end) a clash of initials
            self._label_ring(ring, self.document.ring_members(ring))

    def _show_status(self, node: NodeItem, contact) -> None:
        status = self.document.status_of(contact)
        if status is None:
            node.set_status(NEUTRAL_HALO, "")
            return
        days = contact.cadence_days or self.document.cadence(contact.ring)
        due = next_due(contact.last_touch, days, datetime.now(UTC))
        node.set_status(STATUS_COLORS[status.value], status.label, due)

    def highlight_matches(self, ids: set | None) -> None:
        """A search in the list: the people it matches stand out, the others fade."""
        self._matches = ids
        for cid, node in self.nodes.items():
            node.setOpacity(1.0 if ids is None or cid in ids else 0.25)

    def show_names(self, on: bool, ring_names: bool = True) -> None:
        """Everyone's names (``on``: a zoom where they fit), or the inner and middle rings'
        only (``ring_names``), or nobody's: names show while the pointer is on a node."""
        if (on, ring_names) != (self._names_shown, self._ring_names):
            self._names_shown, self._ring_names = on, ring_names
            for node in self.nodes.values():
                node.show_name(on, ring_names)

    # -- selection ---------------------------------------------------------------------
    def selected_id(self) -> int | None:
        for item in self.selectedItems():
            if isinstance(item, NodeItem):
                return item.contact_id
        return None

    def select_contact(self, contact_id: int | None) -> None:
        self._chosen = contact_id
        node = self.nodes.get(contact_id) if contact_id is not None else None
        if node is not None and node.isSelected() and len(self.selectedItems()) == 1:
            return
        self.blockSignals(True)
        self.clearSelection()
        if node is not None:
            node.setSelected(True)
            node.setFocus()
        self.blockSignals(False)
        self.update()

    def _selection_changed(self) -> None:
        self.person_selected.emit(self.selected_id())

    def ordered_nodes(self) -> list[NodeItem]:
        """Nodes in keyboard order: inner ring first, clockwise from the top."""
        return [self.nodes[c.id] for ring in RING_ORDER for c in self.document.ring_members(ring)
                if c.id in self.nodes]

    # -- drops -------------------------------------------------------------------------
    def node_at(self, point: QPointF, exclude: int | None = None) -> NodeItem | None:
        for item in self.items(point):
            if isinstance(item, NodeItem) and item.contact_id != exclude:
                return item
        return None

    def highlight_area(self, point: QPointF | None, contact_id: int | None = None) -> None:
        """Light up the ring a drop at ``point`` would go to (a person there: their ring);
        a full ring that would refuse ``contact_id`` there shows that it is full."""
        target, refusing = None, False
        if point is not None:
            contact = self.document.contact(contact_id) if contact_id is not None else None
            own = contact.ring if contact is not None else None
            person = self.node_at(point, exclude=contact_id)
            target = self._ring_for_drop(point, own, person)
            refusing = target is not None and (self.document.read_only or (
                target != own and (person is None or person.ring != target)
                and self._refuses(contact_id, target)))
        for ring, item in self.rings.items():
            item.set_highlighted(point is not None and ring == target, refusing)

    def drop_contact(self, contact_id: int, point: QPointF) -> bool:
        """Place or move ``contact_id`` by where it was dropped; False if refused."""
        self.highlight_area(None)
        contact = self.document.contact(contact_id)
        if contact is None:
            return False
        if self.document.read_only:  # (not "full — drop onto someone": that is refused too)
            self.document.message.emit(self.document.session.refusal())
            return False
        target = self.node_at(point, exclude=contact_id)
        ring = self._ring_for_drop(point, contact.ring, target)
        if ring is None:
            if contact.ring is None:
                return False
            return self.document.editing.move(contact_id, None)
        try:  # the domain's rules (planner.domain.moves.plan_move): only ask and show
            self.document.plan_move(contact_id, ring)
        except RingFull:
            if target is not None and target.ring == ring:
                return self.document.editing.move(contact_id, ring,
                                                  swap_with=target.contact_id)
            self.document.message.emit(self.full_ring_text(ring))
            return False
        except PlannerError as exc:
            self.document.message.emit(str(exc))
            return False
        others = [c for c in self.document.ring_members(ring) if c.id != contact_id]
        if contact.ring == ring:  # a reorder: the slot nearest the drop, as drawn now
            position = nearest_slot(point.x(), point.y(), len(others) + 1)
        else:
            position = index_at_angle(point.x(), point.y(), len(others))
        if contact.ring == ring and position == contact.position:
            return False
        return self.document.editing.move(contact_id, ring, position=position)

    def _refuses(self, contact_id: int | None, ring: Ring) -> bool:
        """Would a plain move of ``contact_id`` onto ``ring`` be refused as full (the
        domain's plan_move on what the window shows)? Nobody dragged: is it full."""
        if contact_id is None:
            return self.document.is_full(ring)
        try:
            self.document.plan_move(contact_id, ring)
        except RingFull:
            return True
        except PlannerError:  # (not a fullness: the drop itself will say)
            return False
        return False

    def full_ring_text(self, ring: Ring) -> str:
        count, cap = self.document.fill()[ring]
        return f"The {ring.value} ring is full ({count}/{cap}) — drop onto someone to swap"

    def drag_hint(self, contact_id: int | None, point: QPointF) -> str:
        """While dragging over the rings: what a drop here would do, when it is not a plain
        move (a full ring: "Swap with NAME" over a person, else that it is full)."""
        contact = self.document.contact(contact_id) if contact_id is not None else None
        if contact is not None and self.document.read_only:  # no swap or move to offer
            return self.document.session.refusal()
        target = self.node_at(point, exclude=contact_id)
        ring = self._ring_for_drop(point, contact.ring if contact else None, target)
        if ring is None and contact is not None and contact.ring is not None:
            # outside the rings: a drop unplaces them (it did, without a word)
            return f"Release to take {contact.name} off the rings"
        if ring is None or (contact is not None and contact.ring == ring):
            return ""
        if not self._refuses(contact_id, ring):
            return ""
        if target is not None and target.ring == ring:
            return f"Swap with {target.name}"
        return self.full_ring_text(ring)

    @staticmethod
    def _ring_for_drop(point: QPointF, own: Ring | None, target: NodeItem | None) -> Ring | None:
        """Nodes sit on the line between two areas, so a drop onto a person means their
        ring, and a drop on (or just beside) the mover's own ring line keeps that ring."""
        if target is not None:
            return target.ring
        if own is not None and abs(math.hypot(point.x(), point.y()) - RADIUS[own]) \
                <= NODE_RADIUS[own]:
            return own
        return area_at(point.x(), point.y())

    def _node_released(self, node: NodeItem, point: QPointF) -> None:
        accepted = self.drop_contact(node.contact_id, point)
        if not accepted and node.contact_id in self.nodes:
            node.move_to_slot(node.slot_pos, animate=self.animate)

    def ring_of(self, contact_id: int) -> Ring | None:
        contact = self.document.contact(contact_id)
        return contact.ring if contact else None
