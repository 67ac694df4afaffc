"""How long a thread waits for a team database's server.

libpq waits as long as the network lets it: behind a link that silently drops packets (a
VPN gone, a laptop's Wi-Fi asleep, a firewall's state lost) a query never ends, and the
window's heartbeat froze its GUI thread for good. Every wait of psycopg2 runs through
``_wait`` (its wait callback, installed with the first team connection): a thread that
set a limit (``limit_this_thread``: the window's GUI thread) stops waiting once the
server has said nothing for that long; the connection is then closed and the statement
fails as a lost connection, which the window answers by going offline and reconnecting.
A thread without a limit (the command line, workers) waits as before: for ``connect_timeout``
while connecting, then as long as it takes (TCP keepalives end a dead link eventually).

The same thread may wait less for a row lock (``lock_wait``): the window's own
``lock_timeout`` (applied to each new connection in ``connection``) is shorter than the
server's silence it accepts, so a teammate's lock ends as "busy", not as "lost".
"""

from __future__ import annotations

import re
import select
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_here = threading.local()
_installed = False
#: libpq's own default when a URL says no connect_timeout (``connection.make_database`` sets 10)
CONNECT_DEFAULT_S = 10.0
#: set on the error of a wait given up on (the server said nothing for too long)
SILENT = "planner_silent"


def install() -> None:
    """Route psycopg2's waits through ``_wait`` (once per process)."""
    global _installed
    if _installed:
        return
    import psycopg2.extensions as ext

    ext.set_wait_callback(_wait)
    _installed = True


def limit_this_thread(silence_s: float | None, lock_wait_s: float | None = None) -> None:
    """From now on this thread waits at most ``silence_s`` for the server to answer, and
    at most ``lock_wait_s`` for a lock (None: no limit of its own)."""
    _here.silence = silence_s
    _here.lock_wait = lock_wait_s


def silence_limit() -> float | None:
    return getattr(_here, "silence", None)


def lock_wait() -> float | None:
    """This thread's lock wait in seconds, or None for every connection's default."""
    return getattr(_here, "lock_wait", None)


@contextmanager
def answer_within(seconds: float) -> Iterator[None]:
    """For the block, the server must answer within ``seconds`` (a heartbeat's probe)."""
    before = silence_limit()
    _here.silence = seconds if before is None else min(before, seconds)
    try:
        yield
    finally:
        _here.silence = before


def _connect_timeout(conn) -> float:
    match = re.search(r"connect_timeout=(\d+)", getattr(conn, "dsn", "") or "")
    return float(match.group(1)) if match and int(match.group(1)) > 0 else CONNECT_DEFAULT_S


def _wait(conn) -> None:
    """psycopg2's wait callback: poll the connection, waiting on its socket."""
    import psycopg2
    import psycopg2.extensions as ext

    limit = silence_limit()
    if conn.status == ext.STATUS_SETUP:  # connecting: libpq's connect_timeout no longer
        default = _connect_timeout(conn)  # applies in this (asynchronous) mode; say it here
        limit = default if limit is None else min(limit, default)
    while True:
        state = conn.poll()
        if state == ext.POLL_OK:
            return
        fd = conn.fileno()
        if state == ext.POLL_READ:
            readable, writable, _ = select.select([fd], [], [], limit)
        elif state == ext.POLL_WRITE:
            readable, writable, _ = select.select([], [fd], [], limit)
        else:  # pragma: no cover - psycopg2 knows no other state
            raise psycopg2.OperationalError(f"unexpected poll state {state}")
        if not readable and not writable:
            # psycopg2 closes the connection when the callback raises: nothing half-sent
            # stays in it, and the server rolls back whatever transaction it had open
            silent = psycopg2.OperationalError(
                f"the team database did not answer for {limit:g} s")
            setattr(silent, SILENT, True)
            raise silent


def went_silent(exc: BaseException) -> bool:
    """Whether ``exc`` is (or was caused by) a wait this module gave up on."""
    seen: BaseException | None = exc
    for _ in range(10):  # the chain of a few wrappers (peewee's, ours)
        if seen is None:
            return False
        if getattr(seen, SILENT, False):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
