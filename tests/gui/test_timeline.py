"""The timelines in the window: the person's and everyone's, paging, events, filters.

The window is opened on a real database; changes are made the way a person
makes them (keys, dialogs) and the timelines must follow without a reload.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from planner.domain.rings import Ring
from planner.domain.timeline import EntryType
from planner.ui.timeline.timeline_model import PAGE
from tests.gui.history_helpers import (
    all_entries,
    database,
    entry_row,
    first_entry,
    loaded_entries,
    local_zone,
    make_people,
    model_rows,
    open_window,
    opened_dialog,
    rows,
    save_with_enter,
    select_on_canvas,
    touchpoints,
    type_note,
)
from tests.helpers.stores import bound


@pytest.fixture(autouse=True)
def tokyo():
    with local_zone("Asia/Tokyo"):
        yield


@pytest.fixture
def people(db_path):
    return make_people(
        db_path,
        {
            "Ada Lovelace": Ring.INNER,
            "Grace Hopper": Ring.MIDDLE,
            "Linus Outer": Ring.OUTER,
            "Nora Network": None,
        },
    )


@pytest.fixture
def window(qtbot, db_path, people):
    return open_window(qtbot, db_path)


def summaries(model) -> list[str]:
    return [e.summary() for e in loaded_entries(model)]


# -- what is shown -------------------------------------------------------------------------------
def test_creation_and_placement_are_events_in_both_timelines(window, people):
    everyone = window.activity.model
    assert summaries(everyone).count("added to the network") == 4
    assert "placed on the inner ring" in summaries(everyone)
    assert model_rows(everyone)[0] == (True, "Today")
    window.select(people["Grace Hopper"])
    person = window.person.timeline_model
    assert {e.contact_id for e in loaded_entries(person)} == {people["Grace Hopper"]}
    assert sorted(summaries(person)) == ["added to the network", "placed on the middle ring"]
    texts = [person.index(r).data() for r in range(person.rowCount())]
    assert any(t.endswith("· Placed on the middle ring") for t in texts)
    assert not any("Grace Hopper" in t for t in texts)  # one person: no name on each line
    assert any("Grace Hopper" in everyone.index(r).data() for r in range(everyone.rowCount()))


def test_selecting_another_person_switches_the_timeline(window, people):
    window.select(people["Ada Lovelace"])
    assert {e.contact_id for e in loaded_entries(window.person.timeline_model)} == {
        people["Ada Lovelace"]
    }
    window.select(people["Nora Network"])
    assert {e.contact_id for e in loaded_entries(window.person.timeline_model)} == {
        people["Nora Network"]
    }
    assert summaries(window.person.timeline_model) == ["added to the network"]
    window.select(None)
    assert window.person.timeline_model.rowCount() == 0


def test_a_ring_move_by_key_appears_at_the_top_and_undo_removes_it(qtbot, window, people):
    linus = people["Linus Outer"]
    view = select_on_canvas(qtbot, window, linus)
    QTest.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)  # promote
    assert window.document.contact(linus).ring is Ring.MIDDLE
    for model in (window.person.timeline_model, window.activity.model):
        top = first_entry(model)
        assert (top.type, top.summary()) == (EntryType.MOVE, "moved from outer to middle")
        assert model.index(1).data().split(" · ", 1)[1].startswith("Moved from outer to middle")
    window.document.undo_stack.undo()
    for model in (window.person.timeline_model, window.activity.model):
        assert "moved from outer to middle" not in summaries(model)


def test_adding_a_person_on_the_inner_ring_shows_both_events(qtbot, window):
    dialog = window.add_contact()
    QTest.keyClicks(dialog.name, "Katherine Johnson")
    dialog.ring.setCurrentIndex(dialog.ring.findText("Inner ring"))
    dialog.accept()
    top_two = loaded_entries(window.activity.model)[:2]
    assert {e.contact for e in top_two} == {"Katherine Johnson"}
    assert {e.summary() for e in top_two} == {"placed on the inner ring", "added to the network"}


def test_a_new_entry_is_at_the_top_even_when_older_ones_are_paged_in(qtbot, db_path, people):
    with database(db_path):
        from planner.storage.models import TouchpointRow, db_proxy

        stamp = datetime(2026, 1, 1, tzinfo=UTC)
        with db_proxy.atomic():
            TouchpointRow.insert_many(
                [
                    {
                        "contact": people["Ada Lovelace"],
                        "kind": "im",
                        "note": f"old {n}",
                        "at": datetime(2026, 6, 1, tzinfo=UTC) - timedelta(hours=n),
                        "created_at": stamp,
                        "updated_at": stamp,
                    }
                    for n in range(450)
                ]
            ).execute()
    window = open_window(qtbot, db_path)
    window.select(people["Ada Lovelace"])
    person = window.person.timeline_model
    person.fetchMore(QModelIndex())
    person.fetchMore(QModelIndex())
    view = select_on_canvas(qtbot, window, people["Ada Lovelace"])
    QTest.keyClick(view, Qt.Key.Key_E)
    dialog = opened_dialog(qtbot, window)
    type_note(dialog, "newest")
    save_with_enter(qtbot, dialog)
    ((tp_id,),) = rows(db_path, "SELECT max(id) FROM touchpoint")
    for model in (person, window.activity.model):
        assert model_rows(model)[0] == (True, "Today")
        assert first_entry(model).id == f"touchpoint:{tp_id}"
    seen = [e.id for e in all_entries(person)]
    assert len(seen) == len(set(seen)) == 450 + 1 + 2  # + creation and placement


def test_timelines_are_drawn_with_markdown_notes(qtbot, db_path, people):
    from planner.services import touchpoints as svc

    with database(db_path):
        svc.log_touchpoint(bound(),
            people["Ada Lovelace"],
            "coffee",
            minutes=20,
            note="**Engines**\n\n- looms\n- [cards](https://example.org)",
        )
        svc.add_note(bound(), people["Ada Lovelace"], "A <b>raw</b> & *careful* note")
    window = open_window(qtbot, db_path)
    window.select(people["Ada Lovelace"])
    for view in (window.person.timeline, window.activity.timeline):
        if view is window.activity.timeline:  # a page of its own beside the rings (issue 20)
            window.window_actions.show_activity.trigger()
        qtbot.waitUntil(view.isVisible)
        image = view.grab().toImage()
        assert not image.isNull() and image.width() > 0
        tall = [view.sizeHintForRow(r) for r in range(view.model().rowCount())]
        assert max(tall) > min(tall)  # the multi-line note is taller than a header


def drawn_entries(view) -> list:
    """The documents the timeline draws for its entries (not its day headers)."""
    from planner.ui.timeline.timeline_model import Role

    model = view.model()
    return [view.entry_document(row) for row in range(model.rowCount())
            if not model.index(row).data(Role.IS_HEADER)]


def drawn_marks(view) -> dict[str, object]:
    """Each run of text in the timeline's entries as drawn → its character format."""
    marks = {}
    for doc in drawn_entries(view):
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                marks[fragment.text().strip()] = fragment.charFormat()
                it += 1
            block = block.next()
    return marks


