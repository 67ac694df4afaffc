"""Timing helpers for the benchmarks: paired samples, child processes, the figures table.

Every figure is measured beside its baseline in the same run, alternating one
baseline sample and one measured sample, so that drift on a shared machine hits
both alike; the table reports the ratio of the medians.
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DATA = HERE / ".data"
PROBE = HERE / "probe_window.py"
RESULTS_MD = DATA / "results.md"
RESULTS_JSON = DATA / "results.json"


# -- statistics ---------------------------------------------------------------------------
def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def timed(fn: Callable[[], object]) -> Callable[[], float]:
    """A callable that runs ``fn`` and returns how long it took (seconds)."""

    def run() -> float:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start

    return run


def paired(benchmark, measured: Callable[[], float], baseline: Callable[[], float],
           rounds: int, warmup: int = 1) -> tuple[list[float], list[float]]:
    """Alternate baseline and measured samples; each callable returns its own duration.

    pytest-benchmark times ``measured`` (its own table shows it); the baseline runs
    in the untimed setup step just before each measured round.
    """
    for _ in range(warmup):
        baseline()
        measured()
    measured_samples: list[float] = []
    baseline_samples: list[float] = []

    def setup() -> None:
        baseline_samples.append(baseline())

    def target() -> None:
        measured_samples.append(measured())

    benchmark.pedantic(target, setup=setup, rounds=rounds, iterations=1, warmup_rounds=0)
    benchmark.extra_info["measured_median_s"] = median(measured_samples)
    benchmark.extra_info["baseline_median_s"] = median(baseline_samples)
    return measured_samples, baseline_samples


def single(benchmark, measured: Callable[[], float], rounds: int,
           warmup: int = 1) -> list[float]:
    """Samples of one callable (returning its own duration) through pytest-benchmark."""
    for _ in range(warmup):
        measured()
    samples: list[float] = []
    benchmark.pedantic(lambda: samples.append(measured()), rounds=rounds, iterations=1,
                       warmup_rounds=0)
    benchmark.extra_info["measured_median_s"] = median(samples)
    return samples


# -- child processes ------------------------------------------------------------------------
def child_env(home: Path) -> dict[str, str]:
    """A clean environment for a window process: offscreen, private folders, no keyring."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANNER_", "PYTEST"))}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        path = home / name.lower()
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    env.pop("COVERAGE_PROCESS_START", None)
    # Start the way an installed app does, from compiled bytecode (a shell may say
    # PYTHONDONTWRITEBYTECODE, and then every module is compiled at every start, some
    # 120 ms); the cache is kept here, out of the source tree.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(DATA / "pycache")
    return env


@dataclass
class WindowRun:
    """One window process: seconds from process start (and from the Qt import) to the
    first painted frame, and peak RSS."""

    startup_s: float
    after_qt_s: float
    rss_painted_mb: float
    rss_settled_mb: float
    nodes: int
    rows: int
    # seconds of each phase after the Qt import (app only): see PHASES
    phases: dict[str, float] = field(default_factory=dict)


PHASES = (("imports", "t_qt", "t_imports"), ("database + people", "t_imports", "t_document"),
          ("window", "t_document", "t_built"), ("first frame", "t_built", "t_painted"))


def phase_text(runs: list[WindowRun]) -> str:
    """Median time of each start-up phase after the Qt import, e.g. "imports 210 ms, …"."""
    names = [name for name, _a, _b in PHASES if all(name in r.phases for r in runs)]
    return ", ".join(f"{name} {fmt_value(median([r.phases[name] for r in runs]))}"
                     for name in names)


def run_window(mode: str, database: Path | None = None, *, nodes: int = 0,
               settle: float = 0.5, timeout: float = 300) -> WindowRun:
    """Start ``probe_window.py`` (``app`` or ``bare``) and read what it measured.

    The start time is taken here just before the process is spawned; the child
    prints CLOCK_MONOTONIC (system-wide on Linux) after its first painted frame.
    """
    args = [sys.executable, str(PROBE), mode, "--settle", str(settle), "--nodes", str(nodes)]
    if database is not None:
        args += ["--db", str(database)]
    with tempfile.TemporaryDirectory(prefix="bench-home-") as home:
        env = child_env(Path(home))
        start = time.monotonic()
        proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=timeout,
                              cwd=home)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{mode} window probe failed ({proc.returncode}):\n"
                           f"{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    data = json.loads(lines[-1])
    return WindowRun(
        startup_s=data["t_painted"] - start,
        after_qt_s=data["t_painted"] - data["t_qt"],
        rss_painted_mb=data["rss_painted_kb"] / 1024,
        rss_settled_mb=data["rss_settled_kb"] / 1024,
        nodes=data["nodes"],
        rows=data["rows"],
        phases={name: data[b] - data[a] for name, a, b in PHASES if a in data and b in data},
    )


