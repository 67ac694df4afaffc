"""A non-modal message over the canvas that fades by itself (refusals, hints), and after a
move, swap or unplace an **Undo** button beside it. It stays centred at the canvas's
foot as the canvas is resized: a message said while the window was still being built
(a read-only window's) was placed for the canvas's first, tiny size, above its top."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class Toast(QFrame):
    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("toast")
        self.setStyleSheet(
            "QFrame#toast { background: rgba(40, 44, 52, 230); border-radius: 8px; }"
            "QFrame#toast QLabel { color: white; padding: 6px 4px 6px 10px; }"
            "QFrame#toast QPushButton { color: #9cd3ff; background: transparent; border: none;"
            " font-weight: bold; padding: 6px 12px; }"
            "QFrame#toast QPushButton:hover { text-decoration: underline; }")
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # (names in it are not markup)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.undo_button = QPushButton("Undo", self)
        self.undo_button.setAccessibleName("Undo that")
        self.undo_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.undo_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay on the canvas
        self.undo_button.clicked.connect(self._undo_clicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        row.setSpacing(0)
        row.addWidget(self.label, 1)
        row.addWidget(self.undo_button)
        self._row = row
        self._undo: Callable[[], object] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        parent.installEventFilter(self)  # its resizes: placed again
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and not self.isHidden():  # (shown, maybe
            # in a window not on screen yet)
            self._place()
        return False

    def text(self) -> str:
        return self.label.text()

    def show_message(self, text: str, msec: int = 5000,
                     undo: Callable[[], object] | None = None) -> None:
        """Show ``text`` for ``msec``; with ``undo``, an Undo button that calls it."""
        self._undo = undo
        self.undo_button.setVisible(undo is not None)
        self.label.setText(text)
        self._place()
        self.show()
        self.raise_()
        self._timer.start(msec if undo is None else max(msec, 8000))

    def _place(self) -> None:
        """Centred at the foot of the canvas, as wide as it allows (220–560 px)."""
        parent = self.parentWidget()
        assert parent is not None  # made over a widget (the canvas), never taken off it
        width = min(560, max(220, parent.width() - 40))
        self.setFixedWidth(width)
        self._row.activate()
        self.setFixedHeight(self._row.heightForWidth(width)
                            if self._row.hasHeightForWidth() else self.sizeHint().height())
        self.move((parent.width() - width) // 2, max(0, parent.height() - self.height() - 18))

    def undo_possible(self, can: bool) -> None:
        """(The undo stack's canUndoChanged; a slot of the toast, so a closed window's
        toast is disconnected with it.)"""
        if not can:
            self.withdraw_undo()

    def withdraw_undo(self) -> None:
        """Nothing is left to undo (another program's change cleared the history): the
        Undo button goes rather than do nothing when pressed; the message stays."""
        self._undo = None
        self.undo_button.hide()

    def _undo_clicked(self) -> None:
        undo, self._undo = self._undo, None
        self.hide()
        if undo is not None:
            undo()
