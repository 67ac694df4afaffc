"""A one-line notice across the top of the window (read-only, connection lost)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QVBoxLayout, QWidget

_STYLES = {
    "warning": "QLabel#banner { background: #fff3cd; color: #5c4400; padding: 6px 10px; }",
    "error": "QLabel#banner { background: #f8d7da; color: #721c24; padding: 6px 10px; }",
    "ok": "QLabel#banner { background: #d1e7dd; color: #0f5132; padding: 6px 10px; }",
}


class Banner(QLabel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.setWordWrap(True)
        self.hide()

    def say(self, text: str, level: str = "warning") -> None:
        self.setProperty("level", level)
        self.setStyleSheet(_STYLES[level])
        self.setText(text)
        self.show()


def add_banner(window: QMainWindow) -> Banner:
    """Put a (hidden) banner above the window's central widget, keeping that widget."""
    banner = Banner(window)
    holder = QWidget(window)
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(banner)
    # a new central widget makes the window share its width out again, and the side
    # panels took more of it ("Try the demo" widened People from 330 to 429 pixels and
    # squeezed the rings): they keep the widths they had
    docks = [d for d in window.findChildren(QDockWidget)
             if d.parent() is window and d.isVisible() and not d.isFloating()]
    widths = [d.width() for d in docks]
    central = window.takeCentralWidget()
    assert central is not None  # called on a window already laid out
    column.addWidget(central, 1)
    window.setCentralWidget(holder)
    if docks:  # once the window has laid the new central widget out
        QTimer.singleShot(0, window, lambda: window.resizeDocks(
            docks, widths, Qt.Orientation.Horizontal))
    return banner
