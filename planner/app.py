"""The composition root: opens the database, creates the document and the window."""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)


def build_main_window(database: str | None, *, watch: bool = True, reuse=None,
                      read_only: str | None = None):
    """The ready main window for a database path (or, later, URL).

    A QApplication must exist. Raises PlannerError when the database cannot be used.
    ``reuse`` passes an already opened database (the self-test's). ``read_only``
    (the reason, e.g. another window has it) opens it for reading only, with a banner.
    """
    from planner.document.document import PlannerDocument
    from planner.storage.database import open_database
    from planner.ui.main_window import MainWindow

    opened = reuse or open_database(database, read_only=read_only is not None)
    document = PlannerDocument(opened)
    window = MainWindow(document)
    document.setParent(window)
    window.destroyed.connect(lambda *_: opened.close())
    wire_database_actions(window)
    if read_only is not None:
        window.set_read_only(read_only)
    else:
        daily_backup(window, opened)
    if watch:
        document.start_watching()
    return window


def wire_database_actions(window) -> None:
    """File → Open database file… / Open team database… (the window only holds the actions:
    switching databases replaces the window, which is this module's business)."""
    actions = window.actions
    actions.open_file.triggered.connect(lambda: open_database_file(window))
    actions.open_team.triggered.connect(lambda: open_team_database(window))


def open_team_database(window):
    """The team database dialog (opened, not exec'd); once it connects, the window is
    replaced by one on the team database. Returns the dialog; its ``switched_to`` is the
    new window (None until then, or when opening failed: this window stays)."""
    from planner.ui.team_dialog import TeamDatabaseDialog

    dialog = TeamDatabaseDialog(window, window.settings)
    dialog.switched_to = None

    def connected() -> None:
        dialog.switched_to = switch_database(window, dialog.url(),
                                             password=dialog.session_password())

    dialog.accepted.connect(connected)
    window._team_dialog = dialog
    dialog.open()
    return dialog


def open_database_file(window):
    """A file dialog (opened, not exec'd) for another database file; choosing one
    replaces the window (see :func:`switch_to_file`). Returns the dialog."""
    from pathlib import Path

    from PySide6.QtWidgets import QFileDialog

    current = window.document.database.path
    dialog = QFileDialog(window, "Open Database File",
                         str(current.parent if current is not None else Path.home()),
                         "Mentorship Planner databases (*.db);;All files (*)")
    dialog.setObjectName("openDatabaseFile")
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.switched_to = None

    def chosen(path: str) -> None:
        dialog.switched_to = switch_to_file(window, path)

    dialog.fileSelected.connect(chosen)
    window._file_dialog = dialog
    dialog.open()
    return dialog


def switch_to_file(window, path: str):
    """Replace ``window`` by one on the database file ``path``, holding its instance lock
    (read-only, with the banner, when another window has it). An encrypted file is
    unlocked first (keyring, else the passphrase dialog): then None is returned and the
    switch happens when it is unlocked. None when it cannot be opened (this window stays)."""
    import os

    from planner.domain.errors import PlannerError
    from planner.storage.target import resolve_target
    from planner.ui.passphrase_dialog import is_encrypted_database

    target = resolve_target(path)
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


def _unlock_then_switch(window, spec: str, lock) -> None:
    from planner.storage.models import db_proxy
    from planner.ui.passphrase_dialog import Unlocker

    unlocker = Unlocker(spec, parent=window)

    def gave_up(message: str | None) -> None:
        db_proxy.initialize(window.document.database.db)  # a failed open may have rebound it
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
    from planner.storage.models import db_proxy

    old = window.document.database
    watching = window.document.stop_watching()
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
        db_proxy.initialize(old.db)  # the window goes on with its own database
        if watching:
            window.document.start_watching()
        _release(lock)
        if not isinstance(exc, PlannerError):
            raise  # the error handler says it (and logs the traceback)
        log.warning("cannot switch to another database: %s", exc)
        _cannot_open(window, str(exc))
        return None
    finally:
        QApplication.restoreOverrideCursor()
    log.info("switched from %s to %s", old.target.display(), opened.target.display())
    from planner.ui.team_dialog import remember_last_database

    remember_last_database(new.settings, opened.target.url)  # a plain `planner` reopens it
    install_error_handler(new)
    new.show()  # before the old one closes: the last window closing would end the app
    app = QApplication.instance()
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

    box = QMessageBox(QMessageBox.Icon.Warning, "Mentorship Planner",
                      f"{message[:1].upper()}{message[1:]}\n\nThis window still shows "
                      f"{window.document.database.target.display()}.", parent=window)
    box.setObjectName("openProblem")
    window._open_problem = box
    window.show_message(f"Not opened: {message}")
    box.open()


