"""Backups (now, daily, rotated, private) and restore (validated, kept, swapped atomically)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from planner.domain.errors import DatabaseProblem, InvalidInput
from planner.services import backups, contacts
from planner.services.backups import backup_now, daily_backup_if_due, restore
from planner.storage import migrations
from planner.storage.database import open_database
from planner.storage.models import db_proxy
from planner.storage.sqlite.backup import backup_file, backup_name, list_backups
from tests.helpers import elsewhere
from tests.helpers.stores import bound

V1_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "schemas" / "planner-v1.db"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def names_in(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM contact ORDER BY id")]
    finally:
        conn.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def folder_listing(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir()) + sorted(
        p.name for p in (path.parent / "backups").glob("*")
    )


# ------------------------------------------------------------------- backups


def test_backup_now_is_a_private_consistent_copy(opened, db_path):
    contacts.add_contact(bound(), "Ada")
    copy = backup_now(bound())
    assert copy.parent == db_path.parent / "backups"
    assert copy.name.startswith("planner-") and copy.name.endswith("-manual.db")
    assert mode(copy) == 0o600
    assert mode(copy.parent) == 0o700
    assert names_in(copy) == ["Ada"]
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        meta = dict(conn.execute("SELECT key, value FROM planner_meta"))
        assert meta["app"] == migrations.APP_MARKER
    finally:
        conn.close()
    assert not Path(f"{copy}-wal").exists() and not Path(f"{copy}.partial").exists()


def test_a_backup_leaves_out_an_unfinished_transaction(opened):
    contacts.add_contact(opened.backend, "Ada")
    with db_proxy.atomic():
        contacts.add_contact(opened.backend, "Grace")
        copy = backup_now(opened.backend)
    assert names_in(copy) == ["Ada"]


def test_a_backup_while_another_program_writes_is_consistent(opened, db_path):
    contacts.add_contact(bound(), "Ada")
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute(
            "INSERT INTO contact (name, email, phones, handles, channels, tags, timezone, "
            "birthday, organization, title, notes, stage, created_at, updated_at, version) "
            "SELECT 'Half', email, phones, handles, channels, tags, timezone, birthday, "
            "organization, title, notes, stage, created_at, updated_at, version FROM contact"
        )
        copy = backup_now(bound())  # WAL: readers never wait for the writer
        other.execute("COMMIT")
    finally:
        other.close()
    assert names_in(copy) == ["Ada"]
    assert backup_now(bound()).exists() and names_in(list_backups(db_path)[-1]) == ["Ada", "Half"]


def test_backup_to_a_chosen_file_or_folder(opened, db_path, tmp_path):
    contacts.add_contact(opened.backend, "Ada")
    chosen = backup_now(opened.backend, tmp_path / "mine.db")
    assert chosen == tmp_path / "mine.db" and names_in(chosen) == ["Ada"]
    assert mode(chosen) == 0o600
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    inside = backup_now(opened.backend, folder)
    assert inside.parent == folder and inside.name.endswith("-manual.db")
    assert list_backups(db_path) == []  # chosen places are not the rotated folder
    with pytest.raises(InvalidInput, match="the database itself"):
        backup_now(opened.backend, db_path)
    with pytest.raises(InvalidInput, match="does not exist"):
        backup_now(opened.backend, tmp_path / "no" / "such" / "folder.db")


def test_rotation_keeps_the_newest_n(opened, db_path):
    assert backups.keep_count() == 10
    backups.set_keep_count(opened.backend, 3)
    start = datetime(2026, 3, 1, 12, 0, 0)
    made = [backup_now(opened.backend, when=start + timedelta(hours=i)) for i in range(5)]
    assert list_backups(db_path) == made[-3:]


@pytest.mark.parametrize("keep", [0, -1, 1001, "3", True, 2.5])
def test_the_keep_setting_is_checked(opened, keep):
    with pytest.raises(InvalidInput):
        backups.set_keep_count(opened.backend, keep)
    assert backups.keep_count() == 10


def test_daily_backup_once_per_day_then_rotated(opened, db_path):
    contacts.add_contact(opened.backend, "Ada")  # (an empty database is not copied: below)
    day = datetime(2026, 3, 1, 8, 0, 0)
    first = daily_backup_if_due(opened.backend, now=day)
    assert first is not None and first.name.endswith("-daily.db") and "20260301" in first.name
    assert daily_backup_if_due(opened.backend, now=day + timedelta(hours=10)) is None
    assert len(list_backups(db_path)) == 1
    second = daily_backup_if_due(opened.backend, now=day + timedelta(days=1))
    assert second is not None and "20260302" in second.name
    # one from today
    assert daily_backup_if_due(opened.backend, now=day + timedelta(days=1, hours=3)) is None
    for i in range(4):  # e.g. imports and migrations made more copies
        backup_file(db_path, backup_name(db_path, "pre-import", day + timedelta(days=2, hours=i)))
    third = daily_backup_if_due(opened.backend, keep=2, now=day + timedelta(days=2, hours=5))
    assert third is not None and "20260303" in third.name
    # each kind keeps its newest two
    assert [p.name.rsplit("-", 1)[-1] for p in list_backups(db_path)] == [
        "daily.db", "import.db", "import.db", "daily.db"]
    assert second in list_backups(db_path) and first not in list_backups(db_path)


def test_only_a_daily_copy_from_today_counts(opened, db_path):
    """A copy before an import is rotated with the other automatic ones (it may be gone
    after a few more imports): it does not stand in for the day's copy."""
    contacts.add_contact(opened.backend, "Ada")
    backup_now(opened.backend, reason="pre-import")
    backup_now(opened.backend)  # manual
    made = daily_backup_if_due(opened.backend)
    assert made is not None and made.name.endswith("-daily.db")
    assert daily_backup_if_due(opened.backend) is None


