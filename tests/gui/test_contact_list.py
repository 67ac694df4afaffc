"""The wider network: the contact table model, search, filters, sorting and selection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from planner.domain.rings import Ring
from planner.ui.people.contact_dialog import ContactDialog
from planner.ui.people.contact_model import COLUMNS
from tests.gui.helpers import (
    double_click,
    drag_node,
    open_window,
    populate,
    quick_animations,
    wait_settled,
)
from tests.helpers.stores import bound

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(autouse=True)
def _quick_glides(monkeypatch):
    quick_animations(monkeypatch)


@pytest.fixture
def people(db_path):
    ids = populate(
        db_path,
        extra={
            "Ada Lovelace": (Ring.INNER, {"email": "ada@analytical.org", "tags": ["maths"]}),
            "Chidi Okafor": (Ring.MIDDLE, {"email": "chidi@example.ng", "tags": ["ethics"]}),
            "Björk Guðmundsdóttir": (Ring.OUTER, {"organization": "Sugarcubes"}),
            "Mei Suzuki": (Ring.OUTER, {"tags": ["python", "speaker"]}),
            "Rafael Ortega": (None, {"email": "rafa@ortega.es"}),
            "Zanele Mbeki": (None, {"tags": ["speaker"]}),
        },
    )
    from planner.services.touchpoints import log_touchpoint
    from planner.storage.database import open_database

    opened = open_database(str(db_path))
    try:  # last touches: Ada yesterday, Mei 20 days ago, Chidi 60 days ago, others never
        for name, days in (("Ada Lovelace", 1), ("Mei Suzuki", 20), ("Chidi Okafor", 60)):
            log_touchpoint(bound(), ids[name], "coffee", at=NOW - timedelta(days=days))
    finally:
        opened.close()
    return ids


def type_text(widget, text: str) -> None:
    """Type into a widget: keys for ASCII, an input-method commit for the rest
    (QTest.keyClicks aborts on characters it has no key for)."""
    if text.isascii():
        QTest.keyClicks(widget, text)
        return
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def column(proxy, col: int = 0) -> list:
    return [proxy.index(row, col).data() for row in range(proxy.rowCount())]


def test_models_pass_the_model_tester(qtbot, qtmodeltester, db_path, people):
    window = open_window(qtbot, db_path)
    panel = window.contact_list
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.proxy)
    # The testers keep watching while the data changes underneath.
    drag_node(window, people["Mei Suzuki"], (0, 40))
    wait_settled(qtbot, window)
    panel.search.setText("a")
    panel.unplaced_only.setChecked(True)
    panel.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    window.document.undo_stack.undo()
    window.document.reload()
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.proxy)


def test_columns_show_ring_status_and_last_touch(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    model = window.contact_list.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == list(COLUMNS)
    assert headers[:2] == ["Name", "Ring"] and "Last touch" in headers
    last = headers.index("Last touch")
    ada = model.index(model.row_of(people["Ada Lovelace"]), 0)
    assert ada.data() == "Ada Lovelace"
    assert model.index(ada.row(), 1).data() == "Inner"
    day = (NOW - timedelta(days=1)).astimezone()
    assert model.index(ada.row(), last).data() == f"{day.day} {day:%b %Y}"
    rafa = model.row_of(people["Rafael Ortega"])
    assert model.index(rafa, 1).data() == "—"
    assert model.index(rafa, last).data() == "never"
    assert window.contact_list.count_label.text() == "6 people"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("lovelace", ["Ada Lovelace"]),  # name
        ("ORTEGA.ES", ["Rafael Ortega"]),  # email, any case
        ("speaker", ["Mei Suzuki", "Zanele Mbeki"]),  # tag
        ("sugarcubes", ["Björk Guðmundsdóttir"]),  # organisation
        ("guðm", ["Björk Guðmundsdóttir"]),  # beyond ASCII
        ("nobody at all", []),
    ],
)
def test_search_filters_by_name_email_tag(qtbot, db_path, people, typed, expected):
    window = open_window(qtbot, db_path)
    panel = window.contact_list
    type_text(panel.search, typed)
    assert sorted(column(panel.proxy)) == expected
    assert panel.count_label.text() == f"{len(expected)} of 6 people"
    panel.search.clear()
    assert panel.proxy.rowCount() == 6


def test_unplaced_only_filter_and_its_menu_action(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    panel = window.contact_list
    box = panel.unplaced_only
    QTest.mouseClick(
        box, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(8, box.height() // 2)
    )  # on the tick box itself
    assert panel.unplaced_only.isChecked()
    assert sorted(column(panel.proxy)) == ["Rafael Ortega", "Zanele Mbeki"]
    assert window.window_actions.unplaced_only.isChecked()  # the View menu agrees
    QTest.keyClicks(panel.search, "speaker")  # both filters at once
    assert column(panel.proxy) == ["Zanele Mbeki"]
    panel.search.clear()
    window.window_actions.unplaced_only.trigger()  # View ▸ Show Unplaced Only, off again
    assert not panel.unplaced_only.isChecked()
    assert panel.proxy.rowCount() == 6

    # Unplacing someone on the canvas makes them appear in the filtered list at once.
    panel.unplaced_only.setChecked(True)
    drag_node(window, people["Chidi Okafor"], (0, 440))
    wait_settled(qtbot, window)
    assert "Chidi Okafor" in column(panel.proxy)


def test_sorting_by_each_column(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    panel = window.contact_list
    view, proxy = panel.view, panel.proxy
    header = view.horizontalHeader()

    def click_header(col: int) -> None:
        x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
        QTest.mouseClick(
            header.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            QPoint(x, 5),
        )

    # Name, ascending (the default) and descending by clicking the header.
    names = [
        "Ada Lovelace",
        "Björk Guðmundsdóttir",
        "Chidi Okafor",
        "Mei Suzuki",
        "Rafael Ortega",
        "Zanele Mbeki",
    ]
    assert column(proxy) == names
    click_header(0)
    assert column(proxy) == names[::-1]

    # Ring: inner, middle, outer, then the unplaced.
    view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    rings = column(proxy, 1)
    assert rings == ["Inner", "Middle", "Outer", "Outer", "—", "—"]

    last = list(COLUMNS).index("Last touch")
    view.sortByColumn(last, Qt.SortOrder.DescendingOrder)  # most recent first
    assert column(proxy)[:3] == ["Ada Lovelace", "Mei Suzuki", "Chidi Okafor"]
    assert column(proxy, last)[3:] == ["never"] * 3

    if "Status" in COLUMNS:  # most urgent first when sorted descending
        status = list(COLUMNS).index("Status")
        view.sortByColumn(status, Qt.SortOrder.DescendingOrder)
        order = column(proxy)
        # never contacted, then overdue (60 of 14 days), then the most used-up cadence
        # (Mei 20 of 42 days before Ada 1 of 3), then the people on no ring.
        assert order[:4] == ["Björk Guðmundsdóttir", "Chidi Okafor", "Mei Suzuki", "Ada Lovelace"]
        assert set(order[-2:]) == {"Rafael Ortega", "Zanele Mbeki"}
        assert proxy.index(order.index("Ada Lovelace"), status).data() == "on track"


def test_selecting_in_the_list_selects_the_node_and_back(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    panel = window.contact_list
    view = panel.view
    row = column(panel.proxy).index("Chidi Okafor")
    rect = view.visualRect(panel.proxy.index(row, 0))
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center()
    )
    chidi = people["Chidi Okafor"]
    assert window.scene.selected_id() == chidi
    assert window.scene.nodes[chidi].isSelected()
    assert window.person.contact_id == chidi

    # Clicking a node on the canvas selects its row in the list.
    ada = people["Ada Lovelace"]
    point = window.view.mapFromScene(window.scene.nodes[ada].pos())
    QTest.mouseClick(
        window.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
    )
    assert panel.selected_id() == ada
    assert [i.row() for i in view.selectionModel().selectedRows()] == [
        column(panel.proxy).index("Ada Lovelace")
    ]
    assert window.person.contact_id == ada

    # An unplaced person selected in the list has no node, and nothing stays selected.
    row = column(panel.proxy).index("Zanele Mbeki")
    view.setCurrentIndex(panel.proxy.index(row, 0))
    assert window.person.contact_id == people["Zanele Mbeki"]
    assert window.scene.selected_id() is None


def test_double_click_in_the_list_opens_the_editor(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    panel = window.contact_list
    row = column(panel.proxy).index("Mei Suzuki")
    rect = panel.view.visualRect(panel.proxy.index(row, 0))
    double_click(panel.view.viewport(), rect.center())
    dialogs = [d for d in window.findChildren(ContactDialog) if d.isVisible()]
    assert len(dialogs) == 1 and dialogs[0].name.text() == "Mei Suzuki"
    dialogs[0].reject()


def test_initials_are_inked_to_be_read_on_their_colour(qtbot):
    """White initials on the unplaced grey (2.5:1) and the middle ring's amber were hard
    to read at the list's size: each colour gets the ink that contrasts more, and every
    avatar colour reads at 4:1 or better."""

    from planner.ui.common.palette import DARK_INK, NEUTRAL_HALO, RING_COLORS, ink_on
    from planner.ui.people.contact_model import avatar
    from tests.helpers.contrast import contrast

    for colour in [*RING_COLORS.values(), NEUTRAL_HALO]:
        chosen, other = ink_on(colour), ({"#ffffff", DARK_INK} - {ink_on(colour)}).pop()
        assert contrast(chosen, colour) >= contrast(other, colour), colour
        assert contrast(chosen, colour) >= 4.0, colour
    image = avatar("AB", NEUTRAL_HALO).toImage()  # as the list draws an unplaced person
    inside = [image.pixelColor(x, y) for x in range(image.width())
              for y in range(image.height())]
    darkest = min(c.lightnessF() for c in inside if c.alpha() == 255)
    assert darkest < 0.3  # dark ink on the grey (white initials: the grey itself, 0.6)


def _mnemonics(dialog) -> list[str]:
    """The Alt+letters of the dialog's labels and buttons ("&&" is a literal ampersand)."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    found = []
    for widget in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton):
        text = widget.text().replace("&&", "")
        if widget.isVisibleTo(dialog) and "&" in text:
            found.append(text[text.index("&") + 1].lower())
    return found


