"""Parts of a side panel that give way when the panel is narrow: a row of buttons that
wraps onto more lines, and a value label whose longest word does not set the panel's width.

A side panel's widest part is its minimum width, and the window's minimum is the sum of
its panels': a QHBoxLayout of seven log buttons and Snooze asked 343 pixels, and with a
person selected the window could not be narrower than 1122 (off a 1024-pixel screen)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QStyle, QWidget

#: a value label asks for no more than this (an address longer than the panel is wide is
#: cut at its end rather than widening the window; its tooltip then holds all of it)
VALUE_MINIMUM_WIDTH = 180


class FlowRow(QWidget):
    """Widgets side by side, wrapping onto the next line where the row is too narrow.

    ``trailing`` widgets sit at the right end of their line (as after a stretch). The row
    is as narrow as its widest widget; its height is what its width needs, asked for
    again on every resize (a side dock does not pass height-for-width down)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._items: list[QWidget] = []
        self._trailing: set[QWidget] = set()
        self._height = 0
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def add(self, widget: QWidget, *, trailing: bool = False) -> None:
        hidden = widget.isHidden() and widget.testAttribute(
            Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
        widget.setParent(self)  # (which hides it)
        if not hidden and self.isVisible():
            widget.show()
        widget.installEventFilter(self)
        self._items.append(widget)
        if trailing:
            self._trailing.add(widget)
        self._relayout()

    def spacing(self) -> int:
        spacing = self.style().pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing,
                                           None, self)
        return spacing if spacing >= 0 else 6

    def _shown(self) -> list[QWidget]:
        return [w for w in self._items if not w.isHidden()]

    def _lines(self, width: int) -> list[list[QWidget]]:
        lines: list[list[QWidget]] = [[]]
        used = 0
        for widget in self._shown():
            w = widget.sizeHint().width()
            if lines[-1] and used + self.spacing() + w > width:
                lines.append([])
                used = 0
            used += (self.spacing() if lines[-1] else 0) + w
            lines[-1].append(widget)
        return [line for line in lines if line]

    def _line_height(self, line: list[QWidget]) -> int:
        return max(widget.sizeHint().height() for widget in line)

    def heightForWidth(self, width: int) -> int:
        lines = self._lines(width)
        return (sum(self._line_height(line) for line in lines)
                + self.spacing() * max(0, len(lines) - 1))

    def hasHeightForWidth(self) -> bool:
        return True

    def minimumSizeHint(self) -> QSize:
        widest = max((w.sizeHint().width() for w in self._shown()), default=0)
        return QSize(widest, self._height)

    def sizeHint(self) -> QSize:
        shown = self._shown()
        width = sum(w.sizeHint().width() for w in shown) + self.spacing() * max(0, len(shown) - 1)
        return QSize(width, self._height)

    def _relayout(self) -> None:
        width = self.width() if self.width() > 0 else self.sizeHint().width()
        y = 0
        for line in self._lines(width):
            height = self._line_height(line)
            x = 0
            for widget in line:
                hint = widget.sizeHint()
                left = width - hint.width() if widget in self._trailing and widget is line[-1] \
                    else x
                widget.setGeometry(QRect(left, y + (height - hint.height()) // 2,
                                         hint.width(), hint.height()))
                x += hint.width() + self.spacing()
            y += height + self.spacing()
        needed = self.heightForWidth(width)
        if needed != self._height:
            self._height = needed
            self.updateGeometry()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._relayout()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.ShowToParent, QEvent.Type.HideToParent):
            self._relayout()
        return super().eventFilter(watched, event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # a widget's size hint changed
            self._relayout()
        return super().event(event)


class ValueLabel(QLabel):
    """A wrapped, selectable plain-text value whose longest word asks for at most
    VALUE_MINIMUM_WIDTH: a long e-mail address cannot widen the panel (and the window)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), VALUE_MINIMUM_WIDTH), hint.height())

    def setText(self, text: str) -> None:
        super().setText(text)
        self._say_all_if_cut()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._say_all_if_cut()

    def _say_all_if_cut(self) -> None:
        cut = super().minimumSizeHint().width() > self.width() > 0
        self.setToolTip(self.text() if cut else "")
