"""Storage on a temporary file database: pragmas, UTC times, permissions, where the
database lives, and refusing files that are not ours without touching them."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from planner.domain.errors import DatabaseProblem
from planner.storage import migrations
from planner.storage.database import open_database
from planner.storage.fields import from_utc, to_utc
from planner.storage.target import (
    ENV_VAR,
    default_database_path,
    redact_url,
    resolve_target,
)
from tests.helpers.stores import bound


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sidecars(path: Path) -> list[Path]:
    return [
        p for p in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")) if p.exists()
    ]


def pragma(handle, name: str):
    return handle.db.execute_sql(f"PRAGMA {name}").fetchone()[0]


# ------------------------------------------------------------------- pragmas


def test_pragmas_are_really_set(opened):
    assert pragma(opened, "journal_mode") == "wal"
    assert pragma(opened, "foreign_keys") == 1
    assert pragma(opened, "synchronous") == 2  # FULL
    assert pragma(opened, "busy_timeout") >= 1000


def test_wal_is_persistent_in_the_file(db_path, opened):
    opened.close()
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA application_id").fetchone()[0] == (
            migrations.SQLITE_APPLICATION_ID
        )
    finally:
        conn.close()


def test_foreign_keys_are_enforced(opened):
    from peewee import IntegrityError

    from planner.storage.models import TouchpointRow

    now = datetime.now(UTC)
    with pytest.raises(IntegrityError):
        TouchpointRow.create(contact=999, kind="coffee", at=now, created_at=now, updated_at=now)


# ---------------------------------------------------------------- UTC times


def test_times_are_stored_utc_and_read_back_aware(db_path, opened):
    from planner.services import contacts, touchpoints

    ada = contacts.add_contact(opened.backend, "Ada")
    berlin = timezone(timedelta(hours=2))
    at = datetime(2026, 7, 1, 14, 30, 15, 123456, tzinfo=berlin)
    tp = touchpoints.log_touchpoint(opened.backend, ada.id, "coffee", at=at)
    assert tp.at == at

    raw = opened.db.execute_sql("SELECT at FROM touchpoint WHERE id = ?", (tp.id,)).fetchone()[0]
    assert raw == "2026-07-01 12:30:15.123456"

    again = touchpoints.get_touchpoint(tp.id)
    assert again.at == at
    assert again.at.tzinfo is not None
    assert again.at.utcoffset() == timedelta(0)
    contact = contacts.get_contact(ada.id)
    assert contact.last_touch == at
    assert contact.last_touch.utcoffset() == timedelta(0)
    assert contact.created_at.utcoffset() == timedelta(0)


def test_naive_times_are_never_stored(opened):
    from planner.services import contacts, touchpoints

    ada = contacts.add_contact(opened.backend, "Ada")
    with pytest.raises(ValueError, match="naive"):
        touchpoints.log_touchpoint(opened.backend, ada.id, "coffee", at=datetime(2026, 1, 1, 12, 0))
    assert touchpoints.timeline(ada.id, limit=10)[0].type.value == "created"


def test_time_text_round_trips_and_sorts():
    a = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    b = a + timedelta(microseconds=1)
    assert to_utc(from_utc(a)) == a
    assert from_utc(a) < from_utc(b)
    assert to_utc("2026-01-02T03:04:05+02:00") == datetime(2026, 1, 2, 1, 4, 5, tzinfo=UTC)
    assert to_utc(None) is None
    assert from_utc(None) is None


# ----------------------------------------------------------- the file itself


def test_database_file_is_owner_only(db_path, opened):
    from planner.services import contacts

    contacts.add_contact(opened.backend, "Ada")
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    for extra in sidecars(db_path):
        assert stat.S_IMODE(extra.stat().st_mode) & 0o077 == 0, extra


def test_owner_only_even_with_a_permissive_umask(tmp_path):
    (tmp_path / "sub" / "dir").mkdir(parents=True)
    old = os.umask(0)
    try:
        handle = open_database(str(tmp_path / "sub" / "dir" / "p.db"))
    finally:
        os.umask(old)
    handle.close()
    assert stat.S_IMODE((tmp_path / "sub" / "dir" / "p.db").stat().st_mode) == 0o600


def test_reopening_keeps_data_and_reports_the_version(db_path):
    from planner.services import contacts

    first = open_database(str(db_path))
    assert first.schema_version == migrations.LATEST
    assert first.path == db_path
    contacts.add_contact(bound(), "Ada Lovelace")
    first.close()
    first.close()  # closing twice is harmless
    second = open_database(str(db_path))
    try:
        assert [c.name for c in contacts.list_contacts()] == ["Ada Lovelace"]
        assert second.schema_version == migrations.LATEST
    finally:
        second.close()
    # a plain reopen of an up-to-date database takes no backup
    assert not (db_path.parent / "backups").exists()


def test_an_empty_file_becomes_a_planner_database(db_path):
    db_path.touch()
    handle = open_database(str(db_path))
    handle.close()
    assert migrations.read_version is not None
    conn = sqlite3.connect(db_path)
    try:
        rows = dict(conn.execute("SELECT key, value FROM planner_meta"))
    finally:
        conn.close()
    assert rows["schema_version"] == str(migrations.LATEST)
    assert rows["app"] == migrations.APP_MARKER


# ---------------------------------------------------- which database is used


def test_default_path_is_planner_db_in_the_isolated_data_dir(isolated_home):
    path = default_database_path()
    assert path.name == "planner.db"
    assert Path(os.environ["XDG_DATA_HOME"]) in path.parents
    assert path.is_relative_to(isolated_home)
    target = resolve_target(None)
    assert target.kind == "sqlite"
    assert target.path == path
    assert target.is_file


def test_open_without_a_spec_creates_the_default_database(isolated_home):
    handle = open_database()
    try:
        assert handle.path == default_database_path()
        assert handle.path.exists()
        assert stat.S_IMODE(handle.path.stat().st_mode) == 0o600
    finally:
        handle.close()


def test_planner_db_variable_and_explicit_spec_override_the_default(tmp_path, monkeypatch):
    env_db = tmp_path / "from-env.db"
    monkeypatch.setenv(ENV_VAR, str(env_db))
    assert resolve_target(None).path == env_db
    assert resolve_target("").path == env_db
    explicit = tmp_path / "explicit.db"
    assert resolve_target(str(explicit)).path == explicit
    assert resolve_target(explicit).path == explicit

    handle = open_database()
    handle.close()
    assert env_db.exists()
    assert not default_database_path().exists()


def test_relative_home_and_sqlite_url_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resolve_target("rel.db").path == tmp_path / "rel.db"
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_target("~/x.db").path == tmp_path / "x.db"
    assert resolve_target(f"sqlite:///{tmp_path}/u.db").path == tmp_path / "u.db"
    assert resolve_target("sqlite:///rel2.db").path == tmp_path / "rel2.db"


def test_postgresql_urls_are_a_team_database_and_passwords_are_redacted():
    url = "postgresql://ada:s3cret@db.example.org:5433/planner?sslmode=require"
    target = resolve_target(url)
    assert target.kind == "postgresql"
    assert target.path is None
    assert not target.is_file
    shown = target.display()
    assert "s3cret" not in shown
    assert shown == "postgresql://ada:***@db.example.org:5433/planner?sslmode=require"
    assert resolve_target("postgres://h/db").kind == "postgresql"
    assert resolve_target("POSTGRESQL://h/db").kind == "postgresql"
    assert redact_url("postgresql://db.example.org/planner") == (
        "postgresql://db.example.org/planner"
    )
    assert "pw" not in redact_url("postgresql://:pw@host/db")


def test_an_unreachable_team_database_is_refused_without_leaking_the_password():
    with pytest.raises(DatabaseProblem) as err:  # port 1: nothing listens there
        open_database("postgresql://ada:s3cret@127.0.0.1:1/planner")
    assert "s3cret" not in str(err.value)
    assert "cannot connect to postgresql://ada:***@127.0.0.1:1/planner" in str(err.value)


# ------------------------------------------------- files that are not ours


def _planner_db_with_data(path: Path, people: int = 60) -> None:
    from planner.services import contacts, touchpoints

    handle = open_database(str(path))
    try:
        for i in range(people):
            c = contacts.add_contact(bound(), f"Person {i}", notes="n" * 400)
            touchpoints.log_touchpoint(bound(), c.id, "coffee", note="t" * 300)
    finally:
        handle.close()


def _other_programs_db(path: Path, wal: bool) -> None:
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode=wal")
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.executemany("INSERT INTO photos (name) VALUES (?)", [(f"p{i}",) for i in range(50)])
    conn.commit()
    conn.close()


def _assert_refused_untouched(path: Path, match: str) -> DatabaseProblem:
    before = sha(path)
    size = path.stat().st_size
    assert sidecars(path) == []
    with pytest.raises(DatabaseProblem, match=match) as err:
        open_database(str(path))
    assert sha(path) == before, "the file was modified"
    assert path.stat().st_size == size
    assert sidecars(path) == [], "files were left beside it"
    assert not (path.parent / "backups").exists()
    assert "\n" not in str(err.value)
    return err.value


def test_random_bytes_are_refused_and_untouched(tmp_path):
    path = tmp_path / "random.db"
    path.write_bytes(os.urandom(8192))
    _assert_refused_untouched(path, "not a Mentorship Planner database")


def test_text_file_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("shopping list\n")
    _assert_refused_untouched(path, "not a SQLite file")


@pytest.mark.parametrize("wal", [False, True], ids=["rollback", "wal"])
def test_another_programs_sqlite_database_is_refused_and_untouched(tmp_path, wal):
    path = tmp_path / "photos.sqlite"
    _other_programs_db(path, wal)
    _assert_refused_untouched(path, "another program")


@pytest.mark.parametrize("fraction", [0.5, 0.25, 0.9])
def test_truncated_planner_database_is_refused_and_untouched(tmp_path, fraction):
    whole = tmp_path / "whole.db"
    _planner_db_with_data(whole)
    data = whole.read_bytes()
    assert len(data) > 40_000
    path = tmp_path / "truncated.db"
    path.write_bytes(data[: int(len(data) * fraction)])
    _assert_refused_untouched(path, "damaged")


def test_truncated_at_a_page_boundary_is_refused_and_untouched(tmp_path):
    whole = tmp_path / "whole.db"
    _planner_db_with_data(whole)
    data = whole.read_bytes()
    page = int.from_bytes(data[16:18], "big")
    path = tmp_path / "truncated.db"
    path.write_bytes(data[: page * 3])
    _assert_refused_untouched(path, "planner|damaged|cannot")


@pytest.mark.parametrize("name", ["photos#1.db", "what?.db", "100%41.db", "with space.db"])
def test_odd_characters_in_the_path_do_not_fool_the_inspection(tmp_path, name):
    path = tmp_path / name
    _other_programs_db(path, wal=False)
    _assert_refused_untouched(path, "another program")
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_a_planner_database_with_odd_characters_in_its_name_reopens(tmp_path):
    from planner.services import contacts

    path = tmp_path / "team #1 ?100%.db"
    handle = open_database(str(path))
    contacts.add_contact(bound(), "Ada")
    handle.close()
    handle = open_database(str(path))
    try:
        assert [c.name for c in contacts.list_contacts()] == ["Ada"]
    finally:
        handle.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_newer_schema_is_refused_as_newer_version(db_path, opened):
    opened.close()
    conn = sqlite3.connect(db_path)
    conn.execute(
        "UPDATE planner_meta SET value = ? WHERE key = 'schema_version'",
        (str(migrations.LATEST + 1),),
    )
    conn.commit()
    conn.close()
    error = _assert_refused_untouched(db_path, "newer version")
    assert f"schema {migrations.LATEST + 1}" in str(error)


def test_a_folder_is_refused(tmp_path):
    folder = tmp_path / "adir.db"
    folder.mkdir()
    (folder / "x").write_text("keep me")
    with pytest.raises(DatabaseProblem):
        open_database(str(folder))
    assert (folder / "x").read_text() == "keep me"


def test_an_open_planner_database_can_be_opened_again(db_path, opened):
    """The window keeps the database open while the CLI opens it too."""
    from planner.services import contacts

    contacts.add_contact(bound(), "Ada")
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT name FROM contact").fetchall() == [("Ada",)]
    finally:
        conn.close()
    second = open_database(str(db_path))
    try:
        assert [c.name for c in contacts.list_contacts()] == ["Ada"]
    finally:
        second.close()


def test_the_tables_of_a_feature_are_made_when_first_named():
    """planner/storage/models/: the everyday tables at its import, a feature's when one of
    its names is first asked for (from the package or its module: the same class)."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "import planner.storage.models as m\n"
        "made = lambda: sorted(n for n in sys.modules if n.startswith('planner.storage.models.'))\n"
        "print(made())\n"
        "from planner.storage.models import AskRow\n"
        "from planner.storage.models.advocacy import AskRow as same\n"
        "print(made(), AskRow is same, m.AskRow is same)\n"
        "print(len(m.ALL_MODELS), all(getattr(m, n) is not None for n in m.__all__))\n"
        "try:\n"
        "    m.NoSuchRow\n"
        "except AttributeError as exc:\n"
        "    print(exc)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "[]",
        "['planner.storage.models.advocacy'] True True",
        "17 True",
        "module 'planner.storage.models' has no attribute 'NoSuchRow'",
    ]


