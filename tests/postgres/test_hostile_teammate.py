"""A hostile teammate with psql: each attack of issue 18 run as an ordinary planner role
with raw psycopg2 against the real server, asserting that nothing private is learned or
changed and nothing is broken for the others."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager

import psycopg2
import pytest

from planner.storage import migrations
from planner.storage.postgres import connection, privacy, team_setup, users
from tests.helpers.cli import invoke
from tests.helpers.stores import bound
from tests.postgres.conftest import HOST, PORT, fresh_cluster, logged_in


def init(pg, admin: str = "postgres") -> None:
    """``db init``'s code, as ``admin``."""
    from planner.storage.postgres.opening import open_postgres
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
    """The walls stand: every private table in the private schema under row-level
    security (its view in the planner's schema), touchpoints' forced."""
    private = [t.name for t in privacy.PRIVATE_TABLES]
    rows = pg.sql("SELECT relrowsecurity FROM pg_class WHERE relname = ANY (%s) "
                  "AND relkind = 'r' AND relnamespace = %s::regnamespace",
                  (private, privacy.PRIVATE_SCHEMA))
    views = pg.sql("SELECT count(*) FROM pg_class WHERE relname = ANY (%s) AND relkind = 'v' "
                   "AND relnamespace = 'public'::regnamespace", (private,))[0][0]
    touchpoint = pg.sql("SELECT relrowsecurity AND relforcerowsecurity FROM pg_class "
                        "WHERE oid = 'public.touchpoint'::regclass")[0][0]
    return len(rows) == len(private) == views and all(r[0] for r in rows) and touchpoint


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
          BEGIN EXECUTE 'ALTER TABLE planner_private.note DISABLE ROW LEVEL SECURITY';
          EXCEPTION WHEN OTHERS THEN NULL; END;
          BEGIN EXECUTE 'GRANT USAGE ON SCHEMA planner_private TO "{attacker}"';
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
    # the private tables, and each user's row of the move locks (planner_lock_moves)
    private = {t.name for t in privacy.PRIVATE_TABLES} | {"move_lock"}
    assert ("planner_change", "INSERT") in rights and all(
        p in ("SELECT", "INSERT", "DELETE") for t, p in rights if t not in private)
    # beyond the change log: the private tables its views' functions write (no purge of
    # people since team schema 9: it deletes no shared row)
    assert {t for t, p in rights if p != "SELECT"} == {"planner_change"} | private
    assert {(t, s) for t, s in pg.sql(
        "SELECT table_name, table_schema FROM information_schema.table_privileges "
        "WHERE grantee = %s AND privilege_type = 'UPDATE'", (definer,))} == {
        (t, privacy.PRIVATE_SCHEMA) for t in private}
    assert pg.sql("SELECT count(*) FROM pg_class WHERE relowner = %s::regrole",
                  (definer,)) == [(0,)]
    # every planner function pins its search path, pg_temp last (planner_fts_text, in
    # index expressions, names everything by schema and must stay inlinable); the
    # per-person readers also keep the planner off whole-table scans (and off JIT)
    readers = {name for name, _ in privacy.reader_functions()}
    for name, fn_config in pg.sql("SELECT proname, proconfig FROM pg_proc "
                                  "WHERE proname LIKE 'planner\\_%' "
                                  "AND proname <> 'planner_fts_text'"):
        assert fn_config == ["search_path=pg_catalog, public, pg_temp"] + (
            ["enable_seqscan=off", "jit=off"] if name in readers else []), name


def test_db_status_is_clean_after_init(team):
    from planner.storage.postgres.status import team_status

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
    pg.sql(f'REASSIGN OWNED BY "{definer}" TO postgres')  # the views' functions too
    pg.sql(f'DROP OWNED BY "{definer}"')
    pg.sql(f'DROP ROLE "{definer}"')
    pg.sql(f'GRANT TEMP ON DATABASE "{pg.name}" TO PUBLIC')
    pg.sql("DELETE FROM planner_meta WHERE key = 'team_schema'")


def test_a_team_schema_1_database_is_hijackable_until_an_admin_opens_it(pg_server):
    from planner.storage.postgres.status import team_status

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
        pg.sql("ALTER TABLE planner_private.note ENABLE ROW LEVEL SECURITY")

        with logged_in(pg, "postgres"):  # the admin's open upgrades the team setup
            pass
        assert pg.sql("SELECT value FROM planner_meta WHERE key = 'team_schema'") == [
            (str(team_setup.TEAM_SCHEMA),)]
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
        admin = connection.connect(pg.url(boss))
        try:
            eve = pg.role("eve")
            users.add_user(admin, eve)
        finally:
            admin.close()
        assert pg.sql("SELECT proowner::regrole::text FROM pg_proc "
                      "WHERE proname = 'planner_log_change'")[0][0].strip('"') == (
            f"{pg.name}_planner_definer")
        pg.sql(f'GRANT TEMP ON DATABASE "{pg.name}" TO "{eve}"')
        assert attempt_escalation(pg, eve) == []
        assert not is_superuser(pg, eve) and rls_everywhere(pg)


# ------------------------------------------------------------------ authorship


def run(pg, role: str, statement: str, params=None):
    """One statement as ``role`` in its own transaction: rows, or the psycopg2 error."""
    try:
        return pg.sql(statement, params, user=role)
    except psycopg2.Error as exc:
        return exc


def add_person(pg, role: str, name: str = "Ada") -> int:
    return pg.sql(
        "INSERT INTO contact (name, email, phones, handles, channels, tags, timezone, birthday, "
        "organization, title, notes, stage, created_at, updated_at, version) VALUES "
        "(%s, '', '[]', '{}', '[]', '[]', '', '', '', '', '', 'none', now(), now(), 1) "
        "RETURNING id", (name,), user=role)[0][0]


def touch(pg, role: str, cid: int, author: str = "", note: str = "coffee") -> int:
    return pg.sql("INSERT INTO touchpoint (contact_id, kind, at, note, author, created_at, "
                  "updated_at, version) VALUES (%s, 'coffee', now(), %s, %s, now(), now(), 1) "
                  "RETURNING id", (cid, note, author), user=role)[0][0]


def test_a_touchpoint_or_note_cannot_be_written_as_someone_else(team):
    pg, eve, ann = team
    cid = add_person(pg, ann)
    tid = touch(pg, eve, cid, author=ann)  # eve claims ann logged it
    assert pg.sql("SELECT author FROM touchpoint WHERE id = %s", (tid,)) == [(eve,)]
    nid = pg.sql("INSERT INTO note (contact_id, at, text, author, shared, created_at, "
                 "updated_at, version) VALUES (%s, now(), 'x', %s, true, now(), now(), 1) "
                 "RETURNING id", (cid, ann), user=eve)[0][0]
    assert pg.sql("SELECT author FROM note WHERE id = %s", (nid,)) == [(eve,)]
    # nor re-signed afterwards, even one's own
    assert isinstance(run(pg, eve, "UPDATE touchpoint SET author = %s WHERE id = %s",
                          (ann, tid)), psycopg2.errors.InsufficientPrivilege)
    assert pg.sql("SELECT author FROM touchpoint WHERE id = %s", (tid,)) == [(eve,)]


