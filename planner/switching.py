"""Switching the window to another database (File → New Database File… / Open Team
Database… / Open Database File…), and the team database's start-up paths: reopening the
last one, asking for a password the keyring does not have.

The models are bound to one proxy, so a process holds one database: the new one is
opened first and the window replaced only if that worked.
"""

from __future__ import annotations

import logging
from typing import Any

from planner.app import (
    acquire_instance_lock,
    build_main_window,
    install_error_handler,
    show_window,
)

log = logging.getLogger(__name__)


def open_team_database(window):
    """The team database dialog (opened, not exec'd); once it connects, the window is
    replaced by one on the team database. Returns the dialog; its ``switched_to`` is the
    new window (None until then, or when opening failed: this window stays)."""
    from planner.ui.team.team_dialog import TeamDatabaseDialog

    dialog = TeamDatabaseDialog(window, window.settings)
    dialog.switched_to = None  # type: ignore[attr-defined]  # ours, on a Qt dialog

    def connected() -> None:
        new = switch_database(window, dialog.url(), password=dialog.session_password())
        dialog.switched_to = new  # type: ignore[attr-defined]  # ours, on a Qt dialog

    dialog.accepted.connect(connected)
    window._team_dialog = dialog
    dialog.open()
    return dialog


def open_database_file(window):
    """A file dialog (opened, not exec'd) for another database file; choosing one
    replaces the window (see :func:`switch_to_file`). Returns the dialog."""
    from pathlib import Path

    from PySide6.QtWidgets import QFileDialog

    from planner.ui.common.file_dialogs import file_dialog

    current = window.document.database.path
    # in the open database's own folder: a dialog that never opens the files it lists
    dialog = file_dialog(window, "Open Database File",
                         current.parent if current is not None else Path.home(),
                         ["Mentorship Planner databases (*.db)", "All files (*)"])
    dialog.setObjectName("openDatabaseFile")
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.switched_to = None  # type: ignore[attr-defined]  # ours, on a Qt dialog

    def chosen(path: str) -> None:
        new = switch_to_file(window, path)
        dialog.switched_to = new  # type: ignore[attr-defined]  # ours, on a Qt dialog

    dialog.fileSelected.connect(chosen)
    window._file_dialog = dialog
    dialog.open()
    return dialog


def new_database_file(window):
    """A save dialog (opened, not exec'd) for a new database file; choosing a name that is
    not taken makes an empty database there and replaces the window (see
    :func:`switch_to_file`). An existing file is never replaced: it is said, and nothing
    changes. Returns the dialog."""
    from pathlib import Path

    from PySide6.QtWidgets import QFileDialog

    from planner.ui.common.file_dialogs import file_dialog

    current = window.document.database.path
    folder = current.parent if current is not None else Path.home()
    dialog = file_dialog(window, "New Database File", folder,
                         ["Mentorship Planner databases (*.db)"])
    dialog.setObjectName("newDatabaseFile")
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix("db")
    dialog.setOption(QFileDialog.Option.DontConfirmOverwrite)  # never replaced: said below
    dialog.selectFile(_free_name(folder))
    dialog.switched_to = None  # type: ignore[attr-defined]  # ours, on a Qt dialog

    def chosen(path: str) -> None:
        target = Path(path)
        if target.exists():
            window.show_message(f"{target.name} already exists; open it with File → Open "
                                "Database File…, or choose a new name")
            return
        if not target.parent.is_dir():
            window.show_message(f"The folder {target.parent} does not exist")
            return
        new = switch_to_file(window, str(target))
        dialog.switched_to = new  # type: ignore[attr-defined]  # ours, on a Qt dialog
        if new is not None:
            new.show_message(f"A new, empty database: {target}")

    dialog.fileSelected.connect(chosen)
    window._file_dialog = dialog
    dialog.open()
    return dialog


def _free_name(folder) -> str:
    """``planner-2.db``, ``planner-3.db``…: the first name not taken in ``folder``."""
    for n in range(2, 1000):
        name = f"planner-{n}.db"
        if not (folder / name).exists():
            return name
    return "planner-new.db"


