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
from tests.helpers.stores import bound
from tests.postgres.conftest import logged_in as as_user

NOW = datetime.now(UTC).replace(microsecond=0)


def item(key: str) -> Captured:
    return Captured(key, "video", NOW - timedelta(days=1), 30, "Sync",
                    (("ada@example.org", "Ada"), ("zoe@site.org", "Zoë")))


def test_sources_and_proposals_are_their_owners_alone(team):
    pg, alice, bob = team
    with as_user(pg, alice):
        ada = contacts.add_contact(bound(), "Ada", email="ada@example.org")
        source = capture.add_source(bound(), "ics", "Alice's calendar", "/home/alice/cal.ics")
        capture.apply_batch(bound(), source.id, [item("ics:a")], state={"mtime": 1})
        assert len(capture.list_proposals()) == 2  # Ada, and Zoë as a new person
    with as_user(pg, bob):
        assert capture.list_sources() == [] and capture.list_proposals() == []
        with pytest.raises(NotFound):
            capture.get_source(source.id)
        # bob capturing the same event has his own proposals, never alice's
        capture.apply_batch(bound(), None, [item("ics:a")])
        mine = capture.list_proposals()
        assert len(mine) == 2
        done = capture.accept(bound(), [p.id for p in mine if p.contact_id == ada.id])
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
        contacts.add_contact(bound(), "Ada", email="ada@example.org")
        capture.add_source(bound(), "ics", "Cal", "/cal.ics")
        capture.apply_batch(bound(), None, [item("ics:b")])
    from planner.storage.postgres.connection import connect
    from planner.storage.postgres.users import private_rows

    db = connect(pg.url())
    try:
        rows = private_rows(db, alice)
    finally:
        db.close()
    assert (rows["capture_source"], rows["capture_proposal"]) == (1, 2)


def test_own_addresses_are_each_users_own_and_out_of_a_teammates_reach(team):
    """Each user's own addresses (never proposed as people) are their own setting: a
    teammate with psql neither reads them nor changes them (they were a shared setting
    until schema 9, and a teammate could add an address to hide someone from capture)."""
    pg, alice, bob = team
    with as_user(pg, alice):
        assert capture.set_own_addresses(bound(), ["alice@example.org"]) == ["alice@example.org"]
    with as_user(pg, bob):
        assert capture.own_address_list() == []
        capture.set_own_addresses(bound(), ["bob@example.org"])
    with as_user(pg, alice):
        assert capture.own_address_list() == ["alice@example.org"]
    assert pg.sql("SELECT owner, value FROM own_setting", user=bob) == [
        (bob, '["bob@example.org"]')]
    assert pg.sql("SELECT count(*) FROM setting WHERE value LIKE '%%@%%'", user=bob) == [(0,)]
    assert pg.sql("UPDATE own_setting SET value = '[\"zoe@site.org\"]' WHERE owner = %s "
                  "RETURNING id", (alice,), user=bob) == []
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        pg.sql("INSERT INTO own_setting (owner, key, value) VALUES "
               "(%s, 'capture_own_addresses', '[\"zoe@site.org\"]')", (alice,), user=bob)
    with as_user(pg, alice):
        assert capture.own_address_list() == ["alice@example.org"]


def test_a_version_8_team_database_gives_each_user_their_own_addresses(fresh_pg):
    """Schema 8 kept everyone's own addresses in one shared setting ({user: [...]}); the
    admin's upgrade gives each user theirs, privately, and removes the shared one."""
    import json

    from planner.storage import migrations
    from planner.storage.database import open_database
    from planner.storage.postgres.opening import open_postgres
    from planner.storage.target import resolve_target

    pg = fresh_pg
    open_postgres(resolve_target(pg.url()), init=True).close()
    alice, bob = pg.planner_users("alice", "bob")
    pg.sql("DROP VIEW own_setting")  # back to what schema 8 had
    pg.sql("DROP TABLE planner_private.own_setting CASCADE")
    pg.sql("UPDATE planner_meta SET value = '8' WHERE key = 'schema_version'")
    shared = {alice: ["alice@example.org"], bob: ["bob@example.org", "b@example.org"]}
    pg.sql("INSERT INTO setting (key, value) VALUES ('capture_own_addresses', %s)",
           (json.dumps(shared),))
    open_database(pg.url()).close()  # the admin's open migrates
    assert pg.sql("SELECT value FROM planner_meta WHERE key = 'schema_version'") == [
        (str(migrations.LATEST),)]
    assert pg.sql("SELECT count(*) FROM setting WHERE key = 'capture_own_addresses'") == [(0,)]
    for role in (alice, bob):
        with as_user(pg, role):
            assert capture.own_address_list() == shared[role]
        assert len(pg.sql("SELECT * FROM own_setting", user=role)) == 1


