"""The "This week" panel: who needs you, with a week picker, export, copy and print."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.domain.errors import InvalidInput

if TYPE_CHECKING:  # (the dialogs' and the printout's classes: imported when used)
    from PySide6.QtGui import QTextDocument
    from PySide6.QtWidgets import QFileDialog

    from planner.domain.focus import IsoWeek
    from planner.ui.focus.focus_cache import FocusCache
    from planner.ui.focus.focus_model import FocusModel

FILTERS = {
    "md": "Markdown checklist (*.md)",
    "csv": "CSV spreadsheet (*.csv)",
    "html": "Printable page (*.html)",
    "ics": "Calendar tasks (*.ics)",
    "json": "JSON (*.json)",
    "pdf": "PDF (*.pdf)",
}


WEEK_START_SETTING = "focus/week_start"
#: the weekly review's key (planner.ui.focus.reminders runs the review)
REVIEW_KEY = "Ctrl+R"


def planning_week(now=None) -> IsoWeek:
    """The week "This week" shows. Focus weeks are ISO weeks (Monday–Sunday); a person
    whose week starts on Sunday (Preferences) plans on Sunday for the coming one."""
    from datetime import datetime, timedelta

    from PySide6.QtCore import QSettings

    from planner.domain.focus import current_iso_week, local_zone

    moment = (now or datetime.now()).astimezone()
    if str(QSettings().value(WEEK_START_SETTING, "monday")) == "sunday" and \
            moment.weekday() == 6:
        moment += timedelta(days=1)
    return current_iso_week(moment, tz=local_zone())


class FocusPanel(QWidget):
    """This week's page. Its widgets are made with the window (the page's place, size and
    Tab order as always); its list — the week, the ranking of the placed people and their
    code — once the window's first frame is on screen (``start``, issue 23), or as soon
    as anything asks for it (``model``, ``cache``, ``week``)."""

    log_requested = Signal(int)  # contact id
    person_selected = Signal(int)
    message = Signal(str)

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setObjectName("focusPanel")
        self.document = document
        self._week: IsoWeek | None = None
        #: the week shown is the planning week (as opposed to one stepped to): it moves on
        #: with the calendar — a window left open over Sunday night shows the new week
        self.follows_today = True
        #: the clock "this week" is read from (aware; tests set it)
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._shown: tuple | None = None  # (the cache's version, the week) on the list now
        self._model: FocusModel | None = None
        self._cache: FocusCache | None = None
        self._behind = False  # a change came while the page was hidden (see refresh)
        self.review_button: QPushButton | None = None  # see add_review_button
        self.view = QListView(self)
        self.view.setAccessibleName("This week's focus list")
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.previous = QToolButton(self)
        self.previous.setText("◀")
        self.previous.setAccessibleName("Previous week")
        self.next = QToolButton(self)
        self.next.setText("▶")
        self.next.setAccessibleName("Next week")
        self.this_week = QPushButton("This week", self)
        self.week_label = QLabel(self)
        self.week_label.setObjectName("weekLabel")
        self.export_button = QPushButton("Export…", self)
        self.copy_button = QPushButton("Copy as Markdown", self)
        self.print_button = QPushButton("Print…", self)
        self.previous.clicked.connect(lambda: self.step_week(-1))
        self.next.clicked.connect(lambda: self.step_week(+1))
        self.this_week.clicked.connect(lambda: self.set_week(self.planning_week()))
        self.export_button.clicked.connect(self.ask_export)
        self.copy_button.clicked.connect(self.copy_markdown)
        self.print_button.clicked.connect(self.ask_print)
        # the week, then (below, so a laptop's narrow page still fits) what to do with it
        self.week_label.setWordWrap(True)
        bar = QHBoxLayout()
        for widget in (self.previous, self.next, self.this_week):
            bar.addWidget(widget)
        bar.addWidget(self.week_label, 1)
        self._tools = tools = QHBoxLayout()  # (add_review_button adds to it)
        tools.addStretch(1)
        for widget in (self.export_button, self.copy_button, self.print_button):
            tools.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addLayout(tools)
        layout.addWidget(self.view, 1)
        #: said in the list's place when nobody is to be reached (see _say_when_empty)
        self.empty_label = QLabel(self.view)
        self.empty_label.setObjectName("focusEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setContentsMargins(24, 24, 24, 24)
        self.empty_label.hide()
        self.view.installEventFilter(self)

    def add_review_button(self) -> QPushButton:
        """"Start review", beside Export… on the second row (the reminders run the
        review: planner.ui.focus.reminders)."""
        if self.review_button is None:
            self.review_button = QPushButton("Start review", self)
            self.review_button.setObjectName("startReview")
            self.review_button.setToolTip(
                f"Go through the week one person at a time ({REVIEW_KEY})")
            self._tools.insertWidget(0, self.review_button)
            if self._model is not None and self._model.focus is not None:
                self._say_when_empty(self._model.focus)
        return self.review_button

    def eventFilter(self, watched, event) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self.empty_label.setGeometry(self.view.rect())
        return False

    def start(self) -> None:
        """The week, the model and the cache; then the list, kept up to date from now on."""
        if self._model is not None:
            return
        from planner.domain.focus import local_zone
        from planner.ui.focus.focus_cache import FocusCache
        from planner.ui.focus.focus_model import CONTACT_ID_ROLE, FocusModel

        if self._week is None:
            self._week = self.planning_week()
        model = self._model = FocusModel(self)
        model.ticked.connect(self.log_requested)
        self.view.setModel(model)
        self.view.activated.connect(lambda i: self.person_selected.emit(i.data(CONTACT_ID_ROLE)))
        self.view.clicked.connect(lambda i: self.person_selected.emit(i.data(CONTACT_ID_ROLE)))
        # the arrow keys too: the Person panel showed whoever was last clicked
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        #: the placed people's candidates and items: a change re-reads only whom it names
        self._cache = FocusCache(local_zone())
        self._cache.follow(self.document)  # first: told what changed before anyone reads it
        # a reorder (placements only) changes nothing here (see FocusCache.follow)
        for signal in (self.document.reset, self.document.timeline_changed,
                       self.document.contacts_changed, self.document.entries_changed):
            signal.connect(self.refresh)
        self.refresh()

    @property
    def model(self) -> FocusModel:
        self.start()
        if self._behind:  # (hidden when the last change came)
            self._refresh_now()
        assert self._model is not None
        return self._model

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._behind:
            self._refresh_now()

    @property
    def cache(self) -> FocusCache:
        """The placed people's candidates and items (planner.ui.focus.focus_cache)."""
        self.start()
        assert self._cache is not None
        return self._cache

    def planning_week(self) -> IsoWeek:
        """The week "This week" means now (by the panel's clock)."""
        return planning_week(self.clock())

    @property
    def week(self) -> IsoWeek:
        if self._week is None or self.follows_today:
            self._week = self.planning_week()
        return self._week

    @week.setter
    def week(self, week: IsoWeek) -> None:
        self._week = week

    # -- the list --------------------------------------------------------------------------
    def focus_list(self, limit: int | None = None):
        from planner.domain.focus import local_zone
        from planner.services.focus import focus_list

        return focus_list(self.week.label, limit=limit, tz=local_zone())

    def refresh(self, *args) -> None:
        """Bring the list up to date with the document: now if the page is on screen,
        else when it is shown or its list is asked for (a touch logged with the page
        hidden ranked the whole week twice, for nobody to see)."""
        if self._model is None:  # (not started: start() fills it)
            return
        if not self.isVisible():
            self._behind = True
            return
        self._refresh_now()

    def _refresh_now(self) -> None:
        self._behind = False
        model = self._model
        assert model is not None
        cache = self.cache
        cache.update()  # (the tray's count may have brought it up to date already)
        shown = (cache.version, self.week)
        if shown == self._shown and model.focus is not None:
            return
        self._shown = shown
        focus = self.cache.focus_list(self.week)
        model.set_focus(focus)
        start = focus.week_start
        end = focus.week_end
        span = f"{start.day} {start:%b} – {end.day} {end:%b}"
        self.week_label.setText(f"<b>Week {self.week.week}, {self.week.year}</b> · {span} · "
                                f"{len(focus.items)} to reach")
        self._say_when_empty(focus)

    def _say_when_empty(self, focus) -> None:
        """An empty week says why in the list's place (nobody on the rings yet, or everyone
        on track), and there is nothing to review."""
        empty = not focus.items
        if empty:
            if not self.document.placed_contacts():
                text = ("<b>Nobody is on your rings yet.</b><br>Put people on the rings "
                        "(drag them from the list, or Person → Promote One Ring) and this "
                        "page lists, each week, whom to reach out to.")
            elif self.week == self.planning_week():
                text = ("<b>Nobody needs you this week.</b><br>Everyone on your rings is on "
                        "track. ◀ ▶ show the weeks before and after.")
            elif self.week < self.planning_week():
                text = "<b>Nobody is left to reach from that week.</b>"
            else:
                text = ("<b>Nobody is due that week yet.</b><br>Everyone on your rings is on "
                        "track until then.")
            self.empty_label.setText(text)
            self.empty_label.setGeometry(self.view.rect())
        self.empty_label.setVisible(empty)
        for button in (self.export_button, self.copy_button, self.print_button):
            button.setEnabled(not empty)  # (an empty list written out is an empty file)
            button.setToolTip("Nobody to write out: nobody is due that week" if empty else "")
        if self.review_button is not None:
            self.review_button.setEnabled(not empty)
            self.review_button.setToolTip(
                "Nobody to review: nobody is due this week" if empty else
                f"Go through the week one person at a time ({REVIEW_KEY})")

    def set_week(self, week: IsoWeek) -> None:
        """Show ``week``; the planning week (This week) goes on following the calendar."""
        self.follows_today = week == self.planning_week()
        self.week = week
        self.start()
        self._refresh_now()  # (asked for: on screen or not)

    def step_week(self, delta: int) -> None:
        from planner.domain.focus import IsoWeek

        monday = self.week.monday + timedelta(weeks=delta)
        iso = monday.isocalendar()
        self.set_week(IsoWeek(iso.year, iso.week))

    # -- out of the app --------------------------------------------------------------------------
    def render_text(self, fmt: str) -> str:
        """The list in ``fmt`` (md, csv, html, ics or json). (Not ``render``: that is
        QWidget's, which paints the panel.)"""
        from planner.export import render_focus

        return render_focus(self.focus_list(), fmt)

    def copy_markdown(self) -> str:
        text = self.render_text("md")
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.clipboard().setText(text)
        self.message.emit("Copied this week's focus list as Markdown")
        return text

    def export_to(self, path: Path, fmt: str) -> Path:
        """Write the list in ``fmt`` (md, csv, html, ics, json or pdf) to ``path``."""
        path = Path(path)
        if fmt == "pdf":
            self.print_pdf(path)
        else:
            from planner.services.exporting import write_text

            write_text(path, self.render_text(fmt))  # private, fsynced, atomic
        # (in words: "Exported 2026-W50 to …" read as a code, a review found)
        self.message.emit(f"Exported the focus list of week {self.week.week}, "
                          f"{self.week.year} to {path}")
        return path

    def _current_changed(self, current, _previous) -> None:
        from planner.ui.focus.focus_model import CONTACT_ID_ROLE

        contact_id = current.data(CONTACT_ID_ROLE) if current.isValid() else None
        if isinstance(contact_id, int):
            self.person_selected.emit(contact_id)

    def ask_export(self) -> QFileDialog:
        from planner.ui.common.save_folder import save_dialog

        dialog = save_dialog(self, "Export This Week", f"focus-{self.week.label}.md",
                             list(FILTERS.values()))

        def chosen(path: str) -> None:
            from planner.ui.common.typed_format import typed_or_chosen

            picked = next(k for k, v in FILTERS.items() if v == dialog.selectedNameFilter())
            # a typed .csv, .html… decides; else the chosen type's extension is added
            typed = {f".{k}": k for k in FILTERS} | {".markdown": "md", ".htm": "html"}
            target, fmt = typed_or_chosen(Path(path), picked, typed, {k: k for k in FILTERS})
            try:
                self.export_to(target, fmt)
            except InvalidInput as exc:
                self.message.emit(str(exc))

        dialog.fileSelected.connect(chosen)
        dialog.open()
        return dialog

    def _document(self) -> QTextDocument:
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setHtml(self.render_text("html"))
        return doc

    def print_pdf(self, path: Path) -> None:
        """The list as a PDF, written as every other export: owner-only, fsynced, replaced
        atomically (QPrinter wrote the file itself, readable by everyone: 644)."""
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice
        from PySide6.QtGui import QPageLayout, QPdfWriter

        from planner.services.exporting import write_bytes

        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QPdfWriter(buffer)
        writer.setResolution(1200)  # as QPrinter's high resolution
        # across the page: seven columns in portrait wrapped every note to a word a line
        writer.setPageOrientation(QPageLayout.Orientation.Landscape)
        self._document().print_(writer)
        del writer  # (the PDF is complete once its writer is gone)
        buffer.close()
        write_bytes(path, bytes(data.data()))

    def ask_print(self):
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the focus list (or save it as PDF)")
        dialog.accepted.connect(lambda: self._document().print_(printer))
        # PySide6 exposes only QPrintDialog.open(receiver, member); the plain window-modal
        # open() is QDialog's
        from PySide6.QtWidgets import QDialog

        QDialog.open(dialog)
        self._printer = printer
        return dialog

    def select_contact(self, contact_id: int | None) -> None:
        for row in range(self.model.rowCount()):
            if self.model.items[row].contact_id == contact_id:
                self.view.setCurrentIndex(self.model.index(row))
                return
        self.view.clearSelection()


__all__ = ["FocusPanel", "Qt"]
