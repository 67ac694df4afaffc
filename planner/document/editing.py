"""The editing API: every user action is one method that builds its undo command and
pushes it on the document's stack (``document.editing.log_touchpoint(...)``).

Widgets call these and never import a command class (an import-linter contract checks
it). Each method returns True when the change was made, False when it was refused —
the document has then already said why (``document.message``).
"""

from __future__ import annotations

from datetime import datetime

from planner.document import advocacy_commands as advocacy
from planner.document import capture_commands as capture
from planner.document import log_commands as log
from planner.document import snooze_commands as snoozes
from planner.document.commands import (
    AddContactCommand,
    EditContactCommand,
    RemoveContactCommand,
)
from planner.document.photo_commands import SetPhotoCommand
from planner.document.settings_commands import ChangeRingSettingsCommand
from planner.domain.errors import PlannerError
from planner.domain.focus import local_zone
from planner.domain.reminders import snooze_until
from planner.domain.rings import Ring
from planner.services import snoozes as snooze_svc
from planner.services.contacts import now


def snoozed_until(contact_id: int) -> datetime | None:
    """When the person's running snooze ends (a read, for the Snooze menus), else None;
    None too when the database cannot say (offline)."""
    try:
        running = snooze_svc.active_snooze(contact_id)
    except PlannerError:
        return None
    return running.until if running else None


