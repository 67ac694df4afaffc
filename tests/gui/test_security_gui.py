"""Settings → Security: encrypt the open database in two clicks, keep working, turn it off."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from planner.domain.rings import Ring
from tests.gui.helpers import open_window, populate
from tests.helpers import elsewhere
from tests.helpers.stores import bound

HEADER = b"SQLite format 3\x00"


# the window holds the file open: its bytes are read by another process (issue 17)
header = elsewhere.header


@pytest.fixture
def window(qtbot, db_path, memory_keyring):
    populate(db_path, inner=2, outer=3)
    win = open_window(qtbot, db_path)
    from planner.services import touchpoints

    touchpoints.log_touchpoint(bound(), win.document.ring_members(Ring.INNER)[0].id, "coffee",
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

    backup_now(bound(), reason="manual")
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


# -- an own passphrase, a change of passphrase, where the key is (review-c #9) ---------------

OWN = "quiet walrus orbits seven lanterns"

_OPENS = ("import sys\n"
          "from planner.services import unlock\n"
          "keys = unlock.keys_for_passphrase(sys.argv[2])\n"
          "print(unlock.key_that_opens(sys.argv[1], keys) is not None)\n")

_HOLD_ENCRYPTED = ("import sys\n"
                   "from planner.storage.database import open_database\n"
                   "opened = open_database(sys.argv[1], key=sys.argv[2], use_keyring=False)\n"
                   "opened.db.execute_sql('SELECT count(*) FROM contact').fetchone()\n"
                   "print('ready', flush=True)\n"
                   "sys.stdin.readline()\n")


def _child_env() -> dict:
    import os
    from pathlib import Path

    import planner

    return {**os.environ, "PYTHONPATH": str(Path(planner.__file__).resolve().parents[1])}


def opens(path, passphrase: str) -> bool:
    """Does ``passphrase`` open the file, as ``planner --passphrase-stdin`` or the unlock
    dialog would try it (services.unlock), in another process (the window holds the file)?"""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _OPENS, str(path), passphrase],
                         capture_output=True, text=True, check=True, timeout=120,
                         env=_child_env()).stdout.strip()
    return out == "True"


def _security_page(window):
    prefs = window.show_preferences()
    prefs.tabs.setCurrentIndex(prefs.tabs.count() - 1)
    return prefs


def _click_radio(radio) -> None:
    """A click on the round button of ``radio`` (its middle may be past its words)."""
    from PySide6.QtCore import QPoint

    QTest.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))


def _choose_own(qtbot, dialog, first: str, again: str) -> None:
    _click_radio(dialog.own)
    assert dialog.own.isChecked()
    dialog.new_passphrase.clear()
    dialog.again.clear()
    QTest.keyClicks(dialog.new_passphrase, first)
    QTest.keyClicks(dialog.again, again)


def test_encrypt_with_my_own_passphrase_then_it_opens_the_database(qtbot, window, db_path,
                                                                   memory_keyring):
    from PySide6.QtWidgets import QLineEdit

    prefs = _security_page(window)
    QTest.mouseClick(prefs.encrypt_button, Qt.MouseButton.LeftButton)
    dialog = window.security.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.made.isChecked()  # today's choice stays the first one
    assert dialog.own.text().replace("&", "") == "Choose my own passphrase"
    _choose_own(qtbot, dialog, OWN, OWN)
    assert dialog.new_passphrase.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.again.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.encrypt.isEnabled(), dialog.problem.text()
    with qtbot.waitSignal(window.security.finished, timeout=30000) as done:
        QTest.mouseClick(dialog.encrypt, Qt.MouseButton.LeftButton)
    assert done.args == [True], window.statusBar().currentMessage()
    assert header(db_path) != HEADER
    assert window.document.database.backend.key == OWN
    assert set(memory_keyring.store.values()) == {OWN}  # (under its path and its file)
    assert "Your passphrase opens it" in window.statusBar().currentMessage()
    assert opens(db_path, OWN)
    assert not opens(db_path, "quiet walrus orbits seven lantern")


def test_a_weak_or_mistyped_own_passphrase_is_refused_as_it_is_typed(qtbot, window):
    """The rule and words of ``planner db encrypt --own-passphrase``, said as one types;
    Encrypt is enabled only for a passphrase that passes and is typed the same twice."""
    from planner.domain.errors import InvalidInput
    from planner.storage.sqlite import encryption

    def cli_says(text: str) -> str:
        with pytest.raises(InvalidInput) as refused:
            encryption.check_new_passphrase(text)
        return str(refused.value)

    dialog = window.security.ask_encrypt()
    _choose_own(qtbot, dialog, "short", "short")
    assert not dialog.encrypt.isEnabled()
    assert cli_says("short").lower() in dialog.problem.text().lower()
    assert "at least 8 characters" in dialog.problem.text()

    _choose_own(qtbot, dialog, "password123", "password123")
    assert not dialog.encrypt.isEnabled()
    assert cli_says("password123").lower() in dialog.problem.text().lower()
    assert "too easy to guess" in dialog.problem.text()

    _choose_own(qtbot, dialog, OWN, OWN + "x")
    assert not dialog.encrypt.isEnabled()
    assert "do not match" in dialog.problem.text()
    QTest.keyClick(dialog.again, Qt.Key.Key_Backspace)
    assert dialog.encrypt.isEnabled(), dialog.problem.text()
    assert "do not match" not in dialog.problem.text()

    # back to the made one: its own condition (saved) again
    _click_radio(dialog.made)
    assert dialog.made.isChecked()
    assert not dialog.encrypt.isEnabled()
    dialog.reject()
    assert header(window.document.database.path) == HEADER


def test_change_passphrase_with_the_key_in_the_keyring(qtbot, window, db_path,
                                                       memory_keyring):
    from planner.services.security import new_key

    first = new_key()
    with qtbot.waitSignal(window.security.finished, timeout=30000) as done:
        window.security.encrypt(first)
    assert done.args == [True]
    prefs = _security_page(window)
    assert prefs.change_key_button.isVisible()
    assert prefs.change_key_button.text().replace("&", "") == "Change passphrase…"
    QTest.mouseClick(prefs.change_key_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.security.dialog is not None
                    and window.security.dialog.isVisible(), timeout=10000)
    dialog = window.security.dialog
    assert dialog.current is None  # the key is in the keyring: not asked
    _choose_own(qtbot, dialog, OWN, OWN)
    with qtbot.waitSignal(window.security.finished, timeout=30000) as done:
        QTest.mouseClick(dialog.encrypt, Qt.MouseButton.LeftButton)
    said = window.statusBar().currentMessage()
    assert done.args == [True], said
    assert "old passphrase and the old recovery passphrase no longer open" in said
    assert window.document.database.backend.key == OWN
    assert OWN in memory_keyring.store.values()
    assert first.key not in memory_keyring.store.values()
    assert opens(db_path, OWN)
    assert not opens(db_path, first.recovery)
    # the window keeps working with the new key
    person = window.document.ring_members(Ring.INNER)[0]
    assert window.document.move(person.id, Ring.OUTER)


def test_change_passphrase_without_a_keyring_asks_the_current_one(qtbot, db_path,
                                                                  no_keyring):
    from planner.services.security import new_key

    populate(db_path, inner=1)
    win = open_window(qtbot, db_path)
    first = new_key(own=OWN)
    with qtbot.waitSignal(win.security.finished, timeout=30000) as done:
        win.security.encrypt(first)
    assert done.args == [True], win.statusBar().currentMessage()
    win.security.ask_change()
    qtbot.waitUntil(lambda: win.security.dialog is not None
                    and win.security.dialog.isVisible(), timeout=10000)
    dialog = win.security.dialog
    words = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "every time you open the database" in words
    assert dialog.current is not None
    assert not dialog.encrypt.isEnabled()  # nothing typed yet
    dialog.saved.setChecked(True)
    assert not dialog.encrypt.isEnabled()  # the current passphrase is still missing
    QTest.keyClicks(dialog.current, "not the passphrase at all")
    assert dialog.encrypt.isEnabled()
    QTest.mouseClick(dialog.encrypt, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.current_error.isVisible()
    assert "not the current passphrase" in dialog.current_error.text()
    dialog.current.clear()
    QTest.keyClicks(dialog.current, OWN)
    recovery = dialog.new_key().recovery
    with qtbot.waitSignal(win.security.finished, timeout=30000) as done:
        QTest.mouseClick(dialog.encrypt, Qt.MouseButton.LeftButton)
    assert done.args == [True], win.statusBar().currentMessage()
    assert opens(db_path, recovery)
    assert not opens(db_path, OWN)


def test_a_change_refused_as_in_use_says_the_new_passphrase_was_not_applied(
        qtbot, window, db_path, memory_keyring):
    import subprocess
    import sys

    from planner.services.security import new_key

    first = new_key()
    with qtbot.waitSignal(window.security.finished, timeout=30000) as done:
        window.security.encrypt(first)
    assert done.args == [True]
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_ENCRYPTED, str(db_path), first.key],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              env=_child_env())
    try:
        assert holder.stdout.readline().strip() == "ready"
        window.security.ask_change()
        qtbot.waitUntil(lambda: window.security.dialog is not None
                        and window.security.dialog.isVisible(), timeout=10000)
        dialog = window.security.dialog
        _choose_own(qtbot, dialog, OWN, OWN)
        with qtbot.waitSignal(window.security.finished, timeout=30000) as done:
            QTest.mouseClick(dialog.encrypt, Qt.MouseButton.LeftButton)
    finally:
        holder.kill()
        holder.communicate()
    said = window.statusBar().currentMessage()
    assert done.args == [False], said
    assert "in use" in said, said
    assert "new passphrase was not applied" in said, said
    assert "old passphrase still opens" in said, said
    assert window.document.database.backend.key == first.key
    assert opens(db_path, first.recovery)
    assert not opens(db_path, OWN)


def test_the_status_line_says_where_the_key_is(qtbot, window, memory_keyring):
    from planner.services.security import new_key

    prefs = _security_page(window)
    assert "Key: none (the database is not encrypted)" in prefs.security_status.text()
    prefs.reject()
    with qtbot.waitSignal(window.security.finished, timeout=30000):
        window.security.encrypt(new_key())
    prefs = _security_page(window)
    qtbot.waitUntil(lambda: "Key: kept in this computer's keyring"
                    in prefs.security_status.text(), timeout=10000)
    assert "not looked up" not in prefs.security_status.text()


def test_the_status_line_says_the_key_is_typed_without_a_keyring(qtbot, db_path,
                                                                  no_keyring):
    from planner.services.security import new_key

    populate(db_path, inner=1)
    win = open_window(qtbot, db_path)
    with qtbot.waitSignal(win.security.finished, timeout=30000):
        win.security.encrypt(new_key())
    prefs = _security_page(win)
    qtbot.waitUntil(lambda: "Key: typed at every start (no keyring on this computer)"
                    in prefs.security_status.text(), timeout=10000)
