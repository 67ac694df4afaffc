"""The composition root: opens the database, creates the document and the window."""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Callable

log = logging.getLogger(__name__)

#: called with the name of each start-up step as it ends ("imports", "document"): the
#: start-up benchmark's probe times the phases with it (tests/benchmarks/probe_window.py)
on_startup_step: Callable[[str], None] | None = None


def _step(name: str) -> None:
    if on_startup_step is not None:
        on_startup_step(name)


def quicker_qt_imports() -> None:
    """Once PySide6 is imported it looks at every module imported after it, to know whether
    the module uses PySide6, for its opt-in ``from __feature__ import …`` (snake_case
    names, true properties): it reads the module's whole source through
    ``inspect.getsource``. That answer only matters once some module has asked for a
    feature. Until then, every module is left unlooked-at, which PySide6 treats as it
    treats a module that does not use it: both keep the selection in effect, and before
    any feature is asked for that selection is "no feature". The first
    ``from __feature__ import`` makes PySide6 look at every module it has not seen
    (``feature.__init__``), and from then on each new module is looked at as it is
    imported, as PySide6 does (issue 23: 155 modules read before the first frame, 6–11
    ms of a start).

    The look itself reads the file's bytes instead of ``inspect.getsource`` (linecache,
    the encoding cookie, the lines: 0.2–0.5 ms a module). PySide6's own check stays for
    a module that has no plain source file, and everything stays as it is if PySide6
    has no such hooks (another version)."""
    feature = sys.modules.get("shibokensupport.feature")
    check = getattr(feature, "_mod_uses_pyside", None)
    imported = getattr(feature, "feature_imported", None)
    if (check is None or imported is None or getattr(check, "planner_quick", False)
            or not isinstance(getattr(feature, "_is_initialized", None), bool)):
        return

    def uses_pyside(module) -> bool:
        origin = getattr(getattr(module, "__spec__", None), "origin", None)
        if not (isinstance(origin, str) and origin.endswith(".py")):
            return check(module)
        try:
            with open(origin, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return False

    def feature_imported(module) -> None:
        if getattr(feature, "_is_initialized", True):  # a feature has been asked for
            imported(module)

    uses_pyside.planner_quick = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]
    feature.feature_imported = feature_imported  # type: ignore[union-attr]


quicker_qt_imports()  # (when Qt is already imported: the modules imported from here on)


def build_main_window(database: str | None, *, watch: bool = True, reuse=None,
                      read_only: str | None = None):
    """The ready main window for a database path (or, later, URL).

    A QApplication must exist. Raises PlannerError when the database cannot be used.
    ``reuse`` passes an already opened database (the self-test's). ``read_only``
    (the reason, e.g. another window has it) opens it for reading only, with a banner.
    """
    from planner.document.document import PlannerDocument
    from planner.storage.database import open_database
    from planner.ui.window.main_window import MainWindow

    _step("imports")
    opened = reuse or open_database(database, read_only=read_only is not None)
    document = PlannerDocument(opened)
    _step("document")
    window = MainWindow(document)
    document.setParent(window)
    window.destroyed.connect(lambda *_: opened.close())
    wire_database_actions(window)
    if read_only is not None:
        window.set_read_only(read_only)
    else:
        daily_backup(window, opened)
    if watch:
        document.session.start_watching()

    def reminders(win):
        from planner.ui.focus.reminders import attach_reminders

        return attach_reminders(win, notify=watch)

    # the tray icon, This week's review and snoozes; the daily notification only in a
    # window that watches its database (the running app, not a test's window). Attached
    # once the first frame is on screen (or when first asked for: `planner --tray`)
    window.attach_reminders_later(reminders)
    keep_start_up_out_of_collections(window)
    return window


def keep_start_up_out_of_collections(window) -> None:
    """Once the first frame and the work that waited for it are done, what start-up made
    (modules, classes, Qt wrappers, the window's widgets: some 300,000 objects that live as
    long as the window) is frozen out of the cyclic garbage collector (``gc.freeze``), and
    thawed when the window is destroyed (a switch of database, a test's window), so that
    nothing of a closed window is kept; if another window is still open (the new one of a
    switch) what is left is collected once and frozen again a second later.

    Without it each full collection walks all of them again: 15–21 ms on the GUI thread,
    which the user sees as a stutter in whatever they do at that moment (it was the worst
    frame of scrolling 100,000 people, issue 23). The collections of the objects made from
    then on stay as they were. Registered last, so it runs after the window's own tasks."""
    from PySide6.QtCore import QTimer

    from planner.ui.common.first_frame import after_first_frame

    key = id(window)

    def freeze() -> None:
        _FROZEN_FOR.add(key)
        gc.freeze()

    def thaw(*_args) -> None:
        _FROZEN_FOR.discard(key)
        gc.unfreeze()
        if _FROZEN_FOR:  # the other window's objects go out of the collections again, a
            # moment later: once whoever closed this one (a switch) has let go of it
            QTimer.singleShot(1000, _freeze_again)

    after_first_frame(window, freeze)
    window.destroyed.connect(thaw)


