"""Undo commands for snoozes: snooze one or several people (one step), end a snooze.

Widgets call ``document.editing.snooze`` and ``clear_snooze``; each pushes one command
on the document's undo stack and tells the views (the timeline shows snoozes, the focus
list leaves snoozed people out) through ``timeline_changed``.
"""

from __future__ import annotations

from datetime import datetime

from planner.document.commands import DocumentCommand
from planner.services import snoozes as svc


class SnoozeCommand(DocumentCommand):
    """Snooze ``contact_ids`` until one moment; undo brings back what each had before."""

    def __init__(self, document, contact_ids: list[int], until: datetime):
        names = [getattr(document.contact(cid), "name", f"#{cid}") for cid in contact_ids]
        who = names[0] if len(names) == 1 else f"{len(names)} people"
        super().__init__(document, f"Snooze {who}")
        self.contact_ids = list(contact_ids)
        self.until = until
        self.made: list[tuple[int, list[int]]] = []  # (snooze id, the snoozes it replaced)

    def perform(self) -> None:
        self.made = []
        for cid in self.contact_ids:
            made = svc.snooze(self.backend, cid, self.until)
            self.made.append((made.id, svc.replaced_by(made)))
        self.changed()

    def undo(self) -> None:
        for snooze_id, replaced in reversed(self.made):
            svc.undo_snooze(self.backend, snooze_id, replaced)
        self.changed()

    def replay(self) -> None:
        self.perform()

    def changed(self) -> None:
        self.document.timeline_changed.emit(list(self.contact_ids))


class ClearSnoozeCommand(DocumentCommand):
    def __init__(self, document, contact_id: int):
        name = getattr(document.contact(contact_id), "name", f"#{contact_id}")
        super().__init__(document, f"End {name}'s snooze")
        self.contact_id = contact_id
        self.cleared: list[int] = []

    def perform(self) -> None:
        self.cleared = svc.clear(self.backend, self.contact_id)
        self.document.timeline_changed.emit([self.contact_id])

    def undo(self) -> None:
        svc.reopen(self.backend, self.cleared)
        self.document.timeline_changed.emit([self.contact_id])

    def replay(self) -> None:
        self.perform()
