"""The PostgreSQL server on this machine (127.0.0.1:5432, superuser postgres) for tests,
and the fixtures that run one test on both engines.

Each test module gets its own fresh database (``planner_test_<random>``), initialised
with ``db init``'s code and dropped at the end; each test starts from empty tables.
Unreachable server: the tests skip — except in CI (``CI=true``), where they fail.
Roles made by tests are named ``planner_t_<random>_…`` and dropped with the database (as
is the NOLOGIN role ``db init`` gives the change log's function to).

Both engines, one fixture: ``backend`` is an opened database (models bound) of each
kind. A module marked ``pytest.mark.both_engines`` gets ``db_path`` and ``opened``
(tests/conftest.py) once per engine instead: a SQLite file, then a team database.
"""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager

import pytest

ENGINES = ("sqlite", "postgresql")

HOST, ADMIN = "127.0.0.1", "postgres"
PORT = int(os.environ.get("PLANNER_TEST_PGPORT", "5432"))  # another port: try the skip/fail rule


def _admin_connection(dbname: str = "postgres"):
    import psycopg2

    conn = psycopg2.connect(host=HOST, port=PORT, user=ADMIN, dbname=dbname, connect_timeout=3)
    conn.autocommit = True
    return conn


def url_for(dbname: str, user: str = ADMIN, password: str | None = None, query: str = "") -> str:
    auth = f"{user}:{password}" if password else user
    return f"postgresql://{auth}@{HOST}:{PORT}/{dbname}" + (f"?{query}" if query else "")


@pytest.fixture(scope="session")
def pg_server():
    try:
        _admin_connection().close()
    except Exception as exc:  # any failure to reach the server
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {HOST}:{PORT} is unreachable in CI: {exc}")
        pytest.skip(f"PostgreSQL at {HOST}:{PORT} is unreachable: {exc}")
    return True


class PgCluster:
    """A fresh database for one test module, and roles that go away with it."""

    def __init__(self, name: str):
        self.name = name
        self.tag = name.removeprefix("planner_test_")
        self.roles: list[str] = []

    def url(self, user: str = ADMIN, **kw) -> str:
        return url_for(self.name, user, **kw)

    def role(self, label: str) -> str:
        name = f"planner_t_{self.tag}_{label}"
        self.roles.append(name)
        return name

    def planner_users(self, *labels: str) -> list[str]:
        """Ordinary login roles made by ``db add-user``'s code (row-level security applies
        to them; superusers bypass it). The planner's tables must exist."""
        from planner.storage.postgres import connection, users

        admin = connection.connect(self.url())
        try:
            roles = [self.role(label) for label in labels]
            for role in roles:
                users.add_user(admin, role)
        finally:
            admin.close()
        return roles

    def sql(self, statement: str, params=None, user: str = ADMIN) -> list[tuple]:
        import psycopg2

        conn = psycopg2.connect(host=HOST, port=PORT, user=user, dbname=self.name)
        try:
            with conn, conn.cursor() as cur:
                cur.execute(statement, params)
                return cur.fetchall() if cur.description else []
        finally:
            conn.close()


@contextmanager
def logged_in(pg: PgCluster, role: str):
    """The team database opened as ``role`` (models bound) for the block."""
    from planner.storage.database import open_database

    handle = open_database(pg.url(role))
    try:
        yield handle
    finally:
        handle.close()


@contextmanager
def fresh_cluster():
    """A new, empty database (and the roles made for it), dropped afterwards."""
    name = f"planner_test_{secrets.token_hex(4)}"
    conn = _admin_connection()
    with conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    cluster = PgCluster(name)
    try:
        yield cluster
    finally:
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for role in [*cluster.roles, f"{name}_planner_definer"]:  # db init's own role
                cur.execute(f'DROP ROLE IF EXISTS "{role}"')
        conn.close()


@pytest.fixture(scope="module")
def pg(pg_server):
    with fresh_cluster() as cluster:
        yield cluster


@pytest.fixture
def fresh_pg(pg_server):
    """Like ``pg``, but one database per test (for a test that builds its own schema)."""
    with fresh_cluster() as cluster:
        yield cluster


@pytest.fixture(scope="module")
def pg_initialised(pg):
    from planner.storage.postgres.opening import open_postgres
    from planner.storage.target import resolve_target

    open_postgres(resolve_target(pg.url()), init=True).close()
    return pg


def empty_tables(pg: PgCluster) -> None:
    """Every planner table empty and its ids starting at 1 again, as TRUNCATE … RESTART
    IDENTITY CASCADE left them, in a tenth of its time: TRUNCATE gives each table and
    index a new file (~100 ms for these 15; run before each PostgreSQL half of a test,
    about a sixth of the whole suite's time), DELETE on a few rows ~10 ms. The rows go
    without their triggers (replica role), as with TRUNCATE; these tables are all the
    ones their foreign keys reach (what CASCADE emptied)."""
    from planner.storage.postgres.privacy import stored_table
    from planner.storage.postgres.team_setup import planner_tables

    # where the rows are: a private table's view cannot be emptied
    tables = [stored_table("public", t) for t in planner_tables() if t != "planner_meta"]
    deletes = " ".join(f"DELETE FROM {table};" for table in tables)
    pg.sql(f"SET LOCAL session_replication_role = replica; {deletes} "
           "SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_depend d ON d.objid = "
           "c.oid AND d.deptype IN ('a', 'i') WHERE c.relkind = 'S' AND "
           "d.refobjid = ANY(%s::regclass[])", (tables,))


class TeamDatabase(str):
    """A postgresql:// URL standing in for tests/conftest.py's ``db_path`` (a file path):
    ``run_cli(…, db=db_path)`` passes it as ``--db``. ``exists()`` answers like a file
    would: whether the planner's tables are there."""

    def __new__(cls, pg: PgCluster):
        self = super().__new__(cls, pg.url())
        self.pg = pg
        return self

    def exists(self) -> bool:
        return bool(self.pg.sql("SELECT count(*) FROM contact")[0][0])


def team_database(request) -> TeamDatabase:
    """The module's team database with empty tables (needs the server)."""
    pg = request.getfixturevalue("pg_initialised")
    empty_tables(pg)
    return TeamDatabase(pg)


def open_engine(request, engine: str, tmp_path):
    """A fresh opened database of ``engine`` (models bound)."""
    from planner.storage.database import open_database

    if engine == "sqlite":
        return open_database(str(tmp_path / "planner.db"))
    return open_database(str(team_database(request)))


@pytest.fixture(params=ENGINES)
def backend(request, tmp_path):
    """One test, both engines: a fresh opened database (models bound) of each kind.
    The PostgreSQL half needs the server (skips or, in CI, fails like the rest)."""
    handle = open_engine(request, request.param, tmp_path)
    yield handle
    handle.close()


@pytest.fixture
def engine(request) -> str:
    """Which engine ``db_path`` and ``opened`` use: SQLite, or each in turn in a module
    marked ``both_engines`` (tests/conftest.py's pytest_generate_tests)."""
    return getattr(request, "param", "sqlite")


@contextmanager
def engine_database(request, engine: str, folder):
    """A database of ``engine`` of its own for a module-scoped fixture (built once, read
    by many tests): a file in ``folder``, or a fresh initialised team database that no
    ``db_path`` test empties meanwhile."""
    if engine == "sqlite":
        yield folder / "planner.db"
        return
    from planner.storage.postgres.opening import open_postgres
    from planner.storage.target import resolve_target

    request.getfixturevalue("pg_server")
    with fresh_cluster() as cluster:
        open_postgres(resolve_target(cluster.url()), init=True).close()
        yield TeamDatabase(cluster)
