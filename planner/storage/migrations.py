"""Schema versions and the runner that upgrades a database, backing it up first.

Each step is a function of the database; steps run in order inside one
transaction, so a failed upgrade leaves the file as it was (SQLite and
PostgreSQL both have transactional DDL).
"""

from __future__ import annotations

from collections.abc import Callable

from peewee import Database, PostgresqlDatabase

from planner.storage import models as m

APP_MARKER = "mentorship-planner"
SQLITE_APPLICATION_ID = 0x4D50504C  # "MPPL", so `file` and we can tell our files apart


def _v1(db: Database) -> None:
    db.create_tables(m.ALL_MODELS_V1)


def _v2(db: Database) -> None:
    """Full-text search over notes and touchpoint notes."""
    from planner.storage.search_index import create_search_index

    create_search_index(db)


def _v3(db: Database) -> None:
    """The advocacy ledger: stage history, wins, asks and gives."""
    db.create_tables(m.ADVOCACY_MODELS_V3)


def _v4(db: Database) -> None:
    """Per-user cadences (cadence_override); on a team database the users already
    granted the planner's tables are granted it too."""
    db.create_tables(m.CADENCE_MODELS_V4)
    if isinstance(db, PostgresqlDatabase):
        _grant_like_contact(db, m.CadenceOverrideRow._meta.table_name)


def _grant_like_contact(db: PostgresqlDatabase, table: str) -> None:
    """Give every role holding rights on ``contact`` (not its owner) what ``db add-user``
    grants on ``table``: read and write, and its id sequence."""
    roles = db.execute_sql(
        "SELECT DISTINCT a.grantee::regrole::text FROM pg_class c, aclexplode(c.relacl) a "
        "WHERE c.oid = 'contact'::regclass AND a.grantee <> 0 AND a.grantee <> c.relowner"
    ).fetchall()
    sequence = db.execute_sql("SELECT pg_get_serial_sequence(%s, 'id')", (table,)).fetchone()[0]
    for (role,) in roles:  # regrole text is already a quoted identifier
        db.execute_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {role}")
        if sequence:
            db.execute_sql(f"GRANT USAGE ON SEQUENCE {sequence} TO {role}")


def _v5(db: Database) -> None:
    """Contact photos (contact_photo: one small thumbnail per person); on a team database
    granted like ``contact``."""
    db.create_tables(m.PHOTO_MODELS_V5)
    if isinstance(db, PostgresqlDatabase):
        _grant_like_contact(db, m.ContactPhotoRow._meta.table_name)


def _v6(db: Database) -> None:
    """Snoozes (snooze: a person out of the focus list until a day), private to their
    owner on a team database like placements; granted like ``contact``."""
    db.create_tables(m.SNOOZE_MODELS_V6)
    if isinstance(db, PostgresqlDatabase):
        _grant_like_contact(db, m.SnoozeRow._meta.table_name)


def _v7(db: Database) -> None:
    """Captured touchpoints (issue 24): ``touchpoint.source`` (the capture key a touchpoint
    was accepted from, "" when logged by hand), the capture sources and the proposals
    waiting for review — both private to their owner on a team database (like snooze);
    granted like ``contact``."""
    db.execute_sql("ALTER TABLE \"touchpoint\" ADD COLUMN \"source\" TEXT NOT NULL DEFAULT ''")
    db.create_tables(m.CAPTURE_MODELS_V7)
    if isinstance(db, PostgresqlDatabase):
        for model in m.CAPTURE_MODELS_V7:
            _grant_like_contact(db, model._meta.table_name)


def _v8(db: Database) -> None:
    """The people list's order (issue 23): the living people by name, case ignored, then
    id, so that the window reads the list a page at a time in that order instead of
    loading everyone (``contacts_repo.people_ids``). SQLite's NOCASE folds ASCII letters
    only, as ``lower()`` does on both; on a team database the expression is ``lower(name)``."""
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('CREATE INDEX "contact_name_order" ON "contact" (lower("name"), "id") '
                       'WHERE "deleted_at" IS NULL')
    else:
        db.execute_sql('CREATE INDEX "contact_name_order" ON "contact" '
                       '("name" COLLATE NOCASE, "id") WHERE "deleted_at" IS NULL')


