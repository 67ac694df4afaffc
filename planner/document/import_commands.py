"""An import as one step of Undo and Redo.

The window's import runs on a worker thread (``ui.transfer.import_flow``); once it is
written, :meth:`Editing.imported` pushes this command, whose first step only shows it.
Undo moves the people it added to the trash, puts back the fields it filled in on people
it merged into and takes off the pictures it gave them; Redo does it all again
(``services.import_undo``)."""

from __future__ import annotations

from planner.document.commands import DocumentCommand
from planner.services import import_undo


class ImportCommand(DocumentCommand):
    def __init__(self, document, record: import_undo.ImportRecord, name: str):
        super().__init__(document, f"Import {name}")
        self.record = record

    def perform(self) -> None:  # written by the import itself
        self.document.refresh_all()
        self._pictures()

    def undo(self) -> None:
        import_undo.undo_import(self.backend, self.record)
        self._shown()

    def replay(self) -> None:
        import_undo.redo_import(self.backend, self.record)
        self._shown()

    def _shown(self) -> None:
        self.document.reload()
        self._pictures()

    def _pictures(self) -> None:
        changed = [*self.record.added_ids, *self.record.photos]
        if changed:
            self.document.photos_changed.emit(changed)
