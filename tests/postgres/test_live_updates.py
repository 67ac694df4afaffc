"""The team database announces changes: on commit only, naming table, contact, role and
connection, never the contact of a private note; the change log counts every commit."""

from __future__ import annotations

import select

import pytest

from planner.storage.postgres import connection, live


@pytest.fixture(scope="module")
def team(pg_initialised):
    return pg_initialised, *pg_initialised.planner_users("alice", "bob")


@pytest.fixture
def listener(team):
    from tests.postgres.conftest import empty_tables

    pg, alice, _ = team
    empty_tables(pg)
    db = connection.connect(pg.url(alice))
    found = live.ChangeListener.like(db)
    found.open()
    yield found
    found.close()
    db.close()


_CONTACT = ("INSERT INTO contact (name, email, phones, handles, channels, tags, timezone, "
            "birthday, organization, title, notes, stage, created_at, updated_at, version) "
            "VALUES (%s, '', '[]', '{}', '[]', '[]', '', '', '', '', '', 'none', "
            "'2026-01-01', '2026-01-01', 1) RETURNING id")
_NOTE = ("INSERT INTO note (contact_id, at, text, author, shared, created_at, updated_at, "
         "version) VALUES (%s, '2026-01-02', 'x', '', %s, '2026-01-02', '2026-01-02', 1)")


def wait_for(listener, seconds: float = 5.0) -> list[live.Change]:
    ready, _, _ = select.select([listener.fileno()], [], [], seconds)
    return listener.drain() if ready else []


def test_parse_reads_the_payload_and_refuses_garbage():
    assert live.parse("touchpoint 7 ada 123") == live.Change("touchpoint", 7, "ada", 123)
    assert live.parse("note - ada 123") == live.Change("note", None, "ada", 123)
    assert live.parse("nonsense") is None
    assert live.parse("note x ada y") is None


def test_a_commit_is_announced_with_its_author_and_connection(team, listener):
    pg, _, bob = team
    bob_db = connection.connect(pg.url(bob))
    try:
        cid = bob_db.execute_sql(_CONTACT, ("Ada",)).fetchone()[0]
        pid = live.backend_pid(bob_db)
    finally:
        bob_db.close()
    changes = wait_for(listener)
    assert live.Change("contact", cid, bob, pid) in changes


def test_a_rolled_back_change_is_never_announced(team, listener):
    import psycopg2

    pg, _, bob = team
    conn = psycopg2.connect(host="127.0.0.1", port=5432, user=bob, dbname=pg.name)
    with conn.cursor() as cur:
        cur.execute(_CONTACT, ("Ghost",))
    conn.rollback()
    conn.close()
    assert wait_for(listener, 0.5) == []


def test_a_private_note_does_not_tell_teammates_whose_it_is(team, listener):
    pg, _, bob = team
    cid = pg.sql(_CONTACT, ("Grace",))[0][0]
    wait_for(listener)
    for shared in (False, True):
        pg.sql(_NOTE, (cid, shared), user=bob)
    changes: list[live.Change] = []
    for _ in range(10):  # two commits (their notifications may arrive apart)
        changes += wait_for(listener, 0.5)
        if any(c.table == "note" for c in changes):
            break
    # the private note has no notice of its own (team schema 10): each commit says
    # "private" once, whatever it changed; the shared note names its person
    assert [(c.table, c.contact_id) for c in changes] == [
        ("private", None), ("private", None), ("note", cid)]


def test_the_change_log_moves_on_every_commit_and_only_then(team):
    pg, alice, _ = team
    db = connection.connect(pg.url(alice))
    try:
        before = live.read_clock(db)
        pg.sql("UPDATE contact SET name = name")  # a statement, even touching no row, counts
        after = live.read_clock(db)
        assert after != before
        assert live.changes_since(db, before[1])[-1][0] == "postgres"
        # and a planner user may read it but not write it
        import psycopg2

        with pytest.raises(psycopg2.Error):
            pg.sql("INSERT INTO planner_change (actor, pid) VALUES ('x', 1)", user=alice)
    finally:
        db.close()
