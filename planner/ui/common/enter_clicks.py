"""Enter on a focused push button clicks it, without making it a dialog's default button.

A dialog whose table or fields give Enter a meaning of their own (accept the selected
proposal, save the addresses) turns ``autoDefault`` off on its buttons, so that a button
that once had the focus does not become the default and take Enter from the table. Qt's
QPushButton answers Enter only when it is (auto)default, though: with ``autoDefault`` off
a focused button answered Space alone. :func:`enter_clicks` gives those buttons Enter
back, for themselves only: the key is taken by the button that has the focus, never by
another one, so Enter in the table or a field keeps its meaning.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QPushButton

KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class _EnterClicks(QObject):
    def eventFilter(self, obj, event) -> bool:
        if (event.type() == QEvent.Type.KeyPress and event.key() in KEYS
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
                and isinstance(obj, QPushButton) and obj.isEnabled() and obj.isVisible()):
            obj.click()  # as QPushButton does for Enter when it is the default
            return True
        return False


def enter_clicks(*buttons: QPushButton) -> None:
    """Turn ``autoDefault`` off on ``buttons`` and make Enter (or Return) click the one
    that has the focus."""
    for button in buttons:
        button.setAutoDefault(False)
        button.installEventFilter(_EnterClicks(button))
