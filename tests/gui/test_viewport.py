"""Views given a viewport made in Python (planner.ui.common.viewport, issue 23) have one
set up exactly as Qt's own: the same background, fill, attributes, tracking and drops."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QListView, QTableView, QWidget

from planner.ui.common.viewport import own_viewport


def _setup(widget: QWidget) -> dict:
    return {
        "background role": widget.backgroundRole(),
        "fills its background": widget.autoFillBackground(),
        "attributes": {a.name for a in Qt.WidgetAttribute if widget.testAttribute(a)},
        "mouse tracking": widget.hasMouseTracking(),
        "accepts drops": widget.acceptDrops(),
        "focus policy": widget.focusPolicy(),
        "context menu": widget.contextMenuPolicy(),
    }


@pytest.mark.parametrize("make", [QTableView, QListView, QGraphicsView,
                                  lambda: QGraphicsView(QGraphicsScene())],
                         ids=["table", "list", "graphics", "graphics with a scene"])
def test_a_python_made_viewport_is_set_up_as_qts_own(qtbot, make):
    theirs, ours = make(), make()
    qtbot.addWidget(theirs)
    qtbot.addWidget(ours)
    made = own_viewport(ours)
    assert ours.viewport() is made and made.focusProxy() is ours
    assert _setup(made) == _setup(theirs.viewport())
    for view in (theirs, ours):  # and once shown
        view.show()
        qtbot.waitExposed(view)
    assert _setup(made) == _setup(theirs.viewport())


def test_the_window_s_canvas_and_list_have_their_own(qtbot, tmp_path):
    from tests.gui.helpers import open_window, populate

    db = tmp_path / "planner.db"
    populate(db, inner=1)
    window = open_window(qtbot, db)
    for view in (window.view, window.contact_list.view):
        assert type(view.viewport()) is QWidget
        assert view.viewport().autoFillBackground()
    assert window.view.viewport().hasMouseTracking()  # (the hover card needs it)
