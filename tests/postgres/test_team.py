"""A team database: connecting, db init, users, and private notes kept private by the
database itself (row-level security), logging in as two ordinary roles."""

from __future__ import annotations

import pytest

from planner.domain.errors import DatabaseProblem
from planner.domain.rings import Ring
from planner.storage import migrations
from planner.storage.target import resolve_target
from tests.helpers.cli import invoke
from tests.helpers.stores import bound


def planner(pg, *args, user="postgres", input=None):
    return invoke("--db", pg.url(user), *args, input=input)


@pytest.fixture(scope="module")
def team(pg):
    """An initialised team database with two planner users (not superusers)."""
    assert planner(pg, "db", "init").returncode == 0
    alice, bob = pg.role("alice"), pg.role("bob")
    for role in (alice, bob):
        result = planner(pg, "db", "add-user", role)
        assert result.returncode == 0, result.stderr
        assert "Created planner user" in result.stdout
    return pg, alice, bob


def test_an_uninitialised_database_names_db_init(fresh_pg):
    """(A database of its own: the module's is initialised by whichever test asks for
    ``team`` first, so this one passed only when it ran first.)"""
    from planner.storage.database import open_database

    pg = fresh_pg
    with pytest.raises(DatabaseProblem, match="db init"):
        open_database(pg.url())
    result = planner(pg, "contacts", "list")
    assert result.returncode == 1
    assert "db init" in result.stderr
    assert pg.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]


def test_init_is_repeatable_and_reports_the_schema(team):
    pg, _, _ = team
    result = planner(pg, "db", "init")
    assert result.returncode == 0, result.stderr
    assert f"ready (schema {migrations.LATEST})" in result.stdout


def test_migrations_take_the_migration_lock(team, monkeypatch):
    from planner.storage.database import binding
    from planner.storage.postgres import connection, opening

    seen = []
    db = connection.connect(team[0].url())
    real = db.execute_sql
    def spy(sql, *args, **kwargs):
        seen.append(sql)
        return real(sql, *args, **kwargs)

    monkeypatch.setattr(db, "execute_sql", spy)
    with binding(db):  # (as an open does: the migration steps use the models)
        opening.migrate_locked(db)
    db.close()
    assert "LOCK TABLE planner_meta IN EXCLUSIVE MODE" in seen  # (no advisory lock)
    assert not any("advisory" in sql for sql in seen)


def test_a_users_rights_are_exactly_read_and_write_on_the_tables(team):
    pg, alice, _ = team
    rights = pg.sql(
        "SELECT DISTINCT privilege_type FROM information_schema.role_table_grants "
        "WHERE grantee = %s", (alice,))
    assert {r[0] for r in rights} == {"SELECT", "INSERT", "UPDATE", "DELETE"}
    assert pg.sql("SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = %s",
                  (alice,)) == [(False, False, False)]
    result = planner(pg, "contacts", "add", "Nope", user=alice)
    assert result.returncode == 0  # can write rows…
    import psycopg2

    with pytest.raises(psycopg2.Error):  # …but cannot change the schema
        pg.sql("DROP TABLE note", user=alice)


def test_each_user_has_their_own_rings_and_authors_are_recorded(team):
    pg, alice, bob = team
    out = planner(pg, "contacts", "add", "Grace Hopper", "--ring", "inner", user=alice)
    assert out.returncode == 0, out.stderr
    cid = out.stdout.split("#")[1].split()[0]
    assert planner(pg, "contacts", "move", cid, "outer", user=bob).returncode == 0
    assert planner(pg, "log", cid, "call", "--note", "compilers", user=bob).returncode == 0
    assert "inner   1/3     Grace Hopper" in planner(pg, "rings", user=alice).stdout
    assert "outer   1/72    Grace Hopper" in planner(pg, "rings", user=bob).stdout
    owners = pg.sql("SELECT owner, ring FROM placement WHERE contact_id = %s ORDER BY owner",
                    (int(cid),))
    assert owners == sorted([(alice, "inner"), (bob, "outer")])
    assert pg.sql("SELECT author FROM touchpoint WHERE note = 'compilers'") == [(bob,)]
    # the touchpoint is shared with the team: alice sees bob's call
    assert "compilers" in planner(pg, "timeline", cid, user=alice).stdout


