"""Settings → Security: encrypt the open database in two clicks, keep working, turn it off."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from planner.domain.rings import Ring
from tests.gui.helpers import open_window, populate
from tests.helpers import elsewhere

HEADER = b"SQLite format 3\x00"


# the window holds the file open: its bytes are read by another process (issue 17)
header = elsewhere.header


@pytest.fixture
def window(qtbot, db_path, memory_keyring):
    populate(db_path, inner=2, outer=3)
    win = open_window(qtbot, db_path)
    from planner.services import touchpoints

    touchpoints.log_touchpoint(win.document.ring_members(Ring.INNER)[0].id, "coffee",
                               note="secret plans for the launch")
    return win


def test_encrypt_from_preferences_then_keep_working_then_decrypt(qtbot, window, db_path,
                                                                 memory_keyring):
    prefs = window.show_preferences()
    prefs.tabs.setCurrentIndex(prefs.tabs.count() - 1)
    assert "Encrypted: no" in prefs.security_status.text()
    QTest.mouseClick(prefs.encrypt_button, Qt.MouseButton.LeftButton)  # click 1
    dialog = window.security.dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.encrypt.isEnabled()  # the passphrase must be acknowledged first
    recovery = dialog.passphrase.text()
    assert recovery.count("-") >= 10
    dialog.saved.setChecked(True)
    with qtbot.waitSignal(window.security.finished, timeout=20000) as done:
        QTest.mouseClick(dialog.encrypt, Qt.MouseButton.LeftButton)  # click 2
    assert done.args == [True]
    assert header(db_path) != HEADER
    assert b"secret plans" not in elsewhere.file_bytes(db_path)
    assert elsewhere.plain_query(db_path, "SELECT count(*) FROM contact").startswith(
        "DatabaseError")
    assert memory_keyring.store  # the key went to the keyring
    # the window keeps working on the encrypted database
    person = window.document.ring_members(Ring.INNER)[0]
    assert window.document.move(person.id, Ring.OUTER)
    assert window.document.contact(person.id).ring == Ring.OUTER
    assert "Encrypted: yes" in "\n".join(window.security.status_lines())
    # and encryption can be turned off again
    with qtbot.waitSignal(window.security.finished, timeout=20000) as done:
        window.security.decrypt()
    assert done.args == [True], window.statusBar().currentMessage()
    assert header(db_path) == HEADER
    assert elsewhere.plain_query(db_path, "SELECT count(*) FROM contact") == "[(5,)]"


def test_cancelling_the_recovery_dialog_changes_nothing(qtbot, window, db_path):
    before = header(db_path)
    dialog = window.security.ask_encrypt()
    dialog.reject()
    assert header(db_path) == before == HEADER
    assert window.document.contact(window.document.ring_members(Ring.INNER)[0].id)


def test_encrypting_waits_for_a_worker_still_reading_the_file(qtbot, window, db_path):
    """A worker of the window (the people list's search index after a reopen, the daily
    backup) reads the file on its own thread with its own connection: encrypting waits
    for it to finish instead of finding the file in use (CI saw a conversion refused)."""
    import sqlite3
    import threading
    import time

    from planner.storage.sqlite import live_files

    connected = threading.Event()

    def worker():
        conn = sqlite3.connect(db_path, factory=live_files.tracked(sqlite3.Connection))
        try:
            conn.execute("SELECT count(*) FROM contact").fetchone()
            connected.set()
            time.sleep(1.0)  # a long read
        finally:
            conn.close()

    reader = threading.Thread(target=worker)
    reader.start()
    assert connected.wait(10)
    dialog = window.security.ask_encrypt()
    dialog.saved.setChecked(True)
    with qtbot.waitSignal(window.security.finished, timeout=20000) as done:
        QTest.mouseClick(dialog.encrypt, Qt.MouseButton.LeftButton)
    reader.join(10)
    assert done.args == [True], window.statusBar().currentMessage()
    assert header(db_path) != HEADER


def test_encrypt_from_preferences_asks_about_changes_made_there(qtbot, window, db_path,
                                                               memory_keyring):
    """A changed "Week starts on" was saved unasked when Encrypt closed Preferences. Now
    changes there are kept or dropped as the person says, and Cancel leaves Preferences
    open as it was."""
    from PySide6.QtWidgets import QMessageBox

    prefs = window.show_preferences()
    before = prefs.week_start.currentData()
    prefs.week_start.setCurrentIndex((prefs.week_start.currentIndex() + 1)
                                     % prefs.week_start.count())
    changed_to = prefs.week_start.currentData()
    assert changed_to != before and prefs.changed()
    prefs.tabs.setCurrentIndex(prefs.tabs.count() - 1)

    QTest.mouseClick(prefs.encrypt_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: prefs.question is not None and prefs.question.isVisible())
    cancel = prefs.question.button(QMessageBox.StandardButton.Cancel)
    QTest.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not prefs.question.isVisible())
    assert prefs.isVisible() and window.security.dialog is None  # nothing started
    assert prefs.week_start.currentData() == changed_to

    QTest.mouseClick(prefs.encrypt_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: prefs.question.isVisible())
    discard = prefs.question.button(QMessageBox.StandardButton.Discard)
    QTest.mouseClick(discard, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.security.dialog is not None
                    and window.security.dialog.isVisible())
    assert not prefs.isVisible()
    assert window.show_preferences().week_start.currentData() == before  # not saved


def test_without_a_keyring_the_recovery_dialog_says_it_is_typed_at_every_start(
        qtbot, db_path, no_keyring):
    """It said "The key is kept in this computer's keyring when it has one" on a computer
    with none: that the passphrase is then typed at every start came as a surprise."""
    populate(db_path, inner=1)
    win = open_window(qtbot, db_path)
    dialog = win.security.ask_encrypt()
    words = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "no keyring" in words and "every time you open the database" in words
    dialog.reject()


def test_with_a_keyring_the_recovery_dialog_says_the_key_is_kept_there(qtbot, window):
    dialog = window.security.ask_encrypt()
    words = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "kept in this computer's keyring" in words and "no keyring" not in words
    dialog.reject()


def test_an_encryption_refused_as_in_use_says_the_passphrase_shown_opens_nothing(
        qtbot, window, db_path):
    """Another program holds the file: the window's encrypt is refused after its recovery
    dialog showed a passphrase. The message said "Nothing was changed: … Nothing was
    changed", and not that the passphrase just written down opens nothing."""
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
         "c.execute('PRAGMA journal_mode=WAL'); c.execute('SELECT 1 FROM contact'); "
         "print('ready', flush=True); sys.stdin.readline()", str(db_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        dialog = window.security.ask_encrypt()
        dialog.saved.setChecked(True)
        with qtbot.waitSignal(window.security.finished, timeout=20000) as done:
            QTest.mouseClick(dialog.encrypt, Qt.MouseButton.LeftButton)
    finally:
        holder.kill()
        holder.communicate()
    assert done.args == [False]
    said = window.statusBar().currentMessage()
    assert "in use" in said, said
    assert said.lower().count("nothing was changed") == 1, said
    assert "recovery passphrase you were shown was not applied" in said, said
    assert header(db_path) == HEADER


def _press(qtbot, widget, key) -> None:
    """``key`` as the keyboard delivers it: to whatever has the focus in ``widget``'s
    window, once that window is the active one."""
    from PySide6.QtWidgets import QApplication

    qtbot.waitUntil(lambda: widget.window().isActiveWindow())
    QTest.keyClick(QApplication.focusWidget() or widget, key)


def test_turning_encryption_off_asks_first_and_keep_is_the_default(qtbot, window, db_path,
                                                                    memory_keyring):
    """"Turn encryption off" decrypted the database and every backup at one press of the
    focused button (the Security page reopens with it focused). Now it asks, Keep Encrypted
    being the default and Escape's answer, and says what will be readable."""
    from PySide6.QtWidgets import QMessageBox

    from planner.services.backups import backup_now
    from planner.services.security import new_key, security_status

    backup_now(reason="manual")
    with qtbot.waitSignal(window.security.finished, timeout=20000) as done:
        window.security.encrypt(new_key())
    assert done.args == [True] and header(db_path) != HEADER
    backups = security_status(str(db_path), check_keyring=False).backups_encrypted
    assert backups >= 2  # the day's and the one above

    prefs = window.show_preferences()
    prefs.tabs.setCurrentIndex(prefs.tabs.count() - 1)
    button = prefs.decrypt_button
    assert button.isVisible()

    def ask(key):
        prefs.activateWindow()  # (as the window manager does when the question closes)
        button.setFocus()
        qtbot.waitUntil(button.hasFocus)
        _press(qtbot, button, key)
        qtbot.waitUntil(lambda: window.security.question is not None
                        and window.security.question.isVisible())
        return window.security.question

    for on_button, on_question in ((Qt.Key.Key_Space, Qt.Key.Key_Escape),
                                   (Qt.Key.Key_Return, Qt.Key.Key_Return),
                                   (Qt.Key.Key_Space, Qt.Key.Key_Enter)):
        question = ask(on_button)
        words = f"{question.text()} {question.informativeText()}"
        assert f"{db_path.name} and its {backups} backups" in words, words
        assert "anyone who has them can read" in words
        keep = question.defaultButton()
        assert keep.text().replace("&", "") == "Keep Encrypted"
        assert question.escapeButton() is keep
        _press(qtbot, question, on_question)
        qtbot.waitUntil(lambda q=question: not q.isVisible())
        assert prefs.isVisible()  # back in Preferences, as it was
        assert not window.security.running
        assert header(db_path) != HEADER, (on_button, on_question)

    question = ask(Qt.Key.Key_Space)
    off = next(b for b in question.buttons()
               if question.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
    assert off.text().replace("&", "") == "Turn Encryption Off"
    with qtbot.waitSignal(window.security.finished, timeout=20000) as done:
        QTest.mouseClick(off, Qt.MouseButton.LeftButton)
    assert done.args == [True], window.statusBar().currentMessage()
    assert not prefs.isVisible()
    assert header(db_path) == HEADER
    after = security_status(str(db_path), check_keyring=False)
    assert after.backups_encrypted == 0 and after.backups_plain == backups
