"""The document's session (planner/document/session.py) on its own, headless: watching the
database for other programs' changes through one watcher interface on both engines,
this window's own re-reads, read-only refusals, and closing the file for work and
reopening it."""

from __future__ import annotations

import sqlite3
import time

from planner.document.session import FileWatcher
from planner.domain.rings import Ring
from planner.services import contacts
from tests.helpers.stores import bound


def _write_elsewhere(handle, contact_id: int, name: str) -> None:
    """Another program renames a person through its own connection (the planner's own
    user, as the same person's second window or device would)."""
    if handle.target.kind == "sqlite":
        other = sqlite3.connect(str(handle.path))
        try:
            other.execute("UPDATE contact SET name = ?, version = version + 1 WHERE id = ?",
                          (name, contact_id))
            other.commit()
        finally:
            other.close()
        return
    import psycopg2

    other = psycopg2.connect(handle.target.url)
    try:
        with other, other.cursor() as cur:
            cur.execute("UPDATE contact SET name = %s, version = version + 1 WHERE id = %s",
                        (name, contact_id))
    finally:
        other.close()


def _caught_up(session, timeout: float = 5.0) -> bool:
    """catch_up() until it reports the change (a team's notice arrives asynchronously)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if session.catch_up():
            return True
        time.sleep(0.02)
    return False


def test_the_watcher_is_the_engines_own(backend, document):
    session = document.session
    if backend.target.kind == "sqlite":
        assert isinstance(session.watcher, FileWatcher) and session.team is None
    else:
        assert session.team is session.watcher  # TeamSync: live updates and the connection
    assert document.database is backend
    assert not session.watching and not document.clock.isActive()
    session.start_watching()
    assert session.watching and document.clock.isActive()
    assert session.stop_watching() is True
    assert session.stop_watching() is False  # already stopped
    assert not document.clock.isActive()


def test_another_programs_change_is_read_and_clears_the_history(backend, document):
    ada = contacts.add_contact(backend.backend, "Ada Lovelace")
    document.reload()
    session = document.session
    session.start_watching()
    try:
        assert document.editing.move(ada.id, Ring.INNER)
        assert document.undo_stack.canUndo()
        assert not session.catch_up()  # this window's own change is not another program's
        resets, changed, notices = [], [], []
        document.reset.connect(lambda: resets.append(1))
        document.contacts_changed.connect(changed.extend)
        document.external_change.connect(lambda: notices.append(1))

        _write_elsewhere(backend, ada.id, "Ada King")
        assert _caught_up(session)
        assert document.contact(ada.id).name == "Ada King"
        assert not document.undo_stack.canUndo()  # its step may no longer apply
        assert notices
        # a file tells that something changed, not what; a team database names the
        # person, but every commit also says "private" (team schema 10: whether it touched
        # private rows is nobody's business), which from this user elsewhere may be any of
        # their rings, notes or snoozes: read again whole, too
        assert resets
        assert not session.catch_up()  # seen once, not again
    finally:
        session.stop_watching()


def test_an_undo_first_catches_up_and_is_refused_when_the_history_went(backend, document):
    ada = contacts.add_contact(backend.backend, "Ada Lovelace")
    document.reload()
    document.session.start_watching()
    try:
        assert document.editing.move(ada.id, Ring.INNER)
        team = backend.target.kind == "postgresql"
        if team:  # this window's own notice first, drained: else it could be what wakes
            import select  # the wait below, before the other session's notice is here

            listener = document.session.team._listener
            assert select.select([listener.fileno()], [], [], 5)[0]
            assert document.session.catch_up() is False  # its own: the history stays
            assert document.undo_stack.canUndo()
        _write_elsewhere(backend, ada.id, "Ada King")
        if team:  # the notice travels: until it is here
            assert select.select([listener.fileno()], [], [], 5)[0]
        assert document.undo() is False
        assert document.contact(ada.id).name == "Ada King"
        assert document.contact(ada.id).ring is Ring.INNER  # the move was not undone
        assert contacts.get_contact(ada.id).ring is Ring.INNER
    finally:
        document.session.stop_watching()


def test_this_windows_own_reread_is_not_another_programs_change(backend, document):
    document.session.start_watching()
    try:
        # as an import does: outside a command
        ada = contacts.add_contact(backend.backend, "Ada Lovelace")
        assert document.editing.add_contact("Bo", None, {})
        notices = []
        document.external_change.connect(lambda: notices.append(1))
        document.refresh_all()
        assert document.count() == 2 and document.contact(ada.id) is not None
        assert not document.session.catch_up()
        assert document.undo_stack.canUndo() and notices == []
    finally:
        document.session.stop_watching()


def test_a_read_only_window_refuses_every_change_in_one_sentence(db_path, qapp):
    from planner.document.document import PlannerDocument
    from planner.storage.database import open_database

    writable = open_database(str(db_path))
    ada = contacts.add_contact(bound(), "Ada Lovelace")
    writable.close()
    opened = open_database(str(db_path), read_only=True)
    document = PlannerDocument(opened)
    try:
        messages = []
        document.message.connect(messages.append)
        assert document.read_only and document.session.read_only
        assert not document.session.offline
        assert document.editing.move(ada.id, Ring.INNER) is False
        assert document.undo() is False
        assert messages == [document.session.refusal()] * 2
        assert "read-only" in messages[0]
        assert contacts.get_contact(ada.id).ring is None
    finally:
        document.deleteLater()
        opened.close()


def test_closed_for_work_then_reopened(db_path, qapp):
    from planner.document.document import PlannerDocument
    from planner.storage.database import open_database
    from planner.storage.sqlite import live_files

    opened = open_database(str(db_path))
    ada = contacts.add_contact(bound(), "Ada Lovelace")
    document = PlannerDocument(opened)
    try:
        assert document.editing.move(ada.id, Ring.INNER)
        document.session.start_watching()

        closed = document.session.close_for_work()
        assert closed.path == db_path.absolute() and closed.key is None and closed.keyed == {}
        assert closed.watching and not document.session.watching
        assert opened.db.is_closed() and not live_files.is_live(db_path)

        other = sqlite3.connect(str(db_path))  # the work: the file is nobody else's now
        try:
            other.execute("UPDATE contact SET name = 'Ada King' WHERE id = ?", (ada.id,))
            other.commit()
        finally:
            other.close()

        reopened = closed.reopen()
        assert document.database is reopened and reopened is not opened
        assert document.contact(ada.id).name == "Ada King"
        assert not document.undo_stack.canUndo()  # the history was of the closed file
        assert document.session.watching and document.session.watcher.active
        assert not document.session.catch_up()  # the reopen's read is not a change
    finally:
        document.session.stop_watching()
        document.deleteLater()
        document.database.close()


def test_a_file_that_is_no_database_any_more_is_said_once(db_path, qapp, tmp_path):
    import os

    from planner.document.document import PlannerDocument
    from planner.storage.database import open_database

    opened = open_database(str(db_path))
    contacts.add_contact(bound(), "Ada Lovelace")
    document = PlannerDocument(opened)
    document.session.start_watching()
    messages = []
    document.message.connect(messages.append)
    try:
        opened.close()  # no connection of this process holds the file now
        impostor = tmp_path / "impostor"
        impostor.write_bytes(b"not a database at all " * 200)
        os.replace(impostor, db_path)
        assert document.session.catch_up()
        assert len(messages) == 1 and "cannot be read any more" in messages[0]
        assert not document.session.watching  # stopped: said once, not every second
    finally:
        document.deleteLater()
        opened.close()


def test_an_offline_team_window_is_read_only(backend, document):
    if backend.target.kind != "postgresql":
        assert document.session.offline is False
        document.session.went_offline("gone")  # a file does not go offline
        assert not document.read_only
        return
    ada = contacts.add_contact(backend.backend, "Ada Lovelace")
    document.reload()
    messages = []
    document.message.connect(messages.append)
    document.session.went_offline("the server went away")
    assert document.session.offline and document.read_only
    assert document.editing.move(ada.id, Ring.INNER) is False
    assert messages == [document.session.refusal()]
    assert "Not connected to the team database" in messages[0]
    assert document.session.team.reconnect()  # the server was there all along
    assert not document.read_only
    assert document.editing.move(ada.id, Ring.INNER)