def test_every_table_of_the_schema_is_named_from_the_models_package():
    from planner.storage import models

    lazy = {name for name in models._MADE_WHEN_NAMED if not name.isupper()}  # the classes
    core = {name for name, value in vars(models).items()
            if isinstance(value, type) and issubclass(value, models.BaseModel)
            and value is not models.BaseModel}
    assert {model.__name__ for model in models.ALL_MODELS} | {"TouchpointRow"} == lazy | core


def test_a_service_handed_another_database_than_the_models_is_refused(tmp_path):
    """Services write through the database they are handed, and the repositories through
    the models' binding: the two must be one. A mismatch is refused before a
    transaction starts, and nothing is written to either."""
    from planner.services import contacts

    first = open_database(str(tmp_path / "first.db"))
    second = open_database(str(tmp_path / "second.db"))  # the models are on this one now
    try:
        with pytest.raises(RuntimeError, match="bound to another"):
            contacts.add_contact(first.backend, "Ada Lovelace")
        with pytest.raises(RuntimeError, match="bound to another"), first.backend.snapshot():
            pass
        assert contacts.add_contact(second.backend, "Grace Hopper").name == "Grace Hopper"
        for handle, expected in ((first, 0), (second, 1)):
            count = handle.db.execute_sql("SELECT COUNT(*) FROM contact").fetchone()[0]
            assert count == expected
    finally:
        first.close()
        second.close()
