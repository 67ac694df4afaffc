"""The window on a team database: teammates' changes appear by themselves (LISTEN/NOTIFY,
polling when that is gone), and a lost connection is said, read-only, and recovered.

The window runs as alice; bob and carol are other planner users working from the
command line at the same time (real subprocesses); "alice's laptop" is alice's CLI.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from planner.domain.rings import Ring
from tests.gui.helpers import open_window
from tests.helpers.cli import run_cli

WAIT = 8000  # ms; changes appear within about a second, this is only a ceiling


@pytest.fixture(scope="module")
def team(pg_initialised):
    return pg_initialised, *pg_initialised.planner_users("alice", "bob", "carol")


@pytest.fixture
def alice_window(team, qtbot):
    from tests.postgres.conftest import empty_tables

    pg, alice, _, _ = team
    empty_tables(pg)
    seeded = run_cli("--db", pg.url(alice), "contacts", "add", "Ada Lovelace", "--ring", "inner")
    assert seeded.returncode == 0, seeded.stderr
    window = open_window(qtbot, pg.url(alice), watch=True)
    yield window
    window.document.session.stop_watching()


def planner(pg, role, *args):
    return [sys.executable, "-m", "planner", "--db", pg.url(role), *args]


def names(window) -> set[str]:
    return {c.name for c in window.document.contacts()}


def test_the_window_listens_and_knows_who_it_is(team, alice_window):
    _, alice, _, _ = team
    team_sync = alice_window.document.session.team
    assert team_sync is not None and team_sync.listening
    assert team_sync.me == alice
    assert not alice_window.document.read_only


def test_two_teammates_at_the_command_line_show_up_in_the_open_window(team, alice_window, qtbot):
    pg, _, bob, carol = team
    procs = [subprocess.Popen(planner(pg, role, "contacts", "add", name, "--ring", "outer"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for role, name in ((bob, "Grace Hopper"), (carol, "Katherine Johnson"))]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    qtbot.waitUntil(lambda: {"Grace Hopper", "Katherine Johnson"} <= names(alice_window),
                    timeout=WAIT)
    document = alice_window.document
    # their rings are their own: in alice's window the new people are unplaced
    grace = next(c for c in document.contacts() if c.name == "Grace Hopper")
    assert grace.ring is None
    # a teammate's touchpoint reaches alice's timeline of everyone
    logged = run_cli("--db", pg.url(bob), "log", "Grace Hopper", "call", "--note",
                     "talked compilers")
    assert logged.returncode == 0, logged.stderr
    model = alice_window.activity.timeline.model()

    def shown() -> bool:
        texts = [model.index(r, 0).data() or "" for r in range(model.rowCount())]
        return any("talked compilers" in t for t in texts)

    qtbot.waitUntil(shown, timeout=WAIT)


def test_my_other_device_moving_someone_moves_them_here_and_clears_undo(
        team, alice_window, qtbot):
    pg, alice, _, _ = team
    document = alice_window.document
    ada = next(c for c in document.contacts() if c.name == "Ada Lovelace")
    assert document.move(ada.id, Ring.MIDDLE)  # something to undo
    assert document.undo_stack.canUndo()
    moved = run_cli("--db", pg.url(alice), "contacts", "move", "Ada Lovelace", "outer")
    assert moved.returncode == 0, moved.stderr
    qtbot.waitUntil(lambda: document.contact(ada.id).ring == Ring.OUTER, timeout=WAIT)
    assert not document.undo_stack.canUndo()  # undoing now would silently revert the laptop


def test_without_the_listening_connection_polling_takes_over(team, alice_window, qtbot):
    pg, _, bob, _ = team
    team_sync = alice_window.document.session.team
    pg.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
           "WHERE application_name = 'mentorship-planner (live updates)' AND datname = %s",
           (pg.name,))
    qtbot.waitUntil(lambda: not team_sync.listening, timeout=WAIT)
    added = run_cli("--db", pg.url(bob), "contacts", "add", "Mary Jackson")
    assert added.returncode == 0, added.stderr
    qtbot.waitUntil(lambda: "Mary Jackson" in names(alice_window), timeout=WAIT)
    qtbot.waitUntil(lambda: team_sync.listening, timeout=WAIT)  # and it listens again


def test_a_killed_connection_is_said_read_only_and_recovered(team, alice_window, qtbot):
    pg, alice, _, _ = team
    document = alice_window.document
    ada = next(c for c in document.contacts() if c.name == "Ada Lovelace")
    before = pg.sql("SELECT ring, position FROM placement WHERE owner = %s", (alice,))
    # every connection of alice's window goes (the main one and the listening one)
    pg.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
           "WHERE usename = %s AND datname = %s", (alice, pg.name))
    messages: list[str] = []
    document.message.connect(messages.append)
    assert not document.move(ada.id, Ring.MIDDLE)  # the action fails cleanly …
    assert any("connection to the team database was lost" in m for m in messages)
    assert pg.sql("SELECT ring, position FROM placement WHERE owner = %s", (alice,)) == before
    # … the window says so, keeps what it shows, refuses changes …
    banner = alice_window.connection_banner
    assert banner.isVisible() and "lost" in banner.text()
    assert document.read_only
    assert document.contact(ada.id).ring == Ring.INNER
    assert not document.move(ada.id, Ring.OUTER)
    assert "Not connected" in messages[-1]
    # … and comes back by itself
    qtbot.waitUntil(lambda: not document.read_only, timeout=WAIT)
    assert "Reconnected" in banner.text()
    assert document.session.team.listening
    assert document.move(ada.id, Ring.MIDDLE)
    assert pg.sql("SELECT ring FROM placement WHERE owner = %s", (alice,)) == [("middle",)]


def test_an_idle_window_notices_the_lost_connection(team, alice_window, qtbot):
    pg, alice, _, _ = team
    document = alice_window.document
    document.session.team._heartbeat.setInterval(200)
    document.session.team._heartbeat.start()
    pg.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
           "WHERE usename = %s AND datname = %s AND application_name = 'mentorship-planner'",
           (alice, pg.name))
    qtbot.waitUntil(lambda: document.read_only, timeout=WAIT)
    qtbot.waitUntil(lambda: not document.read_only, timeout=WAIT)


def test_a_teammates_edit_first_is_a_conflict_not_an_overwrite(team, alice_window, qtbot):
    from planner.document.commands import EditContactCommand

    pg, _, bob, _ = team
    document = alice_window.document
    document.session.stop_watching()  # alice has not seen bob's edit yet when she saves hers
    ada = next(c for c in document.contacts() if c.name == "Ada Lovelace")
    edited = run_cli("--db", pg.url(bob), "contacts", "edit", str(ada.id), "--org",
                     "Analytical Engines Ltd")
    assert edited.returncode == 0, edited.stderr
    messages: list[str] = []
    document.message.connect(messages.append)
    assert not document.push(EditContactCommand(document, ada.id, {"organization": "Babbage"}))
    assert "changed by someone else" in messages[-1]
    # nothing of alice's edit was written; her window now shows bob's
    assert pg.sql("SELECT organization FROM contact WHERE id = %s", (ada.id,)) == [
        ("Analytical Engines Ltd",)]
    assert document.contact(ada.id).organization == "Analytical Engines Ltd"


def test_undo_never_overwrites_a_teammates_later_edit(team, alice_window, qtbot):
    from planner.document.commands import EditContactCommand

    pg, _, bob, _ = team
    document = alice_window.document
    ada = next(c for c in document.contacts() if c.name == "Ada Lovelace")
    assert document.push(EditContactCommand(document, ada.id, {"title": "Countess"}))
    document.session.stop_watching()
    edited = run_cli("--db", pg.url(bob), "contacts", "edit", str(ada.id), "--title",
                     "Mathematician")
    assert edited.returncode == 0, edited.stderr
    messages: list[str] = []
    document.message.connect(messages.append)
    document.undo()
    assert "changed by someone else" in messages[-1]
    assert pg.sql("SELECT title FROM contact WHERE id = %s", (ada.id,)) == [("Mathematician",)]
    assert document.contact(ada.id).title == "Mathematician"


def test_the_status_bar_says_who_you_are_and_how_changes_arrive(team, alice_window, qtbot):
    pg, alice, _, _ = team
    label = alice_window.team_label
    assert label.text() == f"● {alice}" and "live updates" in label.toolTip()
    pg.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
           "WHERE application_name = 'mentorship-planner (live updates)' AND datname = %s",
           (pg.name,))
    qtbot.waitUntil(lambda: label.text().startswith("◐"), timeout=WAIT)
    qtbot.waitUntil(lambda: label.text().startswith("●"), timeout=WAIT)


def test_a_teammate_renaming_or_removing_someone_shows_without_a_full_reload(
        team, alice_window, qtbot):
    pg, _, bob, _ = team
    document = alice_window.document
    resets: list[bool] = []
    document.reset.connect(lambda: resets.append(True))
    grace = run_cli("--db", pg.url(bob), "contacts", "add", "Grace Hopper")
    assert grace.returncode == 0, grace.stderr
    qtbot.waitUntil(lambda: "Grace Hopper" in names(alice_window), timeout=WAIT)
    renamed = run_cli("--db", pg.url(bob), "contacts", "edit", "Grace Hopper", "--name",
                      "Rear Admiral Grace Hopper")
    assert renamed.returncode == 0, renamed.stderr
    qtbot.waitUntil(lambda: "Rear Admiral Grace Hopper" in names(alice_window), timeout=WAIT)
    removed = run_cli("--db", pg.url(bob), "contacts", "remove", "Rear Admiral Grace Hopper")
    assert removed.returncode == 0, removed.stderr
    qtbot.waitUntil(lambda: "Rear Admiral Grace Hopper" not in names(alice_window),
                    timeout=WAIT)
    model = alice_window.contact_list.view.model()
    assert model.rowCount() == len(document.contacts())
    assert resets == []  # each change re-read one person, not the whole network


def test_forged_notices_neither_clear_undo_nor_reload(team, alice_window, qtbot):
    """Anyone may NOTIFY: bob's 100 notices in alice's name are not in the change log, so
    alice's window ignores them (her undo stays, nothing is re-read); real changes in a
    burst cost at most a reload now and one after the gap."""
    import psycopg2

    pg, alice, bob, _ = team
    document = alice_window.document
    sync = document.session.team
    ada = next(c for c in document.contacts() if c.name == "Ada Lovelace")
    assert document.move(ada.id, Ring.MIDDLE)
    conn = psycopg2.connect(host="127.0.0.1", port=5432, user=bob, dbname=pg.name)
    conn.autocommit = True
    with conn.cursor() as cur:
        for i in range(100):
            cur.execute("SELECT pg_notify('planner_changes', %s)", (f"setting - {alice} {i}",))
    qtbot.wait(1000)
    sync.sync_now()
    assert document.undo_stack.canUndo()
    assert sync.reloads == 0
    with conn.cursor() as cur:  # 20 real settings changes, one by one
        for i in range(20):
            cur.execute("INSERT INTO setting (key, value) VALUES ('bob_burst', %s) ON CONFLICT "
                        "(key) DO UPDATE SET value = EXCLUDED.value", (str(i),))
            qtbot.wait(50)
    conn.close()
    qtbot.waitUntil(lambda: sync.reloads >= 1, timeout=WAIT)
    qtbot.wait(300)
    assert sync.reloads <= 2


def test_a_replayed_notice_of_a_real_writer_is_ignored(team, alice_window, qtbot,
                                                       monkeypatch):
    """bob reads off the change log a connection of alice's that really wrote (her command
    line) and notifies in its name, later: the log has no new row of it, so her window
    neither clears her undo history nor re-reads everything. (The check used to be "wrote
    in the last ten minutes", which a replay passed.)"""
    import psycopg2

    from planner.document.team_sync import TeamSync

    monkeypatch.setattr(TeamSync, "FRESH_S", 0.5)
    pg, alice, bob, _ = team
    document = alice_window.document
    sync = document.session.team
    logged = run_cli("--db", pg.url(alice), "log", "Ada Lovelace", "coffee")
    assert logged.returncode == 0, logged.stderr
    ((cli_pid,),) = pg.sql("SELECT pid FROM planner_change WHERE actor = %s "
                           "ORDER BY id DESC LIMIT 1", (alice,))
    qtbot.waitUntil(lambda: not sync._pending and not sync._gather.isActive(), timeout=WAIT)
    sync.sync_now()
    qtbot.wait(1000)  # the command line's rows are no longer new
    ada = next(c for c in document.contacts() if c.name == "Ada Lovelace")
    assert document.move(ada.id, Ring.MIDDLE)
    reloads = sync.reloads
    conn = psycopg2.connect(host="127.0.0.1", port=5432, user=bob, dbname=pg.name)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            for table in ("setting", "placement"):
                cur.execute("SELECT pg_notify('planner_changes', %s)",
                            (f"{table} - {alice} {cli_pid}",))
    finally:
        conn.close()
    qtbot.wait(1000)
    sync.sync_now()
    assert document.undo_stack.canUndo()
    assert sync.reloads == reloads


def test_a_notice_replayed_within_the_minute_is_ignored(team, alice_window, qtbot):
    """Within a minute of alice's command line writing, its rows were still new to her
    window, so bob's copy of its notice (read off the change log) cleared her undo history
    and re-read everything. PostgreSQL gives every notice its sender's backend pid: a
    notice naming a connection that did not send it is nobody's."""
    import psycopg2

    pg, alice, bob, _ = team
    document = alice_window.document
    sync = document.session.team
    logged = run_cli("--db", pg.url(alice), "log", "Ada Lovelace", "coffee")
    assert logged.returncode == 0, logged.stderr
    ((cli_pid,),) = pg.sql("SELECT pid FROM planner_change WHERE actor = %s "
                           "ORDER BY id DESC LIMIT 1", (alice,))
    qtbot.waitUntil(lambda: not sync._pending and not sync._gather.isActive(), timeout=WAIT)
    sync.sync_now()  # her own change elsewhere: seen, and her history cleared, as it should
    ada = next(c for c in document.contacts() if c.name == "Ada Lovelace")
    assert document.move(ada.id, Ring.MIDDLE)
    reloads = sync.reloads
    conn = psycopg2.connect(host="127.0.0.1", port=5432, user=bob, dbname=pg.name)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:  # at once: the command line's rows are still new
            for table in ("setting", "placement"):
                cur.execute("SELECT pg_notify('planner_changes', %s)",
                            (f"{table} - {alice} {cli_pid}",))
    finally:
        conn.close()
    qtbot.wait(1000)
    sync.sync_now()
    assert document.undo_stack.canUndo()
    assert sync.reloads == reloads
