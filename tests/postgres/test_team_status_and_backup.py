"""``db status``, ``backup``/``restore`` guidance and loading a JSON export on a team database."""

from __future__ import annotations

import json
import shlex
import subprocess
from datetime import date

import pytest

from planner.storage import migrations
from planner.storage.postgres.privacy import PRIVATE_TABLES
from tests.helpers.cli import as_json, invoke, ok, refused


@pytest.fixture
def team(pg_initialised):
    """Empty tables and two ordinary planner users."""
    from tests.postgres.conftest import empty_tables

    pg = pg_initialised
    empty_tables(pg)
    users = {}
    for who in ("alice", "bob"):
        users[who] = pg.role(f"{who}3")
        ok(invoke("db", "add-user", users[who], db=pg.url()))
    return pg, users


def _people(url: str, names: list[str], ring: str | None = None) -> None:
    for name in names:
        ok(invoke("contacts", "add", name, *(["--ring", ring] if ring else []), db=url))


# --------------------------------------------------------------------- db status


def test_db_status_says_who_where_and_what_you_can_see(team):
    pg, users = team
    alice, bob = pg.url(users["alice"]), pg.url(users["bob"])
    _people(alice, ["Ada Lovelace", "Grace Hopper"], ring="inner")
    _people(bob, ["Alan Turing"], ring="middle")
    ok(invoke("contacts", "remove", "Grace Hopper", db=alice))  # in the trash: not counted
    ok(invoke("log", "Ada Lovelace", "coffee", db=alice))
    ok(invoke("log", "Alan Turing", "call", db=bob))
    ok(invoke("note", "Ada Lovelace", "alice private", db=alice))
    ok(invoke("note", "Ada Lovelace", "bob private", db=bob))
    ok(invoke("note", "Ada Lovelace", "bob shared", "--shared", db=bob))

    data = as_json(invoke("db", "status", "--json", db=alice))
    tls = pg.sql("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")[0][0]
    assert data == {
        "kind": "postgresql",
        "server": alice,
        "role": users["alice"],
        "superuser": False,
        "schema_version": migrations.LATEST,
        "postgresql_version": data["postgresql_version"],
        "tls": {"in_use": tls, "version": None, "cipher": None} if not tls else data["tls"],
        "row_level_security": {"on": True,
                               "tables": {t.name: True for t in PRIVATE_TABLES}},
        "visible": {"contacts": 2, "placed": 1, "touchpoints": 2, "notes": 2},
        "security": {"ok": True, "warnings": []},
    }
    assert data["postgresql_version"].split()[0] == pg.sql("SHOW server_version")[0][0].split()[0]

    text = ok(invoke("db", "status", db=bob))
    assert f"Database: team database {bob}" in text
    assert f"Connected as: {users['bob']}" in text
    assert f"Schema version: {migrations.LATEST}" in text
    assert "TLS: no" in text or "TLS: yes" in text
    assert "Row-level security: on\n" in text
    assert "You can see: 2 contacts, 1 placed on your rings, 2 touchpoints, 2 notes" in text
    assert "Security setup: ok" in text


def test_db_status_warns_about_a_superuser_and_row_level_security_turned_off(team):
    pg, _ = team
    assert "is a superuser: it sees everyone's rows" in ok(invoke("db", "status", db=pg.url()))
    pg.sql("ALTER TABLE planner_private.note DISABLE ROW LEVEL SECURITY")
    try:
        data = as_json(invoke("db", "status", "--json", db=pg.url()))
        assert data["row_level_security"]["on"] is False
        assert data["row_level_security"]["tables"]["note"] is False
        assert "Row-level security: OFF for note" in ok(invoke("db", "status", db=pg.url()))
    finally:
        ok(invoke("db", "init", db=pg.url()))  # team setup puts it back
    assert as_json(invoke("db", "status", "--json", db=pg.url()))["row_level_security"]["on"]


def test_db_status_never_shows_a_password(team):
    pg, users = team
    result = invoke("db", "status", "--json", db=pg.url(users["alice"], password="s3cret-pw"))
    assert json.loads(ok(result))["server"] == pg.url(users["alice"], password="***")
    assert "s3cret-pw" not in result.stdout + result.stderr


# ------------------------------------------------------------- backup / restore


def _command(message: str, program: str) -> list[str]:
    """The ``program …`` command a one-line hint names (up to the next parenthesis)."""
    start = message.index(program)
    return shlex.split(message[start:].split(" (")[0])


