"""A dialog's form: rows added in order, and Tab going through them in that order."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGridLayout, QLabel, QLayout, QWidget

#: said at the top of a Preferences page whose choices are not kept in the database
THIS_COMPUTER = "This computer's choices (not kept in the database)."


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


def kept_where(text: str, parent: QWidget) -> QLabel:
    """The line at the top of a settings page that says where its choices are kept (this
    computer, the database file, the team)."""
    label = QLabel(text, parent)
    label.setObjectName("keptWhere")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    font = label.font()
    font.setItalic(True)
    label.setFont(font)
    return label


def widgets_in_layout_order(layout: QLayout | None) -> list[QWidget]:
    """The widgets of ``layout`` and its nested layouts in the order they read (a grid
    row by row), for a Tab order that follows what is shown."""
    found: list[QWidget] = []
    if layout is None:
        return found
    items = [layout.itemAt(index) for index in range(layout.count())]
    if isinstance(layout, QGridLayout):
        places: list[tuple[int, int]] = []
        for index in range(layout.count()):
            position: Any = layout.getItemPosition(index)  # (row, column, rows, columns)
            places.append((int(position[0]), int(position[1])))
        items = [item for _place, item in sorted(zip(places, items, strict=True),
                                                 key=lambda pair: pair[0])]
    for item in items:
        widget = item.widget() if item is not None else None
        inner = item.layout() if item is not None else None
        if widget is not None:
            found.append(widget)
        elif inner is not None:
            found += widgets_in_layout_order(inner)
    return found