#: the windows whose start-up is frozen out of the garbage collector (their ids)
_FROZEN_FOR: set[int] = set()


def _freeze_again() -> None:
    if _FROZEN_FOR:
        gc.collect()  # what the closed window left in cycles goes first
        gc.freeze()


def wire_database_actions(window) -> None:
    """File → New / Open database file… / Open team database… (the window only holds the actions:
    switching databases replaces the window, which is this module's business)."""
    actions = window.window_actions
    from planner.switching import (
        leave_demo,
        new_database_file,
        open_database_file,
        open_team_database,
        try_demo,
    )

    actions.new_file.triggered.connect(lambda: new_database_file(window))
    actions.open_file.triggered.connect(lambda: open_database_file(window))
    actions.open_team.triggered.connect(lambda: open_team_database(window))
    window.empty_state.demo_requested.connect(lambda: try_demo(window))
    window.leave_demo.connect(lambda own: leave_demo(window, own))


def daily_backup(window, opened) -> None:
    """Once a day at start, a copy into backups/ (rotated). Never blocks start-up: it runs
    on a worker thread once the first frame is on screen (issue 23: a thread started
    before it competes with the GUI thread for the interpreter), and a failure is logged
    and said in the status bar; the window works meanwhile. ``window.daily_backup_job``
    is the thread (tests join it)."""
    if opened.path is None:  # nothing to copy (not a database file)
        return
    import threading

    from PySide6.QtCore import QObject, Signal

    class Outcome(QObject):
        failed = Signal(str)

    outcome = Outcome(window)
    outcome.failed.connect(window.show_message)  # queued: shown on the GUI thread

    def work() -> None:
        from planner.services.backups import daily_backup_if_due
        from planner.storage.threads import worker_connection

        try:
            with worker_connection():
                made = daily_backup_if_due(opened.backend)
            if made is not None:
                log.info("daily backup: %s", made)
        except Exception as exc:  # a backup problem must not stop the app
            log.warning("the daily backup failed", exc_info=True)
            try:
                outcome.failed.emit(f"The daily backup failed: {exc}")
            except RuntimeError:  # the window is gone
                pass

    def start() -> None:
        job = threading.Thread(target=work, name="daily-backup", daemon=True)
        window.daily_backup_job = job
        job.start()

    window.daily_backup_job = None
    from planner.ui.common.first_frame import after_first_frame

    after_first_frame(window, start)


def make_application(argv: list[str] | None = None):
    from PySide6.QtWidgets import QApplication

    quicker_qt_imports()
    from planner import APP_ID, APP_NAME, __version__

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_ID)
    QApplication.setApplicationDisplayName(APP_NAME)  # static (instance() is a QCoreApplication)
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
            if issubclass(exc_type, ConnectionLost):  # a view's read found the team
                window.document.session.went_offline(str(exc))  # database gone
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


