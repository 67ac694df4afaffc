"""Reviewing captured touchpoints (issue 24): accepting (a known person; a candidate,
who becomes a new person) and rejecting, each one undo step however many proposals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from planner.document.capture_commands import AcceptCapturedCommand, RejectCapturedCommand
from planner.domain.capture import Captured
from planner.domain.rings import Ring
from planner.services import capture, contacts, touchpoints
from tests.helpers.stores import bound

NOW = datetime.now(UTC).replace(microsecond=0)


def meeting(key: str, *addresses: tuple[str, str]) -> Captured:
    return Captured(key, "video", NOW - timedelta(days=1), 30, "Sync", tuple(addresses))


def proposals(document, *items: Captured):
    ada = contacts.add_contact(bound(), "Ada Lovelace", ring=Ring.INNER, email="ada@example.org")
    capture.apply_batch(bound(), None, items, at=NOW)
    document.reload()
    return ada, sorted(capture.list_proposals(), key=lambda p: p.source_key)


def status(proposal) -> str:
    return capture.get_proposal(proposal.id).status


def test_accept_two_in_one_step(steps, document):
    ada, pending = proposals(document, meeting("ics:a", ("ada@example.org", "Ada")),
                             meeting("ics:b", ("ada@example.org", "Ada")))

    def done():
        assert [status(p) for p in pending] == ["accepted", "accepted"]
        assert [e.kind for e in touchpoints.timeline(ada.id, limit=10)
                if e.type.value == "touchpoint"] == ["video", "video"]
        assert document.contact(ada.id).last_touch is not None

    def undone():
        assert [status(p) for p in pending] == ["pending", "pending"]
        assert document.contact(ada.id).last_touch is None

    steps.run(AcceptCapturedCommand,
              lambda: document.editing.accept_captured(pending, {pending[0].id: {"minutes": 45}}),
              done, undone)


def test_accepting_a_candidate_adds_the_person(steps, document):
    _, pending = proposals(document, meeting("ics:a", ("ada@example.org", ""),
                                             ("zoe@site.org", "Zoë Zed")))
    [candidate] = [p for p in pending if p.is_candidate]

    def done():
        assert status(candidate) == "accepted"
        assert sorted(c.name for c in contacts.list_contacts()) == ["Ada Lovelace", "Zoë Zed"]
        assert document.count() == 2

    def undone():
        assert status(candidate) == "pending"
        assert [c.name for c in contacts.list_contacts()] == ["Ada Lovelace"]
        assert document.count() == 1

    steps.run(AcceptCapturedCommand, lambda: document.editing.accept_captured([candidate]),
              done, undone)


def test_reject(steps, document):
    _, pending = proposals(document, meeting("ics:a", ("ada@example.org", "Ada")))
    steps.run(RejectCapturedCommand, lambda: document.editing.reject_captured(pending),
              lambda: status(pending[0]) == "rejected" or _fail("not rejected"),
              lambda: status(pending[0]) == "pending" or _fail("not pending"))
    assert capture.pending_count() == 0


def _fail(why: str):
    raise AssertionError(why)
