"""Cadence in the window: halos, the Status column, the person panel and the "This week"
panel — ticking someone, logging, watching them leave the list; weeks; export, copy.

The people are written with touchpoints at chosen times relative to *now* before the
window opens; everything after that goes through the real window, and nothing is
reloaded (the document's ``reset`` signal is watched to prove it).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QStyle, QStyleOptionViewItem

from planner.domain.cadence import Status
from planner.domain.focus import IsoWeek, current_iso_week, local_zone, week_bounds
from planner.domain.rings import Ring
from planner.export.focus_csv import COLUMNS as CSV_COLUMNS
from planner.ui.common.palette import NEUTRAL_HALO, STATUS_COLORS
from planner.ui.focus.focus_model import CONTACT_ID_ROLE, ITEM_ROLE
from planner.ui.focus.focus_panel import FILTERS
from planner.ui.people.contact_model import COLUMNS
from planner.ui.rings.node_item import HALO
from tests.helpers.stores import bound

STATUS_COL = COLUMNS.index("Status")
CADENCE = 14  # the middle ring's default


# -- data --------------------------------------------------------------------------------
def _due_soon_touch(now: datetime) -> datetime:
    """A last touch that makes a 14-day person *due soon* and due before this week ends
    (two days from now, or half-way to the end of the week late on a Sunday)."""
    _, end = week_bounds(current_iso_week(now, local_zone()), local_zone())
    ahead = min(timedelta(days=2), (end - now) / 2)
    return now + ahead - timedelta(days=CADENCE)


def _next_week_touch(now: datetime) -> datetime:
    """A last touch that makes a 14-day person due on next week's Wednesday at noon."""
    zone = local_zone()
    this = current_iso_week(now, zone)
    start, _ = week_bounds(this, zone)
    wednesday = (start + timedelta(days=9)).replace(hour=12)
    return wednesday.astimezone(UTC) - timedelta(days=CADENCE)


@pytest.fixture
def people(db_path) -> dict[str, int]:
    """Middle-ring people in every status, one due next week, and one unplaced."""
    from planner.services import contacts, touchpoints
    from planner.storage.database import open_database
    from planner.storage.models import db_proxy

    now = datetime.now(UTC)
    opened = open_database(str(db_path))
    try:
        with db_proxy.atomic():
            ids = {
                "Olive Overdue": contacts.add_contact(bound(),
                    "Olive Overdue", ring=Ring.MIDDLE, email="olive@example.org", channels=["email"]
                ).id,
                "Dan Duesoon": contacts.add_contact(bound(), "Dan Duesoon", ring=Ring.MIDDLE).id,
                "Tara Ontrack": contacts.add_contact(bound(), "Tara Ontrack", ring=Ring.MIDDLE).id,
                "Nina Never": contacts.add_contact(bound(), "Nina Never", ring=Ring.MIDDLE).id,
                "Wes Nextweek": contacts.add_contact(bound(), "Wes Nextweek", ring=Ring.MIDDLE).id,
                "Uma Unplaced": contacts.add_contact(bound(), "Uma Unplaced").id,
            }
            touchpoints.log_touchpoint(bound(), ids["Olive Overdue"], "coffee",
                                       at=now - timedelta(days=20))
            touchpoints.add_note(bound(),
                ids["Olive Overdue"],
                "Wants an intro to the data team\nmore",
                at=now - timedelta(days=19),
            )
            touchpoints.log_touchpoint(bound(), ids["Dan Duesoon"], "call", at=_due_soon_touch(now))
            # touched just now: due in 14 days, after next week ends even on a Monday
            touchpoints.log_touchpoint(bound(), ids["Tara Ontrack"], "video", at=now)
            touchpoints.add_note(bound(),
                ids["Nina Never"], "A note is not a touch", at=now - timedelta(hours=1)
            )
            touchpoints.log_touchpoint(bound(), ids["Wes Nextweek"], "im", at=_next_week_touch(now))
            touchpoints.log_touchpoint(bound(), ids["Uma Unplaced"], "meal",
                                       at=now - timedelta(days=90))
    finally:
        opened.close()
    return ids


