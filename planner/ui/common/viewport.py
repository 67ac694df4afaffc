"""A scrolling view's viewport made in Python (issue 23).

The first plain ``QWidget`` made by C++ that Python is handed (a view's default
``viewport()``) costs shiboken ~10 ms: it initialises every ``QWidget`` subclass it knows
to find the object's type. A viewport made in Python is already known, so asking a view
for it costs nothing. ``setViewport`` sets the new one up as the view's own, except what
the views' constructors gave their first viewport, which is given here too
(tests/gui/test_viewport.py compares the two, so a Qt that changes them is caught)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QGraphicsView, QWidget


def own_viewport(view: QAbstractScrollArea) -> QWidget:
    """Give ``view`` a viewport made here, set up as its first one was; return it."""
    viewport = QWidget()
    # what QAbstractScrollArea's constructor gives its viewport
    viewport.setBackgroundRole(QPalette.ColorRole.Base)
    viewport.setAutoFillBackground(True)
    if isinstance(view, QAbstractItemView):  # and an item view's (touch scrolling)
        viewport.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
    if isinstance(view, QGraphicsView):  # a graphics view keeps its viewport's text input
        method = Qt.WidgetAttribute.WA_InputMethodEnabled  # in step with its own (its scene's
        viewport.setAttribute(method, view.testAttribute(method))  # focus item's)
    view.setViewport(viewport)
    return viewport
