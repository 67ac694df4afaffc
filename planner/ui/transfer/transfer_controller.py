"""Import, export, backup and restore from the window: the flows, not the formats.

:class:`TransferController` belongs to the main window and owns every flow of
File → Import…, Export…, Back Up Now and Restore from Backup…. The work itself
is done by the services (``planner.services.importing``, ``exporting`` and
``backups``); here it is only sequenced, shown and kept off the GUI thread:

* Reading, previewing, importing and exporting run in a
  :class:`~planner.ui.common.background.BackgroundJob` (its own thread and its own
  database connection) behind a ``QProgressDialog`` with Cancel. The dialog
  appears only if the work takes longer than :data:`SHOW_PROGRESS_AFTER_MS`.
  A cancel leaves the database as it was (the services roll back).
* While a job runs the document stops polling ``PRAGMA data_version``; after
  an import it re-reads everything (:meth:`PlannerDocument.refresh_all`), so the
  window's own import is not reported as "another program's change".
* Restore runs on the GUI thread: stop polling, close the window's connection,
  ``restore`` (which validates first and keeps a pre-restore copy), reopen,
  and show the reopened database. A refused restore changes nothing.

Everything that would block on a person is replaceable for tests:
``ask_open_path(caption, filters, done)`` and
``ask_save_path(caption, suggested, filters, done)`` (``done(path)`` and
``done(path, chosen_filter)``), and the boxes opened with ``open()`` are kept
as :attr:`confirm_box`, :attr:`error_box` and :attr:`info_box`.
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from planner import APP_NAME
from planner.domain.errors import InvalidInput, PlannerError
from planner.importers import Cancelled
from planner.ui.common.background import CANCELLED, ERROR, OK, BackgroundJob
from planner.ui.common.save_folder import save_dialog
from planner.ui.transfer.import_dialog import ImportDialog
from planner.ui.transfer.restore_dialog import RestoreDialog, describe_backup

log = logging.getLogger(__name__)

SHOW_PROGRESS_AFTER_MS = 300  # quick jobs finish without a flash of progress dialog
_NEVER = 24 * 3600 * 1000  # QProgressDialog must not show (or spin the event loop) by itself

IMPORT_FILTERS = [
    "Contacts and exports (*.vcf *.vcard *.csv *.json)",
    "vCard (*.vcf *.vcard)",
    "CSV (*.csv *.txt)",
    "Mentorship Planner export (*.json)",
    "All files (*)",
]
RESTORE_FILTERS = ["Mentorship Planner databases (*.db *.sqlite *.sqlite3)", "All files (*)"]
#: format → (file dialog filter, what the message calls it)
EXPORT_CHOICES = {
    "json": ("Everything as JSON (*.json)", "everything (JSON)"),
    "vcard": ("People as vCard 4.0 (*.vcf)", "people as vCard 4.0"),
    "csv": ("People as CSV (*.csv)", "people as CSV"),
}
_SUFFIX_FORMATS = {".json": "json", ".vcf": "vcard", ".vcard": "vcard", ".csv": "csv"}


class TransferController(QObject):
    #: a background job ended and its result was shown: "ok", "cancelled" or "error"
    job_finished = Signal(str)

    def __init__(self, window, document):
        super().__init__(window)
        self.setObjectName("transferController")
        self.window = window
        self.document = document
        #: replaceable: ask_open_path(caption, filters, done(path))
        self.ask_open_path: Callable = self._ask_open_path
        #: replaceable: ask_save_path(caption, suggested, filters, done(path, chosen_filter))
        self.ask_save_path: Callable = self._ask_save_path
        self.job: BackgroundJob | None = None
        self.progress: QProgressDialog | None = None
        self.import_dialog: ImportDialog | None = None
        self.restore_dialog: RestoreDialog | None = None
        self.file_dialog: QFileDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.error_box: QMessageBox | None = None
        self.info_box: QMessageBox | None = None
        self.last_message = ""
        self.last_summary = None  # the ImportSummary of the last import
        self._on_done: Callable[[str, object], None] | None = None
        self._was_watching = False
        # databases reopened after a restore are closed with the window (app.py closes the first)
        self._reopened: list = []
        window.destroyed.connect(functools.partial(_close_all, self._reopened))

    # ==================================================================== import
    def start_import(self) -> None:
        """File → Import…: ask for a file, then :meth:`import_file`."""
        if not self._refuse_if_busy():
            self.ask_open_path("Import People", IMPORT_FILTERS, self.import_file)

    def import_file(self, path: str | Path) -> None:
        """Read ``path`` off the GUI thread; then the mapping step, the preview, or the
        offer to restore a full export, depending on what the file is."""
        if self._refuse_if_busy():
            return
        path = Path(path)
        self._start(
            functools.partial(_inspect, path),
            label=f"Reading {path.name}…",
            done=functools.partial(self._inspected, path),
            name="import-read",
        )

    def _inspected(self, path: Path, status: str, payload) -> None:
        if status == CANCELLED:
            self._tell("Import cancelled — nothing was written")
            return
        if status == ERROR:
            self._complain(f"Cannot import {path.name}: {_sentence(payload)}. Nothing was written.")
            return
        kind, value = payload
        if kind == "json":
            self._offer_dump(path)
        elif kind == "csv":
            columns, samples = value
            self._open_import_dialog(path, columns=columns, samples=samples)
        else:
            self._open_import_dialog(path).show_preview(value)

    def _open_import_dialog(self, path: Path, **mapping_step) -> ImportDialog:
        dialog = ImportDialog(self.window, path.name, **mapping_step)
        dialog.preview_requested.connect(functools.partial(self._preview_mapped, dialog, path))
        dialog.import_requested.connect(functools.partial(self._apply, dialog, path))
        dialog.encoding_requested.connect(functools.partial(self._preview_encoding, dialog, path))
        dialog.finished.connect(functools.partial(self._import_dialog_closed, dialog))
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def _import_dialog_closed(self, dialog: ImportDialog, _result: int) -> None:
        if self.import_dialog is dialog:
            self.import_dialog = None
        dialog.deleteLater()

    def _preview_mapped(self, dialog: ImportDialog, path: Path, mapping: dict) -> None:
        """The mapping step's Preview: read the CSV with the chosen columns."""
        if self._refuse_if_busy():
            return
        from planner.services.importing import preview_import

        dialog.set_busy(True)
        self._start(
            lambda progress, cancel: preview_import(path, "csv", mapping, progress, cancel),
            label=f"Reading {path.name}…",
            parent=dialog,
            done=functools.partial(self._mapped_previewed, dialog),
            name="import-preview",
        )

    def _preview_encoding(self, dialog: ImportDialog, path: Path, encoding: str) -> None:
        """The preview's encoding combo box: read the file again in that encoding."""
        preview = dialog.model.preview
        if preview is None or self._refuse_if_busy():
            return
        from planner.services.importing import preview_import

        fmt = "csv" if dialog.columns else preview.format
        mapping = dialog.mapping() if dialog.columns else None
        dialog.set_busy(True)
        self._start(
            lambda progress, cancel: preview_import(path, fmt, mapping, progress, cancel,
                                                    encoding=encoding),
            label=f"Reading {path.name}…",
            parent=dialog,
            done=functools.partial(self._mapped_previewed, dialog),
            name="import-preview",
        )

    def _mapped_previewed(self, dialog: ImportDialog, status: str, payload) -> None:
        if self.import_dialog is not dialog:
            return
        dialog.set_busy(False)
        if status == OK:
            dialog.show_preview(payload)
        elif status == CANCELLED:
            dialog.show_error("The preview was cancelled.")
        else:
            dialog.show_error(f"{_upper_first(_sentence(payload))}.")

    def _apply(self, dialog: ImportDialog, path: Path, choice: str) -> None:
        """The preview's Import: store it in one transaction, off the GUI thread."""
        preview = dialog.model.preview
        if preview is None or self._refuse_if_busy():
            return
        from planner.services.importing import apply_import

        added, merged = dialog.will_store()
        dialog.set_busy(True)
        dialog.show_error("")
        self._start(
            lambda progress, cancel: apply_import(preview, choice, progress, cancel),
            label=f"Importing {added + merged} people from {path.name}…",
            parent=dialog,
            done=functools.partial(self._applied, dialog, path),
            name="import-apply",
        )

    def _applied(self, dialog: ImportDialog, path: Path, status: str, payload) -> None:
        alive = self.import_dialog is dialog
        if alive:
            dialog.set_busy(False)
        if status == CANCELLED:
            if alive:
                dialog.show_error("The import was cancelled: nothing was written.")
            self._tell("Import cancelled — nothing was written")
            return
        if status == ERROR:
            self._complain(f"The import failed: {_sentence(payload)}. Nothing was written.")
            return
        summary = payload
        self.last_summary = summary
        from planner.ui.common import avatars

        avatars.invalidate()  # the import may have brought pictures
        self.document.refresh_all()
        if alive:
            dialog.accept()
        text = f"Imported {path.name}: {summary.summary()}"
        if summary.added:
            text += " — new people are unplaced, ready to drag onto a ring"
        self._tell(text)
        if summary.problems:
            self._inform(
                "Import Finished",
                text + ".",
                f"{len(summary.problems)} entries or values were left out; "
                "the details say which and why.",
                details="\n".join(summary.problems),
            )

    # -- a full JSON export, restored into an empty database ------------------------------
    def _offer_dump(self, path: Path) -> None:
        from planner.services.exporting import import_json

        self._start(
            lambda _progress, _cancel: import_json(path, dry_run=True),
            label=f"Checking {path.name}…",
            done=functools.partial(self._dump_checked, path),
            name="dump-check",
        )

    def _dump_checked(self, path: Path, status: str, payload) -> None:
        if status == CANCELLED:
            return
        if status == ERROR:
            self._complain(
                f"Cannot restore {path.name}: {_sentence(payload)}. Nothing was written."
            )
            return
        from planner.services.exporting import describe_counts

        self._confirm(
            "Restore a Full Export",
            f"{path.name} is a complete Mentorship Planner export. Restore it into this "
            "empty database?",
            f"It holds {describe_counts(payload)}.",
            "&Restore",
            functools.partial(self._restore_dump, path),
        )

    def _restore_dump(self, path: Path) -> None:
        if self._refuse_if_busy():
            return
        from planner.services.exporting import import_json

        self._start(
            lambda _progress, _cancel: import_json(path),
            label=f"Restoring {path.name}…",
            done=functools.partial(self._dump_restored, path),
            name="dump-restore",
        )

    def _dump_restored(self, path: Path, status: str, payload) -> None:
        if status != OK:
            if status == ERROR:
                self._complain(
                    f"Cannot restore {path.name}: {_sentence(payload)}. Nothing was written."
                )
            return
        from planner.services.exporting import describe_counts

        self.document.use_database(self.document.database)  # new ids: clear the history too
        self._tell(f"Restored {describe_counts(payload)} from {path.name}")

    # ==================================================================== export
    def start_export(self) -> None:
        """File → Export…: choose a file and a format (by the file type), then write it."""
        if self._refuse_if_busy():
            return
        suggested = Path(f"mentorship-planner-{date.today().isoformat()}.json")
        filters = [text for text, _ in EXPORT_CHOICES.values()]
        self.ask_save_path("Export", suggested, filters, self._export_chosen)

    def _export_chosen(self, path: str | Path, chosen_filter: str = "") -> None:
        try:
            fmt = export_format(Path(path), chosen_filter)
        except InvalidInput as exc:
            self._complain(f"Cannot export: {_sentence(str(exc))}.")
            return
        self.export_to(path, fmt)

    def export_to(self, path: str | Path, fmt: str) -> None:
        """Write ``fmt`` (json, vcard, csv) to ``path`` off the GUI thread."""
        if self._refuse_if_busy():
            return
        if fmt not in EXPORT_CHOICES:
            self._complain(f"Unknown export format {fmt!r}.")
            return
        from planner.services.exporting import EXTENSIONS

        path = Path(path)
        if not path.suffix:
            path = path.with_name(f"{path.name}.{EXTENSIONS[fmt]}")
        self._start(
            functools.partial(_export, path, fmt),
            label=f"Exporting {EXPORT_CHOICES[fmt][1]}…",
            done=functools.partial(self._exported, path, fmt),
            name="export",
        )

    def _exported(self, path: Path, fmt: str, status: str, payload) -> None:
        if status == CANCELLED:
            self._tell("Export cancelled — no file was written")
        elif status == ERROR:
            self._complain(f"The export failed: {_sentence(payload)}.")
        else:
            self._tell(f"Exported {EXPORT_CHOICES[fmt][1]} to {payload}")

    # ==================================================================== backups
    def backup_now(self) -> Path | None:
        """File → Back Up Now: a consistent copy in backups/ beside the database."""
        if self._refuse_if_busy():
            return None
        from planner.services.backups import backup_now

        try:
            path = backup_now()
        except PlannerError as exc:
            self._complain(f"The backup failed: {_sentence(str(exc))}.")
            return None
        self._tell(f"Backed up to {path}")
        return path

    def start_restore(self) -> RestoreDialog | None:
        """File → Restore from Backup…: the list of backups (or another file), a
        confirmation, then :meth:`restore_from`."""
        if self._refuse_if_busy():
            return None
        from planner.services.backups import list_backups

        try:
            backups = list_backups()
        except PlannerError as exc:
            self._complain(f"Cannot restore here: {_sentence(str(exc))}.")
            return None
        dialog = RestoreDialog(self.window, backups, self.document.database.path)
        dialog.chosen.connect(self.confirm_restore)
        dialog.other_file_requested.connect(self._restore_other_file)
        dialog.finished.connect(functools.partial(self._restore_dialog_closed, dialog))
        self.restore_dialog = dialog
        dialog.open()
        return dialog

    def _restore_dialog_closed(self, dialog: RestoreDialog, _result: int) -> None:
        if self.restore_dialog is dialog:
            self.restore_dialog = None
        dialog.deleteLater()

    def _restore_other_file(self) -> None:
        self.ask_open_path("Restore from a Backup File", RESTORE_FILTERS, self.confirm_restore)

    def confirm_restore(self, source: str | Path) -> QMessageBox:
        source = Path(source)
        when, why = describe_backup(source)
        made = f"the backup made {when} ({why})" if why else source.name
        database = self.document.database.path
        name = database.name if database else "the database"
        return self._confirm(
            "Restore from Backup",
            f"Replace everything in {name} with {made}?",
            "What is there now is kept as a pre-restore backup first. Undo history is cleared.",
            "&Restore",
            functools.partial(self.restore_from, source),
        )

    def restore_from(self, source: str | Path) -> bool:
        """Close the window's connection, restore ``source``, reopen, show it. True if restored.

        A refusal (not a backup, the database in use) changes nothing and says why.
        """
        if self._refuse_if_busy():
            return False
        from planner.services.backups import restore
        from planner.storage.database import database_key, open_database

        source = Path(source)
        document = self.document
        old = document.database
        path = old.path
        if path is None:
            self._complain("Only a database file can be restored.")
            return False
        # an encrypted database keeps its key across the restore (no prompt, no keyring)
        keyed = {"key": key} if (key := database_key(old.db)) else {}
        watching = document.stop_watching()
        old.close()  # no worker runs (not busy): this was the last connection
        result, refusal = None, None
        try:
            result = restore(source, path, **keyed)
        except PlannerError as exc:
            refusal = str(exc)
        except Exception as exc:  # said to the user, logged with the traceback
            from planner.logs import log_path

            log.exception("restore from %s failed", source)
            refusal = f"{type(exc).__name__}: {exc} (details in {log_path()})"
        try:
            reopened = open_database(str(path), **keyed)
        except PlannerError as exc:
            kept = (
                f" The data from before is in {result.previous}."
                if result and result.previous
                else ""
            )
            self._complain(f"{path.name} could not be opened again: {_sentence(str(exc))}.{kept}")
            return False
        self._reopened.append(reopened)
        document.use_database(reopened)
        if watching:
            document.start_watching()
        if refusal is not None:
            self._complain(f"Nothing was restored: {_sentence(refusal)}.")
            return False
        text = f"Restored {path.name} from {source.name}"
        if result is not None and result.previous is not None:
            text += f"; what was there before is kept in {result.previous}"
        self._tell(text)
        return True

    # ==================================================================== jobs
    @property
    def busy(self) -> bool:
        return self.job is not None

    def cancel(self) -> None:
        """The progress dialog's Cancel: the job stops at its next check, writing nothing."""
        if self.job is not None:
            self.job.cancel()

    def shutdown(self) -> None:
        """The window is closing: stop the job and wait for its thread."""
        job = self.job
        if job is not None:
            job.cancel()
            job.wait()

    def _start(
        self, work, *, label: str, done, parent: QWidget | None = None, name: str = "transfer"
    ) -> BackgroundJob:
        job = BackgroundJob(work, self, name=name)
        dialog = QProgressDialog(label, "Cancel", 0, 0, parent or self.window)
        dialog.setObjectName("transferProgress")
        dialog.setWindowTitle(APP_NAME)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)
        dialog.setMinimumDuration(_NEVER)  # shown by our timer, never by setValue()
        dialog.setMinimumWidth(380)
        dialog.canceled.connect(self.cancel)
        dialog.rejected.connect(self.cancel)  # Escape, or closing it
        self.job, self.progress, self._on_done = job, dialog, done
        self._was_watching = self.document.stop_watching()
        job.connect_to(self._job_progress, self._job_done)
        QTimer.singleShot(SHOW_PROGRESS_AFTER_MS, dialog, functools.partial(self._show, dialog))
        job.start()
        return job

    def _show(self, dialog: QProgressDialog) -> None:
        if self.progress is dialog and self.job is not None and not self.job.is_cancelled():
            dialog.show()

    @Slot(int, int)
    def _job_progress(self, done: int, total: int) -> None:
        dialog, job = self.progress, self.job
        if dialog is None or job is None or job.is_cancelled():
            return
        if total > 0 and dialog.maximum() != total:
            dialog.setRange(0, total)
        dialog.setValue(max(0, min(done, dialog.maximum())))

    @Slot(str, object)
    def _job_done(self, status: str, payload) -> None:
        job, dialog, callback = self.job, self.progress, self._on_done
        if job is None:
            return
        self.job = self.progress = self._on_done = None
        job.wait()  # run() has returned; let the thread end before it is deleted
        job.deleteLater()
        if dialog is not None:
            dialog.hide()
            dialog.deleteLater()
        try:
            if callback is not None:
                callback(status, payload)
        finally:
            if self._was_watching:
                self.document.start_watching()
            self._was_watching = False
        self.job_finished.emit(status)

    def _refuse_if_busy(self) -> bool:
        if self.job is None:
            return False
        self._tell("Still busy with the last import or export — wait for it or cancel it")
        return True

    # ==================================================================== talking
    def _top(self) -> QWidget:
        dialog = self.import_dialog
        return dialog if dialog is not None and dialog.isVisible() else self.window

    def _tell(self, text: str) -> None:
        self.last_message = text
        self.window.show_message(text)

    def _complain(self, text: str) -> QMessageBox:
        """One clear message: a warning box (opened, not exec'd) and the status bar."""
        self.last_message = text
        self.window.statusBar().showMessage(text, 8000)
        box = QMessageBox(
            QMessageBox.Icon.Warning, APP_NAME, text, QMessageBox.StandardButton.Ok, self._top()
        )
        box.setObjectName("transferError")
        box.finished.connect(box.deleteLater)
        self.error_box = box
        box.open()
        return box

    def _inform(
        self, title: str, text: str, informative: str = "", *, details: str = ""
    ) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self._top()
        )
        box.setObjectName("transferInfo")
        if informative:
            box.setInformativeText(informative)
        if details:
            box.setDetailedText(details)
        box.finished.connect(box.deleteLater)
        self.info_box = box
        box.open()
        return box

    def _confirm(
        self, title: str, text: str, informative: str, yes_text: str, on_yes: Callable[[], object]
    ) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self._top(),
        )
        box.setObjectName("transferConfirm")
        box.setInformativeText(informative)
        box.button(QMessageBox.StandardButton.Yes).setText(yes_text.replace("&", "") or "Yes")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def clicked(button) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Yes:
                on_yes()

        box.buttonClicked.connect(clicked)
        box.finished.connect(box.deleteLater)
        self.confirm_box = box
        box.open()
        return box

    # ==================================================================== file dialogs
    def _ask_open_path(self, caption: str, filters: list[str], done) -> QFileDialog:
        dialog = QFileDialog(self.window, caption)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters(filters)
        dialog.fileSelected.connect(lambda chosen: done(Path(chosen)))
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def _ask_save_path(
        self, caption: str, suggested: Path, filters: list[str], done
    ) -> QFileDialog:
        # in Documents, then where the user saved last (the This Week export's helper)
        dialog = save_dialog(self.window, caption, suggested.name, filters)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)

        def filter_chosen(chosen: str) -> None:  # keep the name's extension in step
            fmt = export_format(Path("x"), chosen)
            current = dialog.selectedFiles()
            if current:
                from planner.services.exporting import EXTENSIONS

                dialog.selectFile(Path(current[0]).with_suffix(f".{EXTENSIONS[fmt]}").name)

        dialog.filterSelected.connect(filter_chosen)
        dialog.fileSelected.connect(lambda chosen: done(Path(chosen), dialog.selectedNameFilter()))
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog = dialog
        dialog.open()
        return dialog