def switch_to_file(window, path: str):
    """Replace ``window`` by one on the database file ``path``, holding its instance lock
    (read-only, with the banner, when another window has it). An encrypted file is
    unlocked first (keyring, else the passphrase dialog): then None is returned and the
    switch happens when it is unlocked. None when it cannot be opened (this window stays)."""
    import os

    from planner.domain.errors import PlannerError
    from planner.storage.target import resolve_target
    from planner.ui.security.passphrase_dialog import is_encrypted_database

    target = resolve_target(path)
    assert target.path is not None  # a file's path, never a server's URL
    current = window.document.database.path
    if current is not None and os.path.realpath(current) == os.path.realpath(target.path):
        window.show_message(f"{target.path.name} is already open in this window")
        return None
    spec, read_only = str(target.path), None
    try:
        lock = acquire_instance_lock(spec)
    except PlannerError as exc:  # another window has it: open it read-only
        lock, read_only = None, str(exc)
    if is_encrypted_database(spec):
        if read_only is not None:
            _cannot_open(window, read_only)
        else:
            _unlock_then_switch(window, spec, lock)
        return None
    return switch_database(window, spec, read_only=read_only, lock=lock)


def try_demo(window):
    """The empty state's "Try the demo": a fresh demo network in a new temporary file
    replaces the window, with a banner leading back. The user's own database is left as
    it is. Returns the new window (None if it could not be made: this window stays)."""
    import tempfile
    from pathlib import Path

    from planner.cli.demo import DEFAULT_CONTACTS, DEFAULT_TOUCHPOINTS
    from planner.demo import generate
    from planner.storage.database import open_database

    own = window.document.database.path
    path = Path(tempfile.mkdtemp(prefix="planner-demo-")) / "planner.db"

    def opener():
        opened = open_database(str(path))
        try:
            generate(opened.backend, DEFAULT_CONTACTS, DEFAULT_TOUCHPOINTS)
        except BaseException:
            opened.close()
            raise
        return opened

    new = _replace_window(window, opener, lock=acquire_instance_lock(str(path)))
    if new is not None:
        new.show_demo_banner(own)
        log.info("demo database: %s", path)
    return new


def leave_demo(window, own_database):
    """The demo banner's "Open your own database": back to the file the user came from,
    else their default database (``planner --demo``)."""
    from planner.storage.target import resolve_target

    path = own_database if own_database is not None else resolve_target(None).path
    return switch_to_file(window, str(path))


def _unlock_then_switch(window, spec: str, lock) -> None:
    from planner.ui.security.passphrase_dialog import Unlocker

    unlocker = Unlocker(spec, parent=window)

    def gave_up(message: str | None) -> None:
        _release(lock)
        if message:
            _cannot_open(window, message)

    unlocker.opened.connect(lambda handle: _replace_window(window, lambda: handle, lock=lock))
    unlocker.failed.connect(gave_up)
    unlocker.cancelled.connect(lambda: gave_up(None))
    window._unlocker = unlocker
    unlocker.start()


def switch_database(window, spec: str, *, password: str | None = None,
                    read_only: str | None = None, lock=None):
    """Open ``spec`` and, only if that worked, replace ``window`` by a window on it.

    ``password`` is a team database's password for this session only. ``lock`` is the
    new file's instance lock (released if opening fails). Returns the new window, or
    None when ``spec`` cannot be opened: then ``window`` stays as it was and says why.
    """
    from planner.storage.database import open_database

    return _replace_window(
        window, lambda: open_database(spec, read_only=read_only is not None, password=password),
        read_only=read_only, lock=lock)


