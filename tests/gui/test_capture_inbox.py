"""The review inbox of captured touchpoints, driven with keys like a person: Enter
accepts, Delete rejects, edits before accepting, "Accept all for <person>", undo; every
step checked in the database file. The model passes qtmodeltester."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from planner.domain.capture import Captured
from planner.domain.rings import Ring
from tests.gui.helpers import open_window, populate, read_rows
from tests.helpers.stores import bound

NOW = datetime.now(UTC).replace(microsecond=0)
#: what the accepted touchpoint keeps of the event "ics:1": the key's SHA-256 (a touchpoint
#: is the team's, the event's UID the user's own)
KEPT = "sha256:" + hashlib.sha256(b"ics:1").hexdigest()


def captured(key: str, days: float, title: str, *addresses: str, kind="video") -> Captured:
    return Captured(key, kind, NOW - timedelta(days=days), 30, title,
                    tuple((a, "Zoë Zed" if a.startswith("zoe") else "") for a in addresses))


@pytest.fixture
def people(db_path):
    ids = populate(db_path, extra={
        "Ada Lovelace": (Ring.INNER, {"email": "ada@example.org"}),
        "Grace Hopper": (Ring.MIDDLE, {"email": "grace@navy.mil"})})
    from planner.services import capture
    from planner.storage.database import open_database

    opened = open_database(str(db_path))
    try:
        capture.apply_batch(bound(), None, [
            captured("ics:1", 1, "Weekly sync", "ada@example.org"),
            captured("ics:2", 2, "Roadmap", "grace@navy.mil"),
            captured("ics:3", 3, "Pairing", "ada@example.org", kind="meeting"),
            captured("ics:4", 4, "Intro", "ada@example.org", "zoe@site.org"),
        ])
    finally:
        opened.close()
    return ids


def touchpoints(path):
    """(contact id, kind, minutes, note, source) on disk, oldest first by id."""
    return [(r[1], r[2], r[4], r[5], r[-1]) for r in read_rows(path, "touchpoint")]


def statuses(path) -> dict[str, str]:
    rows = read_rows(path, "capture_proposal")
    return {f"{r[3]}|{r[4]}": r[12] for r in rows}  # source_key|match_key: status


@pytest.fixture
def inbox(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    qtbot.waitUntil(lambda: window.capture.badge.isVisible())
    assert window.capture.badge.text() == "5 to review"
    window.capture.action.trigger()
    inbox = window.capture.inbox
    qtbot.waitExposed(inbox)
    return window, inbox


def inbox_watching(qtbot, db_path, path):
    """The window and its open inbox, once ``path`` is watched as the source "Work"."""
    from planner.services import capture_ics
    from planner.storage.database import open_database

    opened = open_database(str(db_path))
    try:
        capture_ics.import_ics(bound(), path, watch=True, label="Work")
    finally:
        opened.close()
    window = open_window(qtbot, db_path)
    box = window.capture.show_inbox()
    qtbot.waitExposed(box)
    return window, box

def test_the_model_is_a_proper_qt_model(qtmodeltester, inbox):
    qtmodeltester.check(inbox[1].model)


def test_enter_accepts_and_delete_rejects_and_undo_brings_them_back(qtbot, db_path, people,
                                                                     inbox):
    window, box = inbox
    ada = people["Ada Lovelace"]
    assert box.model.rows[0].note == "Weekly sync"  # newest first
    box.view.setFocus()
    QTest.keyClick(box.view, Qt.Key.Key_Return)
    assert touchpoints(db_path) == [(ada, "video", 30, "Weekly sync", KEPT)]
    assert statuses(db_path)[f"ics:1|contact:{ada}"] == "accepted"
    assert box.model.rows[0].note == "Roadmap"  # the next one is selected
    QTest.keyClick(box.view, Qt.Key.Key_Delete)
    assert statuses(db_path)[f"ics:2|contact:{people['Grace Hopper']}"] == "rejected"
    assert window.capture.badge.text() == "3 to review"
    window.document.undo()  # the rejection
    window.document.undo()  # the acceptance
    assert touchpoints(db_path) == []
    assert set(statuses(db_path).values()) == {"pending"}
    assert box.model.rowCount() == 5
    window.document.redo()
    assert touchpoints(db_path) == [(ada, "video", 30, "Weekly sync", KEPT)]


def test_editing_before_accepting(qtbot, db_path, people, inbox):
    _window, box = inbox
    box.select_row(2)  # Pairing
    assert box.current().note == "Pairing"
    box.kind.setCurrentIndex(box.kind.findData("coffee"))
    box.minutes.setValue(45)
    box.note.setFocus()
    box.note.selectAll()
    QTest.keyClicks(box.note, "Pairing on the parser")
    assert box.model.data(box.model.index(2, 2)) == "Coffee"
    QTest.keyClick(box.note, Qt.Key.Key_Return)
    assert touchpoints(db_path) == [
        (people["Ada Lovelace"], "coffee", 45, "Pairing on the parser",
        "sha256:" + hashlib.sha256(b"ics:3").hexdigest())]


def test_accept_all_for_a_person_and_a_new_person(qtbot, db_path, people, inbox):
    window, box = inbox
    box.select_row(0)
    assert box.accept_person.text() == "Accept all for Ada Lovelace"
    box.accept_person.click()
    assert [t[3] for t in touchpoints(db_path)] == ["Weekly sync", "Pairing", "Intro"]
    zoe = next(i for i, p in enumerate(box.model.rows) if p.is_candidate)
    assert box.model.data(box.model.index(zoe, 1)) == "Zoë Zed (new)"
    box.select_row(zoe)
    QTest.keyClick(box.view, Qt.Key.Key_Return)
    names = [r[1] for r in read_rows(db_path, "contact")]
    assert "Zoë Zed" in names
    assert window.document.contact(max(r[0] for r in read_rows(db_path, "contact"))).name \
        == "Zoë Zed"
    window.document.undo()
    assert "Zoë Zed" not in [r[1] for r in read_rows(db_path, "contact")]


def test_the_last_review_leaves_the_empty_state_and_hides_the_badge(qtbot, db_path, inbox):
    window, box = inbox
    box.view.selectAll()
    QTest.keyClick(box.view, Qt.Key.Key_Delete)
    assert box.model.rowCount() == 0
    assert box.empty.isVisible() and not box.view.isVisible()
    assert not box.accept_button.isVisible() and not window.capture.badge.isVisible()
    window.document.undo()
    assert box.model.rowCount() == 5 and window.capture.badge.text() == "5 to review"


def test_read_sources_again_runs_off_the_gui_thread_and_shows_what_came(qtbot, db_path,
                                                                       people, tmp_path):
    def stamp(moment):
        return moment.strftime("%Y%m%dT%H%M%SZ")

    def calendar(*uids):
        events = "".join(
            f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:{stamp(NOW - timedelta(days=n + 1))}\r\n"
            f"DTEND:{stamp(NOW - timedelta(days=n + 1, minutes=-45))}\r\nSUMMARY:Lunch {uid}"
            "\r\nATTENDEE:mailto:grace@navy.mil\r\nEND:VEVENT\r\n" for n, uid in enumerate(uids))
        return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n"

    path = tmp_path / "work.ics"
    path.write_text(calendar("w1"))
    window, box = inbox_watching(qtbot, db_path, path)
    assert box.sync_button.isVisible() and box.model.rowCount() == 6
    path.write_text(calendar("w1", "w2", "w3"))
    box.sync_button.click()
    qtbot.waitUntil(lambda: box.job is None and box.model.rowCount() == 8, timeout=10_000)
    assert box.sync_status.text() == "Work: 2 new"
    assert window.capture.badge.text() == "8 to review"
    notes = {r[11] for r in read_rows(db_path, "capture_proposal")}
    assert {"Lunch w2", "Lunch w3"} <= notes


def test_an_empty_inbox_with_a_source_does_not_ask_to_add_one(qtbot, db_path, tmp_path):
    """With a calendar added and all it found reviewed, the inbox said "Add a calendar or
    a mailbox with Sources…": it now says that what the source found is reviewed."""
    from planner.services import capture_ics
    from planner.storage.database import open_database

    populate(db_path, extra={"Grace Hopper": (Ring.MIDDLE, {"email": "grace@navy.mil"})})
    window = open_window(qtbot, db_path)
    box = window.capture.show_inbox()
    qtbot.waitExposed(box)
    assert "Add a calendar or a mailbox" in box.empty.text()  # nothing added yet
    box.close()
    window.close()
    path = tmp_path / "team.ics"  # one meeting with Grace
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x1\r\n"
                    f"DTSTART:{(NOW - timedelta(days=2)).strftime('%Y%m%dT%H%M%SZ')}\r\n"
                    "SUMMARY:1:1\r\nATTENDEE:mailto:grace@navy.mil\r\nEND:VEVENT\r\n"
                    "END:VCALENDAR\r\n")
    opened = open_database(str(db_path))
    try:
        capture_ics.import_ics(bound(), path, watch=True, label="Team <calendar>")
    finally:
        opened.close()
    window = open_window(qtbot, db_path)
    box = window.capture.show_inbox()
    qtbot.waitExposed(box)
    assert box.model.rowCount() == 1
    box.view.setFocus()
    QTest.keyClick(box.view, Qt.Key.Key_Delete)  # reviewed: rejected
    assert box.model.rowCount() == 0 and box.empty.isVisible() and box.sync_button.isVisible()
    text = box.empty.text()
    assert "Add a calendar" not in text
    assert "Nothing from <b>Team &lt;calendar&gt;</b> is waiting" in text
    assert "someone you know" in text  # (meetings with nobody known never came here)
    assert "after its next read" in text and "Read sources again</b> reads it now" in text


