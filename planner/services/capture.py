"""Touchpoints that log themselves (issue 24): capture sources, the proposals they make,
and the review that turns proposals into ordinary touchpoints.

Every source (an .ics file or folder, a CalDAV calendar, an IMAP mailbox) hands what
it read to :func:`apply_batch` as :class:`~planner.domain.capture.Captured` items.
``apply_batch`` matches them to people, inserts, updates and withdraws proposals, keeps
the source's new sync state and auto-accepts when the source says so — all in ONE
transaction (it begins IMMEDIATE on SQLite): a sync that is interrupted or fails loses
nothing committed before and half-applies nothing. A source's sync state is stored with
the proposals it made, so the next sync starts exactly where the last committed one
stopped.

Re-reading never proposes an event twice: proposals are unique on (owner, source key,
person), and an accepted, rejected or withdrawn one is remembered. An event moved at the
source updates its pending proposal; cancelled or gone, it withdraws it (never an
accepted touchpoint: that is the user's). On a team database sources and proposals are
the connected user's alone (row-level security, like snoozes).

Accepting makes a touchpoint (``touchpoint.source``: a digest of the proposal's key,
``domain.capture.shared_key``), and for a
candidate (an address nobody has) the new, unplaced person first; :func:`undo_accept` and
:func:`redo_accept` are its exact inverse and replay, for the window's undo stack.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from planner.domain.capture import Captured, fold_address, shared_key
from planner.domain.capture_match import (
    Match,
    Proposal,
    ProposalStatus,
    Source,
    SourceKind,
    address_index,
    candidate_name,
    matches,
    one_line,
    own_addresses,
)
from planner.domain.contact import clean_note, clean_text
from planner.domain.errors import ConflictError, InvalidInput, NotFound
from planner.domain.kinds import parse_kind
from planner.services.contacts import clean_fields, now
from planner.storage import capture_repo as repo
from planner.storage import contacts_repo, settings_repo, touchpoints_repo
from planner.storage.capture_repo import KnownProposal, ProposalRow
from planner.storage.contacts_repo import who

if TYPE_CHECKING:
    from planner.storage.backend import Backend

log = logging.getLogger(__name__)

PENDING, ACCEPTED = ProposalStatus.PENDING.value, ProposalStatus.ACCEPTED.value
REJECTED, WITHDRAWN = ProposalStatus.REJECTED.value, ProposalStatus.WITHDRAWN.value
MAX_MINUTES = 24 * 60


# ------------------------------------------------------------------ sources


def add_source(store: Backend, kind: str, label: str, location: str, username: str = "",
               options: dict | None = None) -> Source:
    """Register a source to read on every sync. ``kind``: ics, caldav or imap;
    ``location``: a path, a URL or host:port; ``options``: what the kind needs (JSON:
    folders, since date, TLS mode, trusted certificate fingerprint, ``auto_accept``)."""
    try:
        kind = SourceKind(kind).value
    except ValueError:
        raise InvalidInput(f"unknown capture source {kind!r}: use ics, caldav or imap") from None
    location = clean_text(location, "the location")
    if not location:
        raise InvalidInput("a capture source needs a location (a path, URL or host)")
    values = dict(options or {})
    with store.write():
        source_id = repo.add_source(kind, clean_text(label, "the label") or location, location,
                                    clean_text(username, "the user name"), values, now())
    return get_source(source_id)


def get_source(source_id: int) -> Source:
    found = repo.source(source_id)
    if found is None:
        raise NotFound(f"no capture source with id {source_id}")
    return found


def list_sources() -> list[Source]:
    return repo.sources()


def set_source_options(store: Backend, source_id: int, **options) -> Source:
    """Change some options of a source (e.g. ``auto_accept=True``), keeping the others."""
    with store.write():
        found = repo.source(source_id)
        if found is None:
            raise NotFound(f"no capture source with id {source_id}")
        repo.set_source_options(source_id, {**found.options, **options})
    return get_source(source_id)


def remove_source(store: Backend, source_id: int) -> int:
    """Forget a source and drop its pending proposals; accepted, rejected and withdrawn
    ones stay remembered (so adding it again proposes nothing already reviewed).
    Returns how many pending proposals went."""
    with store.write():
        if repo.source(source_id) is None:
            raise NotFound(f"no capture source with id {source_id}")
        return repo.delete_source(source_id)


# ------------------------------------------------------------------ own addresses


def own_address_list() -> list[str]:
    """The user's own addresses (never proposed as people): their own setting, private
    on a team database. A stored value that is not a list of addresses reads as none."""
    stored = settings_repo.get_own_setting(who(), settings_repo.OWN_ADDRESSES_KEY, [])
    if not isinstance(stored, list) or not all(isinstance(a, str) and "@" in a
                                               for a in stored):
        log.warning("the stored own addresses for capture are not a list of addresses; "
                    "using none")
        return []
    return list(stored)


def set_own_addresses(store: Backend, addresses: Iterable[str]) -> list[str]:
    clean = []
    for address in addresses:
        text = fold_address(address)
        if "@" not in text:
            raise InvalidInput(f"{address!r} is not an e-mail address")
        if text not in clean:
            clean.append(text)
    with store.write():
        settings_repo.set_own_setting(who(), settings_repo.OWN_ADDRESSES_KEY, clean)
    return clean


# ------------------------------------------------------------------ applying a batch


@dataclass
class BatchResult:
    """What one :func:`apply_batch` did."""

    proposed: int = 0  # new pending proposals
    updated: int = 0  # pending ones moved or changed at the source (or back from withdrawn)
    withdrawn: int = 0  # pending ones cancelled or gone at the source
    accepted: int = 0  # auto-accepted (the source's ``auto_accept``)
    unchanged: int = 0  # already proposed, accepted or rejected: nothing to do
    unmatched: int = 0  # items that involve nobody in the network (or lie in the future)
    cancelled: int = 0  # cancelled at the source, with no pending proposal to withdraw
    accepted_ids: list[int] = field(default_factory=list)
    #: what the source held and could not be read, one sentence each (an event left out,
    #: a value ignored); the rest was read. Filled by the source's reader, not here.
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{self.proposed} new", f"{self.updated} updated",
                 f"{self.withdrawn} withdrawn"]
        if self.accepted:
            parts.append(f"{self.accepted} accepted automatically")
        said = ", ".join(parts) + f"; {self.unchanged} already known, {self.unmatched} " \
            "with nobody you know"
        return said + (f", {self.cancelled} cancelled" if self.cancelled else "")


def apply_batch(store: Backend, source_id: int | None, items: Iterable[Captured], *,
                withdrawn_keys: Iterable[str] = (), state: dict | None = None,
                window: tuple[datetime, datetime] | None = None, candidates: bool = True,
                own: Iterable[str] = (), at: datetime | None = None) -> BatchResult:
    """Match ``items`` to people and bring the proposals up to date, in one transaction.

    - ``source_id``: the registered source they came from (None: a one-off import).
    - ``items``: every item is the whole truth about its ``source_key``: its people get a
      proposal each (or keep theirs, updated when the item moved), a person no longer in
      it loses their pending one, a cancelled item (or one now in the future) withdraws
      its pending ones.
    - ``withdrawn_keys``: keys deleted at the source since the last sync (CalDAV
      sync-collection, IMAP expunge): their pending proposals are withdrawn.
    - ``window`` (start, end): the items are *all* the source holds in that span (a full
      re-read of a file): this source's pending proposals in it whose key is not among
      them are withdrawn.
    - ``state``: the source's new sync state (JSON), stored with the rest; None keeps it.
    - ``candidates``: offer unknown addresses of small meetings as new people.
    - ``own``: more of the user's own addresses, besides the setting's.
    Auto-accepts the new and moved proposals of known people when the source's
    ``auto_accept`` option is on. Raises NotFound for an unknown source (nothing written).
    """
    stamp = (at or now()).astimezone(UTC)
    result = BatchResult()
    latest: dict[str, Captured] = {}
    for item in items:
        latest[item.source_key] = item  # a key given twice: the last one counts
    gone = set(withdrawn_keys) - set(latest)
    with store.write():
        source = None
        if source_id is not None:
            source = get_source(source_id)
        index = address_index(repo.people_addresses())
        mine = own_addresses([*own_address_list(), *own, *_source_addresses(source)])
        existing = repo.proposals_by_key([*latest, *gone])
        known = repo.captured_touchpoints(latest)
        batch = _Batch(source_id, stamp, result)
        for key, item in latest.items():
            rows = existing.get(key, [])
            if item.cancelled or item.at > stamp:
                before = result.withdrawn
                batch.withdraw(rows)
                if item.cancelled:  # skipped as cancelled, whoever was in it
                    result.cancelled += result.withdrawn == before
                else:
                    result.unmatched += not rows
                continue
            found = matches(item, index, mine, candidates=candidates)
            if not found:
                result.unmatched += 1
            batch.apply(item, found, rows, known, index)
        for key in gone:
            batch.withdraw(existing.get(key, []))
        if window is not None and source_id is not None:
            start, end = window
            batch.withdraw([r for r in repo.pending_of_source(source_id, start, end)
                            if r.source_key not in latest])
        batch.flush()
        if source is not None:
            repo.record_sync(source.id, stamp, state)
            if source.auto_accept and batch.touched:
                auto = [r.id for r in repo.proposal_rows(PENDING, ids=batch.touched)
                        if r.contact_id is not None]
                if auto:
                    accept(store, auto)
                    result.accepted, result.accepted_ids = len(auto), auto
    return result


def _source_addresses(source: Source | None) -> list[str]:
    """A source's own addresses: its ``own_addresses`` option and a user name that is one."""
    if source is None:
        return []
    found = list(source.options.get("own_addresses") or [])
    if "@" in (source.username or ""):
        found.append(source.username)
    return found


