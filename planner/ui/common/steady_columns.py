"""Table columns that keep their width while rows come and go.

A column in ``ResizeToContents`` mode is fitted again on every change of the model: in
the capture inbox each accept or reject narrowed or widened Person, Kind and Note, and
the table jumped under the pointer. :class:`SteadyColumns` fits the columns to their
contents once, when the table first has rows, and afterwards only widens one that new
contents no longer fit (rows that go never narrow it). The columns stay resizable by hand.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QHeaderView, QTableView


class SteadyColumns:
    def __init__(self, view: QTableView, columns: Iterable[int], stretch: int | None = None):
        self.view = view
        self.columns = tuple(columns)
        self.fitted = False
        header = view.horizontalHeader()
        for column in self.columns:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        if stretch is not None:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)

    def fit(self) -> None:
        """After the model was filled again: fit the first time there are rows, else
        only widen a column whose contents no longer fit."""
        if not self.view.model().rowCount():
            return
        self.view.ensurePolished()  # the style sheet's padding counts, shown or not
        header = self.view.horizontalHeader()
        for column in self.columns:
            wanted = max(self.view.sizeHintForColumn(column), header.sectionSizeHint(column))
            if not self.fitted or wanted > header.sectionSize(column):
                header.resizeSection(column, wanted)
        self.fitted = True
