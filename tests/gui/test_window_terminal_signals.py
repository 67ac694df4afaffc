"""Ctrl+C in the terminal the window was started from, and SIGTERM (a logout, a kill),
close it as Quit does: its layout and page are saved and it ends with 130 / 143, no
traceback. It ignored Ctrl+C altogether (Qt's event loop waits in C, where Python's
handler never ran) and had to be killed, losing the window's layout."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tests.cli.test_cli_window_start import _env
from tests.helpers.cli import invoke
from tests.helpers.interruptible import interruptible

# the real `planner --db FILE`, saying "shown" once its first frame is painted
_SHOWN = r"""
import sys
from PySide6.QtCore import QTimer
import planner.app as app_module
from planner.ui.common import first_frame

build = app_module.build_main_window

def build_and_say(*args, **kwargs):
    window = build(*args, **kwargs)
    window.pages.setCurrentIndex(2)  # the Dashboard, to be remembered at the next start
    first_frame.after_first_frame(window, lambda: (print("shown", flush=True)))
    return window

app_module.build_main_window = build_and_say
sys.argv = ["planner", *sys.argv[1:]]
from planner.cli import main
sys.exit(main())
"""


@pytest.mark.parametrize(("number", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_from_the_terminal_closes_the_window_as_quit_does(tmp_path, number, code):
    db = tmp_path / "people.db"
    assert invoke("contacts", "add", "Ada Lovelace", db=db).returncode == 0
    proc = subprocess.Popen(interruptible([sys.executable, "-c", _SHOWN, "--db", str(db)]),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=_env(tmp_path))
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # (blocks until the first frame)
        assert line.strip() == "shown", (line, proc.stderr.read() if proc.poll() else "")
        time.sleep(0.3)  # idle in Qt's event loop
        sent = time.monotonic()
        proc.send_signal(number)
        _out, err = proc.communicate(timeout=20)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == code, err
    assert took < 5, took
    assert "Traceback" not in err, err
    saved = [p.read_text(errors="replace") for p in (tmp_path / "xdg_config_home").rglob("*")
             if p.is_file()]
    assert any("geometry" in text and "page=2" in text for text in saved), saved
    # and nothing in the log file either (a review: EBADF from the closed wake-up pipe was
    # logged with a traceback as an "unexpected error" at every SIGTERM)
    logs = [p.read_text(errors="replace") for p in tmp_path.rglob("planner.log")]
    assert logs, list(tmp_path.rglob("*.log"))
    assert not [text for text in logs if "Traceback" in text or "ERROR" in text], logs
