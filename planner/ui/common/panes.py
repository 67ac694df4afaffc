"""F6 and Shift+F6: the keys from panel to panel (the people, the page shown, the person),
as in other desktop apps. Tab cannot do it: the rings keep Tab for walking from person to
person, so from the rings a keyboard never reached the Person panel."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

_CHAIN_LIMIT = 5000  # widgets walked at most in the window's focus chain


def first_focusable(pane: QWidget) -> QWidget | None:
    """The first widget of ``pane`` (itself included) that Tab would give the keys to."""
    if _takes_tab(pane):
        return pane
    widget = pane.nextInFocusChain()
    for _ in range(_CHAIN_LIMIT):
        if widget is None or widget is pane:
            return None
        if pane.isAncestorOf(widget) and _takes_tab(widget):
            return widget
        widget = widget.nextInFocusChain()
    return None


def _takes_tab(widget: QWidget) -> bool:
    return (widget.isVisible() and widget.isEnabled()
            and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus))


def cycle(panes: Sequence[QWidget], step: int) -> QWidget | None:
    """Give the keys to the next (``step`` 1) or previous (-1) pane after the one that has
    them; a hidden pane, or one with nothing to type or press in, is passed over. Returns
    the widget that has the keys now (None: no pane could take them)."""
    shown = [pane for pane in panes if pane.isVisible()]
    focus = QApplication.focusWidget()
    here = next((i for i, pane in enumerate(shown)
                 if focus is not None and (pane is focus or pane.isAncestorOf(focus))), None)
    if here is None:
        here = -1 if step > 0 else len(shown)
    reason = Qt.FocusReason.TabFocusReason if step > 0 else Qt.FocusReason.BacktabFocusReason
    for n in range(1, len(shown) + 1):
        target = first_focusable(shown[(here + n * step) % len(shown)])
        if target is not None:
            target.setFocus(reason)
            return target
    return None
