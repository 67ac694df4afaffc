"""Text and edges that read in both themes (a review measured each at 1366×768): initials on
the rings' colours, the rings' count pills, spin boxes' edges in dark, the dark highlight
under white text, light placeholders, the dashboard's words in colour."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QSpinBox, QStyleOptionGraphicsItem

from planner.domain.contact import Contact
from planner.domain.rings import Ring
from planner.services import advocacy_stats
from planner.ui.common import theme
from planner.ui.common.palette import RING_COLORS
from planner.ui.dashboard import painting
from planner.ui.rings.node_item import NodeItem
from planner.ui.rings.ring_item import RingItem
from tests.helpers.contrast import contrast
from tests.helpers.stores import bound


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
    assert contrast(ink, fill) >= 4.5, (ring, ink.name())  # white on amber was 2.2:1


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
            every = [(x, y, image.pixel(x, y)) for x in range(image.width())
                     for y in range(image.height())]
            near = {rgb for rgb in {p for _x, _y, p in every}
                    if contrast(QColor(rgb), fill) < 1.1}
            pill = [(x, y) for x, y, rgb in every if rgb in near]
            assert len(pill) > 200, ring
            top, bottom = min(y for _x, y in pill), max(y for _x, y in pill)
            left, right = min(x for x, _y in pill), max(x for x, _y in pill)
            # (inside its rounded ends: not the ground at the corners)
            ink = farthest(image, fill, lambda x, y, box=(left + 9, right - 9, top, bottom):
                           box[0] < x < box[1] and box[2] < y < box[3])
            assert contrast(ink, fill) >= 4.5, (scheme, ring, ink.name())
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


def test_light_placeholders_read(qapp):
    theme.apply_theme("light", qapp)
    palette = QApplication.palette()
    placeholder = palette.color(QPalette.ColorRole.PlaceholderText)
    assert contrast(placeholder, palette.color(QPalette.ColorRole.Base)) >= 4.5
    assert contrast(placeholder, palette.color(QPalette.ColorRole.Window)) >= 4.4


def painted_card(draw, colours, width: int = 320, height: int = 200) -> QImage:
    """One dashboard card's drawing (``draw``: a Painter method) on the card's colour."""
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(colours.card)
    painter = QPainter(image)
    try:
        draw(painting.Painter(painter, advocacy_stats.stats(bound()), colours), QRectF(0, 0, width,
                                                                                  height))
    finally:
        painter.end()
    return image


@pytest.mark.parametrize("colours", [painting.LIGHT, painting.DARK], ids=["light", "dark"])
def test_the_dashboards_words_in_colour_read_on_its_cards(qapp, opened, colours):
    """The rings' names on the Rings and Minutes cards are in the rings' colours: the
    middle ring's amber on a white card was 2.2:1, the outer ring's teal on a dark one
    4.4:1. The advocates' goal line was orange on white, 2.7:1."""
    rings = painted_card(painting.Painter.draw_rings, colours)
    minutes = painted_card(painting.Painter.draw_time, colours)
    for i, ring in enumerate(Ring):
        for image, top, bottom in ((rings, i * 200 / 3, i * 200 / 3 + 18),
                                   (minutes, i * (200 - 22) / 3, i * (200 - 22) / 3 + 16)):
            # the ring's name, at the row's left (its figures are at the right, in the
            # text colour)
            label = farthest(image, colours.card,
                             lambda x, y, top=top, bottom=bottom: x < 90 and top <= y < bottom)
            assert contrast(label, colours.card) >= 4.5, (ring, label.name())
            assert label.name() != colours.text.name()  # still the ring's own colour
    goal = painted_card(painting.Painter.draw_advocates, colours, 320, 230)
    line = farthest(goal, colours.card, lambda x, y: y >= 230 - 18)
    assert contrast(line, colours.card) >= 4.5, line.name()


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


