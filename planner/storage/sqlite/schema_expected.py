"""What ``sqlite_master`` holds at each schema version: built by running the project's
own migration steps in a scratch in-memory database, once per process (per set of steps).

A fresh database is made by these same steps (from version 0) and an older one is
brought up by the rest of them, so every file the app makes at version N has exactly
the entries of this build at N (tests/unit/test_schema_check.py checks it against real
files of every version).

The steps run on the scratch database without rebinding the models (which the open
database, maybe in use by other threads, is bound to): ``create_tables`` is answered
with peewee's own schema manager pointed at the scratch database, and every other step
uses only the ``db`` it is given — a step must never reach the database through a
model (tests/unit/test_schema_check.py runs the build with no database bound to prove it).
"""

from __future__ import annotations

import threading

import peewee
from peewee import SqliteDatabase

from planner.storage import migrations

Entries = dict[tuple[str, str], tuple[str, str | None]]  # (type, name) → (tbl_name, sql)

_lock = threading.Lock()
_built: dict[tuple, Entries] = {}


class _Scratch(SqliteDatabase):
    """An in-memory database whose ``create_tables`` never goes through the models' binding."""

    def create_tables(self, models, **options):
        safe = options.pop("safe", True)
        sort_models = peewee.sort_models  # type: ignore[attr-defined]  # not in peewee's stubs
        for model in sort_models(models):
            schema = model._schema
            type(schema)(model, database=self, **schema.context_options).create_all(
                safe, **options)


def expected_entries(version: int) -> Entries:
    """The (type, name) → (tbl_name, sql) of a database at ``version`` (0: an empty file)."""
    if version <= 0:
        return {}
    steps = tuple(migrations.STEPS[v] for v in range(1, version + 1))
    with _lock:
        if steps not in _built:
            _build(steps)
        return _built[steps]


def _build(steps: tuple) -> None:
    scratch = _Scratch(":memory:")
    try:
        with scratch.atomic():
            for done, step in enumerate(steps, start=1):
                step(scratch)
                rows = scratch.execute_sql(
                    "SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
                _built[steps[:done]] = {(r[0], r[1]): (r[2], r[3]) for r in rows}
    finally:
        scratch.close()