# -- the window --------------------------------------------------------------------------
def _private_settings() -> None:
    """QSettings in this test's own config folder (Qt reads XDG_CONFIG_HOME only once)."""
    folder = os.environ["XDG_CONFIG_HOME"]
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)
    settings = QSettings()
    settings.clear()
    settings.sync()


def _shown_window(qtbot, db_path):
    """The real window on ``db_path`` (not watching), shown at 1280×820, own settings."""
    from planner.app import build_main_window

    _private_settings()
    win = build_main_window(str(db_path), watch=False)
    qtbot.addWidget(win)
    win.resize(1280, 820)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def window(qtbot, db_path, people):
    win = _shown_window(qtbot, db_path)
    win.view.fit()
    win.resets = []
    win.document.reset.connect(lambda: win.resets.append(True))
    return win


def panel_ids(window) -> list[int]:
    model = window.focus.model
    return [model.index(row).data(CONTACT_ID_ROLE) for row in range(model.rowCount())]


def panel_row(window, contact_id: int) -> int:
    return panel_ids(window).index(contact_id)


def status_cell(window, contact_id: int):
    model = window.contact_list.model
    return model.index(model.row_of(contact_id), STATUS_COL)


def halo(window, contact_id: int) -> QColor:
    return window.scene.nodes[contact_id].halo_color


def color(status: str) -> QColor:
    return QColor(STATUS_COLORS[status])


def halo_painted(window, contact_id: int, status: str, tolerance: int = 40) -> bool:
    """Does a screenshot of the canvas show ``status``'s colour on the node's halo?

    The halo is a ring just outside the node; a pixel within 2 px of its middle, to
    the right of the node, must have the colour (antialiasing blurs the edges).
    """
    node = window.scene.nodes[contact_id]
    edge = node.scenePos()
    edge.setX(edge.x() + node.radius + HALO / 2)
    point = window.view.mapFromScene(edge)
    image = window.view.grab().toImage()
    want = color(status)
    for dx in range(-2, 3):
        for dy in range(-2, 3):
            got = image.pixelColor(point.x() + dx, point.y() + dy)
            if all(
                abs(a - b) <= tolerance
                for a, b in zip(
                    (got.red(), got.green(), got.blue()),
                    (want.red(), want.green(), want.blue()),
                    strict=True,
                )
            ):
                return True
    return False


def open_log_by_tick(qtbot, window, contact_id: int):
    """Tick the person's row the way the view does, and return the log dialog it opened."""
    model = window.focus.model
    index = model.index(panel_row(window, contact_id))
    assert model.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    qtbot.waitUntil(
        lambda: window.history.dialog is not None and window.history.dialog.isVisible(),
        timeout=2000,
    )
    return window.history.dialog


def check_box_center(view, index):
    """Where the check box of a list row is drawn, in viewport coordinates."""
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    option.index = index
    rect = view.style().subElementRect(
        QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, view
    )
    return rect.center()


def click_save(dialog) -> None:
    QTest.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )


def stored_touchpoints(path: Path, contact_id: int) -> list[tuple]:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(
            "SELECT kind, at FROM touchpoint WHERE contact_id = ? ORDER BY id", (contact_id,)
        ).fetchall()
    finally:
        conn.close()


# -- halos, the Status column, the person panel -----------------------------------------------
def test_halos_show_each_persons_status(window, people):
    expected = {
        "Olive Overdue": "overdue",
        "Dan Duesoon": "due-soon",
        "Tara Ontrack": "on-track",
        "Nina Never": "never",
    }
    for name, status in expected.items():
        node = window.scene.nodes[people[name]]
        assert node.halo_color == color(status), name
        assert node.status_text == Status(status).label
        assert Status(status).label in node.toolTip().splitlines()
    assert people["Uma Unplaced"] not in window.scene.nodes  # no node, so no halo

    # and it is what is painted: sample the halo ring of each node in a screenshot
    for name, status in expected.items():
        assert halo_painted(window, people[name], status), name
        assert not halo_painted(
            window, people[name], "overdue" if status != "overdue" else "on-track"
        ), name


