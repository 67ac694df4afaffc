"""Opening an encrypted database in the window: keyring off the GUI thread, else the dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from planner.storage import secrets
from planner.storage.sqlite import encryption
from planner.ui.security.passphrase_dialog import (
    PassphraseDialog,
    Unlocker,
    is_encrypted_database,
    unlock_and_run,
)
from planner.ui.security.secret_worker import install_notice_handler, run_in_background
from tests.helpers.encrypted import fill, sha


@pytest.fixture(autouse=True)
def _notice_handler_restored():
    """Unlocking installs the window's notice handler; later tests must not inherit it."""
    previous = secrets.set_notice_handler(None)
    secrets.set_notice_handler(previous)
    yield
    secrets.set_notice_handler(previous)
    secrets.reset_notice()


@pytest.fixture
def encrypted(db_path):
    fill(db_path, people=5)
    key = encryption.generate_key()
    encryption.encrypt(db_path, key)
    return db_path, key


def type_and_unlock(qtbot, dialog, text: str) -> None:
    dialog.edit.clear()
    QTest.keyClicks(dialog.edit, text)
    QTest.keyClick(dialog.edit, Qt.Key.Key_Return)


# ------------------------------------------------------------------ the worker


def test_background_work_reports_back_on_the_gui_thread(qtbot):
    gui = QThread.currentThread()
    seen = {}

    def work():
        seen["worker"] = QThread.currentThread() is not gui
        return 42

    run_in_background(
        work, lambda value: seen.update(value=value, gui=QThread.currentThread() is gui)
    )
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen == {"worker": True, "value": 42, "gui": True}

    def fail():
        raise secrets.SecretStoreUnavailable("locked")

    errors = []
    run_in_background(fail, lambda v: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], secrets.SecretStoreUnavailable)


def test_the_no_store_notice_from_a_worker_is_shown_once(qtbot, no_keyring):
    relay = install_notice_handler()
    try:
        for _ in range(3):
            run_in_background(lambda: secrets.database_keys("x.db"), lambda v: None)
        qtbot.waitUntil(lambda: relay.box is not None and relay.box.isVisible())
        assert "cannot be remembered on this machine" in relay.box.text()
        first = relay.box
        qtbot.wait(100)
        assert relay.box is first  # once
    finally:
        relay.box.close()
        secrets.set_notice_handler(no_keyring.append)


# ------------------------------------------------------------------ the dialog


def test_the_dialog_refuses_empty_and_wrong_passphrases(qtbot, encrypted, memory_keyring):
    path, key = encrypted
    before = sha(path)
    dialog = PassphraseDialog(path)
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.isVisible() and dialog.isModal()
    assert dialog.edit.echoMode() == dialog.edit.EchoMode.Password
    assert dialog.edit.accessibleName() == "Passphrase"
    assert dialog.remember.isEnabled() and dialog.remember.isChecked()
    assert not dialog.notice.isVisible()

    type_and_unlock(qtbot, dialog, "   ")
    assert dialog.error.isVisible() and "empty passphrase" in dialog.error.text()
    assert dialog.isVisible()

    type_and_unlock(qtbot, dialog, "certainly wrong")
    qtbot.waitUntil(lambda: not dialog.checking)
    assert "does not open" in dialog.error.text() and dialog.isVisible()
    recovery = encryption.recovery_passphrase(key)
    type_and_unlock(qtbot, dialog, recovery[:-1] + ("A" if recovery[-1] != "A" else "B"))
    qtbot.waitUntil(lambda: not dialog.checking)
    assert "typo" in dialog.error.text()
    assert sha(path) == before

    with qtbot.waitSignal(dialog.unlocked, timeout=10_000) as unlocked:
        type_and_unlock(qtbot, dialog, recovery.lower())
    assert unlocked.args == [key, True]
    assert dialog.result() == dialog.DialogCode.Accepted and not dialog.isVisible()
    assert sha(path) == before


def test_without_a_store_the_dialog_says_so_and_cannot_remember(qtbot, encrypted, no_keyring):
    path, _ = encrypted
    dialog = PassphraseDialog(path)
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.notice.isVisible()
    assert "cannot be remembered on this machine" in dialog.notice.text()
    assert "no keyring service" in dialog.notice.text()
    assert not dialog.remember.isEnabled() and not dialog.remember.isChecked()
    assert secrets.notice_given()  # shown here, so not again elsewhere


# ------------------------------------------------------------------ unlocking


