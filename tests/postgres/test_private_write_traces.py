"""A private write leaves no trace on a row a teammate can read (team schema 6).

A foreign key from a private table to ``contact`` locked the person's row (FOR KEY SHARE)
on every private insert, and a locked row keeps the locker's transaction id in ``xmax``:
a teammate reading ``contact.xmax`` learned which person eve had just placed, moved,
snoozed or written a private note about, and the change log's ``xmin`` said it was eve.
These tests read every shared table as ann, with its system columns, before, during and
after each kind of private write by eve, and compare."""

from __future__ import annotations

from contextlib import contextmanager

import psycopg2
import pytest

from planner.storage.postgres import privacy
from tests.helpers.stores import bound
from tests.postgres.conftest import HOST, PORT, empty_tables
from tests.postgres.test_hostile_teammate import PRIVATE_ROWS, add_person, touch

#: What ann reads of every table of the planner's schema she may read (but the change
#: log, whose rows say who wrote which table when, by design): every row with the
#: system columns a lock or a write would change.
_SHARED_TABLES = """
SELECT c.relname FROM pg_catalog.pg_class c
 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
   AND c.relname <> 'planner_change'
   AND pg_catalog.has_table_privilege(c.oid, 'SELECT')
 ORDER BY 1"""


def what_ann_sees(conn) -> dict[str, list[tuple]]:
    seen = {}
    with conn.cursor() as cur:
        cur.execute(_SHARED_TABLES)
        for (table,) in cur.fetchall():
            cur.execute(f"SELECT ctid::text, xmin::text, xmax::text, to_jsonb(t)::text "
                        f"FROM public.{table} t ORDER BY 4, 1")
            seen[table] = cur.fetchall()
    conn.rollback()  # a fresh snapshot next time
    return seen


@contextmanager
def connected(pg, role: str):
    conn = psycopg2.connect(host=HOST, port=PORT, user=role, dbname=pg.name)
    try:
        yield conn
    finally:
        conn.close()


@pytest.fixture
def people(pg_initialised):
    pg = pg_initialised
    eve, ann = pg.planner_users("eve", "ann")
    empty_tables(pg)
    first = add_person(pg, "postgres", "Probed Person")
    second = add_person(pg, "postgres", "Other Person")
    touchpoint = touch(pg, "postgres", first)
    return pg, eve, ann, first, second, touchpoint


#: A private row about a touchpoint too (a capture proposal that became one).
_PROPOSAL_OF_TOUCHPOINT = (
    "INSERT INTO capture_proposal (owner, source_key, match_key, contact_id, touchpoint_id, "
    "candidate_name, candidate_email, kind, at, note, status, created_at, updated_at) VALUES "
    "('', 'ics:t' || %(n)s, 'c', %(cid)s, %(tid)s, '', '', 'video', "
    "now() - interval '1 hour', '', 'accepted', now(), now())")

WRITES = {**PRIVATE_ROWS, "capture_proposal of a touchpoint": _PROPOSAL_OF_TOUCHPOINT}


@pytest.mark.parametrize("kind", sorted(WRITES))
def test_a_private_write_changes_nothing_a_teammate_can_read(people, kind):
    pg, eve, ann, cid, other, tid = people
    table = kind.split()[0]
    about = privacy.private_table(table).contact
    with connected(pg, ann) as ann_conn, connected(pg, eve) as eve_conn:
        before = what_ann_sees(ann_conn)
        with eve_conn.cursor() as cur:
            cur.execute(WRITES[kind] + " RETURNING id", {"cid": cid, "tid": tid, "n": 1})
            (rid,) = cur.fetchone()
            assert what_ann_sees(ann_conn) == before  # while eve's transaction is open
            eve_conn.commit()
            assert what_ann_sees(ann_conn) == before
            if about:  # about someone else now: the new person's row is not touched either
                cur.execute(f"UPDATE {table} SET {about} = %s WHERE id = %s", (other, rid))
                assert cur.rowcount == 1
                assert what_ann_sees(ann_conn) == before
                eve_conn.commit()
            cur.execute(f"DELETE FROM {table} WHERE id = %s", (rid,))
            assert cur.rowcount == 1
            eve_conn.commit()
        assert what_ann_sees(ann_conn) == before


