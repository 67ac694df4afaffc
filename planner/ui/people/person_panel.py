"""The right panel: the selected person's details and what you can do with them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.domain.contact import Contact
from planner.domain.errors import PlannerError
from planner.domain.formatting import plural
from planner.domain.kinds import KIND_KEYS, NOTE_KEY, kind_label, parse_kind
from planner.ui.common.collapsible import Section
from planner.ui.common.dates import date_time_text, day_text
from planner.ui.common.icons import kind_icon
from planner.ui.common.narrow import FlowRow, ValueLabel
from planner.ui.common.palette import NEUTRAL_HALO, RING_COLORS, STATUS_COLORS
from planner.ui.common.window_layout import PanelScroll, SidePanel, take_tab_place

if TYPE_CHECKING:
    from planner.ui.advocacy.advocacy_panel import AdvocacyPanel
    from planner.ui.common.avatars import PhotoButton
    from planner.ui.timeline.timeline_model import TimelineModel
    from planner.ui.timeline.timeline_view import TimelineView


def _fmt_time(moment) -> str:
    return date_time_text(moment)


def _ago(moment, today=None) -> str:
    """"today", "yesterday", "3 days ago", else the date."""
    from planner.domain.formatting import days_ago

    day = moment.astimezone().date()
    today = today or datetime.now().astimezone().date()
    return days_ago(day, today) or day_text(day, today)


def _kind(kind: str | None) -> str:
    if not kind:
        return ""
    try:
        label = parse_kind(kind).label
    except PlannerError:
        return kind or ""
    return label if label.isupper() else label.lower()


def team_last_touch_text(c: Contact, team: tuple | None, user: str) -> str:
    """Two lines on a team database: your last touch, and the team's newest one
    ("Team: same" when that is yours; "—" when there is none)."""
    mine = f"{_ago(c.last_touch)} · {_kind(c.last_touch_kind)}" if c.last_touch else "—"
    if team is None:
        theirs = "—"
    else:
        at, kind, author = team
        theirs = "same" if author == user else f"{_ago(at)} · {_kind(kind)} by {author}"
    return f"You: {mine}\nTeam: {theirs}"


ADVOCACY_OPEN = "person/advocacy_open"
#: the timeline keeps a few entries in sight on a short screen; the details above scroll
TIMELINE_MINIMUM_HEIGHT = 140
QUICK_KINDS = ("coffee", "im", "call", "video", "email", "note")


#: the parts made with the first person shown (see PersonPanel.__getattr__)
_DETAIL_PARTS = frozenset({
    "title", "photo", "subtitle", "reminder", "form", "more_form", "fields", "_rows",
    "more_section", "edit_button", "quick", "quick_buttons", "snooze_button", "snooze_menu",
    "advocacy", "advocacy_section", "note_box", "timeline_model", "timeline"})


class PersonPanel(SidePanel):
    edit_requested = Signal(int)
    log_requested = Signal(int, str)  # contact id, kind ("note" for a note)
    #: the inline "Add a note" box: (contact id, text), saved by the window
    note_written = Signal(int, str)
    #: the person's timeline asks to edit / delete an entry (its id)
    entry_edit_requested = Signal(str)
    entry_delete_requested = Signal(str)

    # the details (made with the first person shown)
    title: QLabel
    photo: PhotoButton
    subtitle: QLabel
    reminder: QLabel
    form: QFormLayout
    more_form: QFormLayout
    fields: dict[str, QLabel]
    _rows: dict[str, tuple[QFormLayout, int]]
    more_section: Section
    edit_button: QPushButton
    quick: FlowRow
    quick_buttons: dict[str, QToolButton]
    snooze_button: QToolButton
    snooze_menu: QMenu
    advocacy: AdvocacyPanel
    advocacy_section: Section
    note_box: QLineEdit
    timeline_model: TimelineModel
    timeline: TimelineView

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setObjectName("personPanel")
        self.document = document
        self.contact_id: int | None = None
        # nobody is selected at start: the first frame shows this text only, and the
        # details (and their code) are made with the first person shown (issue 23)
        self._details = False
        self._empty_shown: bool | None = None
        # the details scroll on their own above the note box and the timeline, which has
        # the rest of the height (the dock scrolled the whole panel: two scroll bars side
        # by side, the timeline's and the panel's)
        self.details = QWidget(self)
        self.details.setObjectName("personDetails")
        self.details.installEventFilter(self)  # (its width is the wrapped labels')
        self.details_scroll = PanelScroll(self.details, "personDetailsScroll", self)
        self.placeholder = QLabel(self.details)
        self.placeholder.setWordWrap(True)
        self.placeholder.setObjectName("placeholder")
        self._show_row: dict[str, bool] = {}  # which rows are shown now
        self._snoozed: tuple[int | None, str] = (None, "")  # (whose, text) read last
        self._snooze_known = False  # a refresh for a change that cannot touch snoozes
        self._picture: tuple | None = None  # (id, initials, colour) the photo shows
        self._layout = layout = QVBoxLayout(self.details)
        layout.setContentsMargins(10, 10, 10, 4)
        layout.addWidget(self.placeholder)
        layout.addStretch(1)  # (takes the room only while nobody is selected)
        self._tail = QVBoxLayout()  # the note box and the timeline, below the details
        self._tail.setContentsMargins(10, 0, 10, 10)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.details_scroll)
        outer.addLayout(self._tail, 100)  # (the timeline's: most of the height)
        # a touch or an edit: the details (the snooze read before stays); a snooze made
        # or ended comes as timeline_changed
        document.contacts_changed.connect(self._details_changed)
        document.timeline_changed.connect(self._maybe_refresh)
        document.placements_changed.connect(self._placements_changed)
        document.reset.connect(self.refresh)
        self.show_contact(None)

    def _placements_changed(self) -> None:
        if self.contact_id is None:  # (the placeholder's text counts the placed)
            self.refresh()

    if not TYPE_CHECKING:
        def __getattr__(self, name: str):
            """A detail asked for before anyone was shown: made now."""
            if name in _DETAIL_PARTS and self.__dict__.get("_details") is False:
                self._build_details()
                return getattr(self, name)
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _build_details(self) -> None:
        """The picture, the details, the log buttons, the ledger, the note box and the
        timeline, laid out around the placeholder (as hidden as nobody selected wants)."""
        from planner.ui.advocacy.advocacy_panel import AdvocacyPanel
        from planner.ui.common.avatars import PhotoButton
        from planner.ui.focus.snooze_menu import fill_snooze_menu
        from planner.ui.timeline.timeline_model import TimelineModel
        from planner.ui.timeline.timeline_view import TimelineView

        self._details = True
        document, layout = self.document, self._layout
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setObjectName("personName")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.photo = PhotoButton(document, self)  # the picture, or initials; click: choose
        self.photo.failed.connect(self._photo_failed)
        # (markup, escaped: shown as such even when it holds no tag — "Founder &amp; CEO"
        # was shown as typed for a person off the rings)
        self.subtitle = QLabel(self)
        self.subtitle.setTextFormat(Qt.TextFormat.RichText)
        self.subtitle.setObjectName("personRing")
        self.subtitle.setWordWrap(True)
        # a birthday within 7 days and a running snooze, in sight above the details
        self.reminder = QLabel(self)
        self.reminder.setTextFormat(Qt.TextFormat.RichText)
        self.reminder.setObjectName("personReminder")
        self.reminder.setWordWrap(True)

        # the details a day needs stay in sight; the rest folds away (the timeline gets
        # the height)
        # (a value too long beside its name goes under it on a narrow panel)
        self.form = QFormLayout()
        more = QWidget(self)
        self.more_form = QFormLayout(more)
        self.more_form.setContentsMargins(0, 0, 0, 0)
        for form in (self.form, self.more_form):
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.fields = {}
        self._rows = {}
        for key, label in (("last", "Last touch"), ("email", "Email"), ("phones", "Phones"),
                           ("cadence", "Cadence"), ("handles", "Handles"),
                           ("channels", "Prefers"), ("tags", "Tags"), ("org", "Works at"),
                           ("timezone", "Time zone"), ("birthday", "Birthday"),
                           ("notes", "Notes")):
            value = ValueLabel(self)
            value.setTextFormat(Qt.TextFormat.PlainText)  # what was typed, never markup
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            form = self.form if key in ("last", "email", "phones", "cadence") else self.more_form
            self._rows[key] = (form, form.rowCount())
            form.addRow(label, value)
        self.more_section = Section("More details", more, self)

        self.edit_button = QPushButton("Edit…", self)
        self.edit_button.clicked.connect(self._edit)

        header = QHBoxLayout()
        header.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.title, 1)
        layout.insertLayout(0, header)
        layout.insertWidget(1, self.subtitle)
        layout.insertWidget(2, self.reminder)
        below = layout.count() - 1  # the placeholder is above; the closing stretch below
        more_row = QHBoxLayout()  # Edit… beside it: the name and the log buttons need
        more_row.addWidget(self.more_section, 1)  # their row's width on a narrow panel
        more_row.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        self.quick = FlowRow(self)  # (wraps: in one row they widened the window)
        self.quick_buttons = {}
        for kind in QUICK_KINDS:
            button = QToolButton(self)
            button.setIcon(kind_icon(kind))
            button.setIconSize(QSize(22, 22))
            # "Log an IM (I)", "Write a note (N)": not "Log im (I)"
            said = "Write a note" if kind == "note" else f"Log {parse_kind(kind).phrase}"
            key = NOTE_KEY if kind == "note" else KIND_KEYS.get(parse_kind(kind), "")
            button.setToolTip(f"{said} ({key})" if key else said)
            button.setAccessibleName(said)
            button.setAutoRaise(True)
            button.clicked.connect(lambda _=False, k=kind: self._log(k))
            self.quick_buttons[kind] = button
            self.quick.add(button)
        self.snooze_button = QToolButton(self)
        self.snooze_button.setObjectName("snoozeButton")
        self.snooze_button.setText("Snooze")
        self.snooze_button.setToolTip("Snooze: out of This week for a day, 3 days or a week")
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.snooze_menu = QMenu("Snooze", self.snooze_button)
        self.snooze_menu.setObjectName("personSnoozeMenu")
        self.snooze_menu.aboutToShow.connect(
            lambda: self.contact_id is not None
            and fill_snooze_menu(self.snooze_menu, self.document, self.contact_id))
        self.snooze_button.setMenu(self.snooze_menu)
        self.quick.add(self.snooze_button, trailing=True)
        holder = QWidget(self)  # the panel shows and hides itself; the section folds this
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        self.advocacy = AdvocacyPanel(document, holder)
        column.addWidget(self.advocacy)
        # folded unless the user opened it last time (the timeline gets the height)
        self.advocacy_section = Section("Wins, asks and gives", holder, self,
                                        open_=bool(QSettings().value(ADVOCACY_OPEN, False, bool)))
        self.advocacy_section.toggle.toggled.connect(
            lambda on: QSettings().setValue(ADVOCACY_OPEN, on))
        self.note_box = QLineEdit(self)
        self.note_box.setObjectName("noteBox")
        self.note_box.setPlaceholderText("Add a note…  (Enter saves)")
        self.note_box.setAccessibleName("Add a note")
        self.note_box.setClearButtonEnabled(True)
        self.note_box.returnPressed.connect(self._write_note)
        self.timeline_model = TimelineModel(document, person_scope=True, parent=self)
        self.timeline = TimelineView(self.timeline_model, with_contact=False, parent=self)
        self.timeline.setObjectName("personTimeline")
        self.timeline.setMinimumHeight(TIMELINE_MINIMUM_HEIGHT)
        self.timeline.placeholder = ("Nothing logged with them yet: log a touch with the "
                                     "buttons above, or add a note.")
        self.timeline.edit_requested.connect(self.entry_edit_requested)
        self.timeline.delete_requested.connect(self.entry_delete_requested)
        layout.insertLayout(below, self.form)
        layout.insertLayout(below + 1, more_row)
        layout.insertWidget(below + 2, self.quick)
        layout.insertWidget(below + 3, self.advocacy_section)
        self._tail.addWidget(self.note_box)
        self._tail.addWidget(self.timeline, 1)
        take_tab_place(self, self)  # (Tab reaches them after the list, as it always did)
        self._empty_shown = None  # (every part's visibility is set afresh)
        self.refresh()
        self.advocacy.show_contact(self.contact_id)
        self.timeline_model.set_contact(self.contact_id)

    def _photo_failed(self, text: str) -> None:
        self.placeholder.setText(text)
        self.placeholder.setVisible(True)

    def _edit(self) -> None:
        if self.contact_id is not None:
            self.edit_requested.emit(self.contact_id)

    def _write_note(self) -> None:
        text = self.note_box.text().strip()
        if self.contact_id is not None and text:
            self.note_written.emit(self.contact_id, text)

    def note_saved(self) -> None:
        """The window saved the box's note: empty it for the next one. (``setText``, not
        ``clear``: the box's own undo brought the saved text back, and Enter saved it
        twice; emptied this way the box has no history.)"""
        self.note_box.setText("")

    def _log(self, kind: str) -> None:
        if self.contact_id is not None:
            self.log_requested.emit(self.contact_id, kind)

    def _maybe_refresh(self, ids: list) -> None:
        written = self.document.changed_tables  # known for a change made elsewhere: only
        if self.contact_id in ids and (written is None or "snooze" in written.get(
                self.contact_id, {"snooze"})):  # a snooze is not among the details
            self.refresh()

    def _details_changed(self, ids: list) -> None:
        if self.contact_id in ids:
            self._snooze_known = True
            try:
                self.refresh()
            finally:
                self._snooze_known = False

    def show_contact(self, contact_id: int | None) -> None:
        changed = contact_id != self.contact_id
        self.contact_id = contact_id
        if not self._details:
            if contact_id is None or self.document.contact(contact_id) is None:
                self.refresh()  # nobody: the placeholder is all there is
                return
            self._build_details()  # (shows them)
            return
        self.refresh()
        self.advocacy.show_contact(self.contact_id)
        if changed or self.timeline_model.contact_id != contact_id:
            self.timeline_model.set_contact(self.contact_id)

    def refresh(self) -> None:
        contact = self.document.contact(self.contact_id) if self.contact_id is not None else None
        if contact is None:
            self.contact_id = None
        elif not self._details:
            self._build_details()  # (refreshes)
            return
        empty = contact is None
        if empty:
            self.placeholder.setText(self._nobody_text())
        if empty != self._empty_shown:  # (showing and hiding a dozen widgets and form
            self._empty_shown = empty  # rows is most of a refresh)
            self.placeholder.setVisible(empty)
            if not self._details:
                return
            for widget in (self.advocacy_section, self.more_section, self.note_box, self.quick,
                           self.timeline, self.edit_button, self.snooze_button, self.reminder):
                widget.setVisible(not empty)
            self.title.setVisible(not empty)
            self.photo.setVisible(not empty)
            self.subtitle.setVisible(not empty)
            self.edit_button.setEnabled(not empty)
            for button in self.quick_buttons.values():
                button.setVisible(not empty)
            if empty:
                self._show_row = {}
                for form, row in self._rows.values():
                    form.setRowVisible(row, False)
        if contact is not None:
            self._fill(contact)
            QTimer.singleShot(0, self, self._fit_wrapped_labels)  # once the widths settle

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_wrapped_labels()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.details and event.type() == QEvent.Type.Resize:
            self._fit_wrapped_labels()  # (narrower while its scroll bar shows)
        return super().eventFilter(watched, event)

    def _fit_wrapped_labels(self) -> None:
        """A wrapped value (a long date, an address) gets the lines it needs: the dock
        does not pass height-for-width down, so a narrow panel would cut the second line."""
        if not self._details:
            return
        for label in (self.subtitle, self.reminder, *self.fields.values()):
            if label.isVisible() and label.width() > 0:
                label.setMinimumHeight(max(0, label.heightForWidth(label.width())))

    def _nobody_text(self) -> str:
        """Nobody selected: how to select someone, and the network at a glance."""
        fill = self.document.fill()
        rings = " · ".join(f"{ring.label} {count}/{cap}" for ring, (count, cap) in fill.items())
        total = self.document.count()
        if not total:  # an empty database: nobody to click yet
            return ("<p>Nobody is here yet. Add your first person (Ctrl+N) or import your "
                    "contacts (Ctrl+I); their details and history will show here.</p>")
        placed = sum(count for count, _cap in fill.values())
        return ("<p>Nobody is selected. Click someone on the rings or in the list, or press "
                "Tab on the rings and use the arrow keys.</p>"
                f"<p><b>Your network</b>: {plural(total, 'person', 'people')}, {placed} on "
                f"the rings ({rings}), {total - placed:,} not on a ring yet.</p>")

    def _fill(self, c: Contact) -> None:
        import html

        self.title.setText(f"<h2>{html.escape(c.name)}</h2>")
        picture = (c.id, c.initials, RING_COLORS[c.ring] if c.ring else NEUTRAL_HALO)
        if picture != self._picture:  # (drawing initials is the dearest part of a refresh)
            self._picture = picture
            self.photo.show_person(*picture)
        ring = f"{c.ring.label} ring" if c.ring else "Not on a ring"
        status = self.document.status_of(c)
        if status is not None:
            color = STATUS_COLORS[status.value]
            ring += f" · <span style='color:{color}'>●</span> {status.label}"
        where = f" · {html.escape(c.title)}" if c.title else ""
        self.subtitle.setText(f"{ring}{where}")
        self._show_reminders(c)
        cadence = c.cadence_days or (self.document.cadence(c.ring) if c.ring else None)
        values = {
            "last": self._last_touch(c),
            "email": c.email, "phones": ", ".join(c.phones),
            "handles": ", ".join(f"{k}: {v}" for k, v in c.handles.items()),
            "channels": ", ".join(_kind(ch) for ch in c.channels), "tags": ", ".join(c.tags),
            "org": c.organization, "timezone": c.timezone,
            "birthday": self._birthday(c),
            "cadence": (f"every {plural(cadence, 'day')}"
                        + ("" if c.cadence_days else " (ring default)"))
            if cadence else "",
            "notes": c.notes,
        }
        for key, label in self.fields.items():
            text = values[key]
            if label.text() != text:
                label.setText(text)
            shown = bool(text) or key == "last"
            if self._show_row.get(key) != shown:
                self._show_row[key] = shown
                form, row = self._rows[key]
                form.setRowVisible(row, shown)

    def _birthday(self, c: Contact) -> str:
        """``1986-12-06 (Birthday on Sunday — 40)`` within 7 days, else the date."""
        if c.birthday is None:
            return ""
        hint = self._birthday_hint(c)
        return f"{c.birthday.iso()} ({hint})" if hint else c.birthday.iso()

    @staticmethod
    def _birthday_hint(c: Contact) -> str:
        from planner.domain.reminders import birthday_hint, upcoming_birthday

        coming = upcoming_birthday(c.birthday, datetime.now().astimezone().date())
        return birthday_hint(coming) if coming else ""

    def _show_reminders(self, c: Contact) -> None:
        from planner.ui.focus.snooze_menu import snoozed_text

        snoozed = self._snoozed
        if not (self._snooze_known and snoozed[0] == c.id):
            snoozed = self._snoozed = (c.id, snoozed_text(c.id))
        import html

        lines = [html.escape(text) for text in (self._birthday_hint(c), snoozed[1]) if text]
        self.reminder.setText("<br>".join(lines))
        self.reminder.setVisible(bool(lines))

    def _last_touch(self, c: Contact) -> str:
        """Yours; on a team database also the team's newest (one small query, run when
        the selection or this person's history changes)."""
        from planner.services import contacts as contact_svc
        from planner.services.touchpoints import current_user

        user = current_user()
        if not user:
            # "(Call)" as This week says it
            return _fmt_time(c.last_touch) + (f" ({kind_label(c.last_touch_kind)})"
                                              if c.last_touch_kind else "")
        return team_last_touch_text(c, contact_svc.team_last_touch(c.id), user)