def test_the_key_in_the_keyring_opens_without_a_dialog(qtbot, encrypted, memory_keyring):
    path, key = encrypted
    secrets.remember_database_key(path, key)
    assert is_encrypted_database(str(path))
    unlocker = Unlocker(str(path))
    with qtbot.waitSignal(unlocker.opened, timeout=10_000) as opened:
        unlocker.start()
    handle = opened.args[0]
    try:
        assert handle.encrypted and unlocker.dialog is None
    finally:
        handle.close()


def test_a_wrong_key_in_the_keyring_falls_back_to_the_dialog(qtbot, encrypted, memory_keyring):
    path, key = encrypted
    secrets.remember_database_key(path, encryption.generate_key())
    before = sha(path)
    unlocker = Unlocker(str(path))
    unlocker.start()
    qtbot.waitUntil(lambda: unlocker.dialog is not None and unlocker.dialog.isVisible())
    assert sha(path) == before
    with qtbot.waitSignal(unlocker.opened, timeout=10_000) as opened:
        type_and_unlock(qtbot, unlocker.dialog, encryption.recovery_passphrase(key))
    opened.args[0].close()
    qtbot.waitUntil(lambda: secrets.database_keys(path) == [key])  # "remember" replaced it


def test_a_pending_key_left_by_a_crash_opens_and_becomes_current(qtbot, encrypted, memory_keyring):
    path, key = encrypted
    secrets.remember_database_key(path, encryption.generate_key())
    secrets.stage_database_key(path, key)
    unlocker = Unlocker(str(path))
    with qtbot.waitSignal(unlocker.opened, timeout=10_000) as opened:
        unlocker.start()
    opened.args[0].close()
    assert unlocker.dialog is None
    qtbot.waitUntil(lambda: secrets.database_keys(path) == [key])


def test_no_keyring_asks_with_the_dialog_and_opens_the_window(qtbot, encrypted, no_keyring):
    from planner.app import build_main_window

    path, key = encrypted
    unlocker = Unlocker(str(path))
    unlocker.start()
    qtbot.waitUntil(lambda: unlocker.dialog is not None and unlocker.dialog.isVisible())
    dialog = unlocker.dialog
    assert dialog.notice.isVisible() and not dialog.remember.isEnabled()
    with qtbot.waitSignal(unlocker.opened, timeout=10_000) as opened:
        type_and_unlock(qtbot, dialog, encryption.recovery_passphrase(key))
    handle = opened.args[0]
    window = build_main_window(str(path), watch=False, reuse=handle)
    qtbot.addWidget(window)
    window.show()
    assert len(window.scene.nodes) >= 3
    assert no_keyring == []  # the dialog was the notice; nothing else popped up
    window.close()


def test_remember_stores_the_typed_key_in_the_keyring(qtbot, encrypted, memory_keyring):
    path, key = encrypted
    unlocker = Unlocker(str(path))
    unlocker.start()
    qtbot.waitUntil(lambda: unlocker.dialog is not None and unlocker.dialog.isVisible())
    with qtbot.waitSignal(unlocker.opened, timeout=10_000) as opened:
        type_and_unlock(qtbot, unlocker.dialog, encryption.recovery_passphrase(key))
    opened.args[0].close()
    qtbot.waitUntil(lambda: secrets.database_keys(path) == [key])


def test_a_locked_keychain_is_said_once_in_the_dialog(qtbot, encrypted, locked_keyring):
    path, key = encrypted
    unlocker = Unlocker(str(path))
    unlocker.start()
    qtbot.waitUntil(lambda: unlocker.dialog is not None and unlocker.dialog.isVisible())
    assert "locked" in unlocker.dialog.notice.text()
    assert not unlocker.dialog.remember.isEnabled()
    qtbot.wait(50)
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert not any(b.isVisible() for b in boxes)  # no second notice
    with qtbot.waitSignal(unlocker.opened, timeout=10_000) as opened:
        type_and_unlock(qtbot, unlocker.dialog, key)
    opened.args[0].close()


def test_cancel_gives_up_without_touching_the_file(qtbot, encrypted, no_keyring):
    path, _ = encrypted
    before = sha(path)
    unlocker = Unlocker(str(path))
    unlocker.start()
    qtbot.waitUntil(lambda: unlocker.dialog is not None and unlocker.dialog.isVisible())
    with qtbot.waitSignal(unlocker.cancelled, timeout=5_000):
        unlocker.dialog.reject()
    assert sha(path) == before


