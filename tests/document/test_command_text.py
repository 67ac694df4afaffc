"""A pushed command still answers QUndoCommand's own API from Python: ``text()`` is the
method Qt gives it, never shadowed by an attribute of the command (issue 22: mypy found
AddNoteCommand's ``self.text = text`` hiding it, so ``command.text()`` raised TypeError)."""

from __future__ import annotations

from planner.domain.rings import Ring
from planner.services import contacts
from tests.helpers.stores import bound


def test_the_note_command_answers_its_text(document):
    ada = contacts.add_contact(bound(), "Ada Lovelace", ring=Ring.INNER)
    document.reload()
    assert document.editing.add_note(ada.id, "Likes engines") not in (False, None)
    stack = document.undo_stack
    command = stack.command(stack.count() - 1)
    assert command.text() == stack.undoText() == "Note about Ada Lovelace"
    assert document.undo() and document.redo()  # the note it keeps is still the one written
    assert command.text() == "Note about Ada Lovelace"


def test_the_log_command_says_what_was_logged_in_words(document):
    """The Edit menu read "Undo Log in-person with Ada Lovelace"."""
    ada = contacts.add_contact(bound(), "Ada Lovelace", ring=Ring.INNER)
    document.reload()
    assert document.editing.log_touchpoint(ada.id, "in-person")
    assert document.undo_stack.undoText() == "Log a meeting in person with Ada Lovelace"
