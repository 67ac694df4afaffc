"""Captured touchpoints on a team database (issue 24): sources and proposals are private
to the user who captured them (postgres.privacy.PRIVATE_TABLES: stored in planner_private, read
through views of one's own rows), checked with raw psycopg2 as the other role; accepting
makes an ordinary, shared touchpoint."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg2
import pytest

from planner.domain.capture import Captured
from planner.domain.errors import NotFound
from planner.services import capture, contacts, touchpoints
from tests.postgres.conftest import empty_tables
from tests.postgres.conftest import logged_in as as_user

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="module")
def roles(pg_initialised):
    return pg_initialised, *pg_initialised.planner_users("alice", "bob")


@pytest.fixture
def team(roles):
    empty_tables(roles[0])
    return roles


def item(key: str) -> Captured:
    return Captured(key, "video", NOW - timedelta(days=1), 30, "Sync",
                    (("ada@example.org", "Ada"), ("zoe@site.org", "Zoë")))


def test_sources_and_proposals_are_their_owners_alone(team):
    pg, alice, bob = team
    with as_user(pg, alice):
        ada = contacts.add_contact("Ada", email="ada@example.org")
        source = capture.add_source("ics", "Alice's calendar", "/home/alice/cal.ics")
        capture.apply_batch(source.id, [item("ics:a")], state={"mtime": 1})
        assert len(capture.list_proposals()) == 2  # Ada, and Zoë as a new person
    with as_user(pg, bob):
        assert capture.list_sources() == [] and capture.list_proposals() == []
        with pytest.raises(NotFound):
            capture.get_source(source.id)
        # bob capturing the same event has his own proposals, never alice's
        capture.apply_batch(None, [item("ics:a")])
        mine = capture.list_proposals()
        assert len(mine) == 2
        done = capture.accept([p.id for p in mine if p.contact_id == ada.id])
    assert sorted(pg.sql("SELECT owner, count(*) FROM capture_proposal GROUP BY owner")) == [
        (alice, 2), (bob, 2)]
    assert pg.sql("SELECT owner FROM capture_source") == [(alice,)]
    # raw SQL as bob: alice's rows are invisible and untouchable
    assert pg.sql("SELECT count(*) FROM capture_source", user=bob) == [(0,)]
    assert pg.sql("SELECT count(*) FROM capture_proposal WHERE owner = %s", (alice,),
                  user=bob) == [(0,)]
    assert pg.sql("UPDATE capture_proposal SET status = 'rejected' WHERE owner = %s "
                  "RETURNING id", (alice,), user=bob) == []
    assert pg.sql("DELETE FROM capture_source RETURNING id", user=bob) == []
    with pytest.raises(psycopg2.Error, match="row-level security"):
        pg.sql("INSERT INTO capture_source (owner, kind, label, location, username, options, "
               "state, created_at) VALUES (%s, 'ics', 'x', '/x', '', '{}', '{}', now())",
               (alice,), user=bob)
    pg.sql("INSERT INTO capture_source (owner, kind, label, location, username, options, "
           "state, created_at) VALUES ('', 'ics', 'x', '/x', '', '{}', '{}', now())",
           user=bob)  # the owner is filled in
    assert sorted(pg.sql("SELECT owner FROM capture_source")) == sorted([(alice,), (bob,)])
    for table in ("capture_source", "capture_proposal"):  # registered private tables
        assert pg.sql("SELECT schemaname FROM pg_tables WHERE tablename = %s",
                      (table,)) == [("planner_private",)]
        with pytest.raises(psycopg2.Error, match="permission denied for schema"):
            pg.sql(f"SELECT count(*) FROM planner_private.{table}", user=bob)
    # the accepted touchpoint is an ordinary one: the whole team reads it
    with as_user(pg, alice):
        (tp,) = [e for e in touchpoints.timeline(ada.id) if e.type.value == "touchpoint"]
        assert (tp.kind, tp.author) == ("video", bob)
        assert {p.status for p in capture.list_proposals(None)} == {"pending"}
    assert done.touchpoint_ids == [tp.row_id]


def test_removing_a_user_takes_their_captures_off_their_name(team):
    pg, alice, _bob = team
    with as_user(pg, alice):
        contacts.add_contact("Ada", email="ada@example.org")
        capture.add_source("ics", "Cal", "/cal.ics")
        capture.apply_batch(None, [item("ics:b")])
    from planner.storage.postgres.connection import connect
    from planner.storage.postgres.users import private_rows

    db = connect(pg.url())
    try:
        rows = private_rows(db, alice)
    finally:
        db.close()
    assert (rows["capture_source"], rows["capture_proposal"]) == (1, 2)
