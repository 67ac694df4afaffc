"""peewee without the database servers' drivers at its import.

peewee imports psycopg2 (with libpq, ssl and socket: ~10 ms) and MySQL's drivers when
they are installed, at its own import. A process that only opens a file never uses
them: the window's start and most commands (issue 23). Team databases still work in such
a process: their adapter (postgres.connection.Psycopg2WhenUsed) imports the driver itself when
the first connection is made.

It also imports three standard modules that it uses only inside calls this app makes
late or never — ``socket`` (IP address fields), ``uuid`` (UUID fields, the names of
nested savepoints) and ``calendar`` (timestamp fields) — about 10 ms together with what
they import (``platform``, ``selectors``…). peewee gets a :class:`Deferred` stand-in for
each, which imports the real module the first time peewee uses it.
"""

from __future__ import annotations

import importlib
import sys
import threading
import types

#: the drivers peewee imports at its import when they are installed
SERVER_DRIVERS = ("psycopg2cffi", "psycopg2", "psycopg", "pymysql", "MySQLdb")
#: standard modules peewee imports at its import and uses only in later calls
DEFERRED_STDLIB = ("socket", "uuid", "calendar")

_loading = threading.RLock()


class Deferred(types.ModuleType):
    """A standard module that is imported when first used: the first attribute asked of
    it (from any thread; one at a time) imports the real module, whose names it then
    holds, so later uses cost nothing more. Only peewee's namespace holds one: every
    other ``import socket`` gets the real module, as always."""

    def __getattr__(self, attribute: str):
        if attribute.startswith("__"):  # asked by tools that look at every module (Qt's
            raise AttributeError(attribute)  # import hook asks __file__): not a use
        with _loading:
            name = self.__dict__["__name__"]
            real = sys.modules.get(name)
            if real is None or real is self:
                sys.modules.pop(name, None)
                real = importlib.import_module(name)
            self.__dict__.update(real.__dict__)  # (one step: no thread sees it half-made)
        return getattr(real, attribute)


def import_peewee_without_drivers() -> None:
    """Import peewee with the server drivers marked as missing meanwhile (``None`` in
    ``sys.modules`` makes their import fail at once), unmarked right after: ``import
    psycopg2`` works as before. Nothing to do when peewee is already imported."""
    if "peewee" in sys.modules:
        return
    hidden = [name for name in SERVER_DRIVERS if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # "not installed" (PEP 451)
    deferred = {name: Deferred(name) for name in DEFERRED_STDLIB if name not in sys.modules}
    sys.modules.update(deferred)
    try:
        import peewee  # noqa: F401
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
        for name, stand_in in deferred.items():  # the real module for everyone else
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