def test_a_teammates_touchpoints_and_shared_notes_cannot_be_edited_or_deleted(team):
    pg, eve, ann = team
    cid = add_person(pg, ann)
    tid = touch(pg, ann, cid, note="ann's coffee")
    nid = pg.sql("INSERT INTO note (contact_id, at, text, shared, created_at, updated_at, "
                 "version) VALUES (%s, now(), 'ann shared', true, now(), now(), 1) RETURNING id",
                 (cid,), user=ann)[0][0]
    assert run(pg, eve, "SELECT note FROM touchpoint WHERE id = %s", (tid,)) == [
        ("ann's coffee",)]  # the team reads it…
    for statement in ("UPDATE touchpoint SET note = 'eve wrote this', author = %s WHERE id = %s",
                      "UPDATE touchpoint SET at = now() - interval '1 day' WHERE id = %s",
                      "DELETE FROM touchpoint WHERE id = %s"):
        params = (eve, tid) if statement.count("%s") == 2 else (tid,)
        assert run(pg, eve, statement + " RETURNING id", params) == []  # …touches nothing
    for statement in ("UPDATE note SET text = 'eve wrote this' WHERE id = %s",
                      "UPDATE note SET shared = false WHERE id = %s",
                      "DELETE FROM note WHERE id = %s"):
        assert run(pg, eve, statement + " RETURNING id", (nid,)) == []
    assert pg.sql("SELECT note, author FROM touchpoint WHERE id = %s", (tid,)) == [
        ("ann's coffee", ann)]
    assert pg.sql("SELECT text, author, shared FROM note WHERE id = %s", (nid,)) == [
        ("ann shared", ann, True)]


def test_a_forged_author_in_a_json_import_becomes_the_importer(team):
    from planner.services.exporting import export_json, import_json
    from planner.storage import dump

    pg, eve, ann = team
    from tests.postgres.conftest import empty_tables

    empty_tables(pg)
    cid = add_person(pg, ann)
    touch(pg, ann, cid)
    with logged_in(pg, "postgres"):
        data = export_json(bound())
    empty_tables(pg)
    assert {t["author"] for c in data["contacts"] for t in c.get("touchpoints", [])} | {
        t.get("author") for t in data.get("touchpoints", [])} >= {ann}
    with logged_in(pg, eve):
        import_json(bound(), data)
        assert dump.row_counts()["touchpoints"] == 1
    assert pg.sql("SELECT DISTINCT author FROM touchpoint") == [(eve,)]


# ------------------------------------------------------------------ bricking


def test_a_user_cannot_change_the_schema_version(team):
    pg, eve, _ = team
    for statement in ("UPDATE planner_meta SET value = '99' WHERE key = 'schema_version'",
                      "DELETE FROM planner_meta",
                      "INSERT INTO planner_meta (key, value) VALUES ('x', 'y')",
                      "TRUNCATE planner_meta"):
        assert isinstance(run(pg, eve, statement), psycopg2.errors.InsufficientPrivilege)
    with logged_in(pg, "postgres") as handle:  # everyone still opens it
        assert handle.schema_version == migrations.LATEST


@pytest.mark.parametrize("key, value", [
    ("ring_capacity", "not json"), ("ring_capacity", '"many"'),
    ("ring_capacity", '{"inner": 0}'), ("ring_capacity", '{"inner": 2.5}'),
    ("ring_capacity", '{"elsewhere": 3}'), ("ring_cadence_days", '{"outer": 99999}'),
    ("ring_cadence_days", "[]"), ("backup_keep", "0"), ("backup_keep", '"ten"'),
    ("target_share", "{"),
])
def test_a_setting_that_is_not_valid_is_refused_by_the_database(team, key, value):
    pg, eve, _ = team
    statement = ("INSERT INTO setting (key, value) VALUES (%s, %s) "
                 "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value")
    assert isinstance(run(pg, eve, statement, (key, value)), psycopg2.errors.CheckViolation)
    assert pg.sql("SELECT value FROM setting WHERE key = %s", (key,)) != [(value,)]
    assert run(pg, eve, statement, ("ring_capacity", '{"inner": 7}')) == []  # a good one is kept
    pg.sql("DELETE FROM setting WHERE key = 'ring_capacity'")


def test_a_teammates_unknown_or_bad_settings_leave_every_export_restorable(team, tmp_path):
    """The database checks only the settings every client reads at start: eve stored an
    unknown key and bad values of known ones, and every teammate's JSON export of the
    team database carried them, so none could be imported again."""
    from planner.services.exporting import dumps, export_json, import_json
    from planner.storage import settings_repo
    from planner.storage.database import open_database
    from tests.postgres.conftest import empty_tables

    pg, eve, ann = team
    empty_tables(pg)
    try:
        pg.sql("INSERT INTO setting (key, value) VALUES ('advocate_target_share', '\"lots\"'), "
               "('ask_fatigue_limit', '-5'), ('ring_time_share', '{\"inner\": 1e999}'), "
               "('evil_unknown_key', '{\"a\": 1}'), ('ring_capacity', '{\"inner\": 5}')",
               user=eve)
        with logged_in(pg, ann):
            data = export_json(bound())
        assert data["settings"] == {"ring_capacity": {"inner": 5}}
        assert "Infinity" not in dumps(data)
        copy = open_database(str(tmp_path / "copy.db"))
        try:
            import_json(bound(), data)
            assert settings_repo.get_setting("ring_capacity") == {"inner": 5}
        finally:
            copy.close()
    finally:
        pg.sql("DELETE FROM setting")


# ------------------------------------------------------------------ hard deletes


def test_a_user_cannot_delete_a_person_and_with_it_a_teammates_private_rows(team):
    pg, eve, ann = team
    cid = add_person(pg, ann)
    pg.sql("INSERT INTO note (contact_id, at, text, shared, created_at, updated_at, version) "
           "VALUES (%s, now(), 'ann private', false, now(), now(), 1)", (cid,), user=ann)
    assert isinstance(run(pg, eve, "DELETE FROM contact WHERE id = %s", (cid,)),
                      psycopg2.errors.InsufficientPrivilege)
    assert isinstance(run(pg, eve, "TRUNCATE contact CASCADE"),
                      psycopg2.errors.InsufficientPrivilege)
    assert isinstance(run(pg, eve, "SELECT planner_purge_contact(%s)", (cid,)),
                      psycopg2.errors.UndefinedFunction)  # (team schema 9: no purge at all)
    assert pg.sql("SELECT count(*) FROM note WHERE contact_id = %s", (cid,)) == [(1,)]
    # the trash is for everyone: eve may move the person there, which keeps ann's rows
    assert run(pg, eve, "UPDATE contact SET deleted_at = now() WHERE id = %s RETURNING id",
               (cid,)) == [(cid,)]
    assert pg.sql("SELECT count(*) FROM note WHERE contact_id = %s", (cid,)) == [(1,)]


