"""A teammate who gives new rows ids of their own, as an ordinary planner role with raw
psycopg2 (team schema 10): rows with the next ids made the team's next inserts of that
table fail once per id taken, until an admin moved the sequence on; a private row's id
moved to the next one did the same to every user's next private row."""

from __future__ import annotations

import psycopg2
import pytest

from planner.storage.postgres.privacy import MAX_ID_AHEAD
from tests.helpers.cli import invoke
from tests.postgres.test_hostile_teammate import add_person, private_note, run


@pytest.fixture(scope="module")
def team(pg_initialised):
    eve, ann = pg_initialised.planner_users("eve", "ann")
    return pg_initialised, eve, ann


def next_ids(pg, table: str) -> int:
    """The id the table's sequence hands out next, read as the admin."""
    seq = pg.sql(f"SELECT pg_get_serial_sequence('{table}', 'id')")[0][0]
    last, called = pg.sql(f"SELECT last_value, is_called FROM {seq}")[0]
    return last + 1 if called else last


def test_people_with_the_next_ids_do_not_break_a_teammates_adds(team):
    pg, eve, ann = team
    ahead = next_ids(pg, "contact")
    for step in range(3):  # the next three ids, taken by hand
        run(pg, eve, "INSERT INTO contact (id, name, email, phones, handles, channels, tags, "
                     "timezone, birthday, organization, title, notes, stage, created_at, "
                     "updated_at, version) VALUES (%s, 'Squatter', '', '[]', '{}', '[]', '[]', "
                     "'', '', '', '', '', 'none', now(), now(), 1)", (ahead + step,))
    for name in ("Grace Hopper", "Alan Kay", "Barbara Liskov"):
        result = invoke("contacts", "add", name, db=pg.url(ann))
        assert result.returncode == 0, result.stderr
    names = [row[0] for row in pg.sql("SELECT name FROM contact WHERE id > %s ORDER BY id",
                                      (ahead + 2,))]
    assert names == ["Grace Hopper", "Alan Kay", "Barbara Liskov"]


def test_a_touchpoint_with_the_next_id_does_not_break_a_teammates_log(team):
    pg, eve, ann = team
    cid = add_person(pg, ann, "Edsger Dijkstra")
    ahead = next_ids(pg, "touchpoint")
    run(pg, eve, "INSERT INTO touchpoint (id, contact_id, kind, at, note, created_at, "
                 "updated_at, version) VALUES (%s, %s, 'coffee', now(), '', now(), now(), 1)",
        (ahead, cid))
    result = invoke("log", "Edsger Dijkstra", "coffee", db=pg.url(ann))
    assert result.returncode == 0, result.stderr
    assert pg.sql("SELECT count(*) FROM touchpoint WHERE contact_id = %s", (cid,)) == [(2,)]


def test_an_id_far_ahead_is_refused_and_the_sequence_stays(team):
    pg, eve, _ann = team
    before = next_ids(pg, "contact")
    error = run(pg, eve, "INSERT INTO contact (id, name, email, phones, handles, channels, "
                         "tags, timezone, birthday, organization, title, notes, stage, "
                         "created_at, updated_at, version) VALUES (%s, 'Far', '', '[]', '{}', "
                         "'[]', '[]', '', '', '', '', '', 'none', now(), now(), 1)",
                (before + MAX_ID_AHEAD + 5,))
    assert isinstance(error, psycopg2.errors.InsufficientPrivilege), error
    assert "too far past" in str(error)
    assert next_ids(pg, "contact") == before


def test_a_private_rows_id_cannot_be_moved_to_the_next_one(team):
    pg, eve, ann = team
    cid = add_person(pg, eve, "Frances Allen")
    private_note(pg, eve, cid, "mine")
    (mine,) = pg.sql("SELECT id FROM planner_private.note WHERE author = %s", (eve,))[-1:]
    ahead = next_ids(pg, "planner_private.note")
    error = run(pg, eve, "UPDATE note SET id = %s WHERE id = %s", (ahead, mine[0]))
    assert isinstance(error, psycopg2.errors.InsufficientPrivilege), error
    assert "cannot be changed" in str(error)
    # ann's next private note goes in
    result = invoke("note", "Frances Allen", "ann's own thought", db=pg.url(ann))
    assert result.returncode == 0, result.stderr
    assert pg.sql("SELECT count(*) FROM planner_private.note WHERE author = %s "
                  "AND text = %s", (ann, "ann's own thought")) == [(1,)]


def test_a_private_id_far_ahead_is_refused(team):
    pg, eve, _ann = team
    cid = add_person(pg, eve, "Kristen Nygaard")
    before = next_ids(pg, "planner_private.note")
    error = run(pg, eve, "INSERT INTO note (id, contact_id, at, text, shared, created_at, "
                         "updated_at, version) VALUES (%s, %s, now(), 'far', false, now(), "
                         "now(), 1)", (before + MAX_ID_AHEAD + 5, cid))
    assert isinstance(error, psycopg2.errors.InsufficientPrivilege), error
    assert "too far past" in str(error)
    # a row with its own id close ahead (an import's) still goes in, and moves the sequence
    assert run(pg, eve, "INSERT INTO note (id, contact_id, at, text, shared, created_at, "
                        "updated_at, version) VALUES (%s, %s, now(), 'near', false, now(), "
                        "now(), 1) RETURNING id", (before + 10, cid)) == [(before + 10,)]
    assert next_ids(pg, "planner_private.note") > before + 10