def _replace_window(window, opener, *, read_only: str | None = None, lock=None):
    """The models are bound to one proxy, so one database per process: open the new one,
    build and show its window, then save and close the old window and its database."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from planner.domain.errors import PlannerError

    old = window.document.database
    watching = window.document.session.stop_watching()
    window.save_state()  # the new window opens where this one is
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        opened = opener()
        try:
            new = build_main_window(None, reuse=opened, read_only=read_only, watch=watching)
        except BaseException:
            opened.close()
            raise
    except BaseException as exc:
        old.bind()  # the new window failed after its database opened: back to this one
        if watching:
            window.document.session.start_watching()
        _release(lock)
        if not isinstance(exc, PlannerError):
            raise  # the error handler says it (and logs the traceback)
        log.warning("cannot switch to another database: %s", exc)
        _cannot_open(window, str(exc))
        return None
    finally:
        QApplication.restoreOverrideCursor()
    log.info("switched from %s to %s", old.target.display(), opened.target.display())
    from planner.ui.team.team_dialog import remember_last_database

    remember_last_database(new.settings, opened.target.url)  # a plain `planner` reopens it
    install_error_handler(new)
    new.show()  # before the old one closes: the last window closing would end the app
    app: Any = QApplication.instance()  # holds _planner_lock and _planner_window (app.py)
    held = getattr(app, "_planner_lock", None)
    if held is not None and held is not lock:
        held.unlock()  # leaving that file: another window may now have it
    app._planner_lock = lock
    app._planner_window = new  # kept alive (the first window is run_gui's)
    window.close()
    old.close()
    window.deleteLater()
    return new


def _release(lock) -> None:
    if lock is not None:
        lock.unlock()


def _cannot_open(window, message: str) -> None:
    """Opening another database failed: say why; the window stays as it was."""
    from PySide6.QtWidgets import QMessageBox

    said = message.strip()
    said = said if said.endswith((".", "!", "?")) else f"{said}."  # (a sentence, ended)
    box = QMessageBox(QMessageBox.Icon.Warning, "Mentorship Planner",
                      f"{said[:1].upper()}{said[1:]}\n\nThis window still shows "
                      f"{window.document.database.target.display()}.", parent=window)
    box.setObjectName("openProblem")
    window._open_problem = box
    window.show_message(f"Not opened: {message}")
    box.open()


def reopen_last_team_database(app):
    """The team database the user switched to last time, shown; None when there is none
    or it cannot be opened now (then the default file opens, and says why)."""
    from PySide6.QtCore import QSettings, QTimer

    from planner.domain.errors import PlannerError
    from planner.ui.team.team_dialog import last_team_database

    url = last_team_database(QSettings())
    if url is None:
        return None
    try:
        return show_window(url, None)
    except PlannerError as exc:
        if needs_team_password(url, exc):
            ask_team_password_then_run(app, url, exc, run=False)
            windows = getattr(app, "_planner_window", None)
            if windows is not None:
                return windows
        log.warning("cannot reopen the team database %s: %s", url, exc)
        note = (f"The team database you used last could not be opened ({exc}); this is "
                "your own database file. File → Open Team Database… tries again.")
        QTimer.singleShot(0, lambda: _say_on_windows(app, note))
        return None


def _say_on_windows(app, text: str) -> None:
    for widget in app.topLevelWidgets():
        if widget.objectName() == "mainWindow" and widget.isVisible():
            widget.show_message(text)


def needs_team_password(database: str | None, problem: Exception) -> bool:
    """A team database that refused us for want of (the right) password: known by the
    SQLSTATE (28P01) or libpq's "needs a password", never by the server's wording."""
    from planner.storage.failures import Failure
    from planner.storage.postgres.connection import CannotConnect

    return (bool(database and database.startswith(("postgresql:", "postgres:")))
            and isinstance(problem, CannotConnect)
            and problem.failure in (Failure.AUTH_FAILED, Failure.NO_PASSWORD))


def ask_team_password_then_run(app, database: str, problem: Exception, *,
                               run: bool = True) -> int:
    """Ask for the password in the team database dialog (the keyring had none); then the
    window (kept as ``app._planner_window``) and, if ``run``, the event loop. Cancel
    ends the app, as closing the window would."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QDialog

    from planner.services.team import account_url
    from planner.storage.database import open_database
    from planner.ui.team.team_dialog import TeamDatabaseDialog

    dialog = TeamDatabaseDialog(None, QSettings(), intro="The team database needs your "
                                "password (the system keyring has none for it).")
    dialog.url_box.setEditText(account_url(database))
    dialog.set_status(str(problem), error=True)
    dialog.password.setFocus()
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return 1
    opened = open_database(dialog.url(), password=dialog.session_password())
    app._planner_window = show_window(dialog.url(), opened)
    return app.exec() if run else 0
