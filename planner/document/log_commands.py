"""Undo commands for the history: log, edit and delete touchpoints and notes."""

from __future__ import annotations

from planner.document.commands import DocumentCommand
from planner.document.document import EntryChange
from planner.domain.kinds import parse_kind
from planner.services import touchpoints as svc


class _HistoryCommand(DocumentCommand):
    """Updates the person's last touch (contacts_changed) and tells the timelines which
    entry changed (entries_changed): they insert, update or remove that row only."""

    contact_id: int

    def changed(self, op: str, entry_type: str, row_id: int, row=None) -> None:
        """``row``: the Touchpoint or Note as it is now (None when removed)."""
        d = self.document
        entry = None
        if row is not None:
            person = d.contact(self.contact_id)
            name = person.name if person is not None else ""
            entry = (svc.touchpoint_entry(row, name) if entry_type == "touchpoint"
                     else svc.note_entry(row, name))
        if entry_type != "touchpoint":
            pass  # a note changes nobody's details or last touch (This week: its entry)
        elif op == "added" and entry is not None:
            d.note_touch(self.contact_id, entry.at, entry.kind)  # nothing to read back
        else:  # an edit or a removal may make any other touch the last one
            d.refresh_contacts([self.contact_id], recount=False)
        d.entries_changed.emit([EntryChange(op, self.contact_id, f"{entry_type}:{row_id}",
                                            entry)])


class LogTouchpointCommand(_HistoryCommand):
    def __init__(self, document, contact_id: int, kind, at, minutes, note: str):
        contact = document.contact(contact_id)
        # Edit → "Undo Log a meeting in person with Ada" (was "Log in-person with Ada")
        super().__init__(document, f"Log {parse_kind(str(kind)).phrase} with "
                                   f"{contact.name if contact else contact_id}")
        self.contact_id = contact_id
        self.args = (kind, at, minutes, note)
        self.row: dict | None = None
        self.touchpoint_id: int | None = None
        self.version: int | None = None

    def perform(self) -> None:
        kind, at, minutes, note = self.args
        tp = svc.log_touchpoint(self.backend, self.contact_id, kind, at=at, minutes=minutes,
                                note=note)
        self.touchpoint_id, self.version = tp.id, tp.version
        self.left("touchpoint", tp.id, tp.version)
        self.changed("added", "touchpoint", tp.id, tp)

    def undo(self) -> None:
        touchpoint_id = self.touchpoint_id
        assert touchpoint_id is not None  # perform() ran: the stack undoes only what was done
        expected = self.last("touchpoint", touchpoint_id, self.version)
        self.row = svc.delete_touchpoint(self.backend, touchpoint_id, expected_version=expected)
        self.changed("removed", "touchpoint", touchpoint_id)

    def replay(self) -> None:
        # undo() ran: only an undone step is redone
        assert self.row is not None and self.touchpoint_id is not None
        tp = svc.restore_touchpoint(self.backend, self.row)
        self.left("touchpoint", self.touchpoint_id, tp.version)
        self.changed("added", "touchpoint", tp.id, tp)


class AddNoteCommand(_HistoryCommand):
    def __init__(self, document, contact_id: int, text: str, at=None):
        contact = document.contact(contact_id)
        super().__init__(document, f"Note about {contact.name if contact else contact_id}")
        self.contact_id = contact_id
        # not self.text: that is QUndoCommand.text(), the command's name
        self.note_text, self.at = text, at
        self.note_id: int | None = None
        self.version: int | None = None
        self.row: dict | None = None

    def perform(self) -> None:
        note = svc.add_note(self.backend, self.contact_id, self.note_text, at=self.at)
        self.note_id, self.version = note.id, note.version
        self.left("note", note.id, note.version)
        self.changed("added", "note", note.id, note)

    def undo(self) -> None:
        note_id = self.note_id
        assert note_id is not None  # perform() ran: the stack undoes only what was done
        expected = self.last("note", note_id, self.version)
        self.row = svc.delete_note(self.backend, note_id, expected_version=expected)
        self.changed("removed", "note", note_id)

    def replay(self) -> None:
        # undo() ran: only an undone step is redone
        assert self.row is not None and self.note_id is not None
        note = svc.restore_note(self.backend, self.row)
        self.left("note", self.note_id, note.version)
        self.changed("added", "note", note.id, note)


