"""A worker thread's own connection to the open database, and which database is open.

peewee keeps one connection per thread: a thread that reads or writes (an import, the
daily backup, the people search index) opens its own on first use and must close it when
done, also when its work failed, or the file stays open (and its locks held) until the
process ends. Code above storage says so with :func:`worker_connection`, without
touching peewee's process-wide proxy itself (issue 22).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from planner.storage.models import db_proxy

log = logging.getLogger(__name__)


@contextmanager
def worker_connection() -> Iterator[None]:
    """Around a worker thread's work on the open database: this thread's connection to
    the database open when the work began is closed at the end, whatever happened (other
    threads keep theirs) — also when the window has switched to another database
    meanwhile (closing that one's would leave this thread's file open, its locks held,
    until the process ends). A database closed meanwhile is left as it is."""
    database = db_proxy.obj
    try:
        yield
    finally:
        try:
            if database is not None and not database.is_closed():
                database.close()  # this thread's connection only
        except Exception:  # the database itself was closed with its window meanwhile
            log.debug("a worker's connection was already gone", exc_info=True)


def open_database_identity() -> object:
    """What tells the open database from another (a cache read from one is not the
    other's: the pictures of avatars)."""
    return db_proxy.obj
