"""Reading and writing contacts and placements; returns domain objects."""

from __future__ import annotations

from datetime import datetime

from peewee import JOIN, fn

from planner.domain.contact import Birthday, Contact
from planner.domain.rings import Ring
from planner.storage.fields import to_utc
from planner.storage.models import ContactRow, PlacementRow, RingMoveRow, TouchpointRow

OWNER = ""  # the local user's rings; team databases (later) use the login role


def _birthday(text: str) -> Birthday | None:
    return Birthday.parse(text) if text else None


def to_domain(
    row: ContactRow,
    placement: tuple[str, int] | None,
    last: tuple[datetime | None, str | None] = (None, None),
) -> Contact:
    return Contact(
        id=row.id,
        name=row.name,
        email=row.email,
        phones=tuple(row.phones),
        handles=dict(row.handles),
        channels=tuple(row.channels),
        tags=tuple(row.tags),
        timezone=row.timezone,
        birthday=_birthday(row.birthday),
        organization=row.organization,
        title=row.title,
        notes=row.notes,
        ring=Ring(placement[0]) if placement else None,
        position=placement[1] if placement else None,
        cadence_days=row.cadence_days,
        stage=row.stage,
        last_touch=last[0],
        last_touch_kind=last[1],
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
    )


def last_touches(contact_ids: list[int] | None = None) -> dict[int, tuple[datetime, str]]:
    """Latest touchpoint (time, kind) per contact, in one aggregate query."""
    query = TouchpointRow.select(
        TouchpointRow.contact, fn.MAX(TouchpointRow.at).alias("last"), TouchpointRow.kind
    ).group_by(TouchpointRow.contact)
    if contact_ids is not None:
        query = query.where(TouchpointRow.contact.in_(contact_ids))
    # SQLite returns the bare column (kind) from the row holding the MAX.
    return {r[0]: (to_utc(r[1]), r[2]) for r in query.tuples()}


def placements(owner: str = OWNER) -> dict[int, tuple[str, int]]:
    query = PlacementRow.select(
        PlacementRow.contact, PlacementRow.ring, PlacementRow.position
    ).where(PlacementRow.owner == owner)
    return {cid: (ring, pos) for cid, ring, pos in query.tuples()}


def load_contacts(ids: list[int] | None = None, include_deleted: bool = False) -> list[Contact]:
    query = ContactRow.select()
    if not include_deleted:
        query = query.where(ContactRow.deleted_at.is_null())
    if ids is not None:
        query = query.where(ContactRow.id.in_(ids))
    rows = list(query.order_by(fn.LOWER(ContactRow.name), ContactRow.id))
    wanted = [r.id for r in rows] if ids is not None else None
    places = placements()
    touches = last_touches(wanted)
    return [to_domain(r, places.get(r.id), touches.get(r.id, (None, None))) for r in rows]


def load_contact(contact_id: int, include_deleted: bool = False) -> Contact | None:
    found = load_contacts([contact_id], include_deleted=include_deleted)
    return found[0] if found else None


def find_by_name(name: str) -> list[tuple[int, str]]:
    """Exact (case-insensitive) name matches; failing that, names with a word
    starting with what was typed ("ada" finds "Ada Lovelace")."""
    folded = " ".join(name.casefold().split())
    everyone = list(
        ContactRow.select(ContactRow.id, ContactRow.name)
        .where(ContactRow.deleted_at.is_null())
        .order_by(ContactRow.id)
        .tuples()
    )
    exact = [(cid, n) for cid, n in everyone if " ".join(n.casefold().split()) == folded]
    if exact or not folded:
        return exact
    return [
        (cid, n)
        for cid, n in everyone
        if n.casefold().startswith(folded)
        or any(word.startswith(folded) for word in n.casefold().split())
    ]


