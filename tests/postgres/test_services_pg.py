"""The core service tests (add/move/swap/log/timeline/undo) run unchanged on PostgreSQL:
collected here, they get tests/postgres/conftest.py's ``opened`` (a team database)."""

import pytest

import tests.unit.test_services as on_sqlite
from tests.unit.test_services import *  # noqa: F403


def _table(opened, name: str) -> list[tuple]:
    """PostgreSQL has no rowid: order by the first column (the id, or the key)."""
    return opened.db.execute_sql(f"SELECT * FROM {name} ORDER BY 1").fetchall()


@pytest.fixture(autouse=True)
def _portable_table(monkeypatch):
    monkeypatch.setattr(on_sqlite, "table", _table)
