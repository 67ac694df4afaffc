"""Esc in a dialog with typed text asks before throwing it away (Cancel, a deliberate
click, does not ask)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

if TYPE_CHECKING:
    _DialogMixin = QDialog  # what the mixin is checked as: it is only put on dialogs
else:
    _DialogMixin = object


def typed_texts(dialog: QWidget) -> tuple[str, ...]:
    """Everything typed into the dialog's text fields, in a stable order."""
    return tuple(w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()
                 for w in dialog.findChildren(QWidget)
                 if isinstance(w, QPlainTextEdit | QLineEdit))


class DiscardQuestion(QMessageBox):
    """'Discard what you typed?', with its two buttons for the tests."""
    discard_button: QAbstractButton
    keep_button: QAbstractButton


class GuardsTyping(_DialogMixin):
    """A mixin for QDialog subclasses (put it first among the bases)."""

    discard_question: QMessageBox | None = None

    def showEvent(self, event) -> None:
        if getattr(self, "_texts_at_open", None) is None:
            self._texts_at_open = typed_texts(self)
        super().showEvent(event)

    def has_typed(self) -> bool:
        start = getattr(self, "_texts_at_open", None)
        return start is not None and typed_texts(self) != start

    def keyPressEvent(self, event) -> None:
        if (event.key() == Qt.Key.Key_Escape
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
                and self.has_typed()):
            self.ask_before_discarding()
            event.accept()
            return
        super().keyPressEvent(event)

    def ask_before_discarding(self) -> QMessageBox:
        box = DiscardQuestion(QMessageBox.Icon.Question, self.windowTitle(),
                              "Discard what you typed?", parent=self)
        box.setObjectName("discardQuestion")
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep Editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.discard_button, box.keep_button = discard, keep

        def finished(_result) -> None:
            if box.clickedButton() is discard:
                self.reject()

        box.finished.connect(finished)
        self.discard_question = box
        box.open()
        return box
