"""``planner --self-test``: prove that this installation (or bundle) really works.

Forces the offscreen platform, creates a temporary database, runs the
migrations, fills in sample data, builds and renders the main window, checks
the resources, the data folder and reports the keyring backend. Each check prints
one line in plain words: ``ok``, ``warn`` (the app works, but something is worth
knowing: no keyring, no font for a script) or ``FAIL``. Exit code 0 unless a check
failed; never a traceback on screen (an unexpected error's goes to the log file).
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.storage.backend import Backend

log = logging.getLogger(__name__)


class Warn(str):
    """A check's answer that is worth knowing but no failure (printed as ``warn``)."""


class Problem(Exception):
    """A check failed for a reason it can say in plain words (no exception name)."""


def _check(name: str, func: Callable[[], str], results: list[bool]) -> None:
    try:
        detail = func()
    except Problem as exc:
        results.append(False)
        print(f"FAIL {name}: {exc}")
        return
    except Exception as exc:  # the point is to report, not to crash
        results.append(False)
        print(f"FAIL {name}: {type(exc).__name__}: {exc}{_logged(name)}")
        return
    results.append(True)
    label = "warn" if isinstance(detail, Warn) else "ok  "
    print(f"{label} {name}" + (f": {detail}" if detail else ""))


def _logged(name: str) -> str:
    """The traceback of the exception being handled, into the log file; where it went."""
    from planner.logs import setup_logging

    path = setup_logging()
    log.exception("self-test: %s failed", name)
    for handler in logging.getLogger().handlers:
        handler.flush()
    return f" (details in {path})" if path.is_file() else ""


def _quiet_qt() -> None:
    """Qt's own chatter ("This plugin does not support propagateSizeHints()", said by
    the offscreen platform) goes to the log, not between the self-test's lines."""
    from PySide6.QtCore import qInstallMessageHandler

    qt_log = logging.getLogger("qt")
    qInstallMessageHandler(lambda _kind, _context, message: qt_log.info("%s", message))


def run_self_test() -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from planner import __version__

    print(f"Mentorship Planner {__version__} self-test (Python {sys.version.split()[0]})")
    _quiet_qt()
    results: list[bool] = []
    with tempfile.TemporaryDirectory(prefix="planner-selftest-") as tmp:
        db_path = Path(tmp) / "selftest.db"
        state: dict = {}
        _check("database and migrations", lambda: _database(db_path, state), results)
        _check("sample data", lambda: _sample_data(state["opened"].backend), results)
        _check("main window renders", lambda: _window(db_path, Path(tmp), state), results)
        _check("resources", _resources, results)
        _check("data folder", _data_folder, results)
        _check("fonts for every script", _fonts, results)
        _check("encrypted database (SQLCipher)", lambda: _sqlcipher(Path(tmp)), results)
        _check("keyring backend", _keyring, results)
        _check("calendar and mail sources (CalDAV, IMAP)", _capture_sources, results)
        if "opened" in state:
            state["opened"].close()
    ok = all(results)
    print("self-test passed" if ok else "self-test FAILED")
    return 0 if ok else 1


def _database(path: Path, state: dict) -> str:
    from planner.storage import migrations
    from planner.storage.database import open_database

    opened = open_database(str(path))
    state["opened"] = opened
    if opened.schema_version != migrations.LATEST:
        raise RuntimeError(f"schema {opened.schema_version}, expected {migrations.LATEST}")
    mode = opened.db.execute_sql("PRAGMA journal_mode").fetchone()[0]
    sqlite = ".".join(map(str, opened.db.server_version))
    return f"SQLite {sqlite}, schema v{opened.schema_version}, {mode}"


def _sample_data(store: Backend) -> str:
    from planner.domain.rings import Ring
    from planner.services import contacts, touchpoints

    people = [("Ada Lovelace", Ring.INNER), ("Grace Hopper", Ring.MIDDLE),
              ("Zoë Ümlaut", Ring.OUTER), ("Björn Andersson", None)]
    for name, ring in people:
        person = contacts.add_contact(store, name, ring=ring)
        touchpoints.log_touchpoint(store, person.id, "coffee", note=f"Self-test with {name}")
    return f"{len(people)} people, {len(people)} touchpoints"


def _window(db_path: Path, tmp: Path, state: dict) -> str:
    from planner.app import build_main_window, make_application

    app = make_application(["planner"])
    state["app"] = app
    window = build_main_window(str(db_path), watch=False, reuse=state.get("opened"))
    window.resize(1200, 800)
    window.show()
    app.processEvents()
    image = window.grab().toImage()
    out = tmp / "window.png"
    if image.isNull() or not image.save(str(out)):
        raise RuntimeError("the window could not be rendered to an image")
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37)
               for y in range(0, image.height(), 37)}
    if len(colours) < 8:
        raise RuntimeError("the rendered window is blank")
    nodes = len(window.scene.nodes)
    window.close()
    return f"{image.width()}×{image.height()}, {nodes} people on the rings"