def ring_members(ring: Ring, owner: str = OWNER) -> list[tuple[int, str]]:
    """(id, name) of the people on ``ring`` in their order around it."""
    query = (
        PlacementRow.select(PlacementRow.contact, ContactRow.name)
        .join(ContactRow, JOIN.INNER, on=(PlacementRow.contact == ContactRow.id))
        .where(PlacementRow.owner == owner, PlacementRow.ring == ring.value)
        .order_by(PlacementRow.position, PlacementRow.contact)
    )
    return list(query.tuples())


def write_ring_order(ring: Ring, ids: list[int], owner: str = OWNER) -> None:
    """Give the people on ``ring`` the positions 0..n-1 in the order of ``ids``."""
    current = {cid: (r, pos) for cid, (r, pos) in placements(owner).items()}
    for pos, cid in enumerate(ids):
        if cid not in current:
            PlacementRow.insert(contact=cid, owner=owner, ring=ring.value, position=pos).execute()
        elif current[cid] != (ring.value, pos):
            (
                PlacementRow.update(ring=ring.value, position=pos)
                .where(PlacementRow.owner == owner, PlacementRow.contact == cid)
                .execute()
            )


def remove_placement(contact_id: int, owner: str = OWNER) -> None:
    (
        PlacementRow.delete()
        .where(PlacementRow.owner == owner, PlacementRow.contact == contact_id)
        .execute()
    )


def placement_snapshot(owner: str = OWNER) -> tuple[tuple[int, str, int, int], ...]:
    """Every placement as (contact, ring, position, row id): restoring it is exact."""
    query = PlacementRow.select(
        PlacementRow.contact, PlacementRow.ring, PlacementRow.position, PlacementRow.id
    ).where(PlacementRow.owner == owner)
    return tuple(sorted(query.tuples()))


def restore_placements(snapshot, owner: str = OWNER) -> None:
    PlacementRow.delete().where(PlacementRow.owner == owner).execute()
    if snapshot:
        PlacementRow.insert_many(
            [
                {"id": row_id, "contact": cid, "owner": owner, "ring": ring, "position": pos}
                for cid, ring, pos, row_id in snapshot
            ]
        ).execute()


def record_move(
    contact_id: int, from_ring: Ring | None, to_ring: Ring | None, at: datetime, owner: str = OWNER
) -> dict:
    row = RingMoveRow.create(
        contact=contact_id,
        owner=owner,
        at=at,
        from_ring=from_ring.value if from_ring else None,
        to_ring=to_ring.value if to_ring else None,
    )
    return {
        "id": row.id,
        "contact": contact_id,
        "owner": owner,
        "at": at,
        "from_ring": row.from_ring,
        "to_ring": row.to_ring,
    }


def ring_counts(owner: str = OWNER) -> dict[str, int]:
    query = (
        PlacementRow.select(PlacementRow.ring, fn.COUNT(PlacementRow.contact))
        .join(ContactRow, on=(PlacementRow.contact == ContactRow.id))
        .where(PlacementRow.owner == owner, ContactRow.deleted_at.is_null())
        .group_by(PlacementRow.ring)
    )
    return dict(query.tuples())


def dump_contact(contact_id: int) -> dict:
    """Every row that belongs to a person, so it can be put back with the same ids."""
    from planner.storage.models import NoteRow

    def rows(model):
        return [r.__data__.copy() for r in model.select().where(model.contact == contact_id)]

    return {
        "contact": ContactRow.get_by_id(contact_id).__data__.copy(),
        "placements": rows(PlacementRow),
        "moves": rows(RingMoveRow),
        "touchpoints": rows(TouchpointRow),
        "notes": rows(NoteRow),
    }


def load_dump(dump: dict) -> None:
    from planner.storage.models import NoteRow

    ContactRow.insert(**dump["contact"]).execute()
    for model, key in ((PlacementRow, "placements"), (RingMoveRow, "moves"),
                       (TouchpointRow, "touchpoints"), (NoteRow, "notes")):
        if dump[key]:
            model.insert_many(dump[key]).execute()


def hard_delete(contact_id: int) -> None:
    """Delete a person and (by cascade) everything of theirs."""
    ContactRow.delete().where(ContactRow.id == contact_id).execute()
