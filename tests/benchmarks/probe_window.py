"""A window process for the start-up and memory benchmarks (run by harness.run_window).

    probe_window.py app  --db FILE [--nodes N] [--settle S]   # the real `planner --db FILE`
    probe_window.py bare [--settle S]                         # a bare QMainWindow
    probe_window.py floor --db FILE [--settle S]              # the first frame, no app code

Prints one JSON line once the first frame is painted:
``t_qt`` (CLOCK_MONOTONIC right after ``import PySide6.QtWidgets``), for the app
``t_imports`` (the command line read, the QApplication made and the window's modules
imported), ``t_document`` (database open, the placed people loaded) and ``t_built`` (the
window built), then ``t_painted``
(after the first frame showing the rings with their N people and the contact list
with rows), ``rss_painted_kb`` then, and ``rss_settled_kb`` after ``--settle``
more seconds of event loop (work deferred past the first frame included). Then
it exits at once with os._exit (tear-down is not part of the figure).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time


def peak_rss_kb() -> int:
    """This process's peak RSS in KiB. Linux: VmHWM, the high-water mark of this
    program's own memory. ru_maxrss is not used there: it keeps the peak of the process
    before exec(), i.e. of the forked parent (a big pytest process), and said 116 MB for
    a bare window that needs 57."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("app", "bare", "floor"))
    parser.add_argument("--db")
    parser.add_argument("--nodes", type=int, default=0)
    parser.add_argument("--settle", type=float, default=0.5)
    args = parser.parse_args()

    from PySide6 import QtWidgets  # noqa: F401  (the Qt import; t_qt is taken after it)

    t_qt = time.monotonic()
    state = {"t_qt": t_qt}

    def arm(window, targets, ready, counts) -> None:
        """Report once every target widget has painted a frame in which ``ready()``, with
        ``counts(window)`` (the canvas's nodes and the list's rows) once it has settled."""
        from PySide6.QtCore import QEvent, QObject, QTimer

        painted: set = set()

        class PaintWatcher(QObject):
            def eventFilter(self, obj, event):
                if (event.type() == QEvent.Type.Paint and obj in targets
                        and obj not in painted and ready(obj)):
                    painted.add(obj)
                    if len(painted) == len(targets):
                        # the frame is done when control is back in the event loop
                        QTimer.singleShot(0, painted_frame)
                return False

        def painted_frame() -> None:
            if "t_painted" in state:
                return
            state["t_painted"] = time.monotonic()
            state["rss_painted_kb"] = peak_rss_kb()
            QTimer.singleShot(int(args.settle * 1000), settled)

        def settled() -> None:
            state["rss_settled_kb"] = peak_rss_kb()
            nodes, rows = counts(window)
            state.update(nodes=nodes, rows=rows)
            sys.stdout.write(json.dumps(state) + "\n")
            sys.stdout.flush()
            os._exit(0)

        watcher = PaintWatcher(window)
        for target in targets:  # (not the whole application's events: a Python call for
            target.installEventFilter(watcher)  # each would be the probe's cost, not the app's)
        window._paint_watcher = watcher  # keep it alive

    if args.mode == "bare":
        from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        # the size the app's window takes at first start on this screen (1280×760 where
        # there is room for it and a title bar: planner.ui.common.window_layout.first_size,
        # not imported here, to keep the bare window bare)
        free = app.primaryScreen().availableGeometry()
        window.resize(min(1280, free.width() - 16), min(760, free.height() - 48))
        central = QWidget(window)
        window.setCentralWidget(central)

        def counts(_window):
            return 0, 0

        arm(window, {central}, lambda _obj: True, counts)
        window.show()
        app.exec()
        return

    if args.mode == "floor":
        floor_window(args.db, arm)
        return

    # The real start-up path: `planner --db FILE`, with a watcher attached to the window.
    # Nothing of the app is imported ahead (that would change what start-up does, e.g.
    # when its garbage collector is paused): the app says when each step ends
    # (planner.app.on_startup_step), and the window is caught as build_main_window
    # returns it.
    import planner.app as app_module
    from planner.cli import main as planner_main

    def step(name: str) -> None:
        state.setdefault(f"t_{name}", time.monotonic())

    app_module.on_startup_step = step
    build = app_module.build_main_window

    def counts(window):
        scene_nodes = len(getattr(window.scene, "nodes", ()))
        list_rows = window.contact_list.view.model().rowCount()
        return scene_nodes, list_rows

    def build_and_watch(*a, **kw):
        window = build(*a, **kw)
        state["t_built"] = time.monotonic()
        canvas = window.view.viewport()
        people = window.contact_list.view.viewport()

        def ready(obj) -> bool:
            nodes, rows = counts(window)
            if obj is canvas:
                return nodes >= args.nodes
            return rows > 0

        arm(window, {canvas, people}, ready, counts)
        return window

    app_module.build_main_window = build_and_watch
    # as the `planner` script calls it: the whole process is the command's (see
    # planner.cli.main: the command line may shape its own process's start-up)
    sys.argv = ["planner", "--db", args.db]
    planner_main()
    sys.stderr.write("the window closed before its first frame was painted\n")
    sys.exit(3)


