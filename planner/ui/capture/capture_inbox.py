"""The review inbox of captured touchpoints (issue 24): what calendars and mail proposed,
waiting for a yes or a no. Enter accepts, Delete rejects, "Accept all for <person>"
takes a person's whole pile; kind, time, length and note can be changed before accepting.
Every accept or reject is one undo step of the window (document.editing).

``install(window)`` adds the menu action and the status-bar badge; the inbox itself is
built the first time it is shown (nothing of it at start-up but one count, after the
window is up).
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QDateTime,
    QEvent,
    QItemSelectionModel,
    QLocale,
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.domain.errors import PlannerError
from planner.domain.kinds import Kind, parse_kind
from planner.services import capture as svc
from planner.ui.capture.badge import CaptureBadge
from planner.ui.capture.problems import ProblemList
from planner.ui.common.dates import date_time_text
from planner.ui.common.enter_clicks import enter_clicks
from planner.ui.common.icons import kind_icon
from planner.ui.common.steady_columns import SteadyColumns

if TYPE_CHECKING:
    from planner.ui.capture.capture_sources_dialog import CaptureSourcesDialog
    from planner.ui.common.background import BackgroundJob

COLUMNS = ("When", "Person", "Kind", "Length", "Note", "From")
EMPTY = ("<p style='font-size: large'><b>Nothing to review</b></p>"
         "<p>Meetings from your calendar files, CalDAV calendars and mail wait here until "
         "you accept or reject them.<br>Add a calendar or a mailbox with <b>Sources…</b> "
         "below.</p>")
#: the same with sources added (not "add a calendar"): nothing of theirs waits. Not
#: "everything … found is reviewed": meetings with nobody you know were never shown here
EMPTY_READ = ("<p style='font-size: large'><b>Nothing to review</b></p>"
              "<p>Nothing from {sources} is waiting: a meeting or a mail comes here only "
              "when someone you know took part, and all of those have been reviewed.<br>New "
              "ones wait here after {its} next read; <b>Read sources again</b> reads {it} "
              "now.</p>")


def empty_text(sources: list) -> str:
    """What the empty inbox says: how to add a source, or that those added found nothing."""
    if not sources:
        return EMPTY
    if len(sources) == 1:
        return EMPTY_READ.format(sources=f"<b>{html.escape(sources[0].label)}</b>",
                                 its="its", it="it")
    return EMPTY_READ.format(sources=f"your {len(sources)} sources", its="their", it="them")


class ProposalModel(QAbstractTableModel):
    """The pending proposals, newest first; ``data()`` reads the cached list only."""

    ProposalRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[svc.Proposal] = []
        self.edits: dict[int, dict] = {}  # what the user changed before accepting

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = svc.list_proposals()
        alive = {p.id for p in self.rows}
        self.edits = {k: v for k, v in self.edits.items() if k in alive}
        self.endResetModel()

    def rowCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def shown(self, p: svc.Proposal) -> dict:
        """The proposal as it will be accepted: captured values with the user's edits."""
        return {"kind": p.kind, "at": p.at, "minutes": p.minutes, "note": p.note,
                **self.edits.get(p.id, {})}

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        p = self.rows[index.row()]
        values, column = self.shown(p), index.column()
        if role == self.ProposalRole:
            return p
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(p, values, column)
        if role == Qt.ItemDataRole.DecorationRole and column == 2:
            return kind_icon(values["kind"])
        if role == Qt.ItemDataRole.FontRole and column == 1 and p.is_candidate:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if p.is_candidate:
                return f"{p.candidate_email} is not in your network yet: accepting adds them"
            return p.note or None
        return None

    def _text(self, p: svc.Proposal, values: dict, column: int) -> str:
        if column == 0:
            return date_time_text(values["at"])
        if column == 1:
            name = p.contact_name or p.candidate_email
            return f"{name} (new)" if p.is_candidate else name
        if column == 2:
            return _label(values["kind"])
        if column == 3:
            return f"{values['minutes']} min" if values["minutes"] else "—"
        if column == 4:
            return values["note"]
        return p.source_label or "file"


def _label(kind: str) -> str:
    try:
        return parse_kind(kind).label
    except Exception:
        return kind


class _Keys(QObject):
    """Enter accepts and Delete (or Backspace) rejects what is selected in the list."""

    def __init__(self, inbox: CaptureInbox):
        super().__init__(inbox)
        self.inbox = inbox

    def eventFilter(self, obj, event) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.inbox.accept_selected()
            return True
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.inbox.reject_selected()
            return True
        return False


