"""Keyring calls (and other short blocking work) off the GUI thread.

A locked keychain can wait on its unlock prompt for as long as it likes, and a
SQLCipher key check costs ~0.2 s: neither may freeze the window.
:func:`run_in_background` runs ``func()`` on ``QThreadPool.globalInstance()``
and calls ``on_done(result)`` or ``on_error(exc)`` **on the GUI thread** (a
queued signal to a relay object that lives there). The function must not touch
widgets or the window's peewee connection.

:func:`install_notice_handler` routes the one-time "secrets cannot be
remembered on this machine" notice of the secret store (planner.services.secret_store;
it may be raised in a worker) to a non-modal message box on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

_alive: set[QObject] = set()  # relays waiting for their worker (kept from the GC)


class _Relay(QObject):
    result = Signal(object, object)  # (value, error): emitted in the worker, delivered here

    def __init__(self, on_done, on_error):
        super().__init__()
        self._on_done, self._on_error = on_done, on_error
        self.result.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(object, object)
    def _deliver(self, value, error) -> None:
        _alive.discard(self)
        if error is None:
            self._on_done(value)
        elif self._on_error is not None:
            self._on_error(error)
        else:
            log.error("background work failed: %s", error)


class _Task(QRunnable):
    def __init__(self, func: Callable[[], object], relay: _Relay):
        super().__init__()
        self.setAutoDelete(True)
        self._func, self._relay = func, relay

    def run(self) -> None:  # in a pool thread
        try:
            value = self._func()
        except Exception as exc:
            from planner.domain.errors import PlannerError

            if not isinstance(exc, PlannerError):
                log.exception("background work failed")
            self._relay.result.emit(None, exc)
        else:
            self._relay.result.emit(value, None)


T = TypeVar("T")


def run_in_background(
    func: Callable[[], T],
    on_done: Callable[[T], None],
    on_error: Callable[[Exception], None] | None = None,
) -> None:
    """Run ``func()`` in the thread pool; its result or error comes back on the GUI thread.

    Call from the GUI thread (the relay must live there).
    """
    relay = _Relay(on_done, on_error)
    _alive.add(relay)
    QThreadPool.globalInstance().start(_Task(func, relay))


class _NoticeRelay(QObject):
    posted = Signal(str)

    def __init__(self, parent_getter):
        super().__init__()
        self._parent_getter = parent_getter
        self.box = None
        self.posted.connect(self._show, Qt.ConnectionType.QueuedConnection)

    @Slot(str)
    def _show(self, message: str) -> None:
        from PySide6.QtWidgets import QApplication, QMessageBox

        parent = self._parent_getter() if self._parent_getter else QApplication.activeWindow()
        self.box = QMessageBox(
            QMessageBox.Icon.Information,
            "Secrets cannot be remembered",
            message,
            QMessageBox.StandardButton.Ok,
            parent,
        )
        self.box.setObjectName("secretStoreNotice")
        self.box.setAccessibleName("Secrets cannot be remembered on this machine")
        self.box.open()


_notice_relay: _NoticeRelay | None = None


def install_notice_handler(parent_getter: Callable[[], object] | None = None) -> _NoticeRelay:
    """Show the secret-store notice (given at most once per process) in the window."""
    from planner.services import secret_store

    global _notice_relay
    if _notice_relay is None:
        _notice_relay = _NoticeRelay(parent_getter)
    elif parent_getter is not None:
        _notice_relay._parent_getter = parent_getter
    secret_store.set_notice_handler(_notice_relay.posted.emit)
    return _notice_relay