def test_undoing_an_add_tells_nothing_of_a_teammates_private_rows(team):
    """The undo of an add purged through planner_purge_contact, which refused when a
    teammate kept private rows about the person: eve called it on people she added, in a
    transaction rolled back, to learn who keeps notes, rings or snoozes about whom. Now
    the undo moves the person to the trash (eve's own rows go), the same whoever keeps
    what, and no function answers the question."""
    from planner.domain.rings import Ring
    from planner.services import contacts, placement
    from tests.postgres.conftest import empty_tables

    pg, eve, ann = team
    empty_tables(pg)
    with logged_in(pg, eve):
        probed = placement.add_recorded(bound(), "Probe One", Ring.OUTER, {"cadence_days": 9})
        quiet = placement.add_recorded(bound(), "Probe Two", Ring.OUTER, {"cadence_days": 9})
    one, two = probed.contact.id, quiet.contact.id
    pg.sql("INSERT INTO snooze (contact_id, at, until) VALUES (%s, now(), now() + "
           "interval '7 days')", (one,), user=ann)  # ann's private snooze and note
    pg.sql("INSERT INTO note (contact_id, at, text, shared, created_at, updated_at, version) "
           "VALUES (%s, now(), 'ann private', false, now(), now(), 1)", (one,), user=ann)
    win = pg.sql("INSERT INTO win (contact_id, at, text, link, note, created_at, updated_at, "
                 "version) VALUES (%s, now(), 'ann shared win', '', '', now(), now(), 1) "
                 "RETURNING id", (two,), user=ann)[0][0]
    for cid in (one, two):
        assert isinstance(run(pg, eve, "SELECT planner_purge_contact(%s)", (cid,)),
                          psycopg2.errors.UndefinedFunction)
    with logged_in(pg, eve):
        # the undo of each add: no error either way
        contacts.purge_contact(bound(), two, quiet.before)
        contacts.purge_contact(bound(), one, probed.before)
    trashed = "SELECT id, deleted_at IS NOT NULL FROM contact ORDER BY id"
    assert pg.sql(trashed, user=eve) == [(one, True), (two, True)]
    assert pg.sql("SELECT count(*) FROM cadence_override", user=eve) == [(0,)]  # eve's go
    assert pg.sql("SELECT count(*) FROM placement", user=eve) == [(0,)]
    # ann's rows stay, private and shared (the purge also took teammates' wins with it)
    assert pg.sql("SELECT count(*) FROM note", user=ann) == [(1,)]
    assert pg.sql("SELECT count(*) FROM snooze", user=ann) == [(1,)]
    assert pg.sql("SELECT count(*) FROM win WHERE id = %s", (win,)) == [(1,)]
    with logged_in(pg, eve):  # the redo takes the person out of the trash, as they were
        contacts.unpurge_contact(bound(), probed.rows, probed.after)
        back = contacts.get_contact(one)
        assert (back.name, back.cadence_days, back.ring) == ("Probe One", 9, Ring.OUTER)
    assert pg.sql(trashed, user=eve) == [(one, False), (two, True)]


# ------------------------------------------------------------------ LISTEN / NOTIFY


@contextmanager
def listening(pg, role: str):
    conn = psycopg2.connect(host=HOST, port=PORT, user=role, dbname=pg.name)
    conn.autocommit = True
    conn.cursor().execute("LISTEN planner_changes")
    try:
        yield conn
    finally:
        conn.close()


def heard(conn, seconds: float = 1.0) -> list[str]:
    import select
    import time

    out: list[str] = []
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        if select.select([conn], [], [], left)[0]:
            conn.poll()
            out += [n.payload for n in conn.notifies]
            conn.notifies.clear()
    return out


def test_listening_never_names_the_people_on_a_teammates_rings(team):
    from planner.domain.rings import Ring
    from planner.services import contacts, placement

    pg, eve, ann = team
    cid = add_person(pg, "postgres", "Grace")
    with listening(pg, eve) as ears:
        with logged_in(pg, ann):
            placement.move_contact(bound(), cid, Ring.INNER)
            contacts.edit_contact(bound(), cid, cadence_days=3)
            placement.move_contact(bound(), cid, Ring.OUTER)
        pg.sql("INSERT INTO note (contact_id, at, text, shared, created_at, updated_at, "
               "version) VALUES (%s, now(), 'private', false, now(), now(), 1)", (cid,),
               user=ann)
        payloads = heard(ears)
    # nothing says a private table changed, nor about whom: each of ann's commits says
    # "private" once (team schema 10), as every commit of hers does
    tables = {p.split()[0] for p in payloads}
    assert tables <= {"private", "contact"}, payloads
    assert all(p.split()[1] == "-" for p in payloads if p.split()[0] == "private"), payloads
    assert not any(str(cid) in p.split()[1] for p in payloads if p.split()[0] != "contact")


def test_a_removal_tells_nothing_of_whether_the_person_was_on_the_removers_rings(team):
    """Removing someone who was on ann's rings wrote placement and ring-move rows with the
    contact's (notices "placement -", "ring_move -", "contact N" together, and three
    change-log rows); removing someone who was not wrote the contact alone. A teammate
    listening, or reading the change log, told the two apart: whether N was on her rings.
    Now both say the same: the contact's notice, one "private", one change-log row."""
    from planner.domain.rings import Ring
    from planner.services import contacts, placement

    pg, eve, ann = team
    on_rings, not_on = add_person(pg, ann, "Placed"), add_person(pg, ann, "Not placed")
    with logged_in(pg, ann):
        placement.move_contact(bound(), on_rings, Ring.MIDDLE)
    seen = {}
    for cid in (on_rings, not_on):
        (last,) = pg.sql("SELECT coalesce(max(id), 0) FROM planner_change")[0]
        with listening(pg, eve) as ears:
            with logged_in(pg, ann):
                contacts.remove_contact(bound(), cid)
            payloads = heard(ears)
        rows = pg.sql("SELECT count(*) FROM planner_change WHERE id > %s", (last,),
                      user=eve)[0][0]
        seen[cid] = (sorted(" ".join(p.split()[:2]).replace(str(cid), "N")
                            for p in payloads), rows)
    assert seen[on_rings] == seen[not_on], seen
    assert seen[not_on][1] == 1


def test_a_forged_notice_is_not_confirmed_by_the_change_log(team):
    from planner.storage.postgres import live

    pg, eve, ann = team
    ann_db = connection.connect(pg.url(ann))
    try:
        before = live.read_clock(ann_db)[1]
        ann_db.execute_sql("UPDATE setting SET value = value")  # ann really writes
        ann_pid = live.backend_pid(ann_db)
        with listening(pg, ann) as ears:
            with raw(pg, eve) as conn, conn.cursor() as cur:
                for i in range(100):  # eve claims to be ann, on another connection
                    cur.execute("SELECT pg_notify('planner_changes', %s)",
                                (f"contact {i} {ann} {4000 + i}",))
                conn.commit()
            forged = [live.parse(p) for p in heard(ears)]
        assert len(forged) == 100
        claims = {(c.actor, c.pid) for c in forged}
        written = live.writers_between(ann_db, before, live.read_clock(ann_db)[1])
        assert (ann, ann_pid) in written and not claims & written
    finally:
        ann_db.close()


# ------------------------------------------------------------------ removed and re-created roles


def private_note(pg, role: str, cid: int, text: str) -> None:
    pg.sql("INSERT INTO note (contact_id, at, text, shared, created_at, updated_at, version) "
           "VALUES (%s, now(), %s, false, now(), now(), 1)", (cid, text), user=role)


def admin_db(pg):
    return connection.connect(pg.url())


