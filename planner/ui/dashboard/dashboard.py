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

import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from planner.domain.advocacy import FUNNEL_STAGES, Stage
from planner.domain.errors import InvalidInput, PlannerError
from planner.domain.rings import RING_ORDER
from planner.ui.common.dates import date_time_text, day_month_text
from planner.ui.common.palette import RING_COLORS, STATUS_COLORS, readable_on
from planner.ui.common.save_folder import save_dialog


@dataclass(frozen=True)
class Colours:
    """The drawing's own colours: the window's theme (light, dark) decides which."""

    background: QColor
    card: QColor
    border: QColor
    text: QColor
    muted: QColor
    track: QColor  # gauges, bars' empty part, grid lines
    stripe: QColor  # every other row of a list


LIGHT = Colours(QColor("#eef1f5"), QColor("#ffffff"), QColor("#d9dee5"), QColor("#1f2933"),
                QColor("#616e7c"), QColor("#e4e7eb"), QColor("#f5f7fa"))
#: the dark theme's: cards a step above its window (#1b1f27), text as its palette's
DARK = Colours(QColor("#161a21"), QColor("#222834"), QColor("#3a4250"), QColor("#e4e7eb"),
               QColor("#9aa5b1"), QColor("#323947"), QColor("#262d39"))
GOOD = QColor(STATUS_COLORS["on-track"])
WARN = QColor("#e08a00")
UNPLACED = QColor("#9aa5b1")
STAGE_COLORS = {Stage.CULTIVATING: QColor("#9fb3c8"), Stage.SUCCEEDED: QColor("#5b8def"),
                Stage.ADVOCATE: QColor("#2e9e5b")}
GAP, PAD, MIN_COLUMN = 14.0, 14.0, 330.0
#: the exported picture's heading band above the cards: what it is and when it was made
HEADING = 62.0
TITLE = "Mentorship Planner — Dashboard"
KEYS_HELP = ("Up and Down choose a waiting win, ask or person; Enter celebrates the win "
             "or thanks for the ask; Space shows the person")


@dataclass(frozen=True)
class Card:
    key: str
    title: str
    span: int
    height: float


CARDS = (
    Card("advocates", "Advocates", 1, 230),
    Card("funnel", "Funnel", 1, 230),
    Card("rings", "Rings", 1, 230),
    Card("weekly", "Touchpoints per week, by ring (12 weeks)", 2, 250),
    Card("time", "Minutes per ring vs. intended (12 weeks)", 1, 250),
    Card("wins", "Wins waiting to be celebrated", 1, 190),
    Card("thanks", "Asks waiting for a thank-you", 1, 190),
    Card("tired", "Asked enough this quarter", 1, 190),
)