def test_each_kind_of_backup_keeps_its_own_newest(opened, db_path):
    """Automatic copies never push out the ones a person made or the daily ones."""
    backups.set_keep_count(bound(), 2)
    start = datetime(2026, 3, 1, 8, 0, 0)
    mine = backup_now(bound(), when=start)
    daily = backup_now(bound(), reason="daily", when=start + timedelta(minutes=1))
    migration = backup_now(bound(), reason="pre-migration-v3", when=start + timedelta(minutes=2))
    automatic = [backup_now(bound(), reason=reason, when=start + timedelta(hours=1, minutes=i))
                 for i, reason in enumerate(["pre-import", "pre-restore"] * 3)]
    assert list_backups(db_path) == [mine, daily, *automatic[-2:]]
    assert not migration.exists()
    # another database's copies beside it ("planner-work.db" in the same folder) and files
    # that are not ours are never rotated away
    folder = db_path.parent / "backups"
    stranger = folder / "planner-work-20260301-070000-000000-manual.db"
    shutil.copyfile(mine, stranger)
    odd = folder / "planner-my-copy.db"
    shutil.copyfile(mine, odd)
    for i in range(3):
        backup_now(bound(), when=start + timedelta(hours=2, minutes=i))
    assert stranger.exists() and odd.exists() and not mine.exists()
    assert len(list(folder.glob("*-manual.db"))) == 3  # two of ours and the stranger's


def test_daily_backup_uses_the_keep_setting(opened, db_path):
    contacts.add_contact(opened.backend, "Ada")
    backups.set_keep_count(opened.backend, 2)
    start = datetime(2026, 3, 1, 8, 0, 0)
    for i in range(5):
        daily_backup_if_due(opened.backend, now=start + timedelta(days=i))
    assert len(list_backups(db_path)) == 2


