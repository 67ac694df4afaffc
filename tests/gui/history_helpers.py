"""Helpers for the history tests (logging, timelines, search): data, the window, reading views.

The window is the real one from ``planner.app.build_main_window``; every check of
what was saved reads the file through a separate sqlite3 connection.
"""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from planner.domain.rings import Ring
from tests.helpers.stores import bound

WINDOW_SIZE = (1280, 820)

#: every kind with a single key, and the note key
KEYS = {
    "coffee": Qt.Key.Key_C,
    "im": Qt.Key.Key_I,
    "sms": Qt.Key.Key_S,
    "call": Qt.Key.Key_P,
    "video": Qt.Key.Key_V,
    "email": Qt.Key.Key_E,
    "meal": Qt.Key.Key_M,
    "note": Qt.Key.Key_N,
}


# -- data ---------------------------------------------------------------------------------
def make_people(path: Path, people: dict[str, Ring | None]) -> dict[str, int]:
    """Create ``path`` holding these people (name → ring or None); return name → id."""
    from planner.services import contacts
    from planner.storage.database import open_database
    from planner.storage.models import db_proxy

    opened = open_database(str(path))
    try:
        with db_proxy.atomic():
            return {name: contacts.add_contact(bound(), name,
                                               ring=ring).id for name, ring in people.items()}
    finally:
        opened.close()


@contextmanager
def database(path: Path):
    """The database bound to the models for a block (to write history before a window opens)."""
    from planner.storage.database import open_database

    opened = open_database(str(path))
    try:
        yield opened
    finally:
        opened.close()


def rows(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Run a query on the file through its own connection: what is really on disk."""
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def touchpoints(path: Path, contact_id: int | None = None) -> list[tuple]:
    """(id, contact_id, kind, at, minutes, note) of every touchpoint, oldest id first."""
    where, params = ("WHERE contact_id = ?", (contact_id,)) if contact_id else ("", ())
    return rows(
        path,
        f"SELECT id, contact_id, kind, at, minutes, note FROM touchpoint {where} ORDER BY id",
        params,
    )


def notes(path: Path, contact_id: int | None = None) -> list[tuple]:
    """(id, contact_id, at, text) of every note, oldest id first."""
    where, params = ("WHERE contact_id = ?", (contact_id,)) if contact_id else ("", ())
    return rows(path, f"SELECT id, contact_id, at, text FROM note {where} ORDER BY id", params)


def stored_time(text: str) -> datetime:
    """A stored time (UTC text) as an aware datetime."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=UTC)


def local_day(moment: datetime) -> date:
    return moment.astimezone().date()


def local_today() -> date:
    return datetime.now().astimezone().date()


def yesterday_at(hour: int, minute: int = 0) -> datetime:
    """Yesterday at this local wall time, as an aware local datetime."""
    day = local_today() - timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, minute).astimezone()


# -- the window ------------------------------------------------------------------------------
def private_settings() -> None:
    """QSettings in this test's private config folder, emptied (Qt caches the XDG path)."""
    folder = Path(os.environ["XDG_CONFIG_HOME"])
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    settings = QSettings()
    settings.clear()
    settings.sync()


def open_window(qtbot, path: Path):
    """The real main window on ``path``, shown offscreen and active, canvas fitted."""
    from planner.app import build_main_window

    private_settings()
    window = build_main_window(str(path), watch=False)
    qtbot.addWidget(window)
    window.resize(*WINDOW_SIZE)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.view.fit()
    return window


def select_on_canvas(qtbot, window, contact_id: int):
    """Select a person and give the canvas the keyboard focus, as after a click on the node."""
    window.select(contact_id)
    window.view.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(window.view.hasFocus, timeout=2000)
    return window.view


def opened_dialog(qtbot, window):
    """The log dialog the window has open (waits until it is visible)."""
    qtbot.waitUntil(
        lambda: window.history.dialog is not None and window.history.dialog.isVisible(),
        timeout=2000,
    )
    return window.history.dialog


def type_note(dialog, text: str) -> None:
    """Type ASCII into the note field key by key (QTest.keyClicks aborts on non-ASCII)."""
    dialog.note.setFocus()
    QTest.keyClicks(dialog.note, text)


def save_with_enter(qtbot, dialog) -> None:
    """Enter in the note field saves the dialog."""
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        QTest.keyClick(dialog.note, Qt.Key.Key_Return)
    assert not dialog.isVisible()


# -- reading the views -----------------------------------------------------------------------
def model_rows(model) -> list[tuple[bool, object]]:
    """(is day header, header text or entry) for every loaded row of a timeline model."""
    from planner.ui.timeline.timeline_model import Role

    out = []
    for row in range(model.rowCount()):
        index = model.index(row)
        if index.data(Role.IS_HEADER):
            out.append((True, index.data()))
        else:
            out.append((False, index.data(Role.ENTRY)))
    return out


def loaded_entries(model) -> list:
    return [item for header, item in model_rows(model) if not header]


def all_entries(model, max_pages: int = 10_000) -> list:
    """Page in everything (as scrolling to the end would) and return the entries."""
    from PySide6.QtCore import QModelIndex

    for _ in range(max_pages):
        if not model.canFetchMore(QModelIndex()):
            break
        model.fetchMore(QModelIndex())
    return loaded_entries(model)


def first_entry(model):
    entries = loaded_entries(model)
    return entries[0] if entries else None


def entry_row(model, entry_id: str) -> int | None:
    from planner.ui.timeline.timeline_model import Role

    for row in range(model.rowCount()):
        if model.index(row).data(Role.ENTRY_ID) == entry_id:
            return row
    return None


def contact_list_last_touch(window, contact_id: int) -> str:
    """The Last touch cell of a person in the contact list, as shown."""
    from planner.ui.people.contact_model import COLUMNS

    model = window.contact_list.model
    return model.index(model.row_of(contact_id), COLUMNS.index("Last touch")).data()


def person_last_touch(window) -> str:
    return window.person.fields["last"].text()


def node_tooltip(window, contact_id: int) -> str:
    return window.scene.nodes[contact_id].toolTip()


# -- time zone -------------------------------------------------------------------------------
@contextmanager
def local_zone(name: str):
    """Run with this local time zone, so "local" and UTC really differ in a test."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


def header_above(model, entry_id: str) -> str | None:
    """The day header an entry is listed under."""
    header = None
    for is_header, item in model_rows(model):
        if is_header:
            header = item
        elif item.id == entry_id:
            return header
    return None


def find_entry(model, entry_id: str):
    for item in loaded_entries(model):
        if item.id == entry_id:
            return item
    return None
