"""One person's private rows read by ``planner_rows_<table>_of(contact_ids)`` (team schema
4): the attacks of issue 18 run against those functions as an ordinary planner role with
raw psycopg2, and the storage reading a person's notes, moves and snoozes through them."""

from __future__ import annotations

import psycopg2

from planner.storage.postgres import privacy
from tests.postgres.conftest import HOST, PORT, logged_in
from tests.postgres.test_hostile_teammate import (  # noqa: F401 (fixtures)
    SETTINGS,
    ann_keeps_private_rows,
    plan_nodes,
    raw,
    run,
    team,
)

BY_PERSON = [t for t in privacy.PRIVATE_TABLES if t.contact]


def test_every_private_table_about_a_person_has_its_reader():
    assert [name for name, _ in privacy.reader_functions()] == [
        f"planner_rows_{t.name}_of" for t in BY_PERSON]
    assert {t.name for t in BY_PERSON} == {
        "placement", "ring_move", "cadence_override", "snooze", "note", "capture_proposal"}


def test_a_teammates_people_give_only_her_own_rows_and_shared_notes(ann_keeps_private_rows):  # noqa: F811
    """eve asks for the people ann keeps rows about (ann's 5, one of them eve's too): she
    gets her own one row per table, never ann's; a note ann shares, she gets."""
    pg, eve, ann, cid, _other = ann_keeps_private_rows
    people = [r[0] for r in pg.sql(
        f"SELECT DISTINCT contact_id FROM {privacy.PRIVATE_SCHEMA}.note WHERE author = %s",
        (ann,))]
    assert len(people) == 5
    for t in BY_PERSON:
        rows = pg.sql(f"SELECT {t.column}, {t.contact} FROM planner_rows_{t.name}_of(%s)",
                      (people,), user=eve)
        assert rows == [(eve, cid)], t.name
        # and by anything that is not an id list: nothing more
        assert pg.sql(f"SELECT count(*) FROM planner_rows_{t.name}_of(NULL)", user=eve) == [
            (0,)]
        assert pg.sql(f"SELECT count(*) FROM planner_rows_{t.name}_of('{{}}')", user=eve) == [
            (0,)]
    # ann's rows are there all along (her own call sees them)
    assert pg.sql("SELECT count(*) FROM planner_rows_note_of(%s)", (people,), user=ann) == [(5,)]
    nid = pg.sql("INSERT INTO note (contact_id, at, text, shared, created_at, updated_at, "
                 "version) VALUES (%s, now(), 'for the team', true, now(), now(), 1) "
                 "RETURNING id", (cid,), user=ann)[0][0]
    assert sorted(pg.sql("SELECT author, shared FROM planner_rows_note_of(%s)", ([cid],),
                         user=eve)) == [(ann, True), (eve, False)]
    pg.sql("UPDATE note SET shared = false WHERE id = %s", (nid,), user=ann)
    assert pg.sql("SELECT author FROM planner_rows_note_of(%s)", ([cid],), user=eve) == [
        (eve,)]


def test_explain_analyze_of_a_call_shows_only_her_own_rows(ann_keeps_private_rows):  # noqa: F811
    """Every reader, the planner pushed to each kind of scan, probed with ann's people and
    conditions on ann: one Function Scan of eve's rows; no node scans a private table or
    names an index, and no count exceeds what eve may see."""
    pg, eve, ann, cid, other = ann_keeps_private_rows
    people = [r[0] for r in pg.sql("SELECT id FROM contact ORDER BY id")]
    probed = 0
    with raw(pg, eve) as conn, conn.cursor() as cur:
        for t in BY_PERSON:
            for settings in SETTINGS:
                for statement in settings:
                    cur.execute(statement)
                for ids, where in (([cid], "true"), (people, "true"),
                                   (people, f"{t.column} = %(ann)s"), ([other], "true")):
                    cur.execute("EXPLAIN (ANALYZE, VERBOSE, BUFFERS, FORMAT JSON) "
                                f"SELECT * FROM planner_rows_{t.name}_of(%(ids)s) "
                                f"WHERE {where}", {"ids": ids, "ann": ann})
                    (plan,) = cur.fetchone()[0]
                    nodes = list(plan_nodes(plan["Plan"]))
                    assert [n["Node Type"] for n in nodes] == ["Function Scan"], nodes
                    top = nodes[0]
                    assert top["Function Name"] == f"planner_rows_{t.name}_of"
                    assert "Index Name" not in top and "Relation Name" not in top
                    assert top.get("Actual Rows", 0) + top.get("Rows Removed by Filter",
                                                               0) <= 1, (t.name, ids, top)
                    probed += 1
                cur.execute("RESET ALL")
        conn.rollback()
    assert probed == len(BY_PERSON) * len(SETTINGS) * 4


