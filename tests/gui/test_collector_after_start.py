"""What the window's start made is kept out of the garbage collector's full collections
while the window lives (planner.app.keep_start_up_out_of_collections), and given back
when the window goes (or, while another window is open, frozen again without it)."""

from __future__ import annotations

import gc

from tests.gui.helpers import open_window, populate

FEW = 1_000  # against some 70,000 frozen while a window lives


def test_start_up_objects_are_frozen_while_the_window_lives_and_thawed_after(qtbot, db_path):
    gc.unfreeze()  # whatever an earlier test left
    populate(db_path)
    window = open_window(qtbot, db_path)
    # the modules, classes and widgets of the start (and of the test process before it):
    # none of them is walked by a full collection any more
    assert gc.get_freeze_count() > 50_000
    walked = len(gc.get_objects())
    assert walked < gc.get_freeze_count() / 5

    gone = []
    window.destroyed.connect(lambda *_: gone.append(True))
    window.close()
    window.deleteLater()
    qtbot.waitUntil(lambda: bool(gone), timeout=5000)
    del window  # pytest-qt closes what is left of a test's windows: there is none
    gc.collect()
    # nothing of the closed window stays out of reach of the collector (Python 3.12 counts
    # a few hundred objects of its own as frozen after any collection)
    assert gc.get_freeze_count() < FEW


def test_closing_one_of_two_windows_keeps_the_other_frozen(qtbot, db_path, tmp_path):
    """A switch of database shows the new window before the old one goes."""
    gc.unfreeze()
    populate(db_path)
    first = open_window(qtbot, db_path)
    second = open_window(qtbot, tmp_path / "second.db")
    frozen = gc.get_freeze_count()
    assert frozen > 50_000

    gone = []
    first.destroyed.connect(lambda *_: gone.append(True))
    first.close()
    first.deleteLater()
    qtbot.waitUntil(lambda: bool(gone), timeout=5000)
    del first
    assert gc.get_freeze_count() < FEW  # thawed: what the first left can be collected
    # the second window's start-up, frozen again a moment later
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 50_000, timeout=5000)
    assert len(gc.get_objects()) < gc.get_freeze_count() / 5

    gone.clear()
    second.destroyed.connect(lambda *_: gone.append(True))
    second.close()
    second.deleteLater()
    qtbot.waitUntil(lambda: bool(gone), timeout=5000)
    del second
    gc.collect()
    assert gc.get_freeze_count() < FEW