def test_a_database_with_nothing_in_it_gets_no_daily_copy(opened, db_path):
    """A review: every new (or just made) empty database left an empty "daily" copy that
    then filled the restore list."""
    day = datetime(2026, 3, 1, 8, 0, 0)
    assert daily_backup_if_due(bound(), now=day) is None
    assert list_backups(db_path) == []
    contacts.add_contact(bound(), "Ada")
    assert daily_backup_if_due(bound(), now=day) is not None


# ------------------------------------------------------------------- restore


@pytest.fixture
def saved(opened, db_path):
    """A database with Ada, a backup of it, then Grace added; the database closed."""
    contacts.add_contact(bound(), "Ada")
    copy = backup_now(bound())
    contacts.add_contact(bound(), "Grace")
    opened.close()
    return copy


def another_programs_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, data BLOB)")
    conn.execute("INSERT INTO photos (data) VALUES (x'00ff')")
    conn.commit()
    conn.close()


def make_bad(kind: str, path: Path, good: Path) -> None:
    if kind == "random bytes":
        path.write_bytes(os.urandom(8192))
    elif kind == "text":
        path.write_text("name,email\nAda,ada@example.org\n")
    elif kind == "empty file":
        path.write_bytes(b"")
    elif kind == "other program":
        another_programs_database(path)
    elif kind == "empty sqlite":
        sqlite3.connect(path).close()
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA user_version = 1")
        conn.close()
    elif kind == "json dump":
        path.write_text('{"format": "mentorship-planner-dump", "version": 1}')
    elif kind == "newer schema":
        shutil.copyfile(good, path)
        conn = sqlite3.connect(path)
        conn.execute("UPDATE planner_meta SET value = '99' WHERE key = 'schema_version'")
        conn.commit()
        conn.close()
    elif kind == "no app marker":
        shutil.copyfile(good, path)
        conn = sqlite3.connect(path)
        conn.execute("DELETE FROM planner_meta WHERE key = 'app'")
        conn.commit()
        conn.close()
    elif kind == "truncated":
        data = good.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "folder":
        path.mkdir()
    elif kind != "missing":
        raise AssertionError(kind)


