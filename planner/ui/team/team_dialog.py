"""File → Open team database…: a ``postgresql://`` URL, its password, and a connection test.

:class:`TeamDatabaseDialog` (opened with ``open()``) checks the URL as it is typed
(inline, Connect disabled while it is wrong), then tests it off the GUI thread
(a server that does not answer blocks for up to ``connect_timeout``, 10 s):
reachable with those credentials, and holding the planner's tables. Cancel
works while it waits; a late answer is ignored. On success the password is kept
in the system keyring if asked (and possible), the URL joins the recent ones
(QSettings ``team/recent``, newest first, never with a password), and the
dialog accepts: the caller reads :meth:`url` and :meth:`session_password`.
"""

from __future__ import annotations

import itertools
import logging
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from planner.domain.errors import InvalidInput, PlannerError
from planner.services import secret_store, team
from planner.ui.common.tone import set_tone
from planner.ui.common.validation import check_inline, inline_error
from planner.ui.security.secret_worker import run_in_background

log = logging.getLogger(__name__)

SHAPE = "postgresql://USER@HOST[:PORT]/DBNAME"
RECENT_KEY = "team/recent"
RECENT_MAX = 8
NO_STORE = ("No usable secret store on this machine ({reason}): the password is used for "
            "this session only and never written anywhere.")


# ------------------------------------------------------------------ no Qt: checks


def check_url(text: str) -> str:
    """The URL, stripped; InvalidInput saying what is wrong with it."""
    url = text.strip()
    if not url.lower().startswith(("postgresql://", "postgres://")):
        raise InvalidInput(f"not a team database URL: write {SHAPE}")
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for "abc" and for 99999
    except ValueError:
        port = 0
    if port == 0:
        raise InvalidInput(f"the port must be a number from 1 to 65535: {SHAPE}")
    if parts.password is not None:
        raise InvalidInput("no password in the URL, please: put it in the password field")
    if not unquote(parts.path.lstrip("/")):
        raise InvalidInput(f"say which database: {SHAPE}")
    return url


def read_recent(settings: QSettings) -> list[str]:
    value = settings.value(RECENT_KEY, [])
    if isinstance(value, str):  # one item comes back as a plain string
        value = [value]
    out: list[str] = []
    for item in value if isinstance(value, list) else []:
        text = str(item).strip()
        if text and text not in out and urlsplit(text).password is None:
            out.append(text)
    return out[:RECENT_MAX]


def remember_recent(settings: QSettings, url: str) -> list[str]:
    url = team.account_url(url)  # never a password (the dialog refuses one anyway)
    recent = [url, *(u for u in read_recent(settings) if u != url)][:RECENT_MAX]
    settings.setValue(RECENT_KEY, recent)
    settings.sync()
    return recent


LAST_KEY = "team/last"


def last_team_database(settings: QSettings) -> str | None:
    """The team database the window was last switched to (reopened by a plain
    ``planner``), unless the user went back to a file since."""
    value = str(settings.value(LAST_KEY, "") or "").strip()
    return value if value and urlsplit(value).password is None else None


def remember_last_database(settings: QSettings, url: str | None) -> None:
    """After a switch: a team database's URL (no password) is reopened next time; a
    file (``None``) means the default start again."""
    if url:
        settings.setValue(LAST_KEY, team.account_url(url))
    else:
        settings.remove(LAST_KEY)
    settings.sync()


# ------------------------------------------------------------------ the dialog


