"""The Dashboard: advocates against the target, the funnel, ring fill, touchpoints per
week per ring, time per ring against the intended split, wins to celebrate, asks to
thank for and who was asked enough — all drawn with QPainter, exportable as PNG.

The figures come from ``planner.services.advocacy_stats.stats`` (a few queries, whatever
the network's size), read again when the data changes and the dashboard is shown.
``paint_dashboard`` draws a ``Stats`` on any painter, so the widget and the PNG
export are the same drawing; the PNG has a heading above it (``paint_heading``: the
title and when it was made).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from planner.domain.errors import InvalidInput, PlannerError
from planner.ui.common.dates import date_time_text
from planner.ui.common.save_folder import save_dialog
from planner.ui.dashboard.canvas import DashboardCanvas
from planner.ui.dashboard.painting import (
    HEADING,
    LIGHT,
    TITLE,
    counted,
    layout_cards,
    paint_dashboard,
    paint_heading,
)


class Dashboard(QWidget):
    """The dashboard tab: goals bar, the painted cards, Export as PNG."""

    person_selected = Signal(int)
    celebrate_requested = Signal(int)
    thank_requested = Signal(int)
    message = Signal(str)

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.document = document
        self.stats = None
        self.dirty = True
        self.canvas = DashboardCanvas(self)
        # (not self.scroll: that is QWidget.scroll(), which moves a widget's contents)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.canvas)
        self.summary = QLabel(self)
        self.summary.setObjectName("dashboardSummary")
        self.target = QSpinBox(self)
        self.target.setRange(1, 100)
        self.target.setSuffix("%")  # as the figures beside it: "10%", not "10 %"
        self.target.setAccessibleName("Advocate target share")
        self.target.setToolTip("The share of your network you want as strong advocates")
        self.ask_limit = QSpinBox(self)
        self.ask_limit.setRange(1, 20)
        self.ask_limit.setAccessibleName("Ask limit per quarter")
        self.ask_limit.setToolTip("More asks than this per person in a quarter is flagged")
        self.export_button = QPushButton("Export as PNG…", self)
        self.refresh_button = QPushButton("Refresh", self)
        # the summary has its own line: on a laptop the controls beside it would not fit
        self.summary.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Target", self))
        bar.addWidget(self.target)
        bar.addWidget(QLabel("Asks per quarter", self))
        bar.addWidget(self.ask_limit)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.summary)
        layout.addLayout(bar)
        layout.addWidget(self.scroll_area, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(30)
        self._timer.timeout.connect(self.refresh)
        self.canvas.on_paint = self._painting
        self.canvas.person_selected.connect(self.person_selected)
        self.canvas.celebrate_requested.connect(self.celebrate_requested)
        self.canvas.thank_requested.connect(self.thank_requested)
        self.export_button.clicked.connect(self.ask_export)
        self.refresh_button.clicked.connect(self.refresh)
        self.target.editingFinished.connect(self._target_changed)
        self.ask_limit.editingFinished.connect(self._limit_changed)
        for signal in (document.reset, document.contacts_changed, document.placements_changed,
                       document.timeline_changed, document.entries_changed):
            signal.connect(self.schedule_refresh)

    # -- keeping current ---------------------------------------------------------------------
    def is_shown(self) -> bool:
        """On screen: a dock tab that is not the current one stays "visible" to Qt (it is
        only moved out of sight), so look at what of it can be seen."""
        return self.isVisible() and not self.visibleRegion().isEmpty()

    def schedule_refresh(self, *args) -> None:
        """Data changed: re-read soon if shown, else when next drawn (coalesced)."""
        self.dirty = True
        if self.is_shown():
            self._timer.start()
        else:
            self.canvas.update()  # drawn when it comes into sight, which refreshes it

    def _painting(self) -> None:
        if self.dirty and not self._timer.isActive():
            self._timer.start()

    def refresh(self) -> None:
        from planner.services.advocacy_stats import stats

        self.dirty = False
        self.stats = stats(self.document.backend)
        self.canvas.set_stats(self.stats)
        t = self.stats.target
        self.summary.setText(
            f"<b>{t.advocates:,}</b> {'advocate' if t.advocates == 1 else 'advocates'} of "
            f"{t.network:,} ({t.share:.1%}) · "
            f"{counted(len(self.stats.wins_waiting), 'win')} to celebrate · "
            f"{counted(len(self.stats.thanks_waiting), 'ask')} to thank for"
            if t.network else
            "Nobody in your network yet: add people with Person → Add Person… (Ctrl+N) "
            "or File → Import… (Ctrl+I), and this page follows who becomes an advocate.")
        for spin, value in ((self.target, round(t.target_share * 100)),
                            (self.ask_limit, self.stats.fatigue_limit)):
            if not spin.hasFocus():
                spin.blockSignals(True)
                spin.setValue(value)
                spin.blockSignals(False)

    def _target_changed(self) -> None:
        from planner.services import advocacy as svc

        if self.stats is not None and self.target.value() != round(
                self.stats.target.target_share * 100):
            svc.set_target_share(self.document.backend, self.target.value() / 100)
            self.message.emit(f"Advocate target set to {self.target.value()}%")
            self.refresh()

    def _limit_changed(self) -> None:
        from planner.services import advocacy as svc

        if self.stats is not None and self.ask_limit.value() != self.stats.fatigue_limit:
            svc.set_fatigue_limit(self.document.backend, self.ask_limit.value())
            self.message.emit(f"Ask limit set to {self.ask_limit.value()} a quarter")
            self.document.timeline_changed.emit([])  # the focus list's suggestions change
            self.refresh()

    # -- PNG ---------------------------------------------------------------------------------
    def image_heading(self, now: datetime | None = None) -> tuple[str, str]:
        """The exported picture's title and when it was made ("Sunday 6 December 2026,
        14:05 · 120 people in the network"): a saved file says what it is."""
        moment = now or datetime.now().astimezone()
        when = date_time_text(moment, long=True)
        if self.stats is not None and self.stats.target.network:
            when += f" · {self.stats.target.network:,} people in the network"
        return TITLE, when

    def render_image(self, width: int = 1200) -> QImage:
        if self.stats is None or self.dirty:
            self.refresh()
        cards = int(layout_cards(width)[1])
        image = QImage(width, int(HEADING) + cards, QImage.Format.Format_ARGB32)
        colours = LIGHT  # (a picture to share: light, whatever the theme)
        image.fill(colours.background)
        painter = QPainter(image)
        try:
            paint_heading(painter, width, *self.image_heading(), colours)
            painter.translate(0, HEADING)
            paint_dashboard(painter, self.stats, width, cards, colours)
        finally:
            painter.end()
        return image

    def export_png(self, path: str | Path, width: int = 1200) -> Path:
        target = Path(path)
        if target.suffix.lower() != ".png":
            target = target.with_suffix(".png")
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice

        from planner.services.exporting import write_bytes

        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        # (PySide6's stub types the format as bytes; the binding takes only a str)
        if not self.render_image(width).save(buffer, "PNG"):  # type: ignore[call-overload]
            raise InvalidInput(f"cannot write {target}")
        buffer.close()
        # the exports' one writer: owner-only, atomic, never over a database or a device
        target = write_bytes(target, bytes(data.data()))
        self.message.emit(f"Saved the dashboard as {target}")
        return target

    def ask_export(self) -> QFileDialog:
        dialog = save_dialog(self, "Export the dashboard as PNG", "dashboard.png",
                             ["PNG image (*.png)"])

        def chosen(path: str) -> None:
            try:
                self.export_png(path)
            except PlannerError as exc:
                self.message.emit(str(exc))

        dialog.fileSelected.connect(chosen)
        dialog.open()
        return dialog

