"""The pieces the main window is laid out with: the pages in the middle (the rings, This
week, the dashboard, all activity) and the side panels that can be closed and brought
back from View → Panels."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QMainWindow,
    QScrollArea,
    QStyle,
    QTabWidget,
    QWidget,
)

#: what the side panels need at least; the middle (the rings) gets the rest first
SIDE_MINIMUM_WIDTH = 230
#: their width at first start (a 1366-pixel laptop keeps ~700 for the rings); the panels
#: ask for it as their size hint, which a new dock takes
SIDE_WIDTH = 330


#: the window's size at first start where the screen has room for it (and its frame)
FIRST_SIZE = QSize(1280, 760)
#: room left around the window for what the window manager adds: a title bar (20–40
#: pixels on the common desktops) and borders. Qt cannot know them before the window is
#: shown; a 1366×768 laptop cut the status bar off by the height of the title bar.
FRAME_ALLOWANCE = QSize(16, 48)


def fitted(size: QSize, available: QRect) -> QSize:
    """``size``, or less so that a window of it with its frame fits ``available`` (a
    screen's free area, without panels and docks)."""
    return QSize(min(size.width(), available.width() - FRAME_ALLOWANCE.width()),
                 min(size.height(), available.height() - FRAME_ALLOWANCE.height()))


def first_size(available: QRect) -> QSize:
    """The window's size at first start: FIRST_SIZE where the screen has room for it."""
    return fitted(FIRST_SIZE, available)


class SidePanel(QWidget):
    """A panel that asks for the side panels' width (the docks take it at first start)."""

    def sizeHint(self) -> QSize:
        return QSize(SIDE_WIDTH, super().sizeHint().height())


class Pages(QTabWidget):
    """Full views beside each other: one is shown at a time, with all the room."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pages")
        self.setDocumentMode(True)
        self.setMovable(False)

    def add(self, widget: QWidget, title: str, icon=None) -> None:
        if icon is None:
            self.addTab(widget, title)
        else:
            self.addTab(widget, icon, title)

    def show_page(self, widget: QWidget) -> None:
        self.setCurrentWidget(widget)


class PanelScroll(QScrollArea):
    """A side panel's vertical scrolling: as wide as the panel needs at least (and its
    scroll bar), as short as the dock may be, as tall as the panel when there is room;
    the panel fills it and, taller, scrolls.

    Parts that unfold (a person's details, their ledger) go in one: without it their
    height is the dock's minimum, which the window takes on (it grew past a 768-pixel
    screen, its status bar under the bottom edge, and could not be made smaller)."""

    def __init__(self, panel: QWidget, name: str, parent: QWidget):
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the panel's widgets
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidgetResizable(True)
        self.setWidget(panel)
        panel.installEventFilter(self)  # its minimum width changes as its parts are built

    def minimumSizeHint(self) -> QSize:
        panel = self.widget()
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        width = max(panel.minimumSizeHint().width(), panel.minimumWidth()) if panel else 0
        return QSize(width + bar, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # (QScrollArea's stops at 24 lines of text)
        panel = self.widget()  # (wrapped lines are in its minimum, not its size hint)
        height = max(panel.sizeHint().height(), panel.minimumSizeHint().height()) if panel \
            else 0
        return QSize(super().sizeHint().width(), height + 2 * self.frameWidth())

    def eventFilter(self, watched, event) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the dock asks again how narrow it may be
        return super().eventFilter(watched, event)


def side_dock(window: QMainWindow, title: str, name: str, widget: QWidget,
              area: Qt.DockWidgetArea) -> QDockWidget:
    """A side panel: closable with its ×, movable, and never narrower than it can use.
    (A panel that scrolls puts a PanelScroll in itself, around what may be too tall: a
    dock scrolling a panel that scrolls its own list showed two scroll bars side by
    side.)"""
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    widget.setMinimumWidth(SIDE_MINIMUM_WIDTH)
    dock.setWidget(widget)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                     | QDockWidget.DockWidgetFeature.DockWidgetMovable
                     | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
    window.addDockWidget(area, dock)
    return dock


def take_tab_place(place: QWidget, part: QWidget) -> None:
    """Tab reaches ``part`` (and every widget in it) where it reaches ``place``.

    Qt puts a widget made after the window at the end of the window's Tab order; a part
    built when first needed (issue 23) would be reached last. This moves its widgets, in
    their own order, to just after the last widget before ``place`` that Tab stops at.
    """
    tab = Qt.FocusPolicy.TabFocus

    def stops(widget: QWidget) -> bool:
        return bool(widget.focusPolicy() & tab)

    inside = [w for w in _chain(part) if (w is part or part.isAncestorOf(w)) and stops(w)]
    if not inside:
        return
    first: QWidget | None = place.previousInFocusChain()
    window = place.window()
    while first is not None and first is not window and (
            not stops(first) or first is part or part.isAncestorOf(first)):
        first = first.previousInFocusChain()
    if first is None or first is window:
        return
    for widget in inside:
        QWidget.setTabOrder(first, widget)
        first = widget


def _chain(start: QWidget) -> list[QWidget]:
    """The window's Tab order (every widget), from ``start``'s window round to it."""
    window = start.window()
    found: list[QWidget] = []
    widget = window.nextInFocusChain()
    while widget is not None and widget is not window and len(found) < 100_000:
        found.append(widget)
        widget = widget.nextInFocusChain()
    return found