def test_a_removed_user_is_cut_off_and_a_new_role_of_that_name_inherits_nothing(team):
    from planner.domain.rings import Ring
    from planner.services import placement

    pg, _, _ = team
    (gone,) = pg.planner_users("gone")
    cid = add_person(pg, gone)
    private_note(pg, gone, cid, "gone's secret")
    touch(pg, gone, cid)
    with logged_in(pg, gone):
        placement.move_contact(bound(), cid, Ring.INNER)
    with listening(pg, gone) as ears:  # an open, listening session
        db = admin_db(pg)
        try:
            removed = users.remove_user(db, gone)
        finally:
            db.close()
        assert removed.dropped and removed.sessions >= 1 and removed.kept >= 4
        with pytest.raises(psycopg2.Error):
            ears.cursor().execute("SELECT 1")
    # the same name again: a new person, who gets none of the old one's rows
    db = admin_db(pg)
    try:
        again = users.add_user(db, gone)
    finally:
        db.close()
    assert again.created and again.released == 0
    assert pg.sql("SELECT count(*) FROM note WHERE text = %s", ("gone's secret",),
                  user=gone) == [(0,)]
    assert pg.sql("SELECT count(*) FROM placement", user=gone) == [(0,)]
    assert run(pg, gone, "DELETE FROM touchpoint WHERE contact_id = %s RETURNING id",
               (cid,)) == []
    # the team keeps the touchpoint; the admin still reads the private rows
    (author,) = pg.sql("SELECT author FROM touchpoint WHERE contact_id = %s", (cid,))[0]
    assert author.startswith(f"{gone} (removed ") and len(author.encode()) > 63
    assert pg.sql("SELECT count(*) FROM note WHERE text = %s", ("gone's secret",)) == [(1,)]


def test_a_role_dropped_by_hand_and_made_again_does_not_get_the_old_rows(team):
    pg, _, _ = team
    (old,) = pg.planner_users("old")
    cid = add_person(pg, old)
    private_note(pg, old, cid, "old secret")
    pg.sql(f'DROP OWNED BY "{old}"')  # an admin's manual clean-up, not db remove-user
    pg.sql(f'DROP ROLE "{old}"')
    db = admin_db(pg)
    try:
        added = users.add_user(db, old)
    finally:
        db.close()
    assert added.created and added.released == 1
    assert pg.sql("SELECT count(*) FROM note WHERE contact_id = %s", (cid,), user=old) == [(0,)]


def test_a_kept_role_cannot_connect_and_purge_deletes_its_private_rows(team):
    pg, _, _ = team
    (kept,) = pg.planner_users("kept")
    cid = add_person(pg, kept)
    private_note(pg, kept, cid, "kept secret")
    pg.sql("CREATE TABLE kept_owns (x int)")
    pg.sql(f'ALTER TABLE kept_owns OWNER TO "{kept}"')  # so the role cannot be dropped
    try:
        result = invoke("--db", pg.url(), "db", "remove-user", kept, "--purge")
        assert result.returncode == 0, result.stderr
        assert "the role remains" in result.stdout and "Deleted 1 private rows" in result.stdout
        with pytest.raises(psycopg2.OperationalError, match="permission denied"):
            psycopg2.connect(host=HOST, port=PORT, user=kept, dbname=pg.name).close()
        assert pg.sql("SELECT count(*) FROM note WHERE text = 'kept secret'") == [(0,)]
    finally:
        pg.sql("DROP TABLE kept_owns")


# ------------------------------------------------------------------ add-user


