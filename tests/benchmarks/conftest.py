"""Benchmark fixtures: demo databases built once and cached in ``tests/benchmarks/.data``.

Nothing here runs in the default test run: ``--benchmark-skip`` (in pyproject's
addopts) marks every test that uses the ``benchmark`` fixture as skipped at
collection, so the session fixtures below are never set up. Run the suite with
``python tests/benchmarks/run.py`` (or ``pytest tests/benchmarks --benchmark-only``).

The databases are made by ``planner --db FILE demo`` in child processes, in
parallel, and named after their size, seed and a fingerprint of the generator
and schema sources: a change there rebuilds them; otherwise later runs reuse them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.benchmarks.harness import DATA, HERE, REPO, FigureLog, child_env


@dataclass(frozen=True)
class Spec:
    fixture: str
    contacts: int
    touchpoints: int
    seed: int = 1

    def path(self, fingerprint: str) -> Path:
        return DATA / f"demo-{self.contacts}c-{self.touchpoints}t-s{self.seed}-{fingerprint}.db"


#: Every database a benchmark may ask for, by fixture name.
SPECS = {s.fixture: s for s in (
    Spec("big_db", 10_000, 200_000),  # the 10,000 contacts / 200,000 touchpoints
    Spec("history_20k_db", 10_000, 20_000),  # the same people with a tenth of the history
    Spec("rings_db", 5_087, 50_000),  # 3 + 12 + 72 placed and 5,000 unplaced (issue 3)
    Spec("scale_1k_db", 1_000, 20_000),  # scaling: 20 touchpoints per contact throughout
    Spec("scale_100k_db", 100_000, 2_000_000),
)}

#: Sources whose change makes the cached databases stale.
FINGERPRINT_SOURCES = ("planner/demo", "planner/storage/models",
                       "planner/storage/migrations.py", "planner/storage/search_index.py")


def fingerprint() -> str:
    digest = hashlib.sha256()
    for name in FINGERPRINT_SOURCES:
        root = REPO / name
        files = sorted(root.rglob("*.py")) if root.is_dir() else [root]
        for file in files:
            if file.exists():
                digest.update(file.relative_to(REPO).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:10]


def planner_command(*args: str, env_home: Path) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True,
                          text=True, env=child_env(env_home), cwd=REPO, timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(f"planner {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def build(spec: Spec, dest: Path) -> float:
    """Make one demo database with the real command; atomically renamed into place."""
    start = time.perf_counter()
    tmp = dest.with_name(dest.name + ".partial")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-build-") as home:
        planner_command("--db", str(tmp), "demo", "--contacts", str(spec.contacts),
                        "--touchpoints", str(spec.touchpoints), "--seed", str(spec.seed),
                        env_home=Path(home))
    if Path(f"{tmp}-wal").exists():  # fold any WAL into the file: the cache is one file
        conn = sqlite3.connect(tmp)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    for side in (Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        side.unlink(missing_ok=True)
    tmp.replace(dest)
    return time.perf_counter() - start


def pytest_collection_finish(session) -> None:
    """Remember which databases the selected benchmarks need (built together, in parallel)."""
    needed = set()
    for item in session.items:
        if Path(str(item.fspath)).is_relative_to(HERE):
            needed |= set(getattr(item, "fixturenames", ())) & set(SPECS)
            callspec = getattr(item, "callspec", None)  # parametrized by a fixture's name
            if callspec is not None:
                needed |= {v for v in callspec.params.values() if isinstance(v, str)} & set(SPECS)
    session.config.stash[NEEDED] = needed


NEEDED = pytest.StashKey[set]()
FIGURES = pytest.StashKey[FigureLog]()


def tidy(current) -> None:
    """Remove what no longer serves: databases of another generator or schema (and their
    -wal, -shm, .vcf), and the app's daily backups of the cached files (the window makes
    one on its first start each day, beside the file) except today's."""
    stems = {path.stem for path in current}
    today = time.strftime("%Y%m%d")
    for file in DATA.glob("demo-*"):
        if file.is_file() and not any(file.name.startswith(stem) for stem in stems):
            file.unlink(missing_ok=True)
    for file in (DATA / "backups").glob("demo-*"):
        ours = any(file.name.startswith(stem) for stem in stems)
        if file.is_file() and not (ours and f"-{today}-" in file.name):
            file.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def demo_databases(request) -> dict[str, Path]:
    """Every needed database, building the missing ones (in parallel) the first time."""
    DATA.mkdir(parents=True, exist_ok=True)
    stamp = fingerprint()
    needed = request.config.stash.get(NEEDED, set()) or set(SPECS)
    paths = {name: SPECS[name].path(stamp) for name in SPECS}
    tidy(paths.values())
    missing = [name for name in sorted(needed) if not paths[name].exists()]
    if missing:
        # biggest first, so the long one starts at once
        missing.sort(key=lambda n: -SPECS[n].touchpoints)
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"building benchmark databases: {', '.join(missing)} "
                                f"(cached in {DATA.relative_to(REPO)})")
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(lambda n: build(SPECS[n], paths[n]), missing))
    return paths


@pytest.fixture(scope="session")
def big_db(demo_databases) -> Path:
    return demo_databases["big_db"]


@pytest.fixture(scope="session")
def history_20k_db(demo_databases) -> Path:
    return demo_databases["history_20k_db"]


@pytest.fixture(scope="session")
def rings_db(demo_databases) -> Path:
    return demo_databases["rings_db"]


@pytest.fixture(scope="session")
def scale_1k_db(demo_databases) -> Path:
    return demo_databases["scale_1k_db"]


@pytest.fixture(scope="session")
def scale_100k_db(demo_databases) -> Path:
    return demo_databases["scale_100k_db"]


@pytest.fixture(scope="session")
def vcards_10k(big_db) -> Path:
    """The 10,000 people of the big database as one vCard file (``planner export``)."""
    dest = big_db.with_suffix(".vcf")
    if not dest.exists():
        with tempfile.TemporaryDirectory(prefix="bench-build-") as home:
            tmp = Path(home) / "people.vcf"
            planner_command("--db", str(big_db), "export", "--format", "vcard", "-o", str(tmp),
                            env_home=Path(home))
            shutil.move(tmp, dest)
    return dest


@pytest.fixture
def db_copy(tmp_path):
    """A private copy of a cached database, for benchmarks that write."""

    def copy(source: Path, name: str | None = None) -> Path:
        dest = tmp_path / (name or source.name)
        shutil.copyfile(source, dest)
        return dest

    return copy


@pytest.fixture(scope="session")
def figures(request) -> FigureLog:
    log = request.config.stash.get(FIGURES, None)
    if log is None:
        log = FigureLog()
        request.config.stash[FIGURES] = log
    return log


def pytest_terminal_summary(terminalreporter, config) -> None:
    log = config.stash.get(FIGURES, None)
    if log is None or not log.figures:
        return
    text = log.write()
    if os.environ.get("BENCH_RUNNER") != "1":  # run.py prints the table itself, last
        terminalreporter.write_sep("=", "benchmark figures (tests/benchmarks/.data/results.md)")
        terminalreporter.write_line(text)
