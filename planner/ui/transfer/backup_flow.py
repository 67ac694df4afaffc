"""File → Back Up Now and Restore from Backup…, and restoring a full JSON export into an
empty database (offered when such a file is imported).

Back Up Now runs on a worker thread (the window keeps working and showing other
programs' changes meanwhile). A restore runs on the GUI thread: the window's database is
closed for the work and reopened (:mod:`planner.ui.common.reopen`); ``restore`` validates
first and keeps a pre-restore copy. A refused restore changes nothing.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from planner.domain.errors import InvalidInput, PlannerError
from planner.ui.common.background import CANCELLED, ERROR, OK, BackgroundJob
from planner.ui.transfer.restore_dialog import RestoreDialog, describe_backup
from planner.ui.transfer.transfer_jobs import TransferJobs, nothing_written, sentence

log = logging.getLogger(__name__)

RESTORE_FILTERS = ["Mentorship Planner databases (*.db *.sqlite *.sqlite3)", "All files (*)"]


def plain_refusal(text: str) -> str:
    """A service's refusal without what the window says around it ("cannot restore: …;
    nothing was changed" read "Nothing was restored: cannot restore: …; nothing was
    changed")."""
    text = text.strip().rstrip(".")
    if text.lower().startswith("cannot restore: "):
        text = text[len("cannot restore: "):]
    for tail in ("; nothing was changed", ". nothing was changed"):
        if text.lower().endswith(tail):
            text = text[: -len(tail)]
    return text


