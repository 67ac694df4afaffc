"""Progress of long commands on stderr: a live line on a terminal, else a line now and then.

stdout stays the command's answer; on a terminal the live line is rubbed out
when the work is done, so only the result remains.
"""

from __future__ import annotations

import sys
import time

LIVE_EVERY = 0.2  # seconds between updates of the live line on a terminal
LOG_EVERY = 15.0  # seconds between progress lines when stderr is a file or a pipe


class StderrProgress:
    """``progress(done, total)`` for the services; call :meth:`close` when done."""

    def __init__(self, label: str, unit: str = "rows"):
        self.label, self.unit = label, unit
        try:
            self.live = sys.stderr.isatty()
        except (AttributeError, ValueError):
            self.live = False
        self.started = self.last = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < (LIVE_EVERY if self.live else LOG_EVERY):
            return
        self.last = now
        text = f"planner: {self.label}: {done:,} of {total:,} {self.unit}"
        if total:
            text += f" ({min(done * 100 // total, 100)} %)"
        if self.live:
            sys.stderr.write("\r\x1b[K" + text)
        else:
            sys.stderr.write(text + "\n")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.live and self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
        self.shown = False
