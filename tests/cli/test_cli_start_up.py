"""What keeps a ``planner`` command quick to start (issue 23) without changing what it
does: a file of this version's schema is recognised by one digest, peewee is imported
without the PostgreSQL driver for a file, and garbage collection waits for start-up."""

from __future__ import annotations

import gc
import os
import sqlite3
import subprocess
import sys

import pytest

from planner.storage import migrations
from planner.storage.sqlite.backup import sqlite_uri
from tests.helpers.cli import invoke


def _ro(path):
    return sqlite3.connect(sqlite_uri(path, mode="ro", immutable="1"), uri=True)


def test_the_digest_is_this_versions_schema():
    from planner.storage.database import THIS_VERSIONS_SCHEMA, schema_digest
    from planner.storage.sqlite.schema_expected import expected_entries

    rows = [(kind, name, *rest) for (kind, name), rest in
            expected_entries(migrations.LATEST).items()]
    now = (migrations.LATEST, schema_digest(rows))
    assert now == THIS_VERSIONS_SCHEMA, (
        f"a migration changed the schema: set THIS_VERSIONS_SCHEMA = {now!r} in "
        "planner/storage/database.py")


def test_a_file_this_version_made_is_recognised_and_others_are_checked_in_full(tmp_path):
    from planner.storage.database import _made_by_this_version, open_database

    path = tmp_path / "p.db"
    open_database(str(path)).close()
    conn = _ro(path)
    try:
        assert _made_by_this_version(conn)
    finally:
        conn.close()
    for change in ("CREATE TRIGGER t AFTER INSERT ON contact BEGIN SELECT 1; END",
                   "UPDATE planner_meta SET value = '7' WHERE key = 'schema_version'",
                   "PRAGMA user_version = 3", "PRAGMA application_id = 42"):
        altered = tmp_path / f"altered-{abs(hash(change))}.db"
        altered.write_bytes(path.read_bytes())
        writer = sqlite3.connect(altered)
        writer.execute(change)
        writer.commit()
        writer.close()
        conn = _ro(altered)
        try:
            assert not _made_by_this_version(conn), change
        finally:
            conn.close()


def test_an_altered_file_is_still_refused_with_the_difference_named(tmp_path):
    db = tmp_path / "p.db"
    assert invoke("contacts", "add", "Ada", db=db).returncode == 0
    conn = sqlite3.connect(db)
    conn.execute("CREATE TRIGGER sneaky AFTER INSERT ON touchpoint BEGIN SELECT 1; END")
    conn.commit()
    conn.close()
    result = invoke("log", "Ada", "coffee", db=db)
    assert result.returncode == 1
    assert "has a trigger `sneaky` that Mentorship Planner does not make" in result.stderr
    assert "Traceback" not in result.stderr


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANNER_")}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    return env


def _log_in_a_new_process(tmp_path, *then: str) -> str:
    """``planner --db FILE log Ada coffee`` run by ``main()`` in a new process, then the
    lines ``then`` (Python) there; its standard output."""
    db = tmp_path / "p.db"
    assert invoke("contacts", "add", "Ada", db=db).returncode == 0
    script = "\n".join((
        "import sys",
        f"sys.argv = ['planner', '--db', {str(db)!r}, 'log', 'Ada', 'coffee']",
        "from planner.cli import main",
        "code = main()",
        *then)) + "\n"
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=_env(), timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_a_log_on_a_file_imports_no_postgres_driver_and_psycopg2_still_works(tmp_path):
    out = _log_in_a_new_process(
        tmp_path,
        "unwanted = ('psycopg', 'planner.storage.sqlite.schema')",
        "imported = sorted(m for m in sys.modules if m.startswith(unwanted))",
        "import psycopg2",  # still importable for whoever needs it afterwards
        "print(code, imported, psycopg2.__name__)")
    assert out.splitlines()[-1] == "0 [] psycopg2"
    assert out.startswith("Logged coffee with Ada")


def test_a_log_on_a_file_makes_only_the_everyday_tables(tmp_path):
    """A peewee model costs ~0.3 ms to make: the tables of the other features (advocacy,
    cadences, photos, snoozes, capture, own settings) and schema 1's touchpoint table are
    made when named (planner/storage/models/), which ``planner log`` never does."""
    out = _log_in_a_new_process(
        tmp_path,
        "from planner.storage.models import BaseModel",
        "print(code, sorted(model.__name__ for model in BaseModel.__subclasses__()))")
    assert out.splitlines()[-1] == (
        "0 ['ContactRow', 'NoteRow', 'PlacementRow', 'PlannerMeta', 'RingMoveRow', "
        "'SettingRow', 'TouchpointRow']")


def test_a_team_database_url_gets_the_driver(tmp_path):
    """A team database is never opened with the driver hidden: an unreachable server is
    reported as such (not as a missing driver)."""
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "--db", "postgresql://nobody@127.0.0.1:9/none",
         "log", "Ada", "coffee"],
        capture_output=True, text=True, env=_env(), timeout=120, cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.startswith("planner: cannot connect to postgresql://nobody@127.0.0.1:9")
    assert "driver" not in proc.stderr and "Traceback" not in proc.stderr


def test_garbage_collection_waits_for_start_up_then_resumes():
    from planner.cli.process import own_process, start_collecting

    assert gc.isenabled()
    try:
        with own_process():
            assert not gc.isenabled()
            start_collecting()
            assert gc.isenabled()
            start_collecting()  # once only
            assert gc.isenabled()
        assert gc.isenabled()
        start_collecting()  # outside a command's own process: nothing to resume
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


@pytest.mark.parametrize("command", [("log", "Ada", "coffee"), ("contacts", "show", "Ada")])
def test_a_command_leaves_garbage_collection_on_in_a_longer_process(tmp_path, command):
    """``main([...])`` inside another process (a test, a script) does not touch the
    collector."""
    db = tmp_path / "p.db"
    assert invoke("contacts", "add", "Ada", db=db).returncode == 0
    assert invoke(*command, db=db).returncode == 0
    assert gc.isenabled()