def test_a_private_note_is_invisible_to_a_teammate_even_in_raw_sql(team):
    pg, alice, bob = team
    added = planner(pg, "contacts", "add", "Katherine Johnson", user=alice)
    cid = added.stdout.split("#")[1].split()[0]
    assert planner(pg, "note", cid, "alice private orbit maths", user=alice).returncode == 0
    assert "orbit" in planner(pg, "timeline", cid, user=alice).stdout
    assert "orbit" in planner(pg, "search", "orbit", user=alice).stdout
    assert "orbit" not in planner(pg, "timeline", cid, user=bob).stdout
    assert "Nothing found" in planner(pg, "search", "orbit", user=bob).stdout
    # raw SQL as bob (what psql would do): the row does not exist for him
    assert pg.sql("SELECT count(*) FROM note WHERE text LIKE '%%orbit%%'", user=bob) == [(0,)]
    assert pg.sql("UPDATE note SET text = 'x' WHERE text LIKE '%%orbit%%' RETURNING id",
                  user=bob) == []
    assert pg.sql("DELETE FROM note WHERE text LIKE '%%orbit%%' RETURNING id", user=bob) == []
    # nor can bob write a note in alice's name: whatever it claims, it is his
    forged = pg.sql("INSERT INTO note (contact_id, at, text, author, shared, created_at, "
                    "updated_at, version) VALUES (%s, now(), 'forged', %s, false, now(), now(), "
                    "1) RETURNING author", (int(cid), alice), user=bob)
    assert forged == [(bob,)]
    pg.sql("DELETE FROM note WHERE text = 'forged'", user=bob)
    # once alice shares it, bob reads it (and still cannot change it)
    pg.sql("UPDATE note SET shared = true WHERE text LIKE '%%orbit%%'", user=alice)
    assert pg.sql("SELECT count(*) FROM note WHERE text LIKE '%%orbit%%'", user=bob) == [(1,)]
    assert pg.sql("UPDATE note SET text = 'x' WHERE text LIKE '%%orbit%%' RETURNING id",
                  user=bob) == []


def test_a_users_placements_are_private_too(team):
    pg, alice, bob = team
    assert pg.sql("SELECT count(*) FROM placement WHERE owner = %s", (alice,), user=bob) == [(0,)]


def test_remove_user_takes_access_away(team):
    pg, _, _ = team
    carol = pg.role("carol")
    assert planner(pg, "db", "add-user", carol).returncode == 0
    assert planner(pg, "contacts", "list", user=carol).returncode == 0
    result = planner(pg, "db", "remove-user", carol)
    assert result.returncode == 0, result.stderr
    after = planner(pg, "contacts", "list", user=carol)
    assert after.returncode == 1


def test_a_password_in_the_url_works_is_warned_about_and_never_shown(team):
    pg, _, _ = team
    dave = pg.role("dave")
    result = planner(pg, "db", "add-user", dave, "--password-stdin", input="s3cret-pw\n")
    assert result.returncode == 0, result.stderr
    url = pg.url(dave, password="s3cret-pw")
    result = invoke("--db", url, "contacts", "list")
    assert result.returncode == 0, result.stderr
    assert "not safe" in result.stderr
    assert "s3cret-pw" not in result.stdout + result.stderr


def test_tls_options_pass_through(pg_server):
    from planner.storage.postgres.connection import connect_params

    name, params = connect_params("postgresql://ann@db.example:6543/team?sslmode=verify-full"
                                  "&sslrootcert=/etc/ca.pem")
    assert name == "team"
    assert params == {"host": "db.example", "port": 6543, "user": "ann",
                      "sslmode": "verify-full", "sslrootcert": "/etc/ca.pem"}