def daily_backup(window, opened) -> None:
    """Once a day at start, a copy into backups/ (rotated). Never blocks start-up: a
    failure is logged and said in the status bar, and the window opens anyway."""
    if opened.path is None:  # nothing to copy (not a database file)
        return
    from planner.services.backups import daily_backup_if_due

    try:
        made = daily_backup_if_due()
    except Exception as exc:  # a backup problem must not stop the app
        log.warning("the daily backup failed", exc_info=True)
        text = f"The daily backup failed: {exc}"
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, window, lambda: window.show_message(text))
        return
    if made is not None:
        log.info("daily backup: %s", made)


def make_application(argv: list[str] | None = None):
    from PySide6.QtWidgets import QApplication

    from planner import APP_ID, APP_NAME, __version__

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setApplicationVersion(__version__)
    return app


def install_error_handler(window) -> None:
    """Unexpected errors in the window: logged with their traceback; the user sees one
    short message with the log's path, and the app keeps running."""
    from planner.domain.errors import ConnectionLost, PlannerError
    from planner.logs import log_path

    def handle(exc_type, exc, tb):
        if issubclass(exc_type, PlannerError):
            team = getattr(window.document, "team", None)
            if issubclass(exc_type, ConnectionLost) and team is not None:
                team.go_offline(str(exc))  # a view's read found the team database gone
            window.show_message(str(exc))
            return
        log.error("unexpected error", exc_info=(exc_type, exc, tb))
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, "Something went wrong",
                          f"{exc_type.__name__}: {exc}\n\nThe details are in {log_path()}. "
                          "Your data is safe: every change is saved when it is made.",
                          parent=window)
        box.open()

    sys.excepthook = handle


def _show_window(database: str | None, opened):
    """The window for an already opened (unlocked) database, shown."""
    window = build_main_window(database, reuse=opened)
    install_error_handler(window)
    window.show()
    return window


def _database_path(database: str | None):
    from planner.domain.errors import PlannerError
    from planner.storage.target import resolve_target

    try:
        return resolve_target(database).path
    except PlannerError:
        return None


def acquire_instance_lock(database: str | None):
    """One window per database: a QLockFile beside it (``planner.db.lock``), held while
    the window runs. Raises DatabaseProblem when another window holds it; returns None
    (no lock) when the folder cannot hold a lock file (read-only) or there is no file."""
    from PySide6.QtCore import QLockFile

    from planner.domain.errors import DatabaseProblem

    path = _database_path(database)
    if path is None or not path.parent.is_dir():
        return None
    lock = QLockFile(f"{path}.lock")
    lock.setStaleLockTime(0)  # only a live process holds it; a crashed one's is taken over
    if lock.tryLock(100):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        info = lock.getLockInfo()  # (pid, host, app name); shapes vary with the binding
        pid, host = (info[-3], info[-2]) if isinstance(info, tuple) and len(info) >= 3 else (0, "")
        who = f" (process {pid}{' on ' + host if host else ''})" if pid else ""
        raise DatabaseProblem(
            f"{path} is already open in another Mentorship Planner window{who}; switch to "
            "that window (the command line can still change it while the window is open)"
        )
    return None  # e.g. a read-only folder: no lock file, nothing else to protect


