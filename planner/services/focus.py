"""The weekly focus list from the database: one aggregate query, then the domain rules."""

from __future__ import annotations

import json
from datetime import UTC, datetime, tzinfo

from planner.domain import advocacy as adv
from planner.domain.cadence import Status, cadence_days, status_at
from planner.domain.contact import Birthday, Contact
from planner.domain.errors import InvalidInput
from planner.domain.focus import FocusCandidate, FocusList, build_focus_list, local_zone
from planner.domain.rings import Ring
from planner.services.settings import cadences
from planner.storage.contacts_repo import OWNER
from planner.storage.fields import to_utc
from planner.storage.focus_repo import candidate_rows


def focus_candidates(as_of: datetime, owner: str = OWNER,
                     ids: list[int] | None = None) -> list[FocusCandidate]:
    """Every placed person (or those of ``ids`` who are placed) with their last touch,
    latest note and advocacy hints as of ``as_of``, in ONE query (correlated subqueries
    use the (contact, at) indexes: :func:`planner.storage.focus_repo.candidate_rows`).
    On a team database the last touch and the cadence are the connected user's own."""
    rows = candidate_rows(as_of, owner, ids)  # run below, after the ring cadences are read
    ring_days = cadences()
    out = []
    for row in rows:
        ring = Ring(row["ring"])
        out.append(FocusCandidate(
            contact_id=row["id"], name=row["name"], ring=ring,
            cadence_days=cadence_days(ring, row["cadence_days"], ring_days),
            last_touch=to_utc(row["last_at"]), last_touch_kind=row["last_kind"],
            email=row["email"], channels=tuple(row["channels"]), handles=dict(row["handles"]),
            phones=tuple(row["phones"]), latest_note=row["latest_note"] or "",
            timezone=row["timezone"], birthday=stored_birthday(row["birthday"]),
            snoozed_until=to_utc(row["snoozed_until"]),
            **_hint_values(row)))
    return out


def stored_birthday(text: str | None) -> Birthday | None:
    """A stored birthday; a value that does not parse (a hand-edited file) is no birthday."""
    try:
        return Birthday.parse(text) if text else None
    except InvalidInput:
        return None


_ASK_TYPES = frozenset(t.value for t in adv.AskType)


def _hint_values(row: dict) -> dict:
    try:
        limit = adv.clean_limit(json.loads(row["ask_limit"])) if row["ask_limit"] else None
    except (ValueError, adv.InvalidInput):
        limit = None
    thanks = row["thanks_due"]
    return {
        "uncelebrated_win": row["uncelebrated_win"],
        "recent_win": row["recent_win"],
        "thanks_due": adv.AskType(thanks).phrase if thanks in _ASK_TYPES else None,
        "near_fatigue": adv.Fatigue(row["asks_in_quarter"] or 0,
                                    limit or adv.DEFAULT_FATIGUE_LIMIT).near,
    }


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
