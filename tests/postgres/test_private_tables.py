"""The private-table mechanism of a team database (issue 18) as later schema versions
use it: a migration step altering a private table through ``migrations.stored_table``,
the team setup that follows remaking the views, and an admin who may not create the
private schema."""

from __future__ import annotations

import logging

import psycopg2
import pytest

from planner.domain.errors import DatabaseProblem
from planner.storage import migrations
from planner.storage.postgres import connection, opening, privacy, team_setup
from tests.postgres.conftest import logged_in


def admin_run(pg, step) -> None:
    """``step(db)`` then the team setup, in one transaction under the migration lock, as
    ``migrate_locked`` runs a migration step."""
    db = connection.connect(pg.url())
    try:
        with db.atomic():
            step(db)
            team_setup.team_setup(db)
    finally:
        db.close()


def init(pg) -> None:
    from planner.storage.target import resolve_target

    opening.open_postgres(resolve_target(pg.url()), init=True).close()


def test_a_migration_adds_and_drops_a_column_of_a_private_table(fresh_pg):
    pg = fresh_pg
    init(pg)
    eve, ann = pg.planner_users("eve", "ann")
    cid = pg.sql("INSERT INTO contact (name, email, phones, handles, channels, tags, timezone, "
                 "birthday, organization, title, notes, stage, created_at, updated_at, version) "
                 "VALUES ('Ada', '', '[]', '{}', '[]', '[]', '', '', '', '', '', 'none', now(), "
                 "now(), 1) RETURNING id", user=ann)[0][0]

    def add_reason(db):
        table = migrations.stored_table(db, "snooze")
        assert table == f'{privacy.PRIVATE_SCHEMA}."snooze"'
        db.execute_sql(f"ALTER TABLE {table} ADD COLUMN reason text NOT NULL DEFAULT ''")
        db.execute_sql(f"CREATE INDEX snooze_reason ON {table} (owner, reason)")

    admin_run(pg, add_reason)
    for role, reason in ((ann, "holiday"), (eve, "busy")):
        assert pg.sql("INSERT INTO snooze (contact_id, owner, at, until, reason) VALUES "
                      "(%s, '', now(), now() + interval '1 day', %s) RETURNING owner, reason",
                      (cid, reason), user=role) == [(role, reason)]
    assert pg.sql("SELECT reason FROM snooze", user=eve) == [("busy",)]
    assert pg.sql("SELECT count(*) FROM snooze WHERE reason = 'holiday'", user=eve) == [(0,)]
    # the index is in the private schema, out of eve's reach
    assert pg.sql("SELECT schemaname FROM pg_indexes WHERE indexname = 'snooze_reason'") == [
        (privacy.PRIVATE_SCHEMA,)]

    def drop_reason(db):
        db.execute_sql("DROP VIEW snooze")  # a dropped column: the view goes first
        db.execute_sql(f"ALTER TABLE {migrations.stored_table(db, 'snooze')} DROP COLUMN reason")

    admin_run(pg, drop_reason)
    assert pg.sql("SELECT count(*) FROM snooze", user=eve) == [(1,)]
    with pytest.raises(psycopg2.errors.UndefinedColumn):
        pg.sql("SELECT reason FROM snooze", user=eve)
    # a shared table's name is its own; a file's too
    db = connection.connect(pg.url())
    try:
        assert migrations.stored_table(db, "touchpoint") == '"touchpoint"'
    finally:
        db.close()


def test_an_admin_who_may_not_create_the_private_schema_is_told_and_still_opens(fresh_pg,
                                                                                 caplog):
    pg = fresh_pg
    boss = pg.role("boss")
    pg.sql(f'CREATE ROLE "{boss}" LOGIN')
    pg.sql(f'GRANT CREATE ON SCHEMA public TO "{boss}"')
    from planner.storage.target import resolve_target

    with pytest.raises(DatabaseProblem, match="GRANT CREATE ON DATABASE"):
        opening.open_postgres(resolve_target(pg.url(boss)), init=True).close()
    assert pg.sql("SELECT count(*) FROM pg_tables WHERE tablename = 'contact'") == [(0,)]
    # made by an admin who could; then this one's own open of an outdated setup still works
    pg.sql(f'GRANT CREATE ON DATABASE "{pg.name}" TO "{boss}"')
    opening.open_postgres(resolve_target(pg.url(boss)), init=True).close()
    pg.sql(f'REVOKE CREATE ON DATABASE "{pg.name}" FROM "{boss}"')
    pg.sql(f"ALTER SCHEMA {privacy.PRIVATE_SCHEMA} RENAME TO gone_private")
    pg.sql("UPDATE planner_meta SET value = '2' WHERE key = 'team_schema'")
    with caplog.at_level(logging.WARNING), logged_in(pg, boss) as handle:
        assert handle.schema_version == migrations.LATEST
    assert "security setup stays out of date" in caplog.text
    assert "GRANT CREATE ON DATABASE" in caplog.text