def layout_cards(width: float) -> tuple[list[tuple[Card, QRectF]], float]:
    """Where each card goes for a canvas ``width``; returns the rectangles and the height."""
    columns = max(1, min(4, int((width - GAP) // MIN_COLUMN)))
    col_w = (width - GAP * (columns + 1)) / columns
    placed: list[tuple[Card, QRectF]] = []
    x_col, y, row_h = 0, GAP, 0.0
    for card in CARDS:
        span = min(card.span, columns)
        if x_col + span > columns:
            x_col, y, row_h = 0, y + row_h + GAP, 0.0
        x = GAP + x_col * (col_w + GAP)
        placed.append((card, QRectF(x, y, span * col_w + (span - 1) * GAP, card.height)))
        row_h = max(row_h, card.height)
        x_col += span
    return placed, y + row_h + GAP


def _counted(count: int, word: str) -> str:
    """``<b>1</b> win``, ``<b>3</b> wins``: the number bold, the word agreeing with it."""
    return f"<b>{count:,}</b> {word if count == 1 else word + 's'}"


def _font(size: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


def _text(p: QPainter, rect: QRectF, text: str, size: float, color: QColor,
          bold: bool = False, align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
          ) -> None:
    p.setFont(_font(size, bold))
    p.setPen(color)
    metrics = p.fontMetrics()
    shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width()))
    p.drawText(rect, int(align), shown)


def _day(moment) -> str:
    return day_month_text(moment)


class Painter:
    """Draws one Stats into cards; records the list rows that can be clicked."""

    def __init__(self, p: QPainter, stats, colours: Colours = LIGHT):
        self.p, self.s, self.c = p, stats, colours
        self.hits: list[tuple[QRectF, str, int, int]] = []  # rect, kind, row id, contact id

    def words_in(self, colour: QColor | str) -> QColor:
        """``colour`` for words on a card, or its nearest shade that reads there (4.5:1):
        the middle ring's amber as a label on a white card was 2.2:1, the goal line's
        orange 2.7:1, the outer ring's teal on a dark card 4.4:1."""
        return QColor(readable_on(QColor(colour).name(), self.c.card.name()))

    def paint(self, width: float, height: float) -> None:
        p = self.p
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p.fillRect(QRectF(0, 0, width, height), self.c.background)
        placed, _ = layout_cards(width)
        for card, rect in placed:
            self.card(card, rect)

    def card(self, card: Card, rect: QRectF) -> None:
        p = self.p
        path = QPainterPath()
        path.addRoundedRect(rect, 8, 8)
        p.fillPath(path, self.c.card)
        p.setPen(QPen(self.c.border, 1))
        p.drawPath(path)
        _text(p, QRectF(rect.x() + PAD, rect.y() + 8, rect.width() - 2 * PAD, 22), card.title,
              10, self.c.text, True)
        body = rect.adjusted(PAD, 36, -PAD, -PAD)
        if self.s is None:
            _text(p, body, "…", 10, self.c.muted)
            return
        getattr(self, f"draw_{card.key}")(body)

    # -- advocates ---------------------------------------------------------------------------
    def draw_advocates(self, r: QRectF) -> None:
        p, t = self.p, self.s.target
        scale = max(2 * t.target_share, t.share * 1.15, 0.05)
        scale = min(1.0, scale)
        size = min(r.width() * 0.8, (r.height() - 50) * 2)
        arc = QRectF(r.center().x() - size / 2, r.y() + 6, size, size)
        pen_w = max(10.0, size / 11)
        p.setPen(QPen(self.c.track, pen_w, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        p.drawArc(arc.adjusted(pen_w / 2, pen_w / 2, -pen_w / 2, -pen_w / 2), 180 * 16, -180 * 16)
        filled = min(1.0, t.share / scale) if scale else 0.0
        color = GOOD if t.met else WARN
        p.setPen(QPen(color, pen_w, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        p.drawArc(arc.adjusted(pen_w / 2, pen_w / 2, -pen_w / 2, -pen_w / 2), 180 * 16,
                  int(-180 * 16 * filled))
        # the target mark
        angle = math.pi * (1 - min(1.0, t.target_share / scale))
        centre = QPointF(arc.center().x(), arc.center().y())
        outer, inner = size / 2 + 4, size / 2 - pen_w - 4
        p.setPen(QPen(self.c.text, 2.5))
        cos, sin = math.cos(angle), math.sin(angle)
        p.drawLine(QPointF(centre.x() + inner * cos, centre.y() - inner * sin),
                   QPointF(centre.x() + outer * cos, centre.y() - outer * sin))
        _text(p, QRectF(centre.x() + outer * cos - 40, centre.y() - outer * sin - 18, 80, 14),
              f"target {t.target_share:.0%}", 7.5, self.c.muted, align=Qt.AlignmentFlag.AlignCenter)
        mid = QRectF(arc.x(), centre.y() - size * 0.28, size, size * 0.2)
        _text(p, mid, str(t.advocates), 24, self.c.text, True, Qt.AlignmentFlag.AlignCenter)
        _text(p, QRectF(arc.x(), centre.y() - size * 0.08, size, 16),
              f"{t.share:.1%} of {t.network:,}" if t.network else "nobody yet", 8.5,
              self.c.muted, align=Qt.AlignmentFlag.AlignCenter)
        goal = ("Target met ✓" if t.met else
                f"{t.missing:,} more to reach {t.target_count:,} ({t.target_share:.0%})")
        tone = self.words_in(GOOD if t.met else WARN)
        if not t.network:  # (said, not a warning; nor a link it is not: it read as one)
            goal, tone = "Add people to your network first", self.c.muted
        _text(p, QRectF(r.x(), r.bottom() - 18, r.width(), 18), goal, 9.5, tone, True,
              Qt.AlignmentFlag.AlignCenter)

    # -- funnel ------------------------------------------------------------------------------
    def draw_funnel(self, r: QRectF) -> None:
        """Each stage: what its figure counts and the figure ("Cultivating or beyond 18"),
        the funnel's bar for it, and who is at that stage now and the share of the step
        before (the words are the domain's: FunnelStep)."""
        p, f = self.p, self.s.funnel
        steps = f.steps()
        top = max(1, steps[0].reached)
        row_h = (r.height() - 22) / len(steps)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for i, step in enumerate(steps):
            y = r.y() + i * row_h
            last = step.stage is FUNNEL_STAGES[-1]
            _text(p, QRectF(r.x(), y, r.width() - 60, 16), step.label, 9.5, self.c.text, last)
            _text(p, QRectF(r.x(), y, r.width(), 16), f"{step.reached:,}", 9.5, self.c.text,
                  True, right)
            # the whole width as a track, the stage's share on it: a small share was a
            # lone upright pill (and a nought one too), read as a glitch
            track = QRectF(r.x(), y + 19, r.width(), min(14.0, row_h - 36))
            path = QPainterPath()
            path.addRoundedRect(track, 3, 3)
            p.fillPath(path, self.c.track)
            if step.reached:
                w = max(6.0, track.width() * step.reached / top)
                bar = QPainterPath()
                bar.addRoundedRect(QRectF(track.center().x() - w / 2, track.y(), w,
                                          track.height()), 3, 3)
                p.fillPath(bar, STAGE_COLORS[step.stage])
            if step.detail:
                _text(p, QRectF(r.x(), track.bottom() + 2, r.width(), 15), step.detail, 7.5,
                      self.c.muted)
        none = f.counts[Stage.NONE]
        _text(p, QRectF(r.x(), r.bottom() - 18, r.width(), 18),
              f"{none:,} not started · {f.network:,} in the network", 8.5, self.c.muted)

    # -- rings -------------------------------------------------------------------------------
    def draw_rings(self, r: QRectF) -> None:
        p = self.p
        row_h = (r.height()) / 3
        for i, fill in enumerate(self.s.rings):
            y = r.y() + i * row_h
            _text(p, QRectF(r.x(), y, r.width(), 18), f"{fill.ring.label}", 9.5,
                  self.words_in(RING_COLORS[fill.ring]), True)
            _text(p, QRectF(r.x(), y, r.width(), 18), f"{fill.count} / {fill.capacity}", 9.5,
                  self.c.text, True, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            bar = QRectF(r.x(), y + 21, r.width(), 12)
            path = QPainterPath()
            path.addRoundedRect(bar, 3, 3)
            p.fillPath(path, self.c.track)
            total = max(fill.capacity, fill.count, 1)
            x = bar.x()
            p.save()
            p.setClipPath(path)
            for status, n in (("on-track", fill.on_track), ("due-soon", fill.due_soon),
                              ("overdue", fill.overdue), ("never", fill.never)):
                w = bar.width() * n / total
                p.fillRect(QRectF(x, bar.y(), w, bar.height()), QColor(STATUS_COLORS[status]))
                x += w
            p.restore()
            _text(p, QRectF(r.x(), y + 35, r.width(), 16),
                  f"{fill.on_track} on track · {fill.due_soon} due · {fill.overdue} overdue"
                  + (f" · {fill.never} never" if fill.never else ""), 8, self.c.muted)

    # -- weekly chart ------------------------------------------------------------------------
    def draw_weekly(self, r: QRectF) -> None:
        p, s = self.p, self.s
        keys = [ring.value for ring in RING_ORDER] + ["unplaced"]
        colors = [QColor(RING_COLORS[ring]) for ring in RING_ORDER] + [UNPLACED]
        weeks = len(s.weeks)
        totals = [sum(s.touches[k][i] for k in keys) for i in range(weeks)]
        top, step = _axis(max(totals) if totals else 0)
        # the axis is as wide as its widest figure ("2500" was cut to "2…" in 28 pixels)
        p.setFont(_font(7.5))
        widest = max(p.fontMetrics().horizontalAdvance(_figure(n * step))
                     for n in range(round(top / step) + 1))
        legend_h, axis_w, label_h = 18.0, max(28.0, widest + 10.0), 16.0
        # legend
        x = r.x() + axis_w
        for key, color in zip(keys, colors, strict=True):
            p.fillRect(QRectF(x, r.y() + 4, 10, 10), color)
            label = key.capitalize()
            _text(p, QRectF(x + 14, r.y(), 80, 18), label, 8, self.c.muted)
            x += 16 + p.fontMetrics().horizontalAdvance(label) + 14
        plot = QRectF(r.x() + axis_w, r.y() + legend_h + 6, r.width() - axis_w,
                      r.height() - legend_h - label_h - 8)
        # grid and axis labels
        for n in range(round(top / step) + 1):
            value = n * step
            y = plot.bottom() - plot.height() * value / top
            p.setPen(QPen(self.c.track, 1))
            p.drawLine(QPointF(plot.x(), y), QPointF(plot.right(), y))
            _text(p, QRectF(r.x(), y - 8, axis_w - 6, 16), _figure(value), 7.5, self.c.muted,
                  align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        slot = plot.width() / max(1, weeks)
        bar_w = slot * 0.62
        for i in range(weeks):
            x = plot.x() + i * slot + (slot - bar_w) / 2
            y = plot.bottom()
            for key, color in zip(keys, colors, strict=True):
                n = s.touches[key][i]
                if not n:
                    continue
                h = plot.height() * n / top
                p.fillRect(QRectF(x, y - h, bar_w, h), color)
                y -= h
            if totals[i]:
                _text(p, QRectF(x - 6, y - 14, bar_w + 12, 12), _figure(totals[i]), 7,
                      self.c.muted,
                      align=Qt.AlignmentFlag.AlignCenter)
            week = s.weeks[i].split("-")[-1]
            _text(p, QRectF(plot.x() + i * slot, plot.bottom() + 2, slot, label_h), week, 7,
                  self.c.muted, align=Qt.AlignmentFlag.AlignCenter)

    # -- minutes per ring --------------------------------------------------------------------
    def draw_time(self, r: QRectF) -> None:
        p, s = self.p, self.s
        total = sum(rt.minutes for rt in s.time)
        row_h = (r.height() - 22) / 3
        for i, rt in enumerate(s.time):
            y = r.y() + i * row_h
            color = QColor(RING_COLORS[rt.ring])
            _text(p, QRectF(r.x(), y, r.width(), 16), rt.ring.label, 9.5,
                  self.words_in(color), True)
            _text(p, QRectF(r.x(), y, r.width(), 16),
                  f"{_hours(rt.minutes)} · {rt.share:.0%} (intended {rt.intended:.0%})", 8.5,
                  self.c.text, align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            bar = QRectF(r.x(), y + 20, r.width(), 12)
            path = QPainterPath()
            path.addRoundedRect(bar, 3, 3)
            p.fillPath(path, self.c.track)
            p.fillRect(QRectF(bar.x(), bar.y(), bar.width() * rt.share, bar.height()), color)
            mark = bar.x() + bar.width() * rt.intended
            p.setPen(QPen(self.c.text, 2))
            p.drawLine(QPointF(mark, bar.y() - 3), QPointF(mark, bar.bottom() + 3))
        note = (f"{_hours(total)} on the rings" + (
            f" · {_hours(s.unplaced_minutes)} wider network" if s.unplaced_minutes
            else "") if total else "No minutes logged in these 12 weeks")
        _text(p, QRectF(r.x(), r.bottom() - 18, r.width(), 18), note + " · ┃ intended", 8,
              self.c.muted)

    # -- lists -------------------------------------------------------------------------------
    def _list(self, r: QRectF, rows: list[tuple[str, str, str, int, int]], empty: str) -> None:
        """rows: (text, right text, kind, row id, contact id)."""
        p = self.p
        if not rows:
            _text(p, QRectF(r.x(), r.y(), r.width(), 20), empty, 9, self.c.muted)
            return
        row_h = 22.0
        fits = max(1, int(r.height() // row_h))
        shown = rows if len(rows) <= fits else rows[: fits - 1]
        for i, (text, right, kind, row_id, contact_id) in enumerate(shown):
            rect = QRectF(r.x(), r.y() + i * row_h, r.width(), row_h - 2)
            if i % 2:
                p.fillRect(rect, self.c.stripe)
            _text(p, rect.adjusted(4, 0, -64, 0), text, 9, self.c.text)
            _text(p, rect.adjusted(0, 0, -4, 0), right, 8, self.c.muted,
                  align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.hits.append((rect, kind, row_id, contact_id))
        if len(shown) < len(rows):
            _text(p, QRectF(r.x() + 4, r.y() + len(shown) * row_h, r.width(), row_h),
                  f"+ {len(rows) - len(shown)} more", 8.5, self.c.muted)

    def draw_wins(self, r: QRectF) -> None:
        rows = [(f"★ {w.contact} — {w.text}", _day(w.at), "win", w.id, w.contact_id)
                for w in self.s.wins_waiting]
        self._list(r, rows, "Nothing waiting: every win has been celebrated.")

    def draw_thanks(self, r: QRectF) -> None:
        rows = [(f"♥ {a.contact} — {a.type.label.lower()}", _day(a.closed_at or a.at), "ask",
                 a.id, a.contact_id) for a in self.s.thanks_waiting]
        self._list(r, rows, "Nothing waiting: everyone has been thanked.")

    def draw_tired(self, r: QRectF) -> None:
        rows = [(f"⚠ {t.name} — {t.fatigue.count} asks", "give, don't ask", "person",
                 t.contact_id, t.contact_id) for t in self.s.tired]
        self._list(r, rows, f"Nobody is at the limit ({self.s.fatigue_limit} asks a quarter).")


def _axis(value: float) -> tuple[float, float]:
    """A round axis top at or above ``value`` and its grid step (at most 5 steps)."""
    if value <= 4:
        return 4.0, 1.0
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if step != int(step):
        step = math.ceil(step)
    return math.ceil(value / step) * step, step


def _figure(value: float) -> str:
    """A chart's figure as the cards' others: thousands grouped ("2,578"), a fraction of
    a small axis kept ("0.5")."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


def _hours(minutes: int) -> str:
    """"45 min", "2 h 05", "12,493 h 50": thousands grouped as every other figure there."""
    if minutes < 60:
        return f"{minutes} min"
    h, m = divmod(minutes, 60)
    return f"{h:,} h {m:02d}" if m else f"{h:,} h"


def paint_dashboard(painter: QPainter, stats, width: float, height: float,
                    colours: Colours = LIGHT) -> Painter:
    drawer = Painter(painter, stats, colours)
    drawer.paint(width, height)
    return drawer


def paint_heading(painter: QPainter, width: float, title: str, when: str,
                  colours: Colours = LIGHT) -> None:
    """The picture's heading, in the band of ``HEADING`` above the cards: the title in
    the cards' ink, the moment in their muted ink, on the drawing's background."""
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.fillRect(QRectF(0, 0, width, HEADING), colours.background)
    left, right = GAP + 2, width - 2 * (GAP + 2)
    _text(painter, QRectF(left, 10, right, 28), title, 15, colours.text, True)
    _text(painter, QRectF(left, 38, right, 18), when, 9.5, colours.muted)


class DashboardCanvas(QWidget):
    person_selected = Signal(int)
    celebrate_requested = Signal(int)  # win id
    thank_requested = Signal(int)  # ask id

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("dashboardCanvas")
        self.setAccessibleName("Dashboard charts")
        self.setAccessibleDescription(KEYS_HELP)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # the rows (wins, asks, people) could only be acted on with the mouse: Tab in,
        # Up/Down choose one, Enter does what a double-click does, Space what a click does
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stats = None
        self.hits: list[tuple[QRectF, str, int, int]] = []
        self.current = 0  # the row the keys act on (an index into hits)
        self.on_paint = None  # called before each paint (the dashboard refreshes stale data)
        self.setMouseTracking(True)

    def set_stats(self, stats) -> None:
        self.stats = stats
        self.setMinimumHeight(int(layout_cards(max(self.width(), 400))[1]))
        self.update()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return int(layout_cards(width)[1])

    def sizeHint(self) -> QSize:
        return QSize(1100, self.heightForWidth(1100))

    def resizeEvent(self, event) -> None:
        self.setMinimumHeight(self.heightForWidth(self.width()))
        super().resizeEvent(event)

    def paintEvent(self, event) -> None:
        if self.on_paint is not None:
            self.on_paint()
        painter = QPainter(self)
        try:
            dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
            self.hits = paint_dashboard(painter, self.stats, self.width(), self.height(),
                                        DARK if dark else LIGHT).hits
            chosen = self.chosen()
            if chosen is not None and self.hasFocus():
                painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(chosen[0].adjusted(1, 1, -1, -1), 3, 3)
        finally:
            painter.end()

    def chosen(self):
        """The row the keys act on, or None when no row is drawn."""
        if not self.hits:
            return None
        self.current = max(0, min(self.current, len(self.hits) - 1))
        return self.hits[self.current]

    def keyPressEvent(self, event) -> None:
        key, chosen = event.key(), self.chosen()
        if chosen is not None and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.current += -1 if key == Qt.Key.Key_Up else 1
            chosen = self.chosen()
            if chosen is not None:
                self._show(chosen[0])
            self.update()
        elif chosen is not None and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._act(chosen)
        elif chosen is not None and key == Qt.Key.Key_Space:
            self.person_selected.emit(chosen[3])
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:
        chosen = self.chosen()
        if chosen is not None:
            self._show(chosen[0])
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:
        self.update()
        super().focusOutEvent(event)

    def _show(self, rect: QRectF) -> None:
        """Scroll the chosen row into sight (the canvas sits in a scroll area)."""
        viewport = self.parentWidget()
        area = viewport.parentWidget() if viewport is not None else None
        if isinstance(area, QScrollArea):
            area.ensureVisible(int(rect.center().x()), int(rect.center().y()), 20,
                               int(rect.height()))

    def _act(self, found) -> None:
        _, kind, row_id, contact_id = found
        self.person_selected.emit(contact_id)
        if kind == "win":
            self.celebrate_requested.emit(row_id)
        elif kind == "ask":
            self.thank_requested.emit(row_id)

    def hit(self, pos: QPointF):
        return next((h for h in self.hits if h[0].contains(pos)), None)

    def mousePressEvent(self, event) -> None:
        found = self.hit(event.position())
        if found is not None:
            self.person_selected.emit(found[3])
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        found = self.hit(event.position())
        if found is not None:
            self.current = self.hits.index(found)
            self._act(found)
        super().mouseDoubleClickEvent(event)

    def mouseMoveEvent(self, event) -> None:
        found = self.hit(event.position())
        self.setCursor(Qt.CursorShape.PointingHandCursor if found else Qt.CursorShape.ArrowCursor)
        tips = {"win": "Double-click to celebrate this win",
                "ask": "Double-click to say thank you", "person": "Click to show them"}
        self.setToolTip(tips.get(found[1], "") if found else "")
        super().mouseMoveEvent(event)


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
            f"{_counted(len(self.stats.wins_waiting), 'win')} to celebrate · "
            f"{_counted(len(self.stats.thanks_waiting), 'ask')} to thank for"
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


__all__ = ["Dashboard", "DashboardCanvas", "layout_cards", "paint_dashboard", "paint_heading"]
