"""Team database errors are classified by SQLSTATE (and libpq's own flags), never by the
server's words: real errors provoked on the machine's server, and on a throwaway cluster
whose messages are German (``lc_messages = 'de_DE.UTF-8'`` in its postgresql.conf, so
even a refused password — said before any session exists — is German).

Also the PostgreSQL half of the backend object (tests/unit/test_backend.py has SQLite's).
"""

from __future__ import annotations

import threading

import peewee
import psycopg2
import pytest

from planner.domain.errors import ConnectionLost, DatabaseProblem
from planner.storage.failures import Failure, classify, sqlstate
from planner.storage.postgres import connection
from planner.storage.postgres.connection import CannotConnect
from planner.switching import needs_team_password
from tests.helpers.postgres import HOST, PORT, logged_in
from tests.helpers.private_postgres import german_cluster
from tests.helpers.servers import free_port


@pytest.fixture(scope="module")
def german():
    with german_cluster() as cluster:
        cluster.sql("CREATE ROLE ada LOGIN PASSWORD 'right-pw'")
        yield cluster


def _refusal(url: str) -> CannotConnect:
    with pytest.raises(CannotConnect) as caught:
        connection.connect(url)
    return caught.value


# ------------------------------------------------------------------ a German server


def test_a_wrong_password_is_known_in_german(german):
    problem = _refusal(german.url("ada", "wrong-pw"))
    assert "Passwort-Authentifizierung" in str(problem)  # the server's own words
    assert (problem.failure, problem.sqlstate) == (Failure.AUTH_FAILED, "28P01")
    assert needs_team_password(german.url("ada"), problem)
    assert "wrong-pw" not in str(problem)


def test_opening_the_team_database_says_the_same(german):
    """What the window's start and switch get from open_database (app.run_gui,
    switching.reopen_last_team_database ask needs_team_password of it)."""
    from planner.storage.database import open_database

    url = german.url("ada", None)
    with pytest.raises(CannotConnect) as caught:
        open_database(url, password="wrong-pw")
    assert caught.value.failure is Failure.AUTH_FAILED and needs_team_password(url, caught.value)


def test_no_password_at_all_is_known(german):
    problem = _refusal(german.url("ada", None))
    assert problem.failure is Failure.NO_PASSWORD
    assert needs_team_password(german.url("ada"), problem)


def test_a_missing_database_does_not_ask_for_a_password(german):
    problem = _refusal(german.url("ada", "right-pw", dbname="keine_solche"))
    assert "existiert nicht" in str(problem)
    assert (problem.failure, problem.sqlstate) == (Failure.OTHER, "3D000")
    assert not needs_team_password(german.url("ada"), problem)


def test_the_right_password_connects(german):
    db = connection.connect(german.url("ada", "right-pw"))
    try:
        assert db.planner_user == "ada"
        with pytest.raises(peewee.ProgrammingError) as caught:
            db.execute_sql("DROP DATABASE postgres")
        assert "Recht" in str(caught.value) or "Eigentümer" in str(caught.value)
        assert classify(caught.value) is Failure.PERMISSION_DENIED  # 42501, in German
        db.rollback()
        with pytest.raises(peewee.ProgrammingError) as caught:
            db.execute_sql("SELECT no_such_function()")
        assert classify(caught.value) is Failure.UNDEFINED
    finally:
        db.close()


def test_a_stopped_server_is_unreachable():
    problem = _refusal(f"postgresql://ada@127.0.0.1:{free_port()}/team")
    assert problem.failure is Failure.UNREACHABLE
    assert not needs_team_password("postgresql://ada@127.0.0.1/team", problem)
    db = connection.make_database(f"postgresql://ada@127.0.0.1:{free_port()}/team")
    with pytest.raises(ConnectionLost, match="cannot be reached"):
        db.execute_sql("SELECT 1")


def test_a_server_that_never_answers_is_unreachable_in_bounded_time():
    """A port that accepts and then says nothing: the connect times out, and so does the
    diagnosis (an asynchronous connect has no timeout of its own)."""
    import socket
    import time

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(4)
    try:
        started = time.monotonic()
        problem = _refusal(f"postgresql://ada@127.0.0.1:{silent.getsockname()[1]}/team"
                           "?connect_timeout=2")
        assert problem.failure is Failure.UNREACHABLE
        assert time.monotonic() - started < 15
    finally:
        silent.close()


# ------------------------------------------------------------------ the machine's server


def _raw(pg):
    conn = psycopg2.connect(host=HOST, port=PORT, user="postgres", dbname=pg.name)
    conn.autocommit = True
    return conn


def test_permission_denied_is_42501(pg_initialised):
    ann, = pg_initialised.planner_users("codes_ann")
    with logged_in(pg_initialised, ann) as handle:
        with pytest.raises(peewee.ProgrammingError) as caught:
            handle.db.execute_sql("DROP TABLE contact")
        assert sqlstate(caught.value) == "42501"
        assert classify(caught.value) is Failure.PERMISSION_DENIED


def test_a_lock_not_available_is_locked(pg_initialised):
    holder = _raw(pg_initialised)
    holder.autocommit = False
    holder.cursor().execute("LOCK TABLE planner_meta IN ACCESS EXCLUSIVE MODE")
    other = _raw(pg_initialised)
    other.autocommit = False
    try:
        with pytest.raises(psycopg2.Error) as caught:
            other.cursor().execute("LOCK TABLE planner_meta IN ACCESS SHARE MODE NOWAIT")
        assert sqlstate(caught.value) == "55P03"
        assert classify(caught.value) is Failure.LOCKED
    finally:
        holder.rollback()
        holder.close()
        other.close()


