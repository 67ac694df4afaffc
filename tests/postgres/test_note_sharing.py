"""Version checks on touchpoints and notes, and sharing a note with the team.

The first tests run on both engines (``backend``); the rest log in to a team database
as two ordinary roles, alice and bob, whose notes row-level security keeps private.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from planner.domain.errors import ConflictError, NotFound, PlannerError
from planner.domain.timeline import EntryType
from planner.services import contacts
from planner.services import touchpoints as svc
from tests.helpers.cli import as_json, invoke, ok, refused
from tests.helpers.stores import bound
from tests.postgres.conftest import logged_in

T0 = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
CHANGED = ("was changed by someone else meanwhile; your edit was not saved — "
           "the timeline now shows theirs")


def entry(contact_id: int, entry_id: str):
    return next((e for e in svc.timeline(contact_id, limit=50) if e.id == entry_id), None)


# -- both engines -------------------------------------------------------------------------
def test_an_edit_from_an_old_version_is_refused_and_saves_nothing(backend):
    ada = contacts.add_contact(backend.backend, "Ada Lovelace").id
    tp = svc.log_touchpoint(backend.backend, ada, "coffee", at=T0, note="engines")
    assert tp.version == 1
    mine = svc.edit_touchpoint(backend.backend, tp.id, note="looms", expected_version=1)
    assert (mine.note, mine.version) == ("looms", 2)
    with pytest.raises(ConflictError) as err:
        svc.edit_touchpoint(backend.backend, tp.id, note="cards", expected_version=1)
    assert str(err.value) == f"this coffee with Ada Lovelace {CHANGED}"
    assert (svc.get_touchpoint(tp.id).note, svc.get_touchpoint(tp.id).version) == ("looms", 2)
    with pytest.raises(ConflictError, match="this IM with Ada"):
        svc.edit_touchpoint(backend.backend, svc.log_touchpoint(backend.backend, ada, "im").id,
                            minutes=5, expected_version=7)
    # nothing to change, but an old copy: still refused
    with pytest.raises(ConflictError):
        svc.edit_touchpoint(backend.backend, tp.id, expected_version=1)
    # without a version the last writer wins, as before
    assert svc.edit_touchpoint(backend.backend, tp.id, note="cards").version == 3
    with pytest.raises(NotFound, match="no touchpoint with id 999"):
        svc.edit_touchpoint(backend.backend, 999, note="x", expected_version=1)


def test_a_note_edit_from_an_old_version_is_refused(backend):
    ada = contacts.add_contact(backend.backend, "Ada Lovelace").id
    note = svc.add_note(backend.backend, ada, "first", at=T0)
    assert svc.edit_note(backend.backend, note.id, text="second",
                         expected_version=note.version).version == 2
    with pytest.raises(ConflictError) as err:
        svc.edit_note(backend.backend, note.id, text="third", expected_version=1)
    assert str(err.value) == f"this note about Ada Lovelace {CHANGED}"
    assert svc.get_note(note.id).text == "second"


def test_deleting_an_old_version_is_refused_and_keeps_the_row(backend):
    ada = contacts.add_contact(bound(), "Ada Lovelace").id
    tp = svc.log_touchpoint(bound(), ada, "call", at=T0)
    note = svc.add_note(bound(), ada, "keep me", at=T0)
    svc.edit_touchpoint(bound(), tp.id, minutes=10)
    svc.edit_note(bound(), note.id, text="changed")
    with pytest.raises(ConflictError, match=r"this call with Ada Lovelace .*nothing was deleted"):
        svc.delete_touchpoint(bound(), tp.id, expected_version=1)
    with pytest.raises(ConflictError, match=r"this note about Ada Lovelace .*nothing was deleted"):
        svc.delete_note(bound(), note.id, expected_version=1)
    assert svc.get_touchpoint(tp.id).minutes == 10 and svc.get_note(note.id).text == "changed"
    row = svc.delete_touchpoint(bound(), tp.id, expected_version=2)
    assert row["version"] == 2
    svc.delete_note(bound(), note.id, expected_version=2)
    assert svc.restore_touchpoint(bound(), row).version == 2  # undo puts back the same version
    with pytest.raises(NotFound):
        svc.get_note(note.id)


def test_sharing_a_note_and_making_it_private_again(backend):
    ada = contacts.add_contact(backend.backend, "Ada Lovelace").id
    note = svc.add_note(backend.backend, ada, "wants to teach", at=T0)
    assert not note.shared
    shared = svc.set_note_shared(backend.backend, note.id, True, expected_version=note.version)
    assert (shared.shared, shared.version, shared.text) == (True, 2, "wants to teach")
    seen = entry(ada, f"note:{note.id}")
    assert (seen.shared, seen.version) == (True, 2)
    with pytest.raises(ConflictError, match="this note about Ada Lovelace was changed"):
        svc.set_note_shared(backend.backend, note.id, False, expected_version=1)
    assert svc.get_note(note.id).shared
    private = svc.set_note_shared(backend.backend, note.id, False)
    assert (private.shared, private.version) == (False, 3)
    with pytest.raises(NotFound, match="no note with id 999"):
        svc.set_note_shared(backend.backend, 999, True)


def test_timeline_entries_say_who_wrote_them_and_their_version(backend):
    ada = contacts.add_contact(backend.backend, "Ada Lovelace").id
    tp = svc.log_touchpoint(backend.backend, ada, "coffee", at=T0)
    svc.edit_touchpoint(backend.backend, tp.id, minutes=15)
    note = svc.add_note(backend.backend, ada, "a note", at=T0, shared=True)
    team = backend.target.kind != "sqlite"
    author = "postgres" if team else ""
    assert svc.current_user() == author
    coffee, written = entry(ada, f"touchpoint:{tp.id}"), entry(ada, f"note:{note.id}")
    assert (coffee.author, coffee.version) == (author, 2)
    assert (written.author, written.shared, written.version) == (author, True, 1)
    data = {e.type: svc.entry_as_dict(e) for e in svc.timeline(ada, limit=10)}
    assert data[EntryType.TOUCHPOINT]["author"] == author
    assert data[EntryType.NOTE]["shared"] is True
    assert "author" not in data[EntryType.CREATED] and "shared" not in data[EntryType.TOUCHPOINT]


# -- two planner users on a team database --------------------------------------------------
@pytest.fixture(scope="module")
def team(pg_initialised):
    return pg_initialised, *pg_initialised.planner_users("alice", "bob")


@pytest.fixture
def alices_note(team):
    """Ada Lovelace, and a private note about her by alice: (pg, alice, bob, ada, note)."""
    from tests.postgres.conftest import empty_tables

    pg, alice, bob = team
    empty_tables(pg)
    with logged_in(pg, alice):
        ada = contacts.add_contact(bound(), "Ada Lovelace").id
        note = svc.add_note(bound(), ada, "alice's thoughts on Ada", at=T0)
    assert note.author == alice and not note.shared
    return pg, alice, bob, ada, note


def test_alice_shares_a_note_bob_reads_it_until_she_makes_it_private(alices_note):
    pg, alice, bob, ada, note = alices_note
    nid = f"note:{note.id}"
    with logged_in(pg, bob):
        assert entry(ada, nid) is None
        with pytest.raises(NotFound):  # another's private note is not even seen
            svc.set_note_shared(bound(), note.id, True)
    with logged_in(pg, alice):
        assert svc.set_note_shared(bound(), note.id, True, expected_version=1).shared
    with logged_in(pg, bob):
        seen = entry(ada, nid)
        assert (seen.text, seen.author, seen.shared) == ("alice's thoughts on Ada", alice, True)
    with logged_in(pg, alice):
        assert not svc.set_note_shared(bound(), note.id, False, expected_version=2).shared
    with logged_in(pg, bob):
        assert entry(ada, nid) is None


def test_bob_cannot_share_unshare_edit_or_delete_alices_note(alices_note):
    pg, alice, bob, _, note = alices_note
    with logged_in(pg, alice):
        svc.set_note_shared(bound(), note.id, True)
    with logged_in(pg, bob):
        for attempt, message in (
            (lambda: svc.set_note_shared(bound(), note.id, False),
             "only its author can make this note private"),
            (lambda: svc.set_note_shared(bound(), note.id, True, expected_version=2),
             "only its author can share this note"),
            (lambda: svc.edit_note(bound(), note.id,
                                   text="mine now"), "only its author can edit this note"),
            (lambda: svc.delete_note(bound(), note.id), "only its author can delete this note"),
        ):
            with pytest.raises(PlannerError) as err:
                attempt()
            assert str(err.value) == message
            assert not isinstance(err.value, ConflictError)
        assert svc.get_note(note.id).shared
    assert pg.sql("SELECT text, shared, version FROM note") == [
        ("alice's thoughts on Ada", True, 2)]
    refused(invoke("--db", pg.url(bob), "note-share", str(note.id), "--private"),
            "only its author can make this note private")
    result = as_json(invoke("--db", pg.url(alice), "note-share", f"note:{note.id}",
                             "--private", "--json"))
    assert (result["author"], result["shared"], result["version"]) == (alice, False, 3)
    refused(invoke("--db", pg.url(bob), "note-share", str(note.id)), f"no note with id {note.id}")
    assert "shared with the team" in ok(invoke("--db", pg.url(alice), "note-share",
                                                str(note.id)))


def test_a_touchpoint_edited_elsewhere_meanwhile_is_a_conflict(alices_note):
    pg, alice, bob, ada, _ = alices_note
    with logged_in(pg, bob):
        tp = svc.log_touchpoint(bound(), ada, "im", at=T0, note="bob's chat")
    assert tp.author == bob
    with logged_in(pg, alice):  # the team reads bob's touchpoints, only bob changes them
        shown = entry(ada, f"touchpoint:{tp.id}")
        assert (shown.author, shown.version) == (bob, 1)
        with pytest.raises(PlannerError, match="only its author can change this touchpoint"):
            svc.edit_touchpoint(bound(), tp.id, minutes=5, expected_version=shown.version)
        with pytest.raises(PlannerError, match="only its author can delete this touchpoint"):
            svc.delete_touchpoint(bound(), tp.id, expected_version=shown.version)
    with logged_in(pg, bob):  # bob's other window edits it…
        svc.edit_touchpoint(bound(), tp.id, minutes=20, expected_version=1)
    with logged_in(pg, bob):  # …while this one still shows version 1
        with pytest.raises(ConflictError) as err:
            svc.edit_touchpoint(bound(), tp.id, note="my edit", expected_version=1)
        assert str(err.value) == f"this IM with Ada Lovelace {CHANGED}"
        with pytest.raises(ConflictError):
            svc.delete_touchpoint(bound(), tp.id, expected_version=1)
    assert pg.sql("SELECT note, minutes, author, version FROM touchpoint") == [
        ("bob's chat", 20, bob, 2)]
