"""Run the real command line in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, db: Path | None = None, input: str | None = None):
    """Run ``python -m planner`` in a subprocess, the way a person would."""
    cmd = [sys.executable, "-m", "planner"]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, input=input,
                          env={**os.environ}, timeout=120)


