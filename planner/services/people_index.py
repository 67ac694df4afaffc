"""The people list's search as you type: an index of what the list searches, built off
the GUI thread from a worker's own connection (planner.storage.people_search)."""

from __future__ import annotations

from planner.storage import people_search
from planner.storage.people_search import Hits, PeopleIndex
from planner.storage.threads import worker_connection


def build_off_thread() -> PeopleIndex:
    """Read the people's search lines through this (worker) thread's own connection,
    closed before the index is built: the index needs the file no more."""
    with worker_connection():
        rows = people_search.read()
    return PeopleIndex(rows)


__all__ = ["Hits", "PeopleIndex", "build_off_thread"]
