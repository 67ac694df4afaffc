"""The real ``planner demo`` and ``planner --demo`` (in-process); no window is opened."""

from __future__ import annotations

import json
import sqlite3
import subprocess

from tests.helpers.cli import invoke, ok


def refused(result: subprocess.CompletedProcess, code: int = 1) -> str:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    if code == 1:
        assert len(result.stderr.splitlines()) == 1, result.stderr
    return result.stderr


def table(path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_help_lists_demo_everywhere(db_path):
    top = ok(invoke("--help", db=db_path))
    assert "--demo" in top and "demo" in top.split("Commands:")[1]
    sub = ok(invoke("demo", "--help", db=db_path))
    for word in ("--contacts", "--touchpoints", "--seed", "--json", "150", "3000", "EMPTY"):
        assert word in sub, word


def test_demo_fills_a_new_file(db_path):
    out = ok(invoke("demo", "--contacts", "100", "--touchpoints", "800", db=db_path))
    assert str(db_path) in out
    assert "100 contacts: 3 inner, 12 middle, 72 outer, 13 unplaced" in out
    assert "800 touchpoints, 100 notes" in out
    assert table(db_path, "SELECT COUNT(*) FROM contact") == [(100,)]
    assert table(db_path, "SELECT COUNT(*) FROM touchpoint") == [(800,)]
    rings = json.loads(ok(invoke("rings", "--json", db=db_path)))
    assert rings  # the rest of the command line reads it like any database


def test_demo_defaults_and_json(db_path):
    summary = json.loads(ok(invoke("demo", "--json", db=db_path)))
    assert summary["database"] == str(db_path)
    assert summary["contacts"] == 150 and summary["touchpoints"] == 3000 and summary["seed"] == 1
    assert summary["rings"] == {"inner": 3, "middle": 12, "outer": 72, "unplaced": 63}


def test_same_seed_same_people(tmp_path):
    names = []
    for name in ("a.db", "b.db"):
        path = tmp_path / name
        ok(invoke("demo", "--contacts", "40", "--touchpoints", "100", "--seed", "9", db=path))
        names.append(table(path, "SELECT name, email, tags FROM contact ORDER BY id"))
    assert names[0] == names[1]


def test_refuses_a_database_with_data_and_leaves_it_alone(db_path):
    ok(invoke("contacts", "add", "Ada Lovelace", "--ring", "inner", db=db_path))
    before = [table(db_path, f"SELECT * FROM {t}") for t in ("contact", "placement", "ring_move")]
    message = refused(invoke("demo", db=db_path))
    assert "already has 1 contact" in message and "empty database" in message
    assert str(db_path) in message
    after = [table(db_path, f"SELECT * FROM {t}") for t in ("contact", "placement", "ring_move")]
    assert after == before
    assert table(db_path, "SELECT COUNT(*) FROM touchpoint") == [(0,)]


def test_refuses_to_run_twice(db_path):
    ok(invoke("demo", "--contacts", "5", "--touchpoints", "5", db=db_path))
    assert "already has 5 contacts" in refused(invoke("demo", db=db_path))


def test_never_fills_the_default_database(isolated_home):
    message = refused(invoke("demo"))
    assert "--db" in message
    assert not list(isolated_home.rglob("planner.db"))


def test_bad_sizes(db_path):
    refused(invoke("demo", "--contacts", "-1", db=db_path), code=2)
    message = refused(invoke("demo", "--contacts", "0", db=db_path))
    assert "people" in message
    ok(invoke("demo", "--contacts", "0", "--touchpoints", "0", db=db_path))


def test_demo_window_option_refuses_commands_and_db(db_path):
    """``planner --demo`` opens a window, so only its refusals are run here."""
    assert "planner --db FILE demo" in refused(invoke("--demo", "rings"), code=2)
    assert "leave out --db" in refused(invoke("--demo", db=db_path), code=2)
    assert not db_path.exists()
