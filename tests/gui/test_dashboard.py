"""The advocacy ledger and the Dashboard in the real window, driven like a person:
change a stage, note a win, celebrate it from "This week", watch the dashboard's
figures change; the ask limit warns before an ask; undo puts everything back; the
dashboard is exported as PNG (and kept for a look) and its rows can be acted on.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from planner.domain.advocacy import Stage
from planner.domain.rings import Ring
from planner.ui.common.palette import RING_COLORS
from planner.ui.dashboard.painting import HEADING, layout_cards
from planner.ui.focus.focus_model import CONTACT_ID_ROLE
from tests.gui.helpers import double_click, open_window, populate
from tests.helpers.stores import bound

SCREENSHOT_COPY = Path("/tmp/planner-dashboard.png")


def rows(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture
def people(db_path) -> dict[str, int]:
    return populate(db_path, inner=1, middle=3, outer=4, unplaced=2,
                    extra={"Ada Lovelace": (Ring.MIDDLE, {"email": "ada@example.org"})})


@pytest.fixture
def window(qtbot, db_path, people):
    win = open_window(qtbot, db_path)
    win.window_actions.show_dashboard.trigger()
    qtbot.waitUntil(lambda: win.dashboard.stats is not None and not win.dashboard.dirty,
                    timeout=3000)
    return win


def open_advocacy(window) -> None:
    """Unfold "Wins, asks and gives" in the person panel, with the mouse."""
    toggle = window.person.advocacy_section.toggle
    if not toggle.isChecked():
        QTest.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert window.person.advocacy_section.is_open()


def click(button) -> None:
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def save(dialog) -> None:
    click(dialog.buttons.button(QDialogButtonBox.StandardButton.Save))


def focus_row(window, contact_id: int) -> int:
    model = window.focus.model
    for row in range(model.rowCount()):
        if model.index(row).data(CONTACT_ID_ROLE) == contact_id:
            return row
    raise AssertionError(f"#{contact_id} is not in This week")


def wait_figures(qtbot, window, check, timeout: int = 3000) -> None:
    qtbot.waitUntil(lambda: not window.dashboard.dirty and check(window.dashboard.stats),
                    timeout=timeout)


def test_stage_win_celebration_from_the_focus_list_and_the_dashboard(
        qtbot, window, people, db_path, tmp_path):
    ada = people["Ada Lovelace"]
    dash = window.dashboard
    start = dash.stats
    assert (start.advocates, start.target.network, start.wins_waiting) == (0, 11, [])
    assert start.target.target_count == 2  # 10 % of 11, rounded up
    assert [f.count for f in start.rings] == [1, 4, 4]

    # 1. change a stage in the person panel
    window.select(ada)
    panel = window.person.advocacy
    assert not panel.isVisible()  # folded: the timeline has the height (issue 20)
    open_advocacy(window)
    assert panel.isVisible()
    combo = panel.stage
    combo.setCurrentIndex(combo.findData("advocate"))
    combo.activated.emit(combo.currentIndex())
    assert rows(db_path, "SELECT stage FROM contact WHERE id = ?", (ada,)) == [("advocate",)]
    assert rows(db_path, "SELECT from_stage, to_stage FROM stage_change") == [
        ("none", "advocate")]
    wait_figures(qtbot, window, lambda s: s.advocates == 1)
    assert dash.stats.funnel.reached(Stage.ADVOCATE) == 1
    assert "<b>1</b> advocate of 11" in dash.summary.text()  # (one: not "advocates")

    # 2. note a win with the person panel's button
    click(panel.add_win)
    dialog = window.person.advocacy.flows.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    assert not dialog.save_button.isEnabled()  # a win needs words
    # … but a dialog just opened does not say so in red before anything is typed (as
    # Add person); a word typed and taken back does
    assert dialog.error.text() == ""
    QTest.keyClicks(dialog.text, "K")
    QTest.keyClick(dialog.text, Qt.Key.Key_Backspace)
    assert dialog.error.text() == "A win needs a few words: what did they do?"
    QTest.keyClicks(dialog.text, "Keynote at PyCon")
    assert dialog.error.text() == ""
    dialog.link.setText("pycon.org/ada")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        save(dialog)
    (win_row,) = rows(db_path, "SELECT id, text, link, celebrated_by_id FROM win")
    win_id = win_row[0]
    assert win_row[1:] == ("Keynote at PyCon", "https://pycon.org/ada", None)
    wait_figures(qtbot, window, lambda s: [w.id for w in s.wins_waiting] == [win_id])
    assert panel.wins.count() == 1 and "★ to celebrate" in panel.wins.item(0).text()
    assert "<b>1</b> win to celebrate · <b>0</b> asks to thank for" in dash.summary.text()

    # 3. "This week" suggests celebrating it; ticking opens the log dialog for that
    model = window.focus.model
    qtbot.waitUntil(lambda: "Celebrate their win: Keynote at PyCon"
                    in model.index(focus_row(window, ada)).data(), timeout=2000)
    index = model.index(focus_row(window, ada))
    assert model.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    dialog = window.advocacy.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=2000)
    assert window.history.dialog is None  # not the plain log dialog
    assert dialog.windowTitle() == "Celebrate a win"
    assert dialog.subject.text() == "Ada Lovelace's win: Keynote at PyCon"
    assert dialog.chosen_kind() == "amplify"
    dialog.minutes.setValue(10)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        save(dialog)
    (tp,) = rows(db_path, "SELECT id, kind, minutes, note FROM touchpoint WHERE contact_id = ?",
                 (ada,))
    assert tp[1:] == ("amplify", 10, "Celebrated their win: Keynote at PyCon")
    assert rows(db_path, "SELECT celebrated_by_id FROM win") == [(tp[0],)]
    wait_figures(qtbot, window, lambda s: s.wins_waiting == [])
    # (This week's page is hidden: its list catches up when asked for, or shown)
    qtbot.waitUntil(lambda: ada not in [window.focus.model.index(r).data(CONTACT_ID_ROLE)
                                        for r in range(window.focus.model.rowCount())],
                    timeout=2000)
    stats = dash.stats
    middle = stats.rings[1]
    assert (middle.ring, middle.on_track, middle.never) == (Ring.MIDDLE, 1, 3)
    assert stats.touches["middle"][-1] == 1
    assert stats.time[1].minutes == 10 and stats.time[1].share == 1.0
    assert "✓ Keynote at PyCon" in panel.wins.item(0).text()

    # 4. the screenshot: exported, kept, and showing what it should
    png = dash.export_png(tmp_path / "dashboard")
    assert png == tmp_path / "dashboard.png" and png.exists()
    shutil.copyfile(png, SCREENSHOT_COPY)
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1200, int(HEADING + layout_cards(1200)[1]))
    colours = {image.pixelColor(x, y).name() for x in range(0, 1200, 3)
               for y in range(0, image.height(), 3)}
    assert QColor(RING_COLORS[Ring.MIDDLE]).name() in colours  # the week's bar and minutes
    assert "#2e9e5b" in colours  # the advocate gauge: the target is not met, the funnel is
    window.grab().save(str(tmp_path / "window.png"))

    # 5. undo, one step at a time: celebration, win, stage
    assert window.document.undo()
    assert rows(db_path, "SELECT celebrated_by_id FROM win") == [(None,)]
    assert rows(db_path, "SELECT COUNT(*) FROM touchpoint") == [(0,)]
    wait_figures(qtbot, window, lambda s: len(s.wins_waiting) == 1)
    assert window.document.undo()
    assert rows(db_path, "SELECT COUNT(*) FROM win") == [(0,)]
    assert window.document.undo()
    wait_figures(qtbot, window, lambda s: s.advocates == 0 and s.wins_waiting == [])
    assert rows(db_path, "SELECT COUNT(*) FROM stage_change") == [(0,)]
    assert combo.currentData() == "none"
    # and redo brings back the very same rows
    for _ in range(3):
        assert window.document.redo()
    assert rows(db_path, "SELECT id, celebrated_by_id FROM win") == [(win_id, tp[0])]
    wait_figures(qtbot, window, lambda s: s.advocates == 1 and s.wins_waiting == [])


def test_the_ask_limit_warns_before_an_ask_is_logged(qtbot, window, people, db_path):
    ada = people["Ada Lovelace"]
    window.select(ada)
    flows = window.advocacy
    for _ in range(2):
        dialog = flows.add_ask(ada)
        assert not dialog.warning.isVisible() and dialog.save_button.isEnabled()
        dialog.type.setCurrentIndex(dialog.type.findData("case-study"))
        with qtbot.waitSignal(dialog.accepted, timeout=2000):
            save(dialog)
    assert rows(db_path, "SELECT COUNT(*) FROM ask") == [(2,)]
    panel = window.person.advocacy
    open_advocacy(window)
    qtbot.waitUntil(panel.fatigue.isVisible, timeout=2000)
    assert "Ada Lovelace has been asked 2 times" in panel.fatigue.text()
    assert panel.balance.text() == "Balance: 0 given · 2 asked (-2)"

    # the third: the warning shows first, and Save waits for "Ask anyway"
    window.window_actions.log_ask.trigger()
    dialog = flows.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    assert dialog.warning.isVisible()
    assert "has been asked 2 times in the last quarter" in dialog.warning.text()
    assert not dialog.save_button.isEnabled()
    dialog.accept()  # Enter does nothing either
    assert dialog.isVisible()
    box = dialog.force
    QTest.mouseClick(box, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(8, box.height() // 2))  # on the box itself
    assert box.isChecked() and dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        save(dialog)
    assert rows(db_path, "SELECT COUNT(*) FROM ask") == [(3,)]
    wait_figures(qtbot, window, lambda s: [t.contact_id for t in s.tired] == [ada])

    # a give brings the balance back up; the focus list says give, don't ask
    dialog = flows.add_give(ada)
    dialog.type.setCurrentIndex(dialog.type.findData("early-access"))
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        save(dialog)
    qtbot.waitUntil(lambda: panel.balance.text() == "Balance: 1 given · 3 asked (-2)",
                    timeout=2000)
    model = window.focus.model
    assert model.index(focus_row(window, ada)).data().endswith(
        "Give, don't ask: share something useful by email (an intro, early access, a review)")


def test_a_done_ask_is_thanked_from_the_focus_list_and_the_dashboard_rows_act(
        qtbot, window, people, db_path):
    from planner.services import advocacy as svc

    bo = people["Middle 1"]
    ask = svc.add_ask(bound(), bo, "talk", status="done")
    window.document.refresh_contacts([bo])
    window.document.timeline_changed.emit([bo])
    model = window.focus.model
    qtbot.waitUntil(lambda: "Say thank you for the talk"
                    in model.index(focus_row(window, bo)).data(), timeout=2000)
    wait_figures(qtbot, window, lambda s: [a.id for a in s.thanks_waiting] == [ask.id])

    # double-clicking the row on the dashboard opens the thank-you dialog
    canvas = window.dashboard.canvas
    window.dashboard.scroll_area.ensureVisible(0, canvas.height(), 0, 0)
    qtbot.waitUntil(lambda: any(kind == "ask" for _, kind, _, _ in canvas.hits), timeout=2000)
    rect = next(r for r, kind, row_id, _ in canvas.hits if kind == "ask" and row_id == ask.id)
    double_click(canvas, rect.center().toPoint())
    dialog = window.advocacy.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=2000)
    assert window.current_id == bo  # the click selected them
    assert dialog.windowTitle() == "Say thank you"
    assert dialog.subject.text() == "Thank Middle 1 for the talk"
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        save(dialog)
    assert rows(db_path, "SELECT type, for_ask_id FROM give") == [("thank-you-note", ask.id)]
    assert rows(db_path, "SELECT kind, note FROM touchpoint") == [("im",
                                                                    "Thank you for the talk")]
    wait_figures(qtbot, window, lambda s: s.thanks_waiting == [])
    qtbot.waitUntil(lambda: not any(kind == "ask" for _, kind, _, _ in canvas.hits),
                    timeout=2000)  # the row is gone from the drawing
    assert canvas.hit(QPointF(rect.center())) is None


def test_target_and_ask_limit_are_settings_on_the_dashboard(qtbot, window, db_path):
    dash = window.dashboard
    assert (dash.target.value(), dash.ask_limit.value()) == (10, 2)
    dash.target.setValue(25)
    dash.target.editingFinished.emit()
    assert dash.stats.target.target_count == 3  # 25 % of 11
    dash.ask_limit.setValue(4)
    dash.ask_limit.editingFinished.emit()
    assert dash.stats.fatigue_limit == 4
    assert dict(rows(db_path, "SELECT key, value FROM setting WHERE key LIKE 'a%'")) == {
        "advocate_target_share": "0.25", "ask_fatigue_limit": "4"}


def test_the_dashboard_stays_stale_while_hidden_and_catches_up_when_shown(
        qtbot, window, people):
    window.window_actions.show_focus.trigger()
    qtbot.waitUntil(lambda: not window.dashboard.is_shown(), timeout=2000)
    window.advocacy.set_stage(people["Inner 1"], "advocate")
    assert window.dashboard.dirty and window.dashboard.stats.advocates == 0
    window.window_actions.show_dashboard.trigger()
    wait_figures(qtbot, window, lambda s: s.advocates == 1)


def test_the_dashboard_follows_the_dark_theme_and_its_png_stays_light(qtbot, window, tmp_path):
    """In the dark theme the cards were bright white on the dark window; the exported
    picture (to share) stays light."""
    from PySide6.QtWidgets import QApplication

    from planner.ui.common import theme

    app = QApplication.instance()
    theme.apply_theme("dark", app)
    try:
        canvas = window.dashboard.canvas
        canvas.repaint()
        shot = canvas.grab().toImage()
        placed, _ = layout_cards(canvas.width())
        for _card, rect in placed:  # each card's own colour, right of its title
            at = (int(rect.right()) - 14, int(rect.y()) + 6)
            assert QColor(shot.pixel(*at)).lightnessF() < 0.3, _card.key
        assert QColor(shot.pixel(2, 2)).lightnessF() < 0.3  # the background between cards
        png = window.dashboard.export_png(tmp_path / "dash.png")
        picture = QImage(str(png))
        assert QColor(picture.pixel(2, 2)).lightnessF() > 0.85
    finally:
        theme.apply_theme("light", app)


def test_the_ledgers_empty_lists_say_what_will_show_there(qtbot, window, people):
    """A person's Wins, Asks and Gives were blank boxes while empty."""
    window.select(people["Middle 2"])
    open_advocacy(window)
    panel = window.person.advocacy
    for index, lst in enumerate((panel.wins, panel.asks, panel.gives)):
        assert lst.count() == 0 and lst.placeholder
        panel.tabs.setCurrentIndex(index)
        qtbot.waitUntil(lst.isVisible)
        qtbot.waitUntil(lambda lst=lst: lst.viewport().height() >= 40)  # (laid out)
        image = lst.viewport().grab().toImage()
        back = image.pixelColor(image.width() - 2, image.height() - 2)
        assert any(image.pixelColor(x, y) != back
                   for x in range(0, image.width(), 2) for y in range(0, 40, 2))


