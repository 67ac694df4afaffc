"""A worker thread's own connection to the open database, and which database is open.

The window's background work (an import, a backup, the people search index, the
pictures of avatars) runs on threads of its own; each says when its work on the open
database ends (:func:`worker_connection`, planner.storage.threads) so that its
connection is closed, and a cache says which database it was read from
(:func:`database_identity`)."""

from __future__ import annotations

from planner.storage.threads import open_database_identity as database_identity
from planner.storage.threads import worker_connection

__all__ = ["database_identity", "worker_connection"]
