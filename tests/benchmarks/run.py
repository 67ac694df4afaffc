"""Run every benchmark and print the figures table (Markdown).

    .venv/bin/python tests/benchmarks/run.py            # everything (~6–9 min the first time)
    .venv/bin/python tests/benchmarks/run.py -k focus   # extra arguments go to pytest

The first run builds the demo databases into tests/benchmarks/.data (about two
minutes on two cores, most of it the 100,000-contact one); later runs reuse them.
The table is also written to tests/benchmarks/.data/results.md (and results.json).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
RESULTS = HERE / ".data" / "results.md"


def main(argv: list[str]) -> int:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BENCH_RUNNER="1")
    RESULTS.unlink(missing_ok=True)
    command = [sys.executable, "-m", "pytest", str(HERE.relative_to(REPO)),
               "--benchmark-only",  # overrides the --benchmark-skip of the default run
               "--benchmark-columns=min,median,max,rounds", "--benchmark-sort=name",
               "-p", "no:cacheprovider", "-q", *argv]
    started = time.perf_counter()
    code = subprocess.call(command, cwd=REPO, env=env)
    print(f"\nbenchmarks took {(time.perf_counter() - started) / 60:.1f} min "
          f"(pytest exit code {code})\n")
    if RESULTS.exists():
        print(RESULTS.read_text(encoding="utf-8"))
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
