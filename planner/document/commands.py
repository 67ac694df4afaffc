"""One QUndoCommand per user action. Each changes the data through services and
refreshes the document; none touches a graphics item."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from planner.domain.errors import PlannerError
from planner.domain.rings import Ring
from planner.services import contacts as contact_svc
from planner.services import placement as placement_svc


def _guarded(step):
    def run(self) -> None:
        try:
            step(self)
        except PlannerError as exc:
            self.document.step_error = exc

    run.__name__ = step.__name__
    return run


class DocumentCommand(QUndoCommand):
    """``perform()`` does the action the first time; redo() after an undo replays it.

    An undo or redo the services refuse (someone else changed the thing meanwhile, the
    connection went) must not escape through Qt's C++ caller: it is kept in
    ``document.step_error`` for ``PlannerDocument._run`` to handle.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in ("undo", "redo"):
            if name in cls.__dict__:
                setattr(cls, name, _guarded(cls.__dict__[name]))

    def __init__(self, document, text: str):
        super().__init__(text)
        self.document = document
        self._fresh = True

    @property
    def backend(self):
        """The backend of the document's open database: what the services are given."""
        return self.document.backend

    def perform(self) -> None:
        raise NotImplementedError

    # Versions: a first step expects the version the window showed; every undo/redo the
    # version this window's last step (of any command) left on that row, so several own
    # steps on one row undo cleanly while someone else's change in between is refused.
    def left(self, table: str, row_id: int, version: int) -> None:
        """Note the version this step left on a row (the next step expects it)."""
        self.document.left_versions[(table, row_id)] = version

    def last(self, table: str, row_id: int, shown: int | None) -> int | None:
        """The version this window's last step left on a row (``shown`` if none did)."""
        return self.document.left_versions.get((table, row_id), shown)

    @_guarded
    def redo(self) -> None:
        if self._fresh:  # perform() already ran when the command was pushed
            self._fresh = False
            return
        self.replay()

    def replay(self) -> None:
        raise NotImplementedError


class MoveCommand(DocumentCommand):
    """A move, swap, reorder or unplace: one drag, one key press, one undo step."""

    def __init__(self, document, contact_id: int, ring: Ring | None, position: int | None,
                 swap_with: int | None):
        contact = document.contact(contact_id)
        name = contact.name if contact else f"#{contact_id}"
        if swap_with is not None:
            other = document.contact(swap_with)
            text = f"Swap {name} and {other.name if other else swap_with}"
        elif ring is None:
            text = f"Unplace {name}"
        elif contact is not None and contact.ring == ring:
            text = f"Reorder {name}"
        else:
            text = f"Move {name} to {ring.value}"
        super().__init__(document, text)
        self.done = self._done_text(document, name, contact, ring, swap_with)
        self.args = (contact_id, ring, position, swap_with)
        # where the window showed them: moved meanwhile elsewhere = a conflict, not a move
        self.seen_ring = contact.ring if contact is not None else None
        self.outcome: placement_svc.MoveOutcome | None = None

    @staticmethod
    def _done_text(document, name: str, contact, ring: Ring | None,
                   swap_with: int | None) -> str | None:
        """What the window says once it is done (None for a reorder: nothing to say).
        A swap with someone not on a ring says who left the rings: never silently."""
        if swap_with is not None:
            other = document.contact(swap_with)
            other_name = other.name if other else f"#{swap_with}"
            if contact is None or contact.ring is None:
                return f"{name} took {other_name}'s place; {other_name} is off the rings now"
            return f"Swapped {name} and {other_name}"
        if ring is None:
            return f"Took {name} off the rings"
        if contact is not None and contact.ring == ring:
            return None
        return f"Moved {name} to the {ring.value} ring"

    def perform(self) -> None:
        contact_id, ring, position, swap_with = self.args
        self.outcome = placement_svc.move_contact(self.backend, contact_id, ring,
                                                  position=position, swap_with=swap_with,
                                                  expect_ring=self.seen_ring)
        # the service says where everyone is now: nothing to read back
        self.document.refresh_placements(self.outcome.after)

    def undo(self) -> None:
        o = self.outcome
        assert o is not None  # perform() ran: the stack undoes only what was done
        placement_svc.restore_state(self.backend, o.before, remove_history=o.history,
                                    add_history=[], expected=o.after)
        self.document.refresh_placements(o.before)

    def replay(self) -> None:
        o = self.outcome
        assert o is not None  # perform() ran: only an undone step is redone
        placement_svc.restore_state(self.backend, o.after, remove_history=[],
                                    add_history=o.history, expected=o.before)
        self.document.refresh_placements(o.after)


