"""Shared helpers for the GUI tests: a populated database, a shown window, gestures.

The gestures are the ones a person makes: press / move in steps / release on the
canvas viewport, and the drag events Qt delivers when something is dropped from
the contact list (``QDrag.exec()`` cannot run offscreen, so the events are sent
directly, as in ``shared/examples/gui-testing``).
"""

from __future__ import annotations

import math
import os
import sqlite3
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from planner.domain.rings import RING_ORDER, Ring
from planner.ui.rings.geometry import RADIUS
from tests.helpers.stores import bound

WINDOW_SIZE = (1280, 820)


# -- data --------------------------------------------------------------------------------
def populate(
    path: Path,
    *,
    inner: int = 0,
    middle: int = 0,
    outer: int = 0,
    unplaced: int = 0,
    extra: dict | None = None,
) -> dict[str, int]:
    """Create ``path`` with people named "Inner 1", "Middle 3", "Outer 7", "Network 2"…

    ``extra`` maps more names to a ring (or None) and optional fields:
    ``{"Ada Lovelace": (Ring.INNER, {"email": "ada@example.org"})}``.
    Returns name → contact id. Everything is written in one transaction.
    """
    from planner.services import contacts
    from planner.storage.database import open_database
    from planner.storage.models import db_proxy

    ids: dict[str, int] = {}
    opened = open_database(str(path))
    try:
        with db_proxy.atomic():
            for ring, count in ((Ring.INNER, inner), (Ring.MIDDLE, middle), (Ring.OUTER, outer)):
                for n in range(1, count + 1):
                    name = f"{ring.label} {n}"
                    ids[name] = contacts.add_contact(bound(), name, ring=ring).id
            for n in range(1, unplaced + 1):
                name = f"Network {n}"
                ids[name] = contacts.add_contact(bound(), name).id
            for name, (ring, fields) in (extra or {}).items():
                ids[name] = contacts.add_contact(bound(), name, ring=ring, **fields).id
    finally:
        opened.close()
    return ids


def read_rows(path: Path, table: str) -> list[tuple]:
    """Every row of ``table``, read through a separate connection: what is really on disk."""
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
    finally:
        conn.close()


def dump_rings(path: Path) -> dict[str, list[tuple]]:
    """The placement and ring_move tables, for exact before/after comparisons."""
    return {table: read_rows(path, table) for table in ("placement", "ring_move")}


def placements(path: Path) -> dict[int, tuple[str, int]]:
    """contact id → (ring, position) as stored on disk."""
    conn = sqlite3.connect(str(path))
    try:
        rows = conn.execute("SELECT contact_id, ring, position FROM placement WHERE owner = ''")
        return {cid: (ring, pos) for cid, ring, pos in rows}
    finally:
        conn.close()


def ring_order(path: Path, ring: Ring) -> list[int]:
    """The ids on ``ring`` in their stored order around it."""
    places = placements(path)
    return [
        cid
        for cid, _ in sorted(
            ((cid, pos) for cid, (r, pos) in places.items() if r == ring.value),
            key=lambda item: item[1],
        )
    ]


# -- the window ----------------------------------------------------------------------------
def use_private_settings() -> Path:
    """Point QSettings at this test's private config folder, and empty it.

    Qt reads XDG_CONFIG_HOME once per process, so the per-test folder that
    ``isolated_home`` sets would otherwise be ignored after the first test.
    """
    folder = Path(os.environ["XDG_CONFIG_HOME"])
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    settings = QSettings()
    settings.clear()
    settings.sync()
    return folder


def open_window(
    qtbot,
    path: Path,
    *,
    watch: bool = False,
    fresh_settings: bool = True,
    size: tuple[int, int] | None = WINDOW_SIZE,
):
    """The real main window on ``path``, shown (offscreen) and fitted.

    ``size=None`` keeps whatever size the window restored from its settings.
    """
    from planner.app import build_main_window

    if fresh_settings:
        use_private_settings()
    window = build_main_window(str(path), watch=watch)
    qtbot.addWidget(window)
    if size is not None:
        window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.view.fit()
    settle_start(qtbot, window)
    return window


def settle_start(qtbot, window) -> None:
    """What the window does once its first frame is on screen (planner.ui.common.
    first_frame: This week, the reminders, the capture badge, the daily backup) is done,
    so a test starts from a window at rest (the day's backup made, as a person would
    find it a moment after the start)."""
    from planner.ui.common.first_frame import first_frame_done

    qtbot.waitUntil(lambda: first_frame_done(window), timeout=5000)
    job = getattr(window, "daily_backup_job", None)
    if job is not None:
        job.join(30)


def back_up_now(qtbot, window, timeout: int = 30000):
    """File → Back Up Now, waited for (the copy is made on a worker thread): the copy made,
    or None when the window said it failed."""
    transfer = window.transfer
    with qtbot.waitSignal(transfer.job_finished, timeout=timeout) as finished:
        window.window_actions.backup_now.trigger()
    return transfer.last_backup if finished.args == ["ok"] else None


def quick_animations(monkeypatch, ms: int = 50) -> None:
    """Nodes still glide (the same code runs), just faster, to keep the suite quick."""
    from planner.ui.rings import node_item

    monkeypatch.setattr(node_item, "ANIMATION_MS", ms)


