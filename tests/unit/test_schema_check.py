"""The schema check (planner/storage/sqlite/schema_check.py): the expectation is what the
migrations make at every version, every file the app makes passes, and each kind of
difference is named in one sentence."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from planner.storage import migrations
from planner.storage.sqlite import schema_check, schema_expected
from planner.storage.sqlite.backup import sqlite_uri
from tests.helpers import schemas

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"


def problem_of(path: Path) -> str | None:
    conn = sqlite3.connect(sqlite_uri(path, mode="ro", immutable="1"), uri=True)
    try:
        return schema_check.schema_problem(conn, path.name)
    finally:
        conn.close()


def entries_of(path: Path) -> set[tuple]:
    conn = sqlite3.connect(sqlite_uri(path, mode="ro", immutable="1"), uri=True)
    try:
        return set(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    finally:
        conn.close()


def flat(entries: dict) -> set[tuple]:
    return {(kind, name, *rest) for (kind, name), rest in entries.items()}


def test_the_expectation_is_what_migrate_makes_at_every_version():
    built = schemas.build_versions()
    assert sorted(built) == list(range(1, migrations.LATEST + 1))
    for version, rows in built.items():
        assert flat(schema_expected.expected_entries(version)) == rows
    assert schema_expected.expected_entries(0) == {}


def test_the_expectation_is_built_without_the_models_database(monkeypatch):
    """Every migration step uses only the database it is given (never a model's bound
    database): the build runs while the window's database may be bound and in use."""
    from planner.storage.models import db_proxy

    reference = {v: flat(schema_expected.expected_entries(v))
                 for v in range(1, migrations.LATEST + 1)}
    monkeypatch.setattr(schema_expected, "_built", {})
    monkeypatch.setattr(db_proxy, "obj", None)
    for version, rows in reference.items():
        assert flat(schema_expected.expected_entries(version)) == rows


def test_a_new_migration_step_is_expected_at_once(monkeypatch, tmp_path):
    from planner.storage.database import open_database

    def step(db):
        db.execute_sql("CREATE TABLE pledge (id INTEGER PRIMARY KEY, what TEXT NOT NULL)")

    monkeypatch.setattr(migrations, "STEPS", {**migrations.STEPS, migrations.LATEST + 1: step})
    monkeypatch.setattr(migrations, "LATEST", migrations.LATEST + 1)
    path = tmp_path / "next.db"
    open_database(str(path)).close()
    assert problem_of(path) is None
    open_database(str(path)).close()  # and it opens again


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("planner-v*.db")), ids=lambda p: p.stem)
def test_every_older_version_made_by_the_app_passes_as_it_is(fixture):
    assert problem_of(fixture) is None
    version = int(fixture.stem.rsplit("v", 1)[1])
    expected = flat(schema_expected.expected_entries(version))
    assert entries_of(fixture) == expected  # the very same text, not just "close enough"


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("planner-v*.db")), ids=lambda p: p.stem)
def test_an_older_version_migrated_by_the_app_equals_a_fresh_database(fixture, tmp_path):
    from planner.storage.database import open_database

    old, fresh = tmp_path / "old.db", tmp_path / "fresh.db"
    shutil.copyfile(fixture, old)
    for path in (old, fresh):
        open_database(str(path)).close()
    assert entries_of(old) == entries_of(fresh)
    assert problem_of(old) is None and problem_of(fresh) is None


def test_an_empty_file_passes_and_an_empty_file_with_a_view_does_not(tmp_path):
    empty, view = tmp_path / "empty.db", tmp_path / "view.db"
    sqlite3.connect(empty).close()
    conn = sqlite3.connect(view)
    conn.execute("CREATE VIEW contact AS SELECT 1 AS id")
    conn.close()
    assert problem_of(empty) is None
    assert problem_of(view) == "view.db has a view `contact` that Mentorship Planner does not make"


