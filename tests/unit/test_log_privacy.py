"""The log is private: folder 0700, planner.log and its rotated copies 0600.

Run in a subprocess under umask 022 (logging is set up once per process) with
the data folder in a temporary XDG_DATA_HOME.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")

SCRIPT = """
import logging, os
os.umask(0o022)
from planner.logs import setup_logging
path = setup_logging()
logging.getLogger("test").warning("first")
handler = next(h for h in logging.getLogger().handlers if hasattr(h, "doRollover"))
handler.doRollover()
logging.getLogger("test").warning("after the rollover")
print(path)
"""


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(tmp_path):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    from pathlib import Path

    return Path(result.stdout.strip())


def test_a_new_log_is_private_and_so_is_the_file_after_a_rollover(tmp_path):
    log = run(tmp_path)
    assert mode(log.parent) == 0o700
    assert mode(log) == 0o600
    assert mode(log.with_name("planner.log.1")) == 0o600
    assert "after the rollover" in log.read_text(encoding="utf-8")


def test_an_existing_wide_log_folder_and_files_are_tightened(tmp_path):
    folder = tmp_path / "data" / "mentorship-planner" / "logs"
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    for name in ("planner.log", "planner.log.1", "planner.log.2"):
        (folder / name).write_text("old\n", encoding="utf-8")
        (folder / name).chmod(0o644)
    log = run(tmp_path)
    assert log.parent == folder, log
    assert mode(folder) == 0o700
    for path in folder.iterdir():
        assert mode(path) == 0o600, path
