"""Logging touchpoints and notes in the window: by key, by menu, by button; edit, delete, undo.

Each test drives the real window the way a person would (keys on the focused
canvas, clicks, the context menu) and then checks the file on disk through a
separate connection, the timelines, and every place the last touch is shown.
The local time zone is set to Los Angeles so that local time and UTC differ.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from planner.domain.rings import Ring
from planner.ui.people.person_panel import QUICK_KINDS
from tests.gui.history_helpers import (
    KEYS,
    contact_list_last_touch,
    database,
    entry_row,
    find_entry,
    first_entry,
    header_above,
    local_today,
    local_zone,
    model_rows,
    node_tooltip,
    notes,
    open_window,
    opened_dialog,
    person_last_touch,
    rows,
    save_with_enter,
    select_on_canvas,
    stored_time,
    touchpoints,
    type_note,
    yesterday_at,
)
from tests.helpers.stores import bound

ZONE = "America/Los_Angeles"


@pytest.fixture(autouse=True)
def los_angeles():
    with local_zone(ZONE):
        yield


@pytest.fixture
def people(db_path):
    from tests.gui.history_helpers import make_people

    return make_people(
        db_path, {"Ada Lovelace": Ring.INNER, "Grace Hopper": Ring.MIDDLE, "Zoë Ümlaut": Ring.OUTER}
    )


@pytest.fixture
def window(qtbot, db_path, people):
    return open_window(qtbot, db_path)


def click_save(dialog) -> None:
    QTest.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )


def set_when(dialog, text: str) -> None:
    """Replace the When field's text by typing, as a person would."""
    dialog.when.setFocus()
    dialog.when.selectAll()
    QTest.keyClick(dialog.when, Qt.Key.Key_Backspace)
    QTest.keyClicks(dialog.when, text)


def day_text(moment: datetime) -> str:
    """How the contact list shows a last touch."""
    local = moment.astimezone()
    return f"{local.day} {local:%b %Y}"  # the day without a leading nought, as everywhere


def tooltip_day(moment: datetime) -> str:
    local = moment.astimezone()
    return f"{local:%a} {local.day} {local:%b %Y}"


# -- by keyboard -------------------------------------------------------------------------------
def test_key_c_logs_a_coffee_shown_everywhere_at_once(qtbot, window, people, db_path):
    ada = people["Ada Lovelace"]
    assert contact_list_last_touch(window, ada) == "never"
    assert "last touch never" in node_tooltip(window, ada)
    view = select_on_canvas(qtbot, window, ada)
    before = datetime.now(UTC)

    QTest.keyClick(view, Qt.Key.Key_C)
    dialog = opened_dialog(qtbot, window)
    assert dialog.chosen_kind() == "coffee"
    assert dialog.when.text() == "now"
    assert dialog.subject.text() == "With Ada Lovelace"
    qtbot.waitUntil(dialog.note.hasFocus, timeout=2000)  # type at once
    type_note(dialog, "Talked about the *analytical* engine")
    save_with_enter(qtbot, dialog)

    saved = touchpoints(db_path)
    assert len(saved) == 1
    tp_id, contact_id, kind, at, minutes, note = saved[0]
    assert (contact_id, kind, minutes, note) == (
        ada,
        "coffee",
        None,
        "Talked about the *analytical* engine",
    )
    assert before - timedelta(seconds=1) <= stored_time(at) <= datetime.now(UTC)

    # the timelines show it at the top, under "Today", with no reload by anyone
    for model in (window.person.timeline_model, window.activity.model):
        assert model_rows(model)[0] == (True, "Today")
        top = first_entry(model)
        assert top.id == f"touchpoint:{tp_id}"
        assert top.text == "Talked about the *analytical* engine"
    assert "Coffee" in window.person.timeline_model.index(1).data()
    assert "Ada Lovelace" in window.activity.model.index(1).data()

    # the last touch, everywhere
    when = stored_time(at)
    assert contact_list_last_touch(window, ada) == day_text(when)
    assert person_last_touch(window) == (
        f"{tooltip_day(when)}, {when.astimezone():%H:%M} (Coffee)"  # as This week says it
    )
    assert f"last touch {tooltip_day(when)}" in node_tooltip(window, ada)
    # nobody else was touched
    assert contact_list_last_touch(window, people["Grace Hopper"]) == "never"


