"""Searching notes from the activity panel: results highlighted, Enter jumps to the entry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest

from planner.domain.rings import Ring
from planner.ui.people.search_model import ENTRY_ID_ROLE, HIT_ROLE, highlighted_html
from planner.ui.timeline.timeline_model import PAGE, Role
from tests.gui.history_helpers import (
    database,
    local_zone,
    make_people,
    open_window,
    opened_dialog,
    save_with_enter,
    select_on_canvas,
    type_note,
)
from tests.helpers.contrast import contrast
from tests.helpers.stores import bound

T0 = datetime(2026, 11, 16, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def berlin():
    with local_zone("Europe/Berlin"):
        yield


@pytest.fixture
def data(db_path):
    """Ada and Zoë with notes and touchpoints; Grace has 350 older ones plus one about
    a lighthouse at the very start of her history (pages away)."""
    from planner.services import touchpoints as svc
    from planner.storage.models import TouchpointRow, db_proxy

    ids = make_people(
        db_path, {"Ada Lovelace": Ring.INNER, "Zoë Ümlaut": Ring.OUTER, "Grace Hopper": Ring.MIDDLE}
    )
    with database(db_path):
        ids["cafe"] = svc.log_touchpoint(bound(),
            ids["Ada Lovelace"],
            "coffee",
            at=T0,
            note="Met at the Café Central about <looms> & cards",
        ).id
        ids["zoe"] = svc.add_note(bound(),
            ids["Zoë Ümlaut"], "Zoë wants to speak at FOSDEM", at=T0 - timedelta(days=1)
        ).id
        ids["lighthouse"] = svc.log_touchpoint(bound(),
            ids["Grace Hopper"],
            "call",
            at=T0 - timedelta(days=900),
            note="The lighthouse keeper story",
        ).id
        stamp = datetime(2026, 1, 1, tzinfo=UTC)
        with db_proxy.atomic():
            TouchpointRow.insert_many(
                [
                    {
                        "contact": ids["Grace Hopper"],
                        "kind": "im",
                        "note": f"chat {n}",
                        "at": T0 - timedelta(days=1 + n),
                        "created_at": stamp,
                        "updated_at": stamp,
                    }
                    for n in range(350)
                ]
            ).execute()
    return ids


@pytest.fixture
def window(qtbot, db_path, data):
    return open_window(qtbot, db_path)


def type_search(qtbot, window, text: str, *, keys: bool = True) -> None:
    """Type into the activity search box and wait for the results (it waits for a pause)."""
    box = window.activity.search
    box.setFocus()
    box.clear()
    if keys:
        QTest.keyClicks(box, text)
    else:
        box.insert(text)  # QTest.keyClicks cannot type non-ASCII characters
    qtbot.waitUntil(lambda: window.activity.results_model.query == text, timeout=2000)


def hits(window) -> list:
    model = window.activity.results_model
    return [model.index(r).data(HIT_ROLE) for r in range(model.rowCount())]


def test_typing_shows_highlighted_results(qtbot, window, data):
    type_search(qtbot, window, "cafe")
    panel = window.activity
    assert panel.stack.currentWidget() is panel.results
    (hit,) = hits(window)
    assert hit.id == f"touchpoint:{data['cafe']}"
    html = highlighted_html(hit)
    assert "<b style='background:#fff3a3;color:#000'>Café</b>" in html
    assert "&lt;looms&gt; &amp; cards" in html  # the note's own text is escaped
    assert panel.status.text() == "1 found"
    index = panel.results_model.index(0)
    assert "Ada Lovelace" in index.data()
    assert "Café Central" in index.data()  # plain text without the marks
    assert "\x02" not in index.data()
    assert index.data(ENTRY_ID_ROLE) == hit.id
    image = panel.results.grab().toImage()  # the delegate draws the highlighted html
    assert not image.isNull()


def test_non_ascii_search_and_accents(qtbot, window, data):
    type_search(qtbot, window, "zoe")
    assert [h.id for h in hits(window)] == [f"note:{data['zoe']}"]
    assert "<b style='background:#fff3a3;color:#000'>Zoë</b>" in highlighted_html(hits(window)[0])
    type_search(qtbot, window, "ZOË", keys=False)
    assert [h.id for h in hits(window)] == [f"note:{data['zoe']}"]


def test_nothing_found_and_clearing_goes_back_to_the_timeline(qtbot, window):
    panel = window.activity
    type_search(qtbot, window, "xylophone")
    assert hits(window) == []
    assert panel.status.text() == "Nothing found for “xylophone”"
    panel.search.clear()
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.timeline, timeout=2000)
    assert panel.status.text() == ""


@pytest.mark.parametrize("text", ['"', "AND", "NEAR(", "*", "cafe OR", "(cafe", "'", "--"])
def test_fts_syntax_typed_in_the_box_is_harmless(qtbot, window, text):
    type_search(qtbot, window, text)  # an exception in a slot would fail the test
    assert window.activity.results_model.query == text


def test_enter_jumps_to_the_entry(qtbot, window, data):
    type_search(qtbot, window, "cafe")
    QTest.keyClick(window.activity.search, Qt.Key.Key_Return)
    assert window.current_id == data["Ada Lovelace"]
    assert window.scene.selected_id() == data["Ada Lovelace"]
    timeline = window.person.timeline
    assert timeline.currentIndex().data(Role.ENTRY_ID) == f"touchpoint:{data['cafe']}"
    assert timeline.hasFocus()


def test_enter_jumps_to_an_entry_many_pages_back(qtbot, window, data):
    type_search(qtbot, window, "lighthouse keeper")
    QTest.keyClick(window.activity.search, Qt.Key.Key_Enter)
    assert window.current_id == data["Grace Hopper"]
    model = window.person.timeline_model
    assert model.entry_count() > 3 * PAGE  # it paged in to reach it
    timeline = window.person.timeline
    assert timeline.currentIndex().data(Role.ENTRY_ID) == f"touchpoint:{data['lighthouse']}"


def test_enter_jumps_to_the_chosen_result(qtbot, window, data):
    type_search(qtbot, window, "at")  # prefix: "at" in both Ada's and Zoë's notes
    results = window.activity.results
    assert results.model().rowCount() == 2
    results.setCurrentIndex(results.model().index(1))
    chosen = results.currentIndex().data(HIT_ROLE)
    QTest.keyClick(window.activity.search, Qt.Key.Key_Return)
    assert window.current_id == chosen.contact_id
    assert window.person.timeline.currentIndex().data(Role.ENTRY_ID) == chosen.id


def test_enter_in_a_cleared_box_does_not_jump_to_an_old_result(qtbot, window, data):
    type_search(qtbot, window, "fosdem")
    window.select(data["Ada Lovelace"])
    type_search(qtbot, window, "")
    QTest.keyClick(window.activity.search, Qt.Key.Key_Return)
    assert window.current_id == data["Ada Lovelace"]
    assert window.activity.stack.currentWidget() is window.activity.timeline


def test_activating_a_result_jumps(qtbot, window, data):
    type_search(qtbot, window, "fosdem")
    results = window.activity.results
    results.setFocus()
    results.setCurrentIndex(results.model().index(0))
    QTest.keyClick(results, Qt.Key.Key_Return)  # Enter on a list = activated
    assert window.current_id == data["Zoë Ümlaut"]
    assert window.person.timeline.currentIndex().data(Role.ENTRY_ID) == f"note:{data['zoe']}"


def test_a_note_logged_in_the_window_is_found_at_once(qtbot, window, data):
    view = select_on_canvas(qtbot, window, data["Ada Lovelace"])
    QTest.keyClick(view, Qt.Key.Key_N)
    dialog = opened_dialog(qtbot, window)
    type_note(dialog, "Loves the Difference Engine")
    save_with_enter(qtbot, dialog)
    type_search(qtbot, window, "differ")
    (hit,) = hits(window)
    assert (hit.type, hit.contact_id) == ("note", data["Ada Lovelace"])


def test_a_result_reads_as_text_not_as_markdown(qtbot, window, data):
    """A note written in Markdown was listed with its marks ("**Intro** to [the data
    team](https://…)"); the result reads as the note does in its timeline, and a word
    found in a link's address keeps the address on show."""
    view = select_on_canvas(qtbot, window, data["Ada Lovelace"])
    QTest.keyClick(view, Qt.Key.Key_N)
    dialog = opened_dialog(qtbot, window)
    type_note(dialog, "**Intro** to [the data team](https://wiki.example.org/data) _soon_")
    save_with_enter(qtbot, dialog)
    type_search(qtbot, window, "intro")
    index = window.activity.results_model.index(0)
    assert index.data().endswith(": Intro to the data team soon")
    html = highlighted_html(index.data(HIT_ROLE))
    assert html == "<b style='background:#fff3a3;color:#000'>Intro</b> to the data team soon"
    type_search(qtbot, window, "wiki")
    shown = window.activity.results_model.index(0).data()
    assert shown.endswith(": Intro to the data team (https://wiki.example.org/data) soon")


def test_the_kind_and_ring_filters_apply_to_the_search_too(qtbot, window, data):
    """With a search typed, choosing Coffee kept every kind in the results; and 100
    results (the newest read) were said as if they were all."""
    window.show_page(window.activity)
    type_search(qtbot, window, "chat")
    assert window.activity.status.text() == "The newest 100 found"  # 350 chats
    assert {h.kind for h in hits(window)} == {"im"}
    kinds = window.activity.kind_filter
    kinds.setCurrentIndex(kinds.findData("coffee"))
    qtbot.waitUntil(lambda: hits(window) == [])
    assert "with these filters" in window.activity.status.text()
    type_search(qtbot, window, "Central")
    assert [h.kind for h in hits(window)] == ["coffee"]
    kinds.setCurrentIndex(kinds.findData("call"))
    qtbot.waitUntil(lambda: hits(window) == [])
    kinds.setCurrentIndex(0)  # all kinds again
    rings = window.activity.ring_filter
    rings.setCurrentIndex(rings.findData(Ring.OUTER))  # Ada is on the inner ring
    qtbot.waitUntil(lambda: hits(window) == [])
    rings.setCurrentIndex(rings.findData(Ring.INNER))
    qtbot.waitUntil(lambda: [h.contact_id for h in hits(window)] == [data["Ada Lovelace"]])


def _assert_readable(view, index, scheme: str) -> None:
    assert view.isVisible() and view.selectionModel().isSelected(index)
    rect = view.visualRect(index)
    image = view.viewport().grab().toImage()
    fill = image.pixelColor(rect.right() - 3, rect.bottom() - 2)  # beside the text
    text = view.palette().color(QPalette.ColorRole.Text)
    assert fill != view.palette().color(QPalette.ColorRole.Base)  # the selection shows
    assert contrast(fill, text) >= 4.5, (scheme, fill.name(), text.name())


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_a_selected_result_or_entry_stays_readable(qtbot, window, data, scheme):
    """Under the dark theme a selected search result or timeline entry was drawn light blue
    (the highlight made lighter) under the theme's light text: 1.3:1."""
    from PySide6.QtWidgets import QApplication

    from planner.ui.common import theme

    theme.apply_theme(scheme, QApplication.instance())
    try:
        window.show_page(window.activity)
        type_search(qtbot, window, "cafe")
        results = window.activity.results
        results.setFocus()
        results.setCurrentIndex(results.model().index(0))
        _assert_readable(results, results.model().index(0), scheme)
        QTest.keyClick(results, Qt.Key.Key_Return)  # Ada's entry, selected in her timeline
        timeline = window.person.timeline
        qtbot.waitUntil(lambda: timeline.currentIndex().isValid())
        _assert_readable(timeline, timeline.currentIndex(), scheme)
    finally:
        theme.apply_theme("light", QApplication.instance())
