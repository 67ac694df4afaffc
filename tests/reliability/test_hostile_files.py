"""Special files handed to the app: devices, FIFOs, sockets, folders, links to them.

None of them may be read until memory runs out, hang the app, or write
anything: the command line answers with one line on stderr and exit 1, the
window with its one-line warning. The FIFO tests have no writer: a blocking
open would hang, so the subprocess timeout is the test.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from planner.domain.errors import InvalidInput
from planner.importers.user_file import read_user_file
from tests.helpers.cli import invoke, ok, refused, run_cli

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX special files")


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "planner.db"
    ok(invoke("contacts", "add", "Ada Lovelace", "--email", "ada@example.org", db=path))
    return path


def fifo(tmp_path: Path, name: str = "contacts.csv") -> Path:
    path = tmp_path / name
    os.mkfifo(path)
    return path


def specials(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Each special file and the words its refusal must hold."""
    zero_link = tmp_path / "zero.csv"
    zero_link.symlink_to("/dev/zero")
    fifo_link = tmp_path / "pipe-link.vcf"
    fifo_link.symlink_to(fifo(tmp_path, "pipe.vcf"))
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    return {
        "device": (Path("/dev/zero"), "is a device, not a regular file"),
        "link to a device": (zero_link, "is a device"),
        "fifo": (fifo(tmp_path), "is a pipe (FIFO), not a regular file"),
        "link to a fifo": (fifo_link, "is a pipe (FIFO)"),
        "folder": (folder, "is a folder"),
    }


@pytest.mark.parametrize("which", ["device", "link to a device", "fifo", "link to a fifo"])
@pytest.mark.parametrize("extra", [[], ["--dry-run"], ["--format", "json"], ["--format", "csv"]])
def test_import_refuses_special_files_with_one_line(tmp_path, db, which, extra):
    path, words = specials(tmp_path)[which]
    # a process of its own: a regression that blocks on the FIFO or reads /dev/zero
    # forever ends at run_cli's timeout instead of hanging the test run
    line = refused(run_cli("import", str(path), *extra, db=db), words)
    assert line.startswith("planner:") or words in line
    assert "ada@example.org" in ok(invoke("contacts", "list", db=db))
    assert not list((tmp_path / "backups").glob("*pre-import*"))


def test_a_socket_is_refused(tmp_path, db):
    path = tmp_path / "s.csv"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        refused(invoke("import", str(path), db=db), "is a socket")
    finally:
        server.close()


def test_passphrase_stdin_from_dev_zero_is_refused_not_read_forever(tmp_path, db):
    import subprocess
    import sys

    with open("/dev/zero", "rb") as zero:
        result = subprocess.run(
            [sys.executable, "-m", "planner", "--db", str(db), "--passphrase-stdin",
             "db", "encrypt", "--own-passphrase"],
            stdin=zero, capture_output=True, text=True, timeout=60,
        )
    refused(result, "longer than 4096 characters")


def test_read_user_file_has_a_hard_limit_not_st_size(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 5000)
    assert read_user_file(path, limit=5000) == b"x" * 5000
    with pytest.raises(InvalidInput, match="too large"):
        read_user_file(path, limit=4999)


def test_read_user_file_refuses_a_folder(tmp_path):
    path, words = specials(tmp_path)["folder"]
    with pytest.raises(InvalidInput, match=words):
        read_user_file(path)


def test_read_user_file_never_blocks_on_a_fifo_without_a_writer(tmp_path):
    with pytest.raises(InvalidInput, match="FIFO"):
        read_user_file(fifo(tmp_path))


def test_the_window_refuses_a_fifo_with_its_one_line_warning(qtbot, tmp_path):
    from tests.gui.helpers import open_window
    from tests.gui.test_import_gui import start_import

    window = open_window(qtbot, tmp_path / "window.db")
    start_import(qtbot, window, fifo(tmp_path))
    box = window.transfer.error_box
    assert box is not None and box.isVisible()
    assert "is a pipe (FIFO)" in box.text() and "\n" not in box.text(), box.text()
    assert window.transfer.import_dialog is None


def test_the_window_refuses_a_link_to_dev_zero(qtbot, tmp_path):
    from tests.gui.helpers import open_window
    from tests.gui.test_import_gui import start_import

    link = tmp_path / "zero.vcf"
    link.symlink_to("/dev/zero")
    window = open_window(qtbot, tmp_path / "window.db")
    start_import(qtbot, window, link)
    box = window.transfer.error_box
    assert box is not None and "is a device" in box.text(), box.text()