def nested_plans(pg, role: str, statement: str, params=None) -> list[str]:
    """The plans of the statements run inside ``statement``'s functions when ``role``
    runs it (auto_explain, which only a superuser may load: the admin's session, made
    ``role``'s by SET SESSION AUTHORIZATION, so session_user is theirs)."""
    import psycopg2.extensions

    conn = psycopg2.connect(host=HOST, port=PORT, user="postgres", dbname=pg.name)
    try:
        with conn.cursor() as cur:
            for setting in ("LOAD 'auto_explain'", "SET auto_explain.log_min_duration = 0",
                            "SET auto_explain.log_nested_statements = on",
                            "SET auto_explain.log_analyze = on",
                            "SET client_min_messages = log"):
                cur.execute(setting)
            cur.execute(f'SET SESSION AUTHORIZATION "{role}"')
            del conn.notices[:]
            cur.execute(statement, params)
            cur.fetchall()
        conn.rollback()
        return [n for n in conn.notices if "planner_private." in n]
    finally:
        conn.close()


def test_a_call_reads_none_of_a_teammates_rows_even_inside(ann_keeps_private_rows):  # noqa: F811
    """Inside the function too (what its time could tell): the caller's rows and the
    shared ones are found by their own indexes; no teammate's private row about those
    people is read and dropped, and no private table is scanned whole."""
    pg, eve, ann, cid, _other = ann_keeps_private_rows
    pg.sql("INSERT INTO note (contact_id, at, text, shared, created_at, updated_at, version) "
           "VALUES (%s, now(), 'for the team', true, now(), now(), 1)", (cid,), user=ann)
    people = [r[0] for r in pg.sql("SELECT id FROM contact ORDER BY id")]
    for t in BY_PERSON:
        (plan,) = nested_plans(pg, eve, f"SELECT * FROM planner_rows_{t.name}_of(%s)",
                               (people,))
        assert dropped_rows(plan) == [], (t.name, plan)
        assert "Seq Scan on" not in plan, (t.name, plan)
        assert f"planner_{t.name}_person" in plan, (t.name, plan)
        assert "(never executed)" in plan  # the superuser's branch
    (plan,) = nested_plans(pg, eve, "SELECT * FROM planner_rows_note_of(%s)", ([cid],))
    assert "planner_note_shared_person" in plan and dropped_rows(plan) == []


def dropped_rows(plan: str) -> list[str]:
    """The scans of a private table in ``plan`` that read rows and dropped them (the
    superuser check's look at pg_authid, which drops the caller's own role, aside)."""
    out, node = [], ""
    for line in plan.splitlines():
        if " on " in line and ("Scan" in line or "->" in line):
            node = line
        elif "Rows Removed by" in line and "pg_authid" not in node:
            out.append(f"{node.strip()}: {line.strip()}")
    return out


def test_the_readers_are_pinned_owned_by_the_definer_role_and_for_planner_users_only(team):  # noqa: F811
    pg, eve, _ann = team
    definer = f"{pg.name}_planner_definer"
    for name, args in privacy.reader_functions():
        secdef, config, owner, public = pg.sql(
            "SELECT p.prosecdef, p.proconfig, p.proowner::regrole::text, "
            "EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner)))"
            " a WHERE a.grantee = 0) FROM pg_proc p WHERE p.oid = %s::regprocedure",
            (f"public.{name}({args})",))[0]
        assert secdef and config == ["search_path=pg_catalog, public, pg_temp",
                                     "enable_seqscan=off", "jit=off"], name
        assert owner.strip('"') == definer, name
        assert not public, name  # not PUBLIC's: only planner users may run them
        assert pg.sql("SELECT has_function_privilege(%s, %s, 'EXECUTE')",
                      (eve, f"public.{name}({args})")) == [(True,)]
    # a role that may connect but is no planner user cannot run them
    outsider = pg.role("outsider")
    pg.sql(f'CREATE ROLE "{outsider}" LOGIN')
    pg.sql(f'GRANT CONNECT ON DATABASE "{pg.name}" TO "{outsider}"')
    pg.sql(f'GRANT USAGE ON SCHEMA public TO "{outsider}"')
    result = run(pg, outsider, "SELECT * FROM planner_rows_note_of('{1}')")
    assert isinstance(result, psycopg2.errors.InsufficientPrivilege), result


