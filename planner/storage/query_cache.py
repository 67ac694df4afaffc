"""The SQL of a few hot query shapes, built once and run again with other ids.

Peewee builds a query's SQL anew on every call. Reading one person (their row, their
placement, their last touch: three queries) took 1.9 ms, most of it building the SQL,
and it is read after every touch, edit and move. A shape (the caller's key, how many ids,
the database's kind and who is connected) is built once with stand-in ids, none a real
id, and later calls put their ids where those stand in. Only the ids may vary between
calls of one key; anything else that changes the query belongs in the key.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from planner.storage.models import db_proxy

#: more ids than this are built afresh (their SQL is rarely the same twice)
MAX_IDS = 16
_STAND_IN = -7_000_000_000  # ids are positive: these are no one's
_kept: dict[tuple, tuple[str, tuple, tuple[tuple[int, int], ...]] | None] = {}


def execute(key: Hashable, build: Callable[[list[int]], Any], ids: list[int]):
    """The cursor of ``build(ids)`` (a peewee query; ``ids`` row ids), from kept SQL when
    it can be."""
    db = db_proxy.obj
    if db is None or len(ids) > MAX_IDS:
        return db_proxy.execute(build(ids))
    shape = (key, len(ids), type(db), db.param)
    kept = _kept.get(shape)
    if shape not in _kept:
        stand_ins = [_STAND_IN - n for n in range(len(ids))]
        sql, params = build(stand_ins).sql()
        slots = tuple((i, stand_ins.index(p)) for i, p in enumerate(params)
                      if type(p) is int and p in stand_ins)
        # each id exactly where it stands in, and nothing else like one: else not kept
        fits = sorted(n for _i, n in slots) == list(range(len(ids)))
        kept = _kept[shape] = (sql, tuple(params), slots) if fits else None
    if kept is None:
        return db_proxy.execute(build(ids))
    sql, params, slots = kept
    values = list(params)
    for i, n in slots:
        values[i] = int(ids[n])  # (as peewee's integer fields would give it)
    return db.execute_sql(sql, values)


def forget() -> None:
    """Drop every kept shape (a test that changes what a shape builds)."""
    _kept.clear()
