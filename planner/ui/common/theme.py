"""Light and dark themes: follow the system unless the user picked one."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from planner.resources import style_sheet

CHOICES = ("system", "light", "dark")
SETTING = "appearance/theme"


def saved_choice(settings: QSettings | None = None) -> str:
    value = str((settings or QSettings()).value(SETTING, "system"))
    return value if value in CHOICES else "system"


def effective_scheme(choice: str) -> str:
    """'light' or 'dark': the user's choice, or what the system says."""
    if choice in ("light", "dark"):
        return choice
    scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def _dark_palette() -> QPalette:
    p = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#1b1f27",
        QPalette.ColorRole.WindowText: "#e4e7eb",
        QPalette.ColorRole.Base: "#151920",
        QPalette.ColorRole.AlternateBase: "#1f2430",
        QPalette.ColorRole.Text: "#e4e7eb",
        QPalette.ColorRole.Button: "#262c38",
        QPalette.ColorRole.ButtonText: "#e4e7eb",
        QPalette.ColorRole.ToolTipBase: "#262c38",
        QPalette.ColorRole.ToolTipText: "#e4e7eb",
        QPalette.ColorRole.Highlight: "#2a72c4",  # white on it 4.9:1 (#2f7fd8: 4.1:1)
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#9aa5b1",
        QPalette.ColorRole.Link: "#4fd1c5",
        QPalette.ColorRole.Mid: "#3a4250",
    }
    for role, color in colors.items():
        p.setColor(role, QColor(color))
    # what cannot be used looks it: a disabled check box's label is WindowText (it looked
    # as bright as an enabled one), a disabled field keeps the window's colour
    disabled = {
        QPalette.ColorRole.WindowText: "#6b7480",
        QPalette.ColorRole.Text: "#6b7480",
        QPalette.ColorRole.ButtonText: "#6b7480",
        QPalette.ColorRole.PlaceholderText: "#4f5865",
        QPalette.ColorRole.Base: "#1b1f27",
        QPalette.ColorRole.Highlight: "#3a4250",
    }
    for role, color in disabled.items():
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(color))
    return p


def apply_theme(choice: str, app: QApplication | None = None) -> str:
    """Apply ``choice`` (system, light or dark); return the scheme in effect."""
    found = app or QApplication.instance()
    if not isinstance(found, QApplication):
        raise RuntimeError("a theme needs the QApplication (none has been made)")
    app = found
    hints = QGuiApplication.styleHints()
    if choice == "system":
        hints.unsetColorScheme()
    else:
        hints.setColorScheme(Qt.ColorScheme.Dark if choice == "dark" else Qt.ColorScheme.Light)
    scheme = effective_scheme(choice)
    if scheme == "dark" and hints.colorScheme() != Qt.ColorScheme.Dark:
        app.setStyle("Fusion")  # platforms that ignore the hint still get a dark palette
        app.setPalette(_dark_palette())
    elif scheme == "dark":
        app.setPalette(_dark_palette())
    else:
        light = app.style().standardPalette()
        # placeholders and the timelines' day headers: Qt's #7f7f7f read 4.0:1 on white
        light.setColor(QPalette.ColorRole.PlaceholderText, QColor("#666666"))
        app.setPalette(light)
    app.setStyleSheet(style_sheet(scheme))
    app.setProperty("planner_scheme", scheme)
    return scheme
