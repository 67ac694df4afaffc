"""The trash of a team database: who is in it, what goes with them, and emptying it
(an admin's: planner users move people to the trash, never delete them)."""

from __future__ import annotations

from peewee import PostgresqlDatabase

from planner.domain.errors import InvalidInput
from planner.storage.postgres.privacy import stored_table
from planner.storage.postgres.team_setup import can_administer, planner_schema

#: What a person's removal for good takes with it: (table, what it is, everyone's?)
_WITH_A_PERSON = (("placement", "ring placements"), ("ring_move", "ring moves"),
                  ("cadence_override", "cadences"), ("snooze", "snoozes"), ("note", "notes"),
                  ("touchpoint", "touchpoints"), ("stage_change", "stage changes"),
                  ("ask", "asks"), ("give", "gives"), ("win", "wins"),
                  ("capture_proposal", "captured touchpoints"))


def trash_contents(db: PostgresqlDatabase) -> tuple[list[str], dict[str, int]]:
    """The people in the trash and, of every user, the rows that go with them (an admin's
    view: the table owner or a superuser sees past row-level security here)."""
    schema = planner_schema(db)
    names = [r[0] for r in db.execute_sql(
        f"SELECT name FROM {schema}.contact WHERE deleted_at IS NOT NULL ORDER BY name")]
    counts = {}
    for table, what in _WITH_A_PERSON:
        counts[what] = db.execute_sql(
            f"SELECT count(*) FROM {stored_table(schema, table)} t JOIN {schema}.contact c "
            "ON c.id = t.contact_id WHERE c.deleted_at IS NOT NULL").fetchone()[0]
    return names, counts


def purge_trash(db: PostgresqlDatabase) -> int:
    """Delete the people in the trash for good, with every user's rows about them (an
    admin only: users have no DELETE on contact). Returns how many people."""
    if not can_administer(db):
        raise InvalidInput("only an admin (the tables' owner) can empty the trash of a team "
                           "database; people in it stay restorable")
    schema = planner_schema(db)
    with db.atomic():  # the cascade reaches the private tables as their owner's (not forced)
        gone = db.execute_sql(f"DELETE FROM {schema}.contact WHERE deleted_at IS NOT NULL"
                              ).rowcount
    return gone





def may_purge(db: PostgresqlDatabase, contact_id: int) -> bool:
    """Whether the connected role may remove this person for good now (the undo of an
    add): an admin (who may delete people and reads every private row anyway), and only
    if no one else keeps touchpoints or private rows about them. A planner user never
    may: the question "does a teammate keep private rows about this person?" is not
    theirs to ask (review 1), so their undo moves the person to the trash instead."""
    from planner.storage.postgres.privacy import PRIVATE_SCHEMA, PRIVATE_TABLES

    schema = planner_schema(db)
    allowed = db.execute_sql(
        f"SELECT pg_catalog.has_table_privilege('{schema}.contact', 'DELETE')").fetchone()[0]
    if not allowed:
        return False
    me = db.execute_sql("SELECT session_user::text").fetchone()[0]
    checks = [f"SELECT 1 FROM {schema}.touchpoint WHERE contact_id = %(cid)s "
              "AND author <> %(me)s"]
    checks += [f"SELECT 1 FROM {PRIVATE_SCHEMA}.{t.name} WHERE {t.contact} = %(cid)s "
               f"AND {t.column} <> %(me)s" for t in PRIVATE_TABLES if t.contact]
    found = db.execute_sql("SELECT " + " OR ".join(f"EXISTS ({c})" for c in checks),
                           {"cid": contact_id, "me": me}).fetchone()[0]
    return not found
