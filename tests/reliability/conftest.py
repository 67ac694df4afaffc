"""The reliability figures of the run, printed in pytest's summary (for the README)."""

from __future__ import annotations

import sys

import pytest

from planner.cli import main


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    lines = []
    crash = sys.modules.get("tests.reliability.test_crash")
    if crash is not None and crash.FIGURES:
        f = crash.FIGURES
        lines.append(f"SIGKILLs survived: {f['kills']}, acknowledged changes checked: "
                     f"{f['acknowledged']}, lost: {f['lost']}")
    hostile = sys.modules.get("tests.reliability.test_hostile_input")
    if hostile is not None and any(hostile.FIGURES.values()):
        f = hostile.FIGURES
        lines.append(f"hostile inputs tried: {sum(f.values())} (services {f['services']}, "
                     f"command lines {f['cli']}, import files {f['import']})")
    if lines:
        terminalreporter.write_sep("-", "reliability figures")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture
def database(tmp_path):
    """A database file with one person, made by the command line (the lock-file tests';
    a module that needs more defines its own)."""
    db = tmp_path / "planner.db"
    assert main(["--db", str(db), "contacts", "add", "Grace Hopper"]) == 0
    return db

