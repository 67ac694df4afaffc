"""What every transfer flow (import, export, backup) shares with the window.

* One job at a time, in a :class:`~planner.ui.common.background.BackgroundJob` (its own
  thread and database connection). A job that writes runs behind a ``QProgressDialog``
  with Cancel, shown only if the work takes longer than :data:`SHOW_PROGRESS_AFTER_MS`,
  and the document stops polling meanwhile (the window's own writes are not "another
  program's change"). One that only reads (a backup) leaves the window usable and
  polling: the status bar says what it does, with a busy bar, until it ends.
* The messages: the status bar, and boxes opened with ``open()`` and kept as
  :attr:`confirm_box`, :attr:`error_box` and :attr:`info_box` (tests press them).
* The file dialogs, replaceable for tests: ``ask_open_path(caption, filters, done)``
  and ``ask_save_path(caption, suggested, filters, done)`` (``done(path)`` and
  ``done(path, chosen_filter)``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from planner import APP_NAME
from planner.ui.common.background import BackgroundJob
from planner.ui.common.save_folder import save_dialog

SHOW_PROGRESS_AFTER_MS = 300  # quick jobs finish without a flash of progress dialog
_NEVER = 24 * 3600 * 1000  # QProgressDialog must not show (or spin the event loop) by itself


class TransferJobs(QObject):
    #: a background job ended and its result was shown: "ok", "cancelled" or "error"
    job_finished = Signal(str)

    def __init__(self, window, document):
        super().__init__(window)
        self.window = window
        self.document = document
        #: replaceable: ask_open_path(caption, filters, done(path))
        self.ask_open_path: Callable = self._ask_open_path
        #: replaceable: ask_save_path(caption, suggested, filters, done(path, chosen_filter))
        self.ask_save_path: Callable = self._ask_save_path
        self.job: BackgroundJob | None = None
        self.progress: QProgressDialog | None = None
        #: the dialog boxes stand in front of (an import's dialog while it is open)
        self.front: QWidget | None = None
        self.file_dialog: QFileDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.error_box: QMessageBox | None = None
        self.info_box: QMessageBox | None = None
        self.last_message = ""
        self._on_done: Callable[[str, object], None] | None = None
        self._was_watching = False
        self._busy_with = ""
        self._job_writes = False
        #: a job that only reads: what it does, at the status bar's right (no dialog)
        self.busy_widget: QWidget | None = None

    # -- the one job -------------------------------------------------------------------
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

    def refuse_if_busy(self) -> bool:
        if self.job is None:
            return False
        self.tell(f"Still busy: {self._busy_with} — wait for it to finish")
        return True

    def start(self, work, *, label: str, done, parent: QWidget | None = None,
              name: str = "transfer", writes: bool = True) -> BackgroundJob:
        """Run ``work(progress, should_cancel)`` off the GUI thread; then
        ``done(status, payload)`` on it. ``writes=False``: the work only reads (a backup):
        the window stays usable, the document goes on polling for other programs'
        changes, and the status bar shows ``label`` with a busy bar instead of a dialog
        (such work cannot stop halfway: it has no Cancel)."""
        job = BackgroundJob(work, self, name=name)
        self._busy_with = label.rstrip(".…")[:1].lower() + label.rstrip(".…")[1:]
        self._job_writes = writes
        if not writes:
            self.job, self.progress, self._on_done = job, None, done
            self._was_watching = False
            self._show_busy(label)
            job.connect_to(None, self._job_done)
            job.start()
            return job
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
        self._was_watching = self.document.session.stop_watching()
        job.connect_to(self._job_progress, self._job_done)
        QTimer.singleShot(SHOW_PROGRESS_AFTER_MS, dialog, functools.partial(self._show, dialog))
        job.start()
        return job

    def _show_busy(self, label: str) -> None:
        """``label`` and an indeterminate bar at the status bar's right, until the job ends."""
        from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QSizePolicy

        busy = QWidget()
        busy.setObjectName("transferBusy")
        row = QHBoxLayout(busy)
        row.setContentsMargins(0, 0, 4, 0)
        text = QLabel(label, busy)
        bar = QProgressBar(busy)
        bar.setRange(0, 0)
        bar.setFixedSize(100, text.sizeHint().height())
        bar.setAccessibleName(label)
        row.addWidget(text)
        row.addWidget(bar)
        busy.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.window.statusBar().addPermanentWidget(busy)
        self.busy_widget = busy

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
        if self.busy_widget is not None:
            self.window.statusBar().removeWidget(self.busy_widget)
            self.busy_widget.deleteLater()
            self.busy_widget = None
        if dialog is not None:
            dialog.hide()
            dialog.deleteLater()
        was_watching, self._was_watching = self._was_watching, False
        try:
            if callback is not None:  # (it may start the next job: a full export's check)
                callback(status, payload)
        finally:
            if was_watching:
                if self.job is not None and self._job_writes:
                    self._was_watching = True  # handed on: watched again when that ends
                else:
                    self.document.session.start_watching()
        self.job_finished.emit(status)

    # -- talking -----------------------------------------------------------------------
    def _top(self) -> QWidget:
        front = self.front
        return front if front is not None and front.isVisible() else self.window

    def tell(self, text: str) -> None:
        self.last_message = text
        self.window.show_message(text)

    def tell_undoable(self, text: str) -> None:
        """Said with an Undo button beside it (the step is the last one on the stack)."""
        self.last_message = text
        self.window.statusBar().showMessage(text, 8000)
        self.window.toast.show_message(text, 8000, undo=self.window.undo)

    def note(self, text: str) -> None:
        """The status bar only, for what a box says too (a toast would say it again)."""
        self.last_message = text
        self.window.statusBar().showMessage(text, 8000)

    def complain(self, text: str) -> QMessageBox:
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

    def inform(self, title: str, text: str, informative: str = "", *,
               details: str = "") -> QMessageBox:
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

    def confirm(self, title: str, text: str, informative: str, yes_text: str,
                on_yes: Callable[[], object]) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self._top(),
        )
        box.setObjectName("transferConfirm")
        box.setInformativeText(informative)
        box.button(QMessageBox.StandardButton.Yes).setText(yes_text or "&Yes")  # (Alt+letter)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def clicked(button) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Yes:
                on_yes()

        box.buttonClicked.connect(clicked)
        box.finished.connect(box.deleteLater)
        self.confirm_box = box
        box.open()
        return box

    # -- file dialogs --------------------------------------------------------------------
    def _ask_open_path(self, caption: str, filters: list[str], done) -> QFileDialog:
        from planner.ui.common.file_dialogs import file_dialog
        from planner.ui.common.save_folder import documents_folder

        # in Documents (not the folder the app was started from, which may hold the
        # database), and never opening the files it lists (file_dialogs)
        dialog = file_dialog(self.window, caption, documents_folder(), filters)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda chosen: done(Path(chosen)))
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def _ask_save_path(self, caption: str, suggested: Path, filters: list[str],
                       done) -> QFileDialog:
        from planner.ui.transfer.export_flow import filter_format

        # in Documents, then where the user saved last (the This Week export's helper)
        dialog = save_dialog(self.window, caption, suggested.name, filters)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)

        def filter_chosen(chosen: str) -> None:  # keep the name's extension in step
            fmt = filter_format(chosen)
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


def sentence(text) -> str:
    """An error's text to go inside a sentence of ours (no final full stop)."""
    return str(text).strip().rstrip(".")


_SAYS_NOTHING = re.compile(r"\bnothing (?:was|has been|is) (?:written|imported|changed|"
                          r"restored|saved)\b", re.IGNORECASE)


def nothing_written(text) -> str:
    """An error's text as a sentence that says nothing was written — once: a reason that
    already says so ("…; nothing was imported") is not followed by "Nothing was written."."""
    said = sentence(text)
    return f"{said}." if _SAYS_NOTHING.search(said) else f"{said}. Nothing was written."


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]
