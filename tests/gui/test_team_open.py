"""File → Open team database… / Open database file…: the dialog, and the window switching
over to another database (real widgets, the real PostgreSQL server on this machine)."""

from __future__ import annotations

import secrets as token
import socket
import time

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from planner.storage.postgres.connection import account_for_url
from planner.ui.team.team_dialog import (
    TeamDatabaseDialog,
    check_url,
    last_team_database,
    read_recent,
    remember_recent,
)
from tests.gui.helpers import populate, use_private_settings
from tests.postgres.conftest import _admin_connection, pg, pg_initialised, pg_server  # noqa: F401

SERVICE = "mentorship-planner"


# ------------------------------------------------------------------ fixtures


@pytest.fixture(autouse=True)
def _notice_handler_restored():
    """Unlocking a file installs the window's secret-store notice handler: not for later
    tests."""
    from planner.storage import secrets

    previous = secrets.set_notice_handler(None)
    secrets.set_notice_handler(previous)
    yield
    secrets.set_notice_handler(previous)
    secrets.reset_notice()


@pytest.fixture
def windows(qtbot):
    """Windows made here (and the ones they switch to), closed at the end if still there;
    the app-level references the switch keeps are dropped."""
    made: list = []
    yield made
    app = QApplication.instance()
    for window in [*made, getattr(app, "_planner_window", None)]:
        if window is not None and isValid(window):
            window.close()
            window.deleteLater()
    lock = getattr(app, "_planner_lock", None)
    if lock is not None:
        lock.unlock()
    app._planner_lock = app._planner_window = None
    qtbot.wait(10)


@pytest.fixture
def file_window(qtbot, tmp_path, windows):
    """The real window on a small database file, shown (what the switch starts from)."""
    from planner.app import build_main_window

    path = tmp_path / "mine.db"
    populate(path, inner=1, middle=2, unplaced=3)
    use_private_settings()
    window = build_main_window(str(path), watch=False)
    windows.append(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture(scope="module")
def team_user(pg_initialised):  # noqa: F811
    """An ordinary planner user of the team database (with a password: trust auth on
    127.0.0.1 ignores it, which is fine: what matters here is where it is kept)."""
    from planner.storage.database import open_database
    from planner.storage.postgres.users import add_user

    role = pg_initialised.role("alice")
    admin = open_database(pg_initialised.url())
    try:
        add_user(admin.db, role, password="s3cret-alice")
    finally:
        admin.close()
    return pg_initialised, role


@pytest.fixture(scope="module")
def bare_database(pg_server):  # noqa: F811
    """A database with no tables at all (nobody ran db init)."""
    name = f"planner_test_{token.token_hex(4)}_bare"
    conn = _admin_connection()
    with conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def open_dialog(qtbot, window):
    from planner.switching import open_team_database

    dialog = open_team_database(window)
    qtbot.waitExposed(dialog)
    return dialog


def fill(dialog, url: str, password: str = "") -> None:
    dialog.url_box.setFocus()
    dialog.url_box.lineEdit().clear()
    QTest.keyClicks(dialog.url_box.lineEdit(), url)
    dialog.password.clear()
    if password:
        QTest.keyClicks(dialog.password, password)


def connect_and_wait(qtbot, dialog, timeout: int = 15000) -> None:
    QTest.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.checking(), timeout=timeout)


# ------------------------------------------------------------------ validation


