"""Each schema version's ``sqlite_master`` made exactly as ``migrations.migrate`` makes
it (the models bound to a scratch database, meta rows written): the reference the
app's own in-memory build (planner/storage/sqlite/schema_expected.py) is compared with."""

from __future__ import annotations

from planner.storage import migrations

Entry = tuple[str, str, str, str | None]  # type, name, tbl_name, sql


def build_versions() -> dict[int, set[Entry]]:
    """sqlite_master after each version's step. Rebinds the models for the duration:
    for tests only, never while the app runs."""
    from peewee import SqliteDatabase

    from planner.storage.models import db_proxy

    previous = db_proxy.obj
    scratch = SqliteDatabase(":memory:")
    db_proxy.initialize(scratch)
    versions: dict[int, set[Entry]] = {}
    try:
        with scratch.atomic():
            for version in range(1, migrations.LATEST + 1):
                migrations.STEPS[version](scratch)
                if version == 1:
                    migrations._put_meta("app", migrations.APP_MARKER)
                migrations._write_version(version)
                rows = scratch.execute_sql(
                    "SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
                versions[version] = {tuple(r) for r in rows}
    finally:
        scratch.close()
        db_proxy.initialize(previous)
    return versions
