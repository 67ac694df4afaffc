"""Ctrl+Left / Ctrl+Right: the selected person one place back or on along their ring.

A drag could reorder a ring and the keyboard could not (it only promoted, demoted and
unplaced): the same move, one undo step, from the keys. The places run as the canvas
draws them and as Left / Right select (the ring's order, from the top, clockwise)."""

from __future__ import annotations

from planner.domain.errors import PlannerError


def step_place(document, contact_id: int, delta: int) -> str:
    """Move the person ``delta`` places along their ring; what to say if it cannot be
    done ("" once moved)."""
    contact = document.contact(contact_id)
    if contact is None or contact.ring is None:
        return "Only someone on a ring has a place to move along it"
    members = [c.id for c in document.ring_members(contact.ring)]
    index = members.index(contact.id) + delta
    if not 0 <= index < len(members):
        where = "first" if index < 0 else "last"
        return f"{contact.name} is already {where} on the {contact.ring.value} ring"
    try:
        document.plan_move(contact.id, contact.ring, position=index)
    except PlannerError as exc:
        return str(exc)
    document.editing.move(contact.id, contact.ring, position=index)
    return ""