class _Batch:
    """The writes of one apply_batch, gathered so inserts go in a few statements."""

    def __init__(self, source_id: int | None, stamp: datetime, result: BatchResult):
        self.source_id, self.stamp, self.result = source_id, stamp, result
        self.inserts: list[dict] = []
        self.new_keys: list[tuple[str, str]] = []
        self.touched: list[int] = []  # ids of proposals updated or revived (auto-accept)

    def apply(self, item: Captured, found: list[Match], rows: list[KnownProposal], known: set,
              index: dict[str, int]) -> None:
        by_match = {r.match_key: r for r in rows}
        wanted = set()
        for match in found:
            row = by_match.get(match.match_key)
            if row is None and match.contact_id is not None:
                row = self._candidate_now_known(item, match, by_match, index)
            if row is not None:
                wanted.add(row.match_key)
                self._update(row, item, match)
                continue
            wanted.add(match.match_key)
            if match.contact_id is not None and (item.source_key, match.contact_id) in known:
                self.result.unchanged += 1  # accepted before (its proposal is gone)
                continue
            self._insert(item, match)
        self.withdraw([r for r in rows if r.match_key not in wanted])

    def _candidate_now_known(self, item: Captured, match: Match,
                             by_match: dict[str, KnownProposal],
                             index: dict[str, int]) -> KnownProposal | None:
        """A pending candidate proposal for an address that is now this person's (added
        by hand since): it becomes theirs instead of a second proposal."""
        for address, _ in item.addresses:
            folded = fold_address(address)
            row = by_match.get(f"email:{folded}")
            if row is not None and index.get(folded) == match.contact_id \
                    and row.status in (PENDING, WITHDRAWN):
                repo.update_proposal(row.id, {"match_key": match.match_key,
                                              "contact": match.contact_id,
                                              "updated_at": self.stamp})
                row.match_key, row.contact_id = match.match_key, match.contact_id
                return row
        return None

    def _values(self, item: Captured) -> dict:
        return {"kind": _kind(item.kind), "at": item.at.astimezone(UTC),
                "minutes": _minutes(item.minutes), "note": one_line(item.title, 1000)}

    def _insert(self, item: Captured, match: Match) -> None:
        self.inserts.append({
            "owner": who(), "source": self.source_id, "source_key": item.source_key,
            "match_key": match.match_key, "contact": match.contact_id,
            "candidate_name": match.candidate_name, "candidate_email": match.candidate_email,
            "status": PENDING, "created_at": self.stamp, "updated_at": self.stamp,
            **self._values(item)})
        self.new_keys.append((item.source_key, match.match_key))
        self.result.proposed += 1

    def _update(self, row: KnownProposal, item: Captured, match: Match) -> None:
        if row.status in (ACCEPTED, REJECTED):
            self.result.unchanged += 1
            return
        values = self._values(item)
        same = all(getattr(row, k) == v for k, v in values.items())
        if row.status == PENDING and same:
            self.result.unchanged += 1
            return
        changes = {**values, "status": PENDING, "updated_at": self.stamp}
        if self.source_id is not None:
            changes["source"] = self.source_id
        if match.contact_id is None and match.candidate_name and not row.candidate_name:
            changes["candidate_name"] = match.candidate_name
        repo.update_proposal(row.id, changes)
        self.touched.append(row.id)
        self.result.updated += 1

    def withdraw(self, rows: Sequence[KnownProposal | ProposalRow]) -> None:
        ids = [r.id for r in rows if r.status == PENDING]
        if ids:
            repo.withdraw_proposals(ids, self.stamp)
            for r in rows:
                if r.id in ids:
                    r.status = WITHDRAWN
            self.result.withdrawn += len(ids)

    def flush(self) -> None:
        if not self.inserts:
            return
        repo.insert_proposals(self.inserts)
        if self.source_id is not None:  # their ids, for auto-accept
            fresh = repo.proposals_by_key({k for k, _ in self.new_keys})
            wanted = set(self.new_keys)
            self.touched += [r.id for rows in fresh.values() for r in rows
                             if (r.source_key, r.match_key) in wanted and r.status == PENDING]


