"""A dialog keeps the height its wrapped words need.

Qt gives a window the height of its first layout and never grows it for a wrapped label
that gains lines: an error line shown under the fields, a longer message, or the person
making the window narrower. The words were then squeezed and cut (the unlock dialog's
paragraphs after a wrong passphrase)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

_REFIT = (QEvent.Type.LayoutRequest, QEvent.Type.Resize, QEvent.Type.Show)


class _HeightKeeper(QObject):
    """Sets the window's minimum height to what its layout needs at its width, each time
    its contents or its width change (a smaller minimum again once they need less)."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # (no attribute of self is read: while the window is being deleted this object's
        # Python side may already be gone)
        if isinstance(watched, QWidget) and event.type() in _REFIT:
            fit(watched)
        return False


def fit(window: QWidget) -> None:
    """Give ``window`` the minimum height its layout needs at its present width."""
    layout = window.layout()
    if layout is None or not layout.hasHeightForWidth():
        return
    layout.activate()  # (a shown or hidden child, a new text: sized before measuring)
    needed = layout.totalMinimumHeightForWidth(window.width())
    if needed != window.minimumHeight():
        window.setMinimumHeight(needed)  # (grows the window if it is lower)


def keep_fitted(window: QWidget) -> None:
    """Keep ``window`` (a dialog with a layout) at least as high as its wrapped words need."""
    _HeightKeeper(window)