def wait_settled(qtbot, window, timeout: int = 2000) -> None:
    """Wait until every node has finished gliding into its slot."""
    nodes = window.scene.nodes

    def settled() -> bool:
        return all(not n.is_animating() and near(n.pos(), n.slot_pos) for n in nodes.values())

    qtbot.waitUntil(settled, timeout=timeout)


def near(a: QPointF, b: QPointF, tolerance: float = 0.01) -> bool:
    """Two scene points are the same place (slots are computed with sin/cos)."""
    return abs(a.x() - b.x()) <= tolerance and abs(a.y() - b.y()) <= tolerance


def view_point(view, x: float, y: float) -> QPoint:
    """The viewport pixel showing scene point (x, y)."""
    return view.mapFromScene(QPointF(x, y))


def polar(radius: float, degrees: float) -> tuple[float, float]:
    """A scene point at ``radius`` from the centre; 0° is the top, clockwise (like slots)."""
    angle = math.radians(degrees - 90)
    return radius * math.cos(angle), radius * math.sin(angle)


def band_point(ring: Ring | None, degrees: float) -> tuple[float, float]:
    """A point in the middle of the area ``ring`` owns (None: outside the outer ring)."""
    if ring is None:
        return polar(RADIUS[Ring.OUTER] + 35, degrees)
    index = RING_ORDER.index(ring)
    inner = RADIUS[RING_ORDER[index - 1]] if index else 0.0
    return polar((inner + RADIUS[ring]) / 2, degrees)


# -- gestures -------------------------------------------------------------------------------
def move_pointer(widget, pos: QPoint) -> None:
    """Rest the pointer on ``widget`` at ``pos``: a mouse move the window system gives
    ``widget``'s own window, which Qt routes to the widget under it (hover, enter, leave).

    Not ``QTest.mouseMove(widget, …)``: offscreen, that moves the platform's cursor, and
    the move goes to the first shown window containing that point on the virtual screen,
    which need not be this one.
    """
    top = widget.window()
    QTest.mouseMove(top.windowHandle(), widget.mapTo(top, pos))


def double_click(widget, pos: QPoint) -> None:
    """A real double click on ``widget`` at ``pos``: press, release, the double-click press,
    release. Not ``QTest.mouseDClick`` alone: Qt 6's sends only the double-click press and
    leaves QTest's left button held, so every later QTest move in the process carries it
    (a hover becomes a drag: no hover at all, in whatever test comes next)."""
    left, plain = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mouseClick(widget, left, plain, pos)
    QTest.mouseDClick(widget, left, plain, pos)
    QTest.mouseRelease(widget, left, plain, pos)


def drag_on_viewport(view, start: QPoint, end: QPoint, steps: int = 10) -> None:
    """Press, move in steps, release — the way a person drags — on the view's viewport."""
    viewport = view.viewport()
    no_mod = Qt.KeyboardModifier.NoModifier
    move_pointer(viewport, start)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, no_mod, start)
    for k in range(1, steps + 1):
        QTest.mouseMove(viewport, start + (end - start) * (k / steps))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, no_mod, end)


def drag_dock_edge(qtbot, window, dock, dx: int, steps: int = 5) -> None:
    """Drag the splitter between ``dock`` and the middle of ``window`` by ``dx`` pixels,
    as a person does (the splitters are the main window's own; Qt moves them on a timer,
    so each step waits a moment)."""
    box = dock.geometry()
    x = box.right() + 3 if box.center().x() < window.width() // 2 else box.left() - 3
    start = QPoint(x, box.center().y())
    left, plain = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(window, left, plain, start)
    for k in range(1, steps + 1):
        QTest.mouseMove(window, start + QPoint(round(dx * k / steps), 0))
        qtbot.wait(20)
    QTest.mouseRelease(window, left, plain, start + QPoint(dx, 0))
    qtbot.wait(20)


def drag_node(window, contact_id: int, to: tuple[float, float], steps: int = 10) -> None:
    """Drag the node of ``contact_id`` to scene point ``to``."""
    view = window.view
    node = window.scene.nodes[contact_id]
    start = view.mapFromScene(node.pos())
    drag_on_viewport(view, start, view_point(view, *to), steps)


def _drag_event(cls, pos: QPointF, mime: QMimeData):
    args = (
        Qt.DropAction.MoveAction | Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    try:
        return cls(pos, *args)  # PySide6 6.12+: the QPoint constructors are deprecated
    except TypeError:
        return cls(pos.toPoint(), *args)  # before 6.12 drag enter/move take a QPoint


def send_drop(widget, mime: QMimeData, pos) -> bool:
    """Deliver drag-enter, drag-move and drop to ``widget``; True if the drop was accepted."""
    pos = QPointF(pos)
    for cls in (QDragEnterEvent, QDragMoveEvent):
        QApplication.sendEvent(widget, _drag_event(cls, pos, mime))
    drop = _drag_event(QDropEvent, pos, mime)
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()


def list_mime(window, contact_id: int) -> QMimeData:
    """What the contact list puts on the clipboard when a person's row is dragged."""
    model = window.contact_list.model
    row = model.row_of(contact_id)
    indexes = [model.index(row, col) for col in range(model.columnCount())]
    return model.mimeData(indexes)


def drop_from_list(window, contact_id: int, to: tuple[float, float]) -> bool:
    view = window.view
    return send_drop(view.viewport(), list_mime(window, contact_id), view_point(view, *to))