@pytest.mark.parametrize("editing", [False, True], ids=["add", "edit"])
def test_the_person_dialog_tabs_down_its_rows_with_one_alt_key_each(
        qtbot, db_path, people, editing):
    """Tab went Name → Email in Add person: the Ring box, shown second, came after Notes
    (Tab followed the order the fields were made in). "&Organisation" and "N&otes" were
    both Alt+O."""
    from PySide6.QtWidgets import QFormLayout

    window = open_window(qtbot, db_path)
    contact = window.document.contact(people["Ada Lovelace"]) if editing else None
    dialog = ContactDialog(window, contact)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    form = dialog.findChild(QFormLayout)
    rows = [form.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
            for row in range(form.rowCount())]
    assert (dialog.ring in rows) is not editing
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.name)
    visited = [QApplication.focusWidget()]
    for _ in rows[1:]:
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert [w.objectName() or type(w).__name__ for w in visited] == \
        [w.objectName() or type(w).__name__ for w in rows]
    assert visited == rows
    keys = _mnemonics(dialog)
    assert len(keys) == len(set(keys)), sorted(keys)
    dialog.reject()


def test_tab_leaves_the_people_list_and_the_arrows_move_in_it(qtbot, db_path, people):
    """Tab in the people list went from cell to cell (and person to person): 30,000
    presses to get past 10,000 people. The same for every list made of a table."""
    from PySide6.QtWidgets import QAbstractItemView, QTableView

    window = open_window(qtbot, db_path)
    window.activateWindow()
    view = window.contact_list.view
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    QTest.keyClick(view, Qt.Key.Key_Down)
    first = window.contact_list.selected_id()
    QTest.keyClick(view, Qt.Key.Key_Down)  # the arrows still go from person to person
    assert window.contact_list.selected_id() not in (None, first)
    chosen = window.contact_list.selected_id()
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert not view.hasFocus() and QApplication.focusWidget() is not None
    assert window.contact_list.selected_id() == chosen  # Tab chose nobody else
    # every table in the window, its dialogs' included once they are made
    window.window_actions.shortcuts.trigger()
    tables = [v for w in QApplication.topLevelWidgets()
              for v in w.findChildren(QTableView)] + window.findChildren(QAbstractItemView)
    assert view in tables and all(not t.tabKeyNavigation() for t in tables
                                  if isinstance(t, QTableView)), \
        [t.objectName() for t in tables if t.tabKeyNavigation()]


