"""The people list's first fill reads only what the first frame shows (issue 23): by name
with no filter, the first ids (LIMIT) and the document's count, not 100,000 ids; the
whole list is read once the window's first frame is painted. Before that, and after,
the list shows what it showed when it read every id at once: everyone in name order,
the right count, a person far down found, people added or removed meanwhile."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest

from planner.domain.rings import Ring
from planner.services import contacts as contact_svc
from planner.storage.models import db_proxy
from planner.ui.people.contact_model import (
    FIRST,
    HEAD,
    NAME,
    PAGE,
    ContactTableModel,
    FirstIds,
)
from tests.gui.helpers import WINDOW_SIZE, open_window, populate, settle_start, use_private_settings
from tests.helpers.stores import bound

PEOPLE = HEAD + 2 * PAGE + 37  # more than the first ids, and some pages beyond


@pytest.fixture
def crowd(db_path):
    """Names whose case and duplicates test the order (ASCII: SQLite's NOCASE and
    lower() agree); some placed."""
    extra = {}
    for n in range(PEOPLE):
        word = ("ada", "Ada", "bob", "Bea", "zed", "Zoe", "mia")[n % 7]
        ring = Ring.INNER if n < 3 else Ring.OUTER if n < 9 else None
        extra[f"{word} {n % 60:02d} #{n}"] = (ring, {"email": f"p{n}@example.org"})
    return populate(db_path, extra=extra)


def by_name(document) -> list[int]:
    """Everyone's ids in the list's order, worked out here from the people themselves."""
    return [c.id for c in sorted(document.contacts(), key=lambda c: (c.name.lower(), c.id))]


def ids_read(model) -> list[int]:
    return [model.id_at(r) for r in range(model.rowCount())]


def fetch_all(model) -> None:
    while model.canFetchMore():
        model.fetchMore()


class _Statements:
    """The SQL the GUI thread's connection runs meanwhile (sqlite3's trace callback)."""

    def __init__(self):
        self.seen: list[str] = []

    def __enter__(self):
        db_proxy.connection().set_trace_callback(self.seen.append)
        return self

    def __exit__(self, *exc):
        db_proxy.connection().set_trace_callback(None)

    def id_lists(self) -> list[str]:
        return [s for s in self.seen if s.startswith('SELECT "c"."id" FROM "contact"')]


def test_the_first_frame_is_painted_before_every_id_is_read(qtbot, db_path, crowd):
    from planner.app import build_main_window

    use_private_settings()
    window = build_main_window(str(db_path), watch=False)
    qtbot.addWidget(window)
    window.resize(*WINDOW_SIZE)
    panel, model = window.contact_list, window.contact_list.model
    expected = by_name(window.document)
    assert isinstance(model._ids, FirstIds) and model._ids.head == expected[:HEAD]
    assert ids_read(model) == expected[:FIRST]

    at_first_paint: dict = {}

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and not at_first_paint:
                at_first_paint.update(
                    whole=not isinstance(model._ids, FirstIds), rows=ids_read(model),
                    total=model.total(), label=panel.count_label.text())
            return False

    spy = FirstPaint(window)
    window.installEventFilter(spy)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: bool(at_first_paint), timeout=5000)
    assert at_first_paint == {"whole": False, "rows": expected[:FIRST], "total": PEOPLE,
                              "label": f"{PEOPLE} people"}
    settle_start(qtbot, window)
    assert model._ids == expected  # read whole once the frame was painted
    assert model.total() == PEOPLE and panel.count_label.text() == f"{PEOPLE} people"

    # scrolling the view to the end shows everyone, in order
    view = panel.view
    bar = view.verticalScrollBar()
    for _ in range(PEOPLE):
        bar.setValue(bar.maximum())
        qtbot.wait(1)
        if not model.canFetchMore():
            break
    assert ids_read(model) == expected
    view.scrollToBottom()
    view.viewport().repaint()
    last_row = view.rowAt(view.viewport().height() - 1)
    last_row = last_row if last_row >= 0 else panel.proxy.rowCount() - 1
    assert last_row == PEOPLE - 1
    assert panel.proxy.index(last_row, NAME).data() == \
        window.document.contact(expected[-1]).name


def test_a_fill_runs_one_short_id_query_and_the_whole_list_comes_after(qtbot, db_path, crowd):
    window = open_window(qtbot, db_path)
    expected = by_name(window.document)
    with _Statements() as sql:
        model = ContactTableModel(window.document, window.contact_list)
        assert [s.endswith(f"LIMIT {HEAD}") for s in sql.id_lists()] == [True]
        assert isinstance(model._ids, FirstIds)
        assert model.total() == PEOPLE and model.canFetchMore()
        qtbot.waitUntil(lambda: not isinstance(model._ids, FirstIds), timeout=5000)
        assert [s.endswith(f"LIMIT {HEAD}") for s in sql.id_lists()] == [True, False]
    assert model._ids == expected and model.total() == PEOPLE
    assert ids_read(model) == expected[:FIRST]


def test_the_first_page_the_view_asks_for_is_among_the_first_ids(qtbot, db_path, crowd):
    window = open_window(qtbot, db_path)
    expected = by_name(window.document)
    model = ContactTableModel(window.document)  # on its own: completed at the next turn
    with _Statements() as sql:
        model.fetchMore()
        assert isinstance(model._ids, FirstIds) and sql.id_lists() == []
    assert ids_read(model) == expected[:FIRST + PAGE]


def test_reading_on_past_the_first_ids_reads_everyone_in_order(qtbot, db_path, crowd):
    window = open_window(qtbot, db_path)
    expected = by_name(window.document)
    model = ContactTableModel(window.document)
    assert isinstance(model._ids, FirstIds)
    fetch_all(model)
    assert not isinstance(model._ids, FirstIds)
    assert ids_read(model) == expected and model.total() == PEOPLE


def test_scrolling_past_the_first_ids_reads_on_a_page_not_everyone(qtbot, db_path, crowd,
                                                                   monkeypatch):
    """The list scrolled past its first ids before the rest is read (a user at once, or
    a slow machine): the view's next pages read their own ids on by keyset, a page of
    them after the last id read, and never all of them in one frame (100,000 ids were
    30-110 ms of that frame); the rest comes in steps, each a statement with a LIMIT, and
    the list is the whole order."""
    from planner.ui.people import contact_model

    monkeypatch.setattr(contact_model, "COMPLETE_STEP", PAGE + 20)  # steps for a few
    window = open_window(qtbot, db_path)
    panel, model = window.contact_list, window.contact_list.model
    expected = by_name(window.document)
    window.document.reload()  # a fill afresh: the first ids, the rest after the frame
    assert isinstance(model._ids, FirstIds) and ids_read(model) == expected[:FIRST]
    with _Statements() as sql:
        while model.rowCount() < HEAD + PAGE:  # what the view asks for as it scrolls
            panel.proxy.fetchMore()
        assert isinstance(model._ids, FirstIds)  # not everyone: the pages past the first
        assert ids_read(model) == expected[:HEAD + PAGE]
        assert all(s.endswith(f"LIMIT {PAGE}") for s in sql.id_lists())
        assert len(sql.id_lists()) == 1  # one page past the first ids
        qtbot.waitUntil(lambda: not isinstance(model._ids, FirstIds), timeout=5000)
        steps = sql.id_lists()[1:]
        assert len(steps) == 2  # 137 ids left: 120, then the 17 that end the list
        assert all(s.endswith(f"LIMIT {PAGE + 20}") for s in steps)  # never all at once
    assert model._ids == expected and model.total() == PEOPLE
    panel.view.scrollToBottom()
    fetch_all(model)
    assert ids_read(model) == expected


def test_a_person_far_down_is_revealed_before_the_whole_list_is_read(qtbot, db_path, crowd):
    window = open_window(qtbot, db_path)
    expected = by_name(window.document)
    model = ContactTableModel(window.document)
    assert isinstance(model._ids, FirstIds)
    far = expected[-3]
    assert model.reveal(far) == PEOPLE - 3
    assert model.id_at(PEOPLE - 3) == far
    assert ids_read(model) == expected[:model.rowCount()]
    assert model.total() == PEOPLE


def test_the_window_selects_a_person_far_down_while_the_list_has_its_first_ids(
        qtbot, db_path, crowd):
    window = open_window(qtbot, db_path)
    panel, model = window.contact_list, window.contact_list.model
    expected = by_name(window.document)
    window.document.reload()  # a fill afresh: the first ids again, the rest next turn
    assert isinstance(model._ids, FirstIds)
    window.select(expected[-1])
    assert panel.selected_id() == expected[-1]
    assert model.row_of(expected[-1]) == PEOPLE - 1
    assert ids_read(model) == expected


def _added_first_and_last() -> tuple[int, int]:
    """Two people added behind the model's back (no signal): one first by name, one last."""
    first = contact_svc.add_contact(bound(), "aaa first").id
    last = contact_svc.add_contact(bound(), "zzz last").id
    return first, last


