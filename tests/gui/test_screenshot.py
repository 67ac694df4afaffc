"""A screenshot of the window with a realistic data set: the rings are where they should be.

It uses the README screenshot script's own data and window, so the script stays working.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QColor, QImage

from planner.domain.rings import RING_ORDER, Ring
from planner.ui.common.palette import RING_COLORS
from planner.ui.rings.geometry import RADIUS
from tests.gui.helpers import polar, use_private_settings

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "docs" / "make_screenshot.py"


def load_script():
    spec = importlib.util.spec_from_file_location("make_screenshot", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def distance(a: QColor, b: QColor) -> int:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue()))


def closest(image: QImage, at: QPoint, color: QColor, reach: int = 1) -> int:
    """How near the pixels around ``at`` (±reach) come to ``color`` (0 = exactly)."""
    return min(
        distance(image.pixelColor(at.x() + dx, at.y() + dy), color)
        for dx in range(-reach, reach + 1)
        for dy in range(-reach, reach + 1)
    )


@pytest.fixture(scope="module")
def script():
    return load_script()


@pytest.fixture(scope="module")
def demo(tmp_path_factory, script):
    """The demo database, built once for this module (the tests only read it)."""
    database = tmp_path_factory.mktemp("demo") / "demo.db"
    return database, script.build_demo_database(database)


@pytest.fixture
def shot(qtbot, tmp_path, script, demo):
    use_private_settings()
    database, ids = demo
    window = script.show_window(database, size=(1400, 900))
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    # the picture once the layout has settled: work done after the first frame can move
    # the panels (with a theme's style sheet applied by an earlier test, the rings came
    # 9 px from where the view maps them afterwards, and the test failed in that order)
    view = window.view

    def placed():
        return view.viewport().mapTo(window, QPoint(0, 0)), view.transform().m11()

    seen = [placed()]

    def settled() -> bool:
        qtbot.wait(50)
        seen.append(placed())
        return seen[-1] == seen[-2]

    qtbot.waitUntil(settled, timeout=5000)
    path = tmp_path / "screenshot.png"
    assert window.grab().save(str(path))
    image = QImage(str(path))
    return window, image, ids


def in_window(window, x: float, y: float) -> QPoint:
    """Where scene point (x, y) lands in the window's picture."""
    view = window.view
    return view.viewport().mapTo(window, view.mapFromScene(QPointF(x, y)))


def test_the_demo_data_fills_the_rings(shot):
    window, image, ids = shot
    assert (image.width(), image.height()) == (1400, 900)
    fill = window.document.fill()
    assert fill == {Ring.INNER: (3, 3), Ring.MIDDLE: (12, 12), Ring.OUTER: (72, 72)}
    unplaced = [c for c in window.document.contacts() if c.ring is None]
    assert len(unplaced) >= 20
    assert len(ids) == 87 + len(unplaced)
    assert window.person.contact_id is not None  # someone is selected for the picture
    assert not window.toast.isVisible()


def test_the_rings_are_drawn_where_they_are(shot):
    window, image, _ = shot
    view = window.view
    assert view.viewport().rect().contains(view.mapFromScene(QPointF(RADIUS[Ring.OUTER], 0)))
    colors = {ring: QColor(RING_COLORS[ring]) for ring in RING_ORDER}

    # Inner (3 people at 0°, 120°, 240°) and middle (12, every 30°): the ring line shows
    # between the people.
    for ring, angles in ((Ring.INNER, (60, 180, 300)), (Ring.MIDDLE, (15, 105, 195, 285))):
        for angle in angles:
            at = in_window(window, *polar(RADIUS[ring], angle))
            assert closest(image, at, colors[ring]) <= 40, (ring, angle, at)
            others = [c for r, c in colors.items() if r != ring]
            assert all(closest(image, at, c, reach=0) > 60 for c in others)

    # A full outer ring (72 people, every 5°) is all people: their discs wear its colour.
    for angle in (0, 45, 90, 180, 270):
        at = in_window(window, *polar(RADIUS[Ring.OUTER] + 9, angle))
        assert closest(image, at, colors[Ring.OUTER]) <= 40, angle

    # The empty middle of the inner disc and the margin outside are not ring-coloured.
    for point in (polar(60, 180), polar(RADIUS[Ring.OUTER] + 45, 45)):
        at = in_window(window, *point)
        assert all(distance(image.pixelColor(at), c) > 80 for c in colors.values()), point
    # …but the bands are tinted: inner band redder than the outside margin.
    inside = image.pixelColor(in_window(window, *polar(60, 180)))
    outside = image.pixelColor(in_window(window, *polar(RADIUS[Ring.OUTER] + 45, 45)))
    assert inside.red() - inside.green() > outside.red() - outside.green()


def test_the_screenshot_script_writes_a_png(tmp_path):
    out = tmp_path / "docs" / "shot.png"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 900)