class CaptureInbox(QDialog):
    """The review window (modeless). Open with ``show()``."""

    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.setObjectName("captureInbox")
        self.setWindowTitle("Captured touchpoints")
        self.resize(860, 520)
        self.model = ProposalModel(self)
        self.heading = QLabel(self)
        self.heading.setObjectName("captureHeading")
        self.heading.setWordWrap(True)
        self.view = QTableView(self)
        self.view.setTabKeyNavigation(False)  # Tab leaves the list; the arrows move in it
        self.view.setObjectName("captureList")
        self.view.setAccessibleName("Captured touchpoints")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.horizontalHeader().setHighlightSections(False)
        # fitted once, not on every accept or reject (the table jumped); Note takes the rest
        self.columns = SteadyColumns(self.view, (0, 1, 2, 3, 5), stretch=4)
        self.view.installEventFilter(_Keys(self))
        self.empty = QLabel(EMPTY, self)
        self.empty.setWordWrap(True)
        self.empty.setTextFormat(Qt.TextFormat.RichText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setContentsMargins(48, 0, 48, 0)
        self.empty.setObjectName("captureEmpty")

        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind")
        for k in Kind:
            self.kind.addItem(kind_icon(k.value), k.label, k.value)
        self.when = QDateTimeEdit(self)
        self.when.setAccessibleName("When")
        self.when.setCalendarPopup(True)
        self.minutes = QSpinBox(self)
        self.minutes.setAccessibleName("Minutes")
        self.minutes.setRange(0, 24 * 60)
        self.minutes.setSuffix(" min")
        self.minutes.setSpecialValueText("no length")
        self.note = QLineEdit(self)
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("What it was about")
        self.note.returnPressed.connect(self.accept_selected)
        short = QLocale.FormatType.ShortFormat
        self.when.setDisplayFormat(f"ddd d MMM yyyy, {QLocale().timeFormat(short)}")
        self.editor = QWidget(self)
        grid = QGridLayout(self.editor)
        grid.setContentsMargins(0, 4, 0, 0)
        for column, (text, field) in enumerate((("&Kind", self.kind), ("&When", self.when),
                                                ("&Length", self.minutes))):
            label = QLabel(text, self.editor)
            label.setBuddy(field)
            grid.addWidget(label, 0, column * 2)
            grid.addWidget(field, 0, column * 2 + 1)
        note_label = QLabel("N&ote", self.editor)
        note_label.setBuddy(self.note)
        grid.addWidget(note_label, 1, 0)
        grid.addWidget(self.note, 1, 1, 1, 6)
        grid.setColumnStretch(6, 1)
        self.hint = QLabel(self.editor)  # what accepting a new person does
        self.hint.setObjectName("captureHint")
        self.hint.setWordWrap(True)
        grid.addWidget(self.hint, 2, 1, 1, 6)

        self.accept_button = QPushButton("&Accept", self)
        self.accept_button.setToolTip("Accept what is selected (Enter)")
        self.reject_button = QPushButton("&Reject", self)
        self.reject_button.setToolTip("Reject what is selected (Delete)")
        self.accept_person = QPushButton("Accept all for …", self)
        self.close_button = QPushButton("Close", self)
        self.sync_button = QPushButton("Read sources a&gain", self)
        self.sync_button.setToolTip("Read every calendar and mailbox you added again")
        self.sync_status = QLabel(self)
        self.sync_status.setObjectName("captureSyncStatus")
        self.sources_button = QPushButton("&Sources…", self)
        self.sources_button.setAccessibleName("Capture sources")
        self.sources_button.setToolTip("Add or remove the calendars and mailboxes read")
        self.sources_button.clicked.connect(self.open_sources)
        self.sources: CaptureSourcesDialog | None = None
        # no default button (Enter in the list accepts), but Enter clicks a focused one
        enter_clicks(self.accept_button, self.reject_button, self.accept_person,
                     self.close_button, self.sync_button, self.sources_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        buttons.addWidget(self.accept_person)
        buttons.addStretch(1)
        buttons.addWidget(self.sync_status)
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.sources_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.editor)
        layout.addLayout(buttons)
        self.problems = ProblemList(self, "captureSyncProblems")  # what a sync could not read
        layout.addWidget(self.problems)

        self.accept_button.clicked.connect(self.accept_selected)
        self.reject_button.clicked.connect(self.reject_selected)
        self.accept_person.clicked.connect(self.accept_all_for_person)
        self.close_button.clicked.connect(self.close)
        self.sync_button.clicked.connect(self.sync_sources)
        self.job: BackgroundJob | None = None
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        for signal in (self.kind.currentIndexChanged, self.when.dateTimeChanged,
                       self.minutes.valueChanged, self.note.textEdited):
            signal.connect(self._edited)
        document.editing.capture_signals.changed.connect(self.refresh)
        document.reset.connect(self.refresh)
        document.external_change.connect(self.refresh)
        self._loading = False
        self.refresh()

    # -- reading ---------------------------------------------------------------------------
    def refresh(self, *_args) -> None:
        row = self.view.currentIndex().row()
        self.model.reload()
        count = self.model.rowCount()
        self.heading.setText(f"<b>{count} touchpoint{'s' if count != 1 else ''} to review</b>"
                             " — Enter accepts, Delete rejects; change the kind, time, "
                             "length or note first if they are not right.")
        for widget in (self.heading, self.view, self.editor, self.accept_button,
                       self.reject_button, self.accept_person):
            widget.setVisible(bool(count))
        sources = svc.list_sources()
        self.empty.setText(empty_text(sources))
        self.empty.setVisible(not count)
        self.sync_button.setVisible(bool(sources))
        if count:
            self.columns.fit()
            self.select_row(min(max(row, 0), count - 1))
        else:
            self._selection_changed()

    def select_row(self, row: int) -> None:
        """Make ``row`` the current row and the only one selected. Not the view's
        setCurrentIndex/selectRow: they read the keys held down, and with Shift held (the
        Ctrl+Shift+R that opened the inbox) they made the row current and selected nothing."""
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.view.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)

    def selected(self) -> list[svc.Proposal]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        return [self.model.rows[r] for r in rows if r < len(self.model.rows)]

    def current(self) -> svc.Proposal | None:
        found = self.selected()
        return found[0] if found else None

    def _selection_changed(self, *_args) -> None:
        p = self.current()
        self._loading = True
        try:
            if p is not None:
                values = self.model.shown(p)
                self.kind.setCurrentIndex(max(0, self.kind.findData(values["kind"])))
                local = values["at"].astimezone()
                self.when.setDateTime(QDateTime(local.year, local.month, local.day,
                                                local.hour, local.minute, 0))
                self.minutes.setValue(values["minutes"] or 0)
                self.note.setText(values["note"])
            who = (p.contact_name or p.candidate_email) if p else ""
            self.hint.setVisible(bool(p and p.is_candidate))
            if p is not None and p.is_candidate:
                self.hint.setText(f"{p.candidate_email} is not in your network yet: accepting "
                                  f"adds {who} (not on a ring) with this touchpoint.")
            self.accept_person.setText(f"Accept all for {who}" if who else "Accept all for …")
            self.accept_person.setEnabled(p is not None)
        finally:
            self._loading = False

    # -- editing and reviewing ---------------------------------------------------------------
    def _edited(self, *_args) -> None:
        if self._loading:
            return
        for p in self.selected()[:1]:  # the fields show (and change) the first selected
            shown = cast(datetime, self.when.dateTime().toPython())  # a QDateTime's is one
            moment = shown.astimezone().astimezone(UTC)
            self.model.edits[p.id] = {
                "kind": self.kind.currentData(), "at": moment,
                "minutes": self.minutes.value() or None, "note": self.note.text()}
            row = self.model.rows.index(p)
            self.model.dataChanged.emit(self.model.index(row, 0),
                                        self.model.index(row, len(COLUMNS) - 1))

    def accept_selected(self) -> bool:
        chosen = self.selected()
        edits = {p.id: self.model.edits[p.id] for p in chosen if p.id in self.model.edits}
        return self.document.editing.accept_captured(chosen, edits)

    def reject_selected(self) -> bool:
        return self.document.editing.reject_captured(self.selected())

    def accept_all_for_person(self) -> bool:
        p = self.current()
        if p is None:
            return False
        same = [q for q in self.model.rows if (q.contact_id == p.contact_id if p.contact_id
                                               else q.candidate_email == p.candidate_email
                                               and q.is_candidate)]
        edits = {q.id: self.model.edits[q.id] for q in same if q.id in self.model.edits}
        return self.document.editing.accept_captured(same, edits)


    # -- reading the sources again (off the GUI thread) --------------------------------------
    def sync_sources(self) -> None:
        """Read every registered source again in a worker (its own connection); each
        source is one transaction, a source that fails is named and the others read."""
        from planner.ui.common.background import BackgroundJob

        if self.job is not None or self.document.read_only:
            return
        sources = svc.list_sources()
        store = self.document.backend

        def work(progress, _cancelled):
            said, problems = [], []
            for source in sources:
                try:
                    result = svc.sync_source(store, source.id, progress=progress)
                    warned = len(result.problems)  # (a note may be of a value left out
                    parts = [f"{n} {what}" for n, what in (  # of an event that was read)
                        (result.proposed, "new"), (result.updated, "moved"),
                        (result.withdrawn, "withdrawn"), (result.accepted, "accepted"),
                        (warned, "warning" if warned == 1 else "warnings")) if n]
                    said.append(f"{source.label}: {', '.join(parts) or 'nothing new'}")
                    problems += [f"{source.label}: {line}" for line in result.problems]
                except PlannerError as exc:
                    said.append(f"{source.label}: {exc}")
            return said, problems

        self.job = BackgroundJob(work, self, name="capture sync")
        self._was_watching = self.document.session.stop_watching()
        self.job.connect_to(None, self._synced)
        self.sync_button.setEnabled(False)
        self.sync_status.setText("Reading…")
        self.problems.show_problems([])
        self.job.start()

    def open_sources(self):
        """The sources dialog (modeless, one per inbox)."""
        from planner.ui.capture.capture_sources_dialog import CaptureSourcesDialog

        if self.sources is None:
            # the window's child, not the inbox's: its keys are not the inbox's keys
            self.sources = CaptureSourcesDialog(self.document, self.parentWidget() or self)
            self.sources.finished.connect(lambda _r: self.refresh())
        else:
            self.sources.refresh()
        self.sources.show()
        self.sources.raise_()
        self.sources.activateWindow()
        return self.sources

    def _synced(self, status: str, payload) -> None:
        job, self.job = self.job, None
        if job is not None:
            job.wait()
        self.document.refresh_all()  # auto-accepted touchpoints, new people…
        if self._was_watching:
            self.document.session.start_watching()
        self.sync_button.setEnabled(True)
        lines, problems = payload if status == "ok" else ([str(payload)], [])
        text = lines[0] if len(lines) == 1 else f"{len(lines)} sources read"
        self.sync_status.setText(text if len(text) <= 60 else text[:59] + "…")  # see tooltip
        self.sync_status.setToolTip("\n".join(lines))
        self.problems.show_problems(problems)
        self.document.editing.capture_signals.changed.emit()


