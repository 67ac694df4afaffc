"""The menu key and Shift+F10 open the context menu of what has the keys, where the keys
are: a person selected on the rings, the current row of a list, a text cursor.

Qt turns only the Menu key into a context menu event, at the focused widget's input
position: on the rings that was the canvas's top-left corner, so the empty canvas's menu
came, never the selected person's; Shift+F10 (the menu key of most desktops and of
keyboards without one) did nothing. The window's action for both keys sends the focused
widget a keyboard context menu event; widgets that show a menu for an item of theirs place
it with :func:`item_menu_place`, the canvas at its selected node."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QApplication, QWidget

#: the window's keys for "open the context menu" (Menu is the key beside the right Ctrl)
MENU_KEYS = ("Shift+F10", "Menu")


def keyboard_point(widget: QWidget) -> QPoint:
    """Where the keys are in ``widget`` (its coordinates): a list's current row, else its
    input position (a text cursor) when it has one, else its middle."""
    if isinstance(widget, QAbstractItemView) and widget.currentIndex().isValid():
        rect = widget.visualRect(widget.currentIndex())
        row = QPoint(rect.left() + min(24, rect.width() // 2), rect.center().y())
        return widget.viewport().mapTo(widget, row)
    found = widget.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle)
    if isinstance(found, QRectF):
        found = found.toRect()
    if isinstance(found, QRect) and found.isValid() and widget.rect().contains(found.center()):
        return found.bottomLeft()
    return widget.rect().center()


def open_context_menu(widget: QWidget | None = None) -> bool:
    """Send ``widget`` (the focused one if None) a keyboard context menu event, as the Menu
    key does: what it (or a parent) does with a right-click opens there. True if sent.

    A scrolling view (a list, the rings) gets it on its viewport, in the viewport's
    coordinates, as a right-click comes: Qt gives the keyboard's to the view itself, in
    its own coordinates, which a row's menu read as the row below the header's height."""
    widget = widget or QApplication.focusWidget()
    if widget is None:
        return False
    point = keyboard_point(widget)
    target = widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget
    event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, target.mapFrom(widget, point),
                              widget.mapToGlobal(point))
    QApplication.sendEvent(target, event)
    return True


def item_menu_place(view: QAbstractItemView, event: QContextMenuEvent):
    """(index, global position) of the item a context menu ``event`` of ``view`` is for: the
    one under the pointer for a right-click, the current one (at its row, below its text's
    start) for the menu key, wherever Qt placed that event."""
    if event.reason() == QContextMenuEvent.Reason.Keyboard:
        index = view.currentIndex()
        rect = view.visualRect(index)
        point = QPoint(rect.left() + min(24, rect.width() // 2), rect.bottom())
        return index, view.viewport().mapToGlobal(point)
    # (a right-click comes through the viewport, in its coordinates)
    return view.indexAt(event.pos()), event.globalPos()