class Editing:
    """The user's actions on one PlannerDocument, each one undo step."""

    def __init__(self, document):
        self.document = document

    def _push(self, command) -> bool:
        return self.document.push(command)

    def _built(self, make) -> bool:
        """Build a command that reads the row first (it may be gone meanwhile): a refusal
        is one message, never an exception in the widget."""
        try:
            command = make()
        except PlannerError as exc:
            self.document.message.emit(str(exc))
            return False
        return self._push(command)

    # -- people ----------------------------------------------------------------------------
    def add_contact(self, name: str, ring: Ring | None, values: dict) -> int | None:
        """Add a person; their id, or None if refused."""
        command = AddContactCommand(self.document, name, ring, values)
        return command.contact_id if self._push(command) else None

    def imported(self, record, name: str) -> bool:
        """An import the window's worker wrote (``services.import_undo.ImportRecord``):
        shown now, and one step of Undo ("Undo Import contacts.vcf")."""
        from planner.document.import_commands import ImportCommand

        if not record:  # nothing written (all skipped or invalid): nothing to undo
            self.document.refresh_all()
            return False
        return self._push(ImportCommand(self.document, record, name))

    def edit_contact(self, contact_id: int, changes: dict) -> bool:
        return self._push(EditContactCommand(self.document, contact_id, changes))

    def remove_contact(self, contact_id: int) -> bool:
        return self._push(RemoveContactCommand(self.document, contact_id))

    def move(self, contact_id: int, ring: Ring | None, *, position: int | None = None,
             swap_with: int | None = None) -> bool:
        """Move, swap, reorder or unplace: the window says what happened (``moved``).
        (The document's own ``move`` builds the command; the placement rules stay there.)"""
        return self.document.move(contact_id, ring, position=position, swap_with=swap_with)

    def set_photo(self, contact_id: int, photo: bytes | None) -> bool:
        """Give a person a picture (a thumbnail already made), or remove it (None)."""
        return self._push(SetPhotoCommand(self.document, contact_id, photo))

    def change_ring_settings(self, capacities: dict, cadences: dict) -> bool:
        return self._push(ChangeRingSettingsCommand(self.document, capacities, cadences))

    # -- history ---------------------------------------------------------------------------
    def log_touchpoint(self, contact_id: int, kind: str, at=None, minutes: int | None = None,
                       note: str = "") -> bool:
        return self._push(log.LogTouchpointCommand(self.document, contact_id, kind, at,
                                                   minutes, note))

    def add_note(self, contact_id: int, text: str, at=None) -> bool:
        return self._push(log.AddNoteCommand(self.document, contact_id, text, at))

    def edit_touchpoint(self, touchpoint_id: int, changes: dict,
                        version: int | None = None) -> bool:
        """``version``: the one the window showed (someone else's edit since: a conflict)."""
        return self._built(lambda: log.EditTouchpointCommand(self.document, touchpoint_id,
                                                             changes, version=version))

    def edit_note(self, note_id: int, text: str | None, at=None,
                  version: int | None = None) -> bool:
        return self._built(lambda: log.EditNoteCommand(self.document, note_id, text, at,
                                                       version=version))

    def share_note(self, note_id: int, shared: bool, version: int | None = None) -> bool:
        return self._built(lambda: log.ShareNoteCommand(self.document, note_id, shared,
                                                        version=version))

    def delete_entry(self, entry_type: str, row_id: int, version: int | None = None) -> bool:
        """Delete a touchpoint or a note (``entry_type`` "touchpoint" or "note")."""
        return self._built(lambda: log.DeleteEntryCommand(self.document, entry_type, row_id,
                                                          version))

    # -- snoozes ---------------------------------------------------------------------------
    def snooze(self, contact_ids: list[int], duration: str | datetime) -> bool:
        """Snooze people for ``1d``/``3d``/``1w``/a date, or until a moment: one step."""
        if not contact_ids:
            return False
        try:
            until = (duration if isinstance(duration, datetime)
                     else snooze_until(duration, now(), local_zone()))
        except PlannerError as exc:
            self.document.message.emit(str(exc))
            return False
        return self._push(snoozes.SnoozeCommand(self.document, contact_ids, until))

    def clear_snooze(self, contact_id: int) -> bool:
        return self._push(snoozes.ClearSnoozeCommand(self.document, contact_id))

    # -- advocacy --------------------------------------------------------------------------
    def set_stage(self, contact_id: int, stage: str, version: int | None = None) -> bool:
        return self._push(advocacy.SetStageCommand(self.document, contact_id, stage, version))

    def add_win(self, contact_id: int, text: str, *, at=None, link: str = "",
                note: str = "") -> bool:
        return self._push(advocacy.AddWinCommand(self.document, contact_id, text, at=at,
                                                 link=link, note=note))

    def celebrate_win(self, win_id: int, kind: str = "amplify", *, at=None,
                      minutes: int | None = None, note: str = "",
                      version: int | None = None) -> bool:
        return self._built(lambda: advocacy.CelebrateWinCommand(
            self.document, win_id, kind, at=at, minutes=minutes, note=note, version=version))

    def add_ask(self, contact_id: int, ask_type: str, *, status: str = "asked", at=None,
                note: str = "", force: bool = False) -> bool:
        return self._push(advocacy.AddAskCommand(self.document, contact_id, ask_type,
                                                 status=status, at=at, note=note,
                                                 force=force))

    def set_ask_status(self, ask_id: int, status: str, version: int | None = None) -> bool:
        return self._built(lambda: advocacy.SetAskStatusCommand(self.document, ask_id, status,
                                                                version))

    def thank(self, ask_id: int, kind: str | None = None, *, at=None,
              minutes: int | None = None, note: str = "", version: int | None = None) -> bool:
        return self._built(lambda: advocacy.ThankCommand(
            self.document, ask_id, kind, at=at, minutes=minutes, note=note, version=version))

    def add_give(self, contact_id: int, give_type: str, *, at=None, note: str = "",
                 for_ask: int | None = None) -> bool:
        return self._push(advocacy.AddGiveCommand(self.document, contact_id, give_type, at=at,
                                                  note=note, for_ask=for_ask))

    def delete_ledger_entry(self, kind: str, row_id: int, version: int | None = None) -> bool:
        """Delete a win, ask, give or celebration."""
        return self._built(lambda: advocacy.DeleteLedgerEntryCommand(self.document, kind,
                                                                     row_id, version))

    # -- captured touchpoints (issue 24) ----------------------------------------------------
    def accept_captured(self, proposals: list, edits: dict[int, dict] | None = None) -> bool:
        """Accept proposals (svc.Proposal objects, with the edits made before accepting)
        as one undo step, however many."""
        if not proposals:
            return False
        return self._push(capture.AcceptCapturedCommand(
            self.document, [p.id for p in proposals], edits, _captured_text("Accept", proposals)))

    def reject_captured(self, proposals: list) -> bool:
        if not proposals:
            return False
        return self._push(capture.RejectCapturedCommand(
            self.document, [p.id for p in proposals], _captured_text("Reject", proposals)))

    @property
    def capture_signals(self) -> capture.CaptureSignals:
        """Told after every accept/reject and their undo/redo (the inbox and its badge)."""
        return capture.capture_signals(self.document)


def _captured_text(verb: str, proposals: list) -> str:
    """The undo step's name: ``Accept coffee with Ada``, ``Reject 3 captured touchpoints
    with 2 people``."""
    names = sorted({p.contact_name or p.candidate_email for p in proposals})
    if len(proposals) == 1:
        return f"{verb} {proposals[0].kind} with {names[0]}"
    who = names[0] if len(names) == 1 else f"{len(names)} people"
    return f"{verb} {len(proposals)} captured touchpoints with {who}"
