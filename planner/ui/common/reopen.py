"""Close the window's database for work that needs the file to itself, then reopen it.

A restore and an encryption change replace the database file under the open window:
the start's daily backup is waited for, then the document's session stops watching,
closes its connection and waits for workers (:meth:`DatabaseSession.close_for_work
<planner.document.session.DatabaseSession.close_for_work>`); the work runs; the file is
opened again (with the key it had, or a new one) and shown — the undo history cleared::

    closed = close_for_work(document)
    ... work on closed.path ...
    closed.reopen()          # PlannerError if the file cannot be opened again
"""

from __future__ import annotations


def close_for_work(document):
    """The window's database, closed (a :class:`planner.document.session.ClosedDatabase`)."""
    _wait_for_daily_backup(document)
    return document.session.close_for_work()


def _wait_for_daily_backup(document) -> None:
    """The start's daily backup (planner.app.daily_backup) copies the file on a thread
    with its own connection: the work waits for it rather than find the file in use."""
    job = getattr(document.parent(), "daily_backup_job", None)
    if job is not None and job.is_alive():
        job.join()
