"""The database a window shows, over its life: opened, watched for other programs'
changes, closed for work that needs the file to itself and reopened, or swapped.

:class:`PlannerDocument` holds what the views show and the undo history; this holds the
connection's lifecycle (issue 22), behind one watcher interface for both engines:

- a file (SQLite, SQLCipher): :class:`FileWatcher` polls ``PRAGMA data_version``, which
  moves only when another connection commits;
- a team database (PostgreSQL): :class:`planner.document.team_sync.TeamSync` listens
  (LISTEN/NOTIFY, polling as a fallback) and keeps the connection's state (offline,
  reconnecting).

Both answer :meth:`Watcher.start`, :meth:`~Watcher.stop`, :meth:`~Watcher.catch_up`
(apply what others changed now; True when the undo history had to go) and
:meth:`~Watcher.quietly` (run this window's own re-read without reporting it as another
program's change).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QTimer

from planner.storage.database import OpenDatabase

log = logging.getLogger(__name__)

_SAME = object()


class Watcher(Protocol):
    """What a session asks of whatever watches its database for others' changes."""

    #: why the database cannot be reached now (None: it can)
    offline_reason: str | None

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def catch_up(self) -> bool: ...

    def quietly(self, reread: Callable[[], None]) -> None: ...


class FileWatcher(QObject):
    """A database file: another connection's commit moves SQLite's ``data_version``
    (checked twice a second, and before every undo or redo).

    Twice, not once: a command-line write showed in the window up to 1 s + the reload
    later, and on a busy two-core machine a few went over 2 s (the torture test's bound).
    A look is one ``PRAGMA data_version`` (microseconds) on the GUI thread."""

    INTERVAL_MS = 500
    #: this window's writes stopped this long ago: its write-ahead log goes into the file
    STILL_S = 1.0
    offline_reason: str | None = None  # a file does not go offline

    def __init__(self, session: DatabaseSession):
        super().__init__(session)
        self.session = session
        self._version = self._read()
        self._changes: int | None = None  # this window's connection's count of changes
        self._changed_at = 0.0  # (time.monotonic) when that count last moved
        self._tidied: int | None = None  # the count at the last checkpoint
        self._timer = QTimer(self)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self._look)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _read(self) -> int:
        try:
            version = self.session.database.backend.data_version()
            return 0 if version is None else version
        except Exception:  # pragma: no cover - a closed or broken connection
            log.exception("cannot read data_version")
            return -1

    def _look(self) -> None:
        self.catch_up()
        self._tidy()

    def _tidy(self) -> None:
        """Checkpoint the log once this window has written and then been still for
        ``STILL_S`` (read-only windows write nothing)."""
        if self.session.read_only:
            return
        backend = self.session.database.backend
        try:
            changes = backend.own_changes()
            now = time.monotonic()
            if changes != self._changes:
                if self._changes is None:  # the first look: what opening wrote is old
                    self._tidied = changes
                self._changes, self._changed_at = changes, now
                return
            if changes is None or changes == self._tidied or now - self._changed_at \
                    < self.STILL_S:
                return
            self._tidied = changes
            backend.checkpoint()
        except Exception:  # pragma: no cover - a closed or broken connection: the next
            log.info("no checkpoint now", exc_info=True)  # commit checkpoints as before

    def quietly(self, reread: Callable[[], None]) -> None:
        """Run ``reread`` (this window's own change, e.g. after an import); commits made so
        far are taken as seen. The version is read first: a commit of another program
        during the re-read is still noticed at the next check."""
        version = self._read()
        reread()
        self._version = version

    def catch_up(self) -> bool:
        """Re-read everything when another program committed since the last look (the undo
        history goes: its steps may no longer apply). True if it had."""
        version = self._read()
        if version == self._version:
            return False
        self._version = version
        document = self.session.document
        had_steps = document.undo_stack.count() > 0
        document.undo_stack.clear()
        try:
            document.reload()
        except Exception as exc:  # the file was replaced by one that is no database (or a
            # key it was not made with): say so once and stop polling, never a traceback
            log.warning("cannot read the database again after another program's change",
                        exc_info=True)
            self.session.stop_watching()
            document.message.emit("The database was changed by another program and cannot "
                                  f"be read any more ({exc}); reopen it from File → Open")
            return True
        document.external_change.emit()
        # (said, not silent: a review found an import's Undo gone with no word of why)
        document.note.emit("Updated with changes made by another program"
                           + ("; what you did before it can no longer be undone"
                              if had_steps else ""))
        return True


