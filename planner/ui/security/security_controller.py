"""Settings → Security: encrypt or decrypt the open database in two clicks.

The recovery passphrase is shown (and must be acknowledged) BEFORE the file is
converted, and turning encryption off is asked first (Keep Encrypted the default);
the conversion runs off the GUI thread with the window's own
connection closed (it needs the file to itself), then the database is
reopened and the window shows it again. A failure reopens what was there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from planner.domain.errors import PlannerError

log = logging.getLogger(__name__)


class RecoveryDialog(QDialog):
    """Shows the recovery passphrase once; Encrypt is enabled after "I have saved it"."""

    def __init__(self, parent, recovery: str, keyring: bool = True):
        super().__init__(parent)
        self.setObjectName("recoveryDialog")
        self.setWindowTitle("Encrypt the database")
        # without a keyring the passphrase is typed at every start: said before, not found
        # out after (it said "kept in the keyring when it has one" on a computer with none)
        kept = ("The key is kept in this computer's keyring." if keyring else
                "<b>This computer has no keyring: you will type this passphrase every time "
                "you open the database.</b>")
        intro = QLabel(
            f"Your notes will be encrypted on disk. {kept}<br><br>Write down this "
            "<b>recovery passphrase</b> and keep it somewhere safe. It opens the database on "
            "any computer; without it (and without this computer's keyring) nobody can read "
            "your data — not even you.", self)
        intro.setWordWrap(True)
        self.passphrase = QLabel(f"<p style='font-size:15pt; font-family:monospace'>"
                                 f"{recovery}</p>", self)
        self.passphrase.setTextInteractionFlags(
            self.passphrase.textInteractionFlags().TextSelectableByMouse)
        self.saved = QCheckBox("I have saved the recovery passphrase", self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.encrypt = self.buttons.addButton("Encrypt",
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.encrypt.setEnabled(False)
        self.saved.toggled.connect(self.encrypt.setEnabled)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.passphrase, self.saved, self.buttons):
            layout.addWidget(widget)


class SecurityController(QObject):
    finished = Signal(bool)  # True when the database was converted

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.document = window.document
        self.dialog: RecoveryDialog | None = None
        self.question: QMessageBox | None = None  # "turn encryption off?"
        self.running = False

    def status_lines(self) -> list[str]:
        from planner.services.security import security_status

        path = self.document.database.path
        if path is None:
            return ["Encryption applies to database files, not to team databases."]
        return security_status(str(path), check_keyring=False).lines()

    def is_encrypted(self) -> bool:
        return self.document.database.backend.key is not None

    # -- encrypt ---------------------------------------------------------------------------
    def ask_encrypt(self) -> RecoveryDialog | None:
        from planner.services.security import new_key

        if self.is_encrypted() or self.document.database.path is None:
            self.window.show_message("The database is already encrypted")
            return None
        new = new_key()
        assert new.recovery is not None  # a random key always comes with one
        from planner.services import secret_store

        dialog = RecoveryDialog(self.window, new.recovery,
                                keyring=secret_store.store_status().usable)
        dialog.accepted.connect(lambda: self.encrypt(new))
        self.dialog = dialog
        dialog.open()
        return dialog

    def encrypt(self, new) -> None:
        from planner.services.security import encrypt_database

        path = str(self.document.database.path)
        self._convert(lambda: encrypt_database(path, new), new.key,
                      "The database is encrypted. Keep your recovery passphrase safe.",
                      refused=" The recovery passphrase you were shown was not applied and "
                              "opens nothing.")

    # -- decrypt ---------------------------------------------------------------------------
    def ask_decrypt(self, parent: QWidget | None = None,
                    then: Callable[[], object] | None = None) -> QMessageBox | None:
        """Ask before the database and its backups are stored readable by anyone with the
        files (it ran at one press of a focused button); Keep Encrypted is the default and
        Escape's answer. ``then`` (``decrypt`` if None) runs when the person confirms."""
        from planner.services.security import security_status

        path = self.document.database.path
        if not self.is_encrypted() or path is None:
            self.window.show_message("The database is not encrypted")
            return None
        backups = security_status(str(path), check_keyring=False).backups_encrypted
        files = (f"{path.name} and its {backups} backup{'s' if backups != 1 else ''}"
                 if backups else path.name)
        box = QMessageBox(QMessageBox.Icon.Warning, "Turn Encryption Off",
                          "Turn encryption off?", QMessageBox.StandardButton.NoButton,
                          parent or self.window)
        box.setObjectName("decryptQuestion")
        box.setInformativeText(
            f"{files} will be stored as plain files: anyone who has them can read your notes "
            "about people, without a passphrase.")
        off = box.addButton("&Turn Encryption Off", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("&Keep Encrypted", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)

        def answered(_result: int) -> None:
            if box.clickedButton() is off:
                (then or self.decrypt)()

        box.finished.connect(answered)
        self.question = box
        box.open()
        return box

    def decrypt(self) -> None:
        from planner.services.security import decrypt_database
        key = self.document.database.backend.key
        if key is None:
            self.window.show_message("The database is not encrypted")
            return
        path = str(self.document.database.path)
        self._convert(lambda: decrypt_database(path, key), None,
                      "The database is no longer encrypted.")

    # -- the common part -----------------------------------------------------------------
    def _convert(self, job, new_key: str | None, success: str, refused: str = "") -> None:
        """Close the window's database (the conversion needs the file to itself), convert
        it off the GUI thread, reopen it with ``new_key`` — or, on failure, as it was."""
        from planner.ui.common.reopen import close_for_work
        from planner.ui.security.secret_worker import run_in_background

        if self.running:
            return
        self.running = True
        closed = close_for_work(self.document)
        self.window.show_message("Converting the database…")
        run_in_background(
            job,
            lambda _result: self._reopen(closed, new_key, success, True),
            lambda exc: self._failed(closed, exc, refused))

    def _failed(self, closed, exc: Exception, refused: str = "") -> None:
        if not isinstance(exc, PlannerError):
            log.error("encryption change failed", exc_info=exc)
        said = str(exc).rstrip(".")
        if not said.lower().endswith("nothing was changed"):
            said = f"Nothing was changed: {said}"
        self._reopen(closed, closed.key, f"{said}.{refused}", False)

    def _reopen(self, closed, key: str | None, text: str, converted: bool) -> None:
        try:
            closed.reopen(key)
        except PlannerError as exc:
            self.window.show_message(f"{closed.path} could not be opened again: {exc}")
            self.running = False
            self.finished.emit(False)
            return
        self.running = False
        self.window.show_message(text)
        self.finished.emit(converted)
