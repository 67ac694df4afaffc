"""Text and edges that read in both themes (a review measured each at 1366×768): initials on
the rings' colours, the rings' count pills, spin boxes' edges in dark, the dark highlight
under white text, light placeholders, the dashboard's goal line."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QSpinBox, QStyleOptionGraphicsItem

from planner.domain.contact import Contact
from planner.domain.rings import Ring
from planner.ui.common import theme
from planner.ui.common.palette import RING_COLORS
from planner.ui.dashboard import dashboard
from planner.ui.rings.node_item import NodeItem
from planner.ui.rings.ring_item import RingItem
from tests.helpers.contrast import contrast


def painted(item, rect: QRectF, ground: QColor | None = None) -> QImage:
    image = QImage(int(rect.width()), int(rect.height()), QImage.Format.Format_ARGB32)
    image.fill(ground or QColor("#ffffff"))
    painter = QPainter(image)
    painter.translate(-rect.x(), -rect.y())
    item.paint(painter, QStyleOptionGraphicsItem(), None)
    painter.end()
    return image


def farthest(image: QImage, ground: QColor, inside) -> QColor:
    """The colour drawn on ``ground`` that differs from it most, among pixels ``inside``."""
    seen = {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())
            if inside(x, y)}
    return max((QColor(rgb) for rgb in seen), key=lambda c: contrast(c, ground))


@pytest.mark.parametrize("ring", list(Ring))
def test_initials_on_a_node_read_on_its_rings_colour(qapp, opened, ring):
    node = NodeItem(Contact(id=1, name="Mia Mustermann", ring=ring))
    r = node.radius
    image = painted(node, QRectF(-r, -r, 2 * r, 2 * r))
    fill = QColor(RING_COLORS[ring])
    ink = farthest(image, fill, lambda x, y: (x - r) ** 2 + (y - r) ** 2 < (0.55 * r) ** 2)
    assert contrast(ink, fill) >= 4.0, (ring, ink.name())  # white on amber was 2.2:1


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_rings_count_pills_read(qapp, scheme):
    theme.apply_theme(scheme, qapp)
    try:
        ground = qapp.palette().color(QPalette.ColorRole.Window)
        for ring in Ring:
            item = RingItem(ring)
            item.set_fill(12, 12)
            image = painted(item, item.boundingRect(), ground)
            # the pill: its colour (the ring's, nearly opaque), found by its pixels
            fill = QColor(RING_COLORS[ring])
            if scheme == "dark":
                fill = fill.lighter(112)
            every = [(x, y, image.pixel(x, y)) for x in range(image.width())
                     for y in range(image.height())]
            near = {rgb for rgb in {p for _x, _y, p in every}
                    if contrast(QColor(rgb), fill) < 1.1}
            pill = [(x, y) for x, y, rgb in every if rgb in near]
            assert len(pill) > 200, ring
            top, bottom = min(y for _x, y in pill), max(y for _x, y in pill)
            left, right = min(x for x, _y in pill), max(x for x, _y in pill)
            ink = farthest(image, fill, lambda x, y, box=(left, right, top, bottom):
                           box[0] < x < box[1] and box[2] < y < box[3])
            assert contrast(ink, fill) >= 4.0, (scheme, ring, ink.name())
    finally:
        theme.apply_theme("light", qapp)


def test_dark_spin_boxes_have_an_edge_and_white_reads_on_the_highlight(qtbot, qapp):
    theme.apply_theme("dark", qapp)
    try:
        box = QSpinBox()
        qtbot.addWidget(box)
        box.resize(120, 28)
        box.show()
        qtbot.waitExposed(box)
        image = box.grab().toImage()
        window = qapp.palette().color(QPalette.ColorRole.Window)
        edge = farthest(image, window, lambda x, y: x == image.width() // 3 and y <= 2)
        assert contrast(edge, window) >= 3.0, edge.name()  # it had none: 1.1:1
        highlight = qapp.palette().color(QPalette.ColorRole.Highlight)
        assert contrast(highlight, QColor("#ffffff")) >= 4.5, highlight.name()
    finally:
        theme.apply_theme("light", qapp)


def test_light_placeholders_and_the_dashboards_goal_line_read(qapp):
    theme.apply_theme("light", qapp)
    palette = QApplication.palette()
    placeholder = palette.color(QPalette.ColorRole.PlaceholderText)
    assert contrast(placeholder, palette.color(QPalette.ColorRole.Base)) >= 4.5
    assert contrast(placeholder, palette.color(QPalette.ColorRole.Window)) >= 4.4
    for colour in (dashboard.GOOD, dashboard.WARN):  # on the light theme's white cards
        on_card = dashboard.TEXT_ON_LIGHT[colour.name()]
        assert contrast(on_card, dashboard.LIGHT.card) >= 4.5, on_card.name()


def test_dark_scroll_bars_show_their_handle(qtbot, qapp):
    from PySide6.QtWidgets import QListWidget

    theme.apply_theme("dark", qapp)
    try:
        listing = QListWidget()
        qtbot.addWidget(listing)
        listing.addItems([f"Person {n}" for n in range(500)])
        listing.resize(200, 300)
        listing.show()
        qtbot.waitExposed(listing)
        bar = listing.verticalScrollBar()
        image = bar.grab().toImage()
        middle = image.width() // 2
        groove = QColor(image.pixel(middle, image.height() - 3))  # the handle is at the top
        column = [image.pixel(middle, y) for y in range(5, 20)]  # (inside the handle)
        fill = QColor(max(set(column), key=column.count))  # the handle's own colour
        assert contrast(fill, groove) >= 3.0, (fill.name(), groove.name())  # was 1.4:1
    finally:
        theme.apply_theme("light", qapp)