def _kind(value: str) -> str:
    try:
        return parse_kind(value).value
    except InvalidInput:
        return "meeting"


def _minutes(value: int | None) -> int | None:
    if value is None or value < 0:
        return None
    return min(int(value), MAX_MINUTES)


# ------------------------------------------------------------------ reading the inbox


def list_proposals(status: str | None = PENDING, contact_id: int | None = None) -> list[Proposal]:
    """The user's proposals, newest first (``status`` None: all of them)."""
    if status is not None and status not in {s.value for s in ProposalStatus}:
        raise InvalidInput(f"unknown status {status!r}: use pending, accepted, rejected "
                           "or withdrawn")
    return repo.proposals(repo.proposal_rows(status, contact_id))


def get_proposal(proposal_id: int) -> Proposal:
    row = repo.proposal_row(proposal_id)
    if row is None:
        raise NotFound(f"no captured touchpoint with id {proposal_id}")
    return repo.proposals([row])[0]


def pending_count() -> int:
    return repo.count_pending()


def proposal_as_dict(p: Proposal) -> dict:
    """The documented JSON shape of a proposal (``capture list --json``)."""
    return {"id": p.id, "status": p.status, "person": p.contact_name,
            "contact_id": p.contact_id, "new_person": p.is_candidate,
            "email": p.candidate_email, "kind": p.kind, "at": p.at.isoformat(),
            "minutes": p.minutes, "note": p.note, "source": p.source_label,
            "source_id": p.source_id, "source_key": p.source_key,
            "touchpoint_id": p.touchpoint_id}


