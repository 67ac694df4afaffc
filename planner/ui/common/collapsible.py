"""A section with a title that folds its content away (the person panel's advocacy)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton, QVBoxLayout, QWidget


class Section(QWidget):
    def __init__(self, title: str, content: QWidget, parent: QWidget | None = None,
                 *, open_: bool = False):
        super().__init__(parent)
        self.content = content
        self.toggle = QToolButton(self)
        self.toggle.setText(title)
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAccessibleName(title)
        self.toggle.toggled.connect(self.set_open)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.toggle)
        column.addWidget(content)
        self.toggle.setChecked(open_)
        self.set_open(open_)

    def set_open(self, on: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.content.setVisible(on)
        if self.toggle.isChecked() != on:
            self.toggle.setChecked(on)

    def is_open(self) -> bool:
        return self.toggle.isChecked()
