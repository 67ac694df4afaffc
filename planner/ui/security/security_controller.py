"""Settings → Security: encrypt or decrypt the open database in two clicks, change its
passphrase.

The new key is a recovery passphrase made for the person or one they choose (the rule of
``planner db encrypt --own-passphrase``: planner.services.security.passphrase_problem).
Changing the passphrase asks the current one when the key is not in the keyring.

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
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from planner.domain.errors import InvalidInput, PlannerError
from planner.ui.common.fit import keep_fitted
from planner.ui.common.tone import set_tone

log = logging.getLogger(__name__)


MADE_FOR_ME = "Use a &recovery passphrase made for me"
MY_OWN = "&Choose my own passphrase"
MISMATCH = "The two passphrases do not match."


class RecoveryDialog(QDialog):
    """The new key of the database: a recovery passphrase made for the person (shown once;
    the button is enabled after "I have saved it") or one they choose (typed twice, masked,
    checked as they type with the rule of ``planner db encrypt --own-passphrase``).

    For a change of passphrase (``change=True``) the current passphrase is asked first
    when ``current_key`` is given (the key is not in the keyring: whoever sits at the open
    window must still know it).
    """

    def __init__(self, parent, made, keyring: bool = True, *, change: bool = False,
                 current_key: str | None = None, same_key: str | None = None):
        """``made``: the :class:`planner.services.security.NewKey` made for the person."""
        super().__init__(parent)
        self._made = made
        recovery = made.recovery
        self.setObjectName("changeKeyDialog" if change else "recoveryDialog")
        self.setWindowTitle("Change the passphrase" if change else "Encrypt the database")
        self.current_key = current_key
        self.same_key = same_key  # the key now: a new passphrase must differ from it
        # without a keyring the passphrase is typed at every start: said before, not found
        # out after (it said "kept in the keyring when it has one" on a computer with none)
        if keyring:
            kept = ("The new key is kept in this computer's keyring." if change else
                    "The key is kept in this computer's keyring.")
        elif change:
            kept = ("<b>The key is not kept on this computer: you will type the new "
                    "passphrase every time you open the database.</b>")
        else:
            kept = ("<b>This computer has no keyring: you will type this passphrase every "
                    "time you open the database.</b>")
        first = ("The database and its backups will be encrypted with a new key; the old "
                 "passphrase and the old recovery passphrase will no longer open them."
                 if change else "Your notes will be encrypted on disk.")
        intro = QLabel(f"{first} {kept}", self)
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)

        self.current: QLineEdit | None = None
        self.current_error = QLabel(self)
        self.current_error.setObjectName("currentPassphraseError")
        self.current_error.setWordWrap(True)
        set_tone(self.current_error, "error")
        self.current_error.hide()
        if current_key is not None:
            self.current = QLineEdit(self)
            self.current.setObjectName("currentPassphrase")
            self.current.setEchoMode(QLineEdit.EchoMode.Password)
            self.current.setAccessibleName("Current passphrase")
            self.current.setPlaceholderText("Current passphrase or recovery passphrase")
            label = QLabel("C&urrent passphrase (or recovery passphrase):", self)
            label.setBuddy(self.current)
            layout.addWidget(label)
            layout.addWidget(self.current)
            layout.addWidget(self.current_error)
            self.current.textChanged.connect(self._check)
            self.current.textChanged.connect(lambda _text: self.current_error.hide())

        self.made = QRadioButton(MADE_FOR_ME, self)
        self.made.setObjectName("madeForMe")
        self.own = QRadioButton(MY_OWN, self)
        self.own.setObjectName("ownPassphrase")
        self.made.setChecked(True)

        self.made_part = QWidget(self)
        made_layout = QVBoxLayout(self.made_part)
        made_layout.setContentsMargins(24, 0, 0, 0)
        about = QLabel(
            "Write down this <b>recovery passphrase</b> and keep it somewhere safe. It opens "
            "the database on any computer; without it (and without this computer's keyring) "
            "nobody can read your data — not even you.", self.made_part)
        about.setWordWrap(True)
        self.passphrase = QLabel(f"<p style='font-size:15pt; font-family:monospace'>"
                                 f"{recovery}</p>", self.made_part)
        self.passphrase.setTextInteractionFlags(
            self.passphrase.textInteractionFlags().TextSelectableByMouse)
        self.saved = QCheckBox("I have &saved the recovery passphrase", self.made_part)
        for widget in (about, self.passphrase, self.saved):
            made_layout.addWidget(widget)

        self.own_part = QWidget(self)
        own_layout = QVBoxLayout(self.own_part)
        own_layout.setContentsMargins(24, 0, 0, 0)
        own_about = QLabel(
            "Your passphrase opens the database on any computer. Nobody can recover it if "
            "you forget it: a few unrelated words are easy to remember and hard to guess.",
            self.own_part)
        own_about.setWordWrap(True)
        form = QFormLayout()
        self.new_passphrase = QLineEdit(self.own_part)
        self.new_passphrase.setObjectName("newPassphrase")
        self.new_passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_passphrase.setAccessibleName("New passphrase")
        self.again = QLineEdit(self.own_part)
        self.again.setObjectName("newPassphraseAgain")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setAccessibleName("New passphrase again")
        form.addRow("&New passphrase:", self.new_passphrase)
        form.addRow("&Again:", self.again)
        self.problem = QLabel(self.own_part)
        self.problem.setObjectName("passphraseProblem")
        self.problem.setWordWrap(True)
        own_layout.addWidget(own_about)
        own_layout.addLayout(form)
        own_layout.addWidget(self.problem)

        layout.addWidget(self.made)
        layout.addWidget(self.made_part)
        layout.addWidget(self.own)
        layout.addWidget(self.own_part)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.encrypt = self.buttons.addButton("C&hange Passphrase" if change else "&Encrypt",
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.encrypt.setObjectName("applyKey")
        layout.addWidget(self.buttons)
        self.saved.toggled.connect(self._check)
        self.made.toggled.connect(self._chosen)
        self.new_passphrase.textChanged.connect(self._check)
        self.again.textChanged.connect(self._check)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self._chosen()
        keep_fitted(self)  # the problem line changes length: the dialog grows, nothing is cut

    # -- what was chosen -------------------------------------------------------------------
    def _chosen(self, *_args) -> None:
        own = self.own.isChecked()
        self.made_part.setEnabled(not own)
        self.own_part.setEnabled(own)
        if own:
            self.new_passphrase.setFocus()
        self._check()

    def own_problem(self) -> str | None:
        """Why the typed own passphrase cannot be used (None: it can)."""
        from planner.services.security import passphrase_problem

        text = self.new_passphrase.text()
        why = passphrase_problem(text)
        if why is not None:
            return why[:1].upper() + why[1:] + ("" if why.endswith(".") else ".")
        if self.again.text().strip() != text.strip():
            return MISMATCH
        if self.same_key is not None and text.strip() == self.same_key:
            return "That is the current passphrase: choose a new one."
        return None

    def _check(self, *_args) -> None:
        if self.own.isChecked():
            typed = bool(self.new_passphrase.text() or self.again.text())
            why = self.own_problem()
            if not typed:
                self.problem.setText("At least 8 characters; a few unrelated words are best.")
                set_tone(self.problem, None)
            elif why is None:
                self.problem.setText("✓ Good: both passphrases match.")
                set_tone(self.problem, None)
            else:
                self.problem.setText(why)
                set_tone(self.problem, "warning" if not self.again.text() else "error")
            ready = why is None
        else:
            self.problem.setText("")
            ready = self.saved.isChecked()
        if self.current is not None and not self.current.text().strip():
            ready = False
        self.encrypt.setEnabled(ready)

    def new_key(self):
        """The :class:`planner.services.security.NewKey` chosen (call once accepted)."""
        from planner.services.security import new_key

        if self.own.isChecked():
            return new_key(own=self.new_passphrase.text())
        return self._made

    def submit(self) -> None:
        if not self.encrypt.isEnabled():
            return
        if self.current is not None and self.current_key is not None:
            from planner.services.unlock import keys_for_passphrase

            try:
                opens = self.current_key in keys_for_passphrase(self.current.text())
            except InvalidInput:
                opens = False
            if not opens:
                self.current_error.setText(
                    "That is not the current passphrase of the database (nor its recovery "
                    "passphrase).")
                self.current_error.show()
                self.current.selectAll()
                self.current.setFocus()
                return
        self.accept()


class SecurityController(QObject):
    finished = Signal(bool)  # True when the database was converted

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.document = window.document
        self.dialog: RecoveryDialog | None = None
        self.question: QMessageBox | None = None  # "turn encryption off?"
        self.kept: bool | None = None  # the key is in the keyring (None: no keyring)
        self.running = False

    def status_lines(self, kept: bool | str | None = "looking") -> list[str]:
        """What Settings → Security shows; the Key line says where the key is, plainly.
        ``kept``: :func:`planner.services.security.key_kept`'s answer, or "looking" while
        it is looked up (:meth:`look_up_key`)."""
        from planner.services.security import security_status

        path = self.document.database.path
        if path is None:
            return ["Encryption applies to database files, not to team databases."]
        lines = security_status(str(path), check_keyring=False).lines()
        if self.is_encrypted():
            lines = [f"Key: {self._key_words(kept)}" if line.startswith("Key:") else line
                     for line in lines]
        return lines

    @staticmethod
    def _key_words(kept: bool | str | None) -> str:
        from planner.services import secret_store

        if kept == "looking":
            if not secret_store.store_status().usable:
                kept = None
            else:
                return "looking in this computer's keyring…"
        if kept is None:
            return "typed at every start (no keyring on this computer)"
        if kept:
            return "kept in this computer's keyring: the database opens without asking"
        return ("typed at every start (not kept in this computer's keyring; the passphrase "
                "is asked for when the database opens)")

    def look_up_key(self, then: Callable[[list[str]], object]) -> None:
        """Look the key up in the keyring off the GUI thread (a locked keychain blocks), then
        ``then(status lines)``."""
        from planner.services.security import key_kept
        from planner.ui.security.secret_worker import run_in_background

        key = self.document.database.backend.key
        path = self.document.database.path
        if key is None or path is None:
            return

        def found(kept: bool | None) -> None:
            self.kept = kept
            then(self.status_lines(kept))

        run_in_background(lambda: key_kept(str(path), key), found, lambda _exc: found(False))

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

        dialog = RecoveryDialog(self.window, new, keyring=secret_store.store_status().usable)
        dialog.accepted.connect(lambda: self.encrypt(dialog.new_key()))
        self.dialog = dialog
        dialog.open()
        return dialog

    def encrypt(self, new) -> None:
        from planner.services.security import encrypt_database

        path = str(self.document.database.path)
        if new.chosen:
            done = "The database is encrypted. Your passphrase opens it: do not forget it."
            refused = " Your passphrase was not applied and opens nothing."
        else:
            done = "The database is encrypted. Keep your recovery passphrase safe."
            refused = (" The recovery passphrase you were shown was not applied and opens "
                       "nothing.")
        self._convert(lambda: encrypt_database(path, new), new.key, done, refused=refused)

    # -- change the passphrase -------------------------------------------------------------
    def ask_change(self) -> None:
        """Change the passphrase: where the key is is looked up first (off the GUI thread);
        the current passphrase is asked when it is not in the keyring. The dialog is
        ``self.dialog`` once shown."""
        from planner.services.security import key_kept
        from planner.ui.security.secret_worker import run_in_background

        key = self.document.database.backend.key
        path = self.document.database.path
        if key is None or path is None:
            self.window.show_message("The database is not encrypted")
            return
        self.dialog = None
        run_in_background(lambda: key_kept(str(path), key),
                          lambda kept: self._show_change(key, kept),
                          lambda _exc: self._show_change(key, None))

    def _show_change(self, key: str, kept: bool | None) -> None:
        from planner.services.security import new_key

        self.kept = kept
        dialog = RecoveryDialog(self.window, new_key(), keyring=bool(kept), change=True,
                                current_key=None if kept else key, same_key=key)
        dialog.accepted.connect(lambda: self.change(dialog.new_key(), remember=bool(kept)))
        self.dialog = dialog
        dialog.open()

    def change(self, new, remember: bool = True) -> None:
        """Re-encrypt with ``new`` (a NewKey); ``remember``: keep it in the keyring (as the
        old one was; a key the person types stays typed)."""
        from planner.services.security import change_database_key

        old = self.document.database.backend.key
        if old is None:
            self.window.show_message("The database is not encrypted")
            return
        path = str(self.document.database.path)
        keep = ("Your new passphrase opens it: do not forget it." if new.chosen
                else "Keep your new recovery passphrase safe.")
        self._convert(
            lambda: change_database_key(path, old, new, remember=remember), new.key,
            "The passphrase is changed: the old passphrase and the old recovery passphrase "
            f"no longer open the database. {keep}",
            refused=" The new passphrase was not applied: it opens nothing, and the old "
                    "passphrase still opens the database.")

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