def test_a_proposal_cannot_name_a_teammates_source(team):
    """bob's raw proposal naming alice's source by id went in (her source existed) or
    failed on the foreign key (it did not): whether a source of that id existed, and
    when alice removed it (his proposal's source_id went NULL), was his to learn. Now a
    teammate's source is answered as one that is not there; his own works."""
    pg, alice, bob = team
    with as_user(pg, alice):
        hers = capture.add_source(bound(), "ics", "Alice's calendar", "/home/alice/cal.ics")
    (missing,) = pg.sql("SELECT max(id) + 1000 FROM planner_private.capture_source")[0]
    insert = ("INSERT INTO capture_proposal (owner, source_id, source_key, match_key, "
              "candidate_name, candidate_email, kind, at, note, status, created_at, "
              "updated_at) VALUES ('', %s, %s, 'email:x', '', '', 'video', now(), '', "
              "'pending', now(), now())")
    errors = []
    for source_id, key in ((hers.id, "k1"), (missing, "k2")):
        with pytest.raises(psycopg2.errors.ForeignKeyViolation) as raised:
            pg.sql(insert, (source_id, key), user=bob)
        diag = raised.value.diag
        errors.append((diag.message_primary, diag.context,
                       diag.message_detail.replace(f"=({source_id})", "=(N)")))
    assert errors[0] == errors[1]  # the same answer, word for word
    with as_user(pg, bob):
        his = capture.add_source(bound(), "ics", "Bob's calendar", "/home/bob/cal.ics")
    pg.sql(insert, (his.id, "k3"), user=bob)
    (mine,) = pg.sql("SELECT id FROM capture_proposal WHERE source_key = 'k3'", user=bob)[0]
    # nor moved onto hers afterwards
    with pytest.raises(psycopg2.errors.ForeignKeyViolation):
        pg.sql("UPDATE capture_proposal SET source_id = %s WHERE id = %s", (hers.id, mine),
               user=bob)
    assert pg.sql("SELECT source_id FROM planner_private.capture_proposal") == [(his.id,)]


def test_a_teammate_reads_no_event_id_in_an_accepted_touchpoint(team):
    """An accepted touchpoint is the team's; the event it came from is its capturer's own.
    It kept the proposal's key, "ics:<UID>" or "imap:<Message-ID>:<day>", which every
    teammate read (a Message-ID may name a host or a person)."""
    import hashlib

    pg, alice, bob = team
    key = "imap:<CAF=private.thread@mail.alice-home.example>:2026-12-01"
    with as_user(pg, alice):
        ada = contacts.add_contact(bound(), "Ada", email="ada@example.org")
        capture.apply_batch(bound(), None, [item(key)])
        capture.accept(bound(), [p.id for p in capture.list_proposals()
                                 if p.contact_id == ada.id])
    kept = pg.sql("SELECT source FROM touchpoint", user=bob)
    assert kept == [("sha256:" + hashlib.sha256(key.encode()).hexdigest(),)]
    assert "alice-home" not in str(kept)
    # the same mail read by bob: already a touchpoint of Ada's, so not proposed to him again
    with as_user(pg, bob):
        capture.apply_batch(bound(), None, [item(key)])
        assert [p.contact_id for p in capture.list_proposals()] == [None]  # Zoë only


def test_an_older_touchpoints_event_id_is_digested_by_the_admins_setup(team):
    import hashlib

    from planner.storage.postgres import team_setup
    from planner.storage.postgres.connection import connect

    pg, alice, bob = team
    with as_user(pg, alice):
        ada = contacts.add_contact(bound(), "Ada", email="ada@example.org")
    pg.sql("INSERT INTO touchpoint (contact_id, kind, at, note, author, source, created_at, "
           "updated_at, version) VALUES (%s, 'video', now(), '', '', 'ics:old-uid@alice', "
           "now(), now(), 1)", (ada.id,), user=alice)  # as a version before 11 kept it
    admin = connect(pg.url())
    try:
        team_setup.team_setup(admin)  # what an admin's open or `db init` runs on an upgrade
    finally:
        admin.close()
    digest = "sha256:" + hashlib.sha256(b"ics:old-uid@alice").hexdigest()
    assert pg.sql("SELECT source, author FROM touchpoint", user=bob) == [(digest, alice)]
    with as_user(pg, bob):  # still known: not proposed again
        capture.apply_batch(bound(), None, [item("ics:old-uid@alice")])
        assert [p.contact_id for p in capture.list_proposals()] == [None]
