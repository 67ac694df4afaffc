"""Per-user cadences and "your" last touch on a team database (issue 11), with two
ordinary roles (alice, bob) so row-level security applies; the same services on a file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import psycopg2
import pytest

from planner.domain.cadence import Status
from planner.domain.errors import DatabaseProblem
from planner.domain.rings import Ring
from planner.services import contacts, touchpoints
from planner.services.focus import contact_status, focus_candidates, focus_list
from planner.services.placement import move_contact
from planner.services.settings import cadences
from planner.storage import contacts_repo, migrations
from planner.storage.database import open_database
from planner.storage.fields import to_utc
from planner.storage.postgres import connection, privacy, team_setup, users
from tests.helpers.cli import invoke
from tests.helpers.stores import bound
from tests.postgres.conftest import empty_tables
from tests.postgres.conftest import logged_in as as_user

NOW = datetime.now(UTC).replace(microsecond=0)


def overrides(pg) -> list[tuple]:
    return pg.sql("SELECT owner, contact_id, days FROM cadence_override ORDER BY owner")


# ------------------------------------------------------------------ cadences


def test_each_user_sets_and_sees_their_own_cadence(team):
    pg, alice, bob = team
    with as_user(pg, alice):
        ada = contacts.add_contact(bound(), "Ada", ring=Ring.MIDDLE, cadence_days=10)
        assert ada.cadence_days == 10
    with as_user(pg, bob):
        assert contacts.get_contact(ada.id).cadence_days is None  # alice's is not his
        assert contacts.edit_contact(bound(), ada.id, cadence_days=15).cadence_days == 15
        assert contacts.edit_contact(bound(), ada.id, cadence_days=20).cadence_days == 20  # upsert
        assert contacts.list_contacts()[0].cadence_days == 20
    with as_user(pg, alice):
        assert contacts.get_contact(ada.id).cadence_days == 10
    assert overrides(pg) == sorted([(alice, ada.id, 10), (bob, ada.id, 20)])
    # the shared row is not where a team member's cadence goes
    assert pg.sql("SELECT cadence_days, version FROM contact") == [(None, 1)]

    with as_user(pg, bob):
        assert contacts.edit_contact(bound(), ada.id, cadence_days=None).cadence_days is None
    assert overrides(pg) == [(alice, ada.id, 10)]  # clearing deletes bob's row only


def test_the_shared_cadence_is_the_default_and_can_be_cleared_for_oneself(team):
    pg, alice, bob = team
    with as_user(pg, alice):
        ada = contacts.add_contact(bound(), "Ada", ring=Ring.INNER)
    pg.sql("UPDATE contact SET cadence_days = 30")  # e.g. imported from a file's dump
    with as_user(pg, bob):
        move_contact(bound(), ada.id, Ring.INNER)
        assert contacts.get_contact(ada.id).cadence_days == 30
        assert contacts.edit_contact(bound(), ada.id, cadence_days=None).cadence_days is None
        (cand,) = focus_candidates(NOW)
        assert cand.cadence_days == 3  # the inner ring's, for bob
    with as_user(pg, alice):
        assert contacts.get_contact(ada.id).cadence_days == 30
        (cand,) = focus_candidates(NOW)
        assert cand.cadence_days == 30
    assert overrides(pg) == [(bob, ada.id, None)]


def test_a_teammates_cadence_is_out_of_reach_even_in_raw_sql(team):
    pg, alice, bob = team
    with as_user(pg, alice):
        ada = contacts.add_contact(bound(), "Ada", cadence_days=10)
    assert pg.sql("SELECT count(*) FROM cadence_override", user=bob) == [(0,)]
    assert pg.sql("UPDATE cadence_override SET days = 1 RETURNING id", user=bob) == []
    assert pg.sql("DELETE FROM cadence_override RETURNING id", user=bob) == []
    with pytest.raises(psycopg2.Error, match="row-level security"):
        pg.sql("INSERT INTO cadence_override (contact_id, owner, days) VALUES (%s, %s, 2)",
               (ada.id, alice), user=bob)
    # an empty owner is filled with the connected role
    pg.sql("INSERT INTO cadence_override (contact_id, owner, days) VALUES (%s, '', 5)",
           (ada.id,), user=bob)
    assert overrides(pg) == sorted([(alice, ada.id, 10), (bob, ada.id, 5)])
    # removing the person removes everyone's cadence for them
    pg.sql("DELETE FROM contact")
    assert overrides(pg) == []


def test_undoing_and_redoing_an_add_keeps_the_users_cadence(team):
    pg, alice, _ = team
    with as_user(pg, alice):
        before = contacts_repo.placement_snapshot()
        ada = contacts.add_contact(bound(), "Ada", ring=Ring.OUTER, cadence_days=12)
        rows = contacts_repo.dump_contact(ada.id)
        after = contacts_repo.placement_snapshot()
        contacts.purge_contact(bound(), ada.id, before)
        assert overrides(pg) == []
        contacts.unpurge_contact(bound(), rows, after)
        assert contacts.get_contact(ada.id).cadence_days == 12


def test_the_cli_sets_the_connected_users_cadence(team):
    pg, alice, bob = team
    added = invoke("--db", pg.url(alice), "contacts", "add", "Grace Hopper", "--ring", "inner")
    assert added.returncode == 0, added.stderr
    edited = invoke("--db", pg.url(alice), "contacts", "edit", "Grace Hopper", "--cadence", "5")
    assert edited.returncode == 0, edited.stderr
    mine = invoke("--db", pg.url(alice), "contacts", "show", "Grace Hopper", "--json")
    theirs = invoke("--db", pg.url(bob), "contacts", "show", "Grace Hopper", "--json")
    assert json.loads(mine.stdout)["cadence_days"] == 5
    assert json.loads(theirs.stdout)["cadence_days"] is None


# ------------------------------------------------------------------ last touches


def test_each_user_counts_their_own_touchpoints(team):
    pg, alice, bob = team
    with as_user(pg, alice):
        ada = contacts.add_contact(bound(), "Ada", ring=Ring.MIDDLE)  # 14 days
    with as_user(pg, bob):
        move_contact(bound(), ada.id, Ring.MIDDLE)  # on bob's rings too
        touchpoints.log_touchpoint(bound(), ada.id, "call", at=NOW - timedelta(days=30))
    with as_user(pg, alice):
        touchpoints.log_touchpoint(bound(), ada.id, "coffee", at=NOW - timedelta(days=1))
        mine = contacts.get_contact(ada.id)
        assert (mine.last_touch, mine.last_touch_kind) == (NOW - timedelta(days=1), "coffee")
        assert contact_status(mine, cadences(), NOW) is Status.ON_TRACK
        assert [i.name for i in focus_list(as_of=NOW).items] == []
    with as_user(pg, bob):
        his = contacts.get_contact(ada.id)
        assert (his.last_touch, his.last_touch_kind) == (NOW - timedelta(days=30), "call")
        assert contact_status(his, cadences(), NOW) is Status.OVERDUE
        (item,) = focus_list(as_of=NOW).items
        assert (item.name, item.status, item.last_touch_kind) == ("Ada", Status.OVERDUE, "call")
    assert pg.sql("SELECT author, kind FROM touchpoint ORDER BY at") == [
        (bob, "call"), (alice, "coffee")]


def test_team_last_touch_is_the_newest_by_anyone(team):
    pg, alice, bob = team
    with as_user(pg, alice):
        ada = contacts.add_contact(bound(), "Ada", ring=Ring.INNER)
        assert contacts.team_last_touch(ada.id) is None
        touchpoints.log_touchpoint(bound(), ada.id, "email", at=NOW - timedelta(days=20))
    with as_user(pg, bob):
        touchpoints.log_touchpoint(bound(), ada.id, "video", at=NOW - timedelta(hours=1))
        assert contacts.get_contact(ada.id).last_touch == NOW - timedelta(hours=1)
    with as_user(pg, alice):
        assert contacts.get_contact(ada.id).last_touch == NOW - timedelta(days=20)
        assert contacts_repo.last_touches([ada.id]) == {
            ada.id: (NOW - timedelta(days=20), "email")}
        assert contacts.team_last_touch(ada.id) == (NOW - timedelta(hours=1), "video", bob)


# ------------------------------------------------------------------ both engines


def test_cadence_and_last_touch_on_both_engines(backend):
    ada = contacts.add_contact(backend.backend, "Ada", ring=Ring.MIDDLE, cadence_days=9)
    assert contacts.get_contact(ada.id).cadence_days == 9
    assert contacts.edit_contact(backend.backend, ada.id, cadence_days=4).cadence_days == 4
    (cand,) = focus_candidates(NOW)
    assert cand.cadence_days == 4 and cand.last_touch is None
    touchpoints.log_touchpoint(backend.backend, ada.id, "im", at=NOW - timedelta(days=2))
    touchpoints.log_touchpoint(backend.backend, ada.id, "call", at=NOW - timedelta(days=1))
    me = contacts_repo.who()
    assert contacts.team_last_touch(ada.id) == (NOW - timedelta(days=1), "call", me)
    assert contacts.get_contact(ada.id).last_touch == NOW - timedelta(days=1)
    (cand,) = focus_candidates(NOW)
    assert (cand.last_touch, cand.last_touch_kind) == (NOW - timedelta(days=1), "call")
    assert contacts.edit_contact(backend.backend, ada.id, cadence_days=None).cadence_days is None
    shared = backend.db.execute_sql("SELECT cadence_days FROM contact").fetchall()
    stored = backend.db.execute_sql("SELECT count(*) FROM cadence_override").fetchone()[0]
    assert shared == [(None,)] and stored == 0
    if backend.target.kind == "sqlite":  # a file keeps the person's cadence on the contact
        contacts.edit_contact(backend.backend, ada.id, cadence_days=6)
        assert backend.db.execute_sql("SELECT cadence_days FROM contact").fetchall() == [(6,)]
        assert backend.db.execute_sql("SELECT count(*) FROM cadence_override").fetchone() == (0,)


# ------------------------------------------------------------------ upgrading


LATER_TABLES = ("cadence_override", "contact_photo", "snooze",  # tables v3 lacked
                "capture_source", "capture_proposal", "own_setting")
V3_TABLES = [t for t in team_setup.planner_tables() if t not in LATER_TABLES]


#: What the team setup gained later than schema 3's (team schema 6: the private tables'
#: foreign keys to shared ones replaced by the views' checks and delete triggers).
TEAM_SCHEMA_6 = ("planner_forget_", "contype = 'f'")


def build_v3(url: str, role: str) -> None:
    """A team database as schema 3 made it: steps 1–3, the team setup of that time, and
    a user granted the tables of that time."""
    db = connection.connect(url)
    from planner.storage.models import db_proxy

    db_proxy.initialize(db)
    try:
        with db.atomic():
            for version in (1, 2, 3):
                migrations.STEPS[version](db)
                migrations._write_version(version)
            migrations._put_meta("app", migrations.APP_MARKER)
            team_setup._private_schema(db)
            for statement in team_setup.team_setup_sql():
                if not any(f"{schema}.{t}" in statement for t in LATER_TABLES
                           for schema in ("public", privacy.PRIVATE_SCHEMA)) and not any(
                               later in statement for later in TEAM_SCHEMA_6):
                    db.execute_sql(statement)
            db.execute_sql(f'CREATE ROLE "{role}" LOGIN')
            db.execute_sql(f'GRANT SELECT, INSERT, UPDATE, DELETE ON {", ".join(V3_TABLES)} '
                           f'TO "{role}"')
            for seq in users.planner_sequences(db):
                db.execute_sql(f'GRANT USAGE ON SEQUENCE {seq} TO "{role}"')
    finally:
        db.close()


def test_a_version_3_team_database_is_upgraded_and_its_users_keep_working(fresh_pg):
    pg = fresh_pg
    alice = pg.role("alice")
    build_v3(pg.url(), alice)
    if "planner_change" in {r[0] for r in pg.sql("SELECT tablename FROM pg_tables")}:
        pg.sql(f'GRANT SELECT ON planner_change TO "{alice}"')
    (ada_id,) = pg.sql(  # alice's data from schema 3 days, with a cadence on the contact
        "INSERT INTO contact (name, email, phones, handles, channels, tags, timezone, birthday, "
        "organization, title, notes, cadence_days, stage, created_at, updated_at, version) "
        "VALUES ('Ada', '', '[]', '{}', '[]', '[]', '', '', '', '', '', 8, 'none', now(), now(), "
        "1) RETURNING id", user=alice)[0]
    # a user cannot upgrade the schema (no CREATE right): refused, nothing half-done
    with pytest.raises(DatabaseProblem, match="only an admin can upgrade it"):
        open_database(pg.url(alice))
    assert pg.sql("SELECT value FROM planner_meta WHERE key = 'schema_version'") == [("3",)]
    assert pg.sql("SELECT to_regclass('cadence_override')") == [(None,)]

    handle = open_database(pg.url())  # the admin opens it: migrated under the lock
    try:
        assert handle.schema_version == migrations.LATEST
    finally:
        handle.close()
    assert pg.sql("SELECT value FROM planner_meta WHERE key = 'schema_version'") == [
        (str(migrations.LATEST),)]
    assert pg.sql("SELECT policyname FROM pg_policies WHERE tablename = 'cadence_override' "
                  "ORDER BY 1") == [("cadence_override_own",),
                                    ("cadence_override_through_views",)]
    assert pg.sql("SELECT policyname FROM pg_policies WHERE tablename = 'snooze' "
                  "ORDER BY 1") == [("snooze_own",), ("snooze_through_views",)]
    # moved into the private schema by the team setup that followed the migration
    assert pg.sql("SELECT schemaname FROM pg_tables WHERE tablename = 'snooze'") == [
        (privacy.PRIVATE_SCHEMA,)]

    with as_user(pg, alice):  # granted the new table by the migration
        assert contacts.get_contact(ada_id).cadence_days == 8
        assert contacts.edit_contact(bound(), ada_id, cadence_days=5).cadence_days == 5
    bob = pg.role("bob")
    admin = open_database(pg.url())
    try:
        users.add_user(admin.db, bob)
    finally:
        admin.close()
    with as_user(pg, bob):
        assert contacts.get_contact(ada_id).cadence_days == 8
    assert overrides(pg) == [(alice, ada_id, 5)]


def test_a_users_own_cadences_travel_in_their_json_export(team):
    from planner.services.exporting import export_json, import_json
    from planner.storage import dump

    pg, alice, bob = team
    with as_user(pg, alice):
        ada = contacts.add_contact(bound(), "Ada", ring=Ring.INNER, cadence_days=5)
        data = export_json(bound())
    with as_user(pg, bob):
        contacts.edit_contact(bound(), ada.id, cadence_days=30)
    assert [(r["owner"], r["days"]) for r in data["cadence_overrides"]] == [(alice, 5)]
    empty_tables(pg)
    with as_user(pg, alice):
        import_json(bound(), data)
        assert contacts.get_contact(ada.id).cadence_days == 5
        assert dump.row_counts()["cadence_overrides"] == 1
    with as_user(pg, bob):  # a teammate's own cadence for Ada is not in alice's export
        assert contacts.get_contact(ada.id).cadence_days is None


def test_the_people_list_sorts_by_your_own_last_touch(team):
    """As an ordinary planner role (row-level security on): the list's Last touch column
    and its sort read the connected user's touchpoints only."""
    pg, alice, bob = team
    with as_user(pg, alice):
        ada = contacts.add_contact(bound(), "Ada")
        bea = contacts.add_contact(bound(), "Bea")
        touchpoints.log_touchpoint(bound(), ada.id, "call", at=NOW - timedelta(days=2))
    with as_user(pg, bob):
        touchpoints.log_touchpoint(bound(), bea.id, "call", at=NOW - timedelta(days=5))
        touchpoints.log_touchpoint(bound(), ada.id, "call", at=NOW - timedelta(days=9))
        assert contacts_repo.people_ids(contacts_repo.ORDER_LAST) == [ada.id, bea.id]
        rows = contacts_repo.people_rows([ada.id, bea.id])
        assert to_utc(rows[ada.id][3]) == NOW - timedelta(days=9)  # as stored
    with as_user(pg, alice):
        assert contacts_repo.people_ids(contacts_repo.ORDER_LAST) == [bea.id, ada.id]
        assert contacts_repo.people_ids(contacts_repo.ORDER_LAST, True, "a") == [ada.id, bea.id]
        assert contacts_repo.people_rows([bea.id])[bea.id][3] is None
