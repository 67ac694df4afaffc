"""The change log's ids tell a teammate nothing about what a commit did (team schema 11).

Every user reads the change log (it is the team's clock). Its rows were one per
transaction since team schema 10, but the trigger's ``INSERT … ON CONFLICT DO NOTHING``
ran once per statement and took a sequence value each time, row or no row: the gap
between a teammate's id and the next told how many statements their commit ran, and so
whether the person they removed had been on their rings (3 statements, else 1). The
transaction ids told the same: the ring move ran in a savepoint of the removal, which took
an id of its own (nested blocks are one transaction now: ``connection._OneTransaction``)."""

from __future__ import annotations

import logging

import psycopg2
import pytest

from tests.helpers.stores import bound
from tests.postgres.conftest import HOST, PORT, logged_in


@pytest.fixture(scope="module")
def team(pg_initialised):
    eve, ann = pg_initialised.planner_users("eve", "ann")
    return pg_initialised, eve, ann


def clock_probe(pg, role: str) -> int:
    """What ``role`` can learn without leaving a row: the change log id its own
    transaction would take (rolled back)."""
    conn = psycopg2.connect(host=HOST, port=PORT, user=role, dbname=pg.name)
    try:
        with conn.cursor() as cur:
            cur.execute("UPDATE touchpoint SET note = note WHERE false")  # fires the trigger
            cur.execute("SELECT id FROM planner_change WHERE tx = txid_current()")
            (row,) = cur.fetchall()
        conn.rollback()
        return row[0]
    finally:
        conn.close()


def add_person(pg, role: str, name: str) -> int:
    from planner.services import contacts

    with logged_in(pg, role):
        return contacts.add_contact(bound(), name).id


def gaps(pg, spy: str, action, caplog) -> tuple[int, int]:
    """How many change-log ids ``action`` used, as ``spy`` sees it, and how many savepoints
    it made. (Each savepoint that writes takes a transaction id of its own, which any role
    reads from the server-wide counter; the counter itself is not compared here: every
    other test's database moves it too.)"""
    before = clock_probe(pg, spy)
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        action()
    savepoints = sum("SAVEPOINT" in str(r.msg) for r in caplog.records if r.name == "peewee")
    after = clock_probe(pg, spy)
    return after - before - 1, savepoints


def test_a_removal_uses_one_id_whether_or_not_the_person_was_on_the_removers_rings(team,
                                                                                  caplog):
    from planner.domain.rings import Ring
    from planner.services import contacts, placement

    pg, eve, ann = team
    placed, unplaced = add_person(pg, ann, "Placed"), add_person(pg, ann, "Unplaced")
    with logged_in(pg, ann):
        placement.move_contact(bound(), placed, Ring.MIDDLE)

    def remove(cid):
        def action():
            with logged_in(pg, ann):
                contacts.remove_contact(bound(), cid)
        return action

    seen = {cid: gaps(pg, eve, remove(cid), caplog) for cid in (placed, unplaced)}
    assert seen[placed] == seen[unplaced] == (1, 0), seen  # one commit, one id, no savepoint


def test_adding_someone_straight_onto_a_ring_looks_like_adding_them_alone(team, caplog):
    from planner.domain.rings import Ring
    from planner.services import contacts

    pg, eve, ann = team

    def add(ring):
        def action():
            with logged_in(pg, ann):
                contacts.add_contact(bound(), f"Someone {ring}", ring=ring)
        return action

    on_ring, off_ring = gaps(pg, eve, add(Ring.INNER), caplog), gaps(pg, eve, add(None), caplog)
    assert on_ring == off_ring == (1, 0), (on_ring, off_ring)
