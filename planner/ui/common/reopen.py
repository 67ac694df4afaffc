"""Close the window's database for work that needs the file to itself, then reopen it.

A restore and an encryption change replace the database file under the open window:
polling stops, the window's connection closes, the work runs, and the file is opened
again (with the key it had, or a new one) and shown — the undo history cleared. Both
go through :func:`close_for_work`, so the sequence is written once::

    closed = close_for_work(document)
    ... work on closed.path ...
    closed.reopen()          # PlannerError if the file cannot be opened again
"""

from __future__ import annotations

import functools
import time
from pathlib import Path

_SAME = object()


class ClosedDatabase:
    """The window's database, closed: where it is, its key, and how to show it again."""

    def __init__(self, document):
        from planner.storage.database import database_key

        self.document = document
        _wait_for_daily_backup(document)
        database = document.database
        self.path: Path | None = database.path
        #: an encrypted database's key (None for a plain one): a restore keeps it
        self.key: str | None = database_key(database.db)
        self.watching = document.stop_watching()
        database.close()
        _wait_for_workers(self.path)

    @property
    def keyed(self) -> dict:
        """``key=`` for the services when the database is encrypted, else nothing."""
        return {"key": self.key} if self.key else {}

    def reopen(self, key=_SAME):
        """Open the file again (``key``: default the one it had, None for a plain file),
        show it and watch it as before; the opened database. Raises PlannerError when it
        cannot be opened (the window then still holds the closed one)."""
        from planner.storage.database import open_database

        key = self.key if key is _SAME else key
        reopened = open_database(str(self.path), **({"key": key} if key else {}))
        # closed with the document: the first database is app.py's, these are ours
        self.document.destroyed.connect(functools.partial(_close, reopened))
        self.document.use_database(reopened)
        if self.watching:
            self.document.start_watching()
        return reopened


def close_for_work(document) -> ClosedDatabase:
    """Stop watching and close the window's connection (no worker may hold another)."""
    return ClosedDatabase(document)


def _wait_for_daily_backup(document) -> None:
    """The start's daily backup (planner.app.daily_backup) copies the file on a thread
    with its own connection: the work waits for it rather than find the file in use."""
    job = getattr(document.parent(), "daily_backup_job", None)
    if job is not None and job.is_alive():
        job.join()


def _wait_for_workers(path: Path | None, timeout: float = 30.0) -> None:
    """Workers read the file on their own threads with their own connections, each closed
    when its work ends (the people list's search index, built afresh after a reopen; the
    daily backup): the work waits until none is left rather than find the file in use.
    After ``timeout`` the work goes on and refuses with one sentence if one still is."""
    if path is None:  # a team database: no file to have to oneself
        return
    from planner.storage.sqlite import live_files

    deadline = time.monotonic() + timeout
    while live_files.is_live(path) and time.monotonic() < deadline:
        time.sleep(0.01)


def _close(database, *_args) -> None:
    database.close()
