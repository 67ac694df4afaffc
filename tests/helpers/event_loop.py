"""How long the GUI thread's event loop stalls: a 20 ms QTimer whose ticks are timed.
``worst()`` is the longest gap between two ticks since the last call (a freeze shows as a
gap as long as the freeze)."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QTimer


class LoopLatency:
    TICK_MS = 20

    def __init__(self) -> None:
        self._worst = 0
        self._clock = QElapsedTimer()
        self._clock.start()
        self._timer = QTimer()
        self._timer.setInterval(self.TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        self._worst = max(self._worst, self._clock.restart())

    def worst(self) -> int:
        """The longest gap between ticks (ms) since the last call, including the current one."""
        found, self._worst = max(self._worst, self._clock.elapsed()), 0
        self._clock.restart()
        return found

    def stop(self) -> None:
        self._timer.stop()