# -- figures --------------------------------------------------------------------------------
@dataclass
class Figure:
    key: str  # sort key: the row's place in the table
    name: str
    measured: float | None  # seconds, or MB when unit == "MB"
    baseline: float | None
    baseline_name: str = ""
    target: str = ""
    met: bool | None = None
    unit: str = "s"
    detail: str = ""  # e.g. "median of 5, p95 12 ms"
    ratio_override: str | None = None
    measured_text: str | None = None

    @property
    def ratio(self) -> float | None:
        if self.measured is None or not self.baseline:
            return None
        return self.measured / self.baseline


def fmt_value(value: float | None, unit: str = "s") -> str:
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "x":
        return f"{value:.2f}×"
    ms = value * 1000
    if ms < 1:
        return f"{ms:.2f} ms"
    if ms < 10:
        return f"{ms:.1f} ms"
    if ms < 1000:
        return f"{ms:.0f} ms"
    return f"{value:.2f} s"


def figure_row(f: Figure) -> str:
    measured = f.measured_text or fmt_value(f.measured, f.unit)
    if f.detail:
        measured += f" ({f.detail})"
    baseline = fmt_value(f.baseline, f.unit) if f.baseline is not None else "—"
    if f.baseline_name:
        baseline = f"{f.baseline_name}: {baseline}" if f.baseline is not None else f.baseline_name
    if f.ratio_override is not None:
        ratio = f.ratio_override
    else:
        ratio = f"{f.ratio:.2f}×" if f.ratio is not None else "—"
    met = {True: "yes", False: "**no**", None: "—"}[f.met]
    cells = (f.name, measured, baseline, ratio, f.target or "—", met)
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def render_table(figures: list[Figure]) -> str:
    head = ("| Figure | Measured | Baseline | Ratio | Target | Met? |\n"
            "|---|---|---|---|---|---|")
    rows = [figure_row(f) for f in sorted(figures, key=lambda f: f.key)]
    return "\n".join([head, *rows])


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = f"{line.split('=', 1)[1].strip(chr(34))} (Linux {platform.release()})"
    except OSError:
        pass
    try:
        import peewee
        import PySide6

        versions = f"PySide6 {PySide6.__version__} (Qt {PySide6.QtCore.qVersion()}), " \
                   f"peewee {peewee.__version__}"
    except Exception:  # pragma: no cover
        versions = "?"
    import sqlite3

    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": ram,
        "python": platform.python_version(),
        "libraries": f"{versions}, SQLite {sqlite3.sqlite_version}",
        "os": os_name,
        "qpa": "offscreen",
    }


def machine_text(info: dict[str, str]) -> str:
    return (f"{info['cpu']}, {info['cores']} cores, {info['ram']} RAM; {info['os']}; "
            f"Python {info['python']}; {info['libraries']}; Qt platform {info['qpa']}")


class FigureLog:
    """The figures of one session, written as Markdown and JSON as they come in."""

    def __init__(self) -> None:
        self.figures: list[Figure] = []
        self.started = time.time()

    def add(self, figure: Figure) -> Figure:
        self.figures = [f for f in self.figures if f.key != figure.key]
        self.figures.append(figure)
        return figure

    def derived(self) -> list[Figure]:
        """Growth rows from the scaling figures, and the rows not measured yet."""
        out = []
        by_key = {f.key: f for f in self.figures}
        for prefix, what, above_baseline in (("12", "focus list", False),
                                             ("13", "start-up", True)):
            sizes = [by_key.get(prefix + s) for s in "abc"]
            if any(f is None for f in sizes):
                continue
            cost = [f.measured - f.baseline if above_baseline else f.measured for f in sizes]
            factors = [cost[1] / cost[0], cost[2] / cost[1]]
            note = " (time above the bare window)" if above_baseline else ""
            out.append(Figure(
                prefix + "d", f"Scaling: {what} growth per 10× contacts{note}", None, None,
                measured_text=f"1k→10k ×{factors[0]:.1f}, 10k→100k ×{factors[1]:.1f}",
                target="near linear or better (≤ ~10× per 10×)",
                met=max(factors) <= 12))
        if not any(f.name.startswith("Encryption") for f in self.figures):
            out.append(Figure("14", "Start-up on an encrypted (SQLCipher) database", None, None,
                              measured_text="not yet (issue 9)", target="—"))
        return out

    def write(self) -> str:
        info = machine()
        elapsed = time.time() - self.started
        text = (render_table(self.figures + self.derived()) + "\n\n"
                f"Measured on: {machine_text(info)}. "
                f"Benchmark run took {elapsed / 60:.1f} min "
                f"({time.strftime('%Y-%m-%d %H:%M', time.localtime())}).\n")
        DATA.mkdir(parents=True, exist_ok=True)
        RESULTS_MD.write_text(text, encoding="utf-8")
        RESULTS_JSON.write_text(json.dumps(
            {"machine": info, "figures": [asdict(f) | {"ratio": f.ratio} for f in self.figures]},
            indent=2, ensure_ascii=False), encoding="utf-8")
        return text
