"""PlannerDocument: what the views show, kept in memory, changed only through services.

Views read the cached contacts and listen to precise signals; nothing in the
UI runs SQL. The cache holds the placed people (the canvas, This week, the fill)
and whoever else was asked for by id (:meth:`contact` reads them on demand): the
wider network is not loaded at start (issue 23) — the people list reads it a page at
a time (planner.ui.people.contact_model). Every user action is one service call (one
transaction) wrapped in one undo command.

The database's lifecycle — watching it for other programs' changes, read-only and
offline, closing it for work and reopening it — is the document's ``session``
(:mod:`planner.document.session`); what a user does is ``editing``
(:mod:`planner.document.editing`).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from planner.document.session import DatabaseSession
from planner.domain.contact import Contact
from planner.domain.errors import NotFound, PlannerError
from planner.domain.moves import MovePlan, plan_move, plan_step
from planner.domain.rings import RING_ORDER, Ring
from planner.services import contacts as contact_svc
from planner.services import settings as settings_svc
from planner.storage.database import OpenDatabase

if TYPE_CHECKING:  # (the timeline's code is imported when a timeline is first shown)
    from planner.domain.timeline import TimelineEntry
    from planner.storage.backend import Backend

log = logging.getLogger(__name__)


#: tables whose rows are timeline entries or what the ledger and This week read with them
HISTORY_TABLES = frozenset({"touchpoint", "note", "ring_move", "snooze", "stage_change", "ask",
                            "give", "win", "capture_proposal", "contact"})


@dataclass(frozen=True)
class EntryChange:
    """One timeline entry added, edited or removed (the payload of entries_changed).

    ``entry_id`` is the timeline's id (``"touchpoint:12"``); ``entry`` is the entry as
    it is now (None when removed)."""

    op: str  # "added", "edited" or "removed"
    contact_id: int
    entry_id: str
    entry: TimelineEntry | None = None


class PlannerDocument(QObject):
    #: everything is about to be read again (before ``reset``): what the views keep of the
    #: database beside the document (the pictures: planner.ui.common.avatars) is dropped
    #: here, so that no view rebuilt on ``reset`` shows what was there before
    reloading = Signal()
    #: everything may have changed (first load, another program wrote)
    reset = Signal()
    #: these contacts' details or last touch changed (ids)
    contacts_changed = Signal(list)
    #: these contacts' pictures changed (ids); emitted before their contacts_changed
    photos_changed = Signal(list)
    #: ring membership or order changed: (rings, ids) — the rings (Ring) whose members or
    #: order changed, and the people whose ring or position changed (a reorder shifts
    #: everyone between the two slots); the other rings are as they were
    placements_changed = Signal(list, list)
    #: these people's history changed in ways not itemised (a snooze, the advocacy
    #: ledger, a capture, a teammate's change): views showing it re-read it (contact ids)
    timeline_changed = Signal(list)
    #: touchpoints or notes added, edited or removed, itemised (EntryChange list): the
    #: timelines insert, update or remove those rows; the people's last touch arrives
    #: as contacts_changed just before
    entries_changed = Signal(list)
    #: a short message for the status bar (refusals, confirmations)
    message = Signal(str)
    #: a routine remark nobody asked for (another program's change was read): said
    #: where it does not hide what the window said last about the user's own action
    note = Signal(str)
    #: a move, swap or unplace was done (what happened, in words; undo() undoes it)
    moved = Signal(str)
    #: another program changed the database and the view was refreshed
    external_change = Signal()

    def __init__(self, database: OpenDatabase, parent: QObject | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._contacts: dict[int, Contact] = {}  # the placed, and others once asked for
        self._count = 0  # living people in the database
        self._capacities: dict[Ring, int] = {}
        self._cadences: dict[Ring, int] = {}
        # statuses move with the clock (on track → due soon → overdue): re-evaluate now and
        # then (while the session watches)
        self.clock = QTimer(self)
        self.clock.setInterval(5 * 60 * 1000)
        self.clock.timeout.connect(lambda: self.contacts_changed.emit(list(self._contacts)))
        self.step_error: Exception | None = None  # an undo/redo the services refused
        #: (table, row id) → the version this window's last step left (see DocumentCommand)
        self.left_versions: dict[tuple[str, int], int] = {}
        #: the database's lifecycle: watching it, read-only, closing and reopening it
        self.session = DatabaseSession(database, self)
        self.reload()

    @property
    def database(self) -> OpenDatabase:
        """The open database (the session's)."""
        return self.session.database

    @property
    def backend(self) -> Backend:
        """The engine of the open database, which every command and flow of this window
        hands the services (``planner.storage.backend``)."""
        return self.session.database.backend

    # -- reading -----------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the placed people (only they: 87 at most by default, whatever the size
        of the network) and the ring settings; people met later are read on demand."""
        self.reloading.emit()
        self._contacts = {c.id: c for c in contact_svc.placed_contacts()}
        self._count = contact_svc.count_contacts()
        self._capacities = settings_svc.capacities()
        self._cadences = settings_svc.cadences()
        self.reset.emit()

    def contacts(self) -> list[Contact]:
        """Everyone, read from the database now (a whole network: not for start-up or a
        view's refresh; the people list pages instead)."""
        return contact_svc.list_contacts()

    def count(self) -> int:
        """How many people there are (living ones)."""
        return self._count

    def contact(self, contact_id: int) -> Contact | None:
        """A person by id: the cached one, else read now (and kept) — None if there is no
        such living person."""
        found = self._contacts.get(contact_id)
        if found is None and isinstance(contact_id, int):
            found = contact_svc.find_contact(contact_id)
            if found is not None:
                self._contacts[contact_id] = found
        return found

    def cached(self, contact_id: int) -> Contact | None:
        """A person the document holds (every placed one), never read from the database:
        for data() and paint()."""
        return self._contacts.get(contact_id)

    def placed_contacts(self) -> dict[int, Contact]:
        """The people on a ring, by id."""
        return {cid: c for cid, c in self._contacts.items() if c.ring is not None}

    def ring_members(self, ring: Ring) -> list[Contact]:
        members = [c for c in self._contacts.values() if c.ring == ring]
        return sorted(members, key=lambda c: (c.position or 0, c.id))

    def capacity(self, ring: Ring) -> int:
        return self._capacities[ring]

    def cadence(self, ring: Ring) -> int:
        return self._cadences[ring]

    def status_of(self, contact: Contact):
        """Cadence status now (planner.domain.cadence.Status), None for the unplaced: the
        domain's rule with this window's ring cadences, as services.focus.contact_status
        has it (that module is the focus list's, not needed for the first frame)."""
        if contact.ring is None:
            return None
        from planner.domain.cadence import cadence_days, status_at

        days = cadence_days(contact.ring, contact.cadence_days, self._cadences)
        return status_at(contact.last_touch, days, datetime.now(UTC))

    def fill(self) -> dict[Ring, tuple[int, int]]:
        counts = Counter(c.ring for c in self._contacts.values() if c.ring is not None)
        return {r: (counts[r], self._capacities[r]) for r in RING_ORDER}

    def plan_move(self, contact_id: int, ring: Ring | None, *, position: int | None = None,
                  swap_with: int | None = None) -> MovePlan:
        """What a move would do as the window shows the rings now (the domain's rules:
        a full ring refuses a plain move, RingFull; a bad swap, InvalidInput). Widgets
        ask this before a move and show the refusal; the service decides again."""
        contact = self.contact(contact_id)
        if contact is None:
            raise NotFound(f"no contact with id {contact_id}")
        members = self.ring_members(ring) if ring is not None else []
        return plan_move(contact_id=contact_id, from_ring=contact.ring,
                         from_position=contact.position, to_ring=ring,
                         occupants=[(c.id, c.name) for c in members],
                         capacity=self._capacities[ring] if ring is not None else 0,
                         swap_with=swap_with, to_position=position)

    def plan_step(self, contact_id: int, up: bool) -> Ring | None:
        """The ring promoting (``up``) or demoting takes a person to (None: off the
        rings); InvalidInput when there is no such step."""
        contact = self.contact(contact_id)
        if contact is None:
            raise NotFound(f"no contact with id {contact_id}")
        return plan_step(contact.name, contact.ring, up)

    def is_full(self, ring: Ring) -> bool:
        count, cap = self.fill()[ring]
        return count >= cap

    # -- refreshing after a change --------------------------------------------------
    def refresh_contacts(self, ids: list[int], *, recount: bool = True) -> None:
        """Re-read these people (after a change of details or a touch); ``recount=False``
        when nobody can have come or gone (a touch, an edit)."""
        fresh = {c.id: c for c in contact_svc.contacts_by_id(ids)}
        for cid in ids:
            if cid in fresh:
                self._contacts[cid] = fresh[cid]
            else:
                self._contacts.pop(cid, None)
        if recount:
            self._count = contact_svc.count_contacts()
        # data_version is not re-read here: it moves only with other connections' commits,
        # and taking it now would swallow another program's change made since the last poll
        self.contacts_changed.emit(list(ids))

    #: while changed_elsewhere tells the views: which tables were written, per person
    #: (None at any other time: what changed is not known that precisely)
    changed_tables: dict[int, frozenset[str]] | None = None

    def changed_elsewhere(self, tables: dict[int, set[str]]) -> None:
        """Another program (a teammate, this user elsewhere) wrote these tables about
        these people (id → table names): re-read those people, their places if a
        placement moved, and tell the views — timeline_changed only for the people
        whose history was written. During the signals ``changed_tables`` says which
        tables, so a view can skip what a table cannot change (This week re-reads the
        latest note, a snooze or the ledger only when one of those was written)."""
        if not tables:
            return
        written = set().union(*tables.values())
        self.changed_tables = {cid: frozenset(names) for cid, names in tables.items()}
        try:
            if written & {"placement", "ring_move"}:
                self.refresh_placements()
            self.refresh_contacts(sorted(tables), recount="contact" in written)
            history = sorted(cid for cid, names in tables.items() if names & HISTORY_TABLES)
            if history:
                self.timeline_changed.emit(history)
        finally:
            self.changed_tables = None

    def note_touch(self, contact_id: int, at, kind: str) -> None:
        """A touchpoint this window just logged (at ``at``, of ``kind``): the person's last
        touch is it unless a later one is known, so nothing is read back; someone not
        held here is read as refresh_contacts does."""
        contact = self._contacts.get(contact_id)
        if contact is None:
            self.refresh_contacts([contact_id], recount=False)
            return
        if contact.last_touch is None or at >= contact.last_touch:  # (a tie: the newest row)
            touched = _copy(contact)
            object.__setattr__(touched, "last_touch", at)
            object.__setattr__(touched, "last_touch_kind", kind)
            self._contacts[contact_id] = touched
        self.contacts_changed.emit([contact_id])

    def refresh_placements(self, snapshot=None) -> None:
        """Take everyone's ring and position (after a move, swap or undo) from
        ``snapshot`` — the (contact, ring, position, row id) rows a placement service
        call returned — or, without one, re-read them; then say which rings and people
        changed (placements_changed), and who changed ring (contacts_changed,
        timeline_changed)."""
        if snapshot is None:
            places = contact_svc.placements()
        else:
            places = {cid: (ring, pos) for cid, ring, pos, _row in snapshot}
        moved: list[int] = []
        shifted: list[int] = []
        rings: set[Ring] = set()
        # only people placed before or after can have changed (not the whole network)
        placed = {cid for cid, c in self._contacts.items() if c.ring is not None}
        unknown = [cid for cid in places if cid not in self._contacts]
        if unknown:  # newly placed people the window had not read yet
            for loaded in contact_svc.contacts_by_id(unknown):
                self._contacts[loaded.id] = _with_place(loaded, None, None)
        contacts, nowhere = self._contacts, (None, None)
        for cid in placed.union(places):
            contact = contacts.get(cid)
            if contact is None:
                continue
            ring, pos = places.get(cid, nowhere)
            new_ring = _RING_NAMED[ring] if ring else None  # (Ring(ring): 0.5 µs a person)
            if contact.position != pos or contact.ring != new_ring:
                self._contacts[cid] = _with_place(contact, new_ring, pos)
                shifted.append(cid)
                if contact.ring is not None:
                    rings.add(contact.ring)
                if new_ring != contact.ring:
                    moved.append(cid)
                    if new_ring is not None:
                        rings.add(new_ring)
        if not shifted:
            return
        ordered = [r for r in RING_ORDER if r in rings]
        self.placements_changed.emit(ordered, sorted(shifted))  # (data_version: see above)
        if moved:  # a new ring shows in the list and the panels, and is a timeline entry;
            moved.sort()  # a reorder (positions only) is for the canvas
            self.contacts_changed.emit(moved)
            self.timeline_changed.emit(moved)

    # -- changing (through undo commands) ----------------------------------------------
    @property
    def editing(self):
        """The user's actions, one method each (planner.document.editing): widgets call
        these and never build a command themselves."""
        found = getattr(self, "_editing", None)
        if found is None:
            from planner.document.editing import Editing

            found = self._editing = Editing(self)
        return found

    @property
    def read_only(self) -> bool:
        """Nothing may be changed now (another window has the database, or offline)."""
        return self.session.read_only

    def _refuse_read_only(self) -> None:
        self.message.emit(self.session.refusal())

    def push(self, command) -> bool:
        """Run a command's first step; push it only if the services accepted it.
        Someone else's change to the same thing first: the view is refreshed and says so."""
        from planner.domain.errors import ConflictError, ConnectionLost, RingFull

        if self.read_only:
            self._refuse_read_only()
            return False
        try:
            command.perform()
        except ConnectionLost as exc:
            self._lost(exc)
            return False
        except ConflictError as exc:
            self._refresh_after_conflict()
            self.message.emit(str(exc))
            return False
        except RingFull as exc:  # one short line: the window shows who is there
            cap = self._capacities.get(Ring(exc.ring), len(exc.occupants))
            self.message.emit(f"The {exc.ring} ring is full ({len(exc.occupants)}/{cap}) — "
                              "swap with someone there or make room first")
            return False
        except PlannerError as exc:
            self.message.emit(str(exc))
            return False
        self.undo_stack.push(command)
        return True

    def _lost(self, exc) -> None:
        self.session.went_offline(str(exc))
        self.message.emit(str(exc))

    def _refresh_after_conflict(self) -> None:
        try:
            self.reload()
        except PlannerError:  # the connection went too: the message above stays
            log.info("cannot refresh after a conflict", exc_info=True)

    def undo(self) -> bool:
        """Undo the last action, unless another program changed the data meanwhile
        (then the view is refreshed and the history cleared instead). True: undone."""
        if self.read_only:
            self._refuse_read_only()
            return False
        if self.session.catch_up() or not self.undo_stack.canUndo():
            return False
        return self._run(self.undo_stack.undo)

    def redo(self) -> bool:
        if self.read_only:
            self._refuse_read_only()
            return False
        if self.session.catch_up() or not self.undo_stack.canRedo():
            return False
        return self._run(self.undo_stack.redo)

    def _run(self, step) -> bool:
        """Run an undo or redo step; False when it failed (and was answered here)."""
        from planner.domain.errors import ConnectionLost

        self.step_error = None
        try:
            step()
            if self.step_error is not None:  # kept by the command (see DocumentCommand)
                raise self.step_error
            return True
        except ConnectionLost as exc:  # nothing was applied; the step stays where it was
            self._lost(exc)
            self.undo_stack.clear()
        except PlannerError as exc:
            from planner.domain.errors import ConflictError

            self.undo_stack.clear()
            self._refresh_after_conflict()
            # a conflict's message already says the window shows theirs
            self.message.emit(str(exc) if isinstance(exc, ConflictError)
                              else f"{exc} — the view was refreshed")
        return False

    def move(self, contact_id: int, ring: Ring | None, *, position: int | None = None,
             swap_with: int | None = None) -> bool:
        from planner.document.commands import MoveCommand

        command = MoveCommand(self, contact_id, ring, position, swap_with)
        if not self.push(command):
            return False
        if command.done:
            self.moved.emit(command.done)
        return True

    # -- after this window's own change outside a command -------------------------------
    def refresh_all(self) -> None:
        """Re-read everything after a change this window made outside an undo command
        (an import): not reported as another program's change; the undo history stays."""
        self.session.watcher.quietly(self.reload)


_RING_NAMED = {ring.value: ring for ring in Ring}  # a ring read from a row (or a Ring)


def _with_place(contact: Contact, ring: Ring | None, pos: int | None) -> Contact:
    """A copy of ``contact`` with a new place (a reorder makes up to a whole ring of them:
    copied, not built and checked again field by field)."""
    placed = _copy(contact)
    object.__setattr__(placed, "ring", ring)
    object.__setattr__(placed, "position", pos)
    return placed


def move_service():
    from planner.services import placement

    return placement


def _copy(contact: Contact) -> Contact:
    """A shallow copy of a (frozen, dict-backed) Contact, some five times faster than
    copy.copy: only its fields are carried over."""
    twin = object.__new__(Contact)
    twin.__dict__.update(contact.__dict__)
    return twin
