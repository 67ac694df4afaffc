"""The placed people's focus candidates and items, kept between changes.

This week and the tray's count rank the placed people (87 by default). Reading all of
them is one query with a dozen correlated subqueries, and evaluating each is the
cadence, the channel and the suggested action: a change to some people re-reads and
re-evaluates those people only. Everyone is read again when the document is reset or
the last full read is more than five minutes old (statuses move with the clock).
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from planner.domain.cadence import Status, cadence_days
from planner.domain.focus import (
    FocusCandidate,
    FocusItem,
    FocusList,
    IsoWeek,
    focus_item,
    rank_key,
    week_bounds,
)
from planner.domain.rings import RING_ORDER

if TYPE_CHECKING:
    from planner.document.document import PlannerDocument

#: a full re-read at most this old is reused for a change to a few people (the
#: document's clock re-evaluates everyone's status as often; on a team database a full
#: read costs about half a second: the latest-note subquery reads every note)
MAX_AGE_S = 300.0
#: tables whose change needs a person read again (the latest note, a snooze, the hints);
#: their details and last touch come from the document's copy
READ_AGAIN = frozenset({"note", "snooze", "win", "ask", "give", "stage_change", "setting"})


class FocusCache:
    def __init__(self, tz: tzinfo):
        self.tz = tz
        self.moment: datetime | None = None  # as of the last full read
        self._read_at = 0.0  # time.monotonic() of the last full read
        self.candidates: dict[int, FocusCandidate] = {}
        self.items: dict[int, FocusItem] = {}
        self._stale: set[int] = set()
        self._from_document: set[int] = set()  # changed details: taken from the document
        self.document: PlannerDocument | None = None  # (follow)
        self._all = True
        self.full_reads = 0  # (tests: how often everyone was read)
        self.partial_reads = 0
        self.version = 0  # moves on whenever a candidate or an item changed

    def follow(self, document: PlannerDocument) -> None:
        """Hear what changed before the views that read the cache do (connect this
        first): a reset → everyone; a snooze or the ledger (timeline_changed) → those
        people read again; a note → its person read again (the latest note); a person's
        details or last touch (contacts_changed) → taken from the document's copy, no
        query. An empty list, as a setting's change sends: everyone. A reorder changes
        nothing here."""
        self.document = document

        def changed(ids: list) -> None:
            if not ids:
                self.invalidate()
                return
            written = document.changed_tables  # (known for a change made elsewhere)
            # only the placed are ranked: someone who is not, and was not, changes nothing;
            # a touch alone came with contacts_changed (the last touch)
            self.invalidate([cid for cid in ids if self._concerns(cid) and (
                written is None or written.get(cid, READ_AGAIN) & READ_AGAIN)])

        def contacts_changed(ids: list) -> None:
            if not ids:
                self.invalidate()
                return
            for cid in ids:
                if self._concerns(cid):
                    self._from_document.add(cid)

        def entries_changed(changes: list) -> None:
            self.invalidate([c.contact_id for c in changes
                             if c.entry_id.startswith("note:") and self._concerns(c.contact_id)])

        document.reset.connect(lambda: self.invalidate())
        document.contacts_changed.connect(contacts_changed)
        document.timeline_changed.connect(changed)
        document.entries_changed.connect(entries_changed)

    def _concerns(self, cid: int) -> bool:
        if cid in self.candidates:
            return True
        contact = self.document.cached(cid) if self.document is not None else None
        return contact is not None and contact.ring is not None

    def invalidate(self, ids: list[int] | None = None) -> None:
        """These people changed (None: anyone may have)."""
        if ids is None:
            self._all = True
        else:
            self._stale.update(ids)

    def stale(self) -> bool:
        return self._all or bool(self._stale or self._from_document) or self._too_old()

    def _too_old(self) -> bool:
        return time.monotonic() - self._read_at > MAX_AGE_S

    def update(self) -> bool:
        """Read what changed; True if anything was read."""
        from planner.services.focus import focus_candidates

        if self._all or self._too_old():
            self.moment = datetime.now(UTC)
            found = focus_candidates(self.moment)
            self.candidates = {c.contact_id: c for c in found}
            self.items = {c.contact_id: focus_item(c, self.moment, self.tz) for c in found}
            self._all, self._stale, self._from_document = False, set(), set()
            self._read_at = time.monotonic()
            self.full_reads += 1
            self.version += 1
            return True
        moment = datetime.now(UTC)
        for cid in sorted(self._from_document - self._stale):
            if not self._take_from_document(cid, moment):
                self._stale.add(cid)
        taken = bool(self._from_document)
        self._from_document = set()
        if not self._stale:
            self.version += int(taken)
            return taken
        ids, self._stale = sorted(self._stale), set()
        fresh = {c.contact_id: c for c in focus_candidates(moment, ids=ids)}
        for cid in ids:  # someone no longer placed (or gone) leaves the list
            cand = fresh.get(cid)
            if cand is None:
                self.candidates.pop(cid, None)
                self.items.pop(cid, None)
            else:
                self.candidates[cid] = cand
                self.items[cid] = focus_item(cand, moment, self.tz)
        self.partial_reads += 1
        self.version += 1
        return True

    def _take_from_document(self, cid: int, moment: datetime) -> bool:
        """A known candidate's new details and last touch from the document's copy of
        the person (what the query would read for them); False when it cannot be told
        (newly placed, or a last touch dated after now, which the query leaves out)."""
        old = self.candidates.get(cid)
        document = self.document
        contact = document.cached(cid) if document is not None else None
        if old is None or document is None or contact is None:
            return False
        if contact.ring is None:  # off the rings: out of the list
            self.candidates.pop(cid, None)
            self.items.pop(cid, None)
            return True
        if contact.last_touch is not None and contact.last_touch > moment:
            return False
        days = cadence_days(contact.ring, contact.cadence_days,
                            {ring: document.cadence(ring) for ring in RING_ORDER})
        cand = replace(old, name=contact.name, ring=contact.ring, cadence_days=days,
                       last_touch=contact.last_touch, last_touch_kind=contact.last_touch_kind,
                       email=contact.email, channels=tuple(contact.channels),
                       handles=dict(contact.handles), phones=tuple(contact.phones),
                       timezone=contact.timezone, birthday=contact.birthday)
        self.candidates[cid] = cand
        self.items[cid] = focus_item(cand, moment, self.tz)
        return True

    def focus_list(self, week: IsoWeek) -> FocusList:
        """This week's ranked list from the items kept (as build_focus_list ranks it)."""
        self.update()
        start, end = week_bounds(week, self.tz)
        now = datetime.now(UTC)  # (a snooze that ended since the last read is over)
        items = [item for cid, item in self.items.items()
                 if not _snoozed(self.candidates[cid], now)
                 and (item.status is Status.NEVER or item.next_due <= end or item.birthday)]
        items.sort(key=rank_key)
        return FocusList(week.year, week.week, start, end, now, tuple(items))


def _snoozed(cand: FocusCandidate, moment: datetime) -> bool:
    return cand.snoozed_until is not None and cand.snoozed_until > moment
