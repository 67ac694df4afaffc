"""A ``planner`` process writes no core file when it crashes: its memory holds the key of
an encrypted database and the passphrase typed, which a core file (``ulimit -c
unlimited``, a crash reporter) would keep on disk, readable where the database is not.

The real command, in a process of its own started with core files allowed; it waits for
its passphrase on standard input (an encrypted database, no keyring) while its limits
are read (Linux: /proc/PID/limits)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner.storage.sqlite import encryption
from tests.helpers.cli import ok, run_cli

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads /proc/PID/limits")


def _allow_core_files() -> None:
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))


def _core_limit(pid: int) -> str:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max core file size"):
            return line.split()[4]  # the soft limit
    raise AssertionError("no core limit listed")


def _reading_a_pipe(pid: int) -> bool:
    try:
        return "pipe_read" in Path(f"/proc/{pid}/wchan").read_text()
    except (FileNotFoundError, PermissionError):
        return False


def test_a_planner_process_allows_no_core_file(db_path, monkeypatch):
    import resource

    if resource.getrlimit(resource.RLIMIT_CORE)[1] == 0:
        pytest.skip("core files are forbidden here for every process already")
    ok(run_cli("contacts", "add", "Ada", db=db_path))
    encryption.encrypt(db_path, encryption.generate_key())
    proc = subprocess.Popen(
        [sys.executable, "-m", "planner", "--db", str(db_path), "--passphrase-stdin",
         "contacts", "list"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
        preexec_fn=_allow_core_files)
    try:
        deadline = time.monotonic() + 60
        while not _reading_a_pipe(proc.pid):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the command never asked for its passphrase"
            time.sleep(0.05)
        assert _core_limit(proc.pid) == "0"
    finally:
        proc.communicate("not the passphrase\n", timeout=60)
