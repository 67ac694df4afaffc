"""Keeping a window on a team database in step with the team and with the server.

- **Live updates.** A second connection LISTENs (``storage.postgres.live``);
  its socket is watched by a QSocketNotifier, so nothing blocks and no thread
  is needed. Announced changes are gathered for a moment and applied as one
  refresh: only the people concerned when that is enough, everything when
  not. Changes made through this window's own connection are skipped (its
  commands refreshed the views already); others' changes to their own rings
  are invisible (row-level security) and ignored. A notice is only a claim
  (anyone may NOTIFY): one whose writer the change log does not show is
  ignored, and full reloads come at most every RELOAD_GAP_S seconds.
- **Polling fallback.** Without a listening connection (a pooler that cannot
  LISTEN, a listener that died) the change log is polled every few seconds.
- **Undo.** Teammates' changes keep this window's undo history (the commands
  check versions and expected rings, so an undo never silently overwrites
  them); a change by the same user from another window or device clears it,
  as on a file.
- **A lost connection** makes the document read-only (what is on screen
  stays), says so, and reconnects with backoff (1, 2, 4 … 30 s); back online,
  everything is re-read. A heartbeat notices a dead server while idle.
- **Never frozen by the network.** The GUI thread waits at most SILENCE_S for the
  server to answer (a link that drops packets silently used to freeze it for good), at
  most PROBE_S for a heartbeat or a reconnection attempt, and at most LOCK_WAIT_S for a
  teammate's row or table lock (then "busy"; commands wait 10 s).
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from planner.storage.postgres import live, waiting
from planner.storage.postgres.connection import limit_waits

log = logging.getLogger(__name__)

#: tables everyone's window shows (a teammate's change matters); the others are per user
SHARED_TABLES = {"contact", "touchpoint", "note", "stage_change", "ask", "give", "win",
                 "setting"}
#: more people than this in one batch: re-read everything instead
MANY = 200


class TeamSync(QObject):
    #: (online, one line for the banner / status bar)
    connection_changed = Signal(bool, str)
    #: "live" (listening), "polling" (no LISTEN), "offline" (reconnecting)
    mode_changed = Signal(str)

    GATHER_MS = 150
    POLL_MS = 3000
    HEARTBEAT_MS = 10_000
    MAX_BACKOFF_S = 30
    RELOAD_GAP_S = 2
    #: how long a writer of a new change-log row is believed by its notices (they follow
    #: their rows by milliseconds; a replay of an old writer comes later, and is ignored)
    FRESH_S = 60
    #: the longest the GUI thread waits for the server to say anything, for a heartbeat or
    #: a reconnection, and for a lock (shorter than the first: a lock ends as "busy")
    SILENCE_S = 2.0
    PROBE_S = 1.0
    LOCK_WAIT_S = 1.0

    def __init__(self, session):
        super().__init__(session)
        self.session = session  # planner.document.session.DatabaseSession
        self.document = session.document
        self.offline_reason: str | None = None
        self._listener = live.ChangeListener.like(self.db)
        self._notifier: QSocketNotifier | None = None
        self._pending: list[live.Change] = []
        self._clock = (0, 0)
        #: (role, pid) → when this window first saw a new change-log row of theirs
        self._fresh: dict[tuple[str, int], float] = {}
        self._backoff = 1
        self._running = False
        self._gather = self._timer(self.GATHER_MS, self.apply_pending, single=True)
        self._poll = self._timer(self.POLL_MS, self.poll)
        self._heartbeat = self._timer(self.HEARTBEAT_MS, self.heartbeat)
        self._retry = self._timer(1000, self.reconnect, single=True)
        self._relisten = self._timer(1000, self._listen, single=True)
        self._deferred = self._timer(self.RELOAD_GAP_S * 1000, self._guarded_reload, single=True)
        self._last_reload = float("-inf")
        self.reloads = 0  # full re-reads so far (told apart from one person's refresh)

    def _guarded_reload(self) -> None:
        if not self.offline_reason:
            self._guarded(self._reload)

    def _timer(self, ms: int, slot, single: bool = False) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(ms)
        timer.setSingleShot(single)
        timer.timeout.connect(slot)
        return timer

    @property
    def db(self):
        return self.session.database.db

    @property
    def backend(self):
        return self.session.database.backend

    @property
    def me(self) -> str:
        from planner.services.touchpoints import current_user

        return current_user()

    @property
    def listening(self) -> bool:
        return self._listener.alive

    # -- starting and stopping ------------------------------------------------------------
    def start(self) -> None:
        self._running = True
        self._guarded(lambda: limit_waits(self.db, self.SILENCE_S, self.LOCK_WAIT_S))
        self._clock = self._read_clock()
        self._listen()  # and catches up with what came between reading and listening
        self._heartbeat.start()

    def stop(self) -> None:
        self._running = False
        for timer in (self._gather, self._poll, self._heartbeat, self._retry, self._relisten,
                      self._deferred):
            timer.stop()
        self._drop_listener()

    def _listen(self) -> None:
        """Open the listening connection; without it, poll (and try again later)."""
        if not self._running or self.offline_reason:
            return
        try:
            self._listener.open()
        except Exception as exc:  # psycopg2.Error and friends: fall back to polling
            log.info("cannot LISTEN on the team database (%s); polling instead", exc)
            self._poll.start()
            self.mode_changed.emit("polling")
            self._relisten.start(min(self._relisten.interval() * 2, self.MAX_BACKOFF_S * 1000))
            return
        self._relisten.setInterval(1000)
        self._poll.stop()
        self._notifier = QSocketNotifier(self._listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._readable)
        self.mode_changed.emit("live")
        self.poll()  # what was committed while nobody listened

    def _drop_listener(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        self._listener.close()

    # -- live updates -------------------------------------------------------------------------
    def _readable(self, *_args) -> None:
        try:
            self._pending += self._listener.drain()
        except Exception as exc:  # the listening connection died
            log.info("the live-update connection was lost (%s)", exc)
            self._drop_listener()
            if self.heartbeat():  # the main connection is fine: poll until listening again
                self._poll.start()
                self._relisten.start()
                self.mode_changed.emit("polling")
            return
        if self._pending and not self._gather.isActive():
            self._gather.start()

    def sync_now(self) -> None:
        """Apply whatever has been announced (before an undo, so it sees the latest)."""
        if not self._running:  # not watching (a test, a worker's import): nothing to apply
            return
        if self.listening:
            self._readable()
        else:
            self.poll()
        self.apply_pending()

    def catch_up(self) -> bool:
        """The session's watcher interface: apply what was announced now; True if the undo
        history had to go (this user changed something elsewhere)."""
        depth = self.document.undo_stack.count()
        self.sync_now()
        return self.document.undo_stack.count() != depth

    def quietly(self, reread) -> None:
        """This window's own re-read (its own writes come back as notices from its own
        connection, which are skipped): nothing to mark."""
        reread()

    def _own_pid(self) -> int | None:
        return self.backend.session_id()

    def apply_pending(self) -> None:
        self._gather.stop()
        batch, self._pending = self._pending, []
        own = self._own_pid()
        others = [c for c in batch if c.pid != own]
        if not others or self.offline_reason:
            return
        def look() -> None:  # who wrote the log's rows since this window last looked
            clock = live.read_clock(self.db)
            seen = time.monotonic()
            for writer in live.writers_between(self.db, self._clock[1], clock[1]):
                self._fresh[writer] = seen
            self._clock = clock
            for writer, when in list(self._fresh.items()):
                if seen - when > self.FRESH_S:
                    del self._fresh[writer]

        if not self._guarded(look):
            return
        # a notice is believed only for a writer of a log row that appeared lately: a forged
        # one names a writer who did not write, a replayed one (a pair read off the log) a
        # writer whose rows this window already had
        others = [c for c in others if (c.actor, c.pid) in self._fresh]
        me = self.me
        relevant = [c for c in others if c.table in SHARED_TABLES or c.actor == me]
        if any(c.actor == me for c in others):  # this user, elsewhere: as on a file
            self.document.undo_stack.clear()
        if not relevant:
            return
        ids = {c.contact_id for c in relevant}
        # new, edited or removed people are re-read one by one (the views follow a
        # person appearing or going); settings change everyone's status; this user's
        # change elsewhere comes with a notice that names neither table nor person
        # ("private", team schema 10: it may have moved anyone on their rings, noted or
        # snoozed anyone), so everything is read again
        unnamed = {c.table for c in relevant if c.contact_id is None}
        needs_all = (bool(unnamed) or len(ids) > MANY
                     or any(c.table == "setting" for c in relevant))
        self._guarded(lambda: self._refresh(needs_all, sorted(i for i in ids if i is not None),
                                            relevant))

    def _refresh(self, needs_all: bool, ids: list[int], changes: list) -> None:
        d = self.document
        if any(c.table == live.PRIVATE for c in changes):
            # this user, elsewhere: a move of theirs shows at once (87 rows), whatever
            # else their commit did comes with the whole re-read (at most one every
            # RELOAD_GAP_S: a move could wait up to two seconds for it)
            d.refresh_placements()
        if needs_all:
            self._reload()
            return
        tables: dict[int, set[str]] = {cid: set() for cid in ids}
        for c in changes:
            if c.contact_id is not None:
                tables[c.contact_id].add(c.table)
        d.changed_elsewhere(tables)  # only what those tables can change
        d.external_change.emit()

    def _reload(self) -> None:
        """Re-read everything, at most once every RELOAD_GAP_S (a burst of changes, real
        or not, costs one reload now and one at the end of the gap)."""
        wait = self._last_reload + self.RELOAD_GAP_S - time.monotonic()
        if wait > 0:
            if not self._deferred.isActive():
                self._deferred.start(int(wait * 1000) + 1)
            return
        self._last_reload = time.monotonic()
        self.reloads += 1
        self.document.reload()
        self.document.external_change.emit()

    # -- polling ---------------------------------------------------------------------------------
    def _read_clock(self) -> tuple[int, int]:
        try:
            return live.read_clock(self.db)
        except Exception:  # counted as lost by the caller's heartbeat, not here
            return self._clock

    def poll(self) -> None:
        """Without LISTEN: has anyone committed since we last looked?"""
        if self.offline_reason:
            return

        def look() -> None:
            clock = live.read_clock(self.db)
            if clock == self._clock:
                return
            last = self._clock[1]
            self._clock = clock
            own = self._own_pid()
            writers = [(a, p) for a, p in live.changes_since(self.db, last) if p != own]
            if clock[1] == last or writers:  # rows pruned or someone else wrote
                if any(a == self.me for a, _ in writers):
                    self.document.undo_stack.clear()
                self._reload()

        self._guarded(look)

    def _refused(self) -> str | None:
        """What to say when the server answers but refuses this sign-in (the password was
        changed, the role's LOGIN or CONNECT taken away): retrying alone cannot fix that."""
        from planner.storage.failures import Failure
        from planner.storage.postgres.diagnosis import diagnose

        failure, _ = diagnose(self.db.database, self.db.connect_params, timeout=self.PROBE_S)
        if failure in (Failure.AUTH_FAILED, Failure.NO_PASSWORD, Failure.NOT_AUTHORIZED):
            return (f"The team database refused to sign you in ({failure.value}): your "
                    f"password was changed or your access removed — read-only. Open it again "
                    f"with File → Open Team Database…, or ask your admin. Trying again in "
                    f"{self._backoff} s…")
        return None

    # -- the connection ----------------------------------------------------------------------------
    def heartbeat(self) -> bool:
        """Is the server still there? (A cheap query while idle.) Goes offline if not."""
        if self.offline_reason:
            return False
        return self._guarded(self._probe)

    def _probe(self) -> None:
        with waiting.answer_within(self.PROBE_S):
            self.backend.heartbeat()

    def _guarded(self, work) -> bool:
        """Run ``work``; a lost connection (the database maps a dropped or unreachable
        server to ConnectionLost) takes the window offline instead of raising."""
        from planner.domain.errors import ConnectionLost

        try:
            work()
            return True
        except ConnectionLost as exc:
            self.go_offline(str(exc))
            return False

    def go_offline(self, reason: str) -> None:
        if self.offline_reason is not None:
            return
        self.offline_reason = reason
        self._poll.stop()
        self._heartbeat.stop()
        self._gather.stop()
        self._pending = []
        self._drop_listener()
        self._backoff = 1
        self._retry.start(1000)
        self.mode_changed.emit("offline")
        self.connection_changed.emit(
            False, "Connection to the team database lost — what you see is kept, read-only, "
                   "until it is back. Reconnecting…")

    def reconnect(self) -> bool:
        """One attempt; on failure the next one waits twice as long (at most 30 s)."""
        if self.offline_reason is None:
            return True
        try:
            self._probe()
        except Exception as exc:
            log.info("reconnecting to the team database failed: %s", exc)
            self._backoff = min(self._backoff * 2, self.MAX_BACKOFF_S)
            self._retry.start(self._backoff * 1000)
            refused = None if waiting.went_silent(exc) else self._refused()
            self.connection_changed.emit(False, refused or (
                f"Connection to the team database lost — read-only until it is back. "
                f"Trying again in {self._backoff} s…"))
            return False
        self.offline_reason = None
        self._backoff = 1
        self.document.undo_stack.clear()  # what happened meanwhile is unknown
        self._clock = self._read_clock()
        self.document.reload()
        self.document.external_change.emit()
        if self._running:
            self._listen()
            self._heartbeat.start()
        self.connection_changed.emit(True, "Reconnected to the team database")
        return True