class CaptureReview(QObject):
    """The window's way in: the menu action, the badge and the inbox built on first use."""

    def __init__(self, window):
        super().__init__(window)
        self.window, self.document = window, window.document
        self.inbox: CaptureInbox | None = None
        self.action = QAction("Review Captured Touchpoints…", window)
        self.action.setObjectName("reviewCaptured")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.action.triggered.connect(self.show_inbox)
        from planner.ui.capture.capture_sources_dialog import sources_action

        self.sources_action = sources_action(window, self.show_sources)
        # the window's own (it has one from the start), else one made now
        self.badge = getattr(window, "capture_badge", None) or CaptureBadge(self.document, window)
        self.badge.clicked.connect(self.show_inbox)
        signals = self.document.editing.capture_signals
        for signal in (signals.changed, self.document.reset, self.document.external_change):
            signal.connect(self.badge.refresh)
        # after the window is up, not before; never after the badge went with its window
        QTimer.singleShot(0, self.badge, self.badge.refresh)

    def show_inbox(self) -> CaptureInbox:
        if self.inbox is None:
            self.inbox = CaptureInbox(self.document, self.window)
        else:
            self.inbox.refresh()
        self.inbox.show()
        self.inbox.raise_()
        self.inbox.activateWindow()
        self.inbox.view.setFocus()
        return self.inbox


    def show_sources(self):
        """Log → Capture sources…: the inbox's sources dialog (the inbox stays hidden)."""
        if self.inbox is None:
            self.inbox = CaptureInbox(self.document, self.window)
        return self.inbox.open_sources()


def install(window) -> CaptureReview:
    """Add the review to ``window``: its action in the Log menu, its badge in the status
    bar. Returns the controller (``window.capture``)."""
    review = CaptureReview(window)
    menu = window.menus.get("log")
    if menu is not None:
        menu.addSeparator()
        menu.addAction(review.action)
        menu.addAction(review.sources_action)
    if review.badge is not getattr(window, "capture_badge", None):
        window.statusBar().addPermanentWidget(review.badge)
    return review
