"""The hover card on the rings (issues 20 and 21): resting the pointer on a node shows a
card with the picture (or initials), name, ring, status, last touch, next due and a
birthday within 7 days; leaving the node hides it."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QPoint

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