# ------------------------------------------------------------------ review


@dataclass
class Accepted:
    """What one accept did, enough to undo it exactly and to replay it with the same ids."""

    proposal_ids: list[int]
    touchpoint_ids: list[int]
    contact_ids: list[int]  # everyone who got a touchpoint
    created_contact_ids: list[int]  # new people made from candidates
    before: list[dict] = field(default_factory=list)  # the proposal rows as they were
    after: list[dict] = field(default_factory=list)  # and as the accept left them
    touchpoints: list[dict] = field(default_factory=list)  # filled by undo_accept
    contacts: list[dict] = field(default_factory=list)  # filled by undo_accept


def accept(store: Backend, proposal_ids: Iterable[int],
           edits: dict[int, dict] | None = None) -> Accepted:
    """Make each pending proposal an ordinary touchpoint, in one transaction; ``edits``:
    per proposal, the kind/at/minutes/note to use instead of the captured ones. A
    candidate becomes a new, unplaced person first (or the person who has that address
    by now), and the other proposals for that address become theirs."""
    ids = list(dict.fromkeys(proposal_ids))
    edits = edits or {}
    if not ids:
        raise InvalidInput("say which captured touchpoints to accept")
    stamp = now()
    done = Accepted([], [], [], [])
    with store.write():
        rows = {r.id: r for r in repo.proposal_rows(None, ids=ids)}
        for pid in ids:
            row = rows.get(pid)
            if row is None:
                raise NotFound(f"no captured touchpoint with id {pid}")
            if row.status != PENDING:
                raise _reviewed(pid, row.status)
        snapshot: dict[int, dict] = {}
        for pid in ids:
            row = repo.proposal_row(pid)  # fresh: an earlier candidate may have claimed it
            assert row is not None  # found above, in this transaction
            if row.status != PENDING:
                continue
            _remember(snapshot, row)
            contact_id = row.contact_id
            if contact_id is None:
                contact_id = _person_for(row, stamp, done, snapshot)
            values = _edited(row, edits.get(pid, {}))
            tp = touchpoints_repo.add_touchpoint(
                contact_id, values["kind"], values["at"], values["minutes"], values["note"],
                who(), stamp, source=shared_key(row.source_key))
            repo.update_proposal(pid, {"status": ACCEPTED, "touchpoint": tp.id,
                                       "contact": contact_id, "updated_at": stamp, **values})
            done.proposal_ids.append(pid)
            done.touchpoint_ids.append(tp.id)
            done.contact_ids.append(contact_id)
        done.before = list(snapshot.values())
        done.after = repo.proposals_data(list(snapshot))
    return done


