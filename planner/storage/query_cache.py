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

from peewee import SqliteDatabase

from planner.storage.models import db_proxy

#: more ids than this are built afresh (their SQL is rarely the same twice)
MAX_IDS = 16
_STAND_IN = -7_000_000_000  # ids are positive: these are no one's
_kept: dict[tuple, Any] = {}  # shape → what to run again (None: built afresh each time)


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


def insert_one(model, values: dict[str, Any]) -> int:
    """INSERT one row of ``model`` (``values``: field name → value, as ``create`` takes
    them); the new row's id. In a file the SQL of each set of field names is built once
    (peewee took 175 µs of a 210 µs insert building it) and each value converted by its
    field as peewee would; the first build is checked against peewee's own parameters,
    and a shape that differs is never kept. A team database's insert is peewee's."""
    db = db_proxy.obj
    if not isinstance(db, SqliteDatabase):
        return model.insert(**values).execute()  # (RETURNING the id)
    shape = ("insert", model, tuple(values), type(db))
    kept = _kept.get(shape)
    if shape not in _kept:
        sql, params = model.insert(**values).sql()
        kept = _insert_shape(model, sql, values, params)
        _kept[shape] = kept
        if kept is None:
            return db.execute_sql(sql, params).lastrowid
    if kept is None:
        return model.insert(**values).execute()
    sql, fields = kept
    return db.execute_sql(sql, [_db_value(field, values) for field in fields]).lastrowid


def _insert_shape(model, sql: str, values: dict, params: list):
    """(sql, the fields in the order of its parameters), or None if that order cannot
    be read off the SQL or gives other parameters than peewee's."""
    opening = sql.find("(")
    closing = sql.find(")", opening)
    if not sql.startswith("INSERT INTO ") or opening < 0 or closing < 0:
        return None
    names = [n.strip().strip('"') for n in sql[opening + 1:closing].split(",")]
    columns = model._meta.columns
    if any(name not in columns for name in names) or len(names) != len(params):
        return None
    fields = tuple(columns[name] for name in names)
    if [_db_value(field, values) for field in fields] != list(params):
        return None
    return sql, fields


def _db_value(field, values: dict) -> Any:
    if field.name in values:
        return field.db_value(values[field.name])
    default = field.default
    return field.db_value(default() if callable(default) else default)


def forget() -> None:
    """Drop every kept shape (a test that changes what a shape builds)."""
    _kept.clear()
