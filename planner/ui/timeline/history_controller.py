"""Opening the log dialog and turning its result into undoable commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication

from planner.domain.formatting import when_field_text
from planner.domain.kinds import parse_kind

if TYPE_CHECKING:  # (the dialog's code is imported when a dialog first opens, issue 23)
    from planner.ui.timeline.log_dialog import LogDialog

NOTE = "note"  # the log dialog's kind for a note (planner.ui.timeline.log_dialog.NOTE)


class HistoryController(QObject):
    def __init__(self, document, window):
        super().__init__(window)
        self.document = document
        self.window = window
        self.dialog: LogDialog | None = None

    def log(self, contact_id: int | None, kind: str = "coffee") -> LogDialog | None:
        """Open the log dialog for a person, preset to ``kind`` ("note" for a note)."""
        contact = self.document.contact(contact_id) if contact_id is not None else None
        if contact is None:
            self.document.message.emit("Select a person first")
            return None
        from planner.ui.timeline.log_dialog import LogDialog

        dialog = LogDialog(self.window, contact.name, kind)
        dialog.accepted.connect(lambda: self._logged(dialog, contact.id))
        self.dialog = dialog
        dialog.open()
        return dialog

    def add_note(self, contact_id: int, text: str) -> bool:
        """The person panel's inline note box: saved at once (one undo step)."""
        if self.document.editing.add_note(contact_id, text):
            self.document.message.emit(f"Note saved about {self.document.contact(contact_id).name}")
            return True
        return False

    def _logged(self, dialog: LogDialog, contact_id: int) -> None:
        v = dialog.values()
        editing = self.document.editing
        if (editing.add_note(contact_id, v["note"], v["at"]) if v["kind"] == NOTE
                else editing.log_touchpoint(contact_id, v["kind"], v["at"], v["minutes"],
                                            v["note"])):
            name = self.document.contact(contact_id).name
            # "Logged an IM with Ada", not "Logged im with Ada"
            self.document.message.emit(
                f"Wrote a note about {name}" if v["kind"] == NOTE
                else f"Logged {parse_kind(v['kind']).phrase} with {name}")

    def edit(self, entry_id: str) -> LogDialog | None:
        from planner.services import touchpoints as svc
        from planner.ui.timeline.log_dialog import LogDialog

        kind, _, raw = entry_id.partition(":")
        row_id = int(raw)
        if kind == "touchpoint":
            tp = svc.get_touchpoint(row_id)
            contact = self.document.contact(tp.contact_id)
            dialog = LogDialog(self.window, contact.name if contact else "", tp.kind,
                               when=when_field_text(tp.at),
                               minutes=tp.minutes, note=tp.note, editing=True)
            kinds = cast(QStandardItemModel, dialog.kind.model())  # (a QComboBox's own)
            kinds.item(dialog.kind.findData(NOTE)).setEnabled(False)
            at, version = tp.at, tp.version
        elif kind == "note":
            note = svc.get_note(row_id)
            contact = self.document.contact(note.contact_id)
            dialog = LogDialog(self.window, contact.name if contact else "", NOTE,
                               when=when_field_text(note.at),
                               note=note.text, editing=True)
            dialog.kind.setEnabled(False)
            at, version = note.at, note.version
        else:
            return None
        # the field shows minutes only: an untouched time keeps its seconds; the version
        # is what the dialog shows: someone else's edit meanwhile is a conflict
        original = (dialog.when.text(), at)
        dialog.accepted.connect(lambda: self._edited(dialog, kind, row_id, original, version))
        # the keys go back where they were (the timeline), not to the window, where the
        # next Delete would take the person off the rings
        came_from = QApplication.focusWidget()
        dialog.finished.connect(lambda _result: _give_focus_back(came_from))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _edited(self, dialog: LogDialog, kind: str, row_id: int, original=None,
                version: int | None = None) -> None:
        v = dialog.values()
        if original is not None and dialog.when.text() == original[0]:
            v["at"] = original[1]
        if kind == "touchpoint":
            changes = {"kind": v["kind"], "at": v["at"], "minutes": v["minutes"],
                       "note": v["note"]}
            self.document.editing.edit_touchpoint(row_id, changes, version=version)
        else:
            self.document.editing.edit_note(row_id, v["note"], v["at"], version=version)

    def delete(self, entry_id: str) -> bool:
        kind, _, raw = entry_id.partition(":")
        if kind not in ("touchpoint", "note"):
            return False
        ok = self.document.editing.delete_entry(kind, int(raw))
        if ok:
            self.document.message.emit(f"Deleted the {kind} — Undo (Ctrl+Z) brings it back")
        return ok


def _give_focus_back(widget) -> None:
    from shiboken6 import isValid

    if widget is not None and isValid(widget) and widget.isVisible():
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
