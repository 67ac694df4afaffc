"""File → Import…: read the file off the GUI thread, then the mapping step (a generic CSV),
the preview, or the offer to restore a full export (a JSON dump, see BackupFlow); the
preview's Import stores it in one transaction off the GUI thread
(``planner.services.importing`` does the work). After an import the document re-reads
everything (:meth:`PlannerDocument.refresh_all`)."""

from __future__ import annotations

import functools
from pathlib import Path

from planner.domain.formatting import plural
from planner.ui.common.background import CANCELLED, ERROR, OK
from planner.ui.transfer.import_dialog import ImportDialog
from planner.ui.transfer.transfer_jobs import (
    TransferJobs,
    nothing_written,
    sentence,
    upper_first,
)

IMPORT_FILTERS = [
    "Contacts and exports (*.vcf *.vcard *.csv *.json)",
    "vCard (*.vcf *.vcard)",
    "CSV (*.csv *.txt)",
    "Mentorship Planner export (*.json)",
    "All files (*)",
]


class ImportFlow:
    def __init__(self, jobs: TransferJobs, offer_dump):
        self.jobs = jobs
        self.offer_dump = offer_dump  # offer_dump(path): a full export was chosen
        self.dialog: ImportDialog | None = None
        self.last_summary = None  # the ImportSummary of the last import

    def start(self) -> None:
        """Ask for a file, then :meth:`import_file`."""
        if not self.jobs.refuse_if_busy():
            self.jobs.ask_open_path("Import People", IMPORT_FILTERS, self.import_file)

    def import_file(self, path: str | Path) -> None:
        """Read ``path`` off the GUI thread; then the mapping step, the preview, or the
        offer to restore a full export, depending on what the file is."""
        if self.jobs.refuse_if_busy():
            return
        path = Path(path)
        self.jobs.start(
            functools.partial(_inspect, path),
            label=f"Reading {path.name}…",
            done=functools.partial(self._inspected, path),
            name="import-read",
        )

    def _inspected(self, path: Path, status: str, payload) -> None:
        if status == CANCELLED:
            self.jobs.tell("Import cancelled — nothing was written")
            return
        if status == ERROR:
            reason = nothing_written(payload)
            if reason.startswith(f"{path.name} "):  # "x.ics is a calendar…": named once
                reason = "it" + reason[len(path.name):]
            self.jobs.complain(f"Cannot import {path.name}: {reason}")
            return
        kind, value = payload
        if kind == "json":
            self.offer_dump(path)
        elif kind == "csv":
            columns, samples = value
            self._open_dialog(path, columns=columns, samples=samples)
        else:
            self._open_dialog(path).show_preview(value)

    def _open_dialog(self, path: Path, **mapping_step) -> ImportDialog:
        dialog = ImportDialog(self.jobs.window, path.name, **mapping_step)
        dialog.preview_requested.connect(functools.partial(self._preview_mapped, dialog, path))
        dialog.import_requested.connect(functools.partial(self._apply, dialog, path))
        dialog.encoding_requested.connect(functools.partial(self._preview_encoding, dialog,
                                                            path))
        dialog.finished.connect(functools.partial(self._dialog_closed, dialog))
        self.dialog = self.jobs.front = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: ImportDialog, _result: int) -> None:
        if self.dialog is dialog:
            self.dialog = self.jobs.front = None
        dialog.deleteLater()

    def _preview_mapped(self, dialog: ImportDialog, path: Path, mapping: dict) -> None:
        """The mapping step's Preview: read the CSV with the chosen columns (first), and
        every other e-mail and phone column too unless the person said not to."""
        self._preview(dialog, path, "csv", mapping, read_others=dialog.reads_others())

    def _preview_encoding(self, dialog: ImportDialog, path: Path, encoding: str) -> None:
        """The preview's encoding combo box: read the file again in that encoding."""
        preview = dialog.model.preview
        if preview is None:
            return
        fmt = "csv" if dialog.columns else preview.format
        mapping = dialog.requested_mapping() if dialog.columns else None
        self._preview(dialog, path, fmt, mapping, encoding=encoding,
                      read_others=bool(dialog.columns) and dialog.reads_others())

    def _preview(self, dialog: ImportDialog, path: Path, fmt: str, mapping, **options):
        if self.jobs.refuse_if_busy():
            return
        from planner.services.importing import preview_import

        dialog.set_busy(True)
        self.jobs.start(
            lambda progress, cancel: preview_import(path, fmt, mapping, progress, cancel,
                                                    **options),
            label=f"Reading {path.name}…",
            parent=dialog,
            done=functools.partial(self._previewed, dialog),
            name="import-preview",
        )

    def _previewed(self, dialog: ImportDialog, status: str, payload) -> None:
        if self.dialog is not dialog:
            return
        dialog.set_busy(False)
        if status == OK:
            dialog.show_preview(payload)
        elif status == CANCELLED:
            dialog.show_error("The preview was cancelled.")
        else:
            dialog.show_error(f"{upper_first(sentence(payload))}.")

    def _apply(self, dialog: ImportDialog, path: Path, choice: str) -> None:
        """The preview's Import: store it in one transaction, off the GUI thread."""
        preview = dialog.model.preview
        if preview is None or self.jobs.refuse_if_busy():
            return
        from planner.services.importing import apply_import

        added, merged = dialog.will_store()
        store = self.jobs.document.backend
        dialog.set_busy(True)
        dialog.show_error("")
        self.jobs.start(
            lambda progress, cancel: apply_import(store, preview, choice, progress, cancel),
            label=f"Importing {plural(added + merged, 'person', 'people')} from {path.name}…",
            parent=dialog,
            done=functools.partial(self._applied, dialog, path),
            name="import-apply",
        )

    def _applied(self, dialog: ImportDialog, path: Path, status: str, payload) -> None:
        jobs = self.jobs
        alive = self.dialog is dialog
        if alive:
            dialog.set_busy(False)
        if status == CANCELLED:
            if alive:
                dialog.show_error("The import was cancelled: nothing was written.")
            jobs.tell("Import cancelled — nothing was written")
            return
        if status == ERROR:
            jobs.complain(f"The import failed: {nothing_written(payload)}")
            return
        summary = self.last_summary = payload
        # shown (the pictures too: the import may have brought some) and one step of Undo
        undoable = jobs.document.editing.imported(summary.record, path.name)
        if alive:
            dialog.accept()
        text = f"Imported {path.name}: {summary.summary()}"
        if summary.added:
            text += " — new people are unplaced, ready to drag onto a ring"
        if not summary.problems:
            (jobs.tell_undoable if undoable else jobs.tell)(text)
            return
        # said once: the box (its details list what and why); the status bar keeps the
        # summary line as for every import, and no toast says it again over the rings
        jobs.note(text)
        undo = " Edit → Undo (Ctrl+Z) takes the import back." if undoable else ""
        jobs.inform("Import Finished", text + ".",
                    f"{left_out_text(summary)} — Show Details says which and why.{undo}",
                    details="\n".join(summary.problems))