def ink_near_the_top(view) -> int:
    """Pixels drawn (not the list's ground) in the top 60 pixels of ``view``."""
    image = view.viewport().grab().toImage()
    ground = image.pixelColor(2, image.height() - 2)

    def drawn(x: int, y: int) -> bool:
        c = image.pixelColor(x, y)
        return abs(c.red() - ground.red()) + abs(c.green() - ground.green()) \
            + abs(c.blue() - ground.blue()) > 120

    return sum(drawn(x, y) for x in range(0, image.width(), 2) for y in range(0, 60, 2))


def test_a_list_that_shows_nobody_says_why(qtbot, db_path, people):
    """A search that found nobody left a blank box (only "0 of 6 people" under it)."""
    window = open_window(qtbot, db_path)
    panel = window.contact_list
    QTest.keyClicks(panel.search, "zzz")
    assert panel.proxy.rowCount() == 0
    assert panel.view.empty_text == "Nobody matches “zzz”. Esc clears the search."
    assert ink_near_the_top(panel.view) > 20  # drawn, in the list
    QTest.keyClicks(panel.search, "y")  # still nobody: the words follow the search
    assert panel.view.empty_text == "Nobody matches “zzzy”. Esc clears the search."
    QTest.keyClick(panel.search, Qt.Key.Key_Escape)
    assert panel.proxy.rowCount() == 6 and panel.view.empty_text == ""
    assert ink_near_the_top(panel.view) > 20  # the rows

    panel.unplaced_only.setChecked(True)
    QTest.keyClicks(panel.search, "lovelace")
    assert panel.view.empty_text == "Nobody unplaced matches “lovelace”. Esc clears the search."
    panel.search.clear()
    for name in ("Rafael Ortega", "Zanele Mbeki"):  # everyone on a ring
        window.document.editing.move(people[name], Ring.OUTER)
    qtbot.waitUntil(lambda: panel.proxy.rowCount() == 0)
    assert panel.view.empty_text == "Everyone is on a ring. Untick Unplaced only to see them."