def test_note_marks_read_as_markdown_writers_expect(qtbot, db_path, people):
    """``_x_`` was drawn underlined (Qt's GitHub dialect), ``__x__`` too; a note's
    ``<Bob>`` swallowed the rest of the note as HTML, and Shift+Enter's new line was
    joined into one line. Now as everywhere else Markdown is read."""
    window = open_window(qtbot, db_path)
    select_on_canvas(qtbot, window, people["Ada Lovelace"])
    box = window.person.note_box
    box.setFocus()
    QTest.keyClicks(box, "Met _Bob_ and *Eve*: __urgent__ and **soon**")
    QTest.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: box.text() == "", timeout=2000)
    select_on_canvas(qtbot, window, people["Ada Lovelace"])
    QTest.keyClick(window.view, Qt.Key.Key_C)  # a coffee, with a note of two lines
    dialog = opened_dialog(qtbot, window)
    type_note(dialog, "Talked about <Bob> and snake_case_names")
    QTest.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    type_note(dialog, "Next: ~~slides~~ a demo")
    save_with_enter(qtbot, dialog)

    for view in (window.person.timeline, window.activity.timeline):
        if view is window.activity.timeline:
            window.window_actions.show_activity.trigger()
        qtbot.waitUntil(lambda v=view: "Bob" in drawn_marks(v))
        marks = drawn_marks(view)
        for word in ("Bob", "Eve"):
            assert marks[word].fontItalic() and not marks[word].fontUnderline(), word
        for word in ("urgent", "soon"):
            assert marks[word].fontWeight() >= 700 and not marks[word].fontUnderline(), word
            assert not marks[word].fontItalic(), word
        assert marks["slides"].fontStrikeOut()
        text = "\n".join(doc.toPlainText() for doc in drawn_entries(view))
        assert "Talked about <Bob> and snake_case_names\nNext: slides a demo" in text


