"""The people list reads a page at a time from SQL (issue 23): the model passes Qt's
model tester, scrolling reads everyone, SQL's order and filters are what the list
showed before, and changes made by the command line show up."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from planner.domain.rings import Ring
from planner.storage.people_search import Hits
from planner.ui.people.contact_model import (
    FIRST,
    LAST,
    NAME,
    PAGE,
    RING,
    ContactTableModel,
    Role,
)
from tests.gui.helpers import open_window, populate
from tests.helpers.stores import bound

PEOPLE = 2 * PAGE + 57  # three pages


@pytest.fixture
def crowd(db_path):
    """Names whose case, accents and duplicates test the order; some placed, some touched."""
    extra = {}
    for n in range(PEOPLE):
        name = ("ada", "Ada", "Émile", "zoe", "Zoë", "björn", "Bob")[n % 7] + f" {n % 50:02d}"
        ring = Ring.INNER if n < 3 else Ring.MIDDLE if n < 10 else Ring.OUTER if n < 12 else None
        extra[f"{name}" if name not in extra else f"{name} #{n}"] = (
            ring, {"email": f"p{n}@example.org", "tags": ["speaker"] if n % 5 == 0 else []})
    ids = populate(db_path, extra=extra)
    from datetime import UTC, datetime, timedelta

    from planner.services.touchpoints import log_touchpoint
    from planner.storage.database import open_database

    opened = open_database(str(db_path))
    now = datetime.now(UTC).replace(microsecond=0)
    try:
        for n, cid in enumerate(list(ids.values())[::17]):
            log_touchpoint(bound(), cid, "coffee", at=now - timedelta(days=n % 9))
    finally:
        opened.close()
    return ids


def names(model) -> list[str]:
    return [model.index(r, NAME).data() for r in range(model.rowCount())]


def fetch_all(model) -> None:
    while model.canFetchMore():
        model.fetchMore()


def test_the_model_passes_qts_model_tester(qtbot, qtmodeltester, db_path, crowd):
    window = open_window(qtbot, db_path)
    model = ContactTableModel(window.document)
    qtmodeltester.check(model, force_py=True)
    fetch_all(model)
    qtmodeltester.check(model, force_py=True)
    # the tester asks for more while a page is being inserted: no page is read twice
    ids = [model.index(row, 0).data(Role.CONTACT_ID) for row in range(model.rowCount())]
    assert len(ids) == len(set(ids)) == model.total()


def test_first_page_only_then_scrolling_to_the_end_reads_everyone(qtbot, db_path, crowd):
    window = open_window(qtbot, db_path)
    panel = window.contact_list
    model = panel.model
    assert model.rowCount() == FIRST and model.total() == PEOPLE
    assert panel.count_label.text() == f"{PEOPLE} people"
    view = panel.view
    panel.setFocus()
    view.setFocus()
    view.setCurrentIndex(panel.proxy.index(0, 0))
    for _ in range(PEOPLE):  # End, again and again, as a user holding it would
        QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        QTest.qWait(1)
        if not model.canFetchMore():
            break
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: not model.canFetchMore(), timeout=5000)
    assert model.rowCount() == PEOPLE
    assert len({model.index(r, 0).data(Role.CONTACT_ID) for r in range(PEOPLE)}) == PEOPLE


def test_sql_order_and_filters_match_the_python_order_of_before(qtbot, db_path, crowd):
    window = open_window(qtbot, db_path)
    model = window.contact_list.model
    everyone = window.document.contacts()
    fetch_all(model)
    by_name = sorted(everyone, key=lambda c: (c.name.lower(), c.id))
    assert names(model) == [c.name for c in by_name]

    model.sort(NAME, Qt.SortOrder.DescendingOrder)
    fetch_all(model)
    assert names(model) == [c.name for c in sorted(by_name, key=lambda c: c.name.casefold(),
                                                   reverse=True)]

    model.sort(RING, Qt.SortOrder.AscendingOrder)
    fetch_all(model)
    expected = sorted(by_name, key=lambda c: c.ring.depth if c.ring else 9)
    assert names(model) == [c.name for c in expected]

    model.sort(LAST, Qt.SortOrder.DescendingOrder)
    fetch_all(model)
    expected = sorted(by_name, key=lambda c: c.last_touch.timestamp() if c.last_touch else 0,
                      reverse=True)
    assert names(model) == [c.name for c in expected]

    model.sort(NAME, Qt.SortOrder.AscendingOrder)
    for needle in ("speaker", "émile", "ZOË", "p1@", "100%", "o_e"):
        window.contact_list.search.setText(needle)
        fetch_all(model)
        folded = needle.strip().casefold()
        wanted = [c.name for c in by_name
                  if folded in " ".join((c.name, c.email, c.organization, *c.tags)).casefold()]
        assert names(model) == wanted, needle
    window.contact_list.search.clear()
    window.contact_list.unplaced_only.setChecked(True)
    fetch_all(model)
    assert names(model) == [c.name for c in by_name if c.ring is None]


def _cli(db_path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANNER_")}
    subprocess.run([sys.executable, "-m", "planner", "--db", str(db_path), *args], check=True,
                   capture_output=True, env=env, timeout=60)


def test_people_added_renamed_and_moved_by_the_command_line_show_up(qtbot, db_path, crowd):
    window = open_window(qtbot, db_path)
    model, document = window.contact_list.model, window.document
    _cli(db_path, "contacts", "add", "Aaron Aardvark")
    assert document.session.catch_up()
    assert names(model)[0] == "Aaron Aardvark"
    assert model.total() == PEOPLE + 1
    assert window.contact_list.count_label.text() == f"{PEOPLE + 1} people"

    _cli(db_path, "contacts", "edit", "Aaron Aardvark", "--name", "Zz Last")
    document.session.catch_up()
    fetch_all(model)
    expected = sorted(document.contacts(), key=lambda c: (c.name.lower(), c.id))
    assert names(model) == [c.name for c in expected]
    assert "Zz Last" in names(model) and "Aaron Aardvark" not in names(model)

    _cli(db_path, "contacts", "move", "Zz Last", "outer")
    document.session.catch_up()
    zz = next(c for c in document.placed_contacts().values() if c.name == "Zz Last")
    assert zz.ring is Ring.OUTER and zz.id in window.scene.nodes
    row = model.reveal(zz.id)
    assert model.index(row, RING).data() == "Outer"


def test_selecting_a_person_far_down_reads_the_pages_to_them(qtbot, db_path, crowd):
    window = open_window(qtbot, db_path)
    model = window.contact_list.model
    last = model._ids[-1]
    assert model.row_of(last) is None  # not read yet
    window.select(last)
    assert window.contact_list.selected_id() == last
    assert model.row_of(last) == PEOPLE - 1


def test_every_row_read_is_found_by_id_whenever_it_is_asked(qtbot, db_path, crowd):
    """Rows are looked up by id only when asked (not as each page is read): asked between
    some pages and after the last, every row read is where it is."""
    window = open_window(qtbot, db_path)
    model = window.contact_list.model
    pages = 0
    while model.canFetchMore():
        model.fetchMore()
        pages += 1
        if pages % 2:  # after the first and the third, not the second
            row = model.rowCount() - 1
            assert model.row_of(model.id_at(row)) == row
    assert pages == 3
    assert [model.row_of(model.id_at(r)) for r in range(PEOPLE)] == list(range(PEOPLE))


def test_the_document_holds_the_placed_only_and_reads_others_on_demand(qtbot, db_path, crowd):
    window = open_window(qtbot, db_path)
    document = window.document
    placed = document.placed_contacts()
    assert len(placed) == 12
    assert len(document._contacts) == 12  # nobody else was read at start
    someone = next(cid for cid in crowd.values() if cid not in placed)
    assert document.cached(someone) is None
    assert document.contact(someone).id == someone
    assert document.cached(someone) is not None
    assert document.count() == PEOPLE


def test_the_search_index_finds_what_sql_finds_and_follows_edits(qtbot, db_path, crowd):
    window = open_window(qtbot, db_path)
    panel, model = window.contact_list, window.contact_list.model
    qtbot.waitUntil(model.search_index_ready, timeout=10_000)
    everyone = sorted(window.document.contacts(), key=lambda c: (c.name.lower(), c.id))
    for needle in ("speaker", "émile", "ZOË", "p1@", "o_e", "zzz"):
        panel.search.setText(needle)
        fetch_all(model)
        folded = needle.casefold()
        assert names(model) == [
            c.name for c in everyone
            if folded in " ".join((c.name, c.email, c.organization, *c.tags)).casefold()]
    panel.search.clear()
    # a rename made in the window: the index is rebuilt and the search finds the new name
    from planner.document.commands import EditContactCommand

    someone = model._ids[5]
    assert window.document.push(EditContactCommand(window.document, someone,
                                                   {"name": "Quetzal Unique"}))
    qtbot.waitUntil(model.search_index_ready, timeout=10_000)
    type_into = panel.search
    type_into.setText("quetzal")
    assert names(model) == ["Quetzal Unique"]
    panel.unplaced_only.setChecked(True)
    assert names(model) == ([] if someone in window.document.placed_contacts()
                            else ["Quetzal Unique"])


def test_a_short_search_is_counted_then_read_as_it_is_scrolled(qtbot, db_path, crowd):
    window = open_window(qtbot, db_path)
    panel, model = window.contact_list, window.contact_list.model
    qtbot.waitUntil(model.search_index_ready, timeout=10_000)
    everyone = sorted(window.document.contacts(), key=lambda c: (c.name.lower(), c.id))
    panel.search.setText("a")
    wanted = [c.name for c in everyone
              if "a" in " ".join((c.name, c.email, c.organization, *c.tags)).casefold()]
    assert model.total() == len(wanted) > PAGE and model.rowCount() == FIRST
    placed_matches = {cid for cid, c in window.document.placed_contacts().items()
                      if "a" in c.name.casefold() or "a" in c.email.casefold()}
    assert model.matching_ids() == placed_matches
    fetch_all(model)
    assert names(model) == wanted
    panel.search.clear()
    assert model.total() == PEOPLE and names(model)[:FIRST] == [c.name for c in everyone][:FIRST]


def _matching(window, needle: str) -> list[str]:
    everyone = sorted(window.document.contacts(), key=lambda c: (c.name.lower(), c.id))
    return [c.name for c in everyone
            if needle.casefold() in " ".join((c.name, c.email, c.organization, *c.tags))
            .casefold()]


def _type(box, char: str) -> None:
    """One key into the box (QTest types ASCII only: others as the key event's text)."""
    if char.isascii():
        QTest.keyClick(box, char)
        return
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(box, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _typed_and_erased(qtbot, panel, model, window, word: str) -> None:
    """Each key typed, then each erased, into the real box: the rows are always what a
    fresh search for the text in the box finds."""
    for n in range(1, len(word) + 1):
        _type(panel.search, word[n - 1])
        assert panel.search.text() == word[:n]
        fetch_all(model)
        assert names(model) == _matching(window, word[:n]), word[:n]
        assert model.total() == len(names(model))
    for n in range(len(word) - 1, -1, -1):
        QTest.keyClick(panel.search, Qt.Key.Key_Backspace)
        fetch_all(model)
        assert names(model) == (_matching(window, word[:n]) if n else
                                [c.name for c in sorted(window.document.contacts(),
                                                        key=lambda c: (c.name.lower(), c.id))])


def test_narrowing_key_by_key_then_erasing_gives_what_a_fresh_search_gives(qtbot, db_path,
                                                                          crowd):
    window = open_window(qtbot, db_path)
    panel, model = window.contact_list, window.contact_list.model
    qtbot.waitUntil(model.search_index_ready, timeout=10_000)
    for word in ("ada 0", "zoë", "p1@e", "émile", "xq"):
        _typed_and_erased(qtbot, panel, model, window, word)
    # the same with "Unplaced only": the placed are left out of every page
    panel.unplaced_only.setChecked(True)
    QTest.keyClicks(panel.search, "ad")
    fetch_all(model)
    placed = window.document.placed_contacts()
    assert names(model) == [name for name in _matching(window, "ad")
                            if not any(c.name == name for c in placed.values())]
    assert model.total() == len(names(model))


def test_typing_while_the_index_is_still_being_built_finds_the_same(qtbot, db_path, crowd):
    window = open_window(qtbot, db_path)
    panel, model = window.contact_list, window.contact_list.model
    qtbot.waitUntil(model.search_index_ready, timeout=10_000)
    model._rebuild_index()  # what a reload does: the index is built afresh on its thread
    assert not model.search_index_ready()  # it arrives through the event loop
    QTest.keyClicks(panel.search, "zo")
    assert not model.search_index_ready()  # searched in SQL meanwhile
    fetch_all(model)
    before = names(model)
    assert before == _matching(window, "zo") and before
    qtbot.waitUntil(model.search_index_ready, timeout=10_000)
    panel.search.clear()
    panel.search.setText("zo")  # the same search, through the index now
    assert isinstance(model._ids, Hits)
    fetch_all(model)
    assert names(model) == before
    _type(panel.search, "ë")
    fetch_all(model)
    assert names(model) == _matching(window, "zoë")
    assert panel.count_label.text().startswith(f"{len(_matching(window, 'zoë'))} of ")


def _shown(view) -> list[tuple[int, str]]:
    """(row, name) of the rows the view shows, as its own model holds them."""
    items = view.model()
    first, last = view.rowAt(0), view.rowAt(view.viewport().height() - 1)
    last = last if last >= 0 else items.rowCount() - 1
    return [(r, items.index(r, NAME).data()) for r in range(first, last + 1)]


def test_the_view_holds_the_rows_it_paints_and_lets_the_others_go(qtbot, db_path, crowd,
                                                                  monkeypatch):
    from planner.ui.people import contact_model

    monkeypatch.setattr(contact_model, "HELD", 40)
    window = open_window(qtbot, db_path)
    panel, model = window.contact_list, window.contact_list.model
    view, items = panel.view, panel.proxy
    fetch_all(model)
    assert items.rowCount() == model.rowCount() == PEOPLE
    every = names(model)
    view.setCurrentIndex(items.index(1, NAME))
    selected = panel.selected_id()
    view.scrollToBottom()
    view.viewport().repaint()
    assert panel.selected_id() == selected == model.id_at(1)  # let go, still selected
    assert view.currentIndex().row() == 1
    shown = _shown(view)
    assert shown and shown[-1][0] == PEOPLE - 1
    assert all(name == every[row] for row, name in shown)  # painted: held, as the source says
    assert len(items._held) <= 40
    assert items.index(0, NAME).data() is None  # painted long ago: let go
    view.scrollToTop()
    view.viewport().repaint()
    assert all(name == every[row] for row, name in _shown(view))
    # a row held follows a change; the person under the cursor is read from the source
    view.setCurrentIndex(items.index(2, NAME))
    assert panel.selected_id() == model.id_at(2)
    from planner.document.commands import EditContactCommand

    someone = model.id_at(2)
    assert window.document.push(EditContactCommand(window.document, someone,
                                                   {"name": "Ada 02 renamed"}))
    row = model.row_of(someone)
    assert items.index(row, NAME).data() == "Ada 02 renamed" == model.index(row, NAME).data()
    assert panel.selected_id() == someone  # the selection followed the person


def test_sorting_by_the_header_keeps_the_selected_person(qtbot, db_path, crowd):
    """(While the person is among the rows read in the new order.)"""
    window = open_window(qtbot, db_path)
    panel, model = window.contact_list, window.contact_list.model
    view = panel.view
    someone = model.id_at(5)
    view.setCurrentIndex(panel.proxy.index(5, NAME))
    view.sortByColumn(RING, Qt.SortOrder.AscendingOrder)
    assert panel.selected_id() == someone
    view.sortByColumn(RING, Qt.SortOrder.DescendingOrder)  # the unplaced first
    assert panel.selected_id() == someone
    row = view.currentIndex().row()
    assert panel.proxy.index(row, NAME).data() == model.index(row, NAME).data()


def test_the_search_index_is_built_once_the_list_stands_still(qtbot, db_path, crowd,
                                                             monkeypatch):
    """The index is built on a worker thread whose every line read or inserted hands the
    interpreter back and forth with the GUI thread: while the list is scrolled the build
    waits (a step at a time), and it is built, the same, once the list stands still."""
    from planner.storage import people_search
    from planner.ui.people import contact_model

    monkeypatch.setattr(people_search, "STEP", 10)  # many steps for a few hundred people
    window = open_window(qtbot, db_path)
    panel, model = window.contact_list, window.contact_list.model
    qtbot.waitUntil(model.search_index_ready, timeout=10_000)
    bar = panel.view.verticalScrollBar()
    assert bar.maximum() > 0

    def scroll() -> None:  # to the end and back to the top, as a user might
        bar.setValue(0 if bar.value() else bar.maximum())

    scroll()
    model._rebuild_index()  # as after an import: built afresh on its thread
    for _ in range(round(4 * contact_model.INDEX_HOLD_S / 0.05)):
        scroll()
        QTest.qWait(50)
        assert not model.search_index_ready()  # the build waits while the list moves
    qtbot.waitUntil(model.search_index_ready, timeout=10_000)  # it stood still: built
    panel.search.setText("zoë")
    fetch_all(model)
    everyone = sorted(window.document.contacts(), key=lambda c: (c.name.lower(), c.id))
    assert names(model) == [c.name for c in everyone if "zoë" in " ".join(
        (c.name, c.email, c.organization, *c.tags)).casefold()]
