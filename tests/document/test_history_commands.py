"""Touchpoints and notes: log, add, edit, share, delete — and snoozes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from planner.document.log_commands import (
    AddNoteCommand,
    DeleteEntryCommand,
    EditNoteCommand,
    EditTouchpointCommand,
    LogTouchpointCommand,
    ShareNoteCommand,
)
from planner.document.snooze_commands import ClearSnoozeCommand, SnoozeCommand
from planner.domain.rings import Ring
from planner.services import contacts, snoozes, touchpoints
from tests.helpers.stores import bound

YESTERDAY = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)


def kinds(contact_id: int) -> list[str]:
    """What the person's timeline shows, newest first (entry types and kinds)."""
    return [e.kind if e.type.value == "touchpoint" else e.type.value
            for e in touchpoints.timeline(contact_id, limit=20)]


def person(document, ring=Ring.INNER):
    ada = contacts.add_contact(bound(), "Ada Lovelace", ring=ring)
    document.reload()
    return ada


def test_log_a_touchpoint(steps, document):
    ada = person(document)

    def done():
        assert "coffee" in kinds(ada.id)
        assert document.contact(ada.id).last_touch is not None

    def undone():
        assert "coffee" not in kinds(ada.id)
        assert document.contact(ada.id).last_touch is None

    steps.run(LogTouchpointCommand,
              lambda: document.editing.log_touchpoint(ada.id, "coffee", YESTERDAY, 30, "looms"),
              done, undone)


def test_add_a_note(steps, document):
    ada = person(document)
    steps.run(AddNoteCommand, lambda: document.editing.add_note(ada.id, "Likes engines"),
              lambda: "note" in kinds(ada.id) or _fail("no note"),
              lambda: "note" not in kinds(ada.id) or _fail("a note is left"))


def test_edit_a_touchpoint(steps, document):
    ada = person(document)
    tp = touchpoints.log_touchpoint(bound(), ada.id, "coffee", at=YESTERDAY, note="looms")
    document.reload()
    steps.run(EditTouchpointCommand,
              lambda: document.editing.edit_touchpoint(tp.id, {"note": "engines",
                                                               "kind": "call"}),
              lambda: (touchpoints.get_touchpoint(tp.id).note, kinds(ada.id)[-1]) == (
                  "engines", "call") or _fail(f"not edited: {kinds(ada.id)}"),
              lambda: (touchpoints.get_touchpoint(tp.id).note, kinds(ada.id)[-1]) == (
                  "looms", "coffee") or _fail(f"not put back: {kinds(ada.id)}"))


def test_edit_a_note(steps, document):
    ada = person(document)
    note = touchpoints.add_note(bound(), ada.id, "Likes engines")
    steps.run(EditNoteCommand,
              lambda: document.editing.edit_note(note.id, "Likes looms"),
              lambda: touchpoints.get_note(note.id).text == "Likes looms" or _fail("same"),
              lambda: touchpoints.get_note(note.id).text == "Likes engines" or _fail("edited"))


def test_share_a_note(steps, document):
    ada = person(document)
    note = touchpoints.add_note(bound(), ada.id, "Likes engines")
    steps.run(ShareNoteCommand, lambda: document.editing.share_note(note.id, True),
              lambda: touchpoints.get_note(note.id).shared or _fail("not shared"),
              lambda: not touchpoints.get_note(note.id).shared or _fail("still shared"))


def test_delete_a_touchpoint_and_a_note(steps, document):
    ada = person(document)
    tp = touchpoints.log_touchpoint(bound(), ada.id, "coffee", at=YESTERDAY)
    note = touchpoints.add_note(bound(), ada.id, "Likes engines")
    document.reload()
    steps.run(DeleteEntryCommand, lambda: document.editing.delete_entry("touchpoint", tp.id),
              lambda: ("coffee" not in kinds(ada.id)
                       and document.contact(ada.id).last_touch is None) or _fail("kept"),
              lambda: ("coffee" in kinds(ada.id)
                       and document.contact(ada.id).last_touch is not None) or _fail("gone"))
    steps.run(DeleteEntryCommand, lambda: document.editing.delete_entry("note", note.id),
              lambda: "note" not in kinds(ada.id) or _fail("kept"),
              lambda: touchpoints.get_note(note.id).text == "Likes engines" or _fail("gone"))


def test_snooze_two_people_in_one_step(steps, document):
    ada = person(document)
    grace = contacts.add_contact(bound(), "Grace Hopper", ring=Ring.MIDDLE)
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)

    def done():
        assert snoozes.active_snooze(ada.id).until == until
        assert snoozes.active_snooze(grace.id).until == until

    def undone():
        assert snoozes.active_snooze(ada.id) is None
        assert snoozes.active_snooze(grace.id) is None

    steps.run(SnoozeCommand, lambda: document.editing.snooze([ada.id, grace.id], until),
              done, undone)


def test_a_new_snooze_replaces_the_running_one_until_undone(steps, document):
    ada = person(document)
    first = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    snoozes.snooze(bound(), ada.id, first)
    later = first + timedelta(days=6)
    steps.run(SnoozeCommand, lambda: document.editing.snooze([ada.id], later),
              lambda: snoozes.active_snooze(ada.id).until == later or _fail("not later"),
              lambda: snoozes.active_snooze(ada.id).until == first or _fail("not back"))


def test_end_a_snooze(steps, document):
    ada = person(document)
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    snoozes.snooze(bound(), ada.id, until)
    steps.run(ClearSnoozeCommand, lambda: document.editing.clear_snooze(ada.id),
              lambda: snoozes.active_snooze(ada.id) is None or _fail("still snoozed"),
              lambda: snoozes.active_snooze(ada.id).until == until or _fail("not back"))


def _fail(why: str):
    raise AssertionError(why)
