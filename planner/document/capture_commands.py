"""Undo commands for the review of captured touchpoints (issue 24): accepting makes
ordinary touchpoints (and new people for candidates) — one undo step however many —,
rejecting dismisses. ``document.editing.accept_captured`` / ``reject_captured`` build and
push them."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from planner.document.commands import DocumentCommand
from planner.services import capture as svc


class CaptureSignals(QObject):
    """Told after every accept/reject and their undo/redo: the inbox and its badge refresh."""

    changed = Signal()


def capture_signals(document) -> CaptureSignals:
    """The one CaptureSignals of ``document`` (made on first use, owned by it)."""
    found = getattr(document, "_capture_signals", None)
    if found is None:
        found = document._capture_signals = CaptureSignals(document)
    return found


class _CaptureCommand(DocumentCommand):
    def changed(self, contact_ids: list[int], new_people: bool) -> None:
        if new_people:
            self.document.reload()  # someone joined (or left) the network
        elif contact_ids:
            self.document.refresh_contacts(sorted(set(contact_ids)))
        if contact_ids:
            self.document.timeline_changed.emit(sorted(set(contact_ids)))
        capture_signals(self.document).changed.emit()


class AcceptCapturedCommand(_CaptureCommand):
    """Accept proposals (with the edits made before accepting): their touchpoints are in
    the timeline and count for cadence like any logged one; undo takes them (and any
    person made for a candidate) away again and the proposals wait as before."""

    def __init__(self, document, proposal_ids: list[int], edits: dict[int, dict] | None,
                 text: str):
        super().__init__(document, text)
        self.proposal_ids, self.edits = list(proposal_ids), dict(edits or {})
        self.done: svc.Accepted | None = None

    def perform(self) -> None:
        self.done = svc.accept(self.backend, self.proposal_ids, self.edits)
        self.changed(self.done.contact_ids, bool(self.done.created_contact_ids))

    def undo(self) -> None:
        assert self.done is not None  # perform() ran when the command was pushed
        svc.undo_accept(self.backend, self.done)
        self.changed(self.done.contact_ids, bool(self.done.created_contact_ids))

    def replay(self) -> None:
        assert self.done is not None
        svc.redo_accept(self.backend, self.done)
        self.changed(self.done.contact_ids, bool(self.done.created_contact_ids))


class RejectCapturedCommand(_CaptureCommand):
    def __init__(self, document, proposal_ids: list[int], text: str):
        super().__init__(document, text)
        self.proposal_ids = list(proposal_ids)

    def perform(self) -> None:
        svc.reject(self.backend, self.proposal_ids)
        self.changed([], False)

    def undo(self) -> None:
        svc.unreject(self.backend, self.proposal_ids)
        self.changed([], False)

    def replay(self) -> None:
        svc.reject(self.backend, self.proposal_ids)
        self.changed([], False)
