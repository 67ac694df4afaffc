"""Changing ring capacities and cadences: one undoable step."""

from __future__ import annotations

from planner.document.commands import DocumentCommand
from planner.services import settings as svc


class ChangeRingSettingsCommand(DocumentCommand):
    """Lowering a capacity never drops anyone: the ring just shows it is over capacity."""

    def __init__(self, document, capacities: dict, cadences: dict):
        super().__init__(document, "Change ring settings")
        self.new = (dict(capacities), dict(cadences))
        self.old = (svc.capacities(), svc.cadences())

    def _apply(self, capacities: dict, cadences: dict) -> None:
        svc.set_capacities(self.backend, capacities)
        svc.set_cadences(self.backend, cadences)
        self.document.reload()

    def perform(self) -> None:
        self._apply(*self.new)

    def undo(self) -> None:
        self._apply(*self.old)

    def replay(self) -> None:
        self._apply(*self.new)