class DatabaseSession(QObject):
    """One window's open database: which it is, whether it may be written, who watches it,
    and closing it for work and opening it again. A child of its document."""

    def __init__(self, database: OpenDatabase, document):
        super().__init__(document)
        self.document = document
        self.database = database
        self.team = None  # a team database's watcher (TeamSync), also its connection state
        self.watcher: Watcher
        if database.target.kind == "postgresql":
            from planner.document.team_sync import TeamSync

            self.team = self.watcher = TeamSync(self)
        else:
            self.watcher = FileWatcher(self)
        self._watching = False

    # -- what may be done ----------------------------------------------------------------
    @property
    def offline(self) -> bool:
        """A team database whose connection is lost (reconnecting)."""
        return self.watcher.offline_reason is not None

    @property
    def read_only(self) -> bool:
        """Opened for reading only (another window has it), or offline."""
        return bool(getattr(self.database, "read_only", False)) or self.offline

    def refusal(self) -> str:
        """Why a change was refused (while read_only), in one sentence."""
        if self.offline:
            return "Not connected to the team database: nothing was changed. Reconnecting…"
        return ("This window is read-only: the database is open in another window. Make "
                "the change there, or close it and reopen this.")

    # -- watching for other programs' changes ----------------------------------------------
    @property
    def watching(self) -> bool:
        return self._watching

    def start_watching(self) -> None:
        self._watching = True
        self.document.clock.start()
        self.watcher.start()

    def stop_watching(self) -> bool:
        """Stop watching (while this window writes from a worker, or restores); True if it
        was watching."""
        was = self._watching
        self._watching = False
        self.document.clock.stop()
        self.watcher.stop()
        return was

    def catch_up(self) -> bool:
        """Apply what other programs changed, now (before an undo, so it sees the latest);
        True if the undo history had to go."""
        return self.watcher.catch_up()

    def went_offline(self, reason: str) -> None:
        """A read or write found the team database gone: read-only until it is back."""
        if self.team is not None:
            self.team.go_offline(reason)

    # -- swapping the database ---------------------------------------------------------------
    def use(self, database: OpenDatabase) -> None:
        """Show a reopened database (after a restore or a key change): history cleared,
        everything re-read."""
        self.database = database
        self.document.undo_stack.clear()
        self.document.refresh_all()

    def close_for_work(self) -> ClosedDatabase:
        """Stop watching and close the connection, for work that needs the file to itself
        (a restore, an encryption change); :meth:`ClosedDatabase.reopen` shows it again."""
        return ClosedDatabase(self)


class ClosedDatabase:
    """A session's database, closed: where it is, its key, and how to show it again::

        closed = session.close_for_work()
        ... work on closed.path ...
        closed.reopen()          # PlannerError if the file cannot be opened again
    """

    def __init__(self, session: DatabaseSession):
        self.session = session
        database = session.database
        self.path: Path | None = database.path
        #: an encrypted database's key (None for a plain one): a restore keeps it
        self.key: str | None = database.backend.key
        self.watching = session.stop_watching()
        database.close()
        _wait_for_workers(self.path)

    @property
    def keyed(self) -> dict:
        """``key=`` for the services when the database is encrypted, else nothing."""
        return {"key": self.key} if self.key else {}

    def reopen(self, key=_SAME) -> OpenDatabase:
        """Open the file again (``key``: default the one it had, None for a plain file),
        show it and watch it as before; the opened database. Raises PlannerError when it
        cannot be opened (the session then still holds the closed one)."""
        from planner.storage.database import open_database

        key = self.key if key is _SAME else key
        reopened = open_database(str(self.path), **({"key": key} if key else {}))
        # closed with the document: the first database is app.py's, these are ours
        self.session.document.destroyed.connect(functools.partial(_close, reopened))
        self.session.use(reopened)
        if self.watching:
            self.session.start_watching()
        return reopened


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
