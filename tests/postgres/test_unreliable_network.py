"""The window on a team database when the network or the server misbehaves, on a private
server of its own (restarted, stopped, reached through a link that goes silent): it
never freezes (the GUI thread's event loop is timed), says what happened, loses nothing
it said was saved, and comes back by itself."""

from __future__ import annotations

import threading

import psycopg2
import pytest

from planner.domain.rings import Ring
from tests.gui.helpers import open_window
from tests.helpers.cli import run_cli
from tests.helpers.event_loop import LoopLatency
from tests.helpers.private_postgres import german_cluster
from tests.helpers.silent_link import SilentLink

WAIT = 15_000  # ms; a ceiling only (reconnecting backs off 1, 2, 4 … s)
#: the longest GUI-thread stall allowed while probing a silent server (TeamSync.PROBE_S
#: is 1 s) and while a change waits for one (SILENCE_S, 2 s), with room for a slow machine
PROBE_STALL_MS, ACTION_STALL_MS = 1_600, 2_600


@pytest.fixture(scope="module")
def server():
    from planner.storage.postgres import connection, users
    from planner.storage.postgres.opening import open_postgres
    from planner.storage.target import resolve_target

    with german_cluster() as cluster:
        cluster.sql("CREATE DATABASE team")
        admin = cluster.url(dbname="team")
        open_postgres(resolve_target(admin), init=True).close()
        db = connection.connect(admin)
        try:
            for user in ("alice", "bob"):
                users.add_user(db, user, f"{user}-pw")
        finally:
            db.close()
        yield cluster


def url(server, user: str, port: int | None = None) -> str:
    return f"postgresql://{user}:{user}-pw@127.0.0.1:{port or server.port}/team"


def raw(server, user: str):
    return psycopg2.connect(url(server, user))


@pytest.fixture
def window_on(server, qtbot):
    opened = []

    def open_(port: int | None = None):
        window = open_window(qtbot, url(server, "alice", port), watch=True)
        opened.append(window)
        return window

    yield open_
    for window in opened:
        window.document.session.stop_watching()


def names(window) -> set[str]:
    return {c.name for c in window.document.contacts()}


def add_person(window, name: str) -> int:
    assert window.document.editing.add_contact(name, Ring.OUTER, {})
    return next(c.id for c in window.document.contacts() if c.name == name)


def speak_again_after(link: SilentLink, seconds: float) -> None:
    """A watchdog: a window that froze in a wait on the silent link is freed (and its
    test fails on the stall it measured) instead of hanging the run."""
    timer = threading.Timer(seconds, lambda: setattr(link, "silent", False))
    timer.daemon = True
    timer.start()


def test_a_link_that_goes_silent_never_freezes_the_idle_window(server, window_on, qtbot):
    link = SilentLink(server.port)
    try:
        window = window_on(link.port)
        team = window.document.session.team
        assert team.listening
        latency = LoopLatency()
        link.silent = True
        speak_again_after(link, 12)
        team.heartbeat()  # what the idle window does every 10 s
        qtbot.waitUntil(lambda: window.document.read_only, timeout=WAIT)
        assert "lost" in window.connection_banner.text()
        qtbot.wait(3000)  # reconnection attempts meanwhile, each on a silent link
        assert latency.worst() < PROBE_STALL_MS
        link.silent = False
        qtbot.waitUntil(lambda: not window.document.read_only and team.listening, timeout=WAIT)
        assert "Reconnected" in window.connection_banner.text()
        assert latency.worst() < PROBE_STALL_MS
        latency.stop()
    finally:
        link.close()


def test_a_change_on_a_silent_link_says_not_saved_and_writes_nothing(server, window_on, qtbot):
    link = SilentLink(server.port)
    try:
        window = window_on(link.port)
        document = window.document
        grace = add_person(window, "Grace Silent")
        steps = document.undo_stack.count()
        messages: list[str] = []
        document.message.connect(messages.append)
        latency = LoopLatency()
        link.silent = True
        speak_again_after(link, 12)
        assert not document.editing.log_touchpoint(grace, "call", note="never sent")
        assert latency.worst() < ACTION_STALL_MS
        assert any("was not saved" in m for m in messages)
        assert document.undo_stack.count() == steps and document.read_only
        link.silent = False
        qtbot.waitUntil(lambda: not document.read_only, timeout=WAIT)
        with raw(server, "alice") as conn, conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM touchpoint WHERE note = 'never sent'")
            assert cur.fetchone()[0] == 0
    finally:
        link.close()


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_a_restarted_server_is_noticed_and_what_changed_meanwhile_shows(
        server, window_on, qtbot, mode):
    window = window_on()
    team = window.document.session.team
    server.stop(mode)
    qtbot.waitUntil(lambda: window.document.read_only, timeout=WAIT)  # the listener's socket
    assert "lost" in window.connection_banner.text()
    assert not window.document.editing.add_contact("Nobody", Ring.OUTER, {})
    server.start()
    added = run_cli("--db", url(server, "bob"), "contacts", "add", f"Grace {mode}")
    assert added.returncode == 0, added.stderr
    qtbot.waitUntil(lambda: not window.document.read_only and team.listening, timeout=WAIT)
    qtbot.waitUntil(lambda: f"Grace {mode}" in names(window), timeout=WAIT)
    assert "Reconnected" in window.connection_banner.text()
    # live again: a teammate's next change arrives by notice
    added = run_cli("--db", url(server, "bob"), "contacts", "add", f"Katherine {mode}")
    assert added.returncode == 0, added.stderr
    qtbot.waitUntil(lambda: f"Katherine {mode}" in names(window), timeout=WAIT)


def test_a_teammates_row_lock_makes_the_window_say_busy_without_freezing(
        server, window_on, qtbot):
    window = window_on()
    document = window.document
    ada = add_person(window, "Ada Locked")
    messages: list[str] = []
    document.message.connect(messages.append)
    bob = raw(server, "bob")
    try:
        with bob.cursor() as cur:  # held in bob's open transaction
            cur.execute("SELECT id FROM contact WHERE id = %s FOR UPDATE", (ada,))
        latency = LoopLatency()
        assert not document.editing.edit_contact(ada, {"name": "Ada Renamed"})
        assert latency.worst() < PROBE_STALL_MS
        latency.stop()
        assert any("busy" in m for m in messages), messages
        assert not document.read_only  # busy is not offline
    finally:
        bob.rollback()
        bob.close()
    assert document.editing.edit_contact(ada, {"name": "Ada Renamed"})
    with raw(server, "alice") as conn, conn.cursor() as cur:
        cur.execute("SELECT name FROM contact WHERE id = %s", (ada,))
        assert cur.fetchone()[0] == "Ada Renamed"


@pytest.mark.parametrize("change", ["PASSWORD 'changed-pw'", "NOLOGIN"])
def test_a_changed_password_or_revoked_login_is_said_not_retried_in_silence(
        server, window_on, qtbot, change):
    window = window_on()
    document = window.document
    try:
        server.sql(f"ALTER ROLE alice {change}")
        server.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                   "WHERE usename = 'alice'")
        qtbot.waitUntil(lambda: document.read_only, timeout=WAIT)
        # the reconnection attempt hears the refusal and says what to do about it
        qtbot.waitUntil(lambda: "refused to sign you in" in window.connection_banner.text(),
                        timeout=WAIT)
        assert "Open Team Database" in window.connection_banner.text()
    finally:
        server.sql("ALTER ROLE alice LOGIN PASSWORD 'alice-pw'")
    qtbot.waitUntil(lambda: not document.read_only, timeout=WAIT)
    assert "Reconnected" in window.connection_banner.text()
