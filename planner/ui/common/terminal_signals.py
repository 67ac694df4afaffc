"""Ctrl+C (SIGINT) in the terminal a window was started from, or SIGTERM (a logout, a
``kill``), closes it as Quit does: every window closed (its layout and page saved, an
import cancelled, the day's backup finished), then the event loop ends with 128 + the
signal's number (130 for Ctrl+C), as the command line's commands do.

Qt's event loop waits in C, where Python's signal handlers cannot run: the signal wakes
a pipe (``signal.set_wakeup_fd``) that a QSocketNotifier watches, and the handler runs
as soon as control is back in Python. Every change is already committed when it is
made, so nothing is lost either way; this only ends the window tidily instead of
leaving it deaf to Ctrl+C."""

from __future__ import annotations

import os
import signal

from PySide6.QtCore import QObject, QSocketNotifier
from PySide6.QtWidgets import QApplication

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class TerminalSignals(QObject):
    """Installed once per application (``install``); kept alive as its child."""

    def __init__(self, app: QApplication):
        super().__init__(app)
        self._app = app
        self._read, self._write = os.pipe()
        for fd in (self._read, self._write):
            os.set_blocking(fd, False)
        self._previous_fd = signal.set_wakeup_fd(self._write, warn_on_full_buffer=False)
        self._notifier: QSocketNotifier | None = QSocketNotifier(
            self._read, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        # (a signal the process was started ignoring, as ``nohup`` or a shell's ``&``
        # without job control leave SIGINT, stays ignored)
        self._handled = [n for n in SIGNALS if signal.getsignal(n) is not signal.SIG_IGN]
        for number in self._handled:
            signal.signal(number, self._handle)
        app.aboutToQuit.connect(self.uninstall)

    def _drain(self, *_args) -> None:
        """Python ran the handler on the way here; the bytes only woke the loop. (After
        :meth:`uninstall` the pipe is closed: an activation still on its way finds nothing
        to read — it used to log EBADF as an unexpected error at every SIGTERM.)"""
        if self._notifier is None:
            return
        try:
            while os.read(self._read, 64):
                pass
        except BlockingIOError:
            pass

    def _handle(self, number: int, _frame) -> None:
        self._app.closeAllWindows()
        self._app.exit(128 + number)

    def uninstall(self) -> None:
        if self._notifier is None:
            return
        for number in self._handled:
            signal.signal(number, signal.SIG_DFL if number == signal.SIGTERM
                          else signal.default_int_handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        self._notifier = None
        for fd in (self._read, self._write):
            os.close(fd)


def install(app: QApplication) -> TerminalSignals | None:
    """Ctrl+C and SIGTERM quit ``app`` tidily (see the module). Only from the main thread
    of the process (where Python delivers signals); None elsewhere."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    found = app.findChild(TerminalSignals)
    return found if isinstance(found, TerminalSignals) else TerminalSignals(app)