def _v9(db: Database) -> None:
    """A user's own settings (``own_setting``): private to their owner on a team
    database, granted like ``contact``. The own addresses for capture move there from the
    shared ``setting`` (where teammates could read and change them), each user's as
    theirs; a value that is not such a map is dropped (it was read as empty)."""
    import json

    from planner.storage.settings_repo import OWN_ADDRESSES_KEY

    db.create_tables(m.OWN_SETTING_MODELS_V9)
    table = m.OwnSettingRow._meta.table_name
    if isinstance(db, PostgresqlDatabase):
        _grant_like_contact(db, table)
    p = db.param  # ? or %s
    row = db.execute_sql(f'SELECT "value" FROM "setting" WHERE "key" = {p}',
                         (OWN_ADDRESSES_KEY,)).fetchone()
    if row is None:
        return
    try:
        found = json.loads(row[0])
    except (ValueError, TypeError, RecursionError):
        found = None
    for user, addresses in (found.items() if isinstance(found, dict) else ()):
        if isinstance(user, str) and isinstance(addresses, list) and all(
                isinstance(a, str) and "@" in a for a in addresses):
            db.execute_sql(f'INSERT INTO "{table}" ("owner", "key", "value") '
                           f"VALUES ({p}, {p}, {p})",
                           (user, OWN_ADDRESSES_KEY, json.dumps(addresses)))
    db.execute_sql(f'DELETE FROM "setting" WHERE "key" = {p}', (OWN_ADDRESSES_KEY,))


def stored_table(db: Database, table: str) -> str:
    """The quoted name a step's DDL (ALTER TABLE, CREATE INDEX) gives ``table``. On a
    team database a private table (``postgres.privacy.PRIVATE_TABLES``) lives in the private
    schema once a team setup of schema 3 has run, and its name in the planner's schema
    is a view over it; everywhere else the name is the table's. Data changes to a private
    table go there too (through the view a step sees only its own rows). The team setup
    that follows the steps remakes the views with the tables' new columns; a step that
    drops or renames a column of a private table first drops its view (``DROP VIEW``)."""
    if isinstance(db, PostgresqlDatabase):
        from planner.storage.postgres.privacy import PRIVATE_SCHEMA, private_table

        if private_table(table) and db.execute_sql(
                "SELECT pg_catalog.to_regclass(%s) IS NOT NULL",
                (f'{PRIVATE_SCHEMA}."{table}"',)).fetchone()[0]:
            return f'{PRIVATE_SCHEMA}."{table}"'
    return f'"{table}"'


#: version → step that brings a database from version-1 to version.
STEPS: dict[int, Callable[[Database], None]] = {1: _v1, 2: _v2, 3: _v3, 4: _v4, 5: _v5,
                                                  6: _v6, 7: _v7, 8: _v8, 9: _v9}
LATEST = max(STEPS)


def read_version(db: Database) -> int:
    if not db.table_exists(m.PlannerMeta._meta.table_name):
        return 0
    row = m.PlannerMeta.get_or_none(m.PlannerMeta.key == "schema_version")
    return int(row.value) if row else 0


def _write_version(version: int) -> None:
    _put_meta("schema_version", str(version))


def _put_meta(key: str, value: str) -> None:
    (
        m.PlannerMeta.insert(key=key, value=value)
        .on_conflict(conflict_target=[m.PlannerMeta.key], update={m.PlannerMeta.value: value})
        .execute()
    )


def migrate(db: Database, current: int, backup: Callable[[int], None] | None = None) -> int:
    """Bring ``db`` from ``current`` to LATEST; call ``backup(current)`` first if it has data."""
    if current >= LATEST:
        return current
    if current > 0 and backup is not None:
        backup(current)
    with db.atomic():
        for version in range(current + 1, LATEST + 1):
            STEPS[version](db)
            if version == 1:
                _put_meta("app", APP_MARKER)
            _write_version(version)
    return LATEST
