"""Databases made by every earlier schema version open, migrate with a backup kept,
and keep every row. Fixtures: tests/fixtures/schemas/planner-v<N>.db (v2 is built
from v1 by tests/fixtures/schemas/make_v2.py, v3 from v2 by make_v3.py)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from planner.domain.errors import DatabaseProblem
from planner.storage import migrations
from planner.storage.database import open_database
from planner.storage.settings_repo import OWN_ADDRESSES_KEY
from planner.storage.sqlite.backup import list_backups
from tests.helpers.stores import bound

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"
FIXTURES = sorted(SCHEMAS.glob("planner-v*.db"))


def version_of(path: Path) -> int:
    return int(read(path, "SELECT value FROM planner_meta WHERE key='schema_version'")[0][0])


def read(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def data_tables(path: Path) -> list[str]:
    names = [r[0] for r in read(path, "SELECT name FROM sqlite_master WHERE type='table' "
                                      "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    # the search index's own tables are derived data, rebuilt by migrations
    return [n for n in names if n != "planner_meta" and "_fts" not in n]


def dump(path: Path, tables: list[str], like: Path | None = None) -> dict[str, list[tuple]]:
    """Every row of ``tables``; ``like``: only the columns that file's tables have (a
    later schema may add a column with its default, e.g. schema 7's touchpoint.source)."""
    out = {}
    for t in tables:
        names = [r[1] for r in read(like or path, f'PRAGMA table_info("{t}")')]
        columns = ", ".join(f'"{n}"' for n in names)
        out[t] = read(path, f'SELECT {columns} FROM "{t}" ORDER BY 1')
    return out


def test_there_is_a_fixture_for_every_earlier_version():
    versions = sorted(version_of(p) for p in FIXTURES)
    assert versions == list(range(1, migrations.LATEST)), (
        "add tests/fixtures/schemas/planner-v<N>.db for each earlier schema version")


@pytest.fixture(params=FIXTURES, ids=lambda p: p.stem)
def old(request, tmp_path) -> Path:
    path = tmp_path / "data" / "planner.db"
    path.parent.mkdir()
    shutil.copyfile(request.param, path)
    return path


def test_opens_migrates_keeps_every_row_and_a_backup(old):
    version = version_of(old)
    tables = data_tables(old)
    before = dump(old, tables)
    assert sum(map(len, before.values())) > 0

    opened = open_database(str(old))
    try:
        assert opened.schema_version == migrations.LATEST
        from planner.services import contacts, search, touchpoints

        # the old rows are usable through today's services
        people = {c.name for c in contacts.list_contacts("all")}
        assert {r[1] for r in before["contact"]} <= people
        hits = search.search("analytical")
        assert hits, "the search index was built from the rows already there"
        touchpoints.add_note(bound(), 1, "written after the upgrade")
    finally:
        opened.close()

    assert version_of(old) == migrations.LATEST
    (backup,) = list_backups(old)
    after = dump(old, tables, like=backup)
    moved = [r for r in before["setting"] if r[0] == OWN_ADDRESSES_KEY]  # schema 9 moves it
    for table, rows in before.items():
        kept = [r for r in rows if table != "setting" or r not in moved]
        assert set(kept) <= set(after[table]), f"rows lost from {table}"
    assert [r[0] for r in after["setting"] if r[0] == OWN_ADDRESSES_KEY] == []
    assert len(after["note"]) == len(before["note"]) + 1
    assert read(old, "PRAGMA integrity_check")[0][0] == "ok"

    assert f"pre-migration-v{version}" in backup.name
    assert version_of(backup) == version
    assert dump(backup, tables) == before  # the kept copy is the old database, whole


def test_a_failed_migration_leaves_the_rows_and_the_version(old, monkeypatch):
    version = version_of(old)
    tables = data_tables(old)
    before = dump(old, tables)

    def broken(db):
        db.execute_sql('CREATE TABLE "contact" (id INTEGER)')  # fails: it exists

    monkeypatch.setitem(migrations.STEPS, migrations.LATEST, broken)
    with pytest.raises(DatabaseProblem):
        open_database(str(old))
    assert version_of(old) == version
    assert dump(old, tables) == before
    monkeypatch.undo()
    open_database(str(old)).close()  # the real migration still works afterwards
    assert version_of(old) == migrations.LATEST


def test_a_version_3_file_gets_the_cadence_table_and_keeps_its_cadences(tmp_path):
    """Schema 4 adds cadence_override (used by team databases); in a file the person's
    cadence stays ``contact.cadence_days``, and the v3 ledger rows are kept."""
    path = tmp_path / "data" / "planner.db"
    path.parent.mkdir()
    shutil.copyfile(SCHEMAS / "planner-v3.db", path)
    assert version_of(path) == 3
    ledger = {t: read(path, f"SELECT * FROM {t} ORDER BY 1") for t in ("ask", "give", "win")}

    opened = open_database(str(path))
    try:
        from planner.services import contacts

        katherine = contacts.resolve_contact("Katherine Johnson")
        assert katherine.cadence_days == 21 and katherine.last_touch is not None
        assert contacts.edit_contact(bound(), katherine.id, cadence_days=9).cadence_days == 9
    finally:
        opened.close()
    assert version_of(path) == migrations.LATEST
    assert read(path, "SELECT count(*) FROM cadence_override") == [(0,)]
    assert read(path, "SELECT cadence_days FROM contact WHERE id = 5") == [(9,)]
    assert {t: read(path, f"SELECT * FROM {t} ORDER BY 1") for t in ledger} == ledger
    (backup,) = list_backups(path)
    assert "pre-migration-v3" in backup.name and version_of(backup) == 3
    assert "cadence_override" not in {r[0] for r in read(backup, "SELECT name FROM sqlite_master")}