def _reviewed(proposal_id: int, status: str) -> ConflictError:
    """A proposal reviewed already — most often meanwhile, by another program (the command
    line while the window shows it): a conflict, so the window re-reads at once."""
    return ConflictError(f"captured touchpoint {proposal_id} is {status}, not pending")


def _remember(snapshot: dict[int, dict], row: ProposalRow) -> None:
    if row.id not in snapshot:
        snapshot[row.id] = repo.row_data(row)


def _edited(row: ProposalRow, edit: dict) -> dict:
    kind = parse_kind(edit.get("kind") or row.kind).value
    at = edit.get("at") or row.at
    if at.tzinfo is None:
        raise InvalidInput("say which time zone the time is in")
    minutes = edit.get("minutes", row.minutes)
    if minutes is not None and (not isinstance(minutes, int) or not 0 <= minutes <= MAX_MINUTES):
        raise InvalidInput(f"minutes must be 0 to {MAX_MINUTES}, not {minutes}")
    note = clean_note(edit.get("note", row.note))
    return {"kind": kind, "at": at.astimezone(UTC), "minutes": minutes, "note": note}


def _person_for(row: ProposalRow, stamp: datetime, done: Accepted,
                snapshot: dict[int, dict]) -> int:
    """The person a candidate proposal is about: whoever has its address by now, else a
    new unplaced person. Every other proposal for the address becomes theirs."""
    folded = fold_address(row.candidate_email)
    index = address_index(repo.people_addresses())
    contact_id = index.get(folded)
    if contact_id is None:
        email = row.candidate_email.strip()
        try:
            data = clean_fields({"name": candidate_name(Match(row.match_key, None,
                                                              row.candidate_name, email)),
                                 "email": email})
        except InvalidInput:
            data = clean_fields({"name": candidate_name(Match(row.match_key, None,
                                                              row.candidate_name, email))})
            data["handles"] = {"email-2": email[:254]}
        contact_id = contacts_repo.insert_contact(data, stamp)
        done.created_contact_ids.append(contact_id)
    others = repo.open_proposals_for(row.match_key)
    taken = repo.keys_proposed_for(f"contact:{contact_id}", [o.source_key for o in others])
    for other in others:
        _remember(snapshot, other)
        if other.source_key in taken and other.id != row.id:
            repo.update_proposal(other.id, {"status": WITHDRAWN, "updated_at": stamp})
            continue  # that event already has a proposal for this person
        repo.update_proposal(other.id, {"contact": contact_id, "match_key": f"contact:{contact_id}",
                                        "updated_at": stamp})
    return contact_id


