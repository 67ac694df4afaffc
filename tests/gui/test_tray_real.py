"""The tray icon in a real system tray: a private X server (Xvfb) with a tray host
(trayer) and the app's real window on the xcb platform, in a child process (this test
process is offscreen). Where Xvfb or trayer is not installed there is no tray to show
it in, and the test says so; the tray's logic is tested everywhere in
test_reminders_gui.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.gui.reminder_helpers import write_people

REPO = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QSystemTrayIcon
from planner.app import build_main_window, make_application

app = make_application()
window = build_main_window(sys.argv[1], watch=False)
window.show()
tray = window.reminders.tray

def report():
    geometry = tray.icon.geometry()
    tray.menu.popup(geometry.bottomLeft())
    QTimer.singleShot(300, lambda: finish(geometry))

def finish(geometry):
    print(json.dumps({
        "available": QSystemTrayIcon.isSystemTrayAvailable(), "visible": tray.isVisible(),
        "width": geometry.width(), "count": tray.count, "tooltip": tray.icon.toolTip(),
        "menu_visible": tray.menu.isVisible(),
        "menu": [a.text() for a in tray.menu.actions() if a.text()]}), flush=True)
    os._exit(0)  # a probe: what it had to say is said (no wait on the day's backup)

QTimer.singleShot(1500, report)
app.exec()
"""


def _start_x():
    for tool in ("Xvfb", "trayer"):
        if shutil.which(tool) is None:
            if os.environ.get("CI"):  # .ci/run installs both: never a silent skip there
                pytest.fail(f"{tool} is not installed (.ci/run installs it)")
            pytest.skip(f"{tool} is not installed: no system tray to show the icon in")
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1024x600x24",
                             "-nolisten", "tcp"], stdout=subprocess.PIPE, text=True)
    display = f":{xvfb.stdout.readline().strip()}"
    trayer = subprocess.Popen(["trayer", "--edge", "top", "--align", "right",
                               "--widthtype", "pixel", "--width", "100", "--height", "28"],
                              env={**os.environ, "DISPLAY": display},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # the tray host takes the selection
    return display, [trayer, xvfb]


def test_the_icon_and_its_menu_in_a_real_tray(db_path):
    write_people(db_path)
    display, processes = _start_x()
    try:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        result = subprocess.run([sys.executable, "-c", CHILD, str(db_path)], env=env,
                                cwd=REPO, capture_output=True, text=True, timeout=60)
    finally:
        for process in processes:
            process.kill()
            process.wait(10)
        processes[-1].stdout.close()
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["available"] and data["visible"] and data["width"] > 0
    assert data["count"] == 3 and data["tooltip"].startswith("Mentorship Planner — 3 due today")
    assert data["menu_visible"]
    assert data["menu"] == ["&Open Mentorship Planner", "This &week", "&Log a touch…",
                            "&Snooze all today (3)", "&Quit"]