class TeamDatabaseDialog(QDialog):
    """Opened with ``open()``; on ``accepted`` read :meth:`url` and :meth:`session_password`."""

    _attempts = itertools.count(1)

    def __init__(self, parent, settings: QSettings, *,
                 store: secret_store.StoreStatus | None = None, intro: str | None = None):
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("teamDatabaseDialog")
        self.setWindowTitle("Open Team Database")
        self.setMinimumWidth(520)
        self._url = ""
        self._session_password: str | None = None
        self._attempt = 0  # the connection test being waited for (0: none)
        self._refocus: QWidget | None = None  # the field to give the focus back to
        store = store or secret_store.store_status()
        self._store_usable = store.usable

        intro_label = QLabel(intro or "Connect to a shared PostgreSQL database. This window "
                             "is replaced by one showing the team's people.", self)
        intro_label.setWordWrap(True)
        self.url_box = QComboBox(self)
        self.url_box.setObjectName("teamUrl")
        self.url_box.setEditable(True)
        self.url_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.url_box.addItems(read_recent(settings))
        url_line = self.url_box.lineEdit()
        assert url_line is not None  # an editable combo box has its line edit
        url_line.setPlaceholderText(SHAPE)
        self.url_box.setAccessibleName("Team database URL")
        self.url_box.setToolTip(f"{SHAPE}, e.g. postgresql://ada@db.example.org/mentoring")
        self.password = QLineEdit(self)
        self.password.setObjectName("teamPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.password.setPlaceholderText("optional: not needed with trust auth or a "
                                         "remembered password")
        self.remember = QCheckBox("&Remember the password in the system keyring", self)
        self.remember.setObjectName("rememberPassword")
        self.store_notice = QLabel(self)
        self.store_notice.setObjectName("secretStoreNotice")
        self.store_notice.setWordWrap(True)
        self.store_notice.setStyleSheet("color: palette(placeholder-text);")
        if store.usable:
            self.remember.setChecked(True)
            self.store_notice.hide()
        else:
            self.remember.setChecked(False)
            self.remember.setEnabled(False)
            self.store_notice.setText(NO_STORE.format(reason=store.reason))
            self.remember.setToolTip(self.store_notice.text())

        form = QFormLayout()
        form.addRow("&URL", self.url_box)
        self.error = inline_error(self)
        form.addRow("", self.error)
        form.addRow("&Password", self.password)
        form.addRow("", self.remember)
        form.addRow("", self.store_notice)
        url_label = form.labelForField(self.url_box)
        if isinstance(url_label, QLabel):  # the row's "&URL"
            url_label.setBuddy(self.url_box)

        self.busy = QProgressBar(self)
        self.busy.setObjectName("teamBusy")
        self.busy.setRange(0, 0)  # "working", no amount
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(6)
        self.busy.hide()
        self.status = QLabel(self)
        self.status.setObjectName("teamStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.connect_button = self.buttons.addButton("&Connect",
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.connect_button.setObjectName("connectButton")
        self.connect_button.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro_label)
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.url_box.editTextChanged.connect(self.validate)
        self.password.returnPressed.connect(self.submit)
        url_line.returnPressed.connect(self.submit)
        self.validate()
        self.url_box.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- what the caller reads ---------------------------------------------------------
    def url(self) -> str:
        return self._url

    def session_password(self) -> str | None:
        """The password to use for this session only (not kept in the keyring), or None."""
        return self._session_password

    def checking(self) -> bool:
        return self._attempt != 0

    # -- checking --------------------------------------------------------------------------
    def url_text(self) -> str:
        return self.url_box.currentText().strip()

    def validate(self) -> bool:
        if not self.checking():
            self.set_status("")
        if self.url_text():
            ok = check_inline(lambda: check_url(self.url_text()), self.error, self.connect_button)
        else:  # nothing typed yet: nothing to complain about
            self.error.setText("")
            self.connect_button.setEnabled(False)
            ok = False
        self._show(self.error, bool(self.error.text()))
        if self.checking():
            self.connect_button.setEnabled(False)
        return ok

    def submit(self) -> None:
        """Test the connection off the GUI thread; accept when it works."""
        if self.checking() or not self.validate():
            return
        url, password = check_url(self.url_text()), self.password.text()
        remember = self.remember.isEnabled() and self.remember.isChecked()
        attempt = self._attempt = next(self._attempts)
        self._set_busy(True)
        self.set_status(f"Connecting to {team.shown_url(url)}…")
        run_in_background(lambda: team.check_team_database(url, password, remember),
                          lambda found: self._connected(attempt, url, password, found),
                          lambda exc: self._failed(attempt, exc))

    def _current(self, attempt: int) -> bool:
        from shiboken6 import isValid

        return isValid(self) and attempt == self._attempt and self.isVisible()

    def _connected(self, attempt: int, url: str, password: str, found: team.Checked) -> None:
        if not self._current(attempt):
            return  # cancelled meanwhile: the answer is for nobody
        self._set_busy(False)
        self._url = url
        self._session_password = password if password and not found.stored else None
        if found.not_stored:
            log.warning("the password of %s is not kept: %s", team.shown_url(url),
                        found.not_stored)
        remember_recent(self.settings, url)
        self.set_status("Connected.")
        self.accept()

    def _failed(self, attempt: int, exc: Exception) -> None:
        if not self._current(attempt):
            return
        self._set_busy(False)
        if isinstance(exc, PlannerError):
            message = str(exc)
        else:  # logged with its traceback by the worker
            from planner.logs import log_path

            message = f"the connection test failed unexpectedly ({type(exc).__name__}); " \
                      f"details in {log_path()}"
        self.set_status(message, error=True)

    def _set_busy(self, busy: bool) -> None:
        if not busy:
            self._attempt = 0
        fields = (self.url_box, self.password)
        if busy:
            # the field Enter was typed in is disabled below: Qt would give the focus to
            # Cancel, which (a dialog button) then takes the same Enter and closes the
            # dialog; the dialog holds it instead, and gives it back after the test
            focused = self.focusWidget()
            self._refocus = next((f for f in fields if focused is f or f.isAncestorOf(focused)),
                                 None) if focused is not None else None
            if self._refocus is not None:
                self.setFocus(Qt.FocusReason.OtherFocusReason)
        for widget in fields:
            widget.setEnabled(not busy)
        if not busy and self._refocus is not None:
            self._refocus.setFocus(Qt.FocusReason.OtherFocusReason)
            self._refocus = None
        self.remember.setEnabled(not busy and self._store_usable)
        self.busy.setVisible(busy)
        self.connect_button.setEnabled(not busy and not self.error.text())

    def set_status(self, text: str, *, error: bool = False) -> None:
        text = text[:1].upper() + text[1:]
        if text != self.status.text():
            self.status.setText(text)
            self.status.setAccessibleName(text)
            self._refit()
        set_tone(self.status, "error" if error else None)
        self._show(self.status, bool(text))

    def _show(self, label: QLabel, on: bool) -> None:
        if label.isHidden() == on:
            label.setVisible(on)
            self._refit()

    def _refit(self) -> None:
        """As tall as the contents once a message comes or goes (never wider or narrower)."""
        from PySide6.QtCore import QTimer

        def fit() -> None:
            from shiboken6 import isValid

            if not isValid(self) or not self.isVisible():
                return
            layout = self.layout()
            assert layout is not None  # laid out in __init__
            layout.activate()
            height = (layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth()
                      else self.sizeHint().height())
            if height > 0 and height != self.height():
                self.resize(self.width(), height)

        QTimer.singleShot(0, self, fit)

    def reject(self) -> None:
        self._attempt = 0  # a connection test still running is forgotten
        self._set_busy(False)
        super().reject()
