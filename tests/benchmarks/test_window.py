"""The open window: canvas repaint, drag commit and logging a touchpoint, in-process."""

from __future__ import annotations

import time

import pytest

from tests.benchmarks.harness import Figure, fmt_value, median, p95, paired
from tests.helpers.stores import bound


@pytest.fixture
def open_window(qtbot, db_copy):
    """The real window (``build_main_window``) on a private copy of a cached database."""
    from planner.app import build_main_window

    windows = []

    def _open(source):
        window = build_main_window(str(db_copy(source)), watch=False)
        qtbot.addWidget(window)
        window.resize(1280, 820)
        window.show()
        qtbot.waitExposed(window)
        settle(window)
        # Start-up's background work is done: the people search index is built on a
        # worker thread after the first frame (a second or so at 10,000 people), and while
        # it runs each statement of the GUI thread waits its turn for the interpreter lock
        # (up to 5 ms a switch). What is timed here is the window in use, not starting.
        model = window.contact_list.model
        if window.document.database.target.kind == "sqlite":
            qtbot.waitUntil(model.search_index_ready, timeout=60_000)
        windows.append(window)
        return window

    yield _open
    for window in windows:
        window.close()


def settle(window, ms: int = 250) -> None:
    """Let animations finish and deferred work run (not part of any timing)."""
    from PySide6.QtCore import QDeadlineTimer, QEventLoop
    from PySide6.QtWidgets import QApplication

    deadline = time.perf_counter() + ms / 1000
    while time.perf_counter() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, QDeadlineTimer(20))


class Rebind:
    """Run a call against another database (the models use one proxy), then switch back."""

    def __init__(self, path):
        from planner.storage.database import connect_sqlite
        from planner.storage.models import db_proxy

        self.proxy = db_proxy
        self.db = connect_sqlite(path)
        self.db.connect()

    def __call__(self, fn):
        home = self.proxy.obj
        self.proxy.initialize(self.db)
        try:
            start = time.perf_counter()
            fn()
            return time.perf_counter() - start
        finally:
            self.proxy.initialize(home)

    def close(self) -> None:
        self.db.close()


