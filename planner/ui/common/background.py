"""Long work off the GUI thread: one :class:`BackgroundJob` per import, export or restore check.

The job runs ``work(progress, should_cancel)`` in its own ``QThread`` inside
``worker_connection()`` (peewee connections are per thread, so the worker
opens its own and closes it again). It reports back only through
signals connected with ``Qt.QueuedConnection``: their slots run on the GUI
thread, the only thread that touches widgets.

``done(status, payload)`` is emitted exactly once, last:

* ``"ok"`` with whatever ``work`` returned,
* ``"cancelled"`` when ``should_cancel()`` made the work raise ``Cancelled``,
* ``"error"`` with a message a person can act on (a ``PlannerError``), or a short
  message naming the log file for anything unexpected (logged with its traceback).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal

from planner.domain.errors import PlannerError
from planner.importers import Cancelled
from planner.services.connections import worker_connection

log = logging.getLogger(__name__)

Work = Callable[[Callable[[int, int], object], Callable[[], bool]], object]
OK, CANCELLED, ERROR = "ok", "cancelled", "error"


class BackgroundJob(QThread):
    #: (done, total) from the worker; delivered queued, on the GUI thread
    progressed = Signal(int, int)
    #: (status, payload): "ok"/result, "cancelled"/None, "error"/message
    done = Signal(str, object)

    def __init__(self, work: Work, parent: QObject | None = None, *, name: str = "job"):
        super().__init__(parent)
        self.setObjectName(name)
        self._work = work
        self._cancel = threading.Event()
        self.status: str | None = None
        self.payload: object = None

    def connect_to(self, on_progress, on_done) -> None:
        """Connect both signals queued: the slots always run on the GUI thread."""
        queued = Qt.ConnectionType.QueuedConnection
        if on_progress is not None:
            self.progressed.connect(on_progress, queued)
        self.done.connect(on_done, queued)

    # -- from the GUI thread ---------------------------------------------------------------
    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    # -- in the worker thread ----------------------------------------------------------------
    def _progress(self, done: int, total: int) -> None:
        self.progressed.emit(int(done), int(total))

    def run(self) -> None:
        payload: object
        status, payload = ERROR, "the work did not finish"
        try:
            with worker_connection():
                result = self._work(self._progress, self._cancel.is_set)
            status, payload = OK, result
        except Cancelled:
            status, payload = CANCELLED, None
        except PlannerError as exc:
            status, payload = ERROR, str(exc)
        except Exception as exc:  # never let a worker die silently
            from planner.logs import log_path

            log.exception("%s failed", self.objectName())
            status, payload = ERROR, f"{type(exc).__name__}: {exc} (details in {log_path()})"
        self.status, self.payload = status, payload
        self.done.emit(status, payload)