@pytest.mark.parametrize(("typed", "shown"), [
    ("one\ntwo", "one\ntwo"),  # a typed new line stays one
    ("one\n\ntwo", "one\ntwo"),  # a paragraph
    ("- a\n- b", "a\nb"),
    ("```\nx = 1\ny = 2\n```\nafter", "x = 1\ny = 2\nafter"),  # code as typed
    ("---\ntitle: x\n---\nbody", "title: x\nbody"),  # no front matter eaten
])
def test_a_notes_lines_are_shown_as_typed(qtbot, typed, shown):
    from PySide6.QtGui import QTextDocument

    from planner.ui.common.note_markdown import set_note_markdown

    doc = QTextDocument()
    set_note_markdown(doc, typed)
    assert [line.strip() for line in doc.toPlainText().splitlines() if line.strip()] == \
        shown.splitlines()


@pytest.mark.parametrize("typed", ["# Plan for Q1\nship it", "### Plan for Q1\nship it",
                                   "Plan for Q1\n===\nship it"])
def test_a_heading_in_a_note_is_bold_at_the_notes_own_size(qtbot, typed):
    """Qt drew ``# Plan`` at twice the note's size, with margins: a banner in a compact
    timeline. It reads as a bold line of the note."""
    from PySide6.QtGui import QTextCursor, QTextDocument

    from planner.ui.common.note_markdown import set_note_markdown

    doc = QTextDocument()
    set_note_markdown(doc, typed)
    heading, body = doc.begin(), doc.begin().next()
    assert heading.text() == "Plan for Q1" and body.text() == "ship it"

    def font_of(block):
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.Right)
        return cursor.charFormat().font()

    assert font_of(heading).pointSizeF() == font_of(body).pointSizeF()
    assert font_of(heading).bold() and not font_of(body).bold()
    layout = doc.documentLayout()
    assert layout.blockBoundingRect(heading).height() <= \
        1.5 * layout.blockBoundingRect(body).height()


# -- paging in the window --------------------------------------------------------------------------
@pytest.fixture
def big(db_path, people):
    """5,000 touchpoints for Ada and Grace, one every 30 minutes back from 20 Nov 2026."""
    from planner.storage.models import TouchpointRow, db_proxy

    start = datetime(2026, 11, 20, 12, tzinfo=UTC)
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    two = [people["Ada Lovelace"], people["Grace Hopper"]]
    with database(db_path), db_proxy.atomic():
        data = [
            {
                "contact": two[n % 2],
                "kind": ("coffee", "im", "video", "email")[n % 4],
                "note": f"entry {n}",
                "at": start - timedelta(minutes=30 * n),
                "created_at": stamp,
                "updated_at": stamp,
            }
            for n in range(5000)
        ]
        for chunk in range(0, 5000, 500):
            TouchpointRow.insert_many(data[chunk : chunk + 500]).execute()
    return people


