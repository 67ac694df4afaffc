"""A real version-1 database (made by the foundation release) opened by this version.

tests/fixtures/schemas/planner-v1.db holds 3 contacts (one named "Zoë Ümlaut"),
2 placements with their ring moves, 2 touchpoints and 1 note. Opening a copy
must migrate it to the latest schema, keep a backup of the v1 file, keep every
row, and build the full-text index from the rows that were already there.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from planner.storage import migrations
from planner.storage.database import inspect_sqlite_file, open_database
from planner.storage.sqlite.backup import backups_folder, list_backups
from tests.helpers.stores import bound

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "schemas" / "planner-v1.db"
TABLES = ("contact", "placement", "ring_move", "touchpoint", "note", "setting")


def read(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of the version-1 tables, in the columns version 1 made (a later schema
    may add one with its default, e.g. schema 7's touchpoint.source)."""
    out = {}
    for t in TABLES:
        names = [r[1] for r in read(FIXTURE, f"PRAGMA table_info({t})")]
        out[t] = read(path, f"SELECT {', '.join(names)} FROM {t} ORDER BY 1")
    return out


def schema_version(path: Path) -> int:
    return int(read(path, "SELECT value FROM planner_meta WHERE key='schema_version'")[0][0])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def v1(tmp_path) -> Path:
    path = tmp_path / "data" / "planner.db"
    path.parent.mkdir()
    shutil.copyfile(FIXTURE, path)
    return path


def test_the_fixture_is_what_this_test_expects():
    assert schema_version(FIXTURE) == 1
    assert inspect_sqlite_file(FIXTURE) == 1
    data = dump(FIXTURE)
    assert (len(data["contact"]), len(data["touchpoint"]), len(data["note"])) == (3, 2, 1)
    names = {r[0] for r in read(FIXTURE, "SELECT name FROM sqlite_master")}
    assert not {"touchpoint_fts", "note_fts"} & names


def test_opening_migrates_keeps_every_row_and_a_v1_backup(v1):
    fixture_digest = digest(FIXTURE)
    before = dump(v1)
    assert migrations.LATEST > 1

    opened = open_database(str(v1))
    try:
        assert opened.schema_version == migrations.LATEST
    finally:
        opened.close()

    assert schema_version(v1) == migrations.LATEST
    assert dump(v1) == before  # every row of every table, unchanged
    assert read(v1, "PRAGMA application_id")[0][0] == migrations.SQLITE_APPLICATION_ID

    (backup,) = list_backups(v1)
    assert backup.parent == backups_folder(v1) == v1.parent / "backups"
    assert "pre-migration-v1" in backup.name
    assert schema_version(backup) == 1
    assert inspect_sqlite_file(backup) == 1  # it still opens as a version-1 file
    assert dump(backup) == before
    assert not {"touchpoint_fts", "note_fts"} & {
        r[0] for r in read(backup, "SELECT name FROM sqlite_master")
    }
    assert read(backup, "PRAGMA integrity_check") == [("ok",)]
    assert digest(FIXTURE) == fixture_digest  # the kept fixture was only copied


def test_old_notes_and_touchpoint_notes_are_searchable(v1):
    from planner.services import search

    opened = open_database(str(v1))
    try:
        (note,) = search.search("fosdem")
        assert (note.id, note.contact) == ("note:1", "Zoë Ümlaut")
        (coffee,) = search.search("analytical")
        assert (coffee.id, coffee.kind, coffee.contact) == (
            "touchpoint:1",
            "coffee",
            "Ada Lovelace",
        )
        (video,) = search.search("COMPILERS")
        assert video.id == "touchpoint:2"
        assert [h.id for h in search.search("conf")] == [note.id]  # prefix of "conference"
        assert (
            opened.db.execute_sql(
                "SELECT (SELECT count(*) FROM touchpoint_fts) + (SELECT count(*) FROM note_fts)"
            ).fetchone()[0]
            == 3
        )
    finally:
        opened.close()


def test_reopening_does_not_index_twice_and_new_writes_are_indexed(v1):
    from planner.services import search
    from planner.services import touchpoints as svc

    open_database(str(v1)).close()
    opened = open_database(str(v1))
    try:
        assert (
            opened.db.execute_sql(
                "SELECT (SELECT count(*) FROM touchpoint_fts) + (SELECT count(*) FROM note_fts)"
            ).fetchone()[0]
            == 3
        )
        assert len(search.search("fosdem")) == 1
        svc.add_note(bound(), 3, "Zoë gave the FOSDEM keynote")
        svc.log_touchpoint(bound(), 1, "call", note="More about the analytical engine")
        assert len(search.search("fosdem")) == 2
        assert len(search.search("analytical engine")) == 2
    finally:
        opened.close()
    assert len(list_backups(v1)) == 1  # no second backup: it was already up to date
