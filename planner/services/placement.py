"""Moving people between rings: place, promote, demote, swap, reorder, unplace.

Every move keeps a history row, and returns the before/after state so the
window's undo stack can put the database back exactly.

A move reads the rings, then rewrites positions, so two moves of the same
user (two windows, a laptop and a desktop) must not interleave: on SQLite the
move transaction takes the write lock at its start (``BEGIN IMMEDIATE``); on
a team database it locks the user's own row of a private table (which no
teammate can take), so the second move waits and then reads the first one's
result. ``expect_ring`` turns a move made on a stale view into a
``ConflictError`` that changes nothing.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from planner.domain.contact import Contact
from planner.domain.errors import ConflictError
from planner.domain.moves import MovePlan, plan_move, plan_step
from planner.domain.rings import Ring
from planner.services.contacts import now, require
from planner.services.settings import capacities
from planner.storage import contacts_repo as repo

if TYPE_CHECKING:
    from planner.storage.backend import Backend

#: (contact, ring, position, placement row id) for every placed person
Snapshot = tuple[tuple[int, str, int, int], ...]


class _Unchecked:
    def __repr__(self) -> str:
        return "UNCHECKED"


#: ``expect_ring`` default: the caller saw nothing to check against
UNCHECKED = _Unchecked()


@dataclass(frozen=True)
class MoveOutcome:
    plan: MovePlan
    before: Snapshot
    after: Snapshot
    history: list[dict] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Did anyone's ring or position change (row ids do not count)?"""
        return {row[:3] for row in self.before} != {row[:3] for row in self.after}


@contextmanager
def moving(store: Backend):
    """One move transaction, serialised with the same user's other moves (the backend's
    move lock: the write lock of a file, a lock only that user can take on a team)."""
    with store.move_lock(repo.who()):
        yield


def move_contact(
    store: Backend,
    contact_id: int,
    ring: Ring | None,
    *,
    swap_with: int | None = None,
    position: int | None = None,
    expect_ring: Ring | _Unchecked | None = UNCHECKED,
) -> MoveOutcome:
    """Put a person on ``ring`` (None = unplace), at ``position`` or at the end.

    Into a full ring only as a swap: the other person takes the mover's old place.
    ``expect_ring``: where the caller saw the person (None = unplaced); if they
    are elsewhere now, or the swap partner left ``ring``, ConflictError.
    """
    with moving(store):
        before = repo.placement_snapshot()
        mine = next((row for row in before if row[0] == contact_id), None)
        if (mine is not None and ring is not None and mine[1] == ring.value
                and swap_with is None and expect_ring in (UNCHECKED, ring)):
            return _reorder(contact_id, ring, position, before, mine[2])
        contact = require(contact_id)
        if not isinstance(expect_ring, _Unchecked):  # UNCHECKED is its one instance
            _check_unmoved(contact, expect_ring, ring, swap_with)
        occupants = repo.ring_members(ring) if ring is not None else []
        plan = plan_move(
            contact_id=contact_id,
            from_ring=contact.ring,
            from_position=contact.position,
            to_ring=ring,
            occupants=occupants,
            capacity=capacities()[ring] if ring is not None else 0,
            swap_with=swap_with,
            to_position=position,
        )
        history = _apply(plan)
        after = repo.placement_snapshot()
    return MoveOutcome(plan, before, after, history)


def _reorder(contact_id: int, ring: Ring, position: int | None, before: Snapshot,
             stored: int) -> MoveOutcome:
    """A new place on the same ring, from the snapshot just read: a placed person exists
    (the trash unplaces), the ring's capacity is not in question, nobody's ring changes
    and no row is replaced, so the state after is the snapshot with new positions."""
    rows = sorted((row for row in before if row[1] == ring.value), key=lambda r: (r[2], r[0]))
    order = [row[0] for row in rows]
    plan = plan_move(contact_id=contact_id, from_ring=ring, from_position=stored,
                     to_ring=ring, occupants=[(cid, "") for cid in order], capacity=len(order),
                     to_position=position)
    assert plan.to_position is not None
    new = [cid for cid in order if cid != contact_id]
    new.insert(plan.to_position, contact_id)
    if new == order and [row[2] for row in rows] == list(range(len(rows))):
        return MoveOutcome(plan, before, before, [])
    if [row[2] for row in rows] == list(range(len(rows))):  # the usual 0..n-1
        repo.shift_in_ring(ring, contact_id, order.index(contact_id), plan.to_position)
    else:  # gaps or ties (an old file, a hand edit): every position written
        repo.write_ring_order(ring, new)
    slot = {cid: pos for pos, cid in enumerate(new)}
    after = tuple(sorted((cid, r, slot[cid], row_id) if r == ring.value else (cid, r, p, row_id)
                         for cid, r, p, row_id in before))
    return MoveOutcome(plan, before, after, [])


def _where(ring: Ring | None) -> str:
    return f"is now on the {ring.value} ring" if ring is not None else "is now unplaced"


def _check_unmoved(contact, expected: Ring | None, ring: Ring | None, swap_with) -> None:
    meanwhile = "was moved meanwhile (in another window or on another computer)"
    if contact.ring != expected:
        raise ConflictError(f"{contact.name} {meanwhile} and {_where(contact.ring)}; "
                            "nothing was changed")
    if swap_with is not None and ring is not None:
        other = require(swap_with)
        if other.ring != ring:
            raise ConflictError(f"{other.name} {meanwhile} and {_where(other.ring)}, so cannot "
                                f"swap with {contact.name}; nothing was changed")