def _inked_runs(image: QImage) -> list[tuple[int, int]]:
    """Runs of columns with anything drawn on the button's own ground (its edges left out)."""
    ground = image.pixel(image.width() // 2, 2)
    inked = [x for x in range(3, image.width() - 3)
             if any(image.pixel(x, y) != ground for y in range(4, image.height() - 4))]
    runs: list[tuple[int, int]] = []
    for x in inked:
        if runs and x == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], x)
        else:
            runs.append((x, x))
    return runs


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_menu_buttons_arrow_stands_beside_its_words(qtbot, qapp, opened, scheme):
    """The person's Snooze button (and the toolbar's Log) drew their menu arrow under the
    last letter, touching it."""
    from PySide6.QtWidgets import QMenu, QToolButton

    theme.apply_theme(scheme, qapp)
    try:
        button = QToolButton()
        qtbot.addWidget(button)
        button.setText("Snooze")
        button.setMenu(QMenu(button))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.show()
        qtbot.waitExposed(button)
        runs = _inked_runs(button.grab().toImage())
        *words, arrow = runs
        assert arrow[1] - arrow[0] <= 12, runs  # the arrow alone, not joined to the "e"
        assert arrow[0] - words[-1][1] >= 4, runs  # with room between them
    finally:
        theme.apply_theme("light", qapp)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_tool_button_with_the_keys_shows_it(qtbot, qapp, scheme):
    """The person's "More details" fold and log buttons showed nothing when the keys were
    on them (a keyboard review: F6 into the person panel changed no pixel)."""
    from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolButton, QWidget

    theme.apply_theme(scheme, qapp)
    try:
        host = QWidget()
        qtbot.addWidget(host)
        row = QHBoxLayout(host)
        other, button = QLineEdit(host), QToolButton(host)
        button.setText("More details")
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        row.addWidget(other)
        row.addWidget(button)
        host.show()
        host.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is host)
        other.setFocus()
        qtbot.waitUntil(other.hasFocus)
        plain = button.grab().toImage()
        button.setFocus()
        qtbot.waitUntil(button.hasFocus)
        focused = button.grab().toImage()
        ground = plain.pixelColor(1, plain.height() // 2)
        edge = max((focused.pixelColor(x, focused.height() // 2) for x in range(3)),
                   key=lambda c: contrast(c, ground))
        assert contrast(edge, ground) >= 3.0, (edge.name(), ground.name())
    finally:
        theme.apply_theme("light", qapp)


def _edge(image: QImage, box, ground: QColor) -> QColor:
    """The colour in ``box``'s outer band (an indicator's edge: a filled one shows by its
    border) that stands out most from ``ground``."""
    band = [image.pixelColor(x, y)
            for x in range(box.left(), box.right() + 1)
            for y in range(box.top(), box.bottom() + 1)
            if min(x - box.left(), box.right() - x, y - box.top(), box.bottom() - y) <= 2]
    assert band, box
    return max(band, key=lambda c: contrast(c, ground))


@pytest.mark.parametrize("panel", ["", "sidePanel"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_radio_buttons_and_check_boxes_show_their_edge(qtbot, qapp, scheme, panel):
    """The import dialog's "Skip / Merge / Add them again" in dark: an unselected circle was
    1.1:1 on the window, so "Merge them" read as a plain label; light's radio circles were
    2.1:1 and its empty check boxes 1.7:1. Every indicator, on or off, needs 3:1 (WCAG's
    non-text contrast) on the window and on a side panel."""
    from PySide6.QtWidgets import (
        QCheckBox,
        QRadioButton,
        QStyle,
        QStyleOptionButton,
        QVBoxLayout,
        QWidget,
    )

    theme.apply_theme(scheme, qapp)
    try:
        host = QWidget()
        host.setObjectName(panel)
        host.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        qtbot.addWidget(host)
        column = QVBoxLayout(host)
        skip, merge = QRadioButton("Skip them", host), QRadioButton("Merge them", host)
        ticked, empty = QCheckBox("Remember", host), QCheckBox("Remind me", host)
        skip.setChecked(True)
        ticked.setChecked(True)
        for widget in (skip, merge, ticked, empty):
            column.addWidget(widget)
        host.resize(300, 160)
        host.show()
        qtbot.waitExposed(host)
        image = host.grab().toImage()
        ground = image.pixelColor(host.width() - 3, host.height() // 2)
        for widget in (skip, merge, ticked, empty):
            option = QStyleOptionButton()
            option.initFrom(widget)
            element = (QStyle.SubElement.SE_CheckBoxIndicator if isinstance(widget, QCheckBox)
                       else QStyle.SubElement.SE_RadioButtonIndicator)
            box = widget.style().subElementRect(element, option, widget)
            box.translate(widget.mapTo(host, box.topLeft()) - box.topLeft())
            edge = _edge(image, box, ground)
            assert contrast(edge, ground) >= 3.0, (widget.text(), widget.isChecked(),
                                                   edge.name(), ground.name())
    finally:
        theme.apply_theme("light", qapp)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_check_boxes_in_a_list_show_their_edge_on_any_row(qtbot, qapp, scheme):
    """The focus list's ticks: on a plain row and on the selected one (dark's blue box was
    1.9:1 on the selected row's teal)."""
    from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QStyleOptionViewItem

    theme.apply_theme(scheme, qapp)
    try:
        listing = QListWidget()
        qtbot.addWidget(listing)
        for n, state in enumerate([Qt.CheckState.Unchecked, Qt.CheckState.Checked] * 2):
            item = QListWidgetItem(f"Person {n}", listing)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(state)
        listing.resize(240, 200)
        listing.show()
        qtbot.waitExposed(listing)
        listing.setFocus()
        listing.item(2).setSelected(True)
        listing.item(3).setSelected(True)
        qtbot.waitUntil(listing.hasFocus)
        image = listing.viewport().grab().toImage()
        for row in range(4):
            item = listing.item(row)
            rect = listing.visualItemRect(item)
            option = QStyleOptionViewItem()
            option.initFrom(listing)
            option.rect = rect
            option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
            option.text = item.text()
            box = listing.style().subElementRect(
                QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, listing)
            ground = image.pixelColor(rect.right() - 2, rect.center().y())
            edge = _edge(image, box, ground)
            assert contrast(edge, ground) >= 3.0, (row, edge.name(), ground.name())
    finally:
        theme.apply_theme("light", qapp)