# -- canvas --------------------------------------------------------------------------------
def plain_copy(view):
    """The baseline: the same view size, transform and render hints showing the same
    circles (rings, nodes with a halo) as Qt's own C++ QGraphicsEllipseItems."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QBrush, QColor, QPen
    from PySide6.QtWidgets import QGraphicsScene, QGraphicsView

    from planner.ui.rings.geometry import RADIUS

    scene = QGraphicsScene(view.scene().sceneRect())
    for ring in view.scene().rings:
        r = RADIUS[ring]
        scene.addEllipse(QRectF(-r, -r, 2 * r, 2 * r), QPen(QColor("#888"), 2))
    for node in view.scene().nodes.values():
        r, c = node.radius, node.scenePos()
        scene.addEllipse(QRectF(c.x() - r - 3, c.y() - r - 3, 2 * r + 6, 2 * r + 6),
                         QPen(QColor("#3a3"), 5))
        scene.addEllipse(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r), QPen(QColor("white")),
                         QBrush(QColor("#36c")))
    plain = QGraphicsView(scene)
    plain.setRenderHints(view.renderHints())
    plain.resize(view.size())
    plain.setTransform(view.transform())
    plain.centerOn(view.mapToScene(view.viewport().rect().center()))
    plain._scene = scene  # keep it alive
    return plain


def test_canvas_full_repaint(benchmark, figures, qtbot, open_window, rings_db):
    """A synchronous repaint of the whole canvas viewport with every ring full."""
    window = open_window(rings_db)
    assert [count for count, _cap in window.document.fill().values()] == [3, 12, 72]
    viewport = window.view.viewport()
    plain = plain_copy(window.view)
    qtbot.addWidget(plain)
    plain.show()
    qtbot.waitExposed(plain)
    settle(plain)  # until its first frame is out, a repaint() of it draws nothing

    def repaint(widget):
        def run() -> float:
            start = time.perf_counter()
            widget.repaint()
            return time.perf_counter() - start

        return run

    m, b = paired(benchmark, repaint(viewport), repaint(plain.viewport()), rounds=60, warmup=5)
    size = viewport.size()
    figures.add(Figure(
        "03", f"Canvas full repaint, rings full (87 nodes), viewport {size.width()}×"
              f"{size.height()} px, DPR {viewport.devicePixelRatio():g}",
        median(m), median(b), baseline_name="the same circles as plain C++ ellipse items",
        target="< 16 ms", met=median(m) < 0.016,
        detail=f"median of {len(m)}, p95 {fmt_value(p95(m))}"))


def test_drag_commit(benchmark, figures, open_window, rings_db, db_copy):
    """document.move — what a node's release commits: one transaction, the document
    refreshed, the scene's nodes sent to their new slots (their glide is animated
    afterwards, by the event loop, and is not part of the commit)."""
    from planner.domain.rings import Ring
    from planner.services.placement import move_contact

    window = open_window(rings_db)
    document = window.document
    outer = [c.id for c in document.ring_members(Ring.OUTER)]
    mover = outer[len(outer) // 2]
    targets = iter(range(10_000))
    baseline_db = Rebind(db_copy(rings_db, "baseline.db"))

    def drag() -> float:
        position = 0 if next(targets) % 2 else 71  # first and last slot: everyone shifts
        start = time.perf_counter()
        assert document.move(mover, Ring.OUTER, position=position)
        elapsed = time.perf_counter() - start
        settle(window, 30)
        return elapsed

    base_targets = iter(range(10_000))

    def service_only() -> float:
        position = 0 if next(base_targets) % 2 else 71
        return baseline_db(lambda: move_contact(bound(), mover, Ring.OUTER, position=position))

    try:
        m, b = paired(benchmark, drag, service_only, rounds=100, warmup=3)
    finally:
        baseline_db.close()
    floor = commit_floor(db_copy(rings_db, "floor.db"))
    figures.add(Figure(
        "04", "Drag commit (reorder on the full outer ring): database + document + scene",
        median(m), median(b), baseline_name="placement service alone",
        target="p95 < 5 ms", met=p95(m) < 0.005,
        detail=f"median of {len(m)}, p95 {fmt_value(p95(m))}, max {fmt_value(max(m))}; "
               f"a bare one-row sqlite3 "
               f"commit (WAL, synchronous=FULL) on this disk: {fmt_value(floor)}"))


def commit_floor(path) -> float:
    """What one durable commit costs here: plain sqlite3, one row, same pragmas."""
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("PRAGMA synchronous=2")
    samples = []
    for n in range(30):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE placement SET position = position WHERE rowid = ?", (n % 5 + 1,))
        conn.execute("COMMIT")
        samples.append(time.perf_counter() - start)
    conn.close()
    return median(samples)


def test_log_touchpoint(benchmark, figures, open_window, big_db, db_copy):
    """Logging through the window's undo command (what the log dialog's Enter does): the
    database, the person's last touch everywhere, both timelines and the focus list."""
    from planner.document.log_commands import LogTouchpointCommand
    from planner.domain.rings import Ring
    from planner.services.touchpoints import log_touchpoint

    window = open_window(big_db)
    document = window.document
    person = document.ring_members(Ring.INNER)[0].id
    window.select(person)  # the person panel shows their timeline
    settle(window)
    before = window.person.timeline_model.entry_count() if hasattr(
        window.person, "timeline_model") else None
    baseline_db = Rebind(db_copy(big_db, "baseline.db"))

    def log() -> float:
        start = time.perf_counter()
        command = LogTouchpointCommand(document, person, "coffee", None, 30, "Benchmark coffee")
        assert document.push(command)
        elapsed = time.perf_counter() - start
        settle(window, 20)
        return elapsed

    def service_only() -> float:
        return baseline_db(lambda: log_touchpoint(bound(), person, "coffee", minutes=30,
                                                  note="Benchmark coffee"))

    try:
        m, b = paired(benchmark, log, service_only, rounds=100, warmup=2)
    finally:
        baseline_db.close()
    if before is not None:  # the new entries are on top of the person's timeline
        assert window.person.timeline_model.entry_count() >= min(before + 1, 100)
    figures.add(Figure(
        "08", "Log a touchpoint through the undo command, 10k / 200k (database + views)",
        median(m), median(b), baseline_name="touchpoint service alone",
        target="p95 < 5 ms", met=p95(m) < 0.005,
        detail=f"median of {len(m)}, p95 {fmt_value(p95(m))}, "
               f"max {fmt_value(max(m))}"))
