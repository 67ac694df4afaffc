"""The backend a test hands the services (they take it as their first argument) when it
has no ``OpenDatabase`` of its own at hand: the one of the database the models are bound
to now — the test's fixture, the window it opened, the command it ran in this process."""

from __future__ import annotations

from planner.storage.backend import Backend, backend_for
from planner.storage.models import db_proxy


def bound() -> Backend:
    """The backend of the database the models are bound to now (a test fails without one)."""
    db = db_proxy.obj
    assert db is not None, "no database is open: the test opens one first"
    return backend_for(db)