def _apply(plan: MovePlan) -> list[dict]:
    stamp = now()
    history: list[dict] = []
    if plan.swap_with is not None:
        return _apply_swap(plan, stamp)
    reorder = plan.from_ring is not None and plan.from_ring == plan.to_ring
    if plan.from_ring is not None:
        old = [cid for cid, _ in repo.ring_members(plan.from_ring) if cid != plan.contact_id]
        repo.remove_placement(plan.contact_id)
        if not reorder:  # a reorder writes its ring once, below
            repo.write_ring_order(plan.from_ring, old)
    if plan.to_ring is not None:
        members = old if reorder else [
            cid for cid, _ in repo.ring_members(plan.to_ring) if cid != plan.contact_id]
        members.insert(
            plan.to_position if plan.to_position is not None else len(members), plan.contact_id
        )
        repo.write_ring_order(plan.to_ring, members)
    if plan.from_ring != plan.to_ring:
        history.append(repo.record_move(plan.contact_id, plan.from_ring, plan.to_ring, stamp))
    return history


def _apply_swap(plan: MovePlan, stamp) -> list[dict]:
    assert plan.to_ring is not None and plan.swap_with is not None
    mover, other = plan.contact_id, plan.swap_with
    target = [cid for cid, _ in repo.ring_members(plan.to_ring)]
    if plan.from_ring == plan.to_ring:
        i, j = target.index(mover), target.index(other)
        target[i], target[j] = other, mover
        repo.write_ring_order(plan.to_ring, target)
        return []  # a reorder, not a move between rings
    slot = target.index(other)
    repo.remove_placement(other)
    if plan.from_ring is not None:
        source = [cid for cid, _ in repo.ring_members(plan.from_ring)]
        source[source.index(mover)] = other
        repo.remove_placement(mover)
        repo.write_ring_order(plan.from_ring, source)
    target[slot] = mover
    repo.write_ring_order(plan.to_ring, target)
    return [
        repo.record_move(mover, plan.from_ring, plan.to_ring, stamp),
        repo.record_move(other, plan.to_ring, plan.from_ring, stamp),
    ]


def promote(store: Backend, contact_id: int) -> MoveOutcome:
    with moving(store):  # one ring up from where they are now, not where they were
        contact = require(contact_id)
        return move_contact(store, contact_id, plan_step(contact.name, contact.ring, up=True))


def demote(store: Backend, contact_id: int) -> MoveOutcome:
    with moving(store):
        contact = require(contact_id)
        return move_contact(store, contact_id, plan_step(contact.name, contact.ring, up=False))


def restore_state(
    store: Backend,
    placements: Snapshot, remove_history: list[dict], add_history: list[dict], *,
    expected: Snapshot | None = None,
) -> None:
    """Put rings and move history back to a recorded state (undo / redo).

    ``expected``: the rings as the step left them. If they differ now (another window,
    the command line or another computer of the same user moved someone meanwhile),
    ConflictError and nothing is written: the recorded state would silently take that
    move back."""
    with moving(store) if expected is None else unless_moved_since(store, expected):
        repo.restore_placements(placements)
        ids = [h["id"] for h in remove_history]
        if ids:
            repo.delete_moves(ids)
        if add_history:
            repo.insert_moves(add_history)


@contextmanager
def unless_moved_since(store: Backend, expected: Snapshot):
    """A move transaction that first checks that everyone is still where ``expected``
    says (a step's undo or redo puts back a whole recorded state): if another window,
    the command line or another computer of the same user moved someone meanwhile,
    ConflictError and nothing is written."""
    with moving(store):
        if _places(repo.placement_snapshot()) != _places(expected):
            raise ConflictError("The rings were changed meanwhile (in another window or on "
                                "another computer), so this step cannot be undone or "
                                "redone; nothing was changed")
        yield


def _places(snapshot: Snapshot) -> set[tuple[int, str, int]]:
    """Who is where (row ids left out: a put-back row may get a new one)."""
    return {row[:3] for row in snapshot}


@dataclass(frozen=True)
class Added:
    """A person added, with what its undo and redo need, read in the same transaction:
    the rings before and after, and every row written (put back with the same ids)."""

    contact: Contact
    before: Snapshot
    after: Snapshot
    rows: dict


def add_recorded(store: Backend, name: str, ring: Ring | None, values: dict) -> Added:
    """contacts.add_contact for an undo step (serialised with the user's moves: nobody
    else's move falls between the add and the rings it records)."""
    from planner.services.contacts import add_contact

    with moving(store):
        before = repo.placement_snapshot()
        contact = add_contact(store, name, ring=ring, **values)
        after = repo.placement_snapshot()
        rows = repo.dump_contact(contact.id)
    return Added(contact, before, after, rows)


@dataclass(frozen=True)
class Removed:
    """A person sent to the trash, with the rings before and after and the ring-move rows
    the removal wrote, read in the same transaction (for its undo and redo)."""

    before: Snapshot
    after: Snapshot
    history: list[dict]


def remove_recorded(store: Backend, contact_id: int) -> Removed:
    """contacts.remove_contact for an undo step."""
    from planner.services.contacts import remove_contact

    with moving(store):
        before = repo.placement_snapshot()
        history = remove_contact(store, contact_id)
        after = repo.placement_snapshot()
    return Removed(before, after, history)


def ring_fill() -> dict[Ring, tuple[int, int]]:
    counts = repo.ring_counts()
    caps = capacities()
    return {ring: (counts.get(ring.value, 0), caps[ring]) for ring in Ring}
