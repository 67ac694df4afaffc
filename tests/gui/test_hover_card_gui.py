"""The hover card on the rings (issues 20 and 21): resting the pointer on a node shows a
card with the picture (or initials), name, ring, status, last touch, next due and a
birthday within 7 days; leaving the node hides it."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from planner.domain.focus import local_zone
from planner.domain.rings import Ring
from planner.services import contacts
from planner.storage.database import open_database
from tests.gui.helpers import move_pointer, open_window
from tests.gui.test_photos_gui import give_photo
from tests.helpers.stores import bound


def _hover(qtbot, window, contact_id: int):
    view = window.view
    node = window.scene.nodes[contact_id]
    move_pointer(view.viewport(), view.mapFromScene(node.scenePos()))
    card = view.hover_card
    qtbot.waitUntil(lambda: card.isVisible() and card.contact_id == contact_id)
    return card


def test_hovering_a_node_shows_its_card_with_photo_and_birthday(qtbot, db_path):
    today = datetime.now(local_zone()).date()
    soon = today + timedelta(days=2)
    handle = open_database(str(db_path))
    try:
        alan = contacts.add_contact(bound(), "Alan Turing", ring=Ring.OUTER,
                                    birthday=f"{soon.year - 40}-{soon.month:02d}-{soon.day:02d}")
        grace = contacts.add_contact(bound(), "Grace Hopper", ring=Ring.INNER)
    finally:
        handle.close()
    give_photo(db_path, grace.id)
    window = open_window(qtbot, db_path)

    card = _hover(qtbot, window, alan.id)
    details = card.details.text()
    assert card.name.text() == "Alan Turing"
    assert "Outer ring · " in details and "Last touch: never" in details
    assert f"Birthday on {soon.strftime('%A')} — 40" in details
    assert card.name.font().pointSizeF() > window.font().pointSizeF()  # readable, not small
    assert not card.photo.pixmap().isNull()  # initials drawn

    card = _hover(qtbot, window, grace.id)
    assert card.name.text() == "Grace Hopper" and "Inner ring" in card.details.text()
    assert "Birthday" not in card.details.text()
    colour = card.photo.pixmap().toImage().pixelColor(32, 32)
    assert abs(colour.red() - 20) < 12 and abs(colour.green() - 160) < 12  # the photo

    move_pointer(window.view.viewport(), QPoint(2, 2))  # off the nodes: gone
    qtbot.waitUntil(lambda: not card.isVisible())


def test_the_card_goes_when_the_canvas_moves_from_under_it(qtbot, db_path):
    """A card left on screen where the node was, after the window was resized or moved
    (or the canvas zoomed or scrolled) under a resting pointer, pointed at nothing."""
    handle = open_database(str(db_path))
    try:
        ada = contacts.add_contact(bound(), "Ada Lovelace", ring=Ring.INNER)
    finally:
        handle.close()
    window = open_window(qtbot, db_path)
    view = window.view

    card = _hover(qtbot, window, ada.id)
    window.resize(window.width() - 120, window.height() - 60)
    qtbot.waitUntil(lambda: not card.isVisible())

    card = _rest_again(qtbot, window, ada.id)
    window.move(window.pos() + QPoint(40, 30))
    qtbot.waitUntil(lambda: not card.isVisible())

    card = _rest_again(qtbot, window, ada.id)
    QTest.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)  # zoom in
    qtbot.waitUntil(lambda: view.zoom > 1.0)
    qtbot.waitUntil(lambda: not card.isVisible())

    for _ in range(3):  # close enough for the canvas to scroll
        QTest.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > bar.minimum())
    card = _rest_again(qtbot, window, ada.id)
    QTest.keyClick(bar, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: not card.isVisible())

    # resting on the node again shows it again
    QTest.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)  # fit
    qtbot.waitUntil(lambda: view.zoom == 1.0)
    card = _rest_again(qtbot, window, ada.id)
    assert card.contact_id == ada.id


def _rest_again(qtbot, window, contact_id: int):
    """Off the node and back (a move to where the pointer already is is no move), once
    the window has laid itself out again (the side panels take their widths after a
    resize: the canvas moves once more)."""
    qtbot.wait(50)
    move_pointer(window.view.viewport(), QPoint(2, 2))
    return _hover(qtbot, window, contact_id)
