"""The side panels keep the width a person gave them.

Qt's main window squeezes its docks to their minimum when the window is made small, and
its saved state holds those squeezed widths: a window made small, closed and opened
maximised showed People and Person at their minimum, names cut. Here each side panel
remembers the width it was dragged to (with the window's width then) and takes it again
whenever the window is resized or shown; a smaller window gives it its share of that.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow

from planner.ui.common.window_layout import FIRST_SIZE, SIDE_WIDTH

#: where the widths are kept between runs ("peopleDock=330@1280,personDock=…")
SETTING = "window/side_widths"


class SideWidths(QObject):
    """Gives ``docks`` back the widths dragged to, after every resize of ``window``."""

    def __init__(self, window: QMainWindow, docks: list[QDockWidget], settings: QSettings):
        super().__init__(window)
        self.window = window
        self.docks = docks
        self.settings = settings
        #: dock's object name → (width it was given, the window's width then)
        self.wanted: dict[str, tuple[int, int]] = {
            dock.objectName(): (SIDE_WIDTH, FIRST_SIZE.width()) for dock in docks}
        self.wanted.update(_read(settings.value(SETTING, "")))
        self._pressed: dict[str, int] | None = None
        self._later = QTimer(self)  # once per burst of resizes, after the layout's own
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self.apply)
        for dock in docks:
            dock.visibilityChanged.connect(self._later.start)
            dock.topLevelChanged.connect(self._later.start)
        window.installEventFilter(self)

    def target(self, dock: QDockWidget) -> int:
        """The width ``dock`` takes in the window as it is now: the one it was given, or
        its share of it in a narrower window than it was given in."""
        width, at = self.wanted[dock.objectName()]
        now = self.window.width()
        return width if now >= at else max(1, round(width * now / at))

    def apply(self) -> None:
        docks = self._docked()
        if docks:
            self.window.resizeDocks(docks, [self.target(d) for d in docks],
                                    Qt.Orientation.Horizontal)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window:
            kind = event.type()
            if kind in (QEvent.Type.Resize, QEvent.Type.Show):
                self._later.start()
            elif kind == QEvent.Type.MouseButtonPress:  # (the docks' splitters are the window's)
                self._pressed = self._widths()
            elif kind == QEvent.Type.MouseButtonRelease and self._pressed is not None:
                self._dragged(self._pressed)
                self._pressed = None
        return False

    def _dragged(self, before: dict[str, int]) -> None:
        changed = {name: width for name, width in self._widths().items()
                   if before.get(name) not in (None, width)}
        for name, width in changed.items():
            self.wanted[name] = (width, self.window.width())
        if changed:
            self.settings.setValue(SETTING, _written(self.wanted))

    def _docked(self) -> list[QDockWidget]:
        return [d for d in self.docks if d.isVisible() and not d.isFloating()]

    def _widths(self) -> dict[str, int]:
        return {d.objectName(): d.width() for d in self._docked()}


def _written(wanted: dict[str, tuple[int, int]]) -> str:
    return ",".join(f"{name}={width}@{at}" for name, (width, at) in sorted(wanted.items()))


def _read(value) -> dict[str, tuple[int, int]]:
    """The widths written by _written; anything unreadable is left out."""
    found: dict[str, tuple[int, int]] = {}
    for part in str(value or "").split(","):
        name, _, size = part.partition("=")
        width, _, at = size.partition("@")
        if name and width.isdigit() and at.isdigit() and int(width) > 0 and int(at) > 0:
            found[name] = (int(width), int(at))
    return found