def test_a_bad_url_is_said_inline_and_connect_stays_disabled(qtbot):
    use_private_settings()
    dialog = TeamDatabaseDialog(None, QSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.connect_button.isEnabled()
    assert dialog.error.text() == ""  # nothing typed: nothing to complain about
    assert dialog.url_box.lineEdit().placeholderText() == "postgresql://USER@HOST[:PORT]/DBNAME"
    cases = {
        "mysql://ada@db/x": "not a team database URL",
        "/home/ada/planner.db": "not a team database URL",
        "postgresql://ada@db.example.org": "say which database",
        "postgresql://ada@db.example.org/": "say which database",
        "postgresql://ada:hunter2@db.example.org/team": "put it in the password field",
        "postgresql://ada@db.example.org:port/team": "the port must be a number",
        # a number, but no port: it said "must be a number" to 99999
        "postgresql://ada@db.example.org:99999/team": "from 1 to 65535",
        "postgresql://ada@db.example.org:0/team": "from 1 to 65535",
    }
    for url, message in cases.items():
        fill(dialog, url)
        assert message.lower() in dialog.error.text().lower(), url
        assert dialog.error.isVisible()
        assert not dialog.connect_button.isEnabled(), url
        QTest.keyClick(dialog.url_box.lineEdit(), Qt.Key.Key_Return)  # Enter does nothing
        assert not dialog.checking() and dialog.isVisible()
    assert "hunter2" not in dialog.error.text()
    fill(dialog, "postgresql://ada@db.example.org:5433/team")
    assert dialog.error.text() == "" and not dialog.error.isVisible()
    assert dialog.connect_button.isEnabled()
    assert check_url("  postgres://ada@h/team ") == "postgres://ada@h/team"


def test_recent_urls_newest_first_at_most_eight_never_a_password(qtbot):
    use_private_settings()
    settings = QSettings()
    settings.setValue("team/recent", "postgresql://a@h/one")  # a single item: a plain str
    assert read_recent(settings) == ["postgresql://a@h/one"]
    for n in range(10):
        remember_recent(settings, f"postgresql://a@h/db{n}")
    remember_recent(settings, "postgresql://a@h/db5")
    remember_recent(settings, "postgresql://a:pw@h/db9")
    recent = read_recent(settings)
    assert recent[:3] == ["postgresql://a@h/db9", "postgresql://a@h/db5", "postgresql://a@h/db8"]
    assert len(recent) == 8 and len(set(recent)) == 8
    assert not any(":pw@" in url for url in settings.value("team/recent"))
    dialog = TeamDatabaseDialog(None, settings)
    qtbot.addWidget(dialog)
    assert [dialog.url_box.itemText(i) for i in range(dialog.url_box.count())] == recent
    assert dialog.url_text() == recent[0] and dialog.connect_button.isEnabled()


# ------------------------------------------------------------------ connection problems


def test_a_wrong_port_is_one_clear_line(qtbot, file_window):
    dialog = open_dialog(qtbot, file_window)
    fill(dialog, "postgresql://postgres@127.0.0.1:1/planner", "not-shown")
    connect_and_wait(qtbot, dialog)
    text = dialog.status.text()
    assert text.startswith("Cannot connect to postgresql://postgres@127.0.0.1:1/planner")
    assert "\n" not in text and "not-shown" not in text
    assert dialog.isVisible() and dialog.connect_button.isEnabled()
    assert not dialog.busy.isVisible()
    assert dialog.switched_to is None
    assert file_window.isVisible() and file_window.document.database.target.kind == "sqlite"
    assert read_recent(QSettings()) == []  # only a URL that worked is remembered


def test_enter_in_the_url_connects_like_the_button_and_keeps_the_dialog(qtbot, file_window):
    """Enter typed in the URL field (a person's way to say "connect") tries the URL as
    Connect does; a refused one is said in the dialog, which stays open."""
    dialog = open_dialog(qtbot, file_window)
    fill(dialog, "postgresql://postgres@127.0.0.1:1/planner")
    QTest.keyClick(dialog.url_box.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Cannot connect"), timeout=15000)
    qtbot.waitUntil(lambda: not dialog.checking(), timeout=15000)
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.switched_to is None
    QTest.keyClick(dialog.password, Qt.Key.Key_Return)  # from the password field too
    qtbot.waitUntil(lambda: not dialog.checking(), timeout=15000)
    assert dialog.isVisible() and dialog.status.text().startswith("Cannot connect")


def test_a_server_that_does_not_answer_leaves_the_dialog_usable(qtbot, file_window):
    """The test blocks for up to connect_timeout (10 s) in libpq: off the GUI thread, the
    dialog shows that it is busy, repaints, and Cancel works at once."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the TCP connection, never says a word
    port = silent.getsockname()[1]
    try:
        dialog = open_dialog(qtbot, file_window)
        fill(dialog, f"postgresql://postgres@127.0.0.1:{port}/planner")
        QTest.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
        started = time.perf_counter()
        qtbot.wait(300)  # the event loop runs: the GUI thread is not blocked
        assert time.perf_counter() - started < 2
        assert dialog.checking() and dialog.busy.isVisible()
        assert "Connecting to" in dialog.status.text()
        assert not dialog.connect_button.isEnabled() and not dialog.url_box.isEnabled()
        cancel = dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
        assert cancel.isEnabled()
        QTest.mouseClick(cancel, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible() and not dialog.checking()
    finally:
        silent.close()  # the worker's libpq sees the connection end and gives up
    qtbot.wait(300)
    assert dialog.switched_to is None  # the late answer was ignored
    assert file_window.isVisible() and file_window.document.database.target.kind == "sqlite"


def test_an_uninitialised_database_names_db_init(qtbot, file_window, bare_database):
    dialog = open_dialog(qtbot, file_window)
    fill(dialog, bare_database)
    connect_and_wait(qtbot, dialog)
    assert dialog.status.text() == (
        f"This database has no planner tables yet; an admin creates them with: "
        f"planner --db '{bare_database}' db init")
    assert dialog.isVisible() and dialog.switched_to is None
    assert file_window.document.database.target.kind == "sqlite"


def test_opening_failing_after_all_keeps_the_window(qtbot, file_window):
    from planner.switching import switch_database

    before = [c.name for c in file_window.document.contacts()]
    assert switch_database(file_window, "postgresql://postgres@127.0.0.1:1/planner") is None
    assert file_window.isVisible()
    box = file_window._open_problem
    assert "Cannot connect to" in box.text() and "This window still shows" in box.text()
    file_window.document.reload()  # the models went back to this window's database
    assert sorted(c.name for c in file_window.document.contacts()) == sorted(before)
    box.close()


# ------------------------------------------------------------------ switching


def test_a_good_url_switches_the_window(qtbot, file_window, team_user, memory_keyring):
    from planner.app import acquire_instance_lock

    cluster, role = team_user
    app = QApplication.instance()
    path = file_window.document.database.path
    app._planner_lock = acquire_instance_lock(str(path))  # as run_gui holds it
    assert app._planner_lock is not None
    url = cluster.url(role)
    dialog = open_dialog(qtbot, file_window)
    assert dialog.remember.isEnabled() and dialog.remember.isChecked()
    fill(dialog, url, "s3cret-alice")
    connect_and_wait(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.switched_to is not None if isValid(dialog) else True)
    new = app._planner_window
    assert new is not None and new.isVisible()
    assert cluster.name in new.windowTitle() and role in new.windowTitle()
    assert new.document.database.target.kind == "postgresql"
    assert new.document.database.target.url == url
    qtbot.waitUntil(lambda: not isValid(file_window) or not file_window.isVisible())
    # the password went to the keyring, under the URL without a password
    assert memory_keyring.store[(SERVICE, account_for_url(url))] == "s3cret-alice"
    assert read_recent(QSettings()) == [url]
    assert last_team_database(QSettings()) == url  # a plain `planner` reopens it next time
    # leaving the file released its instance lock: another window may take it now
    assert app._planner_lock is None
    other = acquire_instance_lock(str(path))
    assert other is not None
    other.unlock()
    # the new window works on the team database
    new.document.reload()
    assert new.document.contacts() == [] or new.document.contacts()[0].id


def test_without_a_keyring_the_password_is_for_this_session_only(
        qtbot, file_window, team_user, no_keyring):
    cluster, role = team_user
    url = cluster.url(role)
    dialog = open_dialog(qtbot, file_window)
    assert not dialog.remember.isEnabled() and not dialog.remember.isChecked()
    assert dialog.store_notice.isVisible()
    assert "no keyring service is running" in dialog.store_notice.text()
    assert "session only" in dialog.store_notice.text()
    fill(dialog, url, "s3cret-alice")
    qtbot.wait(50)  # the layout settles (the inline message came and went while typing)
    dialog.grab().save("/tmp/team-dialog.png")
    connect_and_wait(qtbot, dialog)
    new = QApplication.instance()._planner_window
    assert new is not None and new.document.database.target.kind == "postgresql"
    assert dialog.session_password() == "s3cret-alice"
    # used through the session's connection parameters, never in the URL or title
    assert new.document.database.db.connect_params["password"] == "s3cret-alice"
    assert "s3cret" not in new.windowTitle() and "s3cret" not in str(QSettings().allKeys())
    assert read_recent(QSettings()) == [url]


def test_unticking_remember_keeps_the_password_out_of_the_keyring(
        qtbot, file_window, team_user, memory_keyring):
    cluster, role = team_user
    dialog = open_dialog(qtbot, file_window)
    fill(dialog, cluster.url(role), "s3cret-alice")
    dialog.remember.setChecked(False)
    connect_and_wait(qtbot, dialog)
    assert memory_keyring.store == {}
    assert dialog.session_password() == "s3cret-alice"
    assert QApplication.instance()._planner_window.document.database.target.kind == "postgresql"


def test_the_file_menu_offers_both_and_a_file_switches_too(qtbot, file_window, tmp_path):
    from planner.switching import switch_to_file

    actions = file_window.window_actions
    assert actions.open_team.shortcut().toString() == "Ctrl+Shift+O"
    assert actions.open_file.shortcut().toString() == "Ctrl+O"
    entries = [a for a in file_window.menus["file"].actions() if not a.isSeparator()]
    assert entries[:3] == [actions.new_file, actions.open_file, actions.open_team]
    assert actions.new_file.shortcut().toString() == "Ctrl+Shift+N"
    actions.open_team.trigger()
    assert file_window._team_dialog.isVisible()
    file_window._team_dialog.reject()
    actions.open_file.trigger()
    assert file_window._file_dialog.isVisible()
    file_window._file_dialog.reject()

    same = switch_to_file(file_window, str(file_window.document.database.path))
    assert same is None and file_window.isVisible()
    stranger = tmp_path / "notes.db"
    stranger.write_text("not a database")
    assert switch_to_file(file_window, str(stranger)) is None
    assert "not a Mentorship Planner database" in file_window._open_problem.text()
    # the reason is a sentence that ends before the next one ("…untouched This window…")
    assert "untouched.\n\nThis window still shows " in file_window._open_problem.text()
    file_window._open_problem.close()
    other = tmp_path / "other.db"
    populate(other, outer=4)
    new = switch_to_file(file_window, str(other))
    assert new is not None and new.document.database.path == other
    assert len(new.document.contacts()) == 4
    assert new.windowTitle() == "other.db — Mentorship Planner"  # the name, not the path
    qtbot.waitUntil(lambda: not isValid(file_window))
    assert QApplication.instance()._planner_lock is not None  # it holds the new file's lock
    assert last_team_database(QSettings()) is None  # a file: the default start again


def test_an_encrypted_file_is_unlocked_from_the_keyring_then_switched_to(
        qtbot, file_window, tmp_path, memory_keyring):
    from planner.storage import secrets
    from planner.storage.sqlite import encryption
    from planner.switching import switch_to_file
    from tests.helpers.encrypted import fill as fill_database

    locked = tmp_path / "locked.db"
    fill_database(locked, people=4)
    key = encryption.generate_key()
    encryption.encrypt(locked, key)
    secrets.remember_database_key(locked, key)
    assert switch_to_file(file_window, str(locked)) is None  # unlocking goes on off-thread
    app = QApplication.instance()
    qtbot.waitUntil(lambda: getattr(app, "_planner_window", None) is not None, timeout=10000)
    new = app._planner_window
    assert new.document.database.encrypted and new.document.database.path == locked
    assert len(new.document.contacts()) == 4
    qtbot.waitUntil(lambda: not isValid(file_window))


def test_a_file_another_window_holds_opens_read_only(qtbot, file_window, tmp_path):
    from PySide6.QtCore import QLockFile

    from planner.switching import open_database_file

    other = tmp_path / "theirs.db"
    populate(other, middle=2)
    theirs = QLockFile(f"{other}.lock")  # as the other window's process holds it
    assert theirs.tryLock(100)
    try:
        dialog = open_database_file(file_window)
        assert dialog.isVisible() and dialog.objectName() == "openDatabaseFile"
        dialog.fileSelected.emit(str(other))  # what choosing the file does
        new = dialog.switched_to if isValid(dialog) else None
        new = new or QApplication.instance()._planner_window
        assert new is not None and new.document.database.read_only
        assert "(read-only)" in new.windowTitle()
        assert "already open in another Mentorship Planner window" in new.read_only_banner.text()
        add = new.window_actions.add_contact  # turned off, saying why (it said nothing)
        assert not add.isEnabled()
        assert add.statusTip().startswith("This window is read-only: ")
        assert "already open in another Mentorship Planner window" in add.toolTip()
        assert len(new.document.contacts()) == 2
        assert QApplication.instance()._planner_lock is None  # theirs, not ours
    finally:
        theirs.unlock()


# ------------------------------------------------------------------ a new database file
def test_a_new_database_file_is_made_and_a_full_export_loads_into_it(qtbot, file_window,
                                                                     tmp_path):
    """A review: the window's advice for a full export was "load it into a new database
    with planner --db NEW.db import …", and File → Open would not take a new name: only
    a terminal could follow it. File → New Database File… makes one; Import restores the
    export there."""
    from tests.helpers.cli import run_cli

    export = tmp_path / "everything.json"
    result = run_cli("export", "--format", "json", "-o", str(export), db=tmp_path / "mine.db")
    assert result.returncode == 0, result.stderr
    # into the database the window holds (not empty): said in the window's own words
    jobs = file_window.transfer
    jobs.ask_open_path = lambda _caption, _filters, done: done(export)
    file_window.window_actions.import_file.trigger()  # File → Import…, the file chosen
    qtbot.waitUntil(lambda: jobs.error_box is not None, timeout=10000)
    said = jobs.error_box.text()
    assert said.startswith("everything.json is a full export: it can be loaded only into an "
                           "empty database, and this one holds 6 contacts")
    assert "File → New Database File…" in said and "planner --db" not in said

    file_window.window_actions.new_file.trigger()
    dialog = file_window._file_dialog
    assert dialog.isVisible() and dialog.objectName() == "newDatabaseFile"
    assert dialog.selectedFiles()[0].endswith("planner-2.db")  # a name not taken
    fresh = tmp_path / "fresh.db"
    dialog.fileSelected.emit(str(fresh))  # what choosing the name does
    new = QApplication.instance()._planner_window
    assert new is not None and new is not file_window
    assert new.document.database.path == fresh and fresh.exists()
    assert new.document.contacts() == []
    assert new.statusBar().currentMessage() == f"A new, empty database: {fresh}"

    new.transfer.ask_open_path = lambda _caption, _filters, done: done(export)
    new.window_actions.import_file.trigger()
    qtbot.waitUntil(lambda: new.transfer.confirm_box is not None, timeout=10000)
    box = new.transfer.confirm_box
    assert box is not None and box.text().startswith("everything.json is a complete")
    with qtbot.waitSignal(new.transfer.job_finished, timeout=20000):
        qtbot.mouseClick(box.button(box.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert len(new.document.contacts()) == 6
    assert new.contact_list.view.model().rowCount() == 6


def test_a_new_database_file_never_replaces_a_file(qtbot, file_window, tmp_path):
    from tests.gui.test_import_gui import content_hash

    taken = tmp_path / "taken.db"
    taken.write_bytes(b"precious")
    file_window.window_actions.new_file.trigger()
    dialog = file_window._file_dialog
    dialog.fileSelected.emit(str(taken))
    assert taken.read_bytes() == b"precious"
    # (no switch made a new window: the attribute is set only by a switch, app.py)
    assert getattr(QApplication.instance(), "_planner_window", None) in (None, file_window)
    assert file_window.statusBar().currentMessage() == (
        "taken.db already exists; open it with File → Open Database File…, or choose a new "
        "name")
    before = content_hash(tmp_path / "mine.db")
    file_window.window_actions.new_file.trigger()
    file_window._file_dialog.fileSelected.emit(str(tmp_path / "mine.db"))  # the open one
    assert content_hash(tmp_path / "mine.db") == before