def test_login_tests_the_password_then_keeps_it_in_the_keyring(team, monkeypatch):
    from planner.storage import secrets
    from planner.storage.postgres import connection

    kept = {}
    monkeypatch.setattr(secrets, "set_secret", lambda account, pw: kept.update({account: pw}))
    url = team[0].url(team[1])
    assert connection.login(url, "anything") == url  # trust auth accepts any password here
    assert kept == {url: "anything"}
    with pytest.raises(DatabaseProblem, match="cannot connect"):
        connection.login(team[0].url("no_such_role_x"), "pw")


def test_unreachable_server_is_a_clear_message(pg_server):
    from planner.storage.database import open_database

    with pytest.raises(DatabaseProblem, match=r"cannot connect to postgresql://x:\*\*\*@127.0.0.1:1/db"):
        open_database("postgresql://x:pw@127.0.0.1:1/db")
    assert resolve_target("postgresql://x:pw@h/db").display() == "postgresql://x:***@h/db"


def test_services_on_a_team_database_as_a_user(team):
    """The service layer, connected as an ordinary role (RLS applies)."""
    from planner.services import contacts, touchpoints
    from planner.storage.database import open_database

    pg, alice, _ = team
    handle = open_database(pg.url(alice))
    try:
        ada = contacts.add_contact(bound(), "Ada Service", ring=Ring.MIDDLE)
        touchpoints.log_touchpoint(bound(), ada.id, "coffee", note="service test")
        assert contacts.get_contact(ada.id).ring is Ring.MIDDLE
        assert contacts.get_contact(ada.id).last_touch is not None
    finally:
        handle.close()


def test_a_note_added_as_shared_is_read_by_the_team(team):
    pg, alice, bob = team
    added = planner(pg, "contacts", "add", "Dorothy Vaughan", user=alice)
    cid = added.stdout.split("#")[1].split()[0]
    assert planner(pg, "note", cid, "fortran teacher", "--shared", user=alice).returncode == 0
    assert "fortran" in planner(pg, "timeline", cid, user=bob).stdout
    assert "fortran" in planner(pg, "search", "fortran", user=bob).stdout


def test_two_clients_initialising_at_once_both_succeed(pg_server):
    """Without the advisory lock the second CREATE TABLE fails or races; with it, the
    second client waits, then finds the schema made."""
    import secrets as random
    import threading

    from tests.postgres.conftest import _admin_connection

    name = f"planner_test_{random.token_hex(4)}"
    admin = _admin_connection()
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        from planner.storage.models import db_proxy
        from planner.storage.postgres import connection, opening

        url = f"postgresql://postgres@127.0.0.1:{pg_server_port()}/{name}"
        results, errors = [], []
        db = connection.make_database(url)  # one connection per thread (peewee's rule)
        db_proxy.initialize(db)

        def init():
            try:
                with db.connection_context():
                    results.append(opening.migrate_locked(db))
            except Exception as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=init) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == []
        assert results == [migrations.LATEST] * 4
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cur.execute(f'DROP ROLE IF EXISTS "{name}_planner_definer"')  # db init's own role
        admin.close()


def pg_server_port() -> int:
    from tests.postgres.conftest import PORT

    return PORT


def test_the_keyring_password_is_used_and_its_account_has_no_password(team, memory_keyring):
    from planner.storage import secrets
    from planner.storage.postgres import connection, opening

    pg, alice, _ = team
    url = pg.url(alice)
    assert connection.login(url, "kept-pw") == url
    assert secrets.get_secret(url) == "kept-pw"
    assert connection.make_database(url).connect_params["password"] == "kept-pw"
    # a URL with a password: the keyring account is the URL without it
    assert connection.account_for_url(pg.url(alice, password="x")) == url
    handle = opening.open_postgres(resolve_target(url))
    handle.close()
