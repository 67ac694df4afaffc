"""Schema migrations: upgrading a database made by an earlier schema, with a backup
first; a failing step leaves the file as it was; backups rotate."""

from __future__ import annotations

import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from planner.domain.errors import DatabaseProblem
from planner.storage import migrations
from planner.storage.database import open_database
from planner.storage.sqlite.backup import backup_file, backup_name, list_backups, rotate
from tests.helpers.stores import bound


def query(path: Path, sql: str, *args):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def columns(path: Path, table: str) -> list[str]:
    return [row[1] for row in query(path, f"PRAGMA table_info({table})")]


def tables(path: Path) -> set[str]:
    return {r[0] for r in query(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}


def version(path: Path) -> int:
    return int(query(path, "SELECT value FROM planner_meta WHERE key = 'schema_version'")[0][0])


def dump(path: Path, table: str) -> list[tuple]:
    return query(path, f"SELECT * FROM {table} ORDER BY 1")


def make_database(path: Path, *, log_touchpoint: bool = True) -> None:
    """``log_touchpoint=False``: for a database of an older schema, whose touchpoint table
    this code's model (with schema 7's ``source``) cannot write; the caller inserts one."""
    from planner.domain.rings import Ring
    from planner.services import contacts, touchpoints

    handle = open_database(str(path))
    try:
        ada = contacts.add_contact(bound(), "Ada Lovelace", ring=Ring.INNER,
                                   email="ada@example.org")
        contacts.add_contact(bound(), "Grace Hopper", ring=Ring.MIDDLE, tags=["navy"])
        if log_touchpoint:
            touchpoints.log_touchpoint(bound(), ada.id, "coffee", note="engines")
        touchpoints.add_note(bound(), ada.id, "likes **analytical** engines")
    finally:
        handle.close()


#: the schema this code knows; the tests add a step after it to play "the next release"
CURRENT = migrations.LATEST
NEXT = CURRENT + 1


@pytest.fixture
def old_database(db_path) -> Path:
    """A database with data, made by this code (schema CURRENT), before NEXT exists."""
    make_database(db_path)
    assert version(db_path) == CURRENT
    return db_path


def with_next_step(monkeypatch, step) -> None:
    monkeypatch.setattr(migrations, "STEPS", {**migrations.STEPS, NEXT: step})
    monkeypatch.setattr(migrations, "LATEST", NEXT)


def _add_pronouns_and_pledges(db) -> None:
    db.execute_sql("ALTER TABLE contact ADD COLUMN pronouns VARCHAR(50) NOT NULL DEFAULT ''")
    db.execute_sql(
        "CREATE TABLE pledge (id INTEGER PRIMARY KEY, contact_id INTEGER NOT NULL "
        "REFERENCES contact (id) ON DELETE CASCADE, what TEXT NOT NULL)"
    )


def test_fresh_database_is_at_the_latest_version_without_a_backup(db_path, opened):
    assert opened.schema_version == migrations.LATEST
    assert version(db_path) == migrations.LATEST
    assert list_backups(db_path) == []
    assert not (db_path.parent / "backups").exists()
    assert {"contact", "placement", "ring_move", "touchpoint", "note", "setting"} <= tables(db_path)


def test_an_older_database_is_migrated_after_a_backup(old_database, monkeypatch):
    path = old_database
    contacts_before = dump(path, "contact")
    placements_before = dump(path, "placement")
    touchpoints_before = dump(path, "touchpoint")
    notes_before = dump(path, "note")
    moves_before = dump(path, "ring_move")
    assert len(contacts_before) == 2

    with_next_step(monkeypatch, _add_pronouns_and_pledges)
    handle = open_database(str(path))
    try:
        assert handle.schema_version == NEXT
        # the app still works on the migrated database
        from planner.services import contacts

        assert [c.name for c in contacts.list_contacts()] == ["Ada Lovelace", "Grace Hopper"]
    finally:
        handle.close()

    assert version(path) == NEXT
    assert "pronouns" in columns(path, "contact")
    assert "pledge" in tables(path)
    # every row kept (the new column is appended with its default)
    assert [row[:-1] for row in dump(path, "contact")] == contacts_before
    assert {row[-1] for row in dump(path, "contact")} == {""}
    assert dump(path, "placement") == placements_before
    assert dump(path, "touchpoint") == touchpoints_before
    assert dump(path, "note") == notes_before
    assert dump(path, "ring_move") == moves_before

    backups = list_backups(path)
    assert len(backups) == 1
    backup = backups[0]
    assert backup.parent == path.parent / "backups"
    assert f"pre-migration-v{CURRENT}" in backup.name
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    # the backup is a complete version-1 database with the rows
    assert version(backup) == CURRENT
    assert "pronouns" not in columns(backup, "contact")
    assert "pledge" not in tables(backup)
    assert dump(backup, "contact") == contacts_before
    assert dump(backup, "touchpoint") == touchpoints_before
    assert dump(backup, "note") == notes_before
    assert query(backup, "PRAGMA integrity_check") == [("ok",)]

    # opening again does not migrate or back up again
    handle = open_database(str(path))
    handle.close()
    assert len(list_backups(path)) == 1


def test_a_failing_step_rolls_everything_back(old_database, monkeypatch):
    path = old_database
    contacts_before = dump(path, "contact")

    def broken(db):
        _add_pronouns_and_pledges(db)
        db.execute_sql("INSERT INTO pledge (contact_id, what) VALUES (1, 'a talk')")
        db.execute_sql("UPDATE contact SET name = 'CHANGED'")
        db.execute_sql("ALTER TABLE no_such_table ADD COLUMN x TEXT")  # fails

    with_next_step(monkeypatch, broken)
    with pytest.raises(DatabaseProblem) as err:
        open_database(str(path))
    assert "\n" not in str(err.value)
    assert version(path) == CURRENT
    assert "pronouns" not in columns(path, "contact")
    assert "pledge" not in tables(path)
    assert dump(path, "contact") == contacts_before
    assert query(path, "PRAGMA integrity_check") == [("ok",)]

    # the database still opens with the code that knows version 1
    monkeypatch.undo()
    handle = open_database(str(path))
    try:
        assert handle.schema_version == CURRENT
    finally:
        handle.close()


def test_a_step_that_raises_a_python_error_also_rolls_back(old_database, monkeypatch):
    path = old_database

    def buggy(db):
        _add_pronouns_and_pledges(db)
        raise RuntimeError("bug in step 2")

    with_next_step(monkeypatch, buggy)
    with pytest.raises(RuntimeError, match="bug in step 2"):
        open_database(str(path))
    assert version(path) == CURRENT
    assert "pronouns" not in columns(path, "contact")
    assert "pledge" not in tables(path)


def test_migrating_several_steps_runs_them_in_order(old_database, monkeypatch):
    ran = []

    def step(n):
        def run(db):
            ran.append(n)
            db.execute_sql(f"CREATE TABLE t{n} (x INTEGER)")

        return run

    steps = {NEXT: step(NEXT), NEXT + 1: step(NEXT + 1)}
    monkeypatch.setattr(migrations, "STEPS", {**migrations.STEPS, **steps})
    monkeypatch.setattr(migrations, "LATEST", NEXT + 1)
    handle = open_database(str(old_database))
    handle.close()
    assert ran == [NEXT, NEXT + 1]
    assert version(old_database) == NEXT + 1
    assert {f"t{NEXT}", f"t{NEXT + 1}"} <= tables(old_database)
    assert len(list_backups(old_database)) == 1


def test_open_without_migrate_leaves_an_old_database_alone(old_database, monkeypatch):
    with_next_step(monkeypatch, _add_pronouns_and_pledges)
    handle = open_database(str(old_database), migrate=False)
    handle.close()
    assert handle.schema_version == CURRENT
    assert version(old_database) == CURRENT
    assert list_backups(old_database) == []


@pytest.mark.skipif(CURRENT == 1, reason="there is no schema before version 1")
def test_a_real_version_1_database_is_migrated_to_the_latest_schema(db_path, monkeypatch):
    """The real steps after version 1 run on a database made by version 1."""
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "STEPS", {1: migrations.STEPS[1]})
        patch.setattr(migrations, "LATEST", 1)
        make_database(db_path, log_touchpoint=False)
    conn = sqlite3.connect(db_path)  # as version 1 wrote it (no connection is open here)
    with conn:
        conn.execute("INSERT INTO touchpoint (contact_id, kind, at, minutes, note, author, "
                     "created_at, updated_at, version) VALUES (1, 'coffee', "
                     "'2026-12-01 10:00:00.000000', NULL, 'engines', '', "
                     "'2026-12-01 10:00:00.000000', '2026-12-01 10:00:00.000000', 1)")
    conn.close()
    assert version(db_path) == 1
    contacts_before = dump(db_path, "contact")
    notes_before = dump(db_path, "note")

    handle = open_database(str(db_path))
    try:
        assert handle.schema_version == CURRENT
        from planner.services import contacts, touchpoints

        assert [c.name for c in contacts.list_contacts()] == ["Ada Lovelace", "Grace Hopper"]
        ada = contacts.resolve_contact("ada")
        touchpoints.add_note(bound(), ada.id, "written after the upgrade")
    finally:
        handle.close()
    assert version(db_path) == CURRENT
    assert dump(db_path, "contact") == contacts_before
    assert dump(db_path, "note")[: len(notes_before)] == notes_before
    assert query(db_path, "SELECT note, source FROM touchpoint") == [("engines", "")]
    (backup,) = list_backups(db_path)
    assert "pre-migration-v1" in backup.name
    assert version(backup) == 1
    assert dump(backup, "contact") == contacts_before