def test_enter_clicks_the_focused_button_and_still_accepts_in_the_list(qtbot, db_path, people,
                                                                       inbox):
    """A review: Tab to Reject, Enter did nothing (only Space did), as on every button of
    the inbox and the sources dialog. Enter in the list still accepts."""
    _window, box = inbox
    box.reject_button.setFocus()
    qtbot.waitUntil(box.reject_button.hasFocus)
    QTest.keyClick(box.reject_button, Qt.Key.Key_Return)
    assert statuses(db_path)[f"ics:1|contact:{people['Ada Lovelace']}"] == "rejected"
    assert box.model.rowCount() == 4
    box.view.setFocus()
    QTest.keyClick(box.view, Qt.Key.Key_Enter)  # the keypad's Enter: accepts in the list
    assert statuses(db_path)[f"ics:2|contact:{people['Grace Hopper']}"] == "accepted"
    box.close_button.setFocus()
    QTest.keyClick(box.close_button, Qt.Key.Key_Enter)
    assert not box.isVisible()


def test_opened_by_its_keys_the_first_row_is_selected(qtbot, db_path, people):
    """A review: opened with Ctrl+Shift+R, the first row was current (its values in the
    fields below) but not selected: no highlight at all. The view's own selection calls
    read the Shift still held down, and selected nothing."""
    window = open_window(qtbot, db_path)
    QTest.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.capture.inbox is not None
                    and window.capture.inbox.isVisible())
    box = window.capture.inbox
    assert box.view.currentIndex().row() == 0
    assert [i.row() for i in box.view.selectionModel().selectedRows()] == [0]
    assert box.note.text() == "Weekly sync"


