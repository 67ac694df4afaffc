"""The command line's own cost: whole `planner …` processes against `python -c pass`.

Both are child processes of the same interpreter (the venv's, with its site
packages), started from compiled bytecode in the same environment (see
harness.child_env); the clock runs from spawn to exit. Paired samples, median
of each, as everywhere.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.benchmarks.harness import Figure, child_env, median, paired

ROUNDS = 15


def _planner() -> list[str]:
    """The installed console script (what a user runs), else ``python -m planner``."""
    script = Path(sys.executable).parent / "planner"
    return [str(script)] if script.exists() else [sys.executable, "-m", "planner"]


def _run(args: list[str], env: dict, cwd: str) -> float:
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, timeout=120)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{args} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return elapsed


def _unique_name(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT name FROM contact WHERE deleted_at IS NULL GROUP BY name HAVING COUNT(*) = 1 "
            "ORDER BY id LIMIT 1").fetchone()[0]
    finally:
        conn.close()


CASES = [
    ("a", "version", "`planner --version`", lambda db, name: ["--version"]),
    ("b", "log", "`planner log NAME coffee`, 10k contacts / 200k touchpoints",
     lambda db, name: ["--db", str(db), "log", name, "coffee"]),
    ("c", "show", "`planner contacts show NAME`, 10k contacts / 200k touchpoints",
     lambda db, name: ["--db", str(db), "contacts", "show", name]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[1] for c in CASES])
def test_cli_command_against_python(benchmark, figures, big_db, db_copy, case):
    key, _label, title, argv = case
    db = db_copy(big_db)
    name = _unique_name(db)
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as home:
        env = child_env(Path(home))
        command = _planner() + argv(db, name)
        bare = [sys.executable, "-c", "pass"]
        m, b = paired(benchmark, lambda: _run(command, env, home), lambda: _run(bare, env, home),
                      rounds=ROUNDS, warmup=2)
    ratio = median(m) / median(b)
    figures.add(Figure(
        f"15{key}", f"Command line: {title} (whole process)", median(m), median(b),
        baseline_name="`python -c pass`", target="≤ 3×", met=ratio <= 3,
        detail=f"median of {len(m)} pairs"))
