"""The small log dialog: kind, when, minutes, note. Enter saves; Shift+Enter is a new line."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
)

from planner.domain.errors import PlannerError
from planner.domain.kinds import KIND_KEYS, Kind
from planner.domain.when import parse_when, require_past
from planner.ui.common.dates import date_time_text
from planner.ui.common.discard_guard import GuardsTyping
from planner.ui.common.forms import subject_label
from planner.ui.common.validation import check_inline, inline_error

NOTE = "note"


class _EnterSaves(QObject):
    """In the note field, Enter saves the dialog; Shift+Enter inserts a line break."""

    def __init__(self, dialog: QDialog):
        super().__init__(dialog)
        self.dialog = dialog

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self.dialog.accept()
            return True
        return False


class LogDialog(GuardsTyping, QDialog):
    """Log a touchpoint (or write a note when kind is "note"). Open with ``open()``."""

    def __init__(self, parent, contact_name: str, kind: str = "coffee", *, when: str = "now",
                 minutes: int | None = None, note: str = "", editing: bool = False):
        super().__init__(parent)
        self.setObjectName("logDialog")
        # a short title (the window manager cut a name in it: "Log with Ada Lovelac… —
        # Mentorship Planner"); whom it is with, in the dialog. What is edited, not
        # "Edit Ada" (which read as editing the person)
        self._editing, self._name = editing, contact_name
        self.subject = subject_label(self, "")
        self._titled(kind == NOTE)
        self.setMinimumWidth(380)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind")
        for k in Kind:
            key = KIND_KEYS.get(k)
            self.kind.addItem(f"{k.label}" + (f"  ({key})" if key else ""), k.value)
        self.kind.addItem("Note  (N)", NOTE)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.when = QLineEdit(when, self)
        self.when.setAccessibleName("When")
        self.when.setPlaceholderText("now, yesterday 14:00, 2 days ago, 2026-11-16 09:30")
        self.when_hint = QLabel(self)
        self.when_hint.setObjectName("whenHint")
        self.minutes = QSpinBox(self)
        self.minutes.setRange(0, 1440)
        self.minutes.setSpecialValueText("—")
        self.minutes.setSuffix(" min")
        self.minutes.setValue(minutes or 0)
        self.note = QPlainTextEdit(note, self)
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("What was it about? (Markdown; Enter saves, "
                                     "Shift+Enter for a new line)")
        self.note.setTabChangesFocus(True)
        self.note.installEventFilter(_EnterSaves(self))
        self.note.setFixedHeight(110)
        self.error = inline_error(self)
        form = QFormLayout()
        form.addRow("&Kind", self.kind)
        form.addRow("&When", self.when)
        form.addRow("", self.when_hint)
        form.addRow("&Minutes", self.minutes)
        form.addRow("N&ote", self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.subject)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.when.textChanged.connect(self.validate)
        self.kind.currentIndexChanged.connect(self.validate)
        self.kind.currentIndexChanged.connect(self._note_or_not)
        self.note.textChanged.connect(self.validate)
        self.validate()
        self.note.setFocus()

    def _note_or_not(self, _index: int) -> None:
        if self.is_note() != self._noted:  # (a title given by the caller stays otherwise)
            self._titled(self.is_note())

    def _titled(self, note: bool) -> None:
        """The title says what Save will do, and follows the Kind chosen (it said "Log a
        touchpoint" over a note)."""
        title, whom = {(False, False): ("Log a touchpoint", "With"),
                       (False, True): ("Write a note", "About"),
                       (True, False): ("Edit touchpoint", "With"),
                       (True, True): ("Edit note", "About")}[(self._editing, note)]
        self._noted = note
        self.setWindowTitle(title)
        self.subject.setText(f"{whom} {self._name}")

    def chosen_kind(self) -> str:
        return self.kind.currentData()

    def is_note(self) -> bool:
        return self.chosen_kind() == NOTE

    def moment(self):
        return parse_when(self.when.text())

    def values(self) -> dict:
        """kind, at (aware UTC), minutes (None if unset), note — or PlannerError."""
        at = self.moment()
        if self.is_note() and not self.note.toPlainText().strip():
            raise PlannerError("a note needs some text")
        if not self.is_note():
            # said as it is typed ("tomorrow"), Save off
            require_past(at, said=self.when.text())
        return {"kind": self.chosen_kind(), "at": at,
                "minutes": self.minutes.value() or None, "note": self.note.toPlainText()}

    def validate(self) -> bool:
        self.minutes.setEnabled(not self.is_note())

        def check() -> None:
            self.when_hint.setText("")  # (no earlier time left under a When it cannot read)
            at = self.moment()
            self.when_hint.setText(date_time_text(at, long=True))
            self.values()

        return check_inline(check, self.error,
                            self.buttons.button(QDialogButtonBox.StandardButton.Save))

    def accept(self) -> None:
        if self.validate():
            super().accept()
