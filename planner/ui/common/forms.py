"""A dialog's form: rows added in order, and Tab going through them in that order."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget


def add_rows(form: QFormLayout, rows: list[tuple[str, QWidget]]) -> None:
    """Add ``rows`` (label, field) to ``form``, and make Tab go from field to field as the
    rows read, top to bottom. Without it Tab follows the order the fields were made in:
    the Add person dialog's Ring box, made last but shown second, was reached after Notes."""
    for label, widget in rows:
        form.addRow(label, widget)
    fields = [widget for _label, widget in rows]
    for before, after in pairwise(fields):
        QWidget.setTabOrder(before, after)


def subject_label(parent: QWidget, text: str) -> QLabel:
    """Whom (or what) a dialog is about, in bold at its top. The title stays short: the
    window manager follows it with the app's name and cut a name in it ("Log with Ada
    Lovelac… — Mentorship Planner"); here it wraps instead."""
    label = QLabel(text, parent)
    label.setObjectName("dialogSubject")
    label.setTextFormat(Qt.TextFormat.PlainText)  # a name, never markup
    label.setWordWrap(True)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label
