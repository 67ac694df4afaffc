"""The dashboard's drawing: its cards laid out for a width, and a ``Stats`` painted on
any painter (the widget and the PNG export are the same drawing), with the PNG's heading
(``paint_heading``: the title and when it was made)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen

from planner.domain.advocacy import FUNNEL_STAGES, Stage
from planner.domain.rings import RING_ORDER
from planner.ui.common.dates import day_month_text
from planner.ui.common.palette import RING_COLORS, STATUS_COLORS, readable_on


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


def counted(count: int, word: str) -> str:
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
