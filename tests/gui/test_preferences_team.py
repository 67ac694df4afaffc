"""Preferences on a team database: it says which settings are the team's and which this
computer's, and offers nothing that does not apply to a team database (the real window
on the PostgreSQL server on this machine)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from tests.gui.helpers import open_window
from tests.helpers.postgres import empty_tables
from tests.postgres.conftest import pg, pg_initialised, pg_server  # noqa: F401


def test_the_dialog_says_the_rings_are_the_teams_and_offers_no_file_only_pages(
        qtbot, pg_initialised):  # noqa: F811
    from planner.ui.common.forms import THIS_COMPUTER
    from planner.ui.dialogs.preferences_dialog import KEPT_FOR_TEAM

    empty_tables(pg_initialised)
    (user,) = pg_initialised.planner_users("prefs")
    window = open_window(qtbot, pg_initialised.url(user))
    dialog = window.show_preferences()
    qtbot.waitExposed(dialog)
    pages = {dialog.tabs.tabText(i).replace("&", ""): dialog.tabs.widget(i)
             for i in range(dialog.tabs.count())}
    said = {name: [label.text() for label in page.findChildren(QLabel, "keptWhere")]
            for name, page in pages.items()}
    assert said["Rings"] == [KEPT_FOR_TEAM]
    assert said["Appearance"] == [THIS_COMPUTER] and said["Reminders"] == [THIS_COMPUTER]
    # backups of a team database are pg_dump's: no count to set here
    assert "Backups" not in pages and dialog.backup_keep is None
    # nothing to encrypt: the button said "The database is already encrypted"
    assert not dialog.encrypt_button.isVisibleTo(dialog)
    dialog.cadence[next(iter(dialog.cadence))].setValue(5)
    dialog.accept()
    assert window.document.cadence(next(iter(dialog.cadence))) == 5
    window.close()