def left_out_text(summary) -> str:
    """``1 value was left out``, ``1 entry and 3 values were left out``: an invalid
    entry and a value that could not be read are both among ``summary.problems``; the
    rest of them are notes on what was done (a person named after the phone number),
    which lost nothing and are not counted as left out."""
    entries = min(summary.invalid, len(summary.problems))
    values = min(summary.left_out, len(summary.problems) - entries)
    notes = len(summary.problems) - entries - values
    parts = [plural(n, word, words) for n, word, words in (
        (entries, "entry", "entries"), (values, "value", "values")) if n]
    said = (f"{' and '.join(parts)} {'was' if entries + values == 1 else 'were'} left out"
            if parts else "Nothing was left out")
    if notes:
        said += f" ({plural(notes, 'note')} on what was done)" if parts else \
            f"; {plural(notes, 'note')} on what was done"
    return said


# ------------------------------------------------------------------ in the worker
def _inspect(path: Path, progress, should_cancel):
    """What the file is, and for contact files their preview."""
    from planner.services.importing import detect_kind, preview_import

    kind = detect_kind(path)
    if kind == "json":
        return "json", None
    if kind == "csv":
        return "csv", csv_header(path)
    return "preview", preview_import(path, kind, None, progress, should_cancel)


def csv_header(path: Path) -> tuple[list[str], dict[str, str]]:
    """A generic CSV's columns and a sample value of each, for the mapping step (the same
    samples ``planner import`` guesses the columns by)."""
    from planner.importers.csv_formats import csv_header as header_and_samples
    from planner.importers.user_file import read_user_file

    return header_and_samples(read_user_file(path, what="contact export"))