def test_people_added_before_the_whole_list_is_read_are_shown_in_order(qtbot, db_path, crowd):
    window = open_window(qtbot, db_path)
    document = window.document
    model = ContactTableModel(document)
    assert isinstance(model._ids, FirstIds) and model.total() == PEOPLE
    first, last = _added_first_and_last()
    expected = by_name(document)
    assert expected[0] == first and expected[-1] == last
    qtbot.waitUntil(lambda: not isinstance(model._ids, FirstIds), timeout=5000)
    # the rows shown follow: the one added first by name is on the first row
    assert ids_read(model) == expected[:FIRST]
    assert model.total() == PEOPLE + 2
    fetch_all(model)
    assert ids_read(model) == expected


def test_people_added_then_scrolled_past_the_first_ids_at_once(qtbot, db_path, crowd):
    """The whole list read by a page past the first ids (not after the first frame):
    nobody twice, nobody missing."""
    window = open_window(qtbot, db_path)
    document = window.document
    model = ContactTableModel(document)
    _added_first_and_last()
    expected = by_name(document)
    fetch_all(model)
    assert ids_read(model) == expected and model.total() == PEOPLE + 2


def test_people_removed_before_the_whole_list_is_read_are_gone(qtbot, db_path, crowd):
    window = open_window(qtbot, db_path)
    document = window.document
    model = ContactTableModel(document)
    before = by_name(document)
    shown_one, unread_one = before[4], before[HEAD + 10]
    assert model.row_of(shown_one) == 4
    contact_svc.remove_contact(bound(), shown_one)
    contact_svc.remove_contact(bound(), unread_one)
    expected = by_name(document)
    qtbot.waitUntil(lambda: not isinstance(model._ids, FirstIds), timeout=5000)
    assert ids_read(model) == expected[:FIRST] and shown_one not in ids_read(model)
    assert model.total() == PEOPLE - 2
    fetch_all(model)
    assert ids_read(model) == expected


