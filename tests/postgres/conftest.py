"""Tests against the PostgreSQL server on this machine: every test here gets a team
database as ``opened`` and ``db_path``. The server, its throwaway databases and the
both-engine ``backend`` fixture are in tests/helpers/postgres.py (a plugin of
tests/conftest.py); the names are re-exported here for the modules that import them.
"""

from __future__ import annotations

import pytest

from tests.helpers.postgres import (  # noqa: F401 (re-exported)
    ADMIN,
    HOST,
    PORT,
    PgCluster,
    TeamDatabase,
    _admin_connection,
    empty_tables,
    fresh_cluster,
    logged_in,
    pg,
    pg_initialised,
    pg_server,
    url_for,
)


@pytest.fixture
def opened(pg_initialised):  # noqa: F811 (the fixture, re-exported above)
    """The PostgreSQL twin of tests/conftest.py's ``opened``: empty tables, bound models."""
    from planner.storage.database import open_database

    empty_tables(pg_initialised)
    handle = open_database(pg_initialised.url())
    yield handle
    handle.close()


@pytest.fixture
def db_path(pg_initialised):  # noqa: F811
    """For CLI tests collected under tests/postgres: a team database with empty tables."""
    empty_tables(pg_initialised)
    return TeamDatabase(pg_initialised)


@pytest.fixture(scope="module")
def roles(pg_initialised):  # noqa: F811
    """The team database and two planner users made by add_user, alice and bob (not
    superusers: row-level security applies to them)."""
    return pg_initialised, *pg_initialised.planner_users("alice", "bob")


@pytest.fixture
def team(roles):
    """``roles`` with empty tables (a module may define its own ``team``)."""
    empty_tables(roles[0])
    return roles