def test_a_note_by_key_n_is_not_a_touch(qtbot, window, people, db_path):
    grace = people["Grace Hopper"]
    view = select_on_canvas(qtbot, window, grace)
    QTest.keyClick(view, Qt.Key.Key_N)
    dialog = opened_dialog(qtbot, window)
    assert dialog.chosen_kind() == "note"
    assert not dialog.minutes.isEnabled()
    type_note(dialog, "Wants to mentor someone on compilers")
    save_with_enter(qtbot, dialog)

    saved = notes(db_path)
    assert [(n[1], n[3]) for n in saved] == [(grace, "Wants to mentor someone on compilers")]
    assert touchpoints(db_path) == []
    assert first_entry(window.person.timeline_model).id == f"note:{saved[0][0]}"
    assert first_entry(window.activity.model).id == f"note:{saved[0][0]}"
    # a note is not a touch
    assert contact_list_last_touch(window, grace) == "never"
    assert person_last_touch(window) == "never"
    assert "last touch never" in node_tooltip(window, grace)


@pytest.mark.parametrize("kind", list(KEYS))
def test_every_key_logs_its_kind(qtbot, window, people, db_path, kind):
    a = window.window_actions
    action = a.log_note if kind == "note" else a.log_kind[kind]
    # the key is shown in the menus
    assert action.shortcut().toString() == chr(KEYS[kind].value)
    zoe = people["Zoë Ümlaut"]
    view = select_on_canvas(qtbot, window, zoe)
    QTest.keyClick(view, KEYS[kind])
    dialog = opened_dialog(qtbot, window)
    assert dialog.chosen_kind() == kind
    type_note(dialog, f"logged with the {kind} key")
    click_save(dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    if kind == "note":
        assert [n[3] for n in notes(db_path, zoe)] == ["logged with the note key"]
        assert touchpoints(db_path) == []
    else:
        assert [(t[2], t[5]) for t in touchpoints(db_path, zoe)] == [
            (kind, f"logged with the {kind} key")
        ]
        assert window.document.contact(zoe).last_touch_kind == kind


def test_key_in_the_contact_list_logs_for_an_unplaced_person(qtbot, db_path):
    from tests.gui.history_helpers import make_people

    ids = make_people(db_path, {"Nora Network": None, "Ada Lovelace": Ring.INNER})
    window = open_window(qtbot, db_path)
    table = window.contact_list.view
    model = window.contact_list.model
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    row = window.contact_list.proxy.mapFromSource(model.index(model.row_of(ids["Nora Network"]), 0))
    table.setCurrentIndex(row)
    assert window.current_id == ids["Nora Network"]
    QTest.keyClick(table, Qt.Key.Key_S)
    dialog = opened_dialog(qtbot, window)
    assert dialog.chosen_kind() == "sms"
    save_with_enter(qtbot, dialog)
    assert [(t[1], t[2]) for t in touchpoints(db_path)] == [(ids["Nora Network"], "sms")]
    assert contact_list_last_touch(window, ids["Nora Network"]) != "never"


def test_keys_need_a_selected_person(qtbot, window, db_path):
    window.select(None)
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    QTest.keyClick(window.view, Qt.Key.Key_C)
    QTest.keyClick(window.view, Qt.Key.Key_N)
    assert window.history.dialog is None
    assert not window.window_actions.log_kind["coffee"].isEnabled()


def test_typing_in_search_boxes_does_not_log(qtbot, window, people):
    """The one-letter keys are shortcuts, but never while typing in a text field."""
    window.select(people["Ada Lovelace"])
    for box in (window.activity.search, window.contact_list.search):
        box.setFocus()
        qtbot.waitUntil(box.hasFocus)
        QTest.keyClicks(box, "ceips")
        assert box.text() == "ceips"
        box.clear()
    assert window.history.dialog is None


# -- by context menu and by buttons ----------------------------------------------------------
def test_context_menu_logs_a_video(qtbot, window, people, db_path):
    grace = people["Grace Hopper"]
    menu = window._node_menu(grace, QPoint(300, 300))
    assert window.current_id == grace
    texts = {a.text().replace("&", ""): a for a in menu.actions()}
    assert {"Log Coffee…", "Log IM…", "Log Video Call…", "Log Meal…", "Write a Note…"} <= set(
        texts)
    video = texts["Log Video Call…"]
    assert video.shortcut().toString() == "V"  # the key is shown in the menu
    video.trigger()
    menu.close()
    dialog = opened_dialog(qtbot, window)
    assert dialog.chosen_kind() == "video"
    dialog.minutes.setValue(25)
    dialog.accept()
    assert [(t[1], t[2], t[4]) for t in touchpoints(db_path)] == [(grace, "video", 25)]
    # said in words (it read "Logged video with Grace Hopper", "Logged im with …")
    assert window.statusBar().currentMessage() == "Logged a video call with Grace Hopper"
    assert first_entry(window.activity.model).kind == "video"
    assert window.document.contact(grace).last_touch_kind == "video"


def test_right_click_on_a_node_opens_the_log_menu(qtbot, window, people):
    """A real context-menu event on the canvas selects the person and shows the menu."""
    ada = people["Ada Lovelace"]
    view = window.view
    pos = view.mapFromScene(window.scene.nodes[ada].pos())
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    assert window.current_id == ada
    menu = window._context_menu
    assert "Log Coffee…" in [a.text().replace("&", "") for a in menu.actions()]
    menu.close()


def test_the_log_menu_has_an_alt_letter_for_each_item_and_says_what_it_logs(
        qtbot, window, people):
    """After Alt+L no letter picked a kind (only "Write a &Note…" had one); the status tips
    read "Log a email", "Log a in person"; "Log In person…" read as logging in."""
    from planner.ui.common.access_keys import _items, _marked

    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Log")
    # the capture items come once the first frame is painted; the menu gives them their
    # letters as it opens
    qtbot.waitUntil(lambda: any("Capture" in a.text() for a in menu.actions()), timeout=5000)
    menu.aboutToShow.emit()
    items = _items(menu)
    letters = [_marked(a.text()) for a in items]
    assert None not in letters, [a.text() for a in items]
    assert len(letters) == len(set(letters)), sorted(letters)
    texts = {a.text().replace("&", ""): a for a in items}
    assert "Log Meeting in Person…" in texts and "Log In person…" not in texts
    window.select(people["Ada Lovelace"])  # (with nobody selected they say to select)
    assert texts["Log Email…"].statusTip() == "Log an email with the selected person"
    assert texts["Log IM…"].statusTip() == "Log an IM with the selected person"
    assert "Review Captured Touchpoints…" in texts and "Capture Sources…" in texts
    # a letter picks its item: Alt+L, then A is "Log C&all…"
    call = next(a for a in items if _marked(a.text()) == "a")
    assert call.data() == "call"


@pytest.mark.parametrize("kind", QUICK_KINDS)
def test_quick_buttons_open_the_dialog_preset(qtbot, window, people, db_path, kind):
    window.select(people["Ada Lovelace"])
    button = window.person.quick_buttons[kind]
    qtbot.waitUntil(button.isVisible)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = opened_dialog(qtbot, window)
    assert dialog.chosen_kind() == kind
    QTest.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    assert not dialog.isVisible()
    assert touchpoints(db_path) == [] and notes(db_path) == []  # cancelled: nothing saved


def test_quick_button_logs_a_call(qtbot, window, people, db_path):
    ada = people["Ada Lovelace"]
    window.select(ada)
    QTest.mouseClick(window.person.quick_buttons["call"], Qt.MouseButton.LeftButton)
    dialog = opened_dialog(qtbot, window)
    type_note(dialog, "Quick call")
    click_save(dialog)
    assert [(t[1], t[2], t[5]) for t in touchpoints(db_path)] == [(ada, "call", "Quick call")]
    assert first_entry(window.person.timeline_model).text == "Quick call"


def test_quick_buttons_hidden_without_a_person(window):
    window.select(None)
    assert not any(b.isVisible() for b in window.person.quick_buttons.values())


# -- the dialog --------------------------------------------------------------------------------
def test_yesterday_at_14_is_stored_as_local_time(qtbot, window, people, db_path):
    ada = people["Ada Lovelace"]
    window.select(ada)
    dialog = window.history.log(ada, "meal")
    set_when(dialog, "yesterday 14:00")
    expected = yesterday_at(14)
    assert f"{expected:%A} {expected.day} {expected:%B %Y}, 14:00" == dialog.when_hint.text()
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    click_save(dialog)

    at = stored_time(touchpoints(db_path)[0][3])
    assert at == expected  # the same moment...
    local = at.astimezone()
    assert (local.date(), local.hour, local.minute) == (
        local_today() - timedelta(days=1),
        14,
        0,
    )  # ...yesterday 14:00 on the wall clock
    assert at.utcoffset() == timedelta(0) and at.hour != 14  # stored in UTC, not local
    (tp_id,) = [t[0] for t in touchpoints(db_path)]
    assert header_above(window.person.timeline_model, f"touchpoint:{tp_id}") == "Yesterday"
    assert contact_list_last_touch(window, ada) == day_text(expected)


@pytest.mark.parametrize(
    "garbage", ["next blursday", "25:99", "yesterday at noonish", "3 fortnights ago", "9999-01-01"]
)
def test_unreadable_time_disables_save_with_an_inline_error(
    qtbot, window, people, db_path, garbage
):
    dialog = window.history.log(people["Ada Lovelace"], "coffee")
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    set_when(dialog, garbage)
    assert not save.isEnabled()
    assert dialog.error.text()
    assert dialog.error.isVisible()
    # Enter in the note cannot save it either
    type_note(dialog, "x")
    QTest.keyClick(dialog.note, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert touchpoints(db_path) == []
    # fixing the time clears the error
    set_when(dialog, "2 days ago")
    assert save.isEnabled()
    assert dialog.error.text() == ""
    dialog.reject()


def test_minutes_are_stored(qtbot, window, people, db_path):
    window.select(people["Grace Hopper"])
    dialog = window.history.log(people["Grace Hopper"], "call")
    dialog.minutes.setFocus()
    dialog.minutes.selectAll()
    QTest.keyClicks(dialog.minutes, "45")
    assert dialog.minutes.value() == 45
    click_save(dialog)
    assert touchpoints(db_path)[0][4] == 45
    assert "45 min" in window.person.timeline_model.index(1).data()
    # no minutes ("—") is stored as nothing, not 0
    dialog = window.history.log(people["Grace Hopper"], "im")
    assert dialog.minutes.value() == 0 and dialog.minutes.text() == "—"
    click_save(dialog)
    assert touchpoints(db_path)[1][4] is None


def test_shift_enter_is_a_new_line_and_enter_saves(qtbot, window, people, db_path):
    dialog = window.history.log(people["Ada Lovelace"], "coffee")
    type_note(dialog, "- first point")
    QTest.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert dialog.isVisible()
    type_note(dialog, "- second point")
    assert dialog.note.toPlainText() == "- first point\n- second point"
    QTest.keyClick(dialog.note, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert not dialog.isVisible()
    assert touchpoints(db_path)[0][5] == "- first point\n- second point"


def test_non_ascii_note_is_saved_as_typed(qtbot, window, people, db_path):
    dialog = window.history.log(people["Zoë Ümlaut"], "note")
    dialog.note.insertPlainText("Café with Zoë — Встреча, 東京で")
    save_with_enter(qtbot, dialog)
    assert notes(db_path)[0][3] == "Café with Zoë — Встреча, 東京で"


def test_an_empty_note_cannot_be_saved(qtbot, window, people, db_path):
    dialog = window.history.log(people["Ada Lovelace"], "note")
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    QTest.keyClick(dialog.note, Qt.Key.Key_Return)
    assert dialog.isVisible()
    dialog.reject()
    assert notes(db_path) == []


# -- undo ----------------------------------------------------------------------------------------
def test_logging_is_one_undo_step(qtbot, window, people, db_path):
    ada = people["Ada Lovelace"]
    stack = window.document.undo_stack
    depth = stack.count()
    view = select_on_canvas(qtbot, window, ada)
    QTest.keyClick(view, Qt.Key.Key_C)
    dialog = opened_dialog(qtbot, window)
    type_note(dialog, "undo me")
    save_with_enter(qtbot, dialog)
    assert stack.count() == depth + 1
    ((tp_id, *_),) = touchpoints(db_path)
    saved = touchpoints(db_path)
    entry_id = f"touchpoint:{tp_id}"

    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert touchpoints(db_path) == []
    assert rows(
        db_path, "SELECT count(*) FROM touchpoint_fts WHERE touchpoint_fts MATCH 'undo'"
    ) == [(0,)]
    for model in (window.person.timeline_model, window.activity.model):
        assert entry_row(model, entry_id) is None
    assert contact_list_last_touch(window, ada) == "never"
    assert "last touch never" in node_tooltip(window, ada)

    QTest.keyClick(
        view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert touchpoints(db_path) == saved  # the same row, same id
    for model in (window.person.timeline_model, window.activity.model):
        assert first_entry(model).id == entry_id
    assert contact_list_last_touch(window, ada) != "never"
    from planner.services import search

    assert [h.id for h in search.search("undo")] == [entry_id]


def test_undo_of_a_note_removes_it(qtbot, window, people, db_path):
    grace = people["Grace Hopper"]
    window.select(grace)
    dialog = window.history.log(grace, "note")
    type_note(dialog, "remember this")
    save_with_enter(qtbot, dialog)
    saved = notes(db_path)
    assert len(saved) == 1
    window.document.undo_stack.undo()
    assert notes(db_path) == []
    assert entry_row(window.person.timeline_model, f"note:{saved[0][0]}") is None
    window.document.undo_stack.redo()
    assert notes(db_path) == saved
    assert first_entry(window.person.timeline_model).id == f"note:{saved[0][0]}"


# -- edit and delete -----------------------------------------------------------------------------
@pytest.fixture
def history(db_path, people):
    """Yesterday 10:15:42 a coffee with Ada, and a note about her; written before the window."""
    from planner.services import touchpoints as svc

    with database(db_path):
        tp = svc.log_touchpoint(bound(),
            people["Ada Lovelace"],
            "coffee",
            at=yesterday_at(10, 15).replace(second=42),
            minutes=30,
            note="Talked about looms",
        )
        note = svc.add_note(bound(), people["Ada Lovelace"], "Likes poetry", at=yesterday_at(9))
    return {"touchpoint": tp.id, "note": note.id}


def test_edit_a_touchpoint_then_undo_and_redo(qtbot, history, db_path, people):
    window = open_window(qtbot, db_path)
    ada = people["Ada Lovelace"]
    window.select(ada)
    original = touchpoints(db_path)
    entry_id = f"touchpoint:{history['touchpoint']}"

    dialog = window.history.edit(entry_id)
    assert dialog.chosen_kind() == "coffee"
    assert dialog.note.toPlainText() == "Talked about looms"
    assert dialog.minutes.value() == 30
    assert dialog.when.text() == yesterday_at(10, 15).strftime("%Y-%m-%d %H:%M")
    dialog.kind.setCurrentIndex(dialog.kind.findData("call"))
    set_when(dialog, "yesterday 16:30")
    dialog.note.selectAll()
    type_note(dialog, "Talked about punched cards")
    save_with_enter(qtbot, dialog)

    (row,) = touchpoints(db_path)
    assert row[0] == history["touchpoint"]
    assert (row[2], row[4], row[5]) == ("call", 30, "Talked about punched cards")
    assert stored_time(row[3]) == yesterday_at(16, 30)
    entry = find_entry(window.person.timeline_model, entry_id)
    assert header_above(window.person.timeline_model, entry_id) == "Yesterday"
    assert (entry.id, entry.kind, entry.text) == (entry_id, "call", "Talked about punched cards")
    assert window.document.contact(ada).last_touch == yesterday_at(16, 30)
    from planner.services import search

    assert [h.id for h in search.search("punched")] == [entry_id]
    assert search.search("looms") == []

    window.document.undo_stack.undo()
    assert touchpoints(db_path) == original
    assert window.document.contact(ada).last_touch_kind == "coffee"
    assert [h.id for h in search.search("looms")] == [entry_id]
    window.document.undo_stack.redo()
    assert touchpoints(db_path)[0][2] == "call"


def test_editing_only_the_note_keeps_the_time(qtbot, history, db_path):
    """The When field shows minutes; saving it untouched must not drop the seconds."""
    window = open_window(qtbot, db_path)
    before = touchpoints(db_path)[0]
    dialog = window.history.edit(f"touchpoint:{history['touchpoint']}")
    assert dialog.windowTitle() == "Edit touchpoint"
    assert dialog.subject.text() == "With Ada Lovelace"
    dialog.note.selectAll()
    type_note(dialog, "Only the note changed")
    save_with_enter(qtbot, dialog)
    after = touchpoints(db_path)[0]
    assert after[3] == before[3]
    assert after[5] == "Only the note changed"


def test_edit_a_note(qtbot, history, db_path):
    window = open_window(qtbot, db_path)
    note_id = history["note"]
    dialog = window.history.edit(f"note:{note_id}")
    assert dialog.windowTitle() == "Edit note"  # not "Edit Ada Lovelace"
    assert dialog.subject.text() == "About Ada Lovelace"
    assert dialog.chosen_kind() == "note"
    assert not dialog.kind.isEnabled()  # a note stays a note
    dialog.note.selectAll()
    type_note(dialog, "Likes poetry and mathematics")
    save_with_enter(qtbot, dialog)
    assert notes(db_path)[0][3] == "Likes poetry and mathematics"
    window.document.undo_stack.undo()
    assert notes(db_path)[0][3] == "Likes poetry"


def test_enter_on_a_timeline_entry_opens_the_editor(qtbot, history, db_path, people):
    window = open_window(qtbot, db_path)
    window.select(people["Ada Lovelace"])
    view, model = window.person.timeline, window.person.timeline_model
    view.setCurrentIndex(model.index(entry_row(model, f"note:{history['note']}")))
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    QTest.keyClick(view, Qt.Key.Key_Return)
    dialog = opened_dialog(qtbot, window)
    assert dialog.note.toPlainText() == "Likes poetry"
    dialog.reject()


@pytest.mark.parametrize("timeline", ["person", "activity"])
def test_delete_key_on_a_timeline_entry_deletes_it(qtbot, history, db_path, people, timeline):
    window = open_window(qtbot, db_path)
    ada = people["Ada Lovelace"]
    window.select(ada)
    if timeline == "person":
        view, model = window.person.timeline, window.person.timeline_model
    else:
        view, model = window.activity.timeline, window.activity.model
    entry_id = f"touchpoint:{history['touchpoint']}"
    original = touchpoints(db_path)
    placed = rows(db_path, "SELECT contact_id, ring FROM placement ORDER BY 1")

    view.setCurrentIndex(model.index(entry_row(model, entry_id)))
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    QTest.keyClick(view, Qt.Key.Key_Delete)

    assert touchpoints(db_path) == []
    assert entry_row(model, entry_id) is None
    # the key went to the entry, not to the window's "Unplace" (also Delete)
    assert rows(db_path, "SELECT contact_id, ring FROM placement ORDER BY 1") == placed
    assert window.document.contact(ada).ring is Ring.INNER
    assert window.document.contact(ada).last_touch is None

    window.document.undo_stack.undo()
    assert touchpoints(db_path) == original  # same id, same everything
    assert entry_row(model, entry_id) is not None
    assert window.document.contact(ada).last_touch_kind == "coffee"


def test_delete_a_note_through_the_history(qtbot, history, db_path):
    window = open_window(qtbot, db_path)
    original = notes(db_path)
    assert window.history.delete(f"note:{history['note']}")
    assert notes(db_path) == []
    from planner.services import search

    assert search.search("poetry") == []
    window.document.undo_stack.undo()
    assert notes(db_path) == original
    assert [h.id for h in search.search("poetry")] == [f"note:{history['note']}"]
    window.document.undo_stack.redo()
    assert notes(db_path) == []


def test_deleting_a_ring_move_is_refused(qtbot, history, db_path):
    window = open_window(qtbot, db_path)
    moves = rows(db_path, "SELECT * FROM ring_move")
    assert not window.history.delete("move:1")
    assert window.history.edit("move:1") is None
    assert rows(db_path, "SELECT * FROM ring_move") == moves