def test_backup_names_pg_dump_and_the_export_and_both_work(team, tmp_path):
    pg, users = team
    admin = pg.url()
    _people(admin, ["Ada Lovelace"], ring="outer")
    today = date.today().isoformat()
    result = invoke("backup", db=pg.url(users["alice"], password="pw"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = result.stderr.splitlines()[-1]  # (after the warning about a password in a URL)
    assert "pw@" not in line and ":***@" not in line
    assert (f"pg_dump --format=custom --dbname='{pg.url(users['alice'])}' "
            f"--file=planner-{today}.dump") in line
    assert f"planner --db '{pg.url(users['alice'])}' export --format json" in line

    # the admin's hint, run as it is: a dump pg_restore can read
    line = refused(invoke("backup", db=admin), "pg_dump")
    subprocess.run(_command(line, "pg_dump"), cwd=tmp_path, check=True, timeout=120)
    dumped = tmp_path / f"planner-{today}.dump"
    listing = subprocess.run(["pg_restore", "--list", str(dumped)], capture_output=True,
                             text=True, check=True).stdout
    assert "TABLE DATA public contact" in listing and "TABLE DATA planner_private note" in listing
    assert "POLICY planner_private note note_read" in listing and "VIEW public note" in listing

    line = refused(invoke("restore", str(dumped), db=admin), "pg_restore")
    command = _command(line, "pg_restore")
    assert command == ["pg_restore", "--clean", "--if-exists", "--single-transaction",
                       f"--dbname={admin}", str(dumped)]


def test_the_pg_restore_hint_puts_a_dump_back(team, tmp_path):
    pg, _ = team
    admin = pg.url()
    _people(admin, ["Ada Lovelace"], ring="outer")
    line = refused(invoke("backup", db=admin), "pg_dump")
    subprocess.run(_command(line, "pg_dump"), cwd=tmp_path, check=True, timeout=120)
    dumped = tmp_path / f"planner-{date.today().isoformat()}.dump"
    pg.sql("DELETE FROM contact")
    command = _command(refused(invoke("restore", str(dumped), db=admin)), "pg_restore")
    done = subprocess.run(command, timeout=120, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert pg.sql("SELECT name FROM contact") == [("Ada Lovelace",)]


def test_restore_of_a_json_export_names_import(team, tmp_path):
    pg, users = team
    refused(invoke("restore", str(tmp_path / "x.json"), db=pg.url(users["bob"])),
            f"planner --db '{pg.url(users['bob'])}' import '{tmp_path / 'x.json'}'")


def test_backup_now_in_the_window_gets_the_same_hint(opened, pg_initialised):
    from planner.domain.errors import DatabaseProblem
    from planner.services.backups import backup_now

    with pytest.raises(DatabaseProblem, match="pg_dump --format=custom --dbname="
                       f"'{pg_initialised.url()}'"):
        backup_now(opened.backend)


# ------------------------------------------------------- a JSON export, loaded


def test_a_file_export_loads_into_a_team_database_and_new_rows_follow(team, tmp_path):
    pg, users = team
    file, dump = tmp_path / "mine.db", tmp_path / "mine.json"
    ok(invoke("demo", "--contacts", "30", "--touchpoints", "100", db=file))
    ok(invoke("export", "--format", "json", "-o", str(dump), db=file))
    exported = json.loads(dump.read_text())
    alice = pg.url(users["alice"])
    assert "Restored 30 contacts" in ok(invoke("import", str(dump), db=alice))

    # new rows get fresh ids in every table the export filled
    ok(invoke("contacts", "add", "Brand New", "--ring", "outer", db=alice))
    ok(invoke("log", "Brand New", "coffee", "--note", "first", db=alice))
    ok(invoke("note", "Brand New", "hello", db=alice))
    ok(invoke("contacts", "move", "Brand New", "none", db=alice))
    ok(invoke("ask", "Brand New", "intro", db=alice))
    assert pg.sql("SELECT max(id) FROM contact") == [(31,)]

    # the file's rings ("" = the local user) became the importing user's
    rings = as_json(invoke("rings", "--json", db=alice))
    placed = {m["id"] for r in rings for m in r["members"]}
    assert placed == {p["contact_id"] for p in exported["placements"]}
    assert pg.sql("SELECT DISTINCT owner FROM placement") == [(users["alice"],)]
    assert pg.sql("SELECT DISTINCT owner FROM ring_move") == [(users["alice"],)]
    assert pg.sql("SELECT DISTINCT author FROM note") == [(users["alice"],)]
    # bob shares the people and touchpoints, not alice's rings or private notes
    bob = pg.url(users["bob"])
    assert all(r["count"] == 0 for r in as_json(invoke("rings", "--json", db=bob)))
    assert len(as_json(invoke("contacts", "list", "--json", db=bob))) == 31
    status = as_json(invoke("db", "status", "--json", db=bob))["visible"]
    assert status["touchpoints"] == len(exported["touchpoints"]) + 1 and status["notes"] == 0
    ok(invoke("contacts", "add", "Bob's Own", "--ring", "inner", db=bob))


def test_a_team_export_with_other_users_rings_loads_only_as_an_admin(team, tmp_path):
    pg, users = team
    alice, bob, admin = pg.url(users["alice"]), pg.url(users["bob"]), pg.url()
    _people(alice, ["Ada Lovelace"], ring="inner")
    ok(invoke("note", "Ada Lovelace", "alice private", db=alice))
    dump = tmp_path / "team.json"
    ok(invoke("export", "--format", "json", "-o", str(dump), db=admin))  # sees everything
    from tests.postgres.conftest import empty_tables

    empty_tables(pg)
    refused(invoke("import", str(dump), db=bob), "rings or private notes of other planner "
            "users", "nothing was imported")
    assert pg.sql("SELECT count(*) FROM contact") == [(0,)]

    ok(invoke("import", str(dump), db=admin))  # an admin restores it as it was
    assert "inner   1/3     Ada Lovelace" in ok(invoke("rings", db=alice))
    assert "alice private" in ok(invoke("timeline", db=alice))
    _people(bob, ["Grace Hopper"], ring="outer")  # ids continue after the restored ones
    ok(invoke("note", "Grace Hopper", "bob's", db=bob))