def test_status_column_shows_status_words_and_dots(window, people):
    words = {
        "Olive Overdue": "overdue",
        "Dan Duesoon": "due soon",
        "Tara Ontrack": "on track",
        "Nina Never": "never contacted",
        "Uma Unplaced": "",
    }
    for name, text in words.items():
        cell = status_cell(window, people[name])
        assert cell.data() == text, name
        dot = cell.data(Qt.ItemDataRole.DecorationRole)
        if text:
            status = Status(next(s for s in Status if s.label == text))
            assert dot.toImage().pixelColor(6, 6) == color(status.value)
        else:
            assert dot is None


def test_status_column_sorts_by_urgency(qtbot, window, people):
    view = window.contact_list.view
    header = view.horizontalHeader()
    proxy = window.contact_list.proxy
    x = header.sectionViewportPosition(STATUS_COL) + header.sectionSize(STATUS_COL) // 2
    most_urgent_first = [
        "Nina Never",
        "Olive Overdue",
        "Dan Duesoon",
        "Wes Nextweek",
        "Tara Ontrack",
        "Uma Unplaced",
    ]

    def shown() -> list[str]:
        return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]

    QTest.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )
    assert header.sortIndicatorSection() == STATUS_COL
    if header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder:
        assert shown() == most_urgent_first[::-1]
        QTest.mouseClick(
            header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
        )
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert shown() == most_urgent_first
    view.sortByColumn(STATUS_COL, Qt.SortOrder.AscendingOrder)
    assert shown() == most_urgent_first[::-1]


def test_person_panel_shows_the_status(window, people):
    window.select(people["Olive Overdue"])
    assert "overdue" in window.person.subtitle.text()
    assert STATUS_COLORS["overdue"] in window.person.subtitle.text()
    window.select(people["Nina Never"])
    assert "never contacted" in window.person.subtitle.text()
    window.select(people["Uma Unplaced"])
    subtitle = window.person.subtitle.text()
    assert "Not on a ring" in subtitle
    assert not any(s.label in subtitle for s in Status)


# -- the This week panel ------------------------------------------------------------------------
def test_this_week_lists_the_people_due_most_urgent_first(qtmodeltester, window, people):
    from planner.services.focus import focus_list

    model = window.focus.model
    qtmodeltester.check(model)
    assert panel_ids(window) == [
        people["Nina Never"],
        people["Olive Overdue"],
        people["Dan Duesoon"],
    ]
    assert panel_ids(window) == [i.contact_id for i in focus_list(tz=local_zone()).items]
    label = window.focus.week_label.text()
    week = current_iso_week(tz=local_zone())
    assert f"Week {week.week}, {week.year}" in label and "3 to reach" in label
    for name, status in (
        ("Nina Never", "never"),
        ("Olive Overdue", "overdue"),
        ("Dan Duesoon", "due-soon"),
    ):
        index = model.index(panel_row(window, people[name]))
        assert index.data().startswith(name)
        assert index.data(ITEM_ROLE).status is Status(status)
        assert index.data(Qt.ItemDataRole.DecorationRole).toImage().pixelColor(6, 6) == color(
            status
        )
        assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
        assert index.flags() & Qt.ItemFlag.ItemIsUserCheckable
    olive = model.index(panel_row(window, people["Olive Overdue"]))
    assert "overdue by 6 days" in olive.data()
    assert "Reach them: olive@example.org" in olive.data(Qt.ItemDataRole.ToolTipRole)
    assert "Latest note: Wants an intro to the data team" in olive.data(Qt.ItemDataRole.ToolTipRole)


