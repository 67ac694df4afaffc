"""Opening an encrypted database in the window: keyring first, else a passphrase dialog.

* :class:`PassphraseDialog` (opened with ``open()``) asks for the passphrase or
  recovery passphrase, refuses an empty one at once, checks the rest off the
  GUI thread (a SQLCipher key check costs ~0.2 s) and stays open on a wrong
  one, saying so. It emits ``unlocked(key, remember)`` and accepts.
  "Remember on this machine" stores the key in the keyring; it is disabled,
  with the one-time notice "secrets cannot be remembered on this machine"
  shown in the dialog, when there is no usable secret store.
* :class:`Unlocker` looks the key up in the keyring off the GUI thread, asks
  with the dialog if needed, then opens the database on the GUI thread (the
  window's connection belongs to it) and emits ``opened(OpenDatabase)``.
* :func:`unlock_and_run` is what ``app.run_gui`` uses for an encrypted file.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from planner.domain.errors import InvalidInput, PlannerError
from planner.services import secret_store, unlock
from planner.ui.common.fit import keep_fitted
from planner.ui.common.tone import set_tone
from planner.ui.security.secret_worker import install_notice_handler, run_in_background

log = logging.getLogger(__name__)

NO_STORE = (
    "Secrets cannot be remembered on this machine ({reason}), so the passphrase is asked "
    "for each time the database opens."
)


def is_encrypted_database(database) -> bool:
    """Does ``database`` name an encrypted file? Looks at its first bytes only."""
    return unlock.is_encrypted(database)


class PassphraseDialog(QDialog):
    """Asks for an encrypted database's passphrase and checks it before accepting."""

    #: (key that opens the file, remember it on this machine)
    unlocked = Signal(str, bool)

    def __init__(
        self, path: Path, *, store: secret_store.StoreStatus | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.path = Path(path)
        self.key: str | None = None
        self.setObjectName("passphraseDialog")
        self.setWindowTitle("Unlock database")
        self.setAccessibleName("Unlock the encrypted database")
        store = store or secret_store.store_status()
        layout = QVBoxLayout(self)

        intro = QLabel(
            f"<b>{self.path.name}</b> is encrypted. Enter its passphrase or the "
            "recovery passphrase you were shown when it was encrypted."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        where = QLabel(str(self.path))
        where.setObjectName("databasePath")
        where.setWordWrap(True)
        layout.addWidget(where)

        self.edit = QLineEdit()
        self.edit.setObjectName("passphrase")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName("Passphrase")
        self.edit.setPlaceholderText("Passphrase or recovery passphrase")
        layout.addWidget(self.edit)
        intro.setBuddy(self.edit)

        self.remember = QCheckBox("&Remember on this machine (in the system keyring)")
        self.remember.setObjectName("rememberKey")
        layout.addWidget(self.remember)

        self.notice = QLabel()
        self.notice.setObjectName("secretStoreNotice")
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        if store.usable:
            self.remember.setChecked(True)
            self.notice.hide()
        else:
            self.remember.setChecked(False)
            self.remember.setEnabled(False)
            self.notice.setText(NO_STORE.format(reason=store.reason))
            self.notice.setAccessibleName("Secrets cannot be remembered on this machine")
            secret_store.mark_notice_given()  # this is the one-time notice

        self.error = QLabel()
        self.error.setObjectName("passphraseError")
        self.error.setWordWrap(True)
        set_tone(self.error, "error")
        self.error.hide()
        layout.addWidget(self.error)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Unlock")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.checking = False
        keep_fitted(self)  # the error line adds lines: the dialog grows, no words are cut

    # ------------------------------------------------------------------ checking

    def submit(self) -> None:
        """Check what was typed (off the GUI thread); accept only if it opens the file."""
        if self.checking:
            return
        typed = self.edit.text()
        try:
            candidates = unlock.keys_for_passphrase(typed)
        except InvalidInput as exc:
            self.show_error(str(exc))
            return
        self._busy(True)
        path = self.path
        run_in_background(
            lambda: unlock.key_that_opens(path, candidates),
            lambda key: self._checked(key, typed),
            self._failed,
        )

    def _checked(self, key: str | None, typed: str) -> None:
        self._busy(False)
        if key is None:
            hint = ""
            if unlock.looks_like_recovery(typed):
                hint = " It looks like a recovery passphrase with a typo: check each group."
            self.show_error(f"That passphrase does not open {self.path.name}.{hint}")
            self.edit.selectAll()
            self.edit.setFocus()
            return
        self.key = key
        self.unlocked.emit(key, self.remember.isChecked() and self.remember.isEnabled())
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self._busy(False)
        self.show_error(str(exc))

    def _busy(self, busy: bool) -> None:
        self.checking = busy
        self.edit.setEnabled(not busy)
        self.ok_button.setEnabled(not busy)
        if busy:
            self.error.hide()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setAccessibleName(message)
        self.error.show()


class Unlocker(QObject):
    """Finds an encrypted database's key (keyring, else the dialog) and opens it."""

    opened = Signal(object)  # OpenDatabase, opened on the GUI thread
    cancelled = Signal()
    failed = Signal(str)

    def __init__(self, database, parent: QObject | None = None):
        super().__init__(parent)
        self.database = database
        self.target = unlock.target_of(database)
        self.path = self.target.path
        self.dialog: PassphraseDialog | None = None

    def start(self) -> None:
        # The lookup's one-time notice, if any, is said by the dialog (not a message box).
        secret_store.set_notice_handler(lambda message: None)
        target = self.target
        run_in_background(
            lambda: unlock.kept_keys(target),  # may block: a locked keychain
            self._looked_up,
            lambda exc: self._looked_up((secret_store.StoreStatus(False, "", str(exc)), [])),
        )

    def _looked_up(self, found: tuple[secret_store.StoreStatus, list[str]]) -> None:
        """Try the keyring's keys (current, then pending) by opening with them.

        Opening proves the key with the read it needs anyway, which saves a key
        derivation (~0.13 s) over checking first.
        """
        store, keys = found
        install_notice_handler()  # later notices: a message box in the window
        if not store.usable:
            secret_store.mark_notice_given()  # the dialog says it
        try:
            handle, index = unlock.open_with_keys(self.database, keys)
        except PlannerError as exc:
            self.failed.emit(str(exc))
            return
        if handle is not None:
            if index:  # the pending key of an interrupted conversion: now the key
                self._remember(keys[index])
            self.opened.emit(handle)
            return
        self._ask(store)

    def _ask(self, store: secret_store.StoreStatus) -> None:
        assert self.path is not None  # an encrypted database is a file
        self.dialog = PassphraseDialog(self.path, store=store)
        self.dialog.unlocked.connect(self._entered)
        self.dialog.rejected.connect(self.cancelled)
        self.dialog.open()

    def _entered(self, key: str, remember: bool) -> None:
        if remember:
            self._remember(key)
        self._open(key)

    def _remember(self, key: str) -> None:
        target = self.target

        def stored(_result) -> None:
            log.info("kept the key of %s in the keyring", target.display())

        run_in_background(
            lambda: unlock.keep_key(target, key),
            stored,
            lambda exc: log.warning("could not keep the key: %s", exc),
        )

    def _open(self, key: str) -> None:
        try:
            handle = unlock.open_with_key(self.database, key)
        except PlannerError as exc:
            self.failed.emit(str(exc))
            return
        self.opened.emit(handle)


def unlock_and_run(app, database, show) -> int:
    """Run the app for an encrypted ``database``: unlock it, then ``show(opened)`` the window.

    ``show`` returns the window. Exits with 1 if the person cancels or the
    database cannot be opened (after saying why).
    """
    from PySide6.QtWidgets import QMessageBox

    quits = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)  # no window yet while the dialog comes and goes
    unlocker = Unlocker(database)
    kept: dict = {"unlocker": unlocker}

    def opened(handle) -> None:
        try:
            kept["window"] = show(handle)
        except PlannerError as exc:
            handle.close()
            failed(str(exc))
            return
        app.setQuitOnLastWindowClosed(quits)

    def failed(message: str) -> None:
        log.error("cannot open %s: %s", database, message)
        box = QMessageBox(QMessageBox.Icon.Critical, "Mentorship Planner", message)
        box.finished.connect(lambda *_: app.exit(1))
        kept["box"] = box
        box.open()

    unlocker.opened.connect(opened)
    unlocker.failed.connect(failed)
    unlocker.cancelled.connect(lambda: app.exit(1))
    unlocker.start()
    return app.exec()