@contextmanager
def busy_while(window, text: str) -> Iterator[None]:
    """Work the window must wait for, on the GUI thread: a busy cursor, and ``text`` in the
    status bar, painted before the work begins."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    window.statusBar().showMessage(text)
    window.statusBar().repaint()
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()
        if window.statusBar().currentMessage() == text:
            window.statusBar().clearMessage()


class BackupFlow:
    def __init__(self, jobs: TransferJobs):
        self.jobs = jobs
        self.document = jobs.document
        self.restore_dialog: RestoreDialog | None = None
        #: the copy Back Up Now made last
        self.last_backup: Path | None = None

    # -- backups -------------------------------------------------------------------------
    def ask_backup_to(self):
        """File → Back Up To…: a save dialog (opened, not exec'd) for a copy anywhere — the
        way out when backups/ beside the database cannot be written. Returns the dialog."""
        if self.jobs.refuse_if_busy():
            return None
        from datetime import date

        from PySide6.QtWidgets import QFileDialog

        from planner.ui.common.save_folder import save_dialog

        path = self.document.database.path
        if path is None:
            self.jobs.complain("Only a database file can be backed up here.")
            return None
        dialog = save_dialog(self.jobs.window, "Back Up To",
                             f"{path.stem}-backup-{date.today().isoformat()}.db",
                             ["Mentorship Planner databases (*.db)"])
        dialog.setObjectName("backupTo")
        dialog.setDefaultSuffix("db")
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.fileSelected.connect(lambda chosen: self.backup_now(Path(chosen)))
        dialog.finished.connect(dialog.deleteLater)
        self.jobs.file_dialog = dialog
        dialog.open()
        return dialog

    def backup_now(self, dest: Path | None = None) -> BackgroundJob | None:
        """A consistent copy in backups/ beside the database (or at ``dest``), made on a
        worker thread: the copy and its check open the file again (of an encrypted one,
        the copy's key is derived once, for its own salt), and the window goes on working
        and showing other programs' changes meanwhile. The end is said in the status bar;
        :attr:`last_backup` is the copy."""
        if self.jobs.refuse_if_busy():
            return None
        from planner.services.backups import backup_now

        path, store = self.document.database.path, self.document.backend
        return self.jobs.start(
            lambda _progress, _cancelled: backup_now(store, dest),
            label=f"Backing up {path.name}…" if path is not None else "Backing up…",
            done=functools.partial(self._backed_up, dest is None),
            name="backup",
            writes=False,  # (one step of SQLite's backup API: it cannot stop halfway)
        )

    def _backed_up(self, kept: bool, status: str, payload) -> None:
        from planner.services.backups import kept_note

        if status != OK:
            way_out = (" File → Back Up To… makes a copy somewhere else."
                       if kept and "cannot write" in str(payload) else "")
            self.jobs.complain(f"The backup failed: {sentence(str(payload))}.{way_out}")
            return
        self.last_backup = Path(payload)
        if kept:  # (one of those in backups/: the rotation's rule is said)
            self.jobs.tell(f"Backed up to {payload}; {kept_note()}")
        else:
            self.jobs.tell(f"Backed up to {payload}")

    # -- restore ---------------------------------------------------------------------------
    def start_restore(self) -> RestoreDialog | None:
        """The list of backups (or another file), a confirmation, then :meth:`restore_from`."""
        if self.jobs.refuse_if_busy():
            return None
        from planner.services.backups import kept_note, list_backups

        try:
            backups = list_backups(self.document.backend)
            kept = kept_note("any")
        except PlannerError as exc:
            self.jobs.complain(f"Cannot restore here: {sentence(str(exc))}.")
            return None
        dialog = RestoreDialog(self.jobs.window, backups, self.document.database.path, kept)
        dialog.chosen.connect(self.confirm_restore)
        dialog.other_file_requested.connect(self._other_file)
        dialog.finished.connect(functools.partial(self._dialog_closed, dialog))
        self.restore_dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: RestoreDialog, _result: int) -> None:
        if self.restore_dialog is dialog:
            self.restore_dialog = None
        dialog.deleteLater()

    def _other_file(self) -> None:
        self.jobs.ask_open_path("Restore from a Backup File", RESTORE_FILTERS,
                                self.confirm_restore)

    def confirm_restore(self, source: str | Path) -> BackgroundJob | None:
        """Look at ``source`` first (read-only, off the GUI thread): a file that cannot be
        restored is refused in one sentence before anyone is asked to replace anything;
        else :attr:`TransferJobs.confirm_box` asks, and Restore calls :meth:`restore_from`."""
        if self.jobs.refuse_if_busy():
            return None
        from planner.services.backups import restore_refusal

        if self.document.database.path is None:
            self.jobs.complain("Only a database file can be restored.")
            return None
        source, store = Path(source), self.document.backend
        return self.jobs.start(
            lambda _progress, _cancelled: restore_refusal(store, source),
            label=f"Checking {source.name}…",
            done=functools.partial(self._checked, source),
            name="restore-check",
            writes=False,
        )

    def _checked(self, source: Path, status: str, payload) -> None:
        if status != OK:
            self.jobs.complain(f"{source.name} cannot be restored: {sentence(str(payload))}. "
                               "Nothing was changed.")
            return
        if payload is not None:  # why not, in a sentence
            self.jobs.complain(f"{payload} Nothing was changed.")
            return
        when, why = describe_backup(source)
        made = f"the backup made {when} ({why})" if why else source.name
        database = self.document.database.path
        name = database.name if database else "the database"
        self.jobs.confirm(
            "Restore from Backup",
            f"Replace everything in {name} with {made}?",
            "What is there now is kept as a pre-restore backup first. Undo history is cleared.",
            "&Restore",
            functools.partial(self.restore_from, source),
        )

    def restore_from(self, source: str | Path) -> bool:
        """Close the window's connection, restore ``source``, reopen, show it. True if
        restored. A refusal (not a backup, the database in use) changes nothing and says why.

        On the GUI thread, on purpose: the window's database is closed for the work, and
        nothing of the window may read it meanwhile (a timer's read would open it again in
        the middle of the swap). A busy cursor and "Restoring …" say so while it lasts.
        """
        jobs = self.jobs
        if jobs.refuse_if_busy():
            return False
        from planner.services.backups import restore
        from planner.ui.common.reopen import close_for_work

        source = Path(source)
        path = self.document.database.path
        if path is None:
            jobs.complain("Only a database file can be restored.")
            return False
        with busy_while(jobs.window, f"Restoring {path.name} from {source.name}…"):
            # no worker runs (not busy): this closes the last connection; an encrypted
            # database keeps its key across the restore (no prompt, no keyring)
            closed = close_for_work(self.document)
            result, refusal = None, None
            try:
                result = restore(self.document.backend, source, path, **closed.keyed)
            except PlannerError as exc:
                refusal = str(exc)
            except Exception as exc:  # said to the user, logged with the traceback
                from planner.logs import log_path

                log.exception("restore from %s failed", source)
                refusal = f"{type(exc).__name__}: {exc} (details in {log_path()})"
            try:
                closed.reopen()
            except PlannerError as exc:
                kept = (f" The data from before is in {result.previous}."
                        if result and result.previous else "")
                jobs.complain(
                    f"{path.name} could not be opened again: {sentence(str(exc))}.{kept}")
                return False
        if refusal is not None:
            jobs.complain(f"Nothing was restored: {sentence(plain_refusal(refusal))}.")
            return False
        when, why = describe_backup(source)
        made = f"the backup of {when}" if why else source.name
        text = f"Restored {path.name} from {made}"
        if result is not None and result.previous is not None:
            # (the whole path was cut off at the window's edge: said by where to find it)
            text += ("; what was there before is kept as a pre-restore backup "
                     "(File → Restore from Backup…)")
        jobs.tell(text)
        return True

    # -- a full JSON export, restored into an empty database ------------------------------
    def offer_dump(self, path: Path) -> None:
        from planner.services.exporting import import_json, what_it_holds

        store = self.document.backend

        def check(_progress, _cancel):
            counts = import_json(store, path, dry_run=True, require_empty=False)  # the file first
            held = what_it_holds(store)
            if held is not None:  # said in the window's words (no command line)
                raise InvalidInput(
                    f"{path.name} is a full export: it can be loaded only into an empty "
                    f"database, and this one holds {held}. Make a new one with File → New "
                    "Database File…, then import it there")
            return counts

        self.jobs.start(
            check,
            label=f"Checking {path.name}…",
            done=functools.partial(self._dump_checked, path),
            name="dump-check",
        )

    def _dump_checked(self, path: Path, status: str, payload) -> None:
        if status == CANCELLED:
            return
        if status == ERROR:
            said = str(payload)
            self.jobs.complain(nothing_written(said) if said.startswith(path.name)
                               else f"Cannot restore {path.name}: {nothing_written(said)}")
            return
        from planner.services.exporting import describe_counts

        self.jobs.confirm(
            "Restore a Full Export",
            f"{path.name} is a complete Mentorship Planner export. Restore it into this "
            "empty database?",
            f"It holds {describe_counts(payload)}.",
            "&Restore",
            functools.partial(self._restore_dump, path),
        )

    def _restore_dump(self, path: Path) -> None:
        if self.jobs.refuse_if_busy():
            return
        from planner.services.exporting import import_json

        store = self.document.backend
        self.jobs.start(
            lambda _progress, _cancel: import_json(store, path), label=f"Restoring {path.name}…",
            done=functools.partial(self._dump_restored, path),
            name="dump-restore",
        )

    def _dump_restored(self, path: Path, status: str, payload) -> None:
        if status != OK:
            if status == ERROR:
                self.jobs.complain(
                    f"Cannot restore {path.name}: {nothing_written(payload)}")
            return
        from planner.services.exporting import describe_counts

        self.document.session.use(self.document.database)  # new ids: clear the history too
        self.jobs.tell(f"Restored {describe_counts(payload)} from {path.name}")
