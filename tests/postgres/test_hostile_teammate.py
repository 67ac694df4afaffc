"""A hostile teammate with psql: each attack of issue 18 run as an ordinary planner role
with raw psycopg2 against the real server, asserting that nothing private is learned or
changed and nothing is broken for the others."""

from __future__ import annotations

from contextlib import contextmanager

import psycopg2
import pytest

from planner.storage import postgres
from tests.postgres.conftest import HOST, PORT, fresh_cluster, logged_in


def init(pg, admin: str = "postgres") -> None:
    """``db init``'s code, as ``admin``."""
    from planner.storage.postgres import open_postgres
    from planner.storage.target import resolve_target

    open_postgres(resolve_target(pg.url(admin)), init=True).close()


@contextmanager
def raw(pg, role: str):
    """A psycopg2 connection as ``role`` (autocommit off: ``conn`` commits or not)."""
    conn = psycopg2.connect(host=HOST, port=PORT, user=role, dbname=pg.name)
    try:
        yield conn
    finally:
        conn.close()


def is_superuser(pg, role: str) -> bool:
    return pg.sql("SELECT rolsuper FROM pg_roles WHERE rolname = %s", (role,))[0][0]


def rls_everywhere(pg) -> bool:
    rows = pg.sql("SELECT relrowsecurity AND relforcerowsecurity FROM pg_class "
                  "WHERE relname IN ('note', 'placement', 'ring_move', 'cadence_override') "
                  "AND relnamespace = 'public'::regnamespace")
    return len(rows) == 4 and all(r[0] for r in rows)


@pytest.fixture(scope="module")
def team(pg_initialised):
    eve, ann = pg_initialised.planner_users("eve", "ann")
    return pg_initialised, eve, ann


# ------------------------------------------------------------------ critical: escalation

#: A temporary planner_change whose trigger reports who it runs as, and tries to make the
#: attacker a superuser and to turn row-level security off: under the old setup the change
#: log's SECURITY DEFINER function wrote into it, as its owner.
def plant_hijack(cur, attacker: str) -> None:
    cur.execute("CREATE TEMP TABLE planner_change (id bigserial, actor text, pid int, "
                "at timestamptz DEFAULT now())")
    cur.execute("CREATE TEMP TABLE seen (who text)")
    cur.execute(f"""
        CREATE FUNCTION pg_temp.hijack() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO pg_temp.seen VALUES (current_user);
          BEGIN EXECUTE 'ALTER ROLE "{attacker}" SUPERUSER';
          EXCEPTION WHEN OTHERS THEN NULL; END;
          BEGIN EXECUTE 'ALTER TABLE public.note DISABLE ROW LEVEL SECURITY';
          EXCEPTION WHEN OTHERS THEN NULL; END;
          RETURN NULL;
        END $$""")
    cur.execute("CREATE TRIGGER hijack AFTER INSERT ON pg_temp.planner_change "
                "FOR EACH ROW EXECUTE FUNCTION pg_temp.hijack()")


def attempt_escalation(pg, attacker: str) -> list[str]:
    """Plant the hijack and write a row (firing the change log); who the trigger ran as."""
    with raw(pg, attacker) as conn, conn.cursor() as cur:
        plant_hijack(cur, attacker)
        cur.execute("INSERT INTO setting (key, value) VALUES ('eve was here', '1') "
                    "ON CONFLICT (key) DO UPDATE SET value = '2'")
        cur.execute("SELECT who FROM pg_temp.seen")
        seen = [r[0] for r in cur.fetchall()]
        conn.commit()
        return seen


def test_a_user_cannot_create_temporary_tables_at_all(team):
    pg, eve, _ = team
    with raw(pg, eve) as conn, conn.cursor() as cur, \
            pytest.raises(psycopg2.errors.InsufficientPrivilege):
        cur.execute("CREATE TEMP TABLE planner_change (id int)")


def test_a_temporary_planner_change_never_runs_as_the_functions_owner(team):
    """Even where TEMP could not be revoked (granted back here), the change log's function
    writes the real log: the user stays ordinary and row-level security stays on."""
    pg, eve, _ = team
    pg.sql(f'GRANT TEMP ON DATABASE "{pg.name}" TO "{eve}"')
    try:
        before = pg.sql("SELECT count(*) FROM planner_change WHERE actor = %s", (eve,))[0][0]
        assert attempt_escalation(pg, eve) == []  # the hijack never ran
        after = pg.sql("SELECT count(*) FROM planner_change WHERE actor = %s", (eve,))[0][0]
        assert after > before  # the real change log was written
    finally:
        pg.sql(f'REVOKE TEMP ON DATABASE "{pg.name}" FROM "{eve}"')
        pg.sql("DELETE FROM setting WHERE key = 'eve was here'")
    assert not is_superuser(pg, eve)
    assert rls_everywhere(pg)


