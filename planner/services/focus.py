"""The weekly focus list from the database: one aggregate query, then the domain rules."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from peewee import fn

from planner.domain.cadence import Status, cadence_days, status_at
from planner.domain.contact import Contact
from planner.domain.focus import FocusCandidate, FocusList, build_focus_list, local_zone
from planner.domain.rings import Ring
from planner.services.settings import cadences
from planner.storage.contacts_repo import OWNER
from planner.storage.fields import to_utc
from planner.storage.models import ContactRow, NoteRow, PlacementRow, TouchpointRow


def focus_candidates(as_of: datetime, owner: str = OWNER) -> list[FocusCandidate]:
    """Every placed person with their last touch and latest note as of ``as_of``,
    in ONE query (correlated subqueries use the (contact, at) indexes)."""
    t, n = TouchpointRow.alias("t"), NoteRow.alias("n")
    last_at = (t.select(fn.MAX(t.at)).where((t.contact == ContactRow.id) & (t.at <= as_of)))
    last_kind = (t.select(t.kind).where((t.contact == ContactRow.id) & (t.at <= as_of))
                 .order_by(t.at.desc(), t.id.desc()).limit(1))
    latest_note = (n.select(n.text).where((n.contact == ContactRow.id) & (n.at <= as_of))
                   .order_by(n.at.desc(), n.id.desc()).limit(1))
    query = (ContactRow
             .select(ContactRow.id, ContactRow.name, PlacementRow.ring, ContactRow.cadence_days,
                     ContactRow.email, ContactRow.channels, ContactRow.handles,
                     ContactRow.phones, ContactRow.timezone, last_at.alias("last_at"),
                     last_kind.alias("last_kind"), latest_note.alias("latest_note"))
             .join(PlacementRow, on=(PlacementRow.contact == ContactRow.id))
             .where(PlacementRow.owner == owner, ContactRow.deleted_at.is_null()))
    ring_days = cadences()
    out = []
    for row in query.dicts():
        ring = Ring(row["ring"])
        out.append(FocusCandidate(
            contact_id=row["id"], name=row["name"], ring=ring,
            cadence_days=cadence_days(ring, row["cadence_days"], ring_days),
            last_touch=to_utc(row["last_at"]), last_touch_kind=row["last_kind"],
            email=row["email"], channels=tuple(row["channels"]), handles=dict(row["handles"]),
            phones=tuple(row["phones"]), latest_note=row["latest_note"] or "",
            timezone=row["timezone"]))
    return out


def focus_list(week: str | None = None, *, as_of: datetime | None = None,
               limit: int | None = None, tz: tzinfo | None = None) -> FocusList:
    moment = (as_of or datetime.now(UTC)).astimezone(UTC)
    return build_focus_list(focus_candidates(moment), week, as_of=moment, tz=tz or local_zone(),
                            limit=limit)


def contact_status(contact: Contact, ring_days: dict[Ring, int],
                   now: datetime | None = None) -> Status | None:
    """A placed person's cadence status now; None for the unplaced."""
    if contact.ring is None:
        return None
    days = cadence_days(contact.ring, contact.cadence_days, ring_days)
    return status_at(contact.last_touch, days, now or datetime.now(UTC))
