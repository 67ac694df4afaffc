"""The capture sources dialog, driven with mouse and keys like a person: a calendar folder
added (only the file dialog's question is answered by the test), shown and stored;
"Accept automatically" stored; Remove asks first; a CalDAV calendar added against a real
Radicale (tests/helpers/radicale_server.py) — a wrong password is said in the form with
what was typed kept, the right one adds it with its password in the keyring; a
self-signed certificate is trusted by its fingerprint from the form."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest

from planner.services import capture as svc
from tests.gui.helpers import back_up_now, open_window, populate, read_rows
from tests.helpers.contrast import contrast
from tests.helpers.radicale_server import PASSWORD, USER, Radicale

LEFT = Qt.MouseButton.LeftButton
NOW = datetime.now(UTC).replace(microsecond=0)


def ics(uid: str, days_ago: int, attendee: str) -> str:
    start = NOW - timedelta(days=days_ago)
    stamp = start.strftime("%Y%m%dT%H%M%SZ")
    end = (start + timedelta(minutes=45)).strftime("%Y%m%dT%H%M%SZ")
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//planner tests//EN\r\n"
            f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:{stamp}\r\nDTSTART:{stamp}\r\n"
            f"DTEND:{end}\r\nSUMMARY:Coffee\r\nORGANIZER:mailto:me@example.org\r\n"
            f"ATTENDEE:mailto:{attendee}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


@pytest.fixture
def window(qtbot, db_path):
    populate(db_path, extra={"Ada Lovelace": (None, {"email": "ada@example.org"})})
    return open_window(qtbot, db_path)


def open_sources(qtbot, window):
    """Log → Capture sources… by its shortcut."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.capture.inbox is not None
                    and window.capture.inbox.sources is not None
                    and window.capture.inbox.sources.isVisible())
    dialog = window.capture.inbox.sources
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def stored_options(db_path, source_id: int) -> dict:
    for row in read_rows(db_path, "capture_source"):
        if row[0] == source_id:
            return next(json.loads(v) for v in row if isinstance(v, str) and v.startswith("{")
                        and "auto_accept" in v)
    raise AssertionError(f"no source {source_id} on disk")


