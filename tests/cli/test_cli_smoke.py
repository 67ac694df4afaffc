"""The real ``planner`` program in a subprocess, the way a person runs it: a handful of
smoke tests. Everything else in tests/cli calls ``planner.cli.main([...])`` in-process
(tests/helpers/cli.py ``invoke``), which is many times faster."""

from __future__ import annotations

import pytest

from planner import __version__
from tests.helpers.cli import as_json, ok, refused, run_cli


def test_version():
    assert ok(run_cli("--version")).strip() == f"planner {__version__}"


def test_help_lists_the_commands(db_path):
    out = ok(run_cli("--help", db=db_path))
    assert out.startswith("Usage: planner")
    for word in ("contacts", "log", "timeline", "import", "--db"):
        assert word in out
    assert not db_path.exists(), "--help must not create a database"


def test_a_write_then_a_read(db_path):
    ok(run_cli("contacts", "add", "Ada Lovelace", "--ring", "inner", db=db_path))
    assert ok(run_cli("log", "ada", "coffee", "--minutes", "30", db=db_path)).startswith(
        "Logged coffee with Ada Lovelace")
    [ada] = as_json(run_cli("contacts", "list", "--json", db=db_path))
    assert (ada["name"], ada["ring"]) == ("Ada Lovelace", "inner")


def test_exit_codes_of_a_refusal_and_a_usage_error(db_path):
    refused(run_cli("contacts", "show", "Nobody", db=db_path), "Nobody")
    usage = run_cli("frobnicate", db=db_path)
    assert usage.returncode == 2 and "frobnicate" in usage.stderr, usage
    assert "Traceback" not in usage.stdout + usage.stderr


def test_on_a_team_database(request):
    pytest.importorskip("psycopg2")
    from tests.helpers.postgres import team_database

    url = team_database(request)
    ok(run_cli("contacts", "add", "Grace Hopper", "--ring", "middle", db=url))
    assert [c["name"] for c in as_json(run_cli("contacts", "list", "--json", db=url))] == [
        "Grace Hopper"]
