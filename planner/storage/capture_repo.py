"""Capture sources and proposals (issue 24): the queries, returning domain objects.

Every query is the connected user's own (``owner``): on a team database row-level
security keeps them private too. Callers hold the transaction. Proposals reach the
service as :class:`ProposalRow` (plain values), never as peewee model instances (issue 22).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from planner.domain.capture_match import Proposal, ProposalStatus, Source
from planner.storage.contacts_repo import who
from planner.storage.dump import bulk_insert, take_ids_from_sequence
from planner.storage.models import (
    CaptureProposalRow,
    CaptureSourceRow,
    ContactRow,
    TouchpointRow,
)

_EXTRA_EMAIL = re.compile(r"^email-\d+$")
#: keys per IN (...) list: well under every backend's limit of bound parameters
CHUNK = 500


# ------------------------------------------------------------------ people


def people_addresses() -> Iterator[tuple[int, list[str]]]:
    """(id, addresses) of everyone not in the trash: the primary e-mail, then the
    ``email-N`` handles in order (what an import gives a person with several)."""
    query = (ContactRow.select(ContactRow.id, ContactRow.email, ContactRow.handles)
             .where(ContactRow.deleted_at.is_null()).order_by(ContactRow.id).tuples())
    handles_field = ContactRow.handles
    rows = cast("Iterable[tuple[int, str, dict[str, str] | str]]", query)  # rows as tuples
    for contact_id, email, handles in rows:
        extra = handles_field.python_value(handles) if isinstance(handles, str) else handles
        addresses = [email] if email else []
        if extra:
            addresses += [v for k, v in sorted(extra.items(), key=_handle_order)
                          if _EXTRA_EMAIL.match(k) and v]
        yield contact_id, addresses


def _handle_order(item: tuple[str, str]) -> tuple[int, str]:
    key = item[0]
    return (int(key[6:]) if _EXTRA_EMAIL.match(key) else 0, key)


def contact_names(ids: Iterable[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    ids = list(set(ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        query = ContactRow.select(ContactRow.id, ContactRow.name).where(ContactRow.id.in_(chunk))
        out.update(cast("Iterable[tuple[int, str]]", query.tuples()))  # rows as tuples
    return out


# ------------------------------------------------------------------ sources


def _source(row: CaptureSourceRow) -> Source:
    return Source(row.id, row.kind, row.label, row.location, row.username,
                  dict(row.options or {}), dict(row.state or {}), row.last_sync_at,
                  row.created_at, row.owner)


def source(source_id: int) -> Source | None:
    """The user's source with this id (None: no such source of theirs)."""
    row = CaptureSourceRow.get_or_none(CaptureSourceRow.id == source_id,
                                       CaptureSourceRow.owner == who())
    return None if row is None else _source(row)


def sources() -> list[Source]:
    """The user's sources, oldest first."""
    return [_source(row) for row in CaptureSourceRow.select()
            .where(CaptureSourceRow.owner == who()).order_by(CaptureSourceRow.id)]


# ------------------------------------------------------------------ proposals


@dataclass(slots=True)
class ProposalRow:
    """One stored proposal as plain values (the table's columns; the foreign keys as
    ids). Not frozen: a sync notes on it what it just changed (status, match)."""

    id: int
    owner: str
    source_id: int | None
    source_key: str
    match_key: str
    contact_id: int | None
    candidate_name: str
    candidate_email: str
    kind: str
    at: datetime
    minutes: int | None
    note: str
    status: str
    touchpoint_id: int | None
    created_at: datetime
    updated_at: datetime


def _plain(row: CaptureProposalRow) -> ProposalRow:
    data = row.__data__  # the foreign keys' ids under the fields' names
    return ProposalRow(
        id=data["id"], owner=data["owner"], source_id=data["source"],
        source_key=data["source_key"], match_key=data["match_key"], contact_id=data["contact"],
        candidate_name=data["candidate_name"], candidate_email=data["candidate_email"],
        kind=data["kind"], at=data["at"], minutes=data["minutes"], note=data["note"],
        status=data["status"], touchpoint_id=data["touchpoint"],
        created_at=data["created_at"], updated_at=data["updated_at"])


@dataclass(slots=True)
class KnownProposal:
    """A stored proposal as a re-sync compares it: only the columns it reads (a re-sync
    reads thousands, and model instances cost ten times more). Not frozen, like
    :class:`ProposalRow`."""

    id: int
    source_key: str
    match_key: str
    status: str
    contact_id: int | None
    candidate_name: str
    kind: str
    at: datetime
    minutes: int | None
    note: str


