"""Start-up, window-ready and memory: the real `planner --db FILE` in a child process
against a bare PySide6 QMainWindow shown the same way (see probe_window.py)."""

from __future__ import annotations

import pytest

from tests.benchmarks.harness import Figure, median, paired, phase_text, run_window

PLACED = 3 + 12 + 72  # the demo fills every ring


def test_startup_and_memory(benchmark, figures, big_db):
    """The app, the bare window and the floor (the same first frame as one plain PySide6
    program, probe_window.floor_window) alternately: bare, floor, app in each round."""
    runs = {"app": [], "bare": [], "floor": []}

    def app() -> float:
        run = run_window("app", big_db, nodes=PLACED)
        runs["app"].append(run)
        return run.startup_s

    def bare() -> float:
        run = run_window("bare")
        runs["bare"].append(run)
        runs["floor"].append(run_window("floor", big_db))
        return run.startup_s

    m, b = paired(benchmark, app, bare, rounds=5, warmup=1)
    ratio = median(m) / median(b)
    first = runs["app"][-1]
    assert first.nodes == PLACED and first.rows > 0
    figures.add(Figure(
        "01", "Start-up to first painted window, 10k contacts / 200k touchpoints",
        median(m), median(b), baseline_name="bare QMainWindow", target="≤ 2×",
        met=ratio <= 2, detail=f"median of {len(m)}; after the Qt import: "
                               f"{phase_text(runs['app'][1:])}"))

    floor = median([r.startup_s for r in runs["floor"][1:]])
    assert runs["floor"][-1].nodes == PLACED and runs["floor"][-1].rows > 0
    figures.add(Figure(
        "01a", "The floor: the same first frame as one plain PySide6 program (no app code), "
        "10k file", floor, median(b), baseline_name="bare QMainWindow", target="—",
        detail=f"median of {len(runs['floor']) - 1}; it leaves the app's own code "
               f"{(2 * median(b) - floor) * 1000:.0f} ms under the 2× target, and the app "
               f"takes {(median(m) - floor) * 1000:.0f} ms"))

    app_rss = median([r.rss_settled_mb for r in runs["app"][1:]])
    bare_rss = median([r.rss_settled_mb for r in runs["bare"][1:]])
    figures.add(Figure(
        "09", "Memory: peak RSS of the window, 10k contacts / 200k touchpoints", app_rss,
        bare_rss, baseline_name="bare QMainWindow", unit="MB", target="< 150 MB above bare",
        met=app_rss - bare_rss < 150, detail=f"{app_rss - bare_rss:.0f} MB above"))


def test_window_ready_after_qt_import(benchmark, figures, rings_db):
    """Issue 3: 3 + 12 + 72 placed and 5,000 unplaced; from the Qt import to the first
    painted frame (planner imports, database, document, window, first paint)."""
    runs = []

    def app() -> float:
        run = run_window("app", rings_db, nodes=PLACED, settle=0)
        runs.append(run)
        return run.after_qt_s

    def bare() -> float:
        return run_window("bare", settle=0).after_qt_s

    m, b = paired(benchmark, app, bare, rounds=5, warmup=1)
    # the list shows its first page (it reads the rest as it is scrolled, issue 23)
    assert runs[-1].nodes == PLACED and 0 < runs[-1].rows <= 5_087
    figures.add(Figure(
        "02", "Window ready after the Qt import, 87 placed + 5,000 unplaced",
        median(m), median(b), baseline_name="bare QMainWindow", target="< 1 s (“well under”)",
        met=median(m) < 1.0, detail=f"median of {len(m)}: {phase_text(runs[1:])}"))


SCALES = [("1k", "scale_1k_db", "1,000 / 20k"), ("10k", "big_db", "10,000 / 200k"),
          ("100k", "scale_100k_db", "100,000 / 2M")]


@pytest.mark.parametrize("db_fixture", [s[1] for s in SCALES], ids=[s[0] for s in SCALES])
def test_startup_scaling(benchmark, figures, request, db_fixture):
    _label, _, size = next(s for s in SCALES if s[1] == db_fixture)
    path = request.getfixturevalue(db_fixture)
    runs = []

    def app() -> float:
        runs.append(run_window("app", path, nodes=PLACED, settle=0))
        return runs[-1].startup_s

    m, b = paired(benchmark, app, lambda: run_window("bare", settle=0).startup_s, rounds=3,
                  warmup=1)
    index = [s[1] for s in SCALES].index(db_fixture)
    figures.add(Figure(
        f"13{'abc'[index]}", f"Scaling: start-up, {size} contacts / touchpoints",
        median(m), median(b), baseline_name="bare QMainWindow", target="see growth",
        detail=f"median of {len(m)}: {phase_text(runs[1:])}"))


def test_startup_does_not_grow_with_the_network(benchmark, figures, big_db, scale_100k_db):
    """Issue 23: the first painted window at 10,000 and at 100,000 people, each against
    the bare window, alternately (bare, 10k, 100k per round), and peak memory at 100k."""
    runs = {"bare": [], "10k": [], "100k": []}

    def bare() -> float:
        runs["bare"].append(run_window("bare"))
        runs["10k"].append(run_window("app", big_db, nodes=PLACED))
        return runs["bare"][-1].startup_s

    def app_100k() -> float:
        runs["100k"].append(run_window("app", scale_100k_db, nodes=PLACED))
        return runs["100k"][-1].startup_s

    m, b = paired(benchmark, app_100k, bare, rounds=5, warmup=1)
    ten = [r.startup_s for r in runs["10k"][1:]]
    hundred = median(m)
    assert runs["100k"][-1].nodes == PLACED and runs["100k"][-1].rows > 0
    figures.add(Figure(
        "01b", "Start-up to first painted window, 100k contacts / 2M touchpoints", hundred,
        median(b), baseline_name="bare QMainWindow", target="≤ 2.5×",
        met=hundred / median(b) <= 2.5,
        detail=f"median of {len(m)}; after the Qt import: {phase_text(runs['100k'][1:])}"))
    figures.add(Figure(
        "01c", "Start-up growth from 10k to 100k contacts (same run, alternately)", hundred,
        median(ten), baseline_name="10k contacts / 200k touchpoints", target="< 1.3×",
        met=hundred / median(ten) < 1.3,
        detail=f"median of {len(m)}; 10k after the Qt import: {phase_text(runs['10k'][1:])}"))
    app_rss = median([r.rss_settled_mb for r in runs["100k"][1:]])
    bare_rss = median([r.rss_settled_mb for r in runs["bare"][1:]])
    figures.add(Figure(
        "09b", "Memory: peak RSS of the window, 100k contacts / 2M touchpoints", app_rss,
        bare_rss, baseline_name="bare QMainWindow", unit="MB", target="≤ bare + 150 MB",
        met=app_rss - bare_rss <= 150, detail=f"{app_rss - bare_rss:.0f} MB above"))
