"""Nodes gliding to their slots on one clock.

A drag to the first or last slot of the outer ring sends all 72 people on it to a new
slot. With an animation per node that was 72 animations started inside the commit (about
1 ms of the drag's 4–5 ms, issue 22); here the commit only notes where each node starts
and ends, and one clock moves them all, frame by frame, afterwards."""

from __future__ import annotations

from PySide6.QtCore import QAbstractAnimation, QObject, QPointF
from PySide6.QtWidgets import QGraphicsItem


class _Clock(QAbstractAnimation):
    """Runs until stopped, ticking with Qt's animation timer (as any QPropertyAnimation)."""

    def __init__(self, tick, parent: QObject):
        super().__init__(parent)
        self._tick = tick

    def duration(self) -> int:
        return -1

    def updateCurrentTime(self, msecs: int) -> None:
        self._tick(msecs)


class Glide(QObject):
    """Where each gliding item started, where it goes, when it set out and for how long."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._moving: dict[QGraphicsItem, tuple[QPointF, QPointF, int, int]] = {}
        self._clock = _Clock(self._tick, self)

    def send(self, moves: list, ms: int) -> None:
        """Glide each ``(item, point)`` of ``moves`` from where it is to its point (a
        QPointF of its own) in ``ms`` milliseconds, easing out as Qt's OutCubic, from
        wherever it was going before; at once when ``ms`` is 0. The clock is read and
        started once for all of them (a reorder of the outer ring moves 72 nodes)."""
        if not moves:
            return
        if ms <= 0:
            for item, point in moves:
                self.stop(item)
                item.setPos(point)
            return
        if self._clock.state() != QAbstractAnimation.State.Running:
            self._clock.start()
        now = self._clock.currentTime()
        moving = self._moving
        for item, point in moves:
            start = item.pos()
            if start == point:
                moving.pop(item, None)
            else:
                moving[item] = (start, point, now, ms)
        if not moving:
            self._clock.stop()

    def stop(self, item: QGraphicsItem) -> None:
        """Leave ``item`` where it is now (a drag took it, it went away)."""
        self._moving.pop(item, None)
        if not self._moving:
            self._clock.stop()

    def moving(self, item: QGraphicsItem) -> bool:
        return item in self._moving

    def _tick(self, now: int) -> None:
        arrived = []
        for item, (start, end, set_out, ms) in self._moving.items():
            progress = min(1.0, max(0.0, (now - set_out) / ms))
            eased = 1.0 - (1.0 - progress) ** 3
            item.setPos(start + (end - start) * eased)
            if progress >= 1.0:
                arrived.append(item)
        for item in arrived:
            self.stop(item)