class AddContactCommand(DocumentCommand):
    """Undo deletes the new person outright; redo puts back the very same rows."""

    def __init__(self, document, name: str, ring: Ring | None, values: dict):
        super().__init__(document, f"Add {name}")
        self.name, self.ring, self.values = name, ring, values
        self.contact_id: int | None = None
        self.before: placement_svc.Snapshot = ()
        self.after: placement_svc.Snapshot = ()
        self.rows: dict = {}

    def perform(self) -> None:
        added = placement_svc.add_recorded(self.backend, self.name, self.ring, self.values)
        self.contact_id = added.contact.id
        self.before, self.after, self.rows = added.before, added.after, added.rows
        self.document.reload()

    def undo(self) -> None:
        assert self.contact_id is not None  # perform() ran: the stack undoes only what was done
        with placement_svc.unless_moved_since(self.backend, self.after):  # a move since: refused
            contact_svc.purge_contact(self.backend, self.contact_id, self.before)
        self.document.reload()

    def replay(self) -> None:
        with placement_svc.unless_moved_since(self.backend, self.before):
            contact_svc.unpurge_contact(self.backend, self.rows, self.after)
        self.document.reload()


class EditContactCommand(DocumentCommand):
    def __init__(self, document, contact_id: int, changes: dict):
        contact = document.contact(contact_id)
        super().__init__(document, f"Edit {contact.name if contact else contact_id}")
        self.contact_id = contact_id
        self.changes = changes
        self.previous = {k: _field_value(contact, k) for k in changes} if contact else {}
        # the version on screen: someone else's edit since then is a conflict, not overwritten
        self.version = contact.version if contact else None

    def _edit(self, values: dict, expected: int | None) -> None:
        edited = contact_svc.edit_contact(self.backend, self.contact_id,
                                          expected_version=expected, **values)
        self.left("contact", self.contact_id, edited.version)
        self.document.refresh_contacts([self.contact_id])

    def perform(self) -> None:
        self._edit(self.changes, self.version)

    def undo(self) -> None:
        self._edit(self.previous, self.last("contact", self.contact_id, self.version))

    def replay(self) -> None:
        self._edit(self.changes, self.last("contact", self.contact_id, self.version))


class RemoveContactCommand(DocumentCommand):
    """Removal sends a person to the trash; undo restores them to their old place."""

    def __init__(self, document, contact_id: int):
        contact = document.contact(contact_id)
        super().__init__(document, f"Remove {contact.name if contact else contact_id}")
        self.contact_id = contact_id
        self.before: placement_svc.Snapshot | None = None
        self.after: placement_svc.Snapshot | None = None
        self.history: list[dict] = []

    def perform(self) -> None:
        removed = placement_svc.remove_recorded(self.backend, self.contact_id)
        self.before, self.after, self.history = removed.before, removed.after, removed.history
        self.document.reload()

    def undo(self) -> None:
        assert self.before is not None  # perform() ran: the stack undoes only what was done
        assert self.after is not None
        # one transaction; a move since: refused, nothing written
        with placement_svc.unless_moved_since(self.backend, self.after):
            contact_svc.restore_contact(self.backend, self.contact_id)
            placement_svc.restore_state(self.backend, self.before, remove_history=self.history,
                                        add_history=[])
        self.document.reload()

    def replay(self) -> None:
        self.perform()


def _field_value(contact, key: str):
    from planner.domain.fields import field_value

    return field_value(contact, key)