BAD_FILES = {
    "random bytes": "looks like an encrypted database",  # (page-sized binary)
    "text": "not a SQLite file",
    "empty file": "empty file",
    "other program": "another program's database",
    "empty sqlite": "empty SQLite database",
    "json dump": "is a JSON export, not a database: load it into a new database",
    "newer schema": "newer version",
    "no app marker": "no app marker",
    "truncated": "damaged",
    "folder": "folder",
    "missing": "does not exist",
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_restoring_a_file_that_is_not_a_backup_changes_nothing(saved, db_path, tmp_path, kind):
    bad = tmp_path / "not-a-backup.db"
    make_bad(kind, bad, saved)
    before = (sha(db_path), folder_listing(db_path))
    with pytest.raises(DatabaseProblem) as caught:
        restore(bound(), bad, db_path)
    message = str(caught.value)
    assert BAD_FILES[kind] in message, message
    assert "\n" not in message
    assert (sha(db_path), folder_listing(db_path)) == before


def test_restoring_a_real_backup_works_and_keeps_the_previous_database(saved, db_path):
    result = restore(bound(), saved, db_path)
    assert result.database == db_path and result.schema_version == migrations.LATEST
    assert result.previous is not None and result.previous.name.endswith("-pre-restore.db")
    assert names_in(result.previous) == ["Ada", "Grace"]
    assert mode(result.previous) == 0o600
    assert names_in(db_path) == ["Ada"]
    assert mode(db_path) == 0o600
    assert not [
        p for p in db_path.parent.iterdir() if p.name != db_path.name and "planner.db" in p.name
    ]
    reopened = open_database(str(db_path))
    try:
        assert [c.name for c in contacts.list_contacts()] == ["Ada"]
        contacts.add_contact(bound(), "Linus")  # and it is a working database again
    finally:
        reopened.close()


def test_restore_while_this_process_has_it_open_closes_our_connection(opened, db_path):
    contacts.add_contact(bound(), "Ada")
    copy = backup_now(bound())
    contacts.add_contact(bound(), "Grace")  # only in the WAL so far
    assert Path(f"{db_path}-wal").exists()
    result = restore(bound(), copy)  # defaults to the open database
    assert names_in(result.previous) == ["Ada", "Grace"]
    assert not Path(f"{db_path}-wal").exists()
    reopened = open_database(str(db_path))
    try:
        assert [c.name for c in contacts.list_contacts()] == ["Ada"]
    finally:
        reopened.close()


def test_restore_is_refused_while_another_program_has_the_database_open(saved, db_path):
    before = sha(db_path)
    with elsewhere.held_open(db_path):  # a real other program (issue 17: not in-process)
        listing = folder_listing(db_path)  # with the other program's -wal and -shm
        with pytest.raises(DatabaseProblem, match="in use"):
            restore(bound(), saved, db_path)
        assert folder_listing(db_path) == listing
    assert sha(db_path) == before
    assert names_in(db_path) == ["Ada", "Grace"]


def test_restore_over_a_damaged_database_keeps_its_bytes(saved, db_path):
    data = db_path.read_bytes()
    damaged = data[:4096] + b"\x00\xff" * ((len(data) - 4096) // 2)
    db_path.write_bytes(damaged)
    with pytest.raises(DatabaseProblem):
        open_database(str(db_path))
    result = restore(bound(), saved, db_path)
    assert result.previous is not None and result.previous.read_bytes() == damaged
    assert names_in(db_path) == ["Ada"]


def test_restore_will_not_overwrite_another_programs_file(saved, tmp_path):
    theirs = tmp_path / "photos.db"
    another_programs_database(theirs)
    before = sha(theirs)
    with pytest.raises(DatabaseProblem, match="will not overwrite"):
        restore(bound(), saved, theirs)
    assert sha(theirs) == before


def test_restore_into_a_new_place(saved, tmp_path):
    target = tmp_path / "fresh" / "new.db"
    result = restore(bound(), saved, target)
    assert result.previous is None and names_in(target) == ["Ada"]


def test_restore_refuses_the_database_itself(saved, db_path):
    with pytest.raises(InvalidInput, match="database itself"):
        restore(bound(), db_path, db_path)


def test_an_old_schema_backup_is_restored_and_upgraded_when_opened(saved, db_path):
    result = restore(bound(), V1_FIXTURE, db_path)
    assert result.schema_version == 1
    reopened = open_database(str(db_path))
    try:
        assert reopened.schema_version == migrations.LATEST
        assert "Zoë Ümlaut" in [c.name for c in contacts.list_contacts()]
    finally:
        reopened.close()
    assert V1_FIXTURE.exists()


def test_copies_left_unfinished_by_a_dead_process_are_removed_at_the_next_backup(
        opened, db_path):
    """A process killed while it wrote the day's backup leaves ``NAME.partial`` (and its
    journal) under a name of its own: the next backup removes the ones nobody has
    written to for an hour, never one being written, a finished backup or the database."""
    folder = db_path.parent / "backups"
    hour_ago = datetime.now().timestamp() - 3700
    dead = [folder / "planner-20261204-101010-000001-daily.db.partial",
            folder / "planner-20261204-101010-000001-daily.db.partial-journal"]
    alive = folder / "planner-20261205-090909-000002-daily.db.partial"  # being written
    others = [folder / "notes.txt.partial",  # not a copy of this database's: not ours
              folder / "other-20261204-101010-000001-daily.db.partial"]
    finished = backup_now(opened.backend)
    for path in [*dead, alive, *others]:
        path.write_bytes(b"half a copy")
    for path in [*dead, finished, *others]:
        os.utime(path, (hour_ago, hour_ago))
    newest = backup_now(opened.backend)
    assert not any(path.exists() for path in dead)
    assert alive.exists() and finished.exists() and newest.exists() and db_path.exists()
    assert all(path.exists() for path in others)