@pytest.mark.parametrize("table", [t.name for t in privacy.PRIVATE_TABLES if t.contact])
def test_a_private_row_about_nobody_known_is_refused(people, table):
    """Without the foreign key the views' trigger checks the person exists (a read, no
    lock): a row about an id nobody has is refused as the foreign key refused it."""
    pg, eve, _ann, cid, _other, tid = people
    missing = cid + 1000
    statement = WRITES[table]
    with connected(pg, eve) as conn, conn.cursor() as cur:
        with pytest.raises(psycopg2.errors.ForeignKeyViolation) as refused:
            cur.execute(statement, {"cid": missing, "tid": tid, "n": 1})
        assert "\"contact\"" in str(refused.value)
        conn.rollback()
        cur.execute(statement + " RETURNING id", {"cid": cid, "tid": tid, "n": 1})
        (rid,) = cur.fetchone()
        with pytest.raises(psycopg2.errors.ForeignKeyViolation):
            cur.execute(f"UPDATE {table} SET contact_id = %s WHERE id = %s", (missing, rid))
        conn.rollback()
    with connected(pg, eve) as conn, conn.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {table}")
        assert cur.fetchone() == (0,)


def test_a_proposal_about_a_touchpoint_nobody_has_is_refused(people):
    pg, eve, _ann, cid, _other, tid = people
    with (connected(pg, eve) as conn, conn.cursor() as cur,
          pytest.raises(psycopg2.errors.ForeignKeyViolation)):
        cur.execute(_PROPOSAL_OF_TOUCHPOINT, {"cid": cid, "tid": tid + 1000, "n": 1})


def test_removing_a_person_for_good_still_removes_everyones_private_rows_about_them(people):
    """What the foreign keys' ON DELETE did, the shared tables' delete triggers do: the
    private rows about a purged person go (every owner's), a proposal that became a removed
    touchpoint forgets it, and nobody else's rows are touched."""
    pg, eve, ann, cid, other, tid = people
    for role in (eve, ann):
        for table, statement in WRITES.items():
            if table == "capture_source":
                continue
            for person in (cid, other):
                pg.sql(statement, {"cid": person, "tid": tid, "n": person}, user=role)
    private = privacy.PRIVATE_SCHEMA

    def rows_about(person: int) -> int:
        return sum(pg.sql(f"SELECT count(*) FROM {private}.{t.name} WHERE {t.contact} = %s",
                          (person,))[0][0]
                   for t in privacy.PRIVATE_TABLES if t.contact)

    assert rows_about(cid) == rows_about(other) > 0
    kept = rows_about(other)
    pg.sql("DELETE FROM touchpoint WHERE id = %s", (tid,))  # the admin removes it
    assert pg.sql(f"SELECT count(*) FROM {private}.capture_proposal "
                  "WHERE touchpoint_id IS NOT NULL") == [(0,)]
    assert pg.sql(f"SELECT count(*) FROM {private}.capture_proposal "
                  "WHERE status = 'accepted'")[0][0] == 4  # the proposals stay
    pg.sql("DELETE FROM contact WHERE id = %s", (cid,))
    assert rows_about(cid) == 0
    assert rows_about(other) == kept


def shared_keys(pg) -> list[tuple]:
    """The foreign keys from the private schema to another one."""
    return pg.sql("SELECT c.conrelid::regclass::text, c.conname FROM pg_constraint c "
                  "JOIN pg_class r ON r.oid = c.conrelid JOIN pg_class f ON f.oid = c.confrelid "
                  "WHERE c.contype = 'f' AND r.relnamespace = %s::regnamespace "
                  "AND f.relnamespace <> r.relnamespace ORDER BY 1, 2",
                  (privacy.PRIVATE_SCHEMA,))


