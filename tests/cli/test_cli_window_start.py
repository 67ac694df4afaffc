"""``planner`` / ``planner --db FILE`` / ``--tray`` open the window without click (issue
23: click is some 15 ms of a start-up meant to be twice a bare window's); every other
command line is click's, which parses it and names what is wrong."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from planner.cli.window import window_arguments
from tests.helpers.cli import invoke
from tests.postgres.conftest import pg, pg_initialised, pg_server  # noqa: F401


@pytest.mark.parametrize(("args", "expected"), [
    ([], (None, False)),
    (["--db", "a.db"], ("a.db", False)),
    (["--db=a.db"], ("a.db", False)),
    (["--tray"], (None, True)),
    (["--tray", "--db", "a b.db"], ("a b.db", True)),
    (["--db", "--tray"], ("--tray", False)),  # click takes the next word as the value too
])
def test_the_window_command_lines(monkeypatch, args, expected):
    monkeypatch.delenv("PLANNER_DB", raising=False)
    assert window_arguments(args) == expected


@pytest.mark.parametrize("args", [
    ["--db"], ["--db", "a", "--db", "b"], ["--db=a", "--db", "b"], ["--tray", "--tray"],
    ["--demo"], ["--help"], ["-h"], ["--version"], ["--self-test"], ["--passphrase-stdin"],
    ["log", "Ada", "coffee"], ["--db", "a.db", "contacts"], ["--tra"], ["--db-x=1"], [""],
    ["--db="], ["--db", " "],  # no database: click says so (it opened the default one)
])
def test_everything_else_is_for_click(args):
    assert window_arguments(args) is None


def test_the_database_variable_is_read_as_click_reads_it(monkeypatch):
    from planner.storage.target import resolve_target

    monkeypatch.setenv("PLANNER_DB", "from-env.db")
    assert window_arguments([]) == (None, False)  # storage reads the variable, as always
    assert resolve_target(None) == resolve_target("from-env.db")
    assert window_arguments(["--db", "given.db"]) == ("given.db", False)
    for blank in ("", "  "):  # set to nothing: click refuses it, as it refuses --db ''
        monkeypatch.setenv("PLANNER_DB", blank)
        assert window_arguments(["--tray"]) is None
        assert window_arguments([]) is None
        assert window_arguments(["--db", "given.db"]) == ("given.db", False)  # not read


def test_shell_completion_is_answered_not_a_window_opened(tmp_path):
    """A shell asking for completions runs `planner` with no arguments and
    _PLANNER_COMPLETE set: it opened the window (the window's start without click)."""
    script = os.path.join(os.path.dirname(sys.executable), "planner")
    env = dict(os.environ, _PLANNER_COMPLETE="bash_source", QT_QPA_PLATFORM="offscreen",
               PLANNER_DB=str(tmp_path / "never.db"))
    done = subprocess.run([script], env=env, capture_output=True, text=True, timeout=20)
    assert done.returncode == 0, done.stderr
    assert "_planner_completion" in done.stdout and "complete " in done.stdout
    env["_PLANNER_COMPLETE"], env["COMP_WORDS"], env["COMP_CWORD"] = "bash_complete", \
        "planner con", "1"
    done = subprocess.run([script], env=env, capture_output=True, text=True, timeout=20)
    assert done.returncode == 0 and "plain,contacts" in done.stdout, done
    assert not (tmp_path / "never.db").exists()


def test_click_still_answers_what_is_not_the_window(tmp_path):
    missing_value = invoke("--db", db=None)
    assert missing_value.returncode == 2
    assert "requires an argument" in missing_value.stderr
    twice = invoke("--tray", "--tray", "--nope", db=None)
    assert twice.returncode == 2 and "No such option '--nope'" in twice.stderr


_OPEN_AND_REPORT = r"""
import json, os, sys
from PySide6.QtCore import QTimer
import planner.app as app_module

build = app_module.build_main_window

def build_and_report(*args, **kwargs):
    window = build(*args, **kwargs)
    deferred = [n for n in ("socket", "uuid", "calendar") if n in sys.modules]  # built
    def report():
        print(json.dumps({"click": "click" in sys.modules,
                          "psycopg2": "psycopg2" in sys.modules,
                          "log file": "logging.handlers" in sys.modules,
                          "deferred": deferred,
                          "title": window.windowTitle(),
                          "database": str(window.document.database.target.path),
                          "kind": window.document.database.target.kind,
                          "people": window.contact_list.view.model().rowCount(),
                          "peewee saw the driver": sys.modules["peewee"].psycopg2 is not None}))
        sys.stdout.flush()
        os._exit(0)
    QTimer.singleShot(0, report)
    return window

app_module.build_main_window = build_and_report
sys.argv = ["planner", *sys.argv[1:]]
from planner.cli import main
sys.exit(main())
"""


def _env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANNER_")}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp_path / name.lower())
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def test_planner_db_file_opens_the_window_on_it_without_importing_click(tmp_path):
    db = tmp_path / "our people.db"
    assert invoke("contacts", "add", "Ada Lovelace", db=db).returncode == 0
    run = subprocess.run([sys.executable, "-c", _OPEN_AND_REPORT, "--tray", f"--db={db}"],
                         capture_output=True, text=True, env=_env(tmp_path), timeout=120)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["database"] == str(db)
    assert seen["click"] is False
    # nothing was logged, so the log file's module (and socket, pickle…) is not imported
    assert seen["log file"] is False
    assert seen["psycopg2"] is False  # a file needs no server driver (planner.storage.drivers)
    # nor, until the window is built, what peewee imports for later (drivers.Deferred)
    assert seen["deferred"] == []
    assert "Traceback" not in run.stderr


def test_a_team_database_opens_in_a_window_started_without_the_driver(
        tmp_path, pg_initialised):  # noqa: F811  (the fixture, imported above)
    """peewee was imported without psycopg2 (the window's start): the team database's
    adapter brings the driver when it connects, and the window works on it."""
    url = pg_initialised.url()
    run = subprocess.run([sys.executable, "-c", _OPEN_AND_REPORT, "--db", url],
                         capture_output=True, text=True, env=_env(tmp_path), timeout=120)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["kind"] == "postgresql" and seen["people"] >= 0
    assert seen["peewee saw the driver"] is False and seen["psycopg2"] is True
    assert "Traceback" not in run.stderr


def test_a_window_that_cannot_open_says_why_in_one_line(tmp_path):
    """The errors of the window's start are answered as click's command answered them."""
    too_long = tmp_path / ("x" * 300 + ".db")
    run = subprocess.run([sys.executable, "-m", "planner", "--db", str(too_long)],
                         capture_output=True, text=True, env=_env(tmp_path), timeout=120)
    assert run.returncode == 1
    assert run.stderr.startswith("planner: cannot use ")
    assert run.stderr.rstrip().endswith("File name too long")
    assert "Traceback" not in run.stderr