def test_the_person_chosen_stays_chosen_in_the_list_once_a_search_is_cleared(
        qtbot, db_path, people):
    """Someone chosen, a search that leaves them out, then the search erased with Esc: the
    list showed everyone again with nobody chosen, while the Person panel still showed
    them. Now their row is chosen again and scrolled to (the same after Unplaced only)."""
    window = open_window(qtbot, db_path)
    panel = window.contact_list
    mei = people["Mei Suzuki"]
    window.select(mei)  # as a click on their node does
    assert panel.selected_id() == mei
    type_text(panel.search, "ada")
    assert column(panel.proxy) == ["Ada Lovelace"]
    panel.search.setFocus()
    QTest.keyClick(panel.search, Qt.Key.Key_Escape)
    assert panel.search.text() == ""
    qtbot.waitUntil(lambda: panel.selected_id() == mei, timeout=2000)
    assert window.person.contact_id == mei  # the panel never let go of them
    rows = panel.view.selectionModel().selectedRows()
    assert [panel.view.contact_id_at(r) for r in rows] == [mei]
    panel.unplaced_only.setChecked(True)  # Mei is placed: left out, then back
    panel.unplaced_only.setChecked(False)
    qtbot.waitUntil(lambda: panel.selected_id() == mei, timeout=2000)
