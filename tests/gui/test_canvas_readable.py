"""A canvas a person can read (issue 20): names under the inner and middle nodes, initials
told apart on a ring (whole characters, unjoined Arabic), a hover card with the next due
date, the wheel zooming about the pointer, and a dark theme without a brown ring."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from planner.domain.initials import ZWNJ
from planner.domain.rings import Ring
from planner.ui.common import theme
from tests.gui.helpers import band_point, move_pointer, open_window, populate, view_point

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def people(db_path):
    return populate(db_path, inner=2, middle=4, outer=3, extra={
        "Mark Williams": (Ring.OUTER, {}), "Maria Wöhler": (Ring.OUTER, {}),
        "محمد علي": (Ring.MIDDLE, {}), "Émile Zola": (Ring.INNER, {})})


def label_of(node) -> str:
    label = node._label  # made when first shown
    return label.text() if label is not None and label.isVisible() else ""


def test_names_under_inner_and_middle_nodes_initials_on_the_outer(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    nodes = window.scene.nodes
    assert label_of(nodes[people["Émile Zola"]]) == "Émile Zola"  # inner: the full name
    assert label_of(nodes[people["Middle 2"]]) == "Middle"  # middle: the first name
    assert label_of(nodes[people["Mark Williams"]]) == ""  # outer: on hover
    # the labels keep a readable size whatever the zoom, while the nodes shrink
    view, node = window.view, nodes[people["Émile Zola"]]

    def on_screen(item) -> float:
        return item.deviceTransform(view.viewportTransform()).mapRect(
            item.boundingRect()).height()

    label, disc = on_screen(node._label), on_screen(node)
    assert label >= 14
    view.zoom_out()
    view.zoom_out()
    assert on_screen(node._label) == pytest.approx(label)
    assert on_screen(node) < disc * 0.8


def test_initials_are_unique_whole_and_unjoined(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    nodes = window.scene.nodes
    assert nodes[people["Mark Williams"]].initials == "MWi"
    assert nodes[people["Maria Wöhler"]].initials == "MWö"
    assert nodes[people["محمد علي"]].initials == f"م{ZWNJ}ع"
    assert nodes[people["Émile Zola"]].initials == "ÉZ"
    # a rename that ends the clash gives the short initials back
    from planner.document.commands import EditContactCommand

    window.document.push(EditContactCommand(window.document, people["Maria Wöhler"],
                                            {"name": "Maria Jones"}))
    assert nodes[people["Mark Williams"]].initials == "MW"
    assert nodes[people["Maria Wöhler"]].initials == "MJ"


def test_the_hover_card_says_ring_status_last_touch_and_next_due(qtbot, db_path, people):
    # another window shown before this one at the same spot of the screen: the pointer
    # resting on this window is not resting on that one (tests/gui/helpers.move_pointer)
    other = QWidget()
    qtbot.addWidget(other)
    other.setGeometry(2, 2, 1600, 1000)
    other.show()
    qtbot.waitExposed(other)
    window = open_window(qtbot, db_path)
    node = window.scene.nodes[people["Mark Williams"]]
    lines = node.toolTip().split("\n")
    assert lines[:3] == ["Mark Williams", "Outer ring · last touch never", "never contacted"]
    assert lines[3].startswith("next due ")
    # hovering shows the name at once
    assert other.geometry().contains(window.geometry())
    viewport = window.view.viewport()
    move_pointer(viewport, QPoint(2, 2))
    move_pointer(viewport, window.view.mapFromScene(node.pos()))
    qtbot.waitUntil(lambda: label_of(node) == "Mark Williams")


def test_an_outer_name_made_on_hover_is_the_current_one(qtbot, db_path, people):
    """An outer node's name is measured only when first shown (issue 23): a rename
    before that, and a move to the middle ring after it, show what is true now."""
    window = open_window(qtbot, db_path)
    editing = window.document.editing
    person = people["Mark Williams"]
    assert editing.edit_contact(person, {"name": "Marcus Webb"})
    node = window.scene.nodes[person]
    assert label_of(node) == ""  # not hovered: no name under an outer node
    move_pointer(window.view.viewport(), QPoint(2, 2))
    move_pointer(window.view.viewport(), window.view.mapFromScene(node.pos()))
    qtbot.waitUntil(lambda: label_of(node) == "Marcus Webb")
    move_pointer(window.view.viewport(), QPoint(2, 2))
    qtbot.waitUntil(lambda: label_of(node) == "")
    assert editing.move(person, Ring.MIDDLE)  # the middle ring: the first name, always
    qtbot.waitUntil(lambda: label_of(window.scene.nodes[person]) == "Marcus")


def _wheel(view, at: QPoint, notches: int, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    position = QPointF(at)
    event = QWheelEvent(position, QPointF(view.viewport().mapToGlobal(at)), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton, modifiers,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)


def test_the_plain_wheel_zooms_about_the_pointer(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    view = window.view
    fitted = view.transform().m11()
    pointer = view_point(view, *band_point(Ring.OUTER, 60))
    under = view.mapToScene(pointer)
    _wheel(view, pointer, 2)
    assert view.transform().m11() == pytest.approx(fitted * 1.2 ** 2)
    moved = view.mapFromScene(under) - pointer
    assert abs(moved.x()) <= 2 and abs(moved.y()) <= 2  # still under the pointer
    # the keys zoom about the centre of the view
    view.fit()
    centre = view.viewport().rect().center()
    middle = view.mapToScene(centre)
    QTest.keyClick(view, Qt.Key.Key_Equal, CTRL)
    assert view.transform().m11() == pytest.approx(fitted * 1.2)
    moved = view.mapFromScene(middle) - centre
    assert abs(moved.x()) <= 2 and abs(moved.y()) <= 2


@pytest.fixture
def dark():
    app = QApplication.instance()
    theme.apply_theme("dark", app)
    yield
    theme.apply_theme("light", app)


def _hue_saturation(color: QColor) -> tuple[int, int]:
    return color.hsvHue(), color.hsvSaturation()


def test_the_dark_theme_has_no_brown_ring_and_readable_buttons(qtbot, db_path, people, dark):
    window = open_window(qtbot, db_path)
    window.scene.update()
    image = window.view.viewport().grab().toImage()
    point = view_point(window.view, *band_point(Ring.MIDDLE, 135))
    band = image.pixelColor(point)
    # a faint warm tint on the dark ground, not a brown: dark and barely saturated
    assert band.lightness() < 60 and band.hsvSaturation() < 90, band.name()
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Ok).icon().isNull()
    sheet = QApplication.instance().styleSheet()
    assert "check-light.svg" in sheet and "@RESOURCES@" not in sheet


def test_the_self_test_names_the_scripts_without_a_font(qapp):
    from PySide6.QtGui import QFontDatabase

    from planner import selftest

    missing = selftest.missing_scripts()
    for system, label in selftest.SCRIPTS:
        has_font = bool(QFontDatabase.families(getattr(QFontDatabase.WritingSystem, system)))
        assert (label in missing) is not has_font
    line = selftest._fonts()
    assert line == "every script has a font" if not missing else all(
        label in line for label in missing)


def _brightest(widget) -> float:
    image = widget.grab().toImage()
    return max(QColor(image.pixel(x, y)).lightnessF()
               for x in range(0, image.width(), 1) for y in range(image.height()))


def test_in_the_dark_theme_what_is_disabled_looks_disabled(qtbot, dark):
    """A disabled check box's label was as bright as an enabled one's in the dark theme
    ("Remember the password…" with no keyring looked usable, and did nothing)."""
    from PySide6.QtWidgets import QCheckBox, QLineEdit

    for make in (lambda: QCheckBox("Remember the password"), lambda: QLineEdit("a URL")):
        enabled, disabled = make(), make()
        disabled.setEnabled(False)
        for widget in (enabled, disabled):
            qtbot.addWidget(widget)
            widget.resize(260, 30)
            widget.show()
            qtbot.waitExposed(widget)
        bright = _brightest(enabled)
        assert bright > 0.8, type(enabled).__name__  # readable text on the dark window
        assert _brightest(disabled) < bright - 0.25, type(disabled).__name__  # plainly dimmer


def on_screen(view, item):
    """Where ``item`` is drawn in the view's viewport (a name ignores the zoom)."""
    return item.deviceTransform(view.viewportTransform()).mapRect(item.boundingRect())