def test_the_columns_keep_their_width_while_reviewing(qtbot, db_path, people, inbox):
    """A review: every accept or reject fitted Person, Kind and Note to what was left, and
    the table jumped under the pointer."""
    _window, box = inbox
    header = box.view.horizontalHeader()

    def widths() -> list[int]:
        return [header.sectionSize(c) for c in range(header.count())]

    before = widths()
    assert before[2] >= box.view.sizeHintForColumn(2)  # "Meeting" fits
    box.select_row(2)  # Pairing: the only Meeting, the widest kind
    QTest.keyClick(box.view, Qt.Key.Key_Delete)
    zoe = next(i for i, p in enumerate(box.model.rows) if p.is_candidate)
    box.select_row(zoe)  # "Zoë Zed (new)": the widest person
    QTest.keyClick(box.view, Qt.Key.Key_Return)
    assert box.model.rowCount() == 3
    assert widths() == before


def test_read_sources_again_lists_what_could_not_be_read(qtbot, db_path, people, tmp_path):
    """"planner capture sync" warned of an event left out; the window's "Read sources
    again" said "Work: 1 new" and nothing of it."""

    def event(uid: str, days: int, extra: str = "") -> str:
        start = (NOW - timedelta(days=days)).strftime("%Y%m%dT%H%M%SZ")
        return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:{start}\r\nSUMMARY:Lunch {uid}\r\n"
                f"{extra}ATTENDEE:mailto:grace@navy.mil\r\nEND:VEVENT\r\n")

    path = tmp_path / "work.ics"
    path.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{event('w1', 1)}END:VCALENDAR\r\n")
    _window, box = inbox_watching(qtbot, db_path, path)
    assert not box.problems.isVisible()
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + event("w1", 1) + event("w2", 2)
                    + "".join(event(f"b{n}", 3 + n, "DURATION:PTxyz\r\n") for n in range(4))
                    + "END:VCALENDAR\r\n")
    qtbot.mouseClick(box.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box.job is None, timeout=10_000)
    assert box.sync_status.text() == "Work: 5 new, 4 warnings"
    assert box.problems.isVisible()
    lines = box.problems.text().splitlines()
    assert lines[0] == "Not everything could be read (4):"
    assert lines[1].startswith("• Work: work.ics: “Lunch b0” (UID b0, ")
    assert lines[1].endswith(": its length cannot be read (PTxyz); it is read without one")
    assert lines[4] == "… and 1 more (all in the tooltip)"
    assert len(box.problems.toolTip().splitlines()) == 4
    path.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{event('w1', 1)}END:VCALENDAR\r\n")
    qtbot.mouseClick(box.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box.job is None, timeout=10_000)
    assert not box.problems.isVisible()


def test_accepting_what_the_command_line_accepted_meanwhile_is_one_message_and_a_refresh(
        qtbot, db_path, people, inbox):
    """The command line accepts a proposal while the window shows it (before the window's
    next look at the file): Enter says so once, takes no second touchpoint, and the inbox
    re-reads at once instead of offering the stale row again."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    window, box = inbox
    said: list[str] = []
    window.document.message.connect(said.append)
    first = box.model.rows[0]
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-m", "planner", "--db", str(db_path), "capture", "accept",
         str(first.id)], capture_output=True, text=True, cwd=repo, timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(repo), os.environ.get("PYTHONPATH", "")])})
    assert done.returncode == 0, done.stderr
    box.view.setFocus()
    box.select_row(0)
    QTest.keyClick(box.view, Qt.Key.Key_Return)
    assert said == [f"captured touchpoint {first.id} is accepted, not pending"]
    assert len(touchpoints(db_path)) == 1  # the command line's, not a second one
    assert first.id not in [p.id for p in box.model.rows]
    assert box.model.rowCount() == 4 and window.capture.badge.text() == "4 to review"