def test_tick_log_and_the_person_leaves_the_list(qtbot, window, people, db_path):
    olive = people["Olive Overdue"]
    before = stored_touchpoints(db_path, olive)
    dialog = open_log_by_tick(qtbot, window, olive)
    assert dialog.subject.text() == "With Olive Overdue"
    assert dialog.chosen_kind() == "email"  # her preferred channel
    assert window.person.contact_id == olive  # the panel follows
    assert "overdue" in window.person.subtitle.text()
    # nothing changes until the dialog is saved
    assert olive in panel_ids(window)

    changed_cells = []
    window.contact_list.model.dataChanged.connect(
        lambda first, last, *_: changed_cells.append((first, last))
    )
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        click_save(dialog)

    # on disk
    after = stored_touchpoints(db_path, olive)
    assert len(after) == len(before) + 1 and after[-1][0] == "email"
    # the list, the halo, the Status cell and the person panel all follow at once
    assert olive not in panel_ids(window)
    assert panel_ids(window) == [people["Nina Never"], people["Dan Duesoon"]]
    assert "2 to reach" in window.focus.week_label.text()
    assert halo(window, olive) == color("on-track")
    assert window.scene.nodes[olive].status_text == "on track"
    assert status_cell(window, olive).data() == "on track"
    cell = status_cell(window, olive)
    assert any(
        first.row() <= cell.row() <= last.row() and first.column() <= STATUS_COL <= last.column()
        for first, last in changed_cells
    )  # the view was told to repaint it
    assert "on track" in window.person.subtitle.text()
    assert "overdue" not in window.person.subtitle.text()
    assert window.resets == []  # no reload: signals did it
    assert halo_painted(window, olive, "on-track")  # repainted, not just recoloured
    # the others are untouched
    assert halo(window, people["Nina Never"]) == color("never")
    assert halo(window, people["Dan Duesoon"]) == color("due-soon")

    # undo puts her back everywhere
    window.document.undo_stack.undo()
    assert olive in panel_ids(window)
    assert halo(window, olive) == color("overdue")
    assert status_cell(window, olive).data() == "overdue"


def test_clicking_the_check_box_opens_the_log_dialog(qtbot, window, people, db_path):
    window.window_actions.show_focus.trigger()
    view = window.focus.view
    qtbot.waitUntil(view.isVisible, timeout=2000)
    nina = people["Nina Never"]
    index = window.focus.model.index(panel_row(window, nina))
    view.scrollTo(index)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=check_box_center(view, index))
    qtbot.waitUntil(
        lambda: window.history.dialog is not None and window.history.dialog.isVisible(),
        timeout=2000,
    )
    dialog = window.history.dialog
    assert dialog.subject.text() == "With Nina Never"
    assert dialog.chosen_kind() == "coffee"  # no preferred channel
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        click_save(dialog)
    assert nina not in panel_ids(window)
    assert halo(window, nina) == color("on-track")
    assert [kind for kind, _ in stored_touchpoints(db_path, nina)] == ["coffee"]
    assert window.resets == []


def test_space_on_the_current_row_ticks_it(qtbot, window, people):
    window.window_actions.show_focus.trigger()
    view = window.focus.view
    qtbot.waitUntil(view.isVisible, timeout=2000)
    dan = people["Dan Duesoon"]
    view.setFocus()
    view.setCurrentIndex(window.focus.model.index(panel_row(window, dan)))
    QTest.keyClick(view, Qt.Key.Key_Space)
    qtbot.waitUntil(
        lambda: window.history.dialog is not None and window.history.dialog.isVisible(),
        timeout=2000,
    )
    assert window.history.dialog.subject.text() == "With Dan Duesoon"
    window.history.dialog.reject()


def test_the_arrow_keys_show_the_person_of_the_row_they_reach(qtbot, window, people):
    """Moving through This week with the arrow keys left the Person panel on whoever was
    last clicked: it follows the current row, as a click does."""
    from planner.ui.focus.focus_model import CONTACT_ID_ROLE

    window.window_actions.show_focus.trigger()
    view = window.focus.view
    qtbot.waitUntil(view.isVisible, timeout=2000)
    model = window.focus.model
    assert model.rowCount() >= 2
    view.setFocus()
    view.setCurrentIndex(model.index(0))
    first = model.index(0).data(CONTACT_ID_ROLE)
    assert window.person.contact_id == first
    QTest.keyClick(view, Qt.Key.Key_Down)
    second = view.currentIndex().data(CONTACT_ID_ROLE)
    assert second != first and window.person.contact_id == second
    QTest.keyClick(view, Qt.Key.Key_Up)
    assert window.person.contact_id == first


