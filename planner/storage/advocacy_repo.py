"""Reading and writing the advocacy ledger (stage history, wins, asks, gives).

Returns domain objects; every aggregate is one query whatever the number of people.
No Qt, and nothing here opens a transaction: the services do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any, cast

from peewee import JOIN, fn

from planner.domain.advocacy import (
    Ask,
    AskStatus,
    AskType,
    Give,
    GiveType,
    Stage,
    StageChange,
    Win,
    stored_stage,
)
from planner.domain.stored import member
from planner.storage.contacts_repo import OWNER, own_touches, who
from planner.storage.fields import to_utc
from planner.storage.models import (
    AskRow,
    ContactRow,
    GiveRow,
    PlacementRow,
    StageChangeRow,
    TouchpointRow,
    WinRow,
)

# the ledger's settings keys, kept in settings_repo (reading settings needs none of this)
from planner.storage.settings_repo import FATIGUE_LIMIT_KEY as FATIGUE_LIMIT_KEY
from planner.storage.settings_repo import TARGET_SHARE_KEY as TARGET_SHARE_KEY
from planner.storage.settings_repo import TIME_SHARE_KEY as TIME_SHARE_KEY

#: The tables the ledger's services name a row by (their SQL names)
WIN, ASK, GIVE, CONTACT = "win", "ask", "give", "contact"
TOUCHPOINT, STAGE_CHANGE = "touchpoint", "stage_change"
_MODELS: dict[str, Any] = {WIN: WinRow, ASK: AskRow, GIVE: GiveRow, CONTACT: ContactRow,
                           TOUCHPOINT: TouchpointRow, STAGE_CHANGE: StageChangeRow}

# ------------------------------------------------------------------ rows → domain


def _win(row: WinRow, contact: str = "") -> Win:
    cid, by = row.contact_id, row.celebrated_by_id  # type: ignore[attr-defined]  # peewee FK ids
    return Win(row.id, cid, row.text, row.at, row.link, row.note, by, contact, row.version)


def _ask(row: AskRow, thanked_by: int | None = None, contact: str = "") -> Ask:
    cid = row.contact_id  # type: ignore[attr-defined]  # peewee's FK id
    return Ask(row.id, cid, member(AskType, row.type, AskType.OTHER, "ask type"),
               member(AskStatus, row.status, AskStatus.PLANNED, "ask status"), row.at,
               row.closed_at, row.note, thanked_by, contact, row.version)


def _give(row: GiveRow, contact: str = "") -> Give:
    cid, ask = row.contact_id, row.for_ask_id  # type: ignore[attr-defined]  # peewee FK ids
    return Give(row.id, cid, member(GiveType, row.type, GiveType.OTHER, "give type"), row.at,
                row.note, ask, contact, row.version)


def _change(row: StageChangeRow) -> StageChange:
    cid = row.contact_id  # type: ignore[attr-defined]  # peewee's FK id
    return StageChange(row.id, cid, stored_stage(row.from_stage), stored_stage(row.to_stage),
                       row.at)


def _at(stored: object) -> datetime:
    """A NOT NULL time column's value as aware UTC (``to_utc`` gives None only for no value)."""
    return cast(datetime, to_utc(stored))


def row_data(row) -> dict:
    """The full row as stored (field name → value), for an exact undo."""
    return row.__data__.copy()


# ------------------------------------------------------------------ stage


def read_stage(contact_id: int) -> Stage:
    return stored_stage(ContactRow.get_by_id(contact_id).stage)


def write_stage(contact_id: int, stage: Stage, at: datetime,
                expected_version: int | None = None) -> int:
    """One UPDATE (… AND version = ``expected_version`` when given); the rows it changed."""
    query = (ContactRow.update(stage=stage.value, updated_at=at, version=ContactRow.version + 1)
             .where(ContactRow.id == contact_id))
    if expected_version is not None:
        query = query.where(ContactRow.version == expected_version)
    return query.execute()


def record_stage_change(contact_id: int, from_stage: Stage, to_stage: Stage,
                        at: datetime) -> dict:
    row = StageChangeRow.create(contact=contact_id, from_stage=from_stage.value,
                                to_stage=to_stage.value, at=at)
    return row_data(row)


def stage_history(contact_id: int) -> list[StageChange]:
    query = (StageChangeRow.select().where(StageChangeRow.contact == contact_id)
             .order_by(StageChangeRow.at.desc(), StageChangeRow.id.desc()))
    return [_change(r) for r in query]


def stage_counts() -> dict[str, int]:
    """People (not in the trash) per stage, in one query."""
    query = (ContactRow.select(ContactRow.stage, fn.COUNT(ContactRow.id))
             .where(ContactRow.deleted_at.is_null()).group_by(ContactRow.stage))
    return dict(cast("Iterable[tuple[str, int]]", query.tuples()))  # rows as tuples


# ------------------------------------------------------------------ one person's ledger