def proposals_by_key(keys: Iterable[str]) -> dict[str, list[KnownProposal]]:
    """The user's proposals for these source keys (any status), by key."""
    p = CaptureProposalRow
    columns = (p.id, p.source_key, p.match_key, p.status, p.contact.alias("contact_id"),
               p.candidate_name, p.kind, p.at, p.minutes, p.note)
    out: dict[str, list[KnownProposal]] = {}
    keys = list(dict.fromkeys(keys))
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start:start + CHUNK]
        query = p.select(*columns).where(p.owner == who(), p.source_key.in_(chunk)).dicts()
        for row in cast("Iterable[dict[str, Any]]", query):  # rows as dicts
            out.setdefault(row["source_key"], []).append(KnownProposal(**row))
    return out


def pending_of_source(source_id: int, since: datetime | None = None,
                      until: datetime | None = None) -> list[ProposalRow]:
    p = CaptureProposalRow
    query = p.select().where(p.owner == who(), p.source == source_id,
                             p.status == ProposalStatus.PENDING)
    if since is not None:
        query = query.where(p.at >= since)
    if until is not None:
        query = query.where(p.at <= until)
    return [_plain(r) for r in query]


def captured_touchpoints(keys: Iterable[str]) -> set[tuple[str, int]]:
    """(source key, person) of touchpoints already accepted from these keys (they may
    outlive their proposal, e.g. in a restored backup). One query, whatever the number
    of keys (200,000 touchpoints are scanned in some 40 ms; IN lists of 500 keys would
    scan them once per 500)."""
    from planner.domain.capture import shared_key

    # a touchpoint keeps the key's digest (one accepted before session 14: the key itself)
    wanted = {form: key for key in keys for form in (key, shared_key(key))}
    query = (TouchpointRow.select(TouchpointRow.source, TouchpointRow.contact)
             .where(TouchpointRow.source != "").tuples())
    rows = cast("Iterable[tuple[str, int]]", query)  # rows as tuples
    return {(wanted[kept], contact) for kept, contact in rows if kept in wanted}


def proposal_row(proposal_id: int) -> ProposalRow | None:
    row = CaptureProposalRow.get_or_none(CaptureProposalRow.id == proposal_id,
                                         CaptureProposalRow.owner == who())
    return None if row is None else _plain(row)


def proposal_rows(status: str | None = ProposalStatus.PENDING, contact_id: int | None = None,
                  ids: Iterable[int] | None = None) -> list[ProposalRow]:
    p = CaptureProposalRow
    query = p.select().where(p.owner == who())
    if status is not None:
        query = query.where(p.status == status)
    if contact_id is not None:
        query = query.where(p.contact == contact_id)
    if ids is not None:
        query = query.where(p.id.in_(list(ids)))
    return [_plain(r) for r in query.order_by(p.at.desc(), p.id.desc())]


def count_pending() -> int:
    p = CaptureProposalRow
    return p.select().where(p.owner == who(), p.status == ProposalStatus.PENDING).count()


def proposal(row: ProposalRow, names: dict[int, str],
             labels: dict[int, str] | None = None) -> Proposal:
    contact_id, source_id = row.contact_id, row.source_id
    name = names.get(contact_id, "") if contact_id is not None else row.candidate_name
    label = (labels or {}).get(source_id, "") if source_id is not None else ""
    return Proposal(row.id, source_id, row.source_key, contact_id, name,
                    row.candidate_email, row.kind, row.at, row.minutes, row.note, row.status,
                    row.touchpoint_id, label)


def proposals(rows: list[ProposalRow]) -> list[Proposal]:
    names = contact_names(r.contact_id for r in rows if r.contact_id is not None)
    labels = {s.id: s.label for s in sources()}
    return [proposal(r, names, labels) for r in rows]


def insert_proposals(rows: list[dict]) -> None:
    """Insert new proposals (field name → value) with executemany: peewee's insert_many
    builds SQL per value, three quarters of a 10,000-event sync."""
    take_ids_from_sequence(CaptureProposalRow, rows)
    bulk_insert(CaptureProposalRow, rows)


def row_data(row: ProposalRow) -> dict:
    """A proposal as stored (field name → value, the foreign keys under their fields'
    names, in the table's order): what an undo puts back exactly."""
    return {"id": row.id, "owner": row.owner, "source": row.source_id,
            "source_key": row.source_key, "match_key": row.match_key,
            "contact": row.contact_id, "candidate_name": row.candidate_name,
            "candidate_email": row.candidate_email, "kind": row.kind, "at": row.at,
            "minutes": row.minutes, "note": row.note, "status": row.status,
            "touchpoint": row.touchpoint_id, "created_at": row.created_at,
            "updated_at": row.updated_at}