def show_window(database: str | None, opened):
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
    the window runs (planner.instance_lock). Raises DatabaseProblem when another window
    holds it; returns None (no lock) when the folder cannot hold a lock file (read-only)
    or there is no file."""
    from planner.instance_lock import acquire

    path = _database_path(database)
    if path is None or not path.parent.is_dir():
        return None
    return acquire(path)


def offer_restore(database: str | None, problem: Exception, *, parent=None,
                  on_done=None):
    """After opening failed: if a backup is kept beside the file, a dialog (opened, not
    exec'd) offering "Restore the latest backup". ``on_done(restored: bool)`` runs when
    it closes. Returns the dialog, or None when there is nothing to offer."""
    from PySide6.QtWidgets import QAbstractButton, QMessageBox

    from planner.domain.errors import PlannerError
    from planner.storage.database import latest_backup
    from planner.storage.dump import classify_file

    class RestoreOffer(QMessageBox):
        """The box, with what its caller and the tests read once it has closed."""
        restore_button: QAbstractButton
        restored: bool = False
        failed: QMessageBox | None = None  # kept alive while it shows

    path = _database_path(database)
    latest = latest_backup(path) if path is not None else None
    if latest is None or classify_file(path).kind not in ("damaged", "altered"):  # undoable
        return None
    box = RestoreOffer(QMessageBox.Icon.Critical, "Mentorship Planner",
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
                restore(None, latest, path)  # (the open failed: none is open)
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


def run_gui(database: str | None, *, demo: bool = False, tray: bool = False,
            owns_process: bool = False) -> int:
    """``planner`` with no command: open the window, or say clearly why not. ``demo``:
    ``database`` is a temporary demo database (``planner --demo``): a banner says so.
    ``tray`` (``planner --tray``, how it starts at login): minimised to the tray icon
    when there is a tray. ``owns_process``: the window is the process (the command line's
    ``planner``), so Ctrl+C and SIGTERM close it as Quit does (``terminal_signals``)."""
    # Start-up makes a few hundred thousand objects that live as long as the window
    # (modules, classes, Qt wrappers, the people): the cyclic garbage collector would walk
    # them again and again while they are made — a fifth of start-up (issue 23). It is off
    # until the first frame is on screen.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run_gui(database, demo=demo, tray=tray, owns_process=owns_process,
                        resume_gc=gc.enable if collecting else gc.disable)
    finally:
        if collecting:
            gc.enable()


def _run_gui(database: str | None, *, demo: bool, tray: bool, owns_process: bool,
             resume_gc: Callable[[], None]) -> int:
    from planner.domain.errors import DatabaseProblem, PlannerError
    from planner.logs import setup_logging

    setup_logging()
    app = make_application()
    from planner.ui.common import theme

    if owns_process:
        from planner.ui.common import terminal_signals

        terminal_signals.install(app)  # Ctrl+C in the terminal: closed as Quit does (130)

    theme.apply_theme(theme.saved_choice(), app)

    if database is None and not (os.environ.get("PLANNER_DB") or "").strip():
        from planner.switching import reopen_last_team_database

        resume_gc()  # (a team database: the window comes after its connection)
        window = reopen_last_team_database(app)
        if window is not None:
            return app.exec()
        gc.disable()
    read_only = None
    try:
        lock = acquire_instance_lock(database)
    except PlannerError as exc:  # another window has it: this one opens read-only
        lock, read_only = None, str(exc)
        if _is_encrypted(database):
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, "Mentorship Planner", str(exc))
            raise
    app._planner_lock = lock  # held (and released at exit) with the application
    if _is_encrypted(database):  # key from the keyring off this thread, else a dialog
        from planner.ui.security.passphrase_dialog import unlock_and_run

        resume_gc()  # (the window comes after the key, maybe after a dialog)
        return unlock_and_run(app, database, lambda opened: show_window(database, opened))
    try:
        window = build_main_window(database, read_only=read_only)
    except PlannerError as exc:
        from PySide6.QtWidgets import QMessageBox

        from planner.switching import ask_team_password_then_run, needs_team_password

        resume_gc()
        if database is not None and needs_team_password(database, exc):
            return ask_team_password_then_run(app, database, exc)
        if isinstance(exc, DatabaseProblem) and _restore_then_run(app, database, exc):
            return 0
        QMessageBox.critical(None, "Mentorship Planner", str(exc))
        raise
    install_error_handler(window)
    if demo:
        window.show_demo_banner(None)
    if not (tray and window.reminders.tray.isVisible()):
        window.show()
    from planner.ui.common.first_frame import after_first_frame

    after_first_frame(window, resume_gc)
    return app.exec()


def _is_encrypted(database: str | None) -> bool:
    """planner.ui.security.passphrase_dialog.is_encrypted_database, without importing the
    dialog's code for the plain files nearly everyone has (issue 23): the file's first
    bytes only."""
    from planner.storage.sqlite.file_state import file_state
    from planner.storage.target import resolve_target

    target = resolve_target(database)
    return target.path is not None and file_state(target.path) == "encrypted"


def _restore_then_run(app, database: str | None, problem: Exception) -> bool:
    """Offer the latest backup; True if it was restored and the window then ran."""
    outcome: dict = {}

    def done(restored: bool) -> None:
        outcome["restored"] = restored
        if restored:
            try:
                outcome["window"] = show_window(database, None)
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
