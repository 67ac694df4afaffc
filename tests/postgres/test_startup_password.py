"""`planner --db postgresql://…` with no password in the keyring: instead of only an error,
the window asks for it (the team database dialog, pre-filled) and then opens."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from planner.domain.errors import DatabaseProblem
from planner.storage.failures import Failure
from planner.storage.postgres.connection import CannotConnect
from planner.switching import ask_team_password_then_run, needs_team_password

#: what ``postgres.connection.connect`` raises when the server refuses the password (28P01);
#: tests/postgres/test_error_codes_pg.py gets the real one from a German server
REFUSED = CannotConnect("cannot connect to postgresql://ada@db/team: connection to server "
                        "failed: FATAL:  password authentication failed for user \"ada\"",
                        Failure.AUTH_FAILED, "28P01")


def test_only_a_team_database_refusing_the_password_asks_for_one():
    """Decided by the kind the storage found (SQLSTATE, libpq's flags), not the words."""
    assert needs_team_password("postgresql://ada@db/team", REFUSED)
    assert needs_team_password("postgresql://ada@db/team",
                               CannotConnect("Passwort wird benötigt", Failure.NO_PASSWORD))
    assert not needs_team_password("postgresql://ada@db/team",
                                   CannotConnect("connection refused", Failure.UNREACHABLE))
    assert not needs_team_password(  # the words alone decide nothing
        "postgresql://ada@db/team",
        DatabaseProblem("FATAL:  password authentication failed for user \"ada\""))
    assert not needs_team_password("/home/ada/planner.db", REFUSED)
    assert not needs_team_password(None, REFUSED)


class _App:
    def exec(self) -> int:  # the event loop the real app would now run
        return 0


def test_the_dialog_asks_then_the_window_opens(pg_initialised, qtbot):
    url = pg_initialised.url()
    seen = {}

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        seen["url"] = dialog.url_box.currentText()
        seen["status"] = dialog.status.text()
        dialog.password.setText("s3cret")
        dialog.connect_button.click()

    QTimer.singleShot(200, answer)
    assert ask_team_password_then_run(_App(), url, REFUSED) == 0
    assert seen["url"] == url
    assert "password authentication failed" in seen["status"]
    windows = [w for w in QApplication.topLevelWidgets()
               if w.objectName() == "mainWindow" and w.isVisible()]
    assert windows and windows[-1].document.database.target.kind == "postgresql"
    for window in windows:
        window.document.session.stop_watching()
        window.close()


def test_cancel_ends_without_a_window(pg_initialised, qtbot):
    QTimer.singleShot(200, lambda: QApplication.activeModalWidget().reject())
    assert ask_team_password_then_run(_App(), pg_initialised.url(), REFUSED) == 1


def test_a_plain_start_reopens_the_team_database_switched_to_last(pg_initialised, qtbot):
    from PySide6.QtCore import QSettings

    from planner.switching import reopen_last_team_database
    from planner.ui.team.team_dialog import last_team_database, remember_last_database

    settings = QSettings()
    assert reopen_last_team_database(QApplication.instance()) is None  # none yet
    remember_last_database(settings, pg_initialised.url(password="not-kept"))
    assert last_team_database(settings) == pg_initialised.url()  # never the password
    window = reopen_last_team_database(QApplication.instance())
    assert window is not None and window.document.database.target.kind == "postgresql"
    window.document.session.stop_watching()
    window.close()
    remember_last_database(settings, None)  # back to a file: the default start again
    assert last_team_database(settings) is None


def test_an_unreachable_last_team_database_falls_back_to_the_file_and_says_so(qtbot):
    from PySide6.QtCore import QSettings

    from planner.switching import reopen_last_team_database
    from planner.ui.team.team_dialog import remember_last_database

    remember_last_database(QSettings(), "postgresql://ada@127.0.0.1:1/team")
    assert reopen_last_team_database(QApplication.instance()) is None