def proposals_data(ids: Iterable[int]) -> list[dict]:
    """The user's proposals with these ids as stored (:func:`row_data`), newest first."""
    return [row_data(r) for r in proposal_rows(None, ids=ids)]


def open_proposals_for(match_key: str) -> list[ProposalRow]:
    """The user's pending and withdrawn proposals for ``match_key`` (from any source)."""
    p = CaptureProposalRow
    return [_plain(r) for r in p.select().where(
        p.owner == who(), p.match_key == match_key,
        p.status.in_([ProposalStatus.PENDING.value, ProposalStatus.WITHDRAWN.value]))]


def keys_proposed_for(match_key: str, source_keys: Iterable[str]) -> set[str]:
    """Which of ``source_keys`` already have a proposal of the user's for ``match_key``."""
    p = CaptureProposalRow
    return {r.source_key for r in p.select(p.source_key).where(
        p.owner == who(), p.match_key == match_key, p.source_key.in_(list(source_keys) or [""]))}


def update_proposal(proposal_id: int, changes: dict) -> None:
    """Change some fields of one proposal (field name → value: ``contact``, ``status``…)."""
    p = CaptureProposalRow
    p.update(**changes).where(p.id == proposal_id).execute()


def withdraw_proposals(ids: list[int], stamp: datetime) -> None:
    """These proposals are withdrawn (cancelled or gone at the source) as of ``stamp``."""
    p = CaptureProposalRow
    p.update(status=ProposalStatus.WITHDRAWN.value, updated_at=stamp).where(p.id.in_(ids)).execute()


def set_status(ids: list[int], status: str, stamp: datetime, only: str | None = None) -> None:
    """The user's proposals with these ids get ``status`` (``only``: those whose status is
    ``only`` now), changed at ``stamp``."""
    p = CaptureProposalRow
    query = p.update(status=status, updated_at=stamp).where(p.owner == who(), p.id.in_(ids))
    if only is not None:
        query = query.where(p.status == only)
    query.execute()


# ------------------------------------------------------------------ writing sources


def add_source(kind: str, label: str, location: str, username: str, options: dict,
               stamp: datetime) -> int:
    """A new source of the user's, never synced yet; its id."""
    return CaptureSourceRow.create(owner=who(), kind=kind, label=label, location=location,
                                   username=username, options=options, state={},
                                   created_at=stamp).id


def set_source_options(source_id: int, options: dict) -> None:
    """Replace a source's options (the caller merged the old ones in)."""
    s = CaptureSourceRow
    s.update(options=options).where(s.id == source_id).execute()


def record_sync(source_id: int, stamp: datetime, state: dict | None = None) -> None:
    """A sync of the source finished at ``stamp``; ``state``: where the next one starts
    (None: keep the stored one)."""
    changes: dict = {"last_sync_at": stamp}
    if state is not None:
        changes["state"] = state
    s = CaptureSourceRow
    s.update(**changes).where(s.id == source_id).execute()


def delete_source(source_id: int) -> int:
    """Forget a source and its pending proposals (reviewed ones stay, their ``source``
    emptied by the foreign key); how many pending proposals went."""
    p = CaptureProposalRow
    dropped = p.delete().where(p.owner == who(), p.source == source_id,
                               p.status == ProposalStatus.PENDING.value).execute()
    CaptureSourceRow.delete().where(CaptureSourceRow.id == source_id).execute()
    return dropped


# ------------------------------------------------------------------ accepting, undone and redone


def rows_of_accept(touchpoint_ids: list[int], contact_ids: list[int]
                   ) -> tuple[list[dict], list[dict]]:
    """The touchpoints and the people an accept made, as stored (what a redo puts back)."""
    touchpoints = [r.__data__.copy() for r in TouchpointRow.select().where(
        TouchpointRow.id.in_(touchpoint_ids))]
    contacts = [r.__data__.copy() for r in ContactRow.select().where(
        ContactRow.id.in_(contact_ids))]
    return touchpoints, contacts


def delete_touchpoints(ids: list[int]) -> None:
    TouchpointRow.delete().where(TouchpointRow.id.in_(ids)).execute()


def put_back_accept(touchpoints: list[dict], contacts: list[dict]) -> None:
    """Insert again, with their ids, the people and touchpoints :func:`rows_of_accept` read."""
    from planner.storage.contacts_repo import put_back_contact

    for data in contacts:
        put_back_contact(data)  # (on a team database: out of the trash)
    if touchpoints:
        TouchpointRow.insert_many(touchpoints).execute()
