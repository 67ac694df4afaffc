"""First run (issue 20): an empty database shows what the rings are for and three ways
to start; "Try the demo" never touches the user's own database."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from planner.app import build_main_window
from planner.domain.rings import Ring
from planner.ui.people.contact_dialog import ContactDialog
from tests.gui.helpers import open_window, populate, read_rows, use_private_settings

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def app_windows(qtbot):
    """The windows a switch makes are kept by the application: closed after the test."""
    yield
    app = QApplication.instance()
    window = getattr(app, "_planner_window", None)
    if window is not None and isValid(window):
        window.close()
        window.deleteLater()
    lock = getattr(app, "_planner_lock", None)
    if lock is not None:
        lock.unlock()
    app._planner_lock = app._planner_window = None
    qtbot.wait(10)


def test_the_title_is_the_file_name_then_the_app_name(qtbot, db_path):
    populate(db_path, inner=1)
    window = open_window(qtbot, db_path)
    assert window.windowTitle() == "planner.db — Mentorship Planner"


def test_an_empty_database_shows_the_empty_state_over_the_canvas(qtbot, db_path):
    populate(db_path)
    window = open_window(qtbot, db_path)
    empty = window.empty_state
    assert empty.isVisible()
    assert empty.geometry() == window.view.rect()  # it covers the canvas, nothing else
    label = empty.sentence
    assert label.height() >= label.heightForWidth(label.width())  # every line shows
    assert label.width() >= 280
    sentence = label.text()
    assert all(number in sentence for number in ("3 ", "12 ", "72 "))
    assert [b.text() for b in (empty.add_button, empty.import_button, empty.demo_button)] == [
        "Add your first person", "Import contacts…", "Try the demo"]
    # the Person panel says so too (it said "Click someone on the rings" with nobody there)
    assert "Nobody is here yet" in window.person.placeholder.text()
    assert "Click someone" not in window.person.placeholder.text()

    QTest.mouseClick(empty.add_button, LEFT)
    dialog = next(d for d in window.findChildren(ContactDialog) if d.isVisible())
    QTest.keyClicks(dialog.name, "Ada Lovelace")
    dialog.ring.setCurrentIndex(dialog.ring.findData(Ring.INNER))
    QTest.keyClick(dialog.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not empty.isVisible())
    assert len(window.scene.nodes) == 1
    window.document.undo()  # nobody again: the empty state is back
    qtbot.waitUntil(empty.isVisible)
    qtbot.waitUntil(lambda: "Nobody is here yet" in window.person.placeholder.text())


def test_import_contacts_opens_the_import(qtbot, db_path):
    populate(db_path)
    window = open_window(qtbot, db_path)
    QTest.mouseClick(window.empty_state.import_button, LEFT)
    qtbot.waitUntil(lambda: any(w.isVisible() and w.windowTitle().startswith("Import")
                                for w in QApplication.topLevelWidgets()))


def test_a_database_with_people_shows_the_rings(qtbot, db_path):
    populate(db_path, unplaced=1)  # nobody on a ring yet, but someone to drag there
    window = open_window(qtbot, db_path)
    assert not window.empty_state.isVisible()


def test_try_the_demo_opens_a_temporary_database_and_leads_back(qtbot, db_path, app_windows):
    populate(db_path)
    before = read_rows(db_path, "contact")
    use_private_settings()
    window = build_main_window(str(db_path), watch=False)  # replaced, not closed by qtbot
    window.show()
    qtbot.waitExposed(window)
    sides = (window.people_dock.width(), window.person_dock.width())
    QTest.mouseClick(window.empty_state.demo_button, LEFT)
    app = QApplication.instance()
    qtbot.waitUntil(lambda: getattr(app, "_planner_window", None) is not None)
    demo = app._planner_window
    qtbot.waitExposed(demo)
    demo_path = demo.document.database.path
    assert demo_path != db_path and demo_path.parent.name.startswith("planner-demo-")
    assert len(demo.document.contacts()) >= 100 and not demo.empty_state.isVisible()
    assert demo.windowTitle() == "planner.db (demo) — Mentorship Planner"
    banner = demo.demo_banner
    qtbot.waitUntil(banner.isVisible)
    assert banner.text().startswith("Demo data — ")
    # the side panels keep their widths (the banner's new central widget widened them
    # by ~100 pixels each and squeezed the rings)
    qtbot.wait(50)
    assert (demo.people_dock.width(), demo.person_dock.width()) == sides
    assert read_rows(db_path, "contact") == before  # theirs untouched

    # "Open your own database": the link, clicked where it is drawn
    skip = banner.fontMetrics().horizontalAdvance("Demo data — ")
    rect = banner.contentsRect()
    QTest.mouseClick(banner, LEFT, Qt.KeyboardModifier.NoModifier,
                     QPoint(rect.left() + skip + 30, rect.center().y()))
    qtbot.waitUntil(lambda: app._planner_window is not demo)
    mine = app._planner_window
    assert mine.document.database.path == db_path
    assert mine.windowTitle() == "planner.db — Mentorship Planner"
    assert mine.empty_state.isVisible()


def test_a_banner_keeps_the_side_panels_widths(qtbot):
    """A banner (demo data, read-only) puts a new central widget in the window: the
    window shared its width out again and each side panel took ~100 pixels more."""
    from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget

    from planner.ui.common.banner import add_banner
    from planner.ui.common.window_layout import SidePanel, side_dock

    window = QMainWindow()
    qtbot.addWidget(window)
    window.setCentralWidget(QTabWidget(window))
    left = side_dock(window, "People", "peopleDock", SidePanel(window),
                     Qt.DockWidgetArea.LeftDockWidgetArea)
    right = side_dock(window, "Person", "personDock", SidePanel(window),
                      Qt.DockWidgetArea.RightDockWidgetArea)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    window.resizeDocks([left, right], [330, 330], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: (left.width(), right.width()) == (330, 330))
    banner = add_banner(window)
    banner.say("Demo data")
    qtbot.wait(100)
    assert isinstance(banner, QLabel)
    assert (left.width(), right.width()) == (330, 330)


def test_the_first_run_and_getting_started_say_the_inner_ring_is_whom_you_mentor(
        qtbot, db_path):
    """"Keep your 3 closest mentors on the inner ring" had the pyramid backwards: the
    inner ring holds the 3 people you mentor near-daily, the middle the 12 you cultivate
    often, the outer your circle of 72 (the README, the product)."""
    populate(db_path)
    window = open_window(qtbot, db_path)
    sheet = window.show_getting_started()
    qtbot.waitUntil(sheet.isVisible)
    for text in (window.empty_state.sentence.text(), sheet.text.text()):
        plain = " ".join(text.replace("<b>", "").replace("</b>", "").split())
        assert "3 people you mentor near-daily on the inner ring" in plain, plain
        assert "12 you cultivate often on the middle ring" in plain, plain
        assert not re.search(r"\bmentors\b", plain) and "help you grow" not in plain
    sheet.close()


def test_after_the_first_person_the_keys_are_on_the_rings(qtbot, db_path):
    """"Add your first person", then C: a coffee with them. The button had the keys and
    was hidden with the empty state; Qt gave them to the page tabs, where C did nothing."""
    populate(db_path)
    window = open_window(qtbot, db_path)
    QTest.mouseClick(window.empty_state.add_button, LEFT)
    dialog = next(d for d in window.findChildren(ContactDialog) if d.isVisible())
    QTest.keyClicks(dialog.name, "Ada Lovelace")
    QTest.keyClick(dialog.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.empty_state.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_C)
    qtbot.waitUntil(lambda: any(w.isVisible() and w.objectName() == "logDialog"
                                for w in QApplication.topLevelWidgets()))
    log = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "logDialog")
    assert log.windowTitle() == "Log a touchpoint" and log.chosen_kind() == "coffee"
    assert log.subject.text() == "With Ada Lovelace"
    # a note instead (the last kind: End): the title follows ("Log a touchpoint" stayed)
    QTest.keyClick(log.kind, Qt.Key.Key_End)
    assert log.is_note()
    assert log.windowTitle() == "Write a note" and log.subject.text() == "About Ada Lovelace"
    log.reject()