def test_a_person_added_in_the_window_before_the_whole_list_is_read(qtbot, db_path, crowd):
    """As the window adds someone: the document recounts and tells the views."""
    window = open_window(qtbot, db_path)
    document = window.document
    model = ContactTableModel(document)
    assert isinstance(model._ids, FirstIds)
    added = contact_svc.add_contact(bound(), "aardvark").id
    document.refresh_contacts([added])
    expected = by_name(document)
    assert not isinstance(model._ids, FirstIds)
    assert ids_read(model) == expected[:FIRST] and model.id_at(0) == added
    assert model.total() == PEOPLE + 1
    fetch_all(model)
    assert ids_read(model) == expected


def test_a_few_people_are_read_whole_at_once(qtbot, db_path):
    populate(db_path, unplaced=HEAD - 1)
    window = open_window(qtbot, db_path)
    model = ContactTableModel(window.document)
    assert model._ids == by_name(window.document) and model.total() == HEAD - 1


def test_a_person_clicked_on_the_rings_is_shown_in_the_list(qtbot, db_path, crowd):
    """Clicking someone on the canvas whose row the list had not read yet: the list read
    down to them and selected the row, but scrolled before laying the new rows out, so it
    showed an unrelated part of the list (the old last rows) and no selection."""
    window = open_window(qtbot, db_path)
    panel, view = window.contact_list, window.contact_list.view
    expected = by_name(window.document)
    placed = set(window.scene.nodes)
    far = next(cid for cid in reversed(expected) if cid in placed)  # a "zed"/"Zoe"
    assert panel.model.row_of(far) is None  # not read yet
    node = window.scene.nodes[far]
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, window.view.mapFromScene(node.pos()))
    qtbot.waitUntil(lambda: panel.selected_id() == far, timeout=3000)
    index = view.currentIndex()
    assert view.selectionModel().isRowSelected(index.row(), index.parent())
    assert view.viewport().rect().contains(view.visualRect(index)), view.visualRect(index)
    shown = view.indexAt(view.viewport().rect().center())
    assert abs(shown.row() - index.row()) < 40  # the list shows the person's neighbours