def test_whitespace_comments_and_keyword_case_do_not_count_but_literals_do():
    n = schema_check.normalise
    assert n('CREATE  TABLE "t" (\n  "a" TEXT -- why\n)') == n('create table "t" ("a" text)')
    assert n("CREATE TABLE t (a /* x */ INT)") == n("CREATE TABLE t (a INT)")
    assert n("CREATE TABLE t (a DEFAULT 'x  y')") != n("CREATE TABLE t (a DEFAULT 'x y')")
    assert n("CREATE TABLE t (a DEFAULT 'X')") != n("CREATE TABLE t (a DEFAULT 'x')")
    assert n('CREATE TABLE "T" (a)') != n('CREATE TABLE "t" (a)')
    assert n("CREATE TABLE t (a CHECK (a <> 1))") != n("CREATE TABLE t (a CHECK (a < > 1))")
    assert n("CREATE TABLE t (a) -- '") == n("CREATE TABLE t (a)")


def rewrite_table(path: Path, table: str, old: str, new: str) -> None:
    """Change a table's definition in place, the way a hand-edited file would."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    changed = conn.execute(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE name = ?", (old, new, table))
    assert changed.rowcount == 1
    conn.commit()
    conn.close()


COLUMN_CHANGES = {
    "type": ('"text" TEXT NOT NULL', '"text" BLOB NOT NULL',
             "has a table `note` whose column `text` has the type `BLOB`, not `TEXT`"),
    "null": ('"text" TEXT NOT NULL', '"text" TEXT',
             "has a table `note` whose column `text` allows NULL, unlike Mentorship Planner's"),
    "default": ('"author" VARCHAR(255) NOT NULL', "\"author\" VARCHAR(255) NOT NULL DEFAULT 'x'",
                "has a table `note` whose column `author` has the default `'x'`, not none"),
    "check": ('"version" INTEGER NOT NULL,', '"version" INTEGER NOT NULL CHECK (version > 0),',
              "has a table `note` with constraints or options that Mentorship Planner does not"),
    "column": ('"version" INTEGER NOT NULL,', '"version" INTEGER NOT NULL, "spy" TEXT,',
               "has a table `note` with a column `spy` that Mentorship Planner does not make"),
}


@pytest.mark.parametrize("change", sorted(COLUMN_CHANGES))
def test_a_changed_column_is_named(change, tmp_path):
    old, new, message = COLUMN_CHANGES[change]
    path = tmp_path / "changed.db"
    shutil.copyfile(FIXTURES / "planner-v3.db", path)
    rewrite_table(path, "note", old, new)
    assert problem_of(path).startswith(f"changed.db {message}")


@pytest.mark.parametrize("sql,message", [
    ("PRAGMA application_id = 42", "has the application id 42"),
    ("PRAGMA user_version = 7", "has the user version 7"),
    ("UPDATE planner_meta SET value = 'two' WHERE key = 'schema_version'",
     "has a schema version that is not a whole number"),
    ("UPDATE planner_meta SET value = '1' WHERE key = 'schema_version'",
     "has a trigger `note_ad` that Mentorship Planner does not make"),  # added in v2
    ("DROP TRIGGER note_ai", "lacks the trigger `note_ai` that Mentorship Planner makes"),
])
def test_header_fields_and_the_version_must_match_too(sql, message, tmp_path):
    path = tmp_path / "odd.db"
    shutil.copyfile(FIXTURES / "planner-v3.db", path)
    conn = sqlite3.connect(path)
    conn.execute(sql)
    conn.commit()
    conn.close()
    assert problem_of(path).startswith(f"odd.db {message}")


def test_sqlites_own_statistics_tables_are_tolerated(tmp_path):
    path = tmp_path / "analyzed.db"
    shutil.copyfile(FIXTURES / "planner-v3.db", path)
    conn = sqlite3.connect(path)
    conn.execute("ANALYZE")
    conn.close()
    assert ("table", "sqlite_stat1") in {(e[0], e[1]) for e in entries_of(path)}
    assert problem_of(path) is None