def test_a_version_4_file_gets_the_photo_table_and_keeps_everything(tmp_path):
    """Schema 5 adds contact_photo (issue 19); nothing of a version 4 file changes."""
    path = tmp_path / "data" / "planner.db"
    path.parent.mkdir()
    shutil.copyfile(SCHEMAS / "planner-v4.db", path)
    assert version_of(path) == 4
    tables = ("contact", "placement", "touchpoint", "ask", "give", "win", "cadence_override")
    before = dump(path, list(tables))
    open_database(str(path)).close()
    assert version_of(path) == migrations.LATEST
    assert read(path, "SELECT count(*) FROM contact_photo") == [(0,)]
    (backup,) = list_backups(path)
    assert dump(path, list(tables), like=backup) == before
    assert "pre-migration-v4" in backup.name and version_of(backup) == 4


def test_a_version_5_file_gets_the_snooze_table_and_keeps_everything(tmp_path):
    """Schema 6 adds snooze (issue 21); nothing of a version 5 file changes, its photo
    included, and a snooze can be made at once."""
    path = tmp_path / "data" / "planner.db"
    path.parent.mkdir()
    shutil.copyfile(SCHEMAS / "planner-v5.db", path)
    assert version_of(path) == 5
    tables = ("contact", "placement", "touchpoint", "cadence_override", "contact_photo")
    before = dump(path, list(tables))
    opened = open_database(str(path))
    try:
        from planner.services import snoozes

        snoozes.snooze(bound(), 5, "3d")
    finally:
        opened.close()
    assert version_of(path) == migrations.LATEST
    assert read(path, "SELECT contact_id, cleared_at FROM snooze") == [(5, None)]
    (backup,) = list_backups(path)
    assert dump(path, list(tables), like=backup) == before
    assert "pre-migration-v5" in backup.name and version_of(backup) == 5


def test_a_version_6_file_gets_the_capture_tables_and_keeps_everything(tmp_path):
    """Schema 7 adds touchpoint.source ("" for every touchpoint already there) and the
    capture tables (issue 24); nothing else of a version 6 file changes, its snooze
    included, and a capture source and proposal can be made at once."""
    path = tmp_path / "data" / "planner.db"
    path.parent.mkdir()
    shutil.copyfile(SCHEMAS / "planner-v6.db", path)
    assert version_of(path) == 6
    tables = ["contact", "placement", "touchpoint", "cadence_override", "contact_photo",
              "snooze"]
    before = dump(path, tables)
    opened = open_database(str(path))
    try:
        from planner.services import capture

        source = capture.add_source(bound(), "ics", "Work", str(tmp_path / "work.ics"))
        assert capture.get_source(source.id).label == "Work"
    finally:
        opened.close()
    assert version_of(path) == migrations.LATEST
    assert {r[0] for r in read(path, "SELECT source FROM touchpoint")} == {""}
    assert read(path, "SELECT kind, label FROM capture_source") == [("ics", "Work")]
    assert read(path, "SELECT count(*) FROM capture_proposal") == [(0,)]
    (backup,) = list_backups(path)
    assert dump(path, tables, like=backup) == before
    assert "pre-migration-v6" in backup.name and version_of(backup) == 6


def test_a_version_8_file_keeps_its_own_addresses_as_its_own_setting(tmp_path):
    """Schema 9 moves the own addresses for capture out of the shared settings (where a
    teammate could read and change them) into ``own_setting``: the user's list is kept."""
    path = tmp_path / "data" / "planner.db"
    path.parent.mkdir()
    shutil.copyfile(SCHEMAS / "planner-v8.db", path)
    assert read(path, f"SELECT count(*) FROM setting WHERE key = '{OWN_ADDRESSES_KEY}'") == [
        (1,)]
    opened = open_database(str(path))
    try:
        from planner.services import capture

        assert capture.own_address_list() == ["ada@home.example.org", "ada@work.example.org"]
        assert capture.set_own_addresses(bound(),
                                         ["Ada@Home.example.org"]) == ["ada@home.example.org"]
        assert capture.own_address_list() == ["ada@home.example.org"]
    finally:
        opened.close()
    assert read(path, f"SELECT count(*) FROM setting WHERE key = '{OWN_ADDRESSES_KEY}'") == [
        (0,)]
    assert read(path, "SELECT owner, key, value FROM own_setting") == [
        ("", OWN_ADDRESSES_KEY, '["ada@home.example.org"]')]
