"""Add or edit a person: the foundation's fields, validated as you type."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
)

from planner.domain.contact import Contact
from planner.domain.errors import PlannerError
from planner.domain.fields import clean_fields, field_value, split_handle, split_items
from planner.domain.rings import RING_ORDER, Ring
from planner.ui.common.discard_guard import GuardsTyping
from planner.ui.common.forms import add_rows
from planner.ui.common.validation import check_inline, inline_error


def _handles(text: str) -> dict[str, str]:
    out = {}
    for part in split_items(text):
        pair = split_handle(part)
        if pair is None:
            raise PlannerError(f"handle {part!r}: write SERVICE: HANDLE, e.g. github: ada")
        out[pair[0]] = pair[1]
    return out


class ContactDialog(GuardsTyping, QDialog):
    """Opened with ``open()``; read ``values()`` in the ``accepted`` handler."""

    def __init__(self, parent=None, contact: Contact | None = None, can_place: bool = True):
        super().__init__(parent)
        self.setObjectName("contactDialog")
        self.setWindowTitle("Edit a person" if contact else "Add a person")  # (the name: below)
        self.setMinimumWidth(420)
        self.contact = contact
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Name")
        self.email = QLineEdit(self)
        self.phones = QLineEdit(self)
        self.phones.setPlaceholderText("comma-separated")
        self.tags = QLineEdit(self)
        self.tags.setPlaceholderText("comma-separated, e.g. python, speaker")
        self.channels = QLineEdit(self)
        self.channels.setPlaceholderText("most preferred first, e.g. im, email")
        self.handles = QLineEdit(self)
        self.handles.setPlaceholderText("github: ada, slack: @ada")
        self.timezone = QLineEdit(self)
        self.timezone.setPlaceholderText("e.g. Europe/Berlin")
        self.birthday = QLineEdit(self)
        self.birthday.setPlaceholderText("YYYY-MM-DD or --MM-DD")
        self.organization = QLineEdit(self)
        self.title_edit = QLineEdit(self)
        self.cadence = QSpinBox(self)
        self.cadence.setRange(0, 3650)
        self.cadence.setSpecialValueText("ring default")
        self.cadence.setSuffix(" days")
        self.notes = QPlainTextEdit(self)
        self.notes.setFixedHeight(70)
        self.notes.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.ring = QComboBox(self)
        self.ring.addItem("Not on a ring", None)
        for ring in RING_ORDER:
            self.ring.addItem(f"{ring.label} ring", ring)
        # one Alt+letter each ("&Organisation" and "N&otes" were both Alt+O)
        rows = [("&Name", self.name), ("&Email", self.email), ("&Phones", self.phones),
                ("&Tags", self.tags), ("Pre&fers", self.channels), ("&Handles", self.handles),
                ("Time &zone", self.timezone), ("&Birthday", self.birthday),
                ("&Organisation", self.organization), ("T&itle", self.title_edit),
                ("&Cadence", self.cadence), ("Note&s", self.notes)]
        if contact is None and can_place:
            rows.insert(1, ("&Ring", self.ring))
        else:
            self.ring.hide()  # not in the form: it would float over the top-left corner
        add_rows(form, rows)
        self.error = inline_error(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        if contact is not None:
            self._load(contact)
        for widget in (self.name, self.email, self.phones, self.tags, self.channels,
                       self.handles, self.timezone, self.birthday, self.organization,
                       self.title_edit):
            widget.textChanged.connect(self.validate)
        self.cadence.valueChanged.connect(self.validate)
        self.notes.textChanged.connect(self.validate)
        if not self.validate() and not self.name.text().strip():
            self.error.setText("")  # a new person: nothing typed yet is nothing wrong yet
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _load(self, c: Contact) -> None:
        self.name.setText(c.name)
        self.email.setText(c.email)
        self.phones.setText(", ".join(c.phones))
        self.tags.setText(", ".join(c.tags))
        self.channels.setText(", ".join(c.channels))
        self.handles.setText(", ".join(f"{k}: {v}" for k, v in c.handles.items()))
        self.timezone.setText(c.timezone)
        self.birthday.setText(c.birthday.iso() if c.birthday else "")
        self.organization.setText(c.organization)
        self.title_edit.setText(c.title)
        self.cadence.setValue(c.cadence_days or 0)
        self.notes.setPlainText(c.notes)

    def raw_values(self) -> dict:
        return {
            "name": self.name.text(), "email": self.email.text(),
            "phones": split_items(self.phones.text()), "tags": split_items(self.tags.text()),
            "channels": split_items(self.channels.text()),
            "handles": _handles(self.handles.text()),
            "timezone": self.timezone.text(), "birthday": self.birthday.text(),
            "organization": self.organization.text(), "title": self.title_edit.text(),
            "cadence_days": self.cadence.value() or None, "notes": self.notes.toPlainText(),
        }

    def values(self) -> dict:
        """The cleaned fields (raises PlannerError if something is wrong)."""
        return clean_fields(self.raw_values())

    def changed_values(self) -> dict:
        values = self.values()
        if self.contact is None:
            return values
        return {k: v for k, v in values.items() if field_value(self.contact, k) != v}

    def chosen_ring(self) -> Ring | None:
        # Qt hands a str-enum item's data back as a plain str: make it a Ring again.
        data = self.ring.currentData()
        return Ring(data) if data else None

    def validate(self) -> bool:
        return check_inline(self.values, self.error,
                            self.buttons.button(QDialogButtonBox.StandardButton.Ok))

    def accept(self) -> None:
        if self.validate():
            super().accept()