def names_in_the_way(window) -> list[tuple[str, str]]:
    """(name, whose) for every name shown under a node that runs into another name shown
    or into another person's node."""
    view, nodes = window.view, list(window.scene.nodes.values())
    names = [(node, on_screen(view, node._label).adjusted(1, 1, -1, -1)) for node in nodes
             if node._label is not None and node._label.isVisible()]
    found = []
    for node, rect in names:
        found += [(node.name, other.name) for other in nodes
                  if other is not node and rect.intersects(on_screen(view, other))]
        found += [(node.name, f"{other.name}'s name") for other, shown in names
                  if other is not node and rect.intersects(shown)]
    return found


def test_names_on_the_rings_stay_out_of_each_others_way(qtbot, db_path):
    """A long inner name ran over the middle ring's node beside it ("Agnieszka
    Lewandowska" over Arjun); in a small window every inner and middle name ran into its
    neighbours. A long name is cut (the hover card has it whole); on a canvas too small
    for the names they show on hover only, and come back when there is room."""
    ids = populate(db_path, middle=12, outer=72, extra={
        "Femke de Jong": (Ring.INNER, {}), "Agnieszka Lewandowska": (Ring.INNER, {}),
        "Andrés Fernández": (Ring.INNER, {})})
    window = open_window(qtbot, db_path)
    long_one = window.scene.nodes[ids["Agnieszka Lewandowska"]]
    assert label_of(long_one).startswith("Agnieszka") and label_of(long_one).endswith("…")
    assert label_of(window.scene.nodes[ids["Andrés Fernández"]]) == "Andrés Fernández"
    assert names_in_the_way(window) == []

    window.resize(400, 300)  # as small as the window goes
    qtbot.waitUntil(lambda: window.view.width() < 500)
    qtbot.wait(50)
    assert names_in_the_way(window) == []
    assert label_of(long_one) == ""
    move_pointer(window.view.viewport(), window.view.mapFromScene(long_one.pos()))
    qtbot.waitUntil(lambda: label_of(long_one) != "")  # the pointer on it: its name

    window.resize(1280, 820)
    qtbot.waitUntil(lambda: window.view.width() > 500)
    qtbot.wait(50)
    assert label_of(window.scene.nodes[ids["Femke de Jong"]]) == "Femke de Jong"