def _thanks_by_ask(ask_ids: list[int] | None = None) -> dict[int, int]:
    """ask id → the (first) give that thanked it."""
    query = (GiveRow.select(GiveRow.for_ask, fn.MIN(GiveRow.id))
             .where(GiveRow.for_ask.is_null(False)).group_by(GiveRow.for_ask))
    if ask_ids is not None:
        query = query.where(GiveRow.for_ask.in_(ask_ids))
    return dict(cast("Iterable[tuple[int, int]]", query.tuples()))  # rows as tuples


def wins_for(contact_id: int) -> list[Win]:
    query = (WinRow.select().where(WinRow.contact == contact_id)
             .order_by(WinRow.at.desc(), WinRow.id.desc()))
    return [_win(r) for r in query]


def asks_for(contact_id: int) -> list[Ask]:
    rows = list(AskRow.select().where(AskRow.contact == contact_id)
                .order_by(AskRow.at.desc(), AskRow.id.desc()))
    thanks = _thanks_by_ask([r.id for r in rows])
    return [_ask(r, thanks.get(r.id)) for r in rows]


def gives_for(contact_id: int) -> list[Give]:
    query = (GiveRow.select().where(GiveRow.contact == contact_id)
             .order_by(GiveRow.at.desc(), GiveRow.id.desc()))
    return [_give(r) for r in query]


def ask_times(contact_id: int) -> list[datetime]:
    query = AskRow.select(AskRow.at).where(AskRow.contact == contact_id)
    return [_at(at) for (at,) in cast("Iterable[tuple[object]]", query.tuples())]  # tuples


# ------------------------------------------------------------------ single rows


def get_win(win_id: int) -> Win | None:
    row = WinRow.get_or_none(WinRow.id == win_id)
    return _win(row) if row else None


def get_ask(ask_id: int) -> Ask | None:
    row = AskRow.get_or_none(AskRow.id == ask_id)
    if row is None:
        return None
    return _ask(row, _thanks_by_ask([ask_id]).get(ask_id))


def get_give(give_id: int) -> Give | None:
    row = GiveRow.get_or_none(GiveRow.id == give_id)
    return _give(row) if row else None


def insert_win(**values) -> Win:
    return _win(WinRow.create(**values))


def insert_ask(**values) -> Ask:
    return _ask(AskRow.create(**values))


def insert_give(**values) -> Give:
    return _give(GiveRow.create(**values))


def update_row(table: str, row_id: int, expected_version: int | None = None, **values) -> int:
    """One UPDATE … WHERE id = ? [AND version = ?] bumping the version: the check and the
    write cannot be split by another writer. Returns the rows changed (0 or 1)."""
    model = _MODELS[table]
    query = model.update(version=model.version + 1, **values).where(model.id == row_id)
    if expected_version is not None:
        query = query.where(model.version == expected_version)
    return query.execute()


def get_row(table: str, row_id: int) -> dict | None:
    """The row of ``table`` as stored (field name → value: a foreign key by its name,
    holding the id), or None."""
    model = _MODELS[table]
    row = model.get_or_none(model.id == row_id)
    return None if row is None else row_data(row)


def delete_row(table: str, row_id: int, expected_version: int | None = None) -> dict | None:
    """Delete and return the full row; None if nothing was deleted (it was not there, or
    its version is no longer ``expected_version`` — checked in the DELETE itself)."""
    model = _MODELS[table]
    row = model.get_or_none(model.id == row_id)
    if row is None:
        return None
    data = row_data(row)
    query = model.delete().where(model.id == row_id)
    if expected_version is not None:
        query = query.where(model.version == expected_version)
    return data if query.execute() else None


def insert_rows(table: str, rows: list[dict]) -> None:
    """Put rows back with their ids (the data :func:`delete_row` gave)."""
    model = _MODELS[table]
    for data in rows:
        model.insert(**data).execute()


def restore_links(wins: dict[int, int | None], gives: dict[int, int | None]) -> None:
    """Put back ``celebrated_by`` of wins and ``for_ask`` of gives (SET NULL undone).

    Their versions stay: ON DELETE SET NULL did not bump them either, so this puts
    back exactly the rows that were there (and an undo further back still matches)."""
    for win_id, touchpoint_id in wins.items():
        WinRow.update(celebrated_by=touchpoint_id).where(WinRow.id == win_id).execute()
    for give_id, ask_id in gives.items():
        GiveRow.update(for_ask=ask_id).where(GiveRow.id == give_id).execute()


def wins_celebrated_by(touchpoint_id: int) -> list[int]:
    query = WinRow.select(WinRow.id).where(WinRow.celebrated_by == touchpoint_id)
    return [r for (r,) in cast("Iterable[tuple[int]]", query.tuples())]  # rows as tuples


def gives_for_ask(ask_id: int) -> list[int]:
    query = GiveRow.select(GiveRow.id).where(GiveRow.for_ask == ask_id)
    return [r for (r,) in cast("Iterable[tuple[int]]", query.tuples())]  # rows as tuples