def test_5000_entries_open_with_one_page_and_scrolling_pages_in(qtbot, db_path, big):
    window = open_window(qtbot, db_path)
    model, view = window.activity.model, window.activity.timeline
    assert len(loaded_entries(model)) == PAGE
    assert model.rowCount() < 2 * PAGE
    assert model.canFetchMore(QModelIndex())
    window.select(big["Ada Lovelace"])
    assert len(loaded_entries(window.person.timeline_model)) == PAGE

    before = model.rowCount()
    view.scrollToBottom()  # the view asks the model for more as the end comes into sight
    qtbot.waitUntil(lambda: model.rowCount() > before, timeout=3000)
    assert len(loaded_entries(model)) in (2 * PAGE, 3 * PAGE)

    seen = all_entries(model)
    assert len(seen) == len({e.id for e in seen}) == 5000 + 4 + 3  # + creations, placements
    assert [e.at for e in seen] == sorted((e.at for e in seen), reverse=True)


# -- filters in the activity panel ----------------------------------------------------------
def choose(combo, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def test_filter_by_kind_and_by_ring(qtbot, db_path, big):
    window = open_window(qtbot, db_path)
    panel = window.activity
    choose(panel.kind_filter, "Video")
    entries = all_entries(panel.model)
    assert len(entries) == 1250
    assert {e.kind for e in entries} == {"video"}

    choose(panel.kind_filter, "All kinds")
    choose(panel.ring_filter, "Inner ring")
    entries = all_entries(panel.model)
    assert {e.contact_id for e in entries} == {big["Ada Lovelace"]}
    assert len(entries) == 2500 + 2

    choose(panel.kind_filter, "Email")
    entries = all_entries(panel.model)
    assert {(e.contact_id, e.kind) for e in entries} == set()  # Ada has no emails (n % 4 == 3)

    choose(panel.kind_filter, "Coffee")
    entries = all_entries(panel.model)
    assert {(e.contact_id, e.kind) for e in entries} == {(big["Ada Lovelace"], "coffee")}

    choose(panel.ring_filter, "Outer ring")
    assert panel.model.rowCount() == 0  # Linus has no touchpoints

    choose(panel.ring_filter, "All rings")
    choose(panel.kind_filter, "All kinds")
    assert len(all_entries(panel.model)) == 5000 + 7


def test_ring_filter_follows_ring_moves(qtbot, window, people):
    panel = window.activity
    choose(panel.ring_filter, "Middle ring")
    assert {e.contact_id for e in loaded_entries(panel.model)} == {people["Grace Hopper"]}
    window.select(people["Linus Outer"])
    window.window_actions.promote.trigger()
    assert {e.contact_id for e in loaded_entries(panel.model)} == {
        people["Grace Hopper"],
        people["Linus Outer"],
    }
    assert first_entry(panel.model).summary() == "moved from outer to middle"


# -- acting on entries ----------------------------------------------------------------------
def test_context_menu_on_an_entry_deletes_it(qtbot, db_path, people):
    from planner.services import touchpoints as svc

    with database(db_path):
        tp = svc.log_touchpoint(bound(), people["Grace Hopper"], "sms", note="right-click me")
    window = open_window(qtbot, db_path)
    window.select(people["Grace Hopper"])
    view, model = window.person.timeline, window.person.timeline_model
    index = model.index(entry_row(model, f"touchpoint:{tp.id}"))
    pos = view.visualRect(index).center()
    QApplication.sendEvent(
        view.viewport(),
        QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, view.viewport().mapToGlobal(pos)),
    )
    menus = [m for m in view.findChildren(QMenu) if m.isVisible()]
    assert len(menus) == 1
    actions = {a.text(): a for a in menus[0].actions()}
    assert set(actions) == {"Edit…", "Delete"}
    actions["Delete"].trigger()
    menus[0].close()
    assert touchpoints(db_path) == []
    assert entry_row(model, f"touchpoint:{tp.id}") is None
    window.document.undo_stack.undo()
    assert entry_row(model, f"touchpoint:{tp.id}") is not None


def test_no_context_menu_on_a_day_header_or_an_event(qtbot, window, people):
    window.select(people["Ada Lovelace"])
    view, model = window.person.timeline, window.person.timeline_model
    for row in range(model.rowCount()):
        pos = view.visualRect(model.index(row)).center()
        QApplication.sendEvent(
            view.viewport(),
            QContextMenuEvent(
                QContextMenuEvent.Reason.Mouse, pos, view.viewport().mapToGlobal(QPoint(pos))
            ),
        )
    assert not [m for m in view.findChildren(QMenu) if m.isVisible()]
    assert touchpoints(window.document.database.path) == []