def floor_window(database: str, arm) -> None:
    """The first frame the app paints, written as one plain PySide6 program with none of
    the app's code: the 87 placed people on three rings (a node with initials and the
    name under it) and the first 50 rows of the people list (name, ring, last touch), read
    with sqlite3 from the same file, in docks beside the canvas, under a menu bar of 6
    menus and 48 actions, a tool bar and a status bar. It is what any window showing that
    frame pays for Qt and Python (the `Qt` namespace's enums, the views' classes, a model
    in Python, painting text): the floor under the app's start-up (issue 23)."""
    import math
    import sqlite3

    from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRectF, Qt
    from PySide6.QtGui import QAction, QBrush, QColor, QPainter, QPen
    from PySide6.QtWidgets import (
        QApplication,
        QDockWidget,
        QGraphicsItem,
        QGraphicsObject,
        QGraphicsScene,
        QGraphicsView,
        QLineEdit,
        QMainWindow,
        QTableView,
        QVBoxLayout,
        QWidget,
    )

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    free = app.primaryScreen().availableGeometry()
    window.resize(min(1280, free.width() - 16), min(760, free.height() - 48))
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    placed = connection.execute(
        "SELECT c.name, p.ring FROM placement p JOIN contact c ON c.id = p.contact_id "
        "WHERE c.deleted_at IS NULL ORDER BY p.ring, p.position").fetchall()
    rows = connection.execute(
        "SELECT c.name, coalesce(p.ring, ''), (SELECT t.at FROM touchpoint t WHERE "
        "t.contact_id = c.id ORDER BY t.at DESC LIMIT 1) FROM contact c LEFT JOIN "
        "placement p ON p.contact_id = c.id WHERE c.deleted_at IS NULL "
        "ORDER BY c.name COLLATE NOCASE, c.id LIMIT 50").fetchall()

    class Node(QGraphicsObject):
        def __init__(self, name: str):
            super().__init__()
            self.name = name
            self.initials = "".join(word[0] for word in name.split()[:2])
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable)
            self.setAcceptHoverEvents(True)

        def boundingRect(self):
            return QRectF(-45, -18, 90, 40)

        def paint(self, painter, _option, _widget=None):
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setBrush(QBrush(QColor("#4f7cac")))
            painter.setPen(QPen(QColor("#23364d"), 2))
            circle = QRectF(-14, -14, 28, 28)
            painter.drawEllipse(circle)
            painter.setPen(QColor("white"))
            painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, self.initials)
            painter.setPen(QColor("black"))
            painter.drawText(QRectF(-45, 15, 90, 16), Qt.AlignmentFlag.AlignCenter, self.name)

    scene = QGraphicsScene()
    radii = {"inner": 110, "middle": 230, "outer": 350}
    for radius in radii.values():
        scene.addEllipse(-radius, -radius, 2 * radius, 2 * radius, QPen(QColor("#9aa5b1")))
    on_ring: dict[str, int] = {}
    nodes = []
    for name, ring in placed:
        place = on_ring[ring] = on_ring.get(ring, -1) + 1
        angle = 2 * math.pi * place / {"inner": 3, "middle": 12}.get(ring, 72)
        node = Node(name)
        scene.addItem(node)
        node.setPos(radii.get(ring, 350) * math.cos(angle), radii.get(ring, 350) * math.sin(angle))
        nodes.append(node)
    view = QGraphicsView(scene)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    window.setCentralWidget(view)

    class People(QAbstractTableModel):
        def rowCount(self, parent=QModelIndex()):  # noqa: B008
            return 0 if parent.isValid() else len(rows)

        def columnCount(self, parent=QModelIndex()):  # noqa: B008
            return 3

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if role == Qt.ItemDataRole.DisplayRole:
                return str(rows[index.row()][index.column()] or "")[:16]
            return None

    table = QTableView()
    table.setModel(People(table))
    panel = QWidget()
    layout = QVBoxLayout(panel)
    layout.addWidget(QLineEdit())
    layout.addWidget(table)
    for title, area, widget in (("People", Qt.DockWidgetArea.LeftDockWidgetArea, panel),
                                ("Person", Qt.DockWidgetArea.RightDockWidgetArea, QWidget())):
        dock = QDockWidget(title, window)
        dock.setWidget(widget)
        window.addDockWidget(area, dock)
    toolbar = window.addToolBar("Main")
    for title in ("File", "Edit", "Log", "View", "Go", "Help"):
        menu = window.menuBar().addMenu(title)
        for number in range(8):
            action = QAction(f"{title} {number}", window)
            menu.addAction(action)
            if number < 2:
                toolbar.addAction(action)
    window.statusBar().showMessage("Ready")

    def counts(_window):
        return len(nodes), table.model().rowCount()

    arm(window, {view.viewport(), table.viewport()}, lambda _obj: True, counts)
    window.show()
    app.exec()


if __name__ == "__main__":
    main()
