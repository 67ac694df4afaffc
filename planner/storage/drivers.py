"""peewee without the database servers' drivers at its import.

peewee imports psycopg2 (with libpq, ssl and socket: ~10 ms) and MySQL's drivers when
they are installed, at its own import. A process that only opens a file never uses
them: the window's start and most commands (issue 23). Team databases still work in such
a process: their adapter (postgres.connection.Psycopg2WhenUsed) imports the driver itself when
the first connection is made.

It also imports standard modules that it uses only inside calls this app makes late or
never — ``socket`` (IP address fields), ``uuid`` (UUID fields, the names of nested
savepoints), ``calendar`` (timestamp fields) and ``hashlib`` (long constraint names) —
about 10 ms together with what they import (``platform``, ``selectors``, OpenSSL…); and
``logging``, which peewee imports first, imports ``traceback`` (with ``textwrap``, whose
wrapper class compiles five regular expressions: ~6 M instructions, 3 % of ``planner
log``'s own) only to format an exception being logged. Each gets a stand-in
(:mod:`planner.deferred_imports`), which imports the real module when first used.

peewee also takes ``isclass`` from ``inspect`` (which imports ``ast``, ``dis``,
``tokenize``…: ~33 M instructions, the largest standard import of ``planner log``) for
one line, ``isinstance(obj, type)``; the stand-in for ``inspect`` holds that function
(:data:`PROVIDED`), so peewee imports none of it. ``dataclasses``, the other importer of
``inspect`` in a command, uses it only to write the signature of a dataclass that has
no docstring as its ``__doc__`` (:func:`import_dataclasses`).
"""

from __future__ import annotations

import sys

from planner.deferred_imports import deferring, import_deferring

#: the drivers peewee imports at its import when they are installed
SERVER_DRIVERS = ("psycopg2cffi", "psycopg2", "psycopg", "pymysql", "MySQLdb")
#: standard modules peewee (or ``logging``, which it imports) imports at its import and
#: uses only in later calls
DEFERRED_STDLIB = ("socket", "uuid", "calendar", "hashlib", "traceback", "inspect")


def isclass(obj: object) -> bool:
    """``inspect.isclass``, which is this line (tests/unit/test_drivers.py compares them)."""
    return isinstance(obj, type)


#: what peewee takes by name from a deferred module at its import
PROVIDED = {"inspect": {"isclass": isclass}}


def import_peewee_without_drivers() -> None:
    """Import peewee with the server drivers marked as missing meanwhile (``None`` in
    ``sys.modules`` makes their import fail at once), unmarked right after: ``import
    psycopg2`` works as before. Nothing to do when peewee is already imported."""
    if "peewee" in sys.modules:
        return
    hidden = [name for name in SERVER_DRIVERS if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # "not installed" (PEP 451)
    try:
        with deferring(DEFERRED_STDLIB, PROVIDED):
            import peewee  # noqa: F401
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


def import_dataclasses() -> None:
    """Import ``dataclasses`` with ``inspect`` deferred: it needs ``inspect`` only for a
    dataclass without a docstring (to write its signature as the ``__doc__``), which the
    domain's records, the database's target and an open database all have
    (tests/cli/test_cli_lazy.py: ``planner log`` imports no ``inspect``). Nothing to do
    when something imported it already (click, Qt's signature loader…)."""
    import_deferring("dataclasses", ("inspect",))