def test_cancelling_the_dialog_keeps_the_person_on_the_list(qtbot, window, people, db_path):
    olive = people["Olive Overdue"]
    dialog = open_log_by_tick(qtbot, window, olive)
    with qtbot.waitSignal(dialog.rejected, timeout=2000):
        QTest.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
        )
    assert olive in panel_ids(window)
    index = window.focus.model.index(panel_row(window, olive))
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert halo(window, olive) == color("overdue")
    assert len(stored_touchpoints(db_path, olive)) == 1


def test_unticking_does_nothing(qtbot, window, people):
    model = window.focus.model
    index = model.index(0)
    with qtbot.assertNotEmitted(model.ticked):
        assert model.setData(index, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert window.history.dialog is None
    assert not model.setData(index, "x", Qt.ItemDataRole.EditRole)


def test_a_note_from_the_tick_dialog_does_not_take_them_off_the_list(qtbot, window, people):
    olive = people["Olive Overdue"]
    dialog = open_log_by_tick(qtbot, window, olive)
    dialog.kind.setCurrentIndex(dialog.kind.findData("note"))
    dialog.note.setPlainText("Thought about her")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        click_save(dialog)
    assert olive in panel_ids(window)
    assert halo(window, olive) == color("overdue")
    olive_index = window.focus.model.index(panel_row(window, olive))
    assert "Latest note: Thought about her" in olive_index.data(Qt.ItemDataRole.ToolTipRole)


def test_previous_and_next_week(qtbot, window, people):
    panel = window.focus
    zone = local_zone()
    this = current_iso_week(tz=zone)
    this_ids = panel_ids(window)
    assert people["Wes Nextweek"] not in this_ids

    QTest.mouseClick(panel.next, Qt.MouseButton.LeftButton)
    monday = this.monday + timedelta(weeks=1)
    nxt = IsoWeek(*monday.isocalendar()[:2])
    assert panel.week == nxt
    assert f"Week {nxt.week}, {nxt.year}" in panel.week_label.text()
    next_ids = panel_ids(window)
    assert people["Wes Nextweek"] in next_ids  # due next Wednesday
    assert set(this_ids) <= set(next_ids)
    assert people["Tara Ontrack"] not in next_ids
    assert f"{len(next_ids)} to reach" in panel.week_label.text()

    for _ in range(2):
        QTest.mouseClick(panel.previous, Qt.MouseButton.LeftButton)
    monday = this.monday - timedelta(weeks=1)
    prev = IsoWeek(*monday.isocalendar()[:2])
    assert panel.week == prev
    assert f"Week {prev.week}, {prev.year}" in panel.week_label.text()
    prev_ids = panel_ids(window)
    assert people["Nina Never"] in prev_ids  # never contacted: due every week
    assert set(prev_ids) <= set(this_ids)
    assert people["Wes Nextweek"] not in prev_ids

    QTest.mouseClick(panel.this_week, Qt.MouseButton.LeftButton)
    assert panel.week == this
    assert panel_ids(window) == this_ids


def test_stepping_across_a_year_with_53_weeks(window):
    panel = window.focus
    panel.set_week(IsoWeek(2026, 52))
    panel.step_week(+1)
    assert panel.week == IsoWeek(2026, 53)
    assert "Week 53, 2026" in panel.week_label.text()
    panel.step_week(+1)
    assert panel.week == IsoWeek(2027, 1)
    panel.step_week(-2)
    assert panel.week == IsoWeek(2026, 52)


# -- out of the app -----------------------------------------------------------------------------
def names_in_order(window, people) -> list[str]:
    by_id = {cid: name for name, cid in people.items()}
    return [by_id[cid] for cid in panel_ids(window)]


def test_export_every_format(qtbot, window, people, tmp_path):
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    panel = window.focus
    names = names_in_order(window, people)
    label = panel.week.label
    messages = []
    panel.message.connect(messages.append)

    md = panel.export_to(tmp_path / "focus.md", "md").read_text(encoding="utf-8")
    assert md.startswith(f"# Focus for week {panel.week.week}, {panel.week.year}")
    checklist = [line.split("**")[1] for line in md.splitlines() if line.startswith("- [ ]")]
    assert checklist == names  # one ring here, so the ring group keeps the ranking
    assert "Uma" not in md and "Tara" not in md

    raw = tmp_path / "focus.csv"
    panel.export_to(raw, "csv")
    rows = list(csv.reader(io.StringIO(raw.read_text(encoding="utf-8"), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r[1] for r in rows[1:]] == names
    assert {r[-1] for r in rows[1:]} == {label}

    html = panel.export_to(tmp_path / "focus.html", "html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>") and "</html>" in html
    assert all(name in html for name in names)

    cal = Calendar.from_ical(panel.export_to(tmp_path / "focus.ics", "ics").read_bytes())
    todos = cal.walk("VTODO")
    assert [str(t["SUMMARY"]) for t in todos] == [f"Reach out to {n}" for n in names]
    for todo, item in zip(todos, panel.model.items, strict=True):
        due = todo.decoded("DUE")
        if item.status is Status.NEVER:  # due the moment the list is made: at the export
            assert abs(due - datetime.now(UTC)) < timedelta(minutes=1)
        else:  # last touch + cadence, to the second
            assert abs(due - item.next_due) < timedelta(seconds=1)

    doc = json.loads(panel.export_to(tmp_path / "focus.json", "json").read_text("utf-8"))
    assert doc["week"] == label
    assert [i["name"] for i in doc["items"]] == names
    assert [i["status"] for i in doc["items"]] == ["never", "overdue", "due-soon"]

    pdf = panel.export_to(tmp_path / "focus.pdf", "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.read_bytes().rstrip().endswith(b"%%EOF")  # complete
    # across the page: in portrait its seven columns wrapped notes a word a line
    import re

    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)", pdf.read_bytes())
    assert box and float(box.group(1)) > float(box.group(2))
    assert pdf.stat().st_size > 1000
    # every export is owner-only, the PDF too (it was written with the umask: 644)
    assert {oct(p.stat().st_mode & 0o777) for p in tmp_path.iterdir()} == {oct(0o600)}

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"focus.{ext}" for ext in ("md", "csv", "html", "ics", "json", "pdf")
    )
    said = f"the focus list of week {panel.week.week}, {panel.week.year}"
    assert len(messages) == 6 and all(said in m and label not in m for m in messages)


def test_export_follows_the_week_shown(window, people, tmp_path):
    panel = window.focus
    QTest.mouseClick(panel.next, Qt.MouseButton.LeftButton)
    doc = json.loads(panel.export_to(tmp_path / "next.json", "json").read_text("utf-8"))
    assert doc["week"] == panel.week.label
    assert people["Wes Nextweek"] in [i["contact_id"] for i in doc["items"]]


def test_export_into_a_missing_folder_is_a_clear_error(window, tmp_path):
    from planner.domain.errors import InvalidInput

    with pytest.raises(InvalidInput, match="cannot write"):
        window.focus.export_to(tmp_path / "missing" / "focus.md", "md")


def test_the_export_dialog_writes_the_chosen_format(qtbot, window, people, tmp_path):
    panel = window.focus
    dialog = panel.ask_export()
    assert dialog.isVisible()
    dialog.selectNameFilter(FILTERS["csv"])
    dialog.selectFile(str(tmp_path / "mine.txt"))
    dialog.accept()  # what the Save button does
    assert not dialog.isVisible()
    written = tmp_path / "mine.csv"  # the extension follows the chosen format
    assert written.exists()
    assert written.read_text(encoding="utf-8").startswith(",".join(CSV_COLUMNS))
    week = panel.week
    assert window.statusBar().currentMessage() == (
        f"Exported the focus list of week {week.week}, {week.year} to {written}")


def test_a_typed_extension_decides_the_format(qtbot, window, people, tmp_path):
    """A review: a name typed as week.csv with the type left at Markdown was written as
    Markdown to week.md. The typed extension decides; digits are part of a name."""
    panel = window.focus
    (tmp_path / "out").mkdir()
    for typed, chosen, written, starts in (
            ("week.csv", "md", "week.csv", ",".join(CSV_COLUMNS)),
            ("week.HTML", "md", "week.HTML", "<!DOCTYPE html>"),
            ("notes.2026.12", "md", "notes.2026.12.md", "# Focus for week ")):
        dialog = panel.ask_export()
        dialog.selectNameFilter(FILTERS[chosen])
        dialog.selectFile(str(tmp_path / "out" / typed))
        dialog.accept()
        assert (tmp_path / "out" / written).read_text(encoding="utf-8").startswith(starts), typed
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "notes.2026.12.md", "week.HTML", "week.csv"]


def test_copy_as_markdown_puts_the_checklist_on_the_clipboard(qtbot, window, people):
    panel = window.focus
    QGuiApplication.clipboard().clear()
    QTest.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    text = QGuiApplication.clipboard().text()
    assert text == panel.render_text("md")
    assert text.startswith("# Focus for week ")
    assert "- [ ] **Olive Overdue** — overdue by 6 days" in text
    assert "Copied" in window.statusBar().currentMessage()


def test_print_saves_as_pdf_through_the_print_dialog(qtbot, window, tmp_path):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QLineEdit

    panel = window.focus
    QTest.mouseClick(panel.print_button, Qt.MouseButton.LeftButton)
    dialog = panel.findChild(QPrintDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    assert "Print the focus list" in dialog.windowTitle()
    assert dialog.windowModality() == Qt.WindowModality.WindowModal  # open(), not exec()
    # offscreen there is no printer: Qt's own dialog offers "Print to File (PDF)"
    name = dialog.findChild(QLineEdit, "filename")
    if name is None or dialog.printer().outputFormat() != QPrinter.OutputFormat.PdfFormat:
        dialog.reject()
        pytest.skip("this platform's print dialog has no PDF file field")
    target = tmp_path / "printed.pdf"
    name.setText(str(target))
    dialog.accept()
    assert target.read_bytes().startswith(b"%PDF")


def test_cancelling_print_prints_nothing(qtbot, window, tmp_path):
    dialog = window.focus.ask_print()
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    dialog.printer().setOutputFileName(str(tmp_path / "never.pdf"))
    dialog.reject()
    assert not (tmp_path / "never.pdf").exists()


def test_statuses_use_the_cadence_setting(qtbot, db_path, people):
    """Ring cadences from the settings reach the halos (read when the window opens)."""
    from planner.app import build_main_window
    from planner.services.settings import set_cadences
    from planner.storage.database import open_database

    opened = open_database(str(db_path))
    try:
        set_cadences(bound(), {Ring.MIDDLE: 60})
    finally:
        opened.close()
    _private_settings()
    win = build_main_window(str(db_path), watch=False)
    qtbot.addWidget(win)
    assert win.scene.nodes[people["Olive Overdue"]].halo_color == color("on-track")
    assert win.scene.nodes[people["Nina Never"]].halo_color == color("never")
    assert [
        win.focus.model.index(r).data(CONTACT_ID_ROLE) for r in range(win.focus.model.rowCount())
    ] == [people["Nina Never"]]
    assert QColor(NEUTRAL_HALO) not in [n.halo_color for n in win.scene.nodes.values()]


# -- an empty week ---------------------------------------------------------------------------
def _show_this_week_page(qtbot, window) -> None:
    window.show_page(window.focus)
    window.focus.start()
    qtbot.waitUntil(window.focus.isVisible, timeout=2000)


def test_an_empty_week_says_why_and_there_is_nothing_to_review(qtbot, db_path):
    """Nobody on the rings, then everyone on track: the list's place says which, and
    "Start review" is off; someone falling due brings the list (and the review) back."""
    from planner.services import contacts, touchpoints
    from planner.storage.database import open_database

    opened = open_database(str(db_path))
    ada = contacts.add_contact(bound(), "Ada Lovelace").id
    touchpoints.log_touchpoint(bound(), ada, "coffee", at=datetime.now(UTC) - timedelta(days=40))
    opened.close()
    window = _shown_window(qtbot, db_path)
    _show_this_week_page(qtbot, window)
    panel = window.focus

    assert panel.model.rowCount() == 0
    assert panel.empty_label.isVisible()
    assert "Nobody is on your rings yet" in panel.empty_label.text()
    assert not panel.review_button.isEnabled()
    assert panel.empty_label.geometry() == panel.view.rect()  # in the list's place
    writers = (panel.export_button, panel.copy_button, panel.print_button)
    assert not any(b.isEnabled() for b in writers)  # nothing to write out

    # on the middle ring (every 14 days), 40 days after her last touch: overdue
    assert window.document.editing.move(ada, Ring.MIDDLE)
    assert panel_ids(window) == [ada]
    assert not panel.empty_label.isVisible() and panel.review_button.isEnabled()
    assert all(b.isEnabled() for b in writers)

    assert window.document.editing.log_touchpoint(ada, "call")  # on track now
    assert panel.model.rowCount() == 0
    assert panel.empty_label.isVisible() and not panel.review_button.isEnabled()
    assert "Nobody needs you this week" in panel.empty_label.text()

    QTest.mouseClick(panel.previous, Qt.MouseButton.LeftButton)  # reached since
    assert panel.model.rowCount() == 0
    assert "Nobody is left to reach from that week" in panel.empty_label.text()
    for _ in range(2):
        QTest.mouseClick(panel.next, Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == 0
    assert "Nobody is due that week yet" in panel.empty_label.text()

    window.document.undo_stack.undo()  # the call undone: due again this week
    QTest.mouseClick(panel.this_week, Qt.MouseButton.LeftButton)
    assert panel_ids(window) == [ada] and panel.review_button.isEnabled()


def test_a_window_left_open_over_sunday_night_shows_the_new_week(qtbot, window, people):
    """This week follows the calendar: the document's clock ticks after midnight on Monday
    and the page shows the new week (Wes, due next Wednesday, comes in) with no restart
    and no click; a week stepped to on purpose stays where it was put."""
    _show_this_week_page(qtbot, window)
    panel = window.focus
    zone = local_zone()
    this = current_iso_week(tz=zone)
    assert panel.week == this and people["Wes Nextweek"] not in panel_ids(window)

    next_monday = datetime.combine(this.monday + timedelta(weeks=1), datetime.min.time(),
                                   tzinfo=zone)
    panel.clock = lambda: next_monday + timedelta(minutes=1)  # 00:01 on Monday
    window.document.clock.timeout.emit()  # the document's five-minute tick
    nxt = IsoWeek(*next_monday.date().isocalendar()[:2])
    assert panel.week == nxt
    assert f"Week {nxt.week}, {nxt.year}" in panel.week_label.text()
    assert people["Wes Nextweek"] in panel_ids(window)

    QTest.mouseClick(panel.previous, Qt.MouseButton.LeftButton)  # back to look at last week
    assert panel.week == this
    panel.clock = lambda: next_monday + timedelta(days=1)
    window.document.clock.timeout.emit()
    assert panel.week == this  # not pulled away from the week the user chose
    QTest.mouseClick(panel.this_week, Qt.MouseButton.LeftButton)
    assert panel.week == nxt


def test_an_outer_ring_note_is_not_sent_over_coffee_or_on_a_video_call(qtbot, db_path):
    """Someone on the outer ring who likes to meet (video, coffee) is still to be sent a
    short note — This week read "Send a short note on a video call"."""
    from planner.services import contacts, touchpoints
    from planner.storage.database import open_database

    opened = open_database(str(db_path))
    long_ago = datetime.now(UTC) - timedelta(days=43)
    for name, channel in (("Vic Video", "video"), ("Cora Coffee", "coffee"),
                          ("Mia Mail", "email")):
        cid = contacts.add_contact(bound(), name, ring=Ring.OUTER, email="x@example.org",
                                   channels=[channel]).id
        touchpoints.log_touchpoint(bound(), cid, "im", at=long_ago)
    opened.close()
    window = _shown_window(qtbot, db_path)
    _show_this_week_page(qtbot, window)
    model = window.focus.view.model()
    actions = {model.index(row).data().split(" (")[0]: model.index(row).data().split("\n")[1]
               for row in range(model.rowCount())}
    assert actions == {"Vic Video": "Send a short note", "Cora Coffee": "Send a short note",
                       "Mia Mail": "Send a short note by email"}
