"""Reading a value the app stored, which someone else may have written.

A team database's shared rows (people, touchpoints, the advocacy ledger) are also
written by teammates' clients of other versions or by hand, and a file by any program:
a stored kind, stage or type this version does not know must not stop the window or a
command from showing everything else. It reads as a harmless default, and the log says
so once per kind of value. (What a user types goes through the strict ``parse_*``
functions instead, which refuse with a message.)
"""

from __future__ import annotations

import logging
from enum import Enum
from typing import TypeVar

log = logging.getLogger(__name__)

E = TypeVar("E", bound=Enum)

_warned: set[str] = set()


def warn_once(what: str, value: object, reads_as: str) -> None:
    """Log once per ``what`` that a stored value was not usable, and what it reads as."""
    if what in _warned:
        return
    _warned.add(what)
    log.warning("a stored %s is not valid (%r); read as %s (further ones are not logged)",
                what, str(value)[:40], reads_as)


def member(kind: type[E], value: object, default: E, what: str) -> E:
    """``kind(value)``, or ``default`` when the stored ``value`` is none of its members."""
    try:
        return kind(value)
    except ValueError:
        warn_once(what, value, repr(default.value))
        return default
