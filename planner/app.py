"""The composition root: opens the database, creates the document and the window."""

from __future__ import annotations

import logging
import sys

log = logging.getLogger(__name__)


def build_main_window(database: str | None, *, watch: bool = True, reuse=None):
    """The ready main window for a database path (or, later, URL).

    A QApplication must exist. Raises PlannerError when the database cannot be used.
    ``reuse`` passes an already opened database (the self-test's).
    """
    from planner.document.document import PlannerDocument
    from planner.storage.database import open_database
    from planner.ui.main_window import MainWindow

    opened = reuse or open_database(database)
    document = PlannerDocument(opened)
    window = MainWindow(document)
    document.setParent(window)
    window.destroyed.connect(lambda *_: opened.close())
    daily_backup(window, opened)
    if watch:
        document.start_watching()
    return window


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
    from planner.domain.errors import PlannerError
    from planner.logs import log_path

    def handle(exc_type, exc, tb):
        if issubclass(exc_type, PlannerError):
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


def run_gui(database: str | None) -> int:
    """``planner`` with no command: open the window, or say clearly why not."""
    from planner.domain.errors import PlannerError
    from planner.logs import setup_logging

    setup_logging()
    app = make_application()
    from planner.ui import theme

    theme.apply_theme(theme.saved_choice(), app)
    from planner.ui.passphrase_dialog import is_encrypted_database, unlock_and_run

    if is_encrypted_database(database):  # key from the keyring off this thread, else a dialog
        return unlock_and_run(app, database, lambda opened: _show_window(database, opened))
    try:
        window = build_main_window(database)
    except PlannerError as exc:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "Mentorship Planner", str(exc))
        raise
    install_error_handler(window)
    window.show()
    return app.exec()