def test_run_gui_path_unlocks_then_shows_the_window(qtbot, encrypted, no_keyring, monkeypatch):
    """``unlock_and_run`` as ``app.run_gui`` calls it, with exec() replaced by a wait."""
    from planner.app import show_window

    path, key = encrypted
    app = QApplication.instance()
    shown = {}

    def show(handle):
        shown["window"] = show_window(str(path), handle)
        return shown["window"]

    def fake_exec():
        qtbot.waitUntil(
            lambda: any(
                isinstance(w, PassphraseDialog) and w.isVisible() for w in app.topLevelWidgets()
            )
        )
        dialog = next(
            w for w in app.topLevelWidgets() if isinstance(w, PassphraseDialog) and w.isVisible()
        )
        type_and_unlock(qtbot, dialog, encryption.recovery_passphrase(key))
        qtbot.waitUntil(lambda: "window" in shown and shown["window"].isVisible(), timeout=10_000)
        return 0

    monkeypatch.setattr(app, "exec", fake_exec)
    quits = app.quitOnLastWindowClosed()
    try:
        assert unlock_and_run(app, str(path), show) == 0
        assert app.quitOnLastWindowClosed() == quits
    finally:
        app.setQuitOnLastWindowClosed(quits)
        sys_excepthook_restore()
        shown["window"].close()
        shown["window"].deleteLater()


def sys_excepthook_restore() -> None:
    import sys

    sys.excepthook = sys.__excepthook__


def test_a_database_that_fails_to_open_says_why(qtbot, encrypted, memory_keyring, monkeypatch):
    path, key = encrypted
    secrets.remember_database_key(path, key)
    app = QApplication.instance()
    boxes = []

    def fake_exec():
        qtbot.waitUntil(
            lambda: any(
                isinstance(w, QMessageBox) and w.isVisible() for w in app.topLevelWidgets()
            ),
            timeout=10_000,
        )
        box = next(w for w in app.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        boxes.append(box.text())
        box.close()
        return 1

    def show(handle):
        from planner.domain.errors import DatabaseProblem

        raise DatabaseProblem("the window cannot be built")

    exits = []
    monkeypatch.setattr(app, "exec", fake_exec)
    monkeypatch.setattr(app, "exit", exits.append)  # no event loop to leave in a test
    quits = app.quitOnLastWindowClosed()
    try:
        assert unlock_and_run(app, str(path), show) == 1
    finally:
        app.setQuitOnLastWindowClosed(quits)
    assert boxes == ["the window cannot be built"]
    assert exits == [1]


def _clipped_labels(dialog) -> list[str]:
    """The dialog's shown labels that have fewer pixels than their words need."""
    from PySide6.QtWidgets import QLabel

    return [f"{label.objectName() or label.text()[:30]!r}: {label.height()} < "
            f"{label.heightForWidth(label.width())}"
            for label in dialog.findChildren(QLabel)
            if label.isVisible() and label.height() < label.heightForWidth(label.width())]


def test_a_wrong_passphrase_grows_the_dialog_and_cuts_no_words(qtbot, encrypted, no_keyring):
    """The red line after a wrong passphrase was added inside the dialog's old height: the
    first paragraph lost its last line and the no-keyring notice was cut at top and bottom.
    A longer message, and a narrower dialog (its words on more lines), cut none either."""
    path, key = encrypted
    dialog = PassphraseDialog(path)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    qtbot.wait(50)
    assert _clipped_labels(dialog) == []
    before = dialog.height()

    type_and_unlock(qtbot, dialog, "wrong-passphrase")
    qtbot.waitUntil(lambda: not dialog.checking and dialog.error.isVisible())
    qtbot.waitUntil(lambda: _clipped_labels(dialog) == [], timeout=1000)
    assert dialog.height() > before
    assert dialog.error.geometry().bottom() < dialog.buttons.geometry().top()

    # a longer message (a recovery passphrase with a typo) gets its lines too
    recovery = encryption.recovery_passphrase(key)
    type_and_unlock(qtbot, dialog, recovery[:-1] + ("A" if recovery[-1] != "A" else "B"))
    qtbot.waitUntil(lambda: not dialog.checking and "typo" in dialog.error.text())
    qtbot.waitUntil(lambda: _clipped_labels(dialog) == [], timeout=1000)
    # wider, then as narrow as it goes: the words wrap onto more lines and still fit
    narrowest = dialog.minimumWidth()
    dialog.resize(narrowest + 300, dialog.height())
    qtbot.waitUntil(lambda: dialog.width() == narrowest + 300)
    dialog.resize(narrowest, dialog.height())
    qtbot.waitUntil(lambda: dialog.width() == narrowest)
    qtbot.waitUntil(lambda: _clipped_labels(dialog) == [], timeout=1000)
    # and the person cannot squeeze it back over the words
    dialog.resize(dialog.width(), 50)
    qtbot.wait(50)
    assert _clipped_labels(dialog) == []
