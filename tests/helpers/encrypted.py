"""A database with sensitive notes, and what must hold for it once encrypted."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import tempfile
from pathlib import Path

from tests.helpers.stores import bound

SECRET = "Margarethe's chemotherapy starts in March"  # must never be found in plain bytes


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


#: people -> (a closed database filled once in this test process, its row counts)
_FILLED: dict[int, tuple[Path, dict[str, int]]] = {}


def fill(db_path: Path, people: int = 30) -> dict[str, int]:
    """Create and fill a plain database at ``db_path``; return the row counts.

    The first call for a size fills one through the app (90 commits), later ones copy
    that closed file (no connection holds it: a plain copy is the whole database)."""
    if people not in _FILLED:
        template = Path(tempfile.mkdtemp(prefix="planner-filled-")) / "planner.db"
        _FILLED[people] = (template, _fill(template, people))
    template, counts = _FILLED[people]
    shutil.copy2(template, db_path)
    return dict(counts)


def _fill(db_path: Path, people: int) -> dict[str, int]:
    from planner.domain.rings import Ring
    from planner.services import contacts, touchpoints
    from planner.storage import dump
    from planner.storage.database import open_database

    handle = open_database(str(db_path))
    try:
        for i in range(people):
            ring = Ring.INNER if i < 3 else None
            person = contacts.add_contact(bound(), f"Person {i}", ring=ring, notes=f"{SECRET} #{i}")
            touchpoints.log_touchpoint(bound(), person.id, "coffee", note=f"talked about {SECRET}")
            touchpoints.add_note(bound(), person.id, f"note {i}: {SECRET}")
        return dump.row_counts()
    finally:
        handle.close()


def read_all(db_path: Path, **open_args) -> tuple[dict[str, int], list[str], int]:
    """(row counts, names, search hits for 'chemotherapy') through the app's open path."""
    from planner.services import contacts, search
    from planner.storage import dump
    from planner.storage.database import open_database

    handle = open_database(str(db_path), **open_args)
    try:
        names = sorted(c.name for c in contacts.list_contacts())
        return dump.row_counts(), names, len(search.search("chemotherapy", limit=1000))
    finally:
        handle.close()


def plain_sqlite_cannot_read(path: Path) -> bool:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        return True
    finally:
        conn.close()
    return False


def assert_encrypted_on_disk(path: Path) -> None:
    data = Path(path).read_bytes()
    assert not data.startswith(b"SQLite format 3"), f"{path} is plaintext"
    assert SECRET.encode() not in data
    assert b"Person 1" not in data
    assert plain_sqlite_cannot_read(path)