# ------------------------------------------------------------------ worker functions
def _inspect(path: Path, progress, should_cancel):
    """In the worker: what the file is, and for contact files their preview."""
    from planner.services.importing import detect_kind, preview_import

    kind = detect_kind(path)
    if kind == "json":
        return "json", None
    if kind == "csv":
        return "csv", csv_header(path)
    return "preview", preview_import(path, kind, None, progress, should_cancel)


def csv_header(path: Path) -> tuple[list[str], dict[str, str]]:
    """A generic CSV's columns and a sample value of each, for the mapping step."""
    from planner.importers.csv_formats import classify_header
    from planner.importers.csv_table import cell_value, open_table
    from planner.importers.user_file import read_user_file

    table, rows, _ = open_table(read_user_file(path, what="contact export"), classify_header)
    first = list(itertools.islice(rows, 50))  # a million-row file is not read here
    if not first:
        raise InvalidInput("the CSV file has no contacts (it has only a header row)")
    samples: dict[str, str] = {}
    for _line, cells in first:
        for column, cell in zip(table.header, cells, strict=False):
            value = cell_value(cell).strip()
            if column and value and column not in samples:
                samples[column] = value
    return list(table.header), samples


def _export(path: Path, fmt: str, _progress, should_cancel) -> Path:
    from planner.services.exporting import export_text, write_text

    text = export_text(fmt)
    if should_cancel():
        raise Cancelled("the export was cancelled")
    return write_text(path, text)


def export_format(path: Path, chosen_filter: str = "") -> str:
    """json, vcard or csv: from the file dialog's chosen type, else the file's extension."""
    for fmt, (text, _) in EXPORT_CHOICES.items():
        if chosen_filter and chosen_filter == text:
            return fmt
    fmt = _SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None and path.suffix:
        raise InvalidInput(f"export as .json, .vcf or .csv, not {path.suffix}")
    return fmt or "json"


def _sentence(text) -> str:
    return str(text).strip().rstrip(".")


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _close_all(databases: list, *_args) -> None:
    for database in databases:
        database.close()