def undo_accept(store: Backend, done: Accepted) -> Accepted:
    """The exact inverse of :func:`accept`: the touchpoints go, the proposals are pending
    again as they were, and people made from candidates are removed for good. Keeps what
    :func:`redo_accept` puts back (same ids)."""
    with store.write():
        done.touchpoints, done.contacts = repo.rows_of_accept(done.touchpoint_ids,
                                                              done.created_contact_ids)
        _put_proposals(done.before)
        repo.delete_touchpoints(done.touchpoint_ids)
        for contact_id in done.created_contact_ids:
            contacts_repo.hard_delete(contact_id)
    return done


def redo_accept(store: Backend, done: Accepted) -> Accepted:
    """Put back what :func:`undo_accept` took away, with the same ids."""
    with store.write():
        repo.put_back_accept(done.touchpoints, done.contacts)
        _put_proposals(done.after)
    return done


def _put_proposals(rows: list[dict]) -> None:
    for data in rows:
        values = {k: v for k, v in data.items() if k != "id"}
        repo.update_proposal(data["id"], values)


def reject(store: Backend, proposal_ids: Iterable[int]) -> list[int]:
    """Mark pending proposals rejected (remembered: a re-sync does not bring them back).
    Returns the ids rejected; :func:`unreject` is the inverse."""
    ids = list(dict.fromkeys(proposal_ids))
    if not ids:
        raise InvalidInput("say which captured touchpoints to reject")
    with store.write():
        rows = {r.id: r for r in repo.proposal_rows(None, ids=ids)}
        for pid in ids:
            if pid not in rows:
                raise NotFound(f"no captured touchpoint with id {pid}")
            if rows[pid].status != PENDING:
                raise _reviewed(pid, rows[pid].status)
        repo.set_status(ids, REJECTED, now())
    return ids


def unreject(store: Backend, proposal_ids: Iterable[int]) -> None:
    with store.write():
        repo.set_status(list(proposal_ids), PENDING, now(), only=REJECTED)


#: kind → ``sync(store, source, progress) -> BatchResult``: how ``capture sync`` reads each kind
#: of source. The ics reader registers itself; CalDAV and IMAP register theirs the same way.
SYNCERS: dict[str, Callable[..., BatchResult]] = {}


#: where each kind's syncer lives (imported when a source of that kind is first synced)
_SYNC_MODULES = {"ics": "planner.services.capture_ics", "caldav": "planner.services.capture_sync",
                 "imap": "planner.services.capture_sync"}


def register_syncer(kind: str, sync: Callable[..., BatchResult]) -> None:
    SYNCERS[SourceKind(kind).value] = sync


def sync_source(store: Backend, source_id: int, progress: Callable[[int, int], None] | None = None,
                **options) -> BatchResult:
    """Read one registered source again (whatever its kind) and apply what it holds."""
    source = get_source(source_id)
    if source.kind not in SYNCERS and source.kind in _SYNC_MODULES:
        import importlib

        importlib.import_module(_SYNC_MODULES[source.kind])  # registers itself
    sync = SYNCERS.get(source.kind)
    if sync is None:
        raise InvalidInput(f"this version cannot read {source.kind} sources yet")
    return sync(store, source, progress=progress, **options)