def next_uncelebrated_win(contact_id: int, as_of: datetime) -> Win | None:
    """The win the focus list names: the latest one (up to ``as_of``) not yet celebrated."""
    row = (WinRow.select().where(WinRow.contact == contact_id, WinRow.celebrated_by.is_null(),
                                 WinRow.at <= as_of)
           .order_by(WinRow.at.desc(), WinRow.id.desc()).first())
    return _win(row) if row else None


def next_ask_awaiting_thanks(contact_id: int, as_of: datetime) -> Ask | None:
    """The done ask the focus list names: the latest one (up to ``as_of``) nobody thanked."""
    g = GiveRow.alias("g")
    thanked = g.select(g.id).where(g.for_ask == AskRow.id)
    row = (AskRow.select()
           .where(AskRow.contact == contact_id, AskRow.status == AskStatus.DONE.value,
                  fn.COALESCE(AskRow.closed_at, AskRow.at) <= as_of, ~fn.EXISTS(thanked))
           .order_by(fn.COALESCE(AskRow.closed_at, AskRow.at).desc(), AskRow.id.desc()).first())
    return _ask(row) if row else None


# ------------------------------------------------------------------ across everyone


def wins_waiting(as_of: datetime) -> list[Win]:
    """Every win up to ``as_of`` not celebrated by then (people in the trash left out),
    oldest first: a win celebrated later was still waiting at ``as_of``."""
    by = TouchpointRow.alias("by")
    query = (WinRow.select(WinRow, ContactRow.id, ContactRow.name, by.at.alias("by_at"))
             .join(ContactRow)
             .switch(WinRow).join(by, JOIN.LEFT_OUTER, on=(WinRow.celebrated_by == by.id))
             .where(WinRow.at <= as_of, ContactRow.deleted_at.is_null(),
                    WinRow.celebrated_by.is_null() | (by.at > as_of))
             .order_by(WinRow.at, WinRow.id))
    return [replace(_win(r, r.contact.name), celebrated_by=None) for r in query]


def asks_waiting_for_thanks(as_of: datetime) -> list[Ask]:
    """Every ask done by ``as_of`` that no give up to ``as_of`` thanked (people in the
    trash left out), oldest first."""
    g = GiveRow.alias("g")
    thanked = g.select(g.id).where(g.for_ask == AskRow.id, g.at <= as_of)
    closed = fn.COALESCE(AskRow.closed_at, AskRow.at)
    query = (AskRow.select(AskRow, ContactRow.id, ContactRow.name).join(ContactRow)
             .where(AskRow.status == AskStatus.DONE.value, closed <= as_of, ~fn.EXISTS(thanked),
                    ContactRow.deleted_at.is_null())
             .order_by(closed, AskRow.id))
    return [_ask(r, None, r.contact.name) for r in query]


def ask_times_by_contact(since: datetime) -> dict[int, list[datetime]]:
    """Asks dated after ``since`` per person (people in the trash left out), one query."""
    query = (AskRow.select(AskRow.contact, AskRow.at).join(ContactRow)
             .where(AskRow.at > since, ContactRow.deleted_at.is_null()))
    out: dict[int, list[datetime]] = {}
    for cid, at in cast("Iterable[tuple[int, object]]", query.tuples()):  # rows as tuples
        out.setdefault(cid, []).append(_at(at))
    return out


def ledger_totals(as_of: datetime) -> tuple[int, int]:
    """(gives, asks made) dated up to ``as_of``, people in the trash left out (as in every
    other figure: a removed person's ledger was still in the balance); two queries."""
    gives = (GiveRow.select().join(ContactRow)
             .where(GiveRow.at <= as_of, ContactRow.deleted_at.is_null()).count())
    asks = (AskRow.select().join(ContactRow)
            .where(AskRow.status != AskStatus.PLANNED.value, AskRow.at <= as_of,
                   ContactRow.deleted_at.is_null()).count())
    return gives, asks


def names(ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = ContactRow.select(ContactRow.id, ContactRow.name).where(ContactRow.id.in_(ids))
    return dict(cast("Iterable[tuple[int, str]]", query.tuples()))  # rows as tuples


def touches_since(since: datetime, owner: str = OWNER) -> list[tuple[datetime, str | None, int]]:
    """(at, ring now or None, minutes) of every touchpoint after ``since`` (one query); on a
    team database the connected user's own, as their cadence status counts (a teammate's
    coffee with someone on your rings was counted in your minutes against your split)."""
    query = (TouchpointRow
             .select(TouchpointRow.at, PlacementRow.ring, TouchpointRow.minutes)
             .join(ContactRow, on=(TouchpointRow.contact == ContactRow.id))
             .join(PlacementRow, JOIN.LEFT_OUTER,
                   on=((PlacementRow.contact == ContactRow.id)
                       & (PlacementRow.owner == who(owner))))
             .where(own_touches(TouchpointRow, (TouchpointRow.at > since)
                                & ContactRow.deleted_at.is_null())))
    rows = cast("Iterable[tuple[object, str | None, int | None]]", query.tuples())  # tuples
    return [(_at(at), ring, minutes or 0) for at, ring, minutes in rows]


def network_size() -> int:
    return ContactRow.select().where(ContactRow.deleted_at.is_null()).count()

