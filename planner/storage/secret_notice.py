"""The once-per-process notice that secrets cannot be remembered on this machine, and who
tells it (the command line prints one line, the window shows a message).

Apart from :mod:`planner.storage.secrets`, so that a command installs its handler without
importing the secret store itself (a command on a plain file never needs it)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger("planner.storage.secrets")

_lock = threading.Lock()
_notice_given = False
_notice_handler: Callable[[str], None] | None = None


def set_notice_handler(handler: Callable[[str], None] | None) -> Callable[[str], None] | None:
    """Who tells the user that secrets cannot be remembered; returns the previous one.

    Called at most once per process, possibly from a worker thread (the GUI's
    handler must hop to the GUI thread itself). Without a handler the notice is
    logged as a warning.
    """
    global _notice_handler
    previous, _notice_handler = _notice_handler, handler
    return previous


def notice_given() -> bool:
    return _notice_given


def mark_notice_given() -> None:
    """The notice was shown another way (e.g. inside the passphrase dialog)."""
    global _notice_given
    _notice_given = True


def reset_notice() -> None:
    """Forget that the notice was given (tests; a new session)."""
    global _notice_given
    _notice_given = False


def tell_once(message: str) -> None:
    """Tell the user ``message`` if nothing has been told yet in this process."""
    global _notice_given
    with _lock:
        first, _notice_given = not _notice_given, True
    if first:
        handler = _notice_handler
        # with a handler the user is told there; otherwise a warning is the notice
        log.log(logging.INFO if handler is not None else logging.WARNING, "%s", message)
        if handler is not None:
            try:
                handler(message)
            except Exception:  # the notice must never break the caller
                log.exception("the secret-store notice handler failed")