def _resources() -> str:
    from planner.resources import expected_resources, missing_resources, resources_root

    missing = missing_resources()
    if missing:
        raise RuntimeError("missing: " + ", ".join(missing[:5]))
    from PySide6.QtGui import QIcon

    from planner.resources import app_icon_path

    if QIcon(str(app_icon_path())).isNull():
        raise RuntimeError("the app icon does not load")
    return f"{len(expected_resources())} files in {resources_root()}"


def _sqlcipher(tmp: Path) -> str:
    """Encrypt a copy, check it is not plaintext and that the key (only) opens it."""
    import sqlite3

    from planner.storage.sqlite import encryption, live_files

    path = tmp / "encrypted.db"
    conn = sqlite3.connect(path, factory=live_files.tracked(sqlite3.Connection))
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.execute("INSERT INTO t VALUES ('self-test secret')")
    conn.commit()
    conn.close()
    key = encryption.generate_key()
    done = encryption.encrypt(path, key)
    data = path.read_bytes()
    if data.startswith(b"SQLite format 3") or b"self-test secret" in data:
        raise RuntimeError("the encrypted file is readable without the key")
    if not encryption.check_key(path, key) or encryption.check_key(path, "wrong key"):
        raise RuntimeError("the key check does not work")
    conn = encryption.open_verified(path, key)
    version = conn.execute("PRAGMA cipher_version").fetchone()[0]
    conn.close()
    return f"SQLCipher {version}, {done.rows} row(s) verified"


def _data_folder() -> str:
    """Where the default database, its backups and the log are kept can be written (a
    temporary file is made and removed; a folder not there yet is not made)."""
    from planner.storage.target import data_dir

    folder = data_dir()
    there = folder
    while not there.exists() and there != there.parent:
        there = there.parent
    problem = None
    if not there.is_dir():
        problem = f"{there} is not a folder"
    elif there == folder:
        try:
            with tempfile.NamedTemporaryFile(dir=folder, prefix=".self-test-"):
                pass
        except OSError as exc:
            problem = exc.strerror or str(exc)
    elif not os.access(there, os.W_OK | os.X_OK):
        problem = f"{there} cannot be written"
    if problem:
        raise Problem(f"cannot keep data in {folder} ({problem}): the default database, "
                      "its backups and the log need it. Make it writable, or open a "
                      "database elsewhere with --db FILE (or PLANNER_DB)")
    return str(folder) if there == folder else f"{folder} (made at first start)"


def _keyring() -> str:
    import keyring

    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if getattr(backend, "priority", 0) > 0:
        return f"{name} (usable)"
    return Warn(f"no usable keyring ({name}): an encrypted database asks for its "
                "passphrase at every start, and team database passwords are not "
                "remembered; everything else works")


#: scripts people's names are written in, and a font package that covers them on Linux
SCRIPTS = (("Latin", "Latin"), ("Greek", "Greek"), ("Cyrillic", "Cyrillic"),
           ("Arabic", "Arabic"), ("Hebrew", "Hebrew"), ("Devanagari", "Devanagari"),
           ("Thai", "Thai"), ("SimplifiedChinese", "Chinese"), ("Japanese", "Japanese"),
           ("Korean", "Korean"))


def missing_scripts() -> list[str]:
    """The scripts no installed font can show (names there would be drawn as boxes)."""
    from PySide6.QtGui import QFontDatabase

    return [label for system, label in SCRIPTS
            if not QFontDatabase.families(getattr(QFontDatabase.WritingSystem, system))]


def _fonts() -> str:
    """Reported, not failed: the app works, but some names would show as boxes."""
    missing = missing_scripts()
    if not missing:
        return "every script has a font"
    return Warn(f"no font for {', '.join(missing)}: names in them show as boxes (on Linux "
                "install fonts-noto-core and fonts-noto-cjk)")


def _capture_sources() -> str:
    """What a CalDAV or IMAP sync imports only when it runs is all there (issue 24): the
    caldav client and its XML, niquests with the system's trust store (wassima), and
    imapclient's parser on a FETCH answer turned into an item. No network."""
    from imapclient.response_parser import parse_fetch_response

    from planner.sources import caldav_source, imap_source

    client = caldav_source._client(
        caldav_source.Account("https://127.0.0.1:9/self-test/", "self-test"), "-")
    try:
        body = client._build_sync_collection_body(sync_token=None, props=["getetag"])
    finally:
        client.close()
    import wassima

    authorities = wassima.generate_ca_bundle().count("BEGIN CERTIFICATE")
    header = (b"From: Ann <ann@example.org>\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\n"
              b"Message-ID: <self@test>\r\n\r\n")
    answer = parse_fetch_response([(b"1 (UID 7 BODY[HEADER.FIELDS (FROM DATE MESSAGE-ID)] "
                                    b"{%d}" % len(header), header), b")"],
                                  normalise_times=False, uid_is_key=True)
    fetched = answer[7][b"BODY[HEADER.FIELDS (FROM DATE MESSAGE-ID)]"]
    read = imap_source.read_message(fetched, None, False, False, None)
    if (b"sync-collection" not in body or read is None
            or read[1].addresses != (("ann@example.org", "Ann"),)):
        raise RuntimeError("the CalDAV or IMAP libraries answered wrongly")
    return f"caldav, imapclient; {authorities} trusted certificate authorities"
