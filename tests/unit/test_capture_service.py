"""The capture service (issue 24): one transaction per batch, matching by every address,
re-syncs that never propose twice, moves and cancellations, accept/reject and their
exact undo, sources and their private state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from planner.domain.capture import Captured
from planner.domain.errors import InvalidInput, NotFound
from planner.services import capture, contacts, touchpoints
from planner.storage.models import CaptureProposalRow
from tests.helpers.stores import bound

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def item(key="ics:a", at=None, addresses=(("ada@example.org", "Ada"),), kind="video",
         minutes=30, title="Sync", cancelled=False) -> Captured:
    return Captured(key, kind, at or NOW - timedelta(days=1), minutes, title,
                    tuple(addresses), cancelled)


@pytest.fixture
def people(opened):
    ada = contacts.add_contact(opened.backend, "Ada Lovelace", email="Ada@Example.org",
                               handles={"email-2": "ada@analytical.engine"})
    grace = contacts.add_contact(opened.backend, "Grace Hopper", email="grace@navy.mil")
    return ada, grace


def pending():
    return capture.list_proposals()


def test_a_batch_proposes_one_touchpoint_per_known_person(people):
    ada, grace = people
    result = capture.apply_batch(bound(), None, [item(addresses=(
        ("mailto:ADA+cal@example.org", "Ada"), ("grace@navy.mil", "Grace"),
        ("me@home.org", "Me"), ("ada@analytical.engine", "Ada again")))],
        own=["Me@Home.org"], at=NOW)
    assert (result.proposed, result.unmatched) == (2, 0)
    found = {p.contact_id: p for p in pending()}
    assert set(found) == {ada.id, grace.id}
    assert found[ada.id].kind == "video" and found[ada.id].minutes == 30
    assert found[ada.id].note == "Sync" and found[ada.id].contact_name == "Ada Lovelace"


def test_a_second_address_matches_and_strangers_of_a_small_meeting_are_candidates(people):
    ada, _ = people
    capture.apply_batch(bound(), None, [item(addresses=(("ada@analytical.engine", ""),
                                               ("Bob.Builder@site.org", "Bob Builder")))],
                        at=NOW)
    rows = {(p.contact_id, p.candidate_email, p.contact_name) for p in pending()}
    assert rows == {(ada.id, "", "Ada Lovelace"), (None, "Bob.Builder@site.org", "Bob Builder")}


def test_resync_never_proposes_twice_and_a_move_updates_the_pending_proposal(people):
    capture.apply_batch(bound(), None, [item()], at=NOW)
    again = capture.apply_batch(bound(), None, [item()], at=NOW)
    assert (again.proposed, again.unchanged) == (0, 1)
    moved = NOW - timedelta(hours=3)
    result = capture.apply_batch(bound(), None, [item(at=moved, minutes=45)], at=NOW)
    assert result.updated == 1
    (p,) = pending()
    assert (p.at, p.minutes) == (moved, 45)


def test_cancelled_withdraws_pending_but_never_an_accepted_touchpoint(people):
    capture.apply_batch(bound(), None, [item("ics:a"), item("ics:b")], at=NOW)
    a, b = sorted(pending(), key=lambda p: p.source_key)
    capture.accept(bound(), [a.id])
    result = capture.apply_batch(bound(), None, [item("ics:a", cancelled=True),
                                        item("ics:b", cancelled=True)], at=NOW)
    assert result.withdrawn == 1
    assert capture.get_proposal(a.id).status == "accepted"
    assert capture.get_proposal(b.id).status == "withdrawn"
    assert touchpoints.get_touchpoint(capture.get_proposal(a.id).touchpoint_id)


def test_a_cancelled_meeting_with_people_you_know_is_counted_as_cancelled(people):
    """It was counted as "with nobody you know"."""
    result = capture.apply_batch(bound(), None, [
        item("ics:c", cancelled=True),  # Ada's, never proposed
        item("ics:s", cancelled=True, addresses=(("stranger@else.where", "S"),)),
        item("ics:n", addresses=(("nobody@else.where", ""),))], at=NOW, candidates=False)
    assert (result.cancelled, result.unmatched, result.proposed) == (2, 1, 0)
    assert result.summary().endswith("; 0 already known, 1 with nobody you know, 2 cancelled")
    capture.apply_batch(bound(), None, [item("ics:p")], at=NOW)
    again = capture.apply_batch(bound(), None, [item("ics:p", cancelled=True)], at=NOW)
    assert (again.withdrawn, again.cancelled, again.unmatched) == (1, 0, 0)  # said once
    later = capture.apply_batch(bound(), None, [item("ics:p", cancelled=True)], at=NOW)
    assert (later.withdrawn, later.cancelled, later.unmatched) == (0, 1, 0)


def test_evolutions_method_cancel_for_people_you_know_is_cancelled(opened, tmp_path):
    """A real METHOD:CANCEL (GNOME Evolution) whose organiser and attendee are people."""
    from planner.services import capture_ics
    from tests.conftest import SHARED_FIXTURES

    for name, address in (("Org", "organizer@no.where"), ("User", "user@no.where")):
        contacts.add_contact(opened.backend, name, email=address)
    path = SHARED_FIXTURES / "ics" / "evolution-cancel.ics"
    result, _ = capture_ics.import_ics(bound(), path, since=datetime(2000, 1, 1, tzinfo=UTC))
    assert (result.cancelled, result.unmatched, result.proposed) == (1, 0, 0)


def test_future_events_are_not_proposed(people):
    result = capture.apply_batch(bound(), None, [item(at=NOW + timedelta(hours=1))], at=NOW)
    assert result.proposed == 0 and pending() == []


def test_accept_makes_an_ordinary_touchpoint_and_undo_redo_are_exact(people):
    ada, _ = people
    capture.apply_batch(bound(), None, [item()], at=NOW)
    (p,) = pending()
    done = capture.accept(bound(), [p.id], {p.id: {"kind": "call", "minutes": 20, "note": "Fine"}})
    tp = touchpoints.get_touchpoint(done.touchpoint_ids[0])
    assert (tp.contact_id, tp.kind, tp.minutes, tp.note) == (ada.id, "call", 20, "Fine")
    assert [e.kind for e in touchpoints.timeline(ada.id) if e.type.value == "touchpoint"] == [
        "call"]
    capture.undo_accept(bound(), done)
    assert capture.get_proposal(p.id).status == "pending"
    with pytest.raises(NotFound):
        touchpoints.get_touchpoint(tp.id)
    capture.redo_accept(bound(), done)
    assert touchpoints.get_touchpoint(tp.id).note == "Fine"
    assert capture.get_proposal(p.id).touchpoint_id == tp.id
    again = capture.apply_batch(bound(), None, [item()], at=NOW)
    assert again.proposed == 0


def stored_proposals() -> dict[int, dict]:
    """Every proposal as the table holds it (what an undo must put back)."""
    return {r.id: r.__data__.copy() for r in CaptureProposalRow.select()}


def test_the_undo_snapshots_of_an_accept_are_the_stored_rows_exactly(people, tmp_path):
    source = capture.add_source(bound(), "ics", "Calendar", str(tmp_path / "cal.ics"))
    stranger = (("ada@example.org", ""), ("zoe@site.org", "Zoë Zed"))
    capture.apply_batch(bound(), source.id, [item("ics:1", addresses=stranger),
                                    item("ics:2", addresses=stranger)], at=NOW)
    before = stored_proposals()
    first = next(p for p in pending() if p.is_candidate and p.source_key == "ics:1")
    done = capture.accept(bound(), [first.id])
    after = stored_proposals()
    assert done.before and all(row["source"] == source.id for row in done.before)
    assert done.before == [before[row["id"]] for row in done.before]
    assert sorted(done.after, key=lambda r: r["id"]) == [after[row["id"]] for row in
                                                          sorted(done.before,
                                                                 key=lambda r: r["id"])]
    capture.undo_accept(bound(), done)
    assert stored_proposals() == before


def test_accepting_a_candidate_adds_the_person_and_claims_their_other_proposals(people):
    stranger = (("ada@example.org", ""), ("zoe@site.org", "Zoë Zed"))
    capture.apply_batch(bound(), None, [item("ics:1", addresses=stranger),
                               item("ics:2", addresses=stranger)], at=NOW)
    first = next(p for p in pending() if p.is_candidate and p.source_key == "ics:1")
    done = capture.accept(bound(), [first.id])
    (new_id,) = done.created_contact_ids
    zoe = contacts.get_contact(new_id)
    assert (zoe.name, zoe.email, zoe.ring) == ("Zoë Zed", "zoe@site.org", None)
    second = next(p for p in pending() if p.source_key == "ics:2" and p.contact_id == new_id)
    assert not second.is_candidate
    # a re-sync knows her now: no new candidate, no second proposal
    assert capture.apply_batch(bound(), None, [item("ics:2", addresses=stranger)],
                               at=NOW).proposed == 0
    capture.undo_accept(bound(), done)
    with pytest.raises(NotFound):
        contacts.get_contact(new_id)
    assert sum(p.is_candidate for p in pending()) == 2


def test_reject_is_remembered(people):
    capture.apply_batch(bound(), None, [item()], at=NOW)
    (p,) = pending()
    capture.reject(bound(), [p.id])
    assert capture.apply_batch(bound(), None, [item(at=NOW - timedelta(hours=5))],
                               at=NOW).proposed == 0
    assert pending() == []
    capture.unreject(bound(), [p.id])
    assert [q.id for q in pending()] == [p.id]
    with pytest.raises(InvalidInput):
        capture.accept(bound(), [])


def test_a_source_keeps_its_state_windows_withdraw_and_auto_accept(people, tmp_path):
    source = capture.add_source(bound(), "ics", "Work", str(tmp_path / "w.ics"))
    window = (NOW - timedelta(days=30), NOW)
    capture.apply_batch(bound(), source.id, [item("ics:a"), item("ics:b")], state={"mtime": 1},
                        window=window, at=NOW)
    assert capture.get_source(source.id).state == {"mtime": 1}
    result = capture.apply_batch(bound(), source.id, [item("ics:a")], state={"mtime": 2},
                                 window=window, at=NOW)
    assert result.withdrawn == 1
    assert [p.source_key for p in pending()] == ["ics:a"]
    capture.set_source_options(bound(), source.id, auto_accept=True)
    result = capture.apply_batch(bound(), source.id, [item("ics:a"), item("ics:c")], window=window,
                                 at=NOW)
    assert result.accepted == 1  # the new one; ics:a was already pending and unchanged
    assert capture.remove_source(bound(), source.id) == 1
    with pytest.raises(NotFound):
        capture.get_source(source.id)


def test_a_failed_batch_writes_nothing(people, tmp_path):
    source = capture.add_source(bound(), "ics", "Work", str(tmp_path / "w.ics"))

    def items():
        yield item("ics:a")
        raise RuntimeError("the network went away")

    with pytest.raises(RuntimeError):
        capture.apply_batch(bound(), source.id, items(), state={"token": "x"}, at=NOW)
    assert pending() == [] and capture.get_source(source.id).state == {}
