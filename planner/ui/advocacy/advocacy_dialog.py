"""Small dialogs for the advocacy ledger: a win, an ask (with the fatigue warning), a give.

Open them with ``open()``; read ``values()`` in the accepted handler. Invalid input
shows inline and disables Save, as in the log dialog.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from planner.domain import advocacy as rules
from planner.domain.errors import PlannerError
from planner.domain.when import parse_when
from planner.ui.common.dates import date_text, date_time_text
from planner.ui.common.discard_guard import GuardsTyping
from planner.ui.common.forms import subject_label
from planner.ui.common.tone import bold_warning
from planner.ui.common.validation import inline_error


class _LedgerDialog(GuardsTyping, QDialog):
    def __init__(self, parent, title: str, subject: str):
        super().__init__(parent)
        self.setWindowTitle(title)  # short; whom it is about in the dialog (subject_label)
        self.subject = subject_label(self, subject)
        self.setMinimumWidth(400)
        self.form = QFormLayout()
        self.when = QLineEdit("now", self)
        self.when.setAccessibleName("When")
        self.when.setPlaceholderText("now, yesterday, 3 days ago, 2026-11-16")
        self.when_hint = QLabel(self)
        self.note = QPlainTextEdit(self)
        self.note.setAccessibleName("Note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)
        self.error = inline_error(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.subject)
        self.layout_.addLayout(self.form)

    def _finish(self) -> None:
        self.form.addRow("&When", self.when)
        self.form.addRow("", self.when_hint)
        self.form.addRow("N&ote", self.note)
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.buttons)
        self.when.textChanged.connect(self.validate)
        self.validate()

    @property
    def save_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def moment(self):
        return parse_when(self.when.text())

    def values(self) -> dict:
        raise NotImplementedError

    def check(self) -> None:
        """Extra checks of a subclass; raise PlannerError to refuse."""

    def validate(self, *args) -> bool:
        try:
            self.when_hint.setText(date_time_text(self.moment(), long=True))
            self.values()
            self.check()
        except PlannerError as exc:
            text = str(exc)
            self.error.setText(text[:1].upper() + text[1:])
            ok = False
        else:
            self.error.setText("")
            ok = True
        self.save_button.setEnabled(ok)
        return ok

    def accept(self) -> None:
        if self.validate():
            super().accept()


class WinDialog(_LedgerDialog):
    """A success of theirs: what, when, a link, a note."""

    def __init__(self, parent, contact_name: str):
        super().__init__(parent, "Note a win", f"For {contact_name}")
        self.setObjectName("winDialog")
        self.text = QLineEdit(self)
        self.text.setAccessibleName("What they did")
        self.text.setPlaceholderText("Gave a talk, shipped v2, got promoted…")
        self.link = QLineEdit(self)
        self.link.setAccessibleName("Link")
        self.link.setPlaceholderText("https://… (optional)")
        self.form.addRow("&Win", self.text)
        self.form.addRow("&Link", self.link)
        self._finish()
        self.text.textChanged.connect(self.validate)
        self.link.textChanged.connect(self.validate)
        if not self.validate() and not self.text.text().strip():
            self.error.setText("")  # nothing typed yet is nothing wrong yet (Save is off)
        self.text.setFocus()

    def values(self) -> dict:
        return {"text": rules.clean_win_text(self.text.text()), "at": self.moment(),
                "link": rules.clean_link(self.link.text()), "note": self.note.toPlainText()}


class AskDialog(_LedgerDialog):
    """What you ask of them. Over the ask limit, a warning shows *before* anything is
    logged, and Save stays off until "Ask anyway" is ticked."""

    def __init__(self, parent, contact_name: str, check_fatigue=None):
        super().__init__(parent, "Note an ask", f"Of {contact_name}")
        self.setObjectName("askDialog")
        self.contact_name = contact_name
        self.check_fatigue = check_fatigue  # moment → Fatigue | None
        self.type = QComboBox(self)
        self.type.setAccessibleName("Kind of ask")
        for kind in rules.AskType:
            self.type.addItem(kind.label, kind.value)
        self.status = QComboBox(self)
        self.status.setAccessibleName("Status")
        for status in rules.AskStatus:
            self.status.addItem(status.label, status.value)
        self.status.setCurrentIndex(self.status.findData(rules.AskStatus.ASKED.value))
        self.warning = QLabel(self)
        self.warning.setObjectName("fatigueWarning")
        self.warning.setWordWrap(True)
        bold_warning(self.warning)
        self.force = QCheckBox("Ask anyway", self)
        self.force.setAccessibleName("Ask anyway")
        self.form.addRow("&Ask for", self.type)
        self.form.addRow("&Status", self.status)
        self._finish()
        self.layout_.insertWidget(1, self.warning)
        self.layout_.insertWidget(2, self.force)
        self.force.toggled.connect(self.validate)
        self.validate()
        self.type.setFocus()

    def fatigue(self):
        if self.check_fatigue is None:
            return None
        try:
            return self.check_fatigue(self.moment())
        except PlannerError:
            return None

    def values(self) -> dict:
        return {"ask_type": self.type.currentData(), "status": self.status.currentData(),
                "at": self.moment(), "note": self.note.toPlainText(),
                "force": self.force.isChecked()}

    def check(self) -> None:
        found = self.fatigue()
        self.warning.setVisible(found is not None)
        self.force.setVisible(found is not None)
        if found is not None:
            self.warning.setText(f"⚠ {found.describe(self.contact_name)}. Give before you ask "
                                 "again — or tick “Ask anyway”.")
            if not self.force.isChecked():
                raise PlannerError("too many asks this quarter: tick “Ask anyway” to log it")


class GiveDialog(_LedgerDialog):
    """What you gave back; optionally the ask it thanks them for."""

    def __init__(self, parent, contact_name: str, asks=(), *, for_ask: int | None = None,
                 give_type: str = rules.GiveType.THANK_YOU_NOTE.value):
        super().__init__(parent, "Note a give", f"To {contact_name}")
        self.setObjectName("giveDialog")
        self.type = QComboBox(self)
        self.type.setAccessibleName("Kind of give")
        for kind in rules.GiveType:
            self.type.addItem(kind.label, kind.value)
        self.type.setCurrentIndex(max(0, self.type.findData(give_type)))
        self.for_ask = QComboBox(self)
        self.for_ask.setAccessibleName("In thanks for")
        self.for_ask.addItem("—", None)
        for ask in asks:
            self.for_ask.addItem(f"{ask.type.label} ({ask.status.value}, "
                                 f"{date_text(ask.at)})", ask.id)
        if for_ask is not None:
            self.for_ask.setCurrentIndex(max(0, self.for_ask.findData(for_ask)))
        self.form.addRow("&Gave", self.type)
        self.form.addRow("&Thanks for", self.for_ask)
        self._finish()
        self.type.setFocus()

    def values(self) -> dict:
        return {"give_type": self.type.currentData(), "at": self.moment(),
                "note": self.note.toPlainText(), "for_ask": self.for_ask.currentData()}
