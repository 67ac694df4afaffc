"""Removing a user from a team: nobody else's open transaction holds it off, and the
removed user's open connections end, listening ones too (a review as an ordinary role:
``db remove-user`` turned row-level security off on the shared touchpoints with ``ALTER
TABLE``, which waited for every teammate's idle transaction and then said "busy"; and an
admin who is not a superuser could not end the user's sessions, so a listening one went
on hearing the team's changes after the role was dropped)."""

from __future__ import annotations

import time

import psycopg2
import pytest

from planner.domain.errors import InvalidInput
from planner.storage.postgres import connection, users
from tests.helpers.cli import invoke
from tests.postgres.conftest import HOST, PORT, fresh_cluster


@pytest.fixture
def team(pg_server):
    """A team database whose admin owns it and may create roles, not a superuser."""
    with fresh_cluster() as pg:
        boss = pg.role("boss")
        pg.sql(f'CREATE ROLE "{boss}" LOGIN CREATEROLE')
        pg.sql(f'ALTER DATABASE "{pg.name}" OWNER TO "{boss}"')
        pg.sql(f'GRANT CREATE ON SCHEMA public TO "{boss}"')
        assert invoke("--db", pg.url(boss), "db", "init").returncode == 0
        eve, carol = pg.role("eve"), pg.role("carol")
        for role in (eve, carol):
            added = invoke("--db", pg.url(boss), "db", "add-user", role)
            assert added.returncode == 0, added.stderr
        carol_logs = invoke("--db", pg.url(carol), "contacts", "add", "Grace", "--ring", "inner")
        assert carol_logs.returncode == 0, carol_logs.stderr
        assert invoke("--db", pg.url(carol), "log", "Grace", "coffee").returncode == 0
        yield pg, boss, eve, carol


def connect(pg, role: str):
    return psycopg2.connect(host=HOST, port=PORT, user=role, dbname=pg.name)


def test_idle_transactions_neither_hold_off_the_removal_nor_keep_a_listener(team):
    pg, boss, eve, carol = team
    teammate = connect(pg, eve)  # an idle transaction that read the touchpoints
    teammate.cursor().execute("SELECT count(*) FROM touchpoint")
    listener = connect(pg, carol)  # the user removed: listening, and holding their rows
    listener.autocommit = True
    listener.cursor().execute("LISTEN planner_changes")
    held = connect(pg, carol)
    held.cursor().execute("SELECT id FROM touchpoint WHERE author = current_user FOR UPDATE")
    try:
        started = time.monotonic()
        result = invoke("--db", pg.url(boss), "db", "remove-user", carol, "--yes")
        took = time.monotonic() - started
        assert result.returncode == 0, result.stderr
        assert took < 5, took  # it waited for nobody (the lock timeout is 10 s)
        assert "could not end" not in result.stderr, result.stderr
        assert "Ended 2" in result.stdout or "2 open session" in result.stdout, result.stdout
        for gone in (listener, held):  # both of carol's sessions were ended
            with pytest.raises(psycopg2.Error):
                gone.cursor().execute("SELECT 1")
        # the teammate's transaction was left alone, and goes on
        cur = teammate.cursor()
        cur.execute("SELECT count(*) FROM touchpoint")
        assert cur.fetchone()[0] == 1
        teammate.rollback()
    finally:
        for conn in (teammate, listener, held):
            conn.close()
    assert pg.sql("SELECT count(*) FROM pg_roles WHERE rolname = %s", (carol,)) == [(0,)]
    (author,) = pg.sql("SELECT author FROM touchpoint")[0]
    assert author.startswith(f"{carol} (removed ")
    # the admin is not left a member of the role it removed
    assert pg.sql("SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member "
                  "WHERE r.rolname = %s AND m.roleid NOT IN (SELECT oid FROM pg_roles WHERE "
                  "rolname LIKE '%%planner_definer')", (boss,)) == [(0,)]


def test_rows_held_elsewhere_leave_the_user_cut_off_and_a_second_run_finishes(team):
    pg, boss, _eve, carol = team
    holder = connect(pg, "postgres")  # a superuser's session holding carol's touchpoint
    holder.cursor().execute("SELECT id FROM touchpoint FOR UPDATE")
    admin = connection.connect(pg.url(boss))
    try:
        admin.execute_sql("SET lock_timeout = '1s'")
        with pytest.raises(InvalidInput) as refused:
            users.remove_user(admin, carol)
        said = str(refused.value)
        assert "can no longer use the planner" in said and "again" in said, said
        # cut off already: no connection, and the role is kept until the rows move
        with pytest.raises(psycopg2.OperationalError, match="permission denied"):
            connect(pg, carol).close()
        assert pg.sql("SELECT count(*) FROM pg_roles WHERE rolname = %s", (carol,)) == [(1,)]
        holder.rollback()
        removed = users.remove_user(admin, carol)
        assert removed.dropped and removed.kept >= 2
    finally:
        admin.close()
        holder.close()
    assert pg.sql("SELECT count(*) FROM pg_roles WHERE rolname = %s", (carol,)) == [(0,)]
