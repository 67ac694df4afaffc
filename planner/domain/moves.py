"""Moving people between the rings: what a move does (a plain move, a reorder, a swap on a
full ring, taking someone off the rings) and where promoting or demoting takes them."""

from __future__ import annotations

from dataclasses import dataclass

from planner.domain.errors import InvalidInput, RingFull
from planner.domain.rings import Ring


@dataclass(frozen=True)
class MovePlan:
    """What a move will do: the mover's new place and, for a swap, the other's."""

    contact_id: int
    from_ring: Ring | None
    to_ring: Ring | None
    to_position: int | None
    swap_with: int | None = None
    swap_to_ring: Ring | None = None
    swap_to_position: int | None = None


def plan_move(
    *,
    contact_id: int,
    from_ring: Ring | None,
    from_position: int | None,
    to_ring: Ring | None,
    occupants: list[tuple[int, str]],
    capacity: int,
    swap_with: int | None = None,
    to_position: int | None = None,
) -> MovePlan:
    """Decide a move into ``to_ring`` whose current ``occupants`` are (id, name) in order.

    A full ring refuses a plain move and names who is there; a swap with
    someone on that ring is allowed: they take the mover's old place.
    """
    occupant_ids = [cid for cid, _ in occupants if cid != contact_id]
    if swap_with is not None:
        if to_ring is None:
            raise InvalidInput("a swap needs a ring: both people must end up placed")
        if swap_with == contact_id:
            raise InvalidInput("cannot swap a person with themselves")
        if swap_with not in occupant_ids:
            names = dict(occupants)
            raise InvalidInput(
                f"{names.get(swap_with, 'that person')} is not on the {to_ring.value} ring"
            )
        slot = [cid for cid, _ in occupants].index(swap_with)
        return MovePlan(
            contact_id,
            from_ring,
            to_ring,
            slot,
            swap_with=swap_with,
            swap_to_ring=from_ring,
            swap_to_position=from_position,
        )
    if to_ring is None:
        return MovePlan(contact_id, from_ring, None, None)
    if to_ring == from_ring:
        # a reorder; without a position the person stays where they are
        last = len(occupant_ids)
        wanted = from_position if to_position is None else to_position
        pos = last if wanted is None else max(0, min(wanted, last))
        return MovePlan(contact_id, from_ring, to_ring, pos)
    if len(occupant_ids) >= capacity:
        who = ", ".join(name for cid, name in occupants if cid != contact_id)
        raise RingFull(
            f"the {to_ring.value} ring is full ({len(occupant_ids)}/{capacity}): {who}. "
            "Swap with one of them or make room first",
            to_ring.value,
            [name for _, name in occupants],
        )
    last = len(occupant_ids)
    pos = last if to_position is None else max(0, min(to_position, last))
    return MovePlan(contact_id, from_ring, to_ring, pos)


def plan_step(name: str, ring: Ring | None, up: bool) -> Ring | None:
    """Where promoting (``up``) or demoting a person on ``ring`` takes them: one ring in
    or out; promoting someone unplaced puts them on the outer ring, demoting someone on
    the outer ring takes them off the rings (None). InvalidInput when there is no such
    step: promoting from the inner ring, demoting someone not on a ring."""
    if ring is None:
        if up:
            return Ring.OUTER
        raise InvalidInput(f"{name} is not on a ring")
    if up:
        target = ring.promoted()
        if target is None:
            raise InvalidInput(f"{name} is already on the inner ring")
        return target
    return ring.demoted()