def test_minutes_read_as_hours_with_thousands_grouped():
    """The Minutes card's total read "12493 h 50" beside "10,000 in the network"."""
    from planner.ui.dashboard.painting import _hours

    assert _hours(45) == "45 min"
    assert _hours(125) == "2 h 05"
    assert _hours(120) == "2 h"
    assert _hours(12493 * 60 + 50) == "12,493 h 50"


def test_the_charts_figures_and_the_target_read_as_the_cards_do(qtbot, window):
    """The weekly chart said "2578" and "3000" beside "10,000 in the network"; the target
    box "10 %" beside "target 10%"."""
    from planner.ui.dashboard.painting import _figure

    assert [_figure(v) for v in (0, 2578, 3000, 12000, 0.5, 2.5)] == [
        "0", "2,578", "3,000", "12,000", "0.5", "2.5"]
    open_advocacy(window)
    target = window.dashboard.target
    assert target.text().endswith("%") and not target.text().endswith(" %")


def test_an_empty_network_is_said_plainly_on_the_dashboard(qtbot, db_path):
    """A new database's dashboard said "0 advocates of 0 (0.0%)" and "0.0% of 0", and
    "Add people to your network" in the orange of a call to action that is no link."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    from planner.ui.dashboard import painting
    from tests.helpers.contrast import contrast

    win = open_window(qtbot, db_path)
    win.window_actions.show_dashboard.trigger()
    qtbot.waitUntil(lambda: win.dashboard.stats is not None, timeout=3000)
    summary = win.dashboard.summary.text()
    assert "0.0%" not in summary and "Nobody in your network yet" in summary
    assert "Person → Add Person…" in summary
    image = QImage(320, 230, QImage.Format.Format_ARGB32)
    image.fill(painting.LIGHT.card)
    painter = QPainter(image)
    try:
        painting.Painter(painter, win.dashboard.stats).draw_advocates(QRectF(0, 0, 320, 230))
    finally:
        painter.end()
    line = [QColor(rgb) for rgb in {image.pixel(x, y) for x in range(320) for y in range(212, 230)}]
    assert any(contrast(c, painting.LIGHT.card) > 3 for c in line)  # words are there...
    assert all(c.hsvSaturationF() < 0.4 for c in line)  # ...in grey, none in the orange


def test_a_long_win_wraps_in_the_person_panel_and_its_date_shows(qtbot, window, people):
    """"✓ Quoted in an article on onboarding new contributors" went on behind a horizontal
    scroll bar, its date out of view, and opening the section widened the panel."""
    ada = people["Ada Lovelace"]
    window.select(ada)
    width = window.person_dock.width()
    assert window.document.editing.add_win(
        ada, "Quoted in an article on onboarding new contributors to open source projects")
    open_advocacy(window)
    lst = window.person.advocacy.wins
    qtbot.waitUntil(lambda: lst.count() == 1)
    item = lst.item(0)
    qtbot.waitUntil(lambda: lst.viewport().width() > 0)
    assert not lst.horizontalScrollBar().isVisible()
    rect = lst.visualItemRect(item)
    assert rect.right() <= lst.viewport().width() and rect.height() > lst.fontMetrics().height()
    assert window.person_dock.width() == width


def test_the_exported_png_says_what_it_is_and_when(qtbot, window, tmp_path, monkeypatch):
    """The saved picture had no title or date: opened later it did not say what it was
    or when it was made. It has a heading now, drawn in the picture's colours."""
    from datetime import datetime

    from PySide6.QtWidgets import QFileDialog

    from planner.ui.common.dates import date_text
    from planner.ui.dashboard import painting
    from tests.helpers.contrast import contrast

    monkeypatch.setenv("HOME", str(tmp_path))
    dash = window.dashboard
    QTest.mouseClick(dash.export_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in dash.findChildren(QFileDialog) if d.isVisible())
    dialog.selectFile(str(tmp_path / "week 49.png"))
    dialog.accept()
    png = tmp_path / "week 49.png"
    qtbot.waitUntil(png.exists)

    title, when = dash.image_heading()
    assert title == "Mentorship Planner — Dashboard"
    assert date_text(datetime.now().astimezone(), long=True) in when
    image = QImage(str(png))
    band = painting.HEADING
    assert (image.width(), image.height()) == (1200, int(band + layout_cards(1200)[1]))
    colours = painting.LIGHT  # (the picture stays light: one to share)
    heading = {(x, y): image.pixelColor(x, y) for x in range(0, 1200) for y in range(int(band))}
    ink = [(x, y) for (x, y), c in heading.items() if contrast(c, colours.background) > 4.5]
    assert ink, "no legible words in the heading"
    xs = [x for x, _ in ink]
    assert min(xs) < 40 and max(xs) - min(xs) > 250  # a line of words from the left
    assert {image.pixelColor(x, 2).name() for x in range(0, 1200, 7)} == {
        colours.background.name()}
    assert image.pixelColor(20, int(band) + 30) == colours.card  # the cards come below it