def test_add_a_calendar_folder_auto_accept_and_remove(qtbot, db_path, window, tmp_path,
                                                      monkeypatch):
    folder = tmp_path / "calendars"
    folder.mkdir()
    (folder / "work.ics").write_text(ics("one@test", 2, "ada@example.org"))
    dialog = open_sources(qtbot, window)
    assert dialog.empty.isVisible() and not dialog.remove_button.isEnabled()
    # the message sits where the list will be, right under the intro (it floated in the
    # middle of ~300 empty pixels, the intro too)
    intro = dialog.layout().itemAt(0).widget()
    assert 0 <= dialog.empty.y() - intro.geometry().bottom() <= 24
    assert dialog.empty.alignment() & Qt.AlignmentFlag.AlignTop
    asked = []
    monkeypatch.setattr(dialog, "ask", lambda what: asked.append(what) or str(folder))
    qtbot.mouseClick(dialog.add_folder, LEFT)
    qtbot.waitUntil(lambda: dialog.job is None and dialog.view.topLevelItemCount() == 1)
    assert asked == ["folder"]
    item = dialog.view.topLevelItem(0)
    assert [item.text(c) for c in range(3)] == ["Calendar folder", "calendars",
                                                 str(folder.resolve())]
    [source] = svc.list_sources()
    assert (source.kind, source.location, source.auto_accept) == ("ics", str(folder.resolve()),
                                                                  False)
    # read at once, as capture ics --watch does: Ada, and the organiser as a new person
    assert dialog.status.text().startswith("Added calendars: 2 new")
    assert svc.pending_count() == 2

    # Accept automatically: a click, stored in the file
    assert dialog.remove_button.isEnabled() and dialog.auto_accept.isEnabled()
    qtbot.mouseClick(dialog.auto_accept, LEFT)
    assert svc.get_source(source.id).auto_accept
    assert stored_options(db_path, source.id)["auto_accept"] is True
    assert dialog.view.topLevelItem(0).text(4) == "automatically"
    dialog.view.setFocus()
    QTest.keyClick(dialog.view, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)  # a&utomatically
    qtbot.waitUntil(lambda: not dialog.auto_accept.isChecked())  # a mnemonic animates a click
    assert stored_options(db_path, source.id)["auto_accept"] is False
    qtbot.mouseClick(dialog.auto_accept, LEFT)
    dialog.close()
    dialog = open_sources(qtbot, window)  # shown again: read from the database
    assert dialog.auto_accept.isChecked()

    # Remove asks first: Keep keeps it, Remove removes it and its pending proposal
    qtbot.mouseClick(dialog.remove_button, LEFT)
    box = dialog.question
    qtbot.waitUntil(box.isVisible)
    qtbot.mouseClick(box.keep_button, LEFT)
    assert [s.id for s in svc.list_sources()] == [source.id]
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.view.setFocus()
    kept = box
    QTest.keyClick(dialog.view, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # &Remove…
    qtbot.waitUntil(lambda: dialog.question is not kept and dialog.question.isVisible())
    box = dialog.question
    assert "calendars" in box.text()
    qtbot.mouseClick(box.remove_button, LEFT)
    assert svc.list_sources() == []
    assert read_rows(db_path, "capture_source") == []
    assert svc.pending_count() == 0
    assert dialog.empty.isVisible()


def test_your_addresses(qtbot, window):
    dialog = open_sources(qtbot, window)
    dialog.addresses.setFocus()
    QTest.keyClicks(dialog.addresses, "Me@Example.org, me@work.example")
    QTest.keyClick(dialog.addresses, Qt.Key.Key_Return)
    assert svc.own_address_list() == ["me@example.org", "me@work.example"]
    dialog.addresses.selectAll()
    QTest.keyClicks(dialog.addresses, "not an address")
    qtbot.mouseClick(dialog.save_addresses, LEFT)
    assert "not an e-mail address" in dialog.status.text()
    assert svc.own_address_list() == ["me@example.org", "me@work.example"]


def make_calendar(server: Radicale, **client_options):
    import caldav

    client = caldav.DAVClient(server.base + "/", username=USER, password=PASSWORD,
                              **client_options)
    return client.principal().make_calendar(name="work", cal_id="work")


@pytest.fixture
def radicale(tmp_path):
    server = Radicale(tmp_path / "radicale")
    server.configure()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def radicale_tls(tmp_path):
    server = Radicale(tmp_path / "radicale-tls", tls=True)
    server.configure()
    server.start()
    yield server
    server.stop()


def fill_caldav(qtbot, dialog, url: str, password: str) -> None:
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.mouseClick(dialog.add_caldav, LEFT)
    form = dialog.form
    assert form.isVisible() and form.url.hasFocus()
    QTest.keyClicks(form.url, url)
    QTest.keyClick(form.url, Qt.Key.Key_Tab)
    QTest.keyClicks(form.user, USER)
    form.password.setFocus()
    QTest.keyClicks(form.password, password)


def test_add_caldav_wrong_then_right_password(qtbot, window, radicale, memory_keyring,
                                              caplog):
    caplog.set_level(logging.DEBUG)
    make_calendar(radicale)
    window.capture.action.trigger()  # the inbox, then its Sources… button
    inbox = window.capture.inbox
    qtbot.waitExposed(inbox)
    qtbot.mouseClick(inbox.sources_button, LEFT)
    dialog = inbox.sources
    qtbot.waitExposed(dialog)
    fill_caldav(qtbot, dialog, radicale.calendar_url(), "wrong-password")
    form = dialog.form
    assert form.password.echoMode() == form.password.EchoMode.Password
    QTest.keyClick(form.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.job is None and "refused" in form.message.text(),
                    timeout=20000)
    assert form.message.isVisible() and not form.trust_button.isVisible()
    assert "user name or password" in form.message.text()
    assert form.url.text() == radicale.calendar_url() and form.user.text() == USER
    assert svc.list_sources() == []
    assert memory_keyring.store == {}
    assert form.password.hasFocus()  # selected: typing replaces the wrong one
    QTest.keyClicks(form.password, PASSWORD)
    qtbot.mouseClick(form.add_button, LEFT)
    qtbot.waitUntil(lambda: dialog.job is None and not form.isVisible(), timeout=20000)
    [source] = svc.list_sources()
    assert (source.kind, source.location, source.username) == (
        "caldav", radicale.calendar_url(), USER)
    assert [dialog.view.topLevelItem(0).text(c) for c in (0, 2)] == [
        "CalDAV calendar", radicale.calendar_url()]
    secret = source.options["secret"]
    assert memory_keyring.store == {("mentorship-planner", secret): PASSWORD}
    assert form.password.text() == ""
    assert PASSWORD not in caplog.text and "wrong-password" not in caplog.text

    # removed: the keyring password goes with it
    qtbot.mouseClick(dialog.remove_button, LEFT)
    qtbot.waitUntil(dialog.question.isVisible)
    assert "keyring" in dialog.question.text()
    qtbot.mouseClick(dialog.question.remove_button, LEFT)
    assert svc.list_sources() == [] and memory_keyring.store == {}


def test_trust_a_self_signed_certificate(qtbot, window, radicale_tls, memory_keyring):
    make_calendar(radicale_tls, ssl_verify_cert=str(radicale_tls.folder / "tls" /
                                                    "localhost.crt"))
    dialog = open_sources(qtbot, window)
    fill_caldav(qtbot, dialog, radicale_tls.calendar_url(), PASSWORD)
    form = dialog.form
    qtbot.mouseClick(form.add_button, LEFT)
    qtbot.waitUntil(lambda: dialog.job is None and form.trust_button.isVisible(),
                    timeout=20000)
    from planner.sources.tls import show_fingerprint

    assert show_fingerprint(radicale_tls.fingerprint) in form.message.text()
    assert "--trust-certificate" not in form.message.text()
    assert svc.list_sources() == []
    assert form.password.text() == PASSWORD  # nothing typed is lost
    QTest.keyClick(form.trust_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.job is None and not form.isVisible(), timeout=20000)
    [source] = svc.list_sources()
    assert source.options["trusted"] == radicale_tls.fingerprint


@pytest.fixture
def dovecot(tmp_path):
    from tests.helpers.dovecot_server import Dovecot

    server = Dovecot(tmp_path / "dovecot")
    server.configure()
    server.start()
    yield server
    server.cleanup()


def test_add_imap_with_inbox_and_subject_after_trusting(qtbot, window, dovecot,
                                                        memory_keyring):
    from tests.helpers.dovecot_server import PASSWORD as MAIL_PASSWORD
    from tests.helpers.dovecot_server import USER as MAIL_USER

    dialog = open_sources(qtbot, window)
    qtbot.mouseClick(dialog.add_imap, LEFT)
    form = dialog.form
    assert form.host.isVisible() and not form.url.isVisible() and form.host.hasFocus()
    QTest.keyClicks(form.host, "127.0.0.1")
    form.port.setFocus()
    form.port.selectAll()
    QTest.keyClicks(form.port, str(dovecot.imaps))
    form.user.setFocus()
    QTest.keyClicks(form.user, MAIL_USER)
    form.password.setFocus()
    QTest.keyClicks(form.password, MAIL_PASSWORD)
    qtbot.mouseClick(form.inbox, LEFT)
    form.keep_subject.setFocus()
    QTest.keyClick(form.keep_subject, Qt.Key.Key_Space)
    QTest.keyClick(form.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.job is None and form.trust_button.isVisible(),
                    timeout=20000)
    assert svc.list_sources() == [] and memory_keyring.store == {}
    assert form.inbox.isChecked() and form.keep_subject.isChecked()  # nothing lost
    qtbot.mouseClick(form.trust_button, LEFT)
    qtbot.waitUntil(lambda: dialog.job is None and not form.isVisible(), timeout=20000)
    [source] = svc.list_sources()
    assert (source.kind, source.location, source.username) == (
        "imap", f"127.0.0.1:{dovecot.imaps}", MAIL_USER)
    assert source.options["keep_subject"] is True
    assert {"name": "INBOX", "sent": False} in source.options["folders"]
    assert source.options["trusted"] == dovecot.fingerprint
    assert memory_keyring.store == {("mentorship-planner", source.options["secret"]):
                                    MAIL_PASSWORD}
    assert dialog.view.topLevelItem(0).text(0) == "Mailbox (IMAP)"


def test_the_windows_own_capture_work_keeps_its_undo_history(qtbot, db_path, tmp_path,
                                                             monkeypatch):
    """Adding a calendar, and "Read sources again", write from a worker: the window took
    that for another program's change, said "Updated with changes made by another
    program" and dropped its undo history (a review: a note could no longer be undone)."""
    populate(db_path, extra={"Ada Lovelace": (None, {"email": "ada@example.org"})})
    window = open_window(qtbot, db_path, watch=True)  # as the app runs: watching the file
    backup = back_up_now(qtbot, window)  # (the review had restored a backup before)
    assert backup is not None and window.transfer.restore_from(backup)
    ada = next(c.id for c in window.document.contacts() if c.name == "Ada Lovelace")
    assert window.document.editing.add_note(ada, "Likes engines")
    folder = tmp_path / "calendars"
    folder.mkdir()
    (folder / "work.ics").write_text(ics("one@test", 2, "ada@example.org"))
    said: list[str] = []
    window.document.message.connect(said.append)
    window.document.note.connect(said.append)  # (where "another program" is said)
    dialog = open_sources(qtbot, window)
    monkeypatch.setattr(dialog, "ask", lambda what: str(folder))
    qtbot.mouseClick(dialog.add_folder, LEFT)
    qtbot.waitUntil(lambda: dialog.job is None and dialog.view.topLevelItemCount() == 1)
    inbox = window.capture.inbox
    (folder / "more.ics").write_text(ics("two@test", 1, "ada@example.org"))
    inbox.sync_button.click()
    qtbot.waitUntil(lambda: inbox.job is None, timeout=10000)
    qtbot.wait(3 * window.document.session.watcher.INTERVAL_MS)  # the watcher has looked
    assert not [s for s in said if "another program" in s], said
    assert window.document.undo_stack.canUndo()
    assert window.document.undo_stack.undoText() == "Note about Ada Lovelace"


def test_enter_clicks_the_focused_button(qtbot, window, tmp_path, monkeypatch):
    """A review: Enter on "Add calendar file…" did nothing (only Space did); Enter in the
    address field still saves the addresses and clicks no button."""
    (tmp_path / "work.ics").write_text(ics("one@test", 2, "ada@example.org"))
    dialog = open_sources(qtbot, window)
    asked = []
    monkeypatch.setattr(dialog, "ask",
                        lambda what: asked.append(what) or str(tmp_path / "work.ics"))
    dialog.add_file.setFocus()
    QTest.keyClick(dialog.add_file, Qt.Key.Key_Return)
    assert asked == ["file"]
    qtbot.waitUntil(lambda: dialog.job is None and dialog.view.topLevelItemCount() == 1)
    dialog.add_caldav.setFocus()
    QTest.keyClick(dialog.add_caldav, Qt.Key.Key_Enter)
    assert dialog.form.isVisible() and dialog.form.url.hasFocus()
    dialog.form.cancel_button.setFocus()
    QTest.keyClick(dialog.form.cancel_button, Qt.Key.Key_Return)
    assert not dialog.form.isVisible()
    dialog.addresses.setFocus()
    QTest.keyClicks(dialog.addresses, "me@example.org")
    QTest.keyClick(dialog.addresses, Qt.Key.Key_Return)
    assert svc.own_address_list() == ["me@example.org"]
    assert asked == ["file"] and dialog.isVisible()
    dialog.close_button.setFocus()
    QTest.keyClick(dialog.close_button, Qt.Key.Key_Return)
    assert not dialog.isVisible()


def _row_fill(view, item) -> QColor:
    """The colour most of ``item``'s row is painted in."""
    image = view.viewport().grab().toImage()
    rect = view.visualItemRect(item)
    y = rect.center().y()
    pixels = [image.pixel(x, y) for x in range(image.width())]
    return QColor(max(set(pixels), key=pixels.count))


def test_the_selected_source_shows_in_dark_and_remove_follows_it(qtbot, window, tmp_path,
                                                                  monkeypatch, qapp):
    """A review, dark theme: with the focus out of the list, no row looked selected
    (1.3:1 on the alternate row), yet Remove… was on and removed the current row; a
    Ctrl+click that unselects the row left Remove on."""
    from planner.ui.common import theme

    for name in ("a", "b"):
        (tmp_path / f"{name}.ics").write_text(ics(f"{name}@test", 2, "ada@example.org"))
    theme.apply_theme("dark", qapp)
    try:
        dialog = open_sources(qtbot, window)
        for name in ("b", "a"):
            monkeypatch.setattr(dialog, "ask", lambda what, n=name: str(tmp_path / f"{n}.ics"))
            qtbot.mouseClick(dialog.add_file, LEFT)
            qtbot.waitUntil(lambda: dialog.job is None)
        first, second = dialog.view.topLevelItem(0), dialog.view.topLevelItem(1)
        qtbot.mouseClick(dialog.view.viewport(), LEFT,
                         pos=dialog.view.visualItemRect(first).center())
        assert dialog.view.selectedItems() == [first]
        dialog.addresses.setFocus()  # the list has no focus: the window is still active
        qtbot.waitUntil(lambda: not dialog.view.hasFocus())
        chosen, other = _row_fill(dialog.view, first), _row_fill(dialog.view, second)
        assert contrast(chosen, other) >= 1.6, (chosen.name(), other.name())
        assert contrast(chosen, dialog.view.palette().color(QPalette.ColorRole.Text)) >= 4.5
        assert dialog.remove_button.isEnabled()
        qtbot.mouseClick(dialog.view.viewport(), LEFT, Qt.KeyboardModifier.ControlModifier,
                         dialog.view.visualItemRect(first).center())
        assert dialog.view.selectedItems() == []
        assert not dialog.remove_button.isEnabled() and not dialog.auto_accept.isEnabled()
    finally:
        theme.apply_theme("light", qapp)


def test_after_adding_a_calendar_the_focus_is_on_its_row(qtbot, window, tmp_path,
                                                         monkeypatch):
    """A review: after Add calendar file…, the focus was in "Your addresses" (the button
    is off while the file is read), and what was typed next went there."""
    (tmp_path / "old.ics").write_text(ics("old@test", 2, "ada@example.org"))
    (tmp_path / "new.ics").write_text(ics("new@test", 2, "ada@example.org"))
    dialog = open_sources(qtbot, window)
    for name in ("old", "new"):
        monkeypatch.setattr(dialog, "ask", lambda what, n=name: str(tmp_path / f"{n}.ics"))
        dialog.add_file.setFocus()
        QTest.keyClick(dialog.add_file, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: dialog.job is None)
    assert dialog.view.hasFocus()
    assert [i.text(1) for i in dialog.view.selectedItems()] == ["new.ics"]
    assert dialog.view.currentItem().text(1) == "new.ics"
    # a file that cannot be read: the focus goes back to the button
    monkeypatch.setattr(dialog, "ask", lambda what: str(tmp_path / "missing.ics"))
    dialog.add_folder.setFocus()
    QTest.keyClick(dialog.add_folder, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.job is None)
    assert "does not exist" in dialog.status.text()
    assert dialog.add_folder.hasFocus()


def test_a_calendar_that_finds_nothing_says_why(qtbot, window, tmp_path, monkeypatch):
    """A review: a file with nothing to review said "0 new, 0 updated, 0 withdrawn; 0
    already known, 0 with nobody you know" and nothing of why."""
    (tmp_path / "old.ics").write_text(ics("old@test", 60, "ada@example.org"))
    (tmp_path / "strangers.ics").write_text(ics("me@test", 2, "me@example.org"))
    dialog = open_sources(qtbot, window)
    dialog.addresses.setText("me@example.org")
    dialog.store_addresses()

    def add(name: str) -> str:
        monkeypatch.setattr(dialog, "ask", lambda what: str(tmp_path / name))
        qtbot.mouseClick(dialog.add_file, LEFT)
        qtbot.waitUntil(lambda: dialog.job is None)
        return dialog.status.text()

    assert add("old.ics") == ("Added old.ics, with nothing to review: it holds no meetings "
                              "from the last 30 days (only those are read).")
    assert add("strangers.ics") == ("Added strangers.ics, with nothing to review: nobody in "
                                    "its 1 meeting from the last 30 days is in your network.")
    assert svc.pending_count() == 0
    (tmp_path / "ada.ics").write_text(ics("ada@test", 2, "ada@example.org"))
    assert add("ada.ics") == ("Added ada.ics: 1 new, 0 updated, 0 withdrawn; 0 already "
                              "known, 0 with nobody you know.")
    assert add("ada.ics") == ("Added ada.ics, with nothing new to review: its 1 meeting "
                              "from the last 30 days was already proposed or reviewed.")


def test_a_calendar_with_a_cancelled_meeting_and_a_broken_event_says_both(qtbot, window,
                                                                          tmp_path,
                                                                          monkeypatch):
    """A cancelled meeting with Ada was "nobody in its 1 meeting … is in your network",
    and the event left out (its repeat rule unreadable) was said nowhere in the window."""
    good = ics("gone@test", 2, "ada@example.org").replace(
        "SUMMARY:Coffee", "SUMMARY:Coffee\r\nSTATUS:CANCELLED")
    broken = ics("bad@test", 3, "ada@example.org").replace(
        "SUMMARY:Coffee", "SUMMARY:Standup\r\nRRULE:FREQ=FOO")
    events = good[good.index("BEGIN:VEVENT"):good.index("END:VCALENDAR")] + \
        broken[broken.index("BEGIN:VEVENT"):]
    (tmp_path / "work.ics").write_text(good[:good.index("BEGIN:VEVENT")] + events)
    dialog = open_sources(qtbot, window)
    assert not dialog.problems.isVisible()
    monkeypatch.setattr(dialog, "ask", lambda what: str(tmp_path / "work.ics"))
    qtbot.mouseClick(dialog.add_file, LEFT)
    qtbot.waitUntil(lambda: dialog.job is None)
    assert dialog.status.text() == ("Added work.ics, with nothing to review: its 1 meeting "
                                    "from the last 30 days was cancelled.")
    assert dialog.problems.isVisible()
    day = (NOW - timedelta(days=3)).date().isoformat()
    line = (f"work.ics: “Standup” (UID bad@test, {day}) was not read: its repeat rule "
            "cannot be read (FREQ=FOO)")
    assert dialog.problems.text() == f"Not everything could be read (1):\n• {line}"
    assert dialog.problems.toolTip() == line == dialog.problems.accessibleDescription()
    # the next file that reads cleanly clears the list
    (tmp_path / "ada.ics").write_text(ics("ada@test", 2, "ada@example.org"))
    monkeypatch.setattr(dialog, "ask", lambda what: str(tmp_path / "ada.ics"))
    qtbot.mouseClick(dialog.add_file, LEFT)
    qtbot.waitUntil(lambda: dialog.job is None)
    assert dialog.status.text().startswith("Added ada.ics: 2 new")  # Ada, and me (a stranger)
    assert not dialog.problems.isVisible()


def test_a_calendar_in_a_zone_nobody_knows_says_so_once(qtbot, window, tmp_path, monkeypatch):
    """Two meetings at TZID=Mars/Base were read as local time without a word."""
    one, two = (ics(f"m{n}@test", n + 1, "ada@example.org") for n in (1, 2))
    text = one[:one.index("END:VCALENDAR")] + two[two.index("BEGIN:VEVENT"):]
    for prop in ("DTSTART", "DTEND"):
        text = re.sub(rf"{prop}:(\d{{8}}T\d{{6}})Z", rf"{prop};TZID=Mars/Base:\1", text)
    (tmp_path / "mars.ics").write_text(text)
    dialog = open_sources(qtbot, window)
    monkeypatch.setattr(dialog, "ask", lambda what: str(tmp_path / "mars.ics"))
    qtbot.mouseClick(dialog.add_file, LEFT)
    qtbot.waitUntil(lambda: dialog.job is None)
    assert dialog.status.text().startswith("Added mars.ics: 4 new")  # Ada and me, twice
    line = "mars.ics: time zone 'Mars/Base' is not known: its times were read as local time"
    assert dialog.problems.isVisible()
    assert dialog.problems.text() == f"Not everything could be read (1):\n• {line}"
    assert dialog.problems.toolTip() == line == dialog.problems.accessibleDescription()


def test_a_calendar_cut_short_inside_an_event_reads_what_came_before(qtbot, window, tmp_path,
                                                                      monkeypatch):
    """It was read as an empty calendar ("with nothing new to review") without a word."""
    good, cut = ics("ok@test", 2, "ada@example.org"), ics("cut@test", 1, "ada@example.org")
    text = (good[:good.index("END:VCALENDAR")]
            + cut[cut.index("BEGIN:VEVENT"):cut.index("END:VEVENT")] + "END:VCALENDAR\r\n")
    (tmp_path / "cut.ics").write_text(text)
    dialog = open_sources(qtbot, window)
    monkeypatch.setattr(dialog, "ask", lambda what: str(tmp_path / "cut.ics"))
    qtbot.mouseClick(dialog.add_file, LEFT)
    qtbot.waitUntil(lambda: dialog.job is None)
    assert dialog.status.text().startswith("Added cut.ics: 2 new")  # Ada, and me
    line = ("cut.ics: the calendar ends inside an event (line 13, “Coffee”): the file is cut "
            "short there; the events before it were read")
    assert dialog.problems.isVisible()
    assert dialog.problems.text() == f"Not everything could be read (1):\n• {line}"


def test_a_utf8_calendar_with_a_stray_byte_names_its_line(qtbot, window, tmp_path, monkeypatch):
    """One stray byte turned every accented name of the file into mojibake, unsaid."""
    text = ics("s@test", 2, "ada@example.org").replace(
        "SUMMARY:Coffee", "SUMMARY:Café with Zoë\r\nLOCATION:Room \x92B")
    (tmp_path / "stray.ics").write_bytes(text.encode("utf-8").replace("\x92".encode(), b"\x92"))
    dialog = open_sources(qtbot, window)
    monkeypatch.setattr(dialog, "ask", lambda what: str(tmp_path / "stray.ics"))
    qtbot.mouseClick(dialog.add_file, LEFT)
    qtbot.waitUntil(lambda: dialog.job is None)
    assert dialog.status.text().startswith("Added stray.ics: 2 new")  # Ada, and me
    line = ("stray.ics: the file is UTF-8 except for a few bytes on line 10: they cannot be "
            "read and were replaced by “�” (check the names there)")
    assert dialog.problems.text() == f"Not everything could be read (1):\n• {line}"
    assert {p.note for p in svc.list_proposals()} == {"Café with Zoë"}
