"""Every test runs with its own data folder, an offscreen Qt and an in-memory keyring.

Nothing here touches the real user data folder or the real keychain.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

REPO = Path(__file__).resolve().parents[1]

# Property tests check what happens, never how long one example takes: hypothesis's
# default 200 ms deadline failed a vCard fuzz example that took 540 ms on a loaded
# two-core machine (speed is measured in tests/benchmarks).
from hypothesis import settings as _hypothesis  # noqa: E402

_hypothesis.register_profile("planner", deadline=None)
_hypothesis.load_profile("planner")

# The lock guard (issue 17): any test in which Python opens a database file or its
# -wal/-shm/-journal while a connection to it is open fails, in this process and in
# every Python subprocess (which report through a log file).
from tests.helpers import lock_guard  # noqa: E402

_GUARD_DIR = Path(__import__("tempfile").mkdtemp(prefix="planner-lock-guard-"))
os.environ[lock_guard.LOG_VARIABLE] = str(_GUARD_DIR / f"violations-{os.getpid()}.log")
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(REPO / "tests" / "helpers" / "lock_guard_site")]
    + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
lock_guard.install(to_log=False)
# no_keyring, locked_keyring, fresh_notice (memory_keyring is below); the PostgreSQL
# server's throwaway databases and the both-engine fixtures (backend, engine)
pytest_plugins = ("tests.helpers.keyrings", "tests.helpers.postgres")
SHARED_FIXTURES = REPO.parent / "shared" / "fixtures"


def _isolate_dirs(root: Path) -> dict[str, str]:
    env = {}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        path = root / name.lower()
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    return env


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """A private data/config folder per test, and no PLANNER_DB leaking in."""
    root = tmp_path_factory.mktemp("home")
    for key, value in _isolate_dirs(root).items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("PLANNER_DB", raising=False)
    if "PySide6.QtCore" in sys.modules:  # Qt reads XDG_CONFIG_HOME once per process
        from PySide6.QtCore import QSettings

        for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
            QSettings.setPath(fmt, QSettings.Scope.UserScope, os.environ["XDG_CONFIG_HOME"])
    return root


def _guard_log() -> str:
    try:
        return Path(os.environ[lock_guard.LOG_VARIABLE]).read_text("utf-8", "replace")
    except OSError:
        return ""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """After the test's body, before its fixtures close anything: every live database
    of this process must still be locked by it (``lock_guard.locks_lost``)."""
    yield
    item.locks_lost = lock_guard.locks_lost()


@pytest.fixture(autouse=True)
def no_file_io_on_live_databases(monkeypatch, request):
    """Fail the test if it (or the app, or a subprocess) broke the lock rule: Python
    opened a live database's file, or the process lost its locks on one."""
    monkeypatch.setenv(lock_guard.LOG_VARIABLE, os.environ[lock_guard.LOG_VARIABLE])
    before_here, before_log = len(lock_guard.violations), len(_guard_log())
    yield
    found = lock_guard.violations[before_here:] + [
        text for text in _guard_log()[before_log:].split("\n\x1e\n") if text.strip()]
    found += [f"{path}: this process no longer holds a lock on it while a connection is "
              f"open (a descriptor of the file was closed, e.g. by native code)"
              for path in getattr(request.node, "locks_lost", [])]
    if found:
        pytest.fail("the lock rule of a live database was broken (issue 17):\n"
                    + "\n".join(found),
                    pytrace=False)


def _held_test_buttons():
    """The mouse buttons QTest believes are still held (its own state, shared by every later
    test in the process): a widget never shown is sent a move, which QTest delivers to it
    directly only while it holds a button (otherwise it moves the platform's cursor)."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QWidget

    class Probe(QWidget):
        held = Qt.MouseButton.NoButton

        def mouseMoveEvent(self, event):
            Probe.held = event.buttons()

    probe = Probe()
    QTest.mouseMove(probe, QPoint(1, 1))
    held = Probe.held
    for button in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton,
                   Qt.MouseButton.MiddleButton):
        if held & button:  # let go, so that the next tests are not dragging
            QTest.mouseRelease(probe, button, Qt.KeyboardModifier.NoModifier, QPoint(1, 1))
    probe.deleteLater()
    return held


@pytest.fixture(autouse=True)
def no_mouse_button_left_held(request):
    """Fail a GUI test that leaves a QTest mouse button pressed (``QTest.mousePress``
    without its release, or Qt 6's ``QTest.mouseDClick`` alone): every later QTest move
    in the worker would carry it, so hovering fails in whichever test comes next."""
    yield
    if "qtbot" not in request.fixturenames:
        return
    from PySide6.QtCore import Qt

    held = _held_test_buttons()
    if held != Qt.MouseButton.NoButton:
        pytest.fail(f"the test left QTest's mouse button(s) {held!r} pressed: release them "
                    "(tests/gui/helpers.double_click for a double click)", pytrace=False)


@pytest.fixture(autouse=True)
def background_work_ends_with_its_test():
    """Keyring and connection work of a window runs on Qt's global thread pool; a task
    still running after its test (a connection test waiting out its timeout) must not
    touch the next test's keyring, notices or database. Windows an earlier test closed
    (pytest-qt closes them and deletes them later) are deleted now, before this test:
    a closed window's timer polling its database must not fire in a later test that
    rebinds the models (an in-process CLI run)."""
    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QCoreApplication, QEvent

        if QCoreApplication.instance() is not None:
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    yield
    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(20_000)


@pytest.fixture
def db_path(engine, tmp_path, request):
    """Where the test's database is: a SQLite file not made yet — or, in a module marked
    ``both_engines``, a team database's URL with empty tables on the second run."""
    if engine == "sqlite":
        return tmp_path / "planner.db"
    from tests.helpers.postgres import team_database

    return team_database(request)


@pytest.fixture
def opened(db_path):
    """A fresh, migrated database bound to the models for the duration of a test."""
    from planner.storage.database import open_database

    handle = open_database(str(db_path))
    yield handle
    handle.close()


def pytest_xdist_auto_num_workers(config):
    """``-n auto`` (the README's test command): two workers per core. About a third of
    the suite's time is waiting, not computing (real servers, timeouts that must run out,
    killed and restarted processes, a window's first frame), so twice the cores keeps
    them busy: 246 s instead of 295-303 s with one worker per core on 2 cores (issue 22:
    the whole suite under 5 minutes), no test slower than its margins."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return 2 * cores


def pytest_generate_tests(metafunc):
    """A module marked ``both_engines`` runs each test on SQLite and on PostgreSQL (its
    ``db_path`` and ``opened``); tests/helpers/postgres.py has the ``engine`` fixture."""
    marked = metafunc.definition.get_closest_marker
    if "engine" in metafunc.fixturenames and marked("both_engines") and not marked(
            "sqlite_only"):
        metafunc.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def memory_keyring():
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1

        def __init__(self):
            super().__init__()
            self.store: dict[tuple[str, str], str] = {}

        def get_password(self, service, username):
            return self.store.get((service, username))

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def delete_password(self, service, username):
            self.store.pop((service, username), None)

    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


def pytest_collection_modifyitems(config, items):
    """Tests that use the Qt fixtures are marked ``gui``: ``-m 'not gui'`` runs the fast set."""
    for item in items:
        if {"qtbot", "qapp", "qtmodeltester"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)
