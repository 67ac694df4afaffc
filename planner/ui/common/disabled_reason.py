"""Say why something cannot be used now, where a person looks for it: a disabled
button's tooltip, a disabled menu item's status-bar tip ("Select a source to remove
it"). Enabled again, it says what it does, as before."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QStatusTipEvent
from PySide6.QtWidgets import QApplication, QMenu, QWidget

#: the tip a widget or action had while it could be used (kept on it as a property)
_OWN_TIP = "planner_own_tip"

#: why the actions on "the selected person" are disabled
SELECT_SOMEONE = "Select someone first: click them on the rings or in the People list"


def set_enabled(target: QAction | QWidget, on: bool, why: str) -> None:
    """Enable ``target``, or disable it with ``why`` (what would enable it) as its tip:
    a widget's tooltip, an action's status tip (menus show that in the status bar)."""
    if isinstance(target, QAction):
        tip, set_tip = target.statusTip, target.setStatusTip
    else:
        tip, set_tip = target.toolTip, target.setToolTip
    own = target.property(_OWN_TIP)
    if own is None:
        own = tip()
        target.setProperty(_OWN_TIP, own)
    target.setEnabled(on)
    set_tip(str(own) if on else why)


class DisabledItemTips(QObject):
    """Hovering a disabled menu item shows its status tip (the reason it is disabled).

    Qt's Fusion style never makes a disabled item the menu's current one, so the menu
    says nothing for it: the status bar kept whatever it said before."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window = window
        self._shown: QAction | None = None

    def watch(self, menu: QMenu) -> None:
        menu.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if isinstance(watched, QMenu):
            kind = event.type()
            if kind == QEvent.Type.MouseMove:
                action = watched.actionAt(event.position().toPoint())
                if action is not None and not action.isEnabled() and not action.isSeparator():
                    if action is not self._shown:
                        self._shown = action
                        action.showStatusText(self.window)
                else:  # (before the menu says an enabled item's own tip)
                    self._clear()
            elif kind in (QEvent.Type.Leave, QEvent.Type.Hide):
                self._clear()
        return False

    def _clear(self) -> None:
        if self._shown is not None:
            self._shown = None
            QApplication.sendEvent(self.window, QStatusTipEvent(""))
