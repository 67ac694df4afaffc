"""The weekly focus list from the database: one aggregate query, then the domain rules."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, tzinfo

from peewee import fn

from planner.domain import advocacy as adv
from planner.domain.cadence import Status, cadence_days, status_at
from planner.domain.contact import Birthday, Contact
from planner.domain.errors import InvalidInput
from planner.domain.focus import FocusCandidate, FocusList, build_focus_list, local_zone
from planner.domain.rings import Ring
from planner.services.settings import cadences
from planner.storage.advocacy_repo import FATIGUE_LIMIT_KEY
from planner.storage.contacts_repo import (
    OWNER,
    cadence_column,
    join_own_cadence,
    own_touches,
    who,
)
from planner.storage.fields import to_utc
from planner.storage.models import (
    AskRow,
    ContactRow,
    GiveRow,
    NoteRow,
    PlacementRow,
    SettingRow,
    SnoozeRow,
    TouchpointRow,
    WinRow,
)
from planner.storage.private_rows import rows_of


def focus_candidates(as_of: datetime, owner: str = OWNER,
                     ids: list[int] | None = None) -> list[FocusCandidate]:
    """Every placed person (or those of ``ids`` who are placed) with their last touch,
    latest note and advocacy hints as of ``as_of``, in ONE query (correlated subqueries
    use the (contact, at) indexes). On a team database the last touch and the cadence
    are the connected user's own."""
    t = TouchpointRow.alias("t")
    n = rows_of(NoteRow, ContactRow.id, "n")  # on a team database: this person's notes only
    hints = _advocacy_hints(as_of)
    touched = own_touches(t, (t.contact == ContactRow.id) & (t.at <= as_of))
    # the newest row of the (contact, at) index: SQLite reads every touch for MAX(at) here
    last_at = t.select(t.at).where(touched).order_by(t.at.desc()).limit(1)
    last_kind = t.select(t.kind).where(touched).order_by(t.at.desc(), t.id.desc()).limit(1)
    latest_note = (n.select(n.text).where((n.contact == ContactRow.id) & (n.at <= as_of))
                   .order_by(n.at.desc(), n.id.desc()).limit(1))
    query = (ContactRow
             .select(ContactRow.id, ContactRow.name, PlacementRow.ring,
                     cadence_column().alias("cadence_days"),
                     ContactRow.email, ContactRow.channels, ContactRow.handles,
                     ContactRow.phones, ContactRow.timezone, ContactRow.birthday,
                     last_at.alias("last_at"),
                     last_kind.alias("last_kind"), latest_note.alias("latest_note"),
                     _snoozed_until(as_of, owner).alias("snoozed_until"), *hints)
             .join(PlacementRow, on=(PlacementRow.contact == ContactRow.id))
             .where(PlacementRow.owner == who(owner), ContactRow.deleted_at.is_null()))
    if ids is not None:
        query = query.where(ContactRow.id.in_(list(ids)))
    query = join_own_cadence(query)
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
            timezone=row["timezone"], birthday=stored_birthday(row["birthday"]),
            snoozed_until=to_utc(row["snoozed_until"]),
            **_hint_values(row)))
    return out


def _snoozed_until(as_of: datetime, owner: str):
    """The end of the user's running snooze of the person (latest), or NULL."""
    s = SnoozeRow.alias("s")
    return s.select(fn.MAX(s.until)).where(
        (s.contact == ContactRow.id) & (s.owner == who(owner)) & s.cleared_at.is_null()
        & (s.until > as_of))


def stored_birthday(text: str | None) -> Birthday | None:
    """A stored birthday; a value that does not parse (a hand-edited file) is no birthday."""
    try:
        return Birthday.parse(text) if text else None
    except InvalidInput:
        return None


def _advocacy_hints(as_of: datetime) -> list:
    """Correlated subqueries for the focus list's advocacy suggestions (same one query):
    the latest uncelebrated win, the latest win of the last 30 days, the latest done ask
    nobody thanked for, the asks of the last quarter, and the ask limit setting."""
    w, rw = WinRow.alias("w"), WinRow.alias("rw")
    a, qa, g = AskRow.alias("a"), AskRow.alias("qa"), GiveRow.alias("g")
    uncelebrated = (w.select(w.text)
                    .where((w.contact == ContactRow.id) & w.celebrated_by.is_null()
                           & (w.at <= as_of))
                    .order_by(w.at.desc(), w.id.desc()).limit(1))
    recent = (rw.select(rw.text)
              .where((rw.contact == ContactRow.id) & (rw.at <= as_of)
                     & (rw.at > as_of - timedelta(days=adv.RECENT_WIN_DAYS)))
              .order_by(rw.at.desc(), rw.id.desc()).limit(1))
    closed = fn.COALESCE(a.closed_at, a.at)
    thanks = (a.select(a.type)
              .where((a.contact == ContactRow.id) & (a.status == adv.AskStatus.DONE.value)
                     & (closed <= as_of) & ~fn.EXISTS(g.select(g.id).where(g.for_ask == a.id)))
              .order_by(closed.desc(), a.id.desc()).limit(1))
    quarter = (qa.select(fn.COUNT(qa.id))
               .where((qa.contact == ContactRow.id) & (qa.at <= as_of)
                      & (qa.at > as_of - timedelta(days=adv.QUARTER_DAYS))))
    limit = SettingRow.select(SettingRow.value).where(SettingRow.key == FATIGUE_LIMIT_KEY)
    return [uncelebrated.alias("uncelebrated_win"), recent.alias("recent_win"),
            thanks.alias("thanks_due"), quarter.alias("asks_in_quarter"),
            limit.alias("ask_limit")]


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
