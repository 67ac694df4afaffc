"""Undo commands for the history: log, edit and delete touchpoints and notes."""

from __future__ import annotations

from planner.document.commands import DocumentCommand
from planner.services import touchpoints as svc


class _HistoryCommand(DocumentCommand):
    """Refreshes the person's cached last touch and tells the timelines."""

    contact_id: int

    def changed(self) -> None:
        self.document.refresh_contacts([self.contact_id])
        self.document.timeline_changed.emit([self.contact_id])


class LogTouchpointCommand(_HistoryCommand):
    def __init__(self, document, contact_id: int, kind, at, minutes, note: str):
        contact = document.contact(contact_id)
        super().__init__(document, f"Log {kind} with {contact.name if contact else contact_id}")
        self.contact_id = contact_id
        self.args = (kind, at, minutes, note)
        self.row: dict | None = None
        self.touchpoint_id: int | None = None

    def perform(self) -> None:
        kind, at, minutes, note = self.args
        tp = svc.log_touchpoint(self.contact_id, kind, at=at, minutes=minutes, note=note)
        self.touchpoint_id = tp.id
        self.changed()

    def undo(self) -> None:
        self.row = svc.delete_touchpoint(self.touchpoint_id)
        self.changed()

    def replay(self) -> None:
        svc.restore_touchpoint(self.row)
        self.changed()


class AddNoteCommand(_HistoryCommand):
    def __init__(self, document, contact_id: int, text: str, at=None):
        contact = document.contact(contact_id)
        super().__init__(document, f"Note about {contact.name if contact else contact_id}")
        self.contact_id = contact_id
        self.text, self.at = text, at
        self.note_id: int | None = None
        self.row: dict | None = None

    def perform(self) -> None:
        self.note_id = svc.add_note(self.contact_id, self.text, at=self.at).id
        self.changed()

    def undo(self) -> None:
        self.row = svc.delete_note(self.note_id)
        self.changed()

    def replay(self) -> None:
        svc.restore_note(self.row)
        self.changed()


class EditTouchpointCommand(_HistoryCommand):
    def __init__(self, document, touchpoint_id: int, changes: dict):
        before = svc.get_touchpoint(touchpoint_id)
        super().__init__(document, f"Edit {before.kind}")
        self.contact_id = before.contact_id
        self.touchpoint_id = touchpoint_id
        self.changes = changes
        self.previous = {"kind": before.kind, "at": before.at, "minutes": before.minutes,
                         "note": before.note}

    def perform(self) -> None:
        svc.edit_touchpoint(self.touchpoint_id, **self.changes)
        self.changed()

    def undo(self) -> None:
        svc.edit_touchpoint(self.touchpoint_id, **self.previous)
        self.changed()

    def replay(self) -> None:
        self.perform()


class EditNoteCommand(_HistoryCommand):
    def __init__(self, document, note_id: int, text: str | None, at=None):
        before = svc.get_note(note_id)
        super().__init__(document, "Edit note")
        self.contact_id = before.contact_id
        self.note_id = note_id
        self.new = (text, at)
        self.previous = (before.text, before.at)

    def perform(self) -> None:
        svc.edit_note(self.note_id, text=self.new[0], at=self.new[1])
        self.changed()

    def undo(self) -> None:
        svc.edit_note(self.note_id, text=self.previous[0], at=self.previous[1])
        self.changed()

    def replay(self) -> None:
        self.perform()


class DeleteEntryCommand(_HistoryCommand):
    """Delete a touchpoint or a note; undo puts back the same row (same id)."""

    def __init__(self, document, entry_type: str, row_id: int):
        getter = svc.get_touchpoint if entry_type == "touchpoint" else svc.get_note
        contact_id = getter(row_id).contact_id
        super().__init__(document, f"Delete {entry_type}")
        self.contact_id = contact_id
        self.entry_type, self.row_id = entry_type, row_id
        self.row: dict | None = None

    def perform(self) -> None:
        delete = svc.delete_touchpoint if self.entry_type == "touchpoint" else svc.delete_note
        self.row = delete(self.row_id)
        self.changed()

    def undo(self) -> None:
        restore = svc.restore_touchpoint if self.entry_type == "touchpoint" else svc.restore_note
        restore(self.row)
        self.changed()

    def replay(self) -> None:
        self.perform()