def offer_restore(database: str | None, problem: Exception, *, parent=None,
                  on_done=None):
    """After opening failed: if a backup is kept beside the file, a dialog (opened, not
    exec'd) offering "Restore the latest backup". ``on_done(restored: bool)`` runs when
    it closes. Returns the dialog, or None when there is nothing to offer."""
    from PySide6.QtWidgets import QMessageBox

    from planner.domain.errors import PlannerError
    from planner.storage.database import latest_backup
    from planner.storage.dump import classify_file

    path = _database_path(database)
    latest = latest_backup(path) if path is not None else None
    if latest is None or classify_file(path).kind != "damaged":  # only damage is undone so
        return None
    box = QMessageBox(QMessageBox.Icon.Critical, "Mentorship Planner",
                      f"{problem}\n\nThe latest backup is {latest.name}. Restoring it keeps a "
                      "copy of the current file in the backups folder.", parent=parent)
    restore_button = box.addButton("Restore the latest backup", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(restore_button)

    def finished(_result) -> None:
        restored = False
        if box.clickedButton() is restore_button:
            from planner.services.backups import restore

            try:
                restore(latest, path)
                restored = True
            except PlannerError as exc:
                failed = QMessageBox(QMessageBox.Icon.Critical, "Mentorship Planner",
                                     f"The backup could not be restored: {exc}", parent=parent)
                failed.open()
                box.failed = failed
        box.restored = restored
        if on_done is not None:
            on_done(restored)

    box.restored = False
    box.restore_button = restore_button
    box.finished.connect(finished)
    box.open()
    return box


def run_gui(database: str | None) -> int:
    """``planner`` with no command: open the window, or say clearly why not."""
    from planner.domain.errors import DatabaseProblem, PlannerError
    from planner.logs import setup_logging

    setup_logging()
    app = make_application()
    from planner.ui import theme

    theme.apply_theme(theme.saved_choice(), app)
    from planner.ui.passphrase_dialog import is_encrypted_database, unlock_and_run

    if database is None and not os.environ.get("PLANNER_DB"):
        window = _reopen_last_team_database(app)
        if window is not None:
            return app.exec()
    read_only = None
    try:
        lock = acquire_instance_lock(database)
    except PlannerError as exc:  # another window has it: this one opens read-only
        lock, read_only = None, str(exc)
        if is_encrypted_database(database):
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, "Mentorship Planner", str(exc))
            raise
    app._planner_lock = lock  # held (and released at exit) with the application
    if is_encrypted_database(database):  # key from the keyring off this thread, else a dialog
        return unlock_and_run(app, database, lambda opened: _show_window(database, opened))
    try:
        window = build_main_window(database, read_only=read_only)
    except PlannerError as exc:
        from PySide6.QtWidgets import QMessageBox

        if needs_team_password(database, exc):
            return ask_team_password_then_run(app, database, exc)
        if isinstance(exc, DatabaseProblem) and _restore_then_run(app, database, exc):
            return 0
        QMessageBox.critical(None, "Mentorship Planner", str(exc))
        raise
    install_error_handler(window)
    window.show()
    return app.exec()


def _reopen_last_team_database(app):
    """The team database the user switched to last time, shown; None when there is none
    or it cannot be opened now (then the default file opens, and says why)."""
    from PySide6.QtCore import QSettings, QTimer

    from planner.domain.errors import PlannerError
    from planner.ui.team_dialog import last_team_database

    url = last_team_database(QSettings())
    if url is None:
        return None
    try:
        return _show_window(url, None)
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
    """A team database that refused us for want of (the right) password."""
    text = str(problem).lower()
    return bool(database and database.startswith(("postgresql:", "postgres:"))) and any(
        marker in text for marker in ("password authentication failed", "no password supplied",
                                      "fe_sendauth"))


def ask_team_password_then_run(app, database: str, problem: Exception, *,
                               run: bool = True) -> int:
    """Ask for the password in the team database dialog (the keyring had none); then the
    window (kept as ``app._planner_window``) and, if ``run``, the event loop. Cancel
    ends the app, as closing the window would."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QDialog

    from planner.storage.database import open_database
    from planner.storage.postgres import account_for_url
    from planner.ui.team_dialog import TeamDatabaseDialog

    dialog = TeamDatabaseDialog(None, QSettings(), intro="The team database needs your "
                                "password (the system keyring has none for it).")
    dialog.url_box.setEditText(account_for_url(database))
    dialog.set_status(str(problem), error=True)
    dialog.password.setFocus()
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return 1
    opened = open_database(dialog.url(), password=dialog.session_password())
    app._planner_window = _show_window(dialog.url(), opened)
    return app.exec() if run else 0


def _restore_then_run(app, database: str | None, problem: Exception) -> bool:
    """Offer the latest backup; True if it was restored and the window then ran."""
    outcome: dict = {}

    def done(restored: bool) -> None:
        outcome["restored"] = restored
        if restored:
            try:
                outcome["window"] = _show_window(database, None)
            except Exception:
                outcome["restored"] = False
                log.exception("the restored database cannot be opened either")
        if "window" not in outcome:
            app.quit()
        app.setQuitOnLastWindowClosed(True)

    app.setQuitOnLastWindowClosed(False)  # the dialog closing must not end the app yet
    box = offer_restore(database, problem, on_done=done)
    if box is None:
        app.setQuitOnLastWindowClosed(True)
        return False
    app.exec()
    return bool(outcome.get("window"))
