"""``planner contacts move --expect-ring``: move only if the person is still where you saw them."""

from __future__ import annotations

import pytest

from tests.helpers.cli import as_json, invoke, ok, refused

# on SQLite and on a team database (tests/conftest.py, tests/helpers/postgres.py)
pytestmark = pytest.mark.both_engines


def _ring(db, name: str):
    people = as_json(invoke("contacts", "list", "--json", db=db))
    return next(p["ring"] for p in people if p["name"] == name)


def test_expect_ring_moves_when_unchanged_and_refuses_otherwise(db_path):
    ok(invoke("contacts", "add", "Ada Lovelace", "--ring", "outer", db=db_path))
    ok(invoke("contacts", "move", "Ada Lovelace", "middle", "--expect-ring", "outer", db=db_path))
    assert _ring(db_path, "Ada Lovelace") == "middle"
    refused(
        invoke("contacts", "move", "Ada Lovelace", "inner", "--expect-ring", "outer", db=db_path),
        "Ada Lovelace was moved meanwhile", "is now on the middle ring", "nothing was changed",
    )
    assert _ring(db_path, "Ada Lovelace") == "middle"
    ok(invoke("contacts", "move", "Ada Lovelace", "none", db=db_path))
    refused(
        invoke("contacts", "move", "Ada Lovelace", "inner", "--expect-ring", "middle",
                db=db_path),
        "is now unplaced",
    )
    ok(invoke("contacts", "move", "Ada Lovelace", "inner", "--expect-ring", "none", db=db_path))
    assert _ring(db_path, "Ada Lovelace") == "inner"


def test_expect_ring_checks_the_swap_partner_too(db_path):
    ok(invoke("contacts", "add", "Ada Lovelace", "--ring", "outer", db=db_path))
    ok(invoke("contacts", "add", "Grace Hopper", "--ring", "middle", db=db_path))
    refused(
        invoke("contacts", "move", "Ada Lovelace", "inner", "--swap", "Grace Hopper",
                "--expect-ring", "outer", db=db_path),
        "Grace Hopper was moved meanwhile", "is now on the middle ring",
    )
    out = ok(invoke("contacts", "move", "Ada Lovelace", "middle", "--swap", "Grace Hopper",
                     "--expect-ring", "outer", db=db_path))
    assert "Swapped Ada Lovelace (middle) with Grace Hopper (outer)" in out


def test_an_unknown_expected_ring_is_a_usage_error(db_path):
    ok(invoke("contacts", "add", "Ada Lovelace", db=db_path))
    result = invoke("contacts", "move", "Ada Lovelace", "inner", "--expect-ring", "top",
                     db=db_path)
    assert result.returncode == 2 and "unknown ring 'top'" in result.stderr