def test_a_serialization_failure_and_a_deadlock_are_conflicts(pg_initialised):
    setup = _raw(pg_initialised)
    setup.cursor().execute("CREATE TABLE IF NOT EXISTS codes_t (id int PRIMARY KEY, v int);"
                           "TRUNCATE codes_t; INSERT INTO codes_t VALUES (1, 0), (2, 0)")
    first, second = _raw(pg_initialised), _raw(pg_initialised)
    first.autocommit = second.autocommit = False
    try:
        a, b = first.cursor(), second.cursor()
        a.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        a.execute("SELECT v FROM codes_t WHERE id = 1")
        b.execute("UPDATE codes_t SET v = 1 WHERE id = 1")
        second.commit()
        with pytest.raises(psycopg2.Error) as caught:
            a.execute("UPDATE codes_t SET v = 2 WHERE id = 1")
        assert sqlstate(caught.value) == "40001"
        assert classify(caught.value) is Failure.CONFLICT
        first.rollback()

        a.execute("UPDATE codes_t SET v = 3 WHERE id = 1")
        b.execute("UPDATE codes_t SET v = 3 WHERE id = 2")
        errors: list[BaseException] = []

        def cross(cur, row):
            try:
                cur.execute("UPDATE codes_t SET v = 4 WHERE id = %s", (row,))
            except psycopg2.Error as exc:
                errors.append(exc)
                cur.connection.rollback()

        thread = threading.Thread(target=cross, args=(b, 1))
        thread.start()
        cross(a, 2)
        thread.join(30)
        assert [sqlstate(e) for e in errors] == ["40P01"]  # one of the two, after 1 s
        assert classify(errors[0]) is Failure.CONFLICT
    finally:
        for conn in (first, second):
            conn.rollback()
            conn.close()
        setup.cursor().execute("DROP TABLE codes_t")
        setup.close()


def test_a_terminated_session_is_a_lost_connection(pg_initialised):
    with logged_in(pg_initialised, "postgres") as handle:
        pid = handle.backend.session_id()
        assert pid == handle.db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
        admin = _raw(pg_initialised)
        admin.cursor().execute("SELECT pg_terminate_backend(%s)", (pid,))
        admin.close()
        with pytest.raises(ConnectionLost, match="was lost") as caught, handle.db.atomic():
            handle.db.execute_sql("SELECT 1")
        cause = caught.value.__cause__
        assert classify(cause) is Failure.CONNECTION_LOST
        assert sqlstate(cause) in ("57P01", None)  # 57P01 when the notice was read in time
        handle.backend.heartbeat()  # outside a transaction: connected again


# ------------------------------------------------------------------ the backend object


def test_the_team_backend(pg_initialised, tmp_path):
    ann, bob = pg_initialised.planner_users("backend_ann", "backend_bob")
    with logged_in(pg_initialised, ann) as handle:
        found = handle.backend
        assert (found.kind, found.team, found.path) == ("postgresql", True, None)
        assert found.current_user() == ann
        assert found.data_version() is None  # changes come by LISTEN
        assert found.url.startswith(f"postgresql://{ann}@{HOST}:{PORT}/")  # no password
        assert ":" not in found.url.split("//", 1)[1].split("@", 1)[0]
        with pytest.raises(DatabaseProblem, match="backed up on its server"):
            found.copy_to(tmp_path / "copy.db")
        assert not (tmp_path / "copy.db").exists()
        found.heartbeat()
        def takes_move_lock(role: str) -> bool:
            """Whether ``role``'s move lock can be taken now (by another connection)."""
            conn = psycopg2.connect(host=HOST, port=PORT, user=role, dbname=pg_initialised.name)
            try:
                with conn.cursor() as cur:
                    cur.execute("SET lock_timeout = '200ms'")
                    try:
                        cur.execute("SELECT planner_lock_moves()")
                    except psycopg2.errors.LockNotAvailable:
                        return False
                    return True
            finally:
                conn.close()

        with found.move_lock(ann):
            assert not takes_move_lock(ann)  # ann's other moves wait
            assert takes_move_lock(bob)  # another user's do not
        assert takes_move_lock(ann)
        with found.write():
            assert handle.db.in_transaction()


def test_a_team_snapshot_sees_one_state_for_all_its_queries(pg_initialised):
    """An export reads several tables in one ``snapshot()``: REPEATABLE READ, so a
    teammate's commit between two of its queries is not half seen (READ COMMITTED, the
    server's default, would show it to the second query only)."""
    ann, = pg_initialised.planner_users("snapshot_ann")
    with logged_in(pg_initialised, ann) as handle:
        found = handle.backend
        other = _raw(pg_initialised)
        try:
            count = "SELECT count(*) FROM planner_meta"
            with found.snapshot():
                before = handle.db.execute_sql(count).fetchone()[0]
                level = handle.db.execute_sql("SHOW transaction_isolation").fetchone()[0]
                with other.cursor() as cur:
                    cur.execute("INSERT INTO planner_meta (key, value) VALUES ('x-snap', '1')")
                assert handle.db.execute_sql(count).fetchone()[0] == before
                with found.snapshot():  # a savepoint of the same snapshot
                    assert handle.db.execute_sql(count).fetchone()[0] == before
            assert level == "repeatable read"
            assert handle.db.execute_sql(count).fetchone()[0] == before + 1
        finally:
            with other.cursor() as cur:
                cur.execute("DELETE FROM planner_meta WHERE key = 'x-snap'")
            other.close()
