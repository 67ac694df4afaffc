"""The side panels keep the width a person dragged them to: a window made small and large
again, or closed small and opened large, gives People and Person back their widths
instead of leaving them at their minimum (names cut, the person cramped)."""

from __future__ import annotations

from planner.ui.common.window_layout import SIDE_MINIMUM_WIDTH, SIDE_WIDTH
from tests.gui.helpers import drag_dock_edge, open_window, populate

LAPTOP = (1366, 768)
SMALL = (900, 500)  # (or the window's minimum, where that is more)


def settle(qtbot, window, size) -> None:
    least = window.minimumSizeHint()
    wanted = (max(size[0], least.width()), max(size[1], least.height()))
    window.resize(*wanted)
    qtbot.waitUntil(lambda: window.size().toTuple() == wanted)
    qtbot.wait(50)  # (the docks take their widths once the resizes are over)


def test_a_dragged_width_comes_back_when_the_window_grows_again(qtbot, db_path):
    populate(db_path, inner=3, middle=12, outer=20, unplaced=10)
    window = open_window(qtbot, db_path, size=LAPTOP)
    qtbot.waitUntil(lambda: window.people_dock.width() == SIDE_WIDTH)
    drag_dock_edge(qtbot, window, window.people_dock, 60)
    qtbot.waitUntil(lambda: window.people_dock.width() == SIDE_WIDTH + 60)
    drag_dock_edge(qtbot, window, window.person_dock, -30)  # (leftwards: wider)
    qtbot.waitUntil(lambda: window.person_dock.width() == SIDE_WIDTH + 30)

    settle(qtbot, window, SMALL)
    # a smaller window: their share of it (the rings keep room), never below the minimum
    assert SIDE_MINIMUM_WIDTH <= window.people_dock.width() < SIDE_WIDTH + 60
    assert window.view.viewport().width() >= 300
    settle(qtbot, window, LAPTOP)
    qtbot.waitUntil(lambda: window.people_dock.width() == SIDE_WIDTH + 60)
    qtbot.waitUntil(lambda: window.person_dock.width() == SIDE_WIDTH + 30)


def test_a_layout_saved_in_a_small_window_does_not_squeeze_a_large_one(qtbot, db_path):
    populate(db_path, inner=3, middle=12, outer=20, unplaced=10)
    first = open_window(qtbot, db_path, size=LAPTOP)
    qtbot.waitUntil(lambda: first.person_dock.width() == SIDE_WIDTH)
    drag_dock_edge(qtbot, first, first.person_dock, -40)
    qtbot.waitUntil(lambda: first.person_dock.width() == SIDE_WIDTH + 40)
    settle(qtbot, first, SMALL)
    qtbot.waitUntil(lambda: first.people_dock.width() < SIDE_WIDTH - 40)
    first.close()  # (the layout is saved with both panels squeezed)

    second = open_window(qtbot, db_path, fresh_settings=False, size=LAPTOP)
    qtbot.waitUntil(lambda: second.people_dock.width() == SIDE_WIDTH)
    qtbot.waitUntil(lambda: second.person_dock.width() == SIDE_WIDTH + 40)
