"""Capture sources in the window (issue 24): the calendars and mailboxes the planner reads
for touchpoints, added, removed and set without a terminal — what ``planner capture ics
--watch``, ``capture caldav add``, ``capture imap add``, ``capture forget``, ``capture
auto-accept`` and ``capture me`` do on the command line, through the same services.

Adding reads files or talks to a server, so it runs in a :class:`BackgroundJob` (its own
connection) while the form shows that it is trying; a refusal (wrong password, server
unreachable, a certificate that does not verify) is shown in the form, with what was
typed kept. A certificate that does not verify can be trusted by its SHA-256 fingerprint
("Trust this certificate" retries with it, as ``--trust-certificate`` does). The password
is only ever in the password field and handed to the service: never logged or shown.

Open with ``open()`` or ``show()``: the dialog is modeless towards the window.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.domain.capture_match import SourceKind
from planner.domain.errors import PlannerError
from planner.services import capture as svc
from planner.sources.errors import CertificateRefused
from planner.sources.tls import show_fingerprint
from planner.ui.capture.added_text import calendar_added_text
from planner.ui.capture.problems import ProblemList
from planner.ui.common.dates import date_time_text
from planner.ui.common.disabled_reason import set_enabled
from planner.ui.common.enter_clicks import enter_clicks

if TYPE_CHECKING:
    from planner.ui.common.background import BackgroundJob

log = logging.getLogger(__name__)

KINDS = {"ics": "Calendar file", "caldav": "CalDAV calendar", "imap": "Mailbox (IMAP)"}
COLUMNS = ("Kind", "Name", "Location", "Last read", "Accepted")
FILE, FOLDER = "file", "folder"


def _kind_text(source) -> str:
    if source.kind == "ics" and Path(source.location).is_dir():
        return "Calendar folder"
    return KINDS.get(source.kind, source.kind)


class RemoteForm(QGroupBox):
    """The CalDAV or IMAP form: where, who, the password (echo off), what to read; its
    message line shows why the server said no, and "Trust this certificate" when that
    was the certificate."""

    submitted = Signal()
    trust_requested = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("captureRemoteForm")
        self.kind = SourceKind.CALDAV
        self.fingerprint = ""
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://calendar.example.org/dav/you/work/")
        self.host = QLineEdit(self)
        self.host.setPlaceholderText("imap.example.org")
        self.port = QSpinBox(self)
        self.port.setRange(0, 65535)
        self.port.setSpecialValueText("default")
        self.security = QComboBox(self)
        self.security.addItem("TLS (port 993)", "tls")
        self.security.addItem("STARTTLS (port 143)", "starttls")
        self.user = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.label = QLineEdit(self)
        self.label.setPlaceholderText("optional")
        self.inbox = QCheckBox("Also read INBO&X (mail you received)", self)
        self.keep_subject = QCheckBox("&Keep the subject as the note", self)
        self.rows: dict[str, QLabel] = {}
        for key, text, field, name in (
                ("url", "Calendar UR&L", self.url, "Calendar URL"),
                ("host", "Ser&ver", self.host, "Mail server"),
                ("port", "Por&t", self.port, "Port"),
                ("security", "Securit&y", self.security, "Security"),
                ("user", "User &name", self.user, "User name"),
                ("password", "&Password", self.password, "Password"),
                ("label", "Na&me", self.label, "Name of the source")):
            field.setAccessibleName(name)
            label = QLabel(text, self)
            label.setBuddy(field)
            self.rows[key] = label
            form.addRow(label, field)
        form.addRow("", self.inbox)
        form.addRow("", self.keep_subject)
        self.inbox.setAccessibleName("Also read INBOX")
        self.keep_subject.setAccessibleName("Keep the subject")

        self.message = QLabel(self)
        self.message.setObjectName("captureFormMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName("Why the source was not added")
        self.message.hide()
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)  # busy: how long a server takes is not known
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.setAccessibleName("Trying the server")
        self.busy.hide()
        self.add_button = QPushButton("A&dd", self)
        self.add_button.setAccessibleName("Add this source")
        self.trust_button = QPushButton("Trust t&his certificate", self)
        self.trust_button.setAccessibleName("Trust this certificate and try again")
        self.trust_button.hide()
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel adding")
        enter_clicks(self.add_button, self.trust_button, self.cancel_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.busy, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.trust_button)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.submitted)
        self.trust_button.clicked.connect(self.trust_requested)
        self.cancel_button.clicked.connect(self.cancelled)
        for field in (self.url, self.host, self.user, self.password, self.label):
            field.returnPressed.connect(self.submitted)

    def start(self, kind: SourceKind) -> None:
        """Show the form for a new ``kind`` source, empty."""
        self.kind = kind
        caldav = kind == SourceKind.CALDAV
        self.setTitle("Add a CalDAV calendar" if caldav else "Add a mailbox (IMAP)")
        for key, widget in (("url", self.url), ("host", self.host), ("port", self.port),
                            ("security", self.security)):
            shown = caldav if key == "url" else not caldav
            widget.setVisible(shown)
            self.rows[key].setVisible(shown)
        self.inbox.setVisible(not caldav)
        self.keep_subject.setVisible(not caldav)
        for field in (self.url, self.host, self.user, self.password, self.label):
            field.clear()
        self.port.setValue(0)
        self.security.setCurrentIndex(0)
        self.inbox.setChecked(False)
        self.keep_subject.setChecked(False)
        self.show_problem("")
        self.show()
        (self.url if caldav else self.host).setFocus()

    def values(self) -> dict:
        """What the service is given (the password included: keep it out of logs)."""
        common = {"username": self.user.text().strip(), "password": self.password.text(),
                  "label": self.label.text().strip()}
        if self.kind == SourceKind.CALDAV:
            return {"url": self.url.text().strip(), **common}
        return {"host": self.host.text().strip(), "port": self.port.value() or None,
                "security": self.security.currentData(), "inbox": self.inbox.isChecked(),
                "keep_subject": self.keep_subject.isChecked(), **common}

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for widget in (self.add_button, self.trust_button, self.url, self.host, self.port,
                       self.security, self.user, self.password, self.label, self.inbox,
                       self.keep_subject):
            widget.setEnabled(not busy)
        if busy:
            self.message.setText("Trying the server…")
            self.message.setStyleSheet("")
            self.message.show()

    def show_problem(self, text: str, fingerprint: str = "") -> None:
        """The one sentence why it was not added ("" hides it); a fingerprint offers to
        trust that certificate."""
        self.fingerprint = fingerprint
        self.message.setText(text)
        self.message.setStyleSheet("QLabel { color: white; "
                                   "background: #b3261e; padding: 6px; border-radius: 4px; }"
                                   if text else "")
        self.message.setVisible(bool(text))
        self.trust_button.setVisible(bool(fingerprint))
        if fingerprint:
            self.trust_button.setToolTip(f"SHA-256 {show_fingerprint(fingerprint)}")


def _problem_text(exc: CertificateRefused) -> str:
    """The refusal without its command-line advice, with the fingerprint to compare."""
    text = str(exc).split("; if you")[0].split("; if the server")[0].rstrip(".")
    if exc.fingerprint:
        text += (f". Its SHA-256 fingerprint is {show_fingerprint(exc.fingerprint)}: if you "
                 "know it is your server's, choose Trust this certificate.")
    return text


class RemoveQuestion(QMessageBox):
    """'Remove the source?', with its two buttons for the tests."""
    remove_button: QAbstractButton
    keep_button: QAbstractButton


class CaptureSourcesDialog(QDialog):
    """The sources list with its buttons, the remote form below it, your addresses."""

    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.job: BackgroundJob | None = None
        self.setObjectName("captureSources")
        self.setWindowTitle("Capture sources")
        self.resize(820, 560)
        intro = QLabel("The calendars and mailboxes read for touchpoints. What they find "
                       "waits in Review Captured Touchpoints (Ctrl+Shift+R).", self)
        intro.setWordWrap(True)
        self.view = QTreeWidget(self)
        self.view.setObjectName("captureSourceList")
        self.view.setAccessibleName("Capture sources")
        self.view.setHeaderLabels(COLUMNS)
        self.view.setRootIsDecorated(False)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setUniformRowHeights(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # URLs: both ends matter
        header = self.view.header()
        header.setStretchLastSection(False)
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)
        self.empty = QLabel("<b>No sources yet.</b> Add a calendar file or folder (exported "
                            "from your calendar program), a CalDAV calendar or a mailbox.",
                            self)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("captureSourcesEmpty")

        self.add_file = QPushButton("Add calendar &file…", self)
        self.add_folder = QPushButton("Add calendar f&older…", self)
        self.add_caldav = QPushButton("Add &CalDAV…", self)
        self.add_imap = QPushButton("Add &IMAP…", self)
        self.remove_button = QPushButton("&Remove…", self)
        self.remove_button.setAccessibleName("Remove the selected source")
        self.auto_accept = QCheckBox("Accept a&utomatically", self)
        self.auto_accept.setAccessibleName("Accept this source's touchpoints automatically")
        self.auto_accept.setToolTip("Accept what this source finds for people you know as "
                                    "soon as it is read (new people still wait for review)")
        for button, name in ((self.add_file, "Add a calendar file"),
                             (self.add_folder, "Add a calendar folder"),
                             (self.add_caldav, "Add a CalDAV calendar"),
                             (self.add_imap, "Add a mailbox over IMAP")):
            button.setAccessibleName(name)
        row = QHBoxLayout()
        for button in (self.add_file, self.add_folder, self.add_caldav, self.add_imap):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.auto_accept)
        row.addWidget(self.remove_button)
        self.status = QLabel(self)
        self.status.setObjectName("captureSourcesStatus")
        self.status.setWordWrap(True)

        self.form = RemoteForm(self)
        self.form.hide()

        self.addresses = QLineEdit(self)
        self.addresses.setAccessibleName("Your addresses")
        self.addresses.setPlaceholderText("you@example.org, you@work.example")
        self.addresses.setToolTip("Your own e-mail addresses, separated by commas: never "
                                  "proposed as people")
        self.save_addresses = QPushButton("&Save addresses", self)
        self.save_addresses.setAccessibleName("Save your addresses")
        mine = QHBoxLayout()
        mine_label = QLabel("Your &addresses", self)
        mine_label.setBuddy(self.addresses)
        mine.addWidget(mine_label)
        mine.addWidget(self.addresses, 1)
        mine.addWidget(self.save_addresses)
        self.close_button = QPushButton("Close", self)
        # no default button (Enter in the address field saves), but Enter clicks a
        # focused one
        enter_clicks(self.add_file, self.add_folder, self.add_caldav, self.add_imap,
                     self.remove_button, self.save_addresses, self.close_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        # with no sources the message takes the list's place, from its top (with no stretch
        # of its own, the dialog's height was spread around it and the intro)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.empty.setContentsMargins(0, 12, 0, 0)
        layout.addWidget(self.empty, 1)
        layout.addLayout(row)
        layout.addWidget(self.form)
        layout.addLayout(mine)
        layout.addLayout(bottom)
        self.problems = ProblemList(self, "captureSourcesProblems")  # what a file lacked
        layout.addWidget(self.problems)

        self.add_file.clicked.connect(lambda: self.add_calendar(FILE))
        self.add_folder.clicked.connect(lambda: self.add_calendar(FOLDER))
        self.add_caldav.clicked.connect(lambda: self.form.start(SourceKind.CALDAV))
        self.add_imap.clicked.connect(lambda: self.form.start(SourceKind.IMAP))
        self.remove_button.clicked.connect(self.ask_remove)
        self.auto_accept.toggled.connect(self._auto_accept_toggled)
        self.save_addresses.clicked.connect(self.store_addresses)
        self.addresses.returnPressed.connect(self.store_addresses)
        self.close_button.clicked.connect(self.close)
        self.form.submitted.connect(lambda: self.add_remote())
        self.form.trust_requested.connect(lambda: self.add_remote(self.form.fingerprint))
        self.form.cancelled.connect(self._cancel_form)
        self.view.itemSelectionChanged.connect(self._selection_changed)
        self.question: QMessageBox | None = None
        self._loading = False
        self.refresh()
        self.addresses.setText(", ".join(svc.own_address_list()))

    # -- reading ---------------------------------------------------------------------------
    def refresh(self, select: int | None = None) -> None:
        current = self.current()
        select = select if select is not None else (current.id if current else None)
        self.sources = svc.list_sources()
        self.view.clear()
        for source in self.sources:
            item = QTreeWidgetItem([_kind_text(source), source.label, source.location,
                                    date_time_text(source.last_sync_at)
                                    if source.last_sync_at else "not yet",
                                    "automatically" if source.auto_accept
                                    else "after review"])
            item.setData(0, Qt.ItemDataRole.UserRole, source.id)
            item.setToolTip(2, source.location)
            self.view.addTopLevelItem(item)
            if source.id == select:
                self._select(item)
        first = self.view.topLevelItem(0)
        if not self.view.selectedItems() and first is not None:
            self._select(first)
        self.view.setVisible(bool(self.sources))
        self.empty.setVisible(not self.sources)
        self._selection_changed()

    def _select(self, item: QTreeWidgetItem) -> None:
        """Current and selected, whatever keys are held down."""
        self.view.setCurrentItem(item, 0, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                 | QItemSelectionModel.SelectionFlag.Rows)

    def current(self):
        """The source of the selected row: the one Remove and Accept automatically act on
        (not the current row, which can be left unselected by Ctrl+click: Remove then
        removed a row that did not look chosen)."""
        items = self.view.selectedItems() if hasattr(self, "sources") else []
        if not items:
            return None
        item = items[0]
        wanted = item.data(0, Qt.ItemDataRole.UserRole)
        return next((s for s in self.sources if s.id == wanted), None)

    def _selection_changed(self) -> None:
        source = self.current()
        self._loading = True
        try:
            self.auto_accept.setChecked(bool(source and source.auto_accept))
        finally:
            self._loading = False
        writable = not self.document.read_only
        read_only = "This window is read-only: nothing can be changed in it"
        set_enabled(self.auto_accept, source is not None and writable,
                    "Select a source to choose how its touchpoints are accepted"
                    if writable else read_only)
        set_enabled(self.remove_button, source is not None and writable,
                    "Select a source to remove it" if writable else read_only)

    def _changed(self, message: str = "", select: int | None = None) -> None:
        """After a write this window made: the window and the inbox read it again."""
        self.document.refresh_all()
        self.document.editing.capture_signals.changed.emit()
        self.refresh(select)
        if message:
            self.status.setText(message)

    # -- calendar files --------------------------------------------------------------------
    def ask(self, what: str) -> str:
        """The file or folder to read ("" when the user cancels); tests replace this."""
        from planner.ui.common.file_dialogs import ask_folder, ask_open_file

        if what == FOLDER:
            return ask_folder(self, "Calendar folder to read", Path.home())
        return ask_open_file(self, "Calendar file to read", Path.home(),
                             ["Calendars (*.ics)", "All files (*)"])

    def add_calendar(self, what: str) -> None:
        if self.job is not None or self.document.read_only:
            return
        path = self.ask(what)
        if not path:
            return
        from planner.services import capture_ics

        store = self.document.backend

        def work(progress, _cancelled):
            result, source = capture_ics.import_ics(store, path, watch=True, progress=progress)
            assert source is not None  # watch=True registers it
            return source, calendar_added_text(source.label, result), result.problems

        self.status.setText(f"Reading {Path(path).name}…")
        self.problems.show_problems([])
        used = self.add_folder if what == FOLDER else self.add_file
        self._run(work, lambda status, payload: self._calendar_added(status, payload, used))

    def _calendar_added(self, status: str, payload, used: QPushButton) -> None:
        """Added: the new source's row is selected and has the focus. (The buttons are off
        while it reads, so the focus had moved on to "Your addresses": what was typed next
        went there.) Not added: the focus is back on the button that was used."""
        if status == "ok":
            source, message, problems = payload
            self._changed(message, source.id)
            self.problems.show_problems(problems)
            self.view.setFocus()
        else:
            self.status.setText(str(payload))
            used.setFocus()

    # -- CalDAV and IMAP -------------------------------------------------------------------
    def add_remote(self, trusted: str | None = None) -> None:
        """Try the server in a worker with what the form says; added, the form closes."""
        if self.job is not None or self.document.read_only:
            return
        from planner.services import capture_sync

        kind, values = self.form.kind, self.form.values()
        store = self.document.backend

        def work(_progress, _cancelled):
            try:
                if kind == SourceKind.CALDAV:
                    return capture_sync.add_caldav(store, values["url"], values["username"],
                                                   values["password"], label=values["label"],
                                                   trusted=trusted)
                return capture_sync.add_imap(
                    store, values["host"], values["username"], values["password"],
                    port=values["port"], security=values["security"], inbox=values["inbox"],
                    keep_subject=values["keep_subject"], label=values["label"],
                    trusted=trusted)
            except CertificateRefused as exc:  # the fingerprint must reach the form
                return exc

        self.form.set_busy(True)
        self._run(work, self._remote_added)

    def _remote_added(self, status: str, payload) -> None:
        self.form.set_busy(False)
        if status == "ok" and isinstance(payload, CertificateRefused):
            self.form.show_problem(_problem_text(payload), payload.fingerprint)
            self.form.trust_button.setFocus()
        elif status == "ok":
            self.form.password.clear()
            self.form.hide()
            self._changed(f"Added {payload.label}. Read sources again in the review to "
                          "fetch what it holds.", payload.id)
            self.view.setFocus()
        else:
            self.form.show_problem(str(payload))
            self.form.password.setFocus()
            self.form.password.selectAll()

    def _cancel_form(self) -> None:
        if self.job is not None:
            return
        self.form.password.clear()
        self.form.hide()
        self.add_caldav.setFocus() if self.form.kind == SourceKind.CALDAV \
            else self.add_imap.setFocus()

    # -- the worker ------------------------------------------------------------------------
    def _run(self, work, on_done) -> None:
        from planner.ui.common.background import BackgroundJob

        self.job = BackgroundJob(work, self, name="capture source")
        self._was_watching = self.document.session.stop_watching()

        def done(status, payload):
            job, self.job = self.job, None
            if job is not None:
                job.wait()
            if self._was_watching:
                self.document.session.start_watching()
            self._set_adding(True)
            on_done(status, payload)

        self.job.connect_to(None, done)
        self._set_adding(False)
        self.job.start()

    def _set_adding(self, enabled: bool) -> None:
        for button in (self.add_file, self.add_folder, self.add_caldav, self.add_imap,
                       self.remove_button):
            set_enabled(button, enabled, "Wait until the source being added has been read")
        if enabled:
            self._selection_changed()

    # -- removing, auto-accept, addresses --------------------------------------------------
    def ask_remove(self) -> QMessageBox | None:
        source = self.current()
        if source is None or self.document.read_only:
            return None
        box = RemoveQuestion(QMessageBox.Icon.Question, "Remove the source?",
                             f"Stop reading {source.label}? What it proposed and you have not "
                             "reviewed yet goes; touchpoints you accepted stay."
                             + (" Its password is deleted from the keyring."
                                if source.kind in ("caldav", "imap") else ""), parent=self)
        box.setObjectName("removeSourceQuestion")
        remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.remove_button, box.keep_button = remove, keep

        def finished(_result) -> None:
            if box.clickedButton() is remove:
                self.remove(source.id)

        box.finished.connect(finished)
        self.question = box
        box.open()
        return box

    def remove(self, source_id: int) -> None:
        source = svc.get_source(source_id)
        try:
            if source.kind in ("caldav", "imap"):  # its keyring password goes too
                from planner.services import capture_sync

                dropped = capture_sync.remove(self.document.backend, source_id,
                                              SourceKind(source.kind))
            else:
                dropped = svc.remove_source(self.document.backend, source_id)
        except PlannerError as exc:
            self.status.setText(str(exc))
            return
        self._changed(f"Removed {source.label}; {dropped} proposal"
                      f"{'s' if dropped != 1 else ''} waiting for review went.")

    def _auto_accept_toggled(self, on: bool) -> None:
        source = self.current()
        if self._loading or source is None:
            return
        try:
            svc.set_source_options(self.document.backend, source.id, auto_accept=on)
        except PlannerError as exc:
            self.status.setText(str(exc))
            return
        self._changed(f"{source.label}: " + ("accepted automatically." if on
                                             else "reviewed first."), source.id)

    def store_addresses(self) -> None:
        from planner.domain.fields import split_items

        try:
            stored = svc.set_own_addresses(self.document.backend,
                                           split_items(self.addresses.text()))
        except PlannerError as exc:
            self.status.setText(str(exc))
            return
        self.addresses.setText(", ".join(stored))
        self._changed("Your addresses are saved." if stored else "No addresses of yours "
                      "are set.")

    def closeEvent(self, event) -> None:
        if self.job is not None:  # never leave a worker running without its window
            self.job.wait()
        self.form.password.clear()
        super().closeEvent(event)


def sources_action(window, open_sources) -> QAction:
    action = QAction("Capture Sources…", window)
    action.setObjectName("captureSourcesAction")
    action.setShortcut(QKeySequence("Ctrl+Shift+K"))
    action.triggered.connect(open_sources)
    return action