def test_the_password_is_sent_as_a_scram_verifier_the_server_agrees_with(team):
    import base64

    pg, _, _ = team
    (pw_user,) = pg.planner_users("pw")
    for password in ("correct horse battery staple", "pässwörd Ⅸ\u00a0ﬁ"):
        pg.sql("SET password_encryption = 'scram-sha-256'")
        # the server's own verifier (the password as a literal: only in this test)
        conn = psycopg2.connect(host=HOST, port=PORT, user="postgres", dbname=pg.name)
        with conn, conn.cursor() as cur:
            cur.execute("SET password_encryption = 'scram-sha-256'")
            cur.execute(f'ALTER ROLE "{pw_user}" PASSWORD %s', (password,))
            cur.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (pw_user,))
            server = cur.fetchone()[0]
        conn.close()
        salt = base64.b64decode(server.split("$")[1].split(":")[1])
        assert users.scram_verifier(password, salt) == server
    db = admin_db(pg)
    try:
        users.add_user(db, pw_user, "another secret")
    finally:
        db.close()
    stored = pg.sql("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (pw_user,))[0][0]
    assert stored.startswith("SCRAM-SHA-256$4096:") and "another secret" not in stored
    salt = base64.b64decode(stored.split("$")[1].split(":")[1])
    assert users.scram_verifier("another secret", salt) == stored


def test_add_user_warns_about_a_superuser(team):
    pg, _, _ = team
    boss = pg.role("super")
    pg.sql(f'CREATE ROLE "{boss}" LOGIN SUPERUSER')
    result = invoke("--db", pg.url(), "db", "add-user", boss)
    assert result.returncode == 0, result.stderr
    assert "is a superuser: it bypasses row-level security" in result.stderr


# ------------------------------------------------------------------ search


@pytest.mark.parametrize("word", ["ʻokina", "doesnʼt", "ŉ", "o'neil", "café", "\\'; --"])
def test_search_with_letters_that_fold_into_quotes_works(team, word):
    from planner.services.search import search

    pg, eve, _ = team
    cid = add_person(pg, eve, "Searchable")
    touch(pg, eve, cid, note=f"we talked about {word} today")
    with logged_in(pg, eve):
        hits = search(word)
    assert hits or not any(ch.isalnum() for ch in word)


def test_a_failing_command_does_not_log_what_was_searched_or_the_url():
    from planner.cli import _command_words, _register

    _register()
    logged = _command_words(["--db", "postgresql://eve:hunter2@db/team", "search",
                             "ann's secret plan", "--limit", "5"])
    assert logged == "--db … search … --limit …"


# ------------------------------------------------------------------ passwords in URLs


def test_a_password_in_the_url_query_is_redacted_and_stripped_like_one_in_the_user_part(team):
    from planner.storage.target import redact_url

    pg, eve, _ = team
    base = pg.url(eve, query="sslmode=disable")
    with_query = pg.url(eve, query="sslmode=disable&password=qu3ry-pw&passfile=/home/eve/.pgp")
    assert connection.account_for_url(with_query) == base  # the keyring account, recent list
    shown = redact_url(with_query)
    assert "qu3ry-pw" not in shown and "/home/eve/.pgp" not in shown and "password=***" in shown
    result = invoke("--db", with_query, "contacts", "list")  # it works, and is warned about
    assert result.returncode == 0, result.stderr
    assert "not safe" in result.stderr and "qu3ry-pw" not in result.stdout + result.stderr
    wrong = with_query.replace(pg.name, "no_such_database_here")
    result = invoke("--db", wrong, "contacts", "list")  # an error names the URL, redacted
    assert result.returncode == 1 and "qu3ry-pw" not in result.stdout + result.stderr
    assert "password=***" in result.stderr


def test_emptying_the_trash_is_an_admins_action_that_says_what_goes(team):
    from tests.postgres.conftest import empty_tables

    pg, eve, ann = team
    empty_tables(pg)
    cid = add_person(pg, ann, "Trashed Person")
    private_note(pg, ann, cid, "ann's private note")
    pg.sql("UPDATE contact SET deleted_at = now() WHERE id = %s", (cid,), user=eve)
    refused = invoke("--db", pg.url(eve), "db", "purge-trash")
    assert refused.returncode == 1 and "only an admin" in refused.stderr
    assert pg.sql("SELECT count(*) FROM note WHERE contact_id = %s", (cid,)) == [(1,)]
    done = invoke("--db", pg.url(), "db", "purge-trash")
    assert done.returncode == 0, done.stderr
    assert "Trashed Person" in done.stdout and "1 notes" in done.stdout
    assert pg.sql("SELECT count(*) FROM contact WHERE id = %s", (cid,)) == [(0,)]
    assert pg.sql("SELECT count(*) FROM note WHERE contact_id = %s", (cid,)) == [(0,)]


def test_db_status_warns_a_user_of_an_outdated_setup(pg_server):
    with fresh_cluster() as pg:
        init(pg)
        (eve,) = pg.planner_users("eve")
        make_team_schema_1(pg)
        result = invoke("--db", pg.url(eve), "db", "status")
        assert result.returncode == 0, result.stderr
        assert re.search(r"Security setup: [1-9] warning\(s\)", result.stdout)
        assert "warning: planner_log_change runs with its owner's rights" in result.stdout
        data = json.loads(invoke("--db", pg.url(eve), "db", "status", "--json").stdout)
        assert data["security"]["ok"] is False
        assert invoke("--db", pg.url(), "db", "init").returncode == 0
        assert "Security setup: ok" in invoke("--db", pg.url(eve), "db", "status").stdout


def test_an_admin_without_createrole_still_gets_a_safe_setup_and_a_warning(pg_server):
    """No CREATEROLE, not the database's owner: db init still pins and qualifies every
    function (the hijack fails), and db status says what it could not do."""
    from planner.storage.postgres.status import team_status

    with fresh_cluster() as pg:
        plain = pg.role("plain")
        pg.sql(f'CREATE ROLE "{plain}" LOGIN')
        pg.sql(f'GRANT CREATE ON SCHEMA public TO "{plain}"')
        # the private schema is made by the setup: CREATE on the database (schema 3)
        pg.sql(f'GRANT CREATE ON DATABASE "{pg.name}" TO "{plain}"')
        init(pg, plain)
        eve = pg.role("eve")
        pg.sql(f'CREATE ROLE "{eve}" LOGIN')
        admin = connection.connect(pg.url(plain))
        try:
            users.add_user(admin, eve)
        finally:
            admin.close()
        assert attempt_escalation(pg, eve) == []  # TEMP is still PUBLIC's here
        assert not is_superuser(pg, eve) and rls_everywhere(pg)
        with logged_in(pg, eve) as handle:
            warnings = team_status(handle.db, pg.url(eve)).warnings
        assert any(f"should belong to {pg.name}_planner_definer" in w for w in warnings)
        assert any("REVOKE TEMP ON DATABASE" in w for w in warnings)


# ------------------------------------------------------------------ EXPLAIN and index probing

#: A private row of each table, as raw SQL through its view (%(cid)s: a person,
#: %(src)s: a capture source of the writer; the owner/author left empty: filled in).
PRIVATE_ROWS = {
    "placement": "INSERT INTO placement (contact_id, owner, ring, position) "
                 "VALUES (%(cid)s, '', 'inner', %(n)s)",
    "ring_move": "INSERT INTO ring_move (contact_id, owner, from_ring, to_ring, at) "
                 "VALUES (%(cid)s, '', NULL, 'inner', now() - interval '1 hour')",
    "cadence_override": "INSERT INTO cadence_override (contact_id, owner, days) "
                        "VALUES (%(cid)s, '', 7)",
    "snooze": "INSERT INTO snooze (contact_id, owner, at, until) "
              "VALUES (%(cid)s, '', now(), now() + interval '3 days')",
    "note": "INSERT INTO note (contact_id, at, text, shared, created_at, updated_at, version) "
            "VALUES (%(cid)s, now() - interval '1 hour', 'private about them', false, now(), "
            "now(), 1)",
    "capture_source": "INSERT INTO capture_source (owner, kind, label, location, username, "
                      "options, state, created_at) VALUES ('', 'imap', 'work', 'mail:993', "
                      "'x', '{}', '{}', now())",
    "capture_proposal": "INSERT INTO capture_proposal (owner, source_key, match_key, "
                        "contact_id, candidate_name, candidate_email, kind, at, note, status, "
                        "created_at, updated_at) VALUES ('', 'ics:' || %(n)s, 'c', %(cid)s, "
                        "'', '', 'video', now() - interval '1 hour', '', 'pending', now(), "
                        "now())",
    "own_setting": "INSERT INTO own_setting (owner, key, value) "
                   "VALUES ('', 'capture_own_addresses' || %(n)s, '[\"me@example.org\"]')",
}

#: What a teammate would probe a table with (%(ann)s: the victim, %(cid)s: a person).
PROBES = {
    "placement": ["ring = 'inner'", "contact_id = %(cid)s AND ring = 'inner'"],
    "ring_move": ["to_ring = 'inner'", "contact_id = %(cid)s",
                  "at > now() - interval '1 day'"],
    "cadence_override": ["contact_id = %(cid)s", "days = 7"],
    "snooze": ["contact_id = %(cid)s", "until > now()", "at > now() - interval '1 day'"],
    "note": ["contact_id = %(cid)s", "NOT shared", "at > now() - interval '1 day'",
             "contact_id = %(cid)s AND at > now() - interval '1 day' AND NOT shared"],
    "capture_source": ["kind = 'imap'", "id > 0"],
    "capture_proposal": ["contact_id = %(cid)s", "status = 'pending'", "source_key > ''",
                         "at > now() - interval '1 day'"],
    "own_setting": ["key = 'capture_own_addresses0'", "value LIKE '%%@%%'", "key > ''"],
}

#: Planner settings that push PostgreSQL to the indexes.
SETTINGS = (
    (),
    ("SET enable_seqscan = off",),
    ("SET enable_seqscan = off", "SET enable_bitmapscan = off"),
    ("SET enable_seqscan = off", "SET enable_indexscan = off"),
    ("SET enable_seqscan = off", "SET enable_bitmapscan = off", "SET enable_indexscan = off",
     "SET enable_indexonlyscan = off"),
)


def plan_nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from plan_nodes(child)


@pytest.fixture
def ann_keeps_private_rows(team):
    """ann keeps 5 private rows in each private table (about 5 people, the probed one
    first); eve one of her own in each, about the probed person; the admin has run
    ANALYZE (statistics exist). Returns (pg, eve, ann, the probed person, a sixth)."""
    from tests.postgres.conftest import empty_tables

    pg, eve, ann = team
    empty_tables(pg)
    cids = [add_person(pg, "postgres", f"Probed Person {n}") for n in range(6)]
    for role, count in ((ann, 5), (eve, 1)):
        for statement in PRIVATE_ROWS.values():
            for n in range(count):
                pg.sql(statement, {"cid": cids[n], "n": n}, user=role)
    for t in privacy.PRIVATE_TABLES:
        pg.sql(f"ANALYZE {privacy.PRIVATE_SCHEMA}.{t.name}")
    return pg, eve, ann, cids[0], cids[5]


def test_explain_analyze_probes_learn_nothing_of_a_teammates_private_rows(
        ann_keeps_private_rows):
    """Issue 18: every private table, every probe, with the planner pushed to each kind of
    scan: the plan is a Function Scan of eve's own rows; no node scans a private table or
    its indexes, and no count in it exceeds what eve may see."""
    pg, eve, ann, cid, _other = ann_keeps_private_rows
    params = {"ann": ann, "cid": cid}
    private = {t.name for t in privacy.PRIVATE_TABLES}
    assert set(PROBES) == set(PRIVATE_ROWS) == private  # every private table is probed
    probed = 0
    with raw(pg, eve) as conn, conn.cursor() as cur:
        # JIT compiles a plan's expressions, it never changes the plan or the rows read;
        # with the scans' penalties in the costs every probe would start a compilation
        # (0.3-0.6 s each, 200 probes)
        jit_off = "SET jit = off"
        for t in privacy.PRIVATE_TABLES:
            cur.execute(jit_off)
            cur.execute(f"SELECT count(*) FROM {t.name}")
            (visible,) = cur.fetchone()
            assert visible == 1  # only her own
            owner_probe = f"{t.column} = %(ann)s"
            for settings in SETTINGS:
                for statement in settings:
                    cur.execute(statement)
                for where in [owner_probe, *(f"{owner_probe} AND {p}" for p in PROBES[t.name]),
                              *PROBES[t.name]]:
                    cur.execute("EXPLAIN (ANALYZE, VERBOSE, BUFFERS, FORMAT JSON) "
                                f"SELECT * FROM {t.name} WHERE {where}", params)
                    (plan,) = cur.fetchone()[0]
                    for node in plan_nodes(plan["Plan"]):
                        assert node.get("Relation Name") not in private, (t.name, where, node)
                        assert "Index Name" not in node, (t.name, where, node)
                        assert node.get("Rows Removed by Filter", 0) <= visible, (where, node)
                        assert node.get("Actual Rows", 0) <= visible, (where, node)
                        assert node.get("Rows Removed by Index Recheck", 0) == 0, node
                    top = plan["Plan"]
                    assert top["Node Type"] == "Function Scan", (t.name, top)
                    assert top["Function Name"] == f"planner_rows_{t.name}"
                    if t.column in where.split(" =")[0]:  # ann's rows: none of them
                        assert top["Actual Rows"] == 0
                    probed += 1
                cur.execute("RESET ALL")
                cur.execute(jit_off)
        conn.rollback()
    assert probed > 100


def test_a_teammate_cannot_reach_the_private_schema_or_its_functions(ann_keeps_private_rows):
    pg, eve, ann, cid, _other = ann_keeps_private_rows
    p = privacy.PRIVATE_SCHEMA
    for t in privacy.PRIVATE_TABLES:
        for statement in (f"SELECT count(*) FROM {p}.{t.name}",
                          f"UPDATE {p}.{t.name} SET {t.column} = {t.column} RETURNING id",
                          f"DELETE FROM {p}.{t.name} RETURNING id",
                          f"TRUNCATE {p}.{t.name}",
                          f"EXPLAIN SELECT * FROM {p}.{t.name}",
                          f"SELECT * FROM {p}.planner_rows_{t.name}()",
                          f"SELECT * FROM {p}.planner_rows_{t.name}('{ann}')"):
            result = run(pg, eve, statement)
            assert isinstance(result, psycopg2.errors.InsufficientPrivilege), (statement, result)
            assert "permission denied for schema" in str(result)
        # nor by the sequence: its last value is hidden from her
        seq = pg.sql(f"SELECT pg_get_serial_sequence('{p}.{t.name}', 'id')")[0][0]
        assert isinstance(run(pg, eve, "SELECT nextval(%s)", (seq,)),
                          psycopg2.errors.InsufficientPrivilege)
        assert pg.sql("SELECT last_value FROM pg_sequences WHERE schemaname = %s "
                      "AND sequencename = %s", (p, seq.split(".")[1]), user=eve) == [(None,)]
        # nor by the planner's statistics of the columns (most common values, histograms)
        assert pg.sql("SELECT count(*) FROM pg_stats WHERE schemaname = %s AND tablename = %s",
                      (p, t.name), user=eve) == [(0,)]
        assert pg.sql("SELECT count(*) FROM pg_stats WHERE schemaname = %s AND tablename = %s",
                      (p, t.name))[0][0] > 0  # (the admin's statistics do exist)
    # the views' write function is a trigger's, and hers to call by no name
    for statement in (f"SELECT {p}.planner_write_private()",
                      f"SELECT public.planner_purge_contact({cid}, '{ann}')"):
        assert isinstance(run(pg, eve, statement), psycopg2.Error), statement
    # nor may she log the planner's nested statements (auto_explain: the functions' plans)
    assert isinstance(run(pg, eve, "LOAD 'auto_explain'"), psycopg2.Error)


def test_owners_cannot_be_forged_or_changed_through_the_views(ann_keeps_private_rows):
    pg, eve, ann, _cid, other = ann_keeps_private_rows
    for t in privacy.PRIVATE_TABLES:
        statement = PRIVATE_ROWS[t.name].replace("''", "%(claimed)s", 1) if t.column == "owner" \
            else PRIVATE_ROWS[t.name].replace("(contact_id, at, text,",
                                              "(author, contact_id, at, text,").replace(
                "VALUES (", "VALUES (%(claimed)s, ")
        args = {"cid": other, "n": 99, "claimed": ann}
        if t.forced:  # an author claimed is the writer's own
            pg.sql(statement, args, user=eve)
            assert pg.sql(f"SELECT count(*) FROM {t.name} WHERE {t.column} = %s",
                          (eve,), user=eve) == [(2,)]
        else:
            result = run(pg, eve, statement, args)
            assert isinstance(result, psycopg2.errors.InsufficientPrivilege), (t.name, result)
            assert "row-level security" in str(result)
        # her own row cannot be given to ann, nor ann's rows touched
        result = run(pg, eve, f"UPDATE {t.name} SET {t.column} = %s", (ann,))
        assert isinstance(result, psycopg2.errors.InsufficientPrivilege), (t.name, result)
        assert run(pg, eve, f"UPDATE {t.name} SET id = id WHERE {t.column} = %s RETURNING id",
                   (ann,)) == []
        assert run(pg, eve, f"DELETE FROM {t.name} WHERE {t.column} = %s RETURNING id",
                   (ann,)) == []
        assert pg.sql(f"SELECT count(*) FROM {privacy.PRIVATE_SCHEMA}.{t.name} "
                      f"WHERE {t.column} = %s", (ann,)) == [(5,)]


def test_set_role_and_session_authorization_do_not_change_whose_rows(ann_keeps_private_rows):
    """Even a role made a member of ann's (an admin's mistake) reads and writes its own
    rows through the views: they follow the login (session) role."""
    pg, eve, ann, _cid, other = ann_keeps_private_rows
    pg.sql(f'GRANT "{ann}" TO "{eve}"')
    try:
        with raw(pg, eve) as conn, conn.cursor() as cur:
            cur.execute(f'SET ROLE "{ann}"')
            cur.execute("SELECT current_user, session_user")
            assert cur.fetchone() == (ann, eve)
            for t in privacy.PRIVATE_TABLES:
                cur.execute(f"SELECT DISTINCT {t.column} FROM {t.name}")
                assert cur.fetchall() == [(eve,)], t.name
            cur.execute("INSERT INTO placement (contact_id, owner, ring, position) "
                        "VALUES (%s, '', 'outer', 7) RETURNING owner", (other,))
            assert cur.fetchone() == (eve,)
            cur.execute("SAVEPOINT s")
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("INSERT INTO placement (contact_id, owner, ring, position) "
                            "VALUES (%s, %s, 'outer', 8)", (other, ann))
            cur.execute("ROLLBACK TO SAVEPOINT s")
            cur.execute("RESET ROLE")
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute(f'SET SESSION AUTHORIZATION "{ann}"')
            conn.rollback()
    finally:
        pg.sql(f'REVOKE "{ann}" FROM "{eve}"')


def test_shared_notes_are_the_teams_and_private_ones_their_authors(ann_keeps_private_rows):
    pg, eve, ann, cid, _other = ann_keeps_private_rows
    nid = pg.sql("INSERT INTO note (contact_id, at, text, shared, created_at, updated_at, "
                 "version) VALUES (%s, now(), 'for the team', true, now(), now(), 1) "
                 "RETURNING id", (cid,), user=ann)[0][0]
    assert pg.sql("SELECT text, author FROM note WHERE author = %s", (ann,), user=eve) == [
        ("for the team", ann)]
    assert run(pg, eve, "UPDATE note SET text = 'eve' WHERE id = %s RETURNING id", (nid,)) == []
    # ann unshares it: gone for eve, and the probe shows one filtered row at most (hers)
    pg.sql("UPDATE note SET shared = false WHERE id = %s", (nid,), user=ann)
    assert pg.sql("SELECT count(*) FROM note WHERE id = %s", (nid,), user=eve) == [(0,)]
    assert pg.sql("SELECT count(*) FROM note WHERE id = %s", (nid,), user=ann) == [(1,)]


def make_team_schema_2(pg, users: list[str]) -> None:
    """A team database as team schema 2 left it: the private tables in the planner's
    schema under forced row-level security (``<t>_own``, the notes' four policies),
    granted to the users with their sequences; no private schema."""
    p = privacy.PRIVATE_SCHEMA
    for t in privacy.PRIVATE_TABLES:
        pg.sql(f"DROP VIEW public.{t.name}")
        pg.sql(f"ALTER TABLE {p}.{t.name} SET SCHEMA public")
        pg.sql(f"ALTER TABLE public.{t.name} FORCE ROW LEVEL SECURITY")
        pg.sql(f"DROP POLICY {t.name}_through_views ON public.{t.name}")
        for user in users:
            pg.sql(f'GRANT SELECT, INSERT, UPDATE, DELETE ON public.{t.name} TO "{user}"')
            pg.sql(f"GRANT USAGE ON SEQUENCE public.{t.name}_id_seq TO \"{user}\"")
    pg.sql(f"DROP SCHEMA {p} CASCADE")
    pg.sql("UPDATE planner_meta SET value = '2' WHERE key = 'team_schema'")


def probe(pg, role: str, statement: str, params=None) -> list[dict]:
    """The nodes of EXPLAIN (ANALYZE) of ``statement`` as ``role``, index scans forced."""
    with raw(pg, role) as conn, conn.cursor() as cur:
        cur.execute("SET enable_seqscan = off")
        cur.execute("SET enable_bitmapscan = off")
        cur.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", params)
        (plan,) = cur.fetchone()[0]
        conn.rollback()
    return list(plan_nodes(plan["Plan"]))


def test_a_team_schema_2_database_leaks_by_explain_until_an_admin_opens_it(pg_server):
    """The attack of issue 18 on the old layout, then the upgrade: every row and id kept,
    the sequences go on, the users keep working and the probe learns nothing."""
    from planner.domain.rings import Ring
    from planner.services import contacts, placement

    with fresh_cluster() as pg:
        init(pg)
        eve, ann = pg.planner_users("eve", "ann")
        people = [add_person(pg, ann, f"Person {n}") for n in range(3)]
        with logged_in(pg, ann):
            for cid in people:
                placement.move_contact(bound(), cid, Ring.INNER)
        for cid in people:
            private_note(pg, ann, cid, "ann's secret")
        private_note(pg, eve, people[0], "eve's own")
        pg.sql("ANALYZE")
        before = {t.name: pg.sql(f"SELECT * FROM {privacy.PRIVATE_SCHEMA}.{t.name} "
                                 "ORDER BY id") for t in privacy.PRIVATE_TABLES}
        make_team_schema_2(pg, [eve, ann])
        assert pg.sql("SELECT value FROM planner_meta WHERE key = 'team_schema'") == [("2",)]

        # the leak: eve's own conditions are index conditions ahead of the policy
        nodes = probe(pg, eve, "SELECT * FROM placement WHERE owner = %s AND ring = 'inner'",
                      (ann,))
        assert any(n.get("Relation Name") == "placement" and "Index Name" in n
                   and n.get("Rows Removed by Filter", 0) == 3 for n in nodes), nodes
        # a user opening it is warned; db status says the tables are readable
        result = invoke("--db", pg.url(eve), "db", "status")
        assert "team schema 2" in result.stdout and "can be read by every" in result.stdout
        with logged_in(pg, eve):  # ann's rows stay out of reach meanwhile
            assert contacts.get_contact(people[0]).ring is None

        with logged_in(pg, "postgres"):  # the admin's open upgrades the team setup
            pass
        assert pg.sql("SELECT value FROM planner_meta WHERE key = 'team_schema'") == [
            (str(team_setup.TEAM_SCHEMA),)]
        after = {t.name: pg.sql(f"SELECT * FROM {privacy.PRIVATE_SCHEMA}.{t.name} "
                                "ORDER BY id") for t in privacy.PRIVATE_TABLES}
        assert after == before and before["placement"] and before["note"]
        assert rls_everywhere(pg)
        # the rights went with the tables: none left on them, the views granted instead
        assert pg.sql("SELECT count(*) FROM information_schema.table_privileges "
                      "WHERE table_schema = %s AND grantee IN (%s, %s)",
                      (privacy.PRIVATE_SCHEMA, eve, ann)) == [(0,)]
        nodes = probe(pg, eve, "SELECT * FROM placement WHERE owner = %s AND ring = 'inner'",
                      (ann,))
        assert [n["Node Type"] for n in nodes] == ["Function Scan"]
        assert nodes[0]["Actual Rows"] == 0 and nodes[0].get("Rows Removed by Filter") == 0
        nodes = probe(pg, eve, "SELECT * FROM note WHERE contact_id = %s", (people[1],))
        assert nodes[0]["Actual Rows"] == 0 and nodes[0].get("Rows Removed by Filter") == 1

        # both keep working: their rows, new ids after the old ones (sequences moved along)
        with logged_in(pg, ann):
            assert {contacts.get_contact(c).ring for c in people} == {Ring.INNER}
            placement.move_contact(bound(), people[0], Ring.OUTER)
        top = max(r[0] for r in before["ring_move"])
        assert pg.sql("SELECT max(id) FROM ring_move", user=ann) == [(top + 1,)]
        private_note(pg, eve, people[1], "eve again")
        assert [r[0] for r in pg.sql("SELECT text FROM note ORDER BY id", user=eve)] == [
            "eve's own", "eve again"]
        assert pg.sql("SELECT count(*) FROM note", user=ann) == [(3,)]
        with logged_in(pg, eve) as handle:
            from planner.storage.postgres.status import team_status

            assert team_status(handle.db, pg.url(eve)).warnings == ()


def test_renumbering_a_person_tells_nothing_of_a_teammates_private_rows(
        ann_keeps_private_rows):
    """`UPDATE contact SET id = …` as eve answered "does ann keep private rows about this
    person?" by the foreign key's error, which named the private table ("still referenced
    from table note"); with none it renumbered a shared person. Every shared table's id
    stays as it is, refused before any foreign key is checked."""
    pg, eve, _ann, cid, other = ann_keeps_private_rows
    for person in (cid, other):  # with private rows of ann's, and with none
        error = run(pg, eve, "UPDATE contact SET id = 987654 WHERE id = %s", (person,))
        assert isinstance(error, psycopg2.errors.InsufficientPrivilege), error
        assert "cannot be changed" in str(error)
        assert not re.search(r"note|placement|ring_move|snooze|capture|cadence", str(error))
    assert pg.sql("SELECT count(*) FROM contact WHERE id = 987654") == [(0,)]
    # nor one of eve's own touchpoints (ids are what others refer to)
    pg.sql("INSERT INTO touchpoint (contact_id, kind, at, minutes, note, created_at, "
           "updated_at, version) VALUES (%s, 'call', now(), NULL, '', now(), now(), 1)",
           (other,), user=eve)
    error = run(pg, eve, "UPDATE touchpoint SET id = id + 100000")
    assert isinstance(error, psycopg2.errors.InsufficientPrivilege), error
    # other columns are still the team's to edit
    assert run(pg, eve, "UPDATE contact SET organization = 'Navy' WHERE id = %s RETURNING id",
               (other,)) == [(other,)]


def test_a_teammates_table_lock_makes_a_command_wait_then_say_so_not_hang(team):
    """eve's `LOCK TABLE contact IN ACCESS EXCLUSIVE MODE`, held open, hung every command
    and window of the team for good: no lock waited for ever ended."""
    import time

    from planner.storage.failures import BUSY_SECONDS

    pg, eve, ann = team
    with raw(pg, eve) as conn:
        conn.cursor().execute("LOCK TABLE contact IN ACCESS EXCLUSIVE MODE")  # held
        started = time.monotonic()
        result = invoke("contacts", "list", db=pg.url(ann))
        waited = time.monotonic() - started
        conn.rollback()
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "busy" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert BUSY_SECONDS - 1 <= waited <= BUSY_SECONDS + 20, waited


# ------------------------------------------------------------------ huge pictures


def png_bomb(side: int = 8000) -> bytes:
    """A black PNG of ``side``×``side`` pixels: about 190 KB stored, 256 MB decoded."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG", optimize=True)
    return out.getvalue()


def test_a_teammates_decompression_bomb_picture_is_not_decoded_by_the_window(team, qapp):
    """eve stored an 8000×8000 PNG (190 KB) as a person's picture: every teammate's window
    spent 1.6 s and 256 MB decoding it on the GUI thread, per person and size."""
    import time

    from planner.ui.common import avatars

    pg, eve, ann = team
    cid = add_person(pg, eve, "Bombed")
    bomb = png_bomb()
    assert len(bomb) < team_setup.MAX_PHOTO_BYTES  # the database's size check lets it in
    pg.sql("INSERT INTO contact_photo (contact_id, photo, updated_at) VALUES (%s, %s, now())",
           (cid, psycopg2.Binary(bomb)), user=eve)
    with logged_in(pg, ann):
        avatars.invalidate()
        try:
            started = time.monotonic()
            assert avatars.has_photo(cid)
            assert avatars.photo_pixmap(cid, 56) is None  # initials
            assert time.monotonic() - started < 0.5
        finally:
            avatars.invalidate()


def test_a_teammate_cannot_store_megabytes_as_a_picture(team):
    pg, eve, _ = team
    cid = add_person(pg, eve, "Heavy")
    huge = b"\x89PNG\r\n\x1a\n" + bytes(2 * team_setup.MAX_PHOTO_BYTES)
    assert isinstance(run(pg, eve, "INSERT INTO contact_photo (contact_id, photo, updated_at) "
                                   "VALUES (%s, %s, now())", (cid, psycopg2.Binary(huge))),
                      psycopg2.errors.CheckViolation)
    assert pg.sql("SELECT count(*) FROM contact_photo WHERE contact_id = %s", (cid,)) == [(0,)]


# ------------------------------------------------------------------ locks a teammate holds


def test_a_teammate_cannot_block_a_users_ring_moves(team):
    """Ring moves of one user were serialised by pg_advisory_xact_lock(RINGS_LOCK,
    hashtext(<role>)): any role may take any advisory lock, so eve held ann's (a session
    lock: no transaction, no timeout ends it) and every move of ann's failed as busy."""
    import time

    from planner.storage.postgres.backend import RINGS_LOCK
    from tests.postgres.conftest import empty_tables

    pg, eve, ann = team
    empty_tables(pg)
    added = invoke("contacts", "add", "Lock Target", "--ring", "inner", db=pg.url(ann))
    assert added.returncode == 0, added.stderr

    def ann_moves(ring: str) -> float:
        started = time.monotonic()
        moved = invoke("contacts", "move", "Lock Target", ring, db=pg.url(ann))
        assert moved.returncode == 0, moved.stderr
        return time.monotonic() - started

    with raw(pg, eve) as conn:
        cur = conn.cursor()
        cur.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", (RINGS_LOCK, ann))
        assert ann_moves("middle") < 5
        conn.rollback()  # (the session's advisory lock stays)
        cur.execute("SELECT planner_lock_moves()")  # eve's own move lock, held open
        assert ann_moves("outer") < 5
        conn.rollback()
    # the move locks' table is out of reach: nobody can lock another user's row
    for statement in ("SELECT * FROM planner_private.move_lock",
                      "LOCK TABLE planner_private.move_lock IN ACCESS SHARE MODE",
                      "UPDATE planner_private.move_lock SET owner = owner"):
        assert isinstance(run(pg, eve, statement), psycopg2.errors.InsufficientPrivilege)


def test_a_teammate_cannot_block_db_init(team):
    """The migrations ran under pg_advisory_xact_lock(MIGRATION_LOCK), which eve could
    hold for good: every db init (and the admin's upgrade on open) waited, then failed."""
    import time

    from planner.storage.postgres.opening import MIGRATION_LOCK

    pg, eve, _ = team
    assert isinstance(run(pg, eve, "LOCK TABLE planner_meta IN EXCLUSIVE MODE"),
                      psycopg2.errors.InsufficientPrivilege)
    with raw(pg, eve) as conn:
        cur = conn.cursor()
        cur.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        cur.execute("LOCK TABLE planner_meta IN ACCESS SHARE MODE")  # all SELECT allows
        started = time.monotonic()
        init(pg)
        waited = time.monotonic() - started
        conn.rollback()
    assert waited < 5, waited
