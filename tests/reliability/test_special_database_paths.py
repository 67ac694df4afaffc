"""A database path or a backup that is a pipe or a device is refused at once, never read
(a FIFO with no writer would hang; /dev/zero would never end)."""

from __future__ import annotations

import os

import pytest

from tests.helpers.cli import ok, refused, run_cli


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe.db"
    os.mkfifo(path)
    return path


def test_a_fifo_as_the_database_is_refused(fifo):
    refused(run_cli("rings", db=fifo), "not a regular file", "left untouched")


def test_a_fifo_or_a_device_as_a_backup_is_refused(db_path, fifo):
    ok(run_cli("contacts", "add", "Ada", db=db_path))
    for source in (fifo, "/dev/zero"):
        refused(run_cli("restore", str(source), db=db_path), "not a regular file",
                "nothing was changed")
    assert "Ada" in ok(run_cli("contacts", "list", db=db_path))
