"""Exports are written privately and atomically, and never through a planted link.

``planner focus -o``, the window's This week → Export… and ``planner export -o``
share one writer: a fresh 0600 temporary file (O_CREAT|O_EXCL|O_NOFOLLOW, random
name), fsynced, renamed over the target. A ``FILE.partial`` symlink planted by
someone else, or a link at the target itself, never gets its target overwritten.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from planner.storage.atomic_file import write_private
from tests.helpers.cli import ok

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes and links")


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "planner.db"
    run_wide("contacts", "add", "Ada Lovelace", "--ring", "inner", db=path)
    return path


def run_wide(*args: str, db: Path) -> str:
    """The CLI under a permissive umask (022), as most people run it."""
    return ok(subprocess.run(
        [sys.executable, "-c", "import os, runpy, sys; os.umask(0o022); sys.argv[0] = 'planner';"
         " runpy.run_module('planner', run_name='__main__')", "--db", str(db), *args],
        capture_output=True, text=True, timeout=120,
    ))


def plant(target: Path, victim: Path) -> None:
    victim.write_text("precious", encoding="utf-8")
    target.with_name(target.name + ".partial").symlink_to(victim)


def assert_private_and_victim_intact(target: Path, victim: Path) -> None:
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not target.is_symlink()
    assert victim.read_text(encoding="utf-8") == "precious"
    leftovers = [p.name for p in target.parent.iterdir() if p.name.endswith(".partial")]
    assert leftovers == [target.name + ".partial"]  # only the planted link, untouched


@pytest.mark.parametrize("command", [("focus", "--format", "md"), ("export",)])
def test_cli_exports_are_private_and_ignore_a_planted_partial_link(tmp_path, db, command):
    out = tmp_path / "out" / "file.txt"
    out.parent.mkdir()
    victim = tmp_path / "victim.txt"
    plant(out, victim)
    run_wide(*command, "-o", str(out), db=db)
    assert "Ada Lovelace" in out.read_text(encoding="utf-8")
    assert_private_and_victim_intact(out, victim)


def test_a_link_at_the_target_is_replaced_not_written_through(tmp_path, db):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "focus.md"
    out.symlink_to(victim)
    run_wide("focus", "-o", str(out), db=db)
    assert not out.is_symlink() and "Ada Lovelace" in out.read_text(encoding="utf-8")
    assert victim.read_text(encoding="utf-8") == "precious"


def test_an_existing_wider_file_ends_up_owner_only(tmp_path):
    target = tmp_path / "export.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    write_private(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_the_window_this_week_export_is_private_and_ignores_a_planted_link(qtbot, tmp_path, db):
    from tests.gui.helpers import open_window

    old = os.umask(0o022)
    try:
        window = open_window(qtbot, db)
        out = tmp_path / "week.md"
        victim = tmp_path / "victim.txt"
        plant(out, victim)
        window.focus.export_to(out, "md")
    finally:
        os.umask(old)
    assert "Ada Lovelace" in out.read_text(encoding="utf-8")
    assert_private_and_victim_intact(out, victim)
