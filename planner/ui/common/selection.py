"""The fill behind a selected row that the app draws itself (timelines, search results)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

#: how much of the highlight colour is mixed into the row's base
SHARE = 0.4


def selection_fill(palette: QPalette) -> QColor:
    """The palette's highlight mixed into its base: a soft selection on which the row's
    own Text colour stays readable in light and dark themes alike. (``Highlight.lighter()``
    made a light blue under the dark theme's light text: 1.3:1.)"""
    base = palette.color(QPalette.ColorRole.Base)
    accent = palette.color(QPalette.ColorRole.Highlight)
    return QColor.fromRgbF(*(b + (a - b) * SHARE for b, a in (
        (base.redF(), accent.redF()), (base.greenF(), accent.greenF()),
        (base.blueF(), accent.blueF()))))