def test_an_older_team_database_loses_the_keys_at_the_admins_next_open(fresh_pg):
    """A team database set up before schema 6 has the keys (made by the migrations): the
    admin's next open runs the setup again, which drops them; the private rows stay."""
    from planner.storage.database import open_database
    from planner.storage.postgres import team_setup
    from planner.storage.postgres.opening import open_postgres
    from planner.storage.target import resolve_target

    pg = fresh_pg
    open_postgres(resolve_target(pg.url()), init=True).close()
    assert shared_keys(pg) == []
    (eve,) = pg.planner_users("eve")
    cid = add_person(pg, eve)
    pg.sql(PRIVATE_ROWS["placement"], {"cid": cid, "n": 0}, user=eve)
    private = privacy.PRIVATE_SCHEMA
    for ref in privacy.shared_references():  # as team schema 5 left them
        pg.sql(f"ALTER TABLE {private}.{ref.table} ADD FOREIGN KEY ({ref.column}) "
               f"REFERENCES public.{ref.target} (id) ON DELETE {ref.on_delete}")
    pg.sql("UPDATE planner_meta SET value = '5' WHERE key = 'team_schema'")
    assert len(shared_keys(pg)) == len(privacy.shared_references()) == 7
    open_database(pg.url()).close()
    assert shared_keys(pg) == []
    assert pg.sql("SELECT value FROM planner_meta WHERE key = 'team_schema'") == [
        (str(team_setup.TEAM_SCHEMA),)]
    assert pg.sql("SELECT count(*) FROM placement", user=eve) == [(1,)]


def test_what_the_app_keeps_private_changes_nothing_a_teammate_can_read(people):
    """The same through the services the window and the command line use: placing and
    moving a person, a cadence of one's own, a snooze, a private note."""
    from datetime import UTC, datetime, timedelta

    from planner.domain.rings import Ring
    from planner.services import contacts, placement, snoozes, touchpoints
    from tests.postgres.conftest import logged_in

    pg, eve, ann, cid, _other, _tid = people
    with connected(pg, ann) as ann_conn:
        before = what_ann_sees(ann_conn)
        with logged_in(pg, eve):
            placement.move_contact(bound(), cid, Ring.INNER)
            placement.move_contact(bound(), cid, Ring.MIDDLE)
            contacts.edit_contact(bound(), cid, cadence_days=3)
            snoozes.snooze(bound(), cid, datetime.now(UTC) + timedelta(days=30))
            touchpoints.add_note(bound(), cid, "private about them")
            assert what_ann_sees(ann_conn) == before
            snoozes.clear(bound(), cid)
            contacts.edit_contact(bound(), cid, cadence_days=None)
            placement.move_contact(bound(), cid, None)
        assert what_ann_sees(ann_conn) == before


def test_rows_that_outlived_their_person_do_not_stop_an_export_restoring(people, tmp_path):
    """Private rows name a person by id, without a key: a teammate's row written while an
    admin purged the person can outlive them. An export left such rows in, and every
    teammate's export was then refused on restore ("refers to id 3, which is not in
    contacts"). The export leaves them out (and a link to a row left out), with a word."""
    from planner.services import exporting
    from planner.storage.database import open_database
    from tests.postgres.conftest import logged_in

    pg, eve, ann, cid, other, _tid = people
    for role in (eve, ann):
        pg.sql(PRIVATE_ROWS["placement"], {"cid": cid, "n": 0}, user=role)
        pg.sql(PRIVATE_ROWS["note"], {"cid": cid, "n": 0}, user=role)
        pg.sql(PRIVATE_ROWS["placement"], {"cid": other, "n": 1}, user=role)
    # what the race leaves: the person gone, rows about them kept (no trigger, no key)
    pg.sql("SET LOCAL session_replication_role = replica; "
           "DELETE FROM touchpoint WHERE contact_id = %s; DELETE FROM contact WHERE id = %s",
           (cid, cid))
    with logged_in(pg, ann):
        dumped = exporting.export_json(bound())
    assert [p["contact_id"] for p in dumped["placements"]] == [other]
    assert dumped["notes"] == []
    handle = open_database(str(tmp_path / "restored.db"))
    try:
        counts = exporting.import_json(bound(), dumped)
    finally:
        handle.close()
    assert counts["contacts"] == 1 and counts["placements"] == 1