def test_the_definer_function_is_pinned_qualified_and_owned_by_a_powerless_role(team):
    pg, _, _ = team
    definer = f"{pg.name}_planner_definer"
    ((owner, config, body),) = pg.sql(
        "SELECT proowner::regrole::text, proconfig, prosrc FROM pg_proc "
        "WHERE proname = 'planner_log_change'")
    assert owner.strip('"') == definer
    assert config == ["search_path=pg_catalog, public, pg_temp"]
    assert "public.planner_change" in body and "pg_catalog.pg_backend_pid()" in body
    assert pg.sql(
        "SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolinherit "
        "FROM pg_roles WHERE rolname = %s", (definer,)) == [(False,) * 6]
    rights = pg.sql("SELECT table_name, privilege_type FROM information_schema.table_privileges "
                    "WHERE grantee = %s ORDER BY 1, 2", (definer,))
    assert rights == [("planner_change", p) for p in ("DELETE", "INSERT", "SELECT")]
    assert pg.sql("SELECT count(*) FROM pg_class WHERE relowner = %s::regrole",
                  (definer,)) == [(0,)]
    # every planner function pins its search path, pg_temp last
    for name, fn_config in pg.sql("SELECT proname, proconfig FROM pg_proc "
                                  "WHERE proname LIKE 'planner\\_%' AND prorettype = "
                                  "'trigger'::regtype"):
        assert fn_config == ["search_path=pg_catalog, public, pg_temp"], name


def test_db_status_is_clean_after_init(team):
    from planner.storage.postgres_status import team_status

    pg, eve, _ = team
    with logged_in(pg, eve) as handle:
        status = team_status(handle.db, pg.url(eve))
    assert status.warnings == ()
    assert "Security setup: ok" in status.lines()


# ------------------------------------------------------------------ upgrading a team schema 1


OLD_CLOCK_FN = """
CREATE OR REPLACE FUNCTION planner_log_change() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO planner_change (actor, pid) VALUES (session_user, pg_backend_pid());
  RETURN NULL;
END $$"""


def make_team_schema_1(pg) -> None:
    """A team database as the previous version left it: the change log's function with
    the caller's search path, owned by the admin; TEMP for everyone; no team_schema."""
    definer = f"{pg.name}_planner_definer"
    pg.sql(OLD_CLOCK_FN)
    pg.sql("ALTER FUNCTION planner_log_change() OWNER TO postgres")
    pg.sql(f'DROP OWNED BY "{definer}"')
    pg.sql(f'DROP ROLE "{definer}"')
    pg.sql(f'GRANT TEMP ON DATABASE "{pg.name}" TO PUBLIC')
    pg.sql("DELETE FROM planner_meta WHERE key = 'team_schema'")


def test_a_team_schema_1_database_is_hijackable_until_an_admin_opens_it(pg_server):
    from planner.storage.postgres_status import team_status

    with fresh_cluster() as pg:
        init(pg)
        (eve,) = pg.planner_users("eve")
        make_team_schema_1(pg)
        # the old setup: a user opening it is warned, db status says why, nothing changes
        with logged_in(pg, eve) as handle:
            warnings = team_status(handle.db, pg.url(eve)).warnings
        assert any("team schema 1" in w for w in warnings)
        assert any("search path a user's temporary tables can hijack" in w for w in warnings)
        assert any("REVOKE TEMP ON DATABASE" in w for w in warnings)
        # proof that the attack is real: the hijack ran as the function's owner
        assert set(attempt_escalation(pg, eve)) == {"postgres"}
        assert is_superuser(pg, eve)
        pg.sql(f'ALTER ROLE "{eve}" NOSUPERUSER')
        pg.sql("ALTER TABLE note ENABLE ROW LEVEL SECURITY")

        with logged_in(pg, "postgres"):  # the admin's open upgrades the team setup
            pass
        assert pg.sql("SELECT value FROM planner_meta WHERE key = 'team_schema'") == [
            (str(postgres.TEAM_SCHEMA),)]
        with raw(pg, eve) as conn, conn.cursor() as cur, \
                pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("CREATE TEMP TABLE planner_change (id int)")
        pg.sql(f'GRANT TEMP ON DATABASE "{pg.name}" TO "{eve}"')
        assert attempt_escalation(pg, eve) == []
        assert not is_superuser(pg, eve) and rls_everywhere(pg)
        pg.sql(f'REVOKE TEMP ON DATABASE "{pg.name}" FROM "{eve}"')
        with logged_in(pg, eve) as handle:
            assert team_status(handle.db, pg.url(eve)).warnings == ()


def test_a_non_superuser_admin_gets_the_definer_role_and_no_hijack(pg_server):
    """An admin that owns the database and may create roles, not a superuser: db init
    still gives the function away, and the old trick no longer turns row-level security
    off for everyone."""
    with fresh_cluster() as pg:
        boss = pg.role("boss")
        pg.sql(f'CREATE ROLE "{boss}" LOGIN CREATEROLE')
        pg.sql(f'ALTER DATABASE "{pg.name}" OWNER TO "{boss}"')
        pg.sql(f'GRANT CREATE ON SCHEMA public TO "{boss}"')
        init(pg, boss)
        admin = postgres.connect(pg.url(boss))
        try:
            eve = pg.role("eve")
            postgres.add_user(admin, eve)
        finally:
            admin.close()
        assert pg.sql("SELECT proowner::regrole::text FROM pg_proc "
                      "WHERE proname = 'planner_log_change'")[0][0].strip('"') == (
            f"{pg.name}_planner_definer")
        pg.sql(f'GRANT TEMP ON DATABASE "{pg.name}" TO "{eve}"')
        assert attempt_escalation(pg, eve) == []
        assert not is_superuser(pg, eve) and rls_everywhere(pg)