V1_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "schemas" / "planner-v1.db"


@pytest.mark.skipif(not V1_FIXTURE.exists(), reason="no version-1 fixture file yet")
def test_the_kept_version_1_file_migrates_to_the_latest_schema(tmp_path):
    import shutil

    path = tmp_path / "old.db"
    shutil.copyfile(V1_FIXTURE, path)
    assert version(path) == 1
    contacts_before = dump(path, "contact")
    touchpoints_before = dump(path, "touchpoint")
    assert contacts_before, "the fixture has people in it"

    handle = open_database(str(path))
    try:
        from planner.services import contacts, touchpoints

        assert handle.schema_version == migrations.LATEST
        people = contacts.list_contacts()
        assert [c.id for c in people] == sorted(row[0] for row in contacts_before)
        assert all(c.created_at.tzinfo is not None for c in people)
        assert len(touchpoints.timeline(limit=100)) >= len(touchpoints_before)
    finally:
        handle.close()
    assert version(path) == migrations.LATEST
    assert dump(path, "contact") == contacts_before
    assert [row[:-1] for row in dump(path, "touchpoint")] == touchpoints_before
    assert {row[-1] for row in dump(path, "touchpoint")} <= {""}  # schema 7's source
    (backup,) = list_backups(path)
    assert version(backup) == 1
    assert dump(backup, "contact") == contacts_before
    # the fixture itself was only copied, never opened for writing
    assert version(V1_FIXTURE) == 1


# ------------------------------------------------------------------ backups


def test_backups_rotate_keeping_the_newest(db_path, opened):
    start = datetime(2026, 11, 16, 9, 0, 0)
    made = [
        backup_file(db_path, backup_name(db_path, "manual", start + timedelta(minutes=i)))
        for i in range(5)
    ]
    stranger = db_path.parent / "backups" / "unrelated.txt"
    stranger.write_text("not a backup")
    assert list_backups(db_path) == made

    removed = rotate(db_path, keep=3)
    assert removed == made[:2]
    assert list_backups(db_path) == made[2:]
    assert all(not p.exists() for p in made[:2])
    assert stranger.exists()
    assert rotate(db_path, keep=3) == []
    assert rotate(db_path, keep=0) == made[2:]
    assert list_backups(db_path) == []


def test_a_backup_is_a_consistent_private_copy(db_path, opened):
    from planner.services import contacts

    contacts.add_contact(opened.backend, "Ada")  # still in the WAL: the backup must see it anyway
    dest = backup_file(db_path, backup_name(db_path, "manual"))
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    assert query(dest, "SELECT name FROM contact") == [("Ada",)]
    assert query(dest, "PRAGMA journal_mode") == [("delete",)]
    assert not Path(f"{dest}.partial").exists()