def test_the_funnel_says_each_figure_counts_who_got_that_far(qtbot, db_path):
    """"Cultivating 6" beside "Succeeded 3" read as six people cultivating (three were):
    the funnel counts who got at least that far, and now says so, with who is at each
    stage now beside it. A stage changed in the person panel follows."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPainter

    from planner.services import advocacy
    from planner.storage.database import open_database
    from planner.ui.dashboard import painting

    people = populate(db_path, middle=6, outer=4)
    handle = open_database(str(db_path))
    try:
        for name, stage in (("Middle 1", "cultivating"), ("Middle 2", "cultivating"),
                            ("Middle 3", "cultivating"), ("Middle 4", "succeeded"),
                            ("Middle 5", "advocate"), ("Middle 6", "advocate")):
            advocacy.set_stage(bound(), people[name], stage)
    finally:
        handle.close()
    window = open_window(qtbot, db_path)
    window.select(people["Middle 3"])
    open_advocacy(window)
    combo = window.person.advocacy.stage
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Down)  # cultivating → succeeded, by key
    window.window_actions.show_dashboard.trigger()
    wait_figures(qtbot, window, lambda s: s.funnel.counts[Stage.SUCCEEDED] == 2)

    class Words(QPainter):  # the dashboard's own drawing, its words kept
        def __init__(self, device):
            super().__init__(device)
            self.words: list[str] = []

        def drawText(self, *args):
            self.words.append(args[-1])
            return super().drawText(*args)

    image = QImage(360, 200, QImage.Format.Format_ARGB32)
    painter = Words(image)
    try:
        painting.Painter(painter, window.dashboard.stats).draw_funnel(
            QRectF(0, 0, 360, 200))
    finally:
        painter.end()
    words = painter.words
    assert "Cultivating 6" not in words and "Succeeded 4" not in words  # (as it read)
    for label, figure in (("Cultivating or beyond", "6"), ("Succeeded or beyond", "4"),
                          ("Advocate", "2")):
        assert words[words.index(label) + 1] == figure, (label, words)
    assert "2 at this stage now" in words  # cultivating now: Middle 1 and 2
    assert "2 at this stage now · 67% of the step before" in words  # 4 of 6 got that far
    assert "50% of the step before" in words
    assert "4 not started · 10 in the network" in words