def test_temporary_objects_do_not_stand_in_for_what_a_reader_uses(ann_keeps_private_rows):  # noqa: F811
    """Were TEMP allowed (an admin who could not revoke it from PUBLIC), a temporary
    ``note`` table, ``pg_roles`` view and ``planner_private``-free names change nothing:
    the readers' search path puts pg_temp last and every name is qualified."""
    pg, eve, ann, cid, _other = ann_keeps_private_rows
    pg.sql(f'GRANT TEMPORARY ON DATABASE "{pg.name}" TO "{eve}"')
    try:
        with raw(pg, eve) as conn, conn.cursor() as cur:
            cur.execute("CREATE TEMP TABLE note AS SELECT * FROM public.note")
            cur.execute("INSERT INTO pg_temp.note (id, contact_id, at, text, author, shared, "
                        "created_at, updated_at, version) SELECT -1, %s, now(), 'planted', "
                        "%s, false, now(), now(), 1", (cid, ann))
            cur.execute("CREATE TEMP VIEW pg_roles AS SELECT session_user::name AS rolname, "
                        "true AS rolsuper, true AS rolbypassrls")
            cur.execute("CREATE TEMP TABLE placement (contact_id bigint, owner text)")
            for t in BY_PERSON:
                cur.execute(f"SELECT DISTINCT {t.column} FROM public.planner_rows_{t.name}_of"
                            "(%s)", ([cid],))
                assert cur.fetchall() == [(eve,)], t.name
            cur.execute("SELECT count(*) FROM public.planner_rows_note_of(%s) WHERE id < 0",
                        ([cid],))
            assert cur.fetchone() == (0,)
            conn.rollback()
    finally:
        pg.sql(f'REVOKE TEMPORARY ON DATABASE "{pg.name}" FROM "{eve}"')


def test_db_status_checks_the_readers(team):  # noqa: F811
    from planner.storage.postgres.status import security_warnings

    pg, eve, _ann = team
    with logged_in(pg, eve) as handle:
        assert security_warnings(handle.db) == []
    pg.sql("GRANT EXECUTE ON FUNCTION public.planner_rows_note_of(bigint[]) TO PUBLIC")
    try:
        with logged_in(pg, eve) as handle:
            assert security_warnings(handle.db) == [
                "planner_rows_note_of may be run by every role, not only planner users: an "
                "admin runs: planner --db postgresql://ADMIN@… db init"]
    finally:
        pg.sql("REVOKE EXECUTE ON FUNCTION public.planner_rows_note_of(bigint[]) FROM PUBLIC")


def test_the_storage_reads_a_persons_private_rows_by_person(ann_keeps_private_rows):  # noqa: F811
    """A person's timeline, their latest note (This week) and their dump, as eve: read
    through the readers, with her own notes and ann's shared one, never ann's private."""
    from datetime import UTC, datetime

    from planner.domain.timeline import EntryType
    from planner.services.focus import focus_candidates
    from planner.storage import contacts_repo, timeline_repo
    from planner.storage.private_rows import by_person

    pg, eve, ann, cid, _other = ann_keeps_private_rows
    pg.sql("INSERT INTO note (contact_id, at, text, shared, created_at, updated_at, version) "
           "VALUES (%s, now() - interval '1 minute', 'shared by ann', true, now(), now(), 1)",
           (cid,), user=ann)
    pg.sql("INSERT INTO note (contact_id, at, text, shared, created_at, updated_at, version) "
           "VALUES (%s, now(), 'ann alone', false, now(), now(), 1)", (cid,), user=ann)
    with logged_in(pg, eve) as handle:
        assert by_person()
        page = timeline_repo.read_page(contact_id=cid, limit=50)
        notes = sorted(e.text for e in page if e.type is EntryType.NOTE)
        assert notes == ["private about them", "shared by ann"]
        assert [e.type for e in page].count(EntryType.MOVE) == 1
        ring = timeline_repo.read_page(contact_ids={cid}, types={EntryType.NOTE}, limit=50)
        assert sorted(e.text for e in ring) == notes
        assert sorted(n["text"] for n in contacts_repo.dump_contact(cid)["notes"]) == notes
        assert [r["owner"] for r in contacts_repo.dump_contact(cid)["moves"]] == [eve]
        (candidate,) = focus_candidates(datetime.now(UTC), ids=[cid])
        assert candidate.latest_note == "shared by ann"  # the newest she may read
        assert handle.db is not None