def test_an_empty_timeline_says_so_in_its_place(qtbot, db_path):
    """All activity on an empty database was a blank box; it now says what will show
    there (and, filtered, why nothing does)."""
    from tests.gui.helpers import populate

    populate(db_path)
    window = open_window(qtbot, db_path)
    window.show_page(window.activity)
    view = window.activity.timeline
    qtbot.waitUntil(view.isVisible)
    assert view.model().rowCount() == 0 and "Nothing logged yet" in view.placeholder

    def inked(widget) -> int:
        image = widget.viewport().grab().toImage()
        back = image.pixelColor(2, 2)
        return sum(image.pixelColor(x, y) != back
                   for x in range(0, image.width(), 2) for y in range(0, 60, 2))

    assert inked(view) > 20  # the sentence is drawn (an empty box: nothing)
    window.activity.kind_filter.setCurrentIndex(1)
    assert "Nothing of that kind" in view.placeholder


def test_delete_after_editing_an_entry_never_takes_the_person_off_the_rings(
        qtbot, window, people):
    """Enter on an entry, save, Delete: the keys had gone to the window and Delete, its
    Unplace shortcut, took the person off the rings. The focus comes back to the
    timeline, and Delete there never reaches the person (even with no entry selected)."""
    from planner.domain.rings import Ring as Rings
    from planner.services import touchpoints as tp_svc

    ada = people["Ada Lovelace"]
    touch = tp_svc.log_touchpoint(bound(), ada, "coffee", note="first")
    window.select(ada)
    view = window.person.timeline
    qtbot.waitUntil(lambda: entry_row(view.model(), f"touchpoint:{touch.id}") is not None)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    view.setCurrentIndex(view.model().index(entry_row(view.model(), f"touchpoint:{touch.id}")))
    QTest.keyClick(view, Qt.Key.Key_Return)  # edit the entry
    qtbot.waitUntil(lambda: window.history.dialog is not None
                    and window.history.dialog.isVisible())
    dialog = window.history.dialog
    type_note(dialog, " and more")
    save_with_enter(qtbot, dialog)
    qtbot.waitUntil(view.hasFocus)  # back where the keys were
    view.clearSelection()
    view.setCurrentIndex(view.model().index(-1))
    QTest.keyClick(view, Qt.Key.Key_Delete)  # nothing selected: nothing happens
    assert window.document.contact(ada).ring == Rings.INNER


def test_an_entrys_summary_keeps_its_capitals():
    """"Snoozed until sun 13 dec 2026": the line's first letter was raised and every
    other one lowered (str.capitalize)."""
    from planner.domain.timeline import TimelineEntry
    from planner.ui.timeline.timeline_model import entry_text

    until = datetime(2026, 12, 13, 9, 0, tzinfo=UTC)
    entry = TimelineEntry(type=EntryType.SNOOZE, row_id=1, contact_id=1, contact="Ada",
                          at=until - timedelta(days=7), until=until)
    line = entry_text(entry, with_contact=False)
    assert "Snoozed until Sun 13 Dec 2026" in line


def test_ctrl_z_in_the_note_box_does_not_bring_the_saved_note_back(qtbot, db_path, people):
    """The box's own undo put the note just saved back in it, and Enter saved it twice."""
    window = open_window(qtbot, db_path)
    window.select(people["Ada Lovelace"])
    box = window.person.note_box
    box.setFocus()
    QTest.keyClicks(box, "Met at the meetup")
    QTest.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: box.text() == "", timeout=2000)
    QTest.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert box.text() == ""
    QTest.keyClick(box, Qt.Key.Key_Return)  # an empty box saves nothing
    assert rows(db_path, "SELECT count(*) FROM note WHERE text = ?",
                ("Met at the meetup",)) == [(1,)]
