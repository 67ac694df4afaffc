"""The focus list's one read: every placed person with their last touch, latest note,
running snooze and advocacy hints, in ONE query (correlated subqueries use the
(contact, at) indexes).

Rows come back as the query's plain dicts, read lazily: the weekly rules
(:mod:`planner.services.focus`) turn each into a ``FocusCandidate`` as it is read.
Imported by that service only, when the focus list is first needed. Nothing here
opens a transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from peewee import fn

from planner.domain import advocacy as adv
from planner.storage.advocacy_repo import FATIGUE_LIMIT_KEY
from planner.storage.contacts_repo import (
    OWNER,
    cadence_column,
    join_own_cadence,
    own_touches,
    who,
)
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


def candidate_rows(as_of: datetime, owner: str = OWNER,
                   ids: list[int] | None = None) -> Iterable[dict]:
    """The query (not yet run: it runs when iterated) of every placed person (or those of
    ``ids`` who are placed) as of ``as_of``, one dict per person: id, name, ring,
    cadence_days (the override as the user sees it), email, channels, handles, phones,
    timezone, birthday (as stored), last_at, last_kind, latest_note, snoozed_until and the
    advocacy hints uncelebrated_win, recent_win, thanks_due (an ask type), asks_in_quarter,
    ask_limit (the setting's JSON text). On a team database the last touch and the cadence
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
    return query.dicts()


def _snoozed_until(as_of: datetime, owner: str):
    """The end of the user's running snooze of the person (latest), or NULL."""
    s = SnoozeRow.alias("s")
    return s.select(fn.MAX(s.until)).where(
        (s.contact == ContactRow.id) & (s.owner == who(owner)) & s.cleared_at.is_null()
        & (s.until > as_of))


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
