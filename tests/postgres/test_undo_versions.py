"""Several of the window's own steps on one row undo and redo without false conflicts
(each expects the version the window's previous step left), on both engines; a change
from elsewhere in between is still refused."""

from __future__ import annotations

from planner.document.commands import EditContactCommand
from planner.document.log_commands import EditTouchpointCommand, LogTouchpointCommand
from planner.services import contacts, touchpoints


def document_on(backend, qtbot):
    from planner.document.document import PlannerDocument

    return PlannerDocument(backend)


def test_two_edits_of_a_person_undo_and_redo_cleanly(backend, qtbot):
    ada = contacts.add_contact(backend.backend, "Ada Lovelace")
    doc = document_on(backend, qtbot)
    said: list[str] = []
    doc.message.connect(said.append)
    assert doc.push(EditContactCommand(doc, ada.id, {"title": "Countess"}))
    assert doc.push(EditContactCommand(doc, ada.id, {"organization": "Engines"}))
    assert doc.undo() and doc.undo()
    assert said == []
    assert (contacts.get_contact(ada.id).title, contacts.get_contact(ada.id).organization) == (
        "", "")
    assert doc.redo() and doc.redo()
    assert contacts.get_contact(ada.id).organization == "Engines" and said == []


def test_log_then_edit_then_undo_both(backend, qtbot):
    ada = contacts.add_contact(backend.backend, "Ada Lovelace")
    doc = document_on(backend, qtbot)
    said: list[str] = []
    doc.message.connect(said.append)
    log = LogTouchpointCommand(doc, ada.id, "coffee", None, 30, "engines")
    assert doc.push(log)
    assert doc.push(EditTouchpointCommand(doc, log.touchpoint_id, {"note": "looms"}))
    assert doc.undo() and doc.undo()
    assert said == [] and touchpoints.timeline(ada.id, limit=10)[0].type.value == "created"
    assert doc.redo() and doc.redo()
    assert touchpoints.get_touchpoint(log.touchpoint_id).note == "looms" and said == []


def test_a_change_from_elsewhere_between_own_steps_is_refused(backend, qtbot):
    ada = contacts.add_contact(backend.backend, "Ada Lovelace")
    doc = document_on(backend, qtbot)
    said: list[str] = []
    doc.message.connect(said.append)
    assert doc.push(EditContactCommand(doc, ada.id, {"title": "Countess"}))
    assert doc.push(EditContactCommand(doc, ada.id, {"title": "Mathematician"}))
    # someone else (no version: the CLI)
    contacts.edit_contact(backend.backend, ada.id, title="Programmer")
    doc.undo()
    assert "changed by someone else" in said[-1] and "view was refreshed" not in said[-1]
    assert contacts.get_contact(ada.id).title == "Programmer"