class EditTouchpointCommand(_HistoryCommand):
    """``version``: the version the window showed (default: the stored one now); each
    undo/redo passes the version this window's last step left (``DocumentCommand.left``),
    so someone else's edit in between is a ConflictError, never overwritten."""

    def __init__(self, document, touchpoint_id: int, changes: dict, version: int | None = None):
        before = svc.get_touchpoint(touchpoint_id)
        super().__init__(document, f"Edit {before.kind}")
        self.contact_id = before.contact_id
        self.touchpoint_id = touchpoint_id
        self.changes = changes
        self.previous = {"kind": before.kind, "at": before.at, "minutes": before.minutes,
                         "note": before.note}
        self.version = before.version if version is None else version

    def _apply(self, values: dict, expected: int | None) -> None:
        tp = svc.edit_touchpoint(self.backend, self.touchpoint_id, **values,
                                 expected_version=expected)
        self.left("touchpoint", self.touchpoint_id, tp.version)
        self.changed("edited", "touchpoint", tp.id, tp)

    def perform(self) -> None:
        self._apply(self.changes, self.version)

    def undo(self) -> None:
        self._apply(self.previous, self.last("touchpoint", self.touchpoint_id, self.version))

    def replay(self) -> None:
        self._apply(self.changes, self.last("touchpoint", self.touchpoint_id, self.version))


class EditNoteCommand(_HistoryCommand):
    def __init__(self, document, note_id: int, text: str | None, at=None,
                 version: int | None = None):
        before = svc.get_note(note_id)
        super().__init__(document, "Edit note")
        self.contact_id = before.contact_id
        self.note_id = note_id
        self.new = (text, at)
        self.previous = (before.text, before.at)
        self.version = before.version if version is None else version

    def _apply(self, text, at, expected: int | None) -> None:
        note = svc.edit_note(self.backend, self.note_id, text=text, at=at,
                             expected_version=expected)
        self.left("note", self.note_id, note.version)
        self.changed("edited", "note", note.id, note)

    def perform(self) -> None:
        self._apply(*self.new, self.version)

    def undo(self) -> None:
        self._apply(*self.previous, self.last("note", self.note_id, self.version))

    def replay(self) -> None:
        self._apply(*self.new, self.last("note", self.note_id, self.version))


class ShareNoteCommand(_HistoryCommand):
    """Share one of your notes with the team, or make it private again: one undo step."""

    def __init__(self, document, note_id: int, shared: bool, version: int | None = None):
        before = svc.get_note(note_id)
        super().__init__(document, "Share note" if shared else "Make note private")
        self.contact_id = before.contact_id
        self.note_id, self.shared = note_id, shared
        self.version = before.version if version is None else version

    def _apply(self, shared: bool, expected: int | None) -> None:
        note = svc.set_note_shared(self.backend, self.note_id, shared, expected_version=expected)
        self.left("note", self.note_id, note.version)
        self.changed("edited", "note", note.id, note)

    def perform(self) -> None:
        self._apply(self.shared, self.version)

    def undo(self) -> None:
        self._apply(not self.shared, self.last("note", self.note_id, self.version))

    def replay(self) -> None:
        self._apply(self.shared, self.last("note", self.note_id, self.version))


class DeleteEntryCommand(_HistoryCommand):
    """Delete a touchpoint or a note; undo puts back the same row (same id and version)."""

    def __init__(self, document, entry_type: str, row_id: int, version: int | None = None):
        getter = svc.get_touchpoint if entry_type == "touchpoint" else svc.get_note
        shown = getter(row_id)
        super().__init__(document, f"Delete {entry_type}")
        self.contact_id = shown.contact_id
        self.entry_type, self.row_id = entry_type, row_id
        self.version = shown.version if version is None else version
        self.row: dict | None = None

    def _delete(self, expected: int | None) -> None:
        delete = svc.delete_touchpoint if self.entry_type == "touchpoint" else svc.delete_note
        self.row = delete(self.backend, self.row_id, expected_version=expected)
        self.changed("removed", self.entry_type, self.row_id)

    def perform(self) -> None:
        self._delete(self.version)

    def undo(self) -> None:
        restore = svc.restore_touchpoint if self.entry_type == "touchpoint" else svc.restore_note
        assert self.row is not None  # perform() ran: the stack undoes only what was done
        row = restore(self.backend, self.row)
        self.left(self.entry_type, self.row_id, row.version)
        self.changed("added", self.entry_type, self.row_id, row)

    def replay(self) -> None:
        self._delete(self.last(self.entry_type, self.row_id, self.version))
