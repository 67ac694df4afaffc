"""A window process for the start-up and memory benchmarks (run by harness.run_window).

    probe_window.py app  --db FILE [--nodes N] [--settle S]   # the real `planner --db FILE`
    probe_window.py bare [--settle S]                         # a bare QMainWindow

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
    parser.add_argument("mode", choices=("app", "bare"))
    parser.add_argument("--db")
    parser.add_argument("--nodes", type=int, default=0)
    parser.add_argument("--settle", type=float, default=0.5)
    args = parser.parse_args()

    from PySide6 import QtWidgets  # noqa: F401  (the Qt import; t_qt is taken after it)

    t_qt = time.monotonic()
    state = {"t_qt": t_qt}

    def arm(window, targets, ready) -> None:
        """Report once every target widget has painted a frame in which ``ready()``."""
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

        arm(window, {central}, lambda _obj: True)
        window.show()
        app.exec()
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

        arm(window, {canvas, people}, ready)
        return window

    app_module.build_main_window = build_and_watch
    # as the `planner` script calls it: the whole process is the command's (see
    # planner.cli.main: the command line may shape its own process's start-up)
    sys.argv = ["planner", "--db", args.db]
    planner_main()
    sys.stderr.write("the window closed before its first frame was painted\n")
    sys.exit(3)


if __name__ == "__main__":
    main()
