"""Planner users of a team database: login roles an admin adds and removes.

``add_user`` grants exactly what a planner user needs (a password is sent as a SCRAM
verifier, never itself); ``remove_user`` takes it all back and moves the user's rows off
their name (``tombstone``), so a role made later with the same name inherits nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import peewee
from peewee import PostgresqlDatabase

from planner.domain.errors import DatabaseProblem, InvalidInput
from planner.storage.failures import BUSY_SECONDS, Failure, classify
from planner.storage.postgres.privacy import (
    PRIVATE_TABLES,
    _readers,
    private_table,
    stored_table,
)
from planner.storage.postgres.team_setup import (
    _database,
    planner_schema,
    planner_tables,
    read_team_schema,
    schema_version,
    user_rights,
)

_ROLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,62}$")


def _role(name: str) -> str:
    if not _ROLE.match(name or ""):
        raise InvalidInput(f"{name!r} is not a usable role name (letters, digits, _ . -)")
    return name


def _quoted(db: PostgresqlDatabase, name: str) -> str:
    from psycopg2 import sql

    return sql.Identifier(_role(name)).as_string(db.connection())


def scram_verifier(password: str, salt: bytes | None = None, iterations: int = 4096) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL keeps for ``password`` (RFC 5802 / 7677), made
    here so that ``ALTER ROLE … PASSWORD`` carries a hash, never the password itself (server
    logs, pg_stat_statements). PostgreSQL SASLprep-normalises the password first."""
    import base64
    import hashlib
    import hmac
    import os

    salt = os.urandom(16) if salt is None else salt
    salted = hashlib.pbkdf2_hmac("sha256", _saslprep(password).encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def _saslprep(password: str) -> str:
    """RFC 4013 as PostgreSQL applies it: non-ASCII spaces become spaces, the "mapped to
    nothing" characters go, NFKC; a password it cannot prepare is used as it is."""
    import stringprep
    import unicodedata

    if password.isascii():
        return password
    mapped = "".join(" " if stringprep.in_table_c12(c) else c for c in password
                      if not stringprep.in_table_b1(c))
    prepared = unicodedata.normalize("NFKC", mapped)
    prohibited = (stringprep.in_table_c12, stringprep.in_table_c21_c22, stringprep.in_table_c3,
                  stringprep.in_table_c4, stringprep.in_table_c5, stringprep.in_table_c6,
                  stringprep.in_table_c7, stringprep.in_table_c8, stringprep.in_table_c9,
                  stringprep.in_table_a1)
    if not prepared or any(test(c) for c in prepared for test in prohibited):
        return password
    rtl = [stringprep.in_table_d1(c) for c in prepared]  # bidirectional text: RFC 3454 §6
    if any(rtl) and (any(stringprep.in_table_d2(c) for c in prepared)
                     or not (rtl[0] and rtl[-1])):
        return password
    return prepared


@dataclass(frozen=True)
class AddedUser:
    created: bool
    warnings: tuple[str, ...]  # e.g. a superuser, who sees everyone's private rows
    released: int  # rows a former holder of the same name left (kept away from this one)


def add_user(db: PostgresqlDatabase, role: str, password: str | None = None) -> AddedUser:
    """Create the login role if missing and grant exactly what a planner user needs:
    CONNECT, SELECT on every planner table (a private one's view), INSERT/UPDATE/DELETE as
    ``user_rights`` says, and USAGE on the shared tables' sequences; nothing in the
    private schema. A password is sent as a SCRAM verifier. Rows a removed
    user of the same name left behind are not handed to the new one."""
    if schema_version(db) == 0:
        raise DatabaseProblem("the database has no planner tables yet; run db init first")
    who = _quoted(db, role)
    schema = planner_schema(db)
    with db.atomic():
        exists = db.execute_sql("SELECT rolsuper, rolbypassrls FROM pg_catalog.pg_roles "
                                "WHERE rolname = %s", (role,)).fetchone()
        released = 0
        if not exists:
            db.execute_sql(f"CREATE ROLE {who} LOGIN")
            released = _release_rows(db, schema, role, purge=False)
        if password:
            db.execute_sql(f"ALTER ROLE {who} LOGIN PASSWORD %s", (scram_verifier(password),))
        for table in planner_tables():
            db.execute_sql(f"GRANT {user_rights(table)} ON {schema}.{table} TO {who}")
        for seq in planner_sequences(db):
            db.execute_sql(f"GRANT USAGE ON SEQUENCE {seq} TO {who}")
        db.execute_sql(f"GRANT SELECT ON {schema}.planner_change TO {who}")  # the live clock
        if read_team_schema(db) >= 4:  # a person's private rows (an older setup has none)
            db.execute_sql(f"GRANT EXECUTE ON FUNCTION {_readers(schema)} TO {who}")
        db.execute_sql(f"GRANT CONNECT ON DATABASE {_database(db)} TO {who}")
    warnings = []
    if exists and exists[0]:
        warnings.append(f"{role} is a superuser: it bypasses row-level security and reads "
                        "everyone's private notes, rings and cadences. Use an ordinary role")
    elif exists and exists[1]:
        warnings.append(f"{role} has BYPASSRLS: it reads everyone's private notes, rings and "
                        "cadences. Use an ordinary role")
    return AddedUser(not exists, tuple(warnings), released)


def planner_sequences(db: PostgresqlDatabase) -> list[str]:
    """The id sequences a planner user draws from: the shared tables' (a private table's
    is used by its view's definer function only)."""
    shared = [t for t in planner_tables() if not private_table(t)]
    rows = db.execute_sql(
        "SELECT pg_get_serial_sequence(t, 'id') FROM unnest(%s::text[]) AS t "
        "WHERE EXISTS (SELECT 1 FROM information_schema.columns c "
        "              WHERE c.table_name = t AND c.column_name = 'id' "
        "                AND c.table_schema = current_schema())",
        (shared,),
    ).fetchall()
    return [r[0] for r in rows if r[0]]


#: (table, the column naming whose row it is, private to that role? — None: unless shared)
_KEYED = (*((t.name, t.column, None if t.shared else True) for t in PRIVATE_TABLES),
          ("touchpoint", "author", False))


def tombstone(role: str) -> str:
    """The name a removed user's rows are kept under: longer than PostgreSQL allows a role
    name (63 bytes), so no role made later — of the same name or any — is ever it."""
    import uuid
    from datetime import UTC, datetime

    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    name = f"{role} (removed {stamp}, {uuid.uuid4().hex})"
    assert len(name.encode()) > 63
    return name


def private_rows(db: PostgresqlDatabase, role: str) -> dict[str, int]:
    """What ``role`` keeps that only it can read: {table: rows} (as an admin sees it)."""
    schema = planner_schema(db)
    out = {}
    for table, column, private in _KEYED:
        where = f"{column} = %s" + (" AND NOT shared" if private is None else "")
        if private is False:
            continue
        out[table] = db.execute_sql(
            f"SELECT count(*) FROM {stored_table(schema, table)} WHERE {where}",
            (role,)).fetchone()[0]
    return out


def _release_rows(db: PostgresqlDatabase, schema: str, role: str, purge: bool) -> int:
    """Take ``role``'s rows away from its name: its private ones deleted (``purge``) or
    kept under a tombstone name only an admin reads, its touchpoints and shared notes kept
    under the tombstone. Row-level security on the shared touchpoints is lifted for this
    transaction only (an admin owning the tables, not a superuser, is held to it too; the
    private tables' is not forced: their owner reads and writes them)."""
    dead = tombstone(role)
    superuser = db.execute_sql("SELECT pg_catalog.current_setting('is_superuser')").fetchone()
    # since team schema 11 the owner's own policy lets it change the authors (``ALTER
    # TABLE`` waits for every open transaction that read the table, a teammate's idle one
    # too); an older setup lifts row-level security for this transaction
    lifted = ([t for t, _, p in _KEYED if p is False]
              if superuser[0] != "on" and read_team_schema(db) < 11 else [])
    for table in lifted:
        db.execute_sql(f"ALTER TABLE {schema}.{table} NO FORCE ROW LEVEL SECURITY")
    count = 0
    for table, column, private in _KEYED:
        if purge and private is not False:
            extra = " AND NOT shared" if private is None else ""
            count += db.execute_sql(
                f"DELETE FROM {stored_table(schema, table)} WHERE {column} = %s{extra}",
                (role,)).rowcount
        count += db.execute_sql(
            f"UPDATE {stored_table(schema, table)} SET {column} = %s WHERE {column} = %s",
            (dead, role)).rowcount
    for table in lifted:
        db.execute_sql(f"ALTER TABLE {schema}.{table} FORCE ROW LEVEL SECURITY")
    return count


@dataclass(frozen=True)
class RemovedUser:
    dropped: bool  # the role itself was dropped (nothing else held it)
    sessions: int | None  # its connections ended (None: not allowed to end them)
    kept: int  # rows kept under a name no role can have (only an admin reads them)
    purged: int  # private rows deleted (--purge)


def remove_user(db: PostgresqlDatabase, role: str, purge: bool = False) -> RemovedUser:
    """Take ``role`` off the team: revoke what ``add_user`` granted and CONNECT, end its
    open sessions (listening ones too), move its rows off its name (a role made later with
    the same name inherits nothing), and drop the role if nothing else holds it.

    Access goes first, in a transaction of its own that waits for no lock, and the
    sessions end next: a teammate's open transaction (or the user's own) can delay only
    the moving of the rows, and then the user is already cut off and the role is kept,
    so that running this again finishes the job."""
    who = _quoted(db, role)
    schema = planner_schema(db)
    if role == db.execute_sql("SELECT session_user").fetchone()[0]:
        raise InvalidInput(f"{role} is the role you are connected as; remove it as another "
                           "admin")
    with db.atomic():
        exists = db.execute_sql("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = %s",
                                (role,)).fetchone()
        if not exists:
            raise InvalidInput(f"there is no database role {role!r}")
        tables = ", ".join(f"{schema}.{t}" for t in planner_tables())
        db.execute_sql(f"REVOKE ALL ON {tables} FROM {who}")
        for seq in planner_sequences(db):
            db.execute_sql(f"REVOKE ALL ON SEQUENCE {seq} FROM {who}")
        db.execute_sql(f"REVOKE ALL ON {schema}.planner_change FROM {who}")
        if read_team_schema(db) >= 4:
            db.execute_sql(f"REVOKE ALL ON FUNCTION {_readers(schema)} FROM {who}")
        private = [stored_table(schema, t.name) for t in PRIVATE_TABLES]
        db.execute_sql(f"REVOKE ALL ON {', '.join(private)} FROM {who}")  # never granted
        db.execute_sql(f"REVOKE ALL ON DATABASE {_database(db)} FROM {who}")
    sessions = _end_sessions(db, role, who)
    try:
        with db.atomic():
            before = sum(private_rows(db, role).values()) if purge else 0
            kept = _release_rows(db, schema, role, purge)
    except (peewee.DatabaseError, DatabaseProblem) as exc:
        if classify(exc) is not Failure.LOCKED:  # (a DatabaseProblem: the driver's cause)
            raise
        ended = "" if sessions is None else " and its sessions ended"
        raise InvalidInput(
            f"{role} can no longer use the planner (its rights and CONNECT are revoked"
            f"{ended}), but its rows could not be moved off its name yet: a teammate's open "
            f"transaction held them for {BUSY_SECONDS} seconds. The role is kept until then; "
            f"run 'planner db remove-user {role}' again in a moment") from exc
    try:
        with db.atomic():
            db.execute_sql(f"DROP ROLE {who}")
        dropped = True
    except peewee.DatabaseError:  # it owns things or has rights elsewhere: keep it, rights gone
        dropped = False
    return RemovedUser(dropped, sessions, kept - before if purge else kept, before)


_TERMINATE = ("SELECT count(pg_catalog.pg_terminate_backend(pid)) FROM pg_catalog.pg_stat_activity "
              "WHERE usename = %s AND datname = pg_catalog.current_database()")


def _end_sessions(db: PostgresqlDatabase, role: str, who: str) -> int | None:
    """End ``role``'s connections to this database (a listening one kept hearing the
    team's changes after the role was dropped); how many, or None where this admin may not.

    Only a superuser, a member of ``pg_signal_backend`` or of the role itself may: an admin
    who may create roles (as ``add_user`` needs) makes itself a member for the moment, as
    ``team_setup`` does with the definer role."""
    try:
        with db.atomic():
            return db.execute_sql(_TERMINATE, (role,)).fetchone()[0]
    except peewee.DatabaseError:
        pass
    member = db.execute_sql(
        "SELECT 1 FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles r "
        "ON r.oid = m.roleid WHERE r.rolname = %s AND m.member = "
        "(SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user)",
        (role,)).fetchone()
    if member:  # a member already, and still not allowed (NOINHERIT): nothing more to try
        return None
    try:
        with db.atomic():
            db.execute_sql(f"GRANT {who} TO CURRENT_USER")
    except peewee.DatabaseError:  # no CREATEROLE (or no ADMIN OPTION on the role)
        return None
    try:
        with db.atomic():
            return db.execute_sql(_TERMINATE, (role,)).fetchone()[0]
    except peewee.DatabaseError:
        return None
    finally:
        try:
            with db.atomic():
                db.execute_sql(f"REVOKE {who} FROM CURRENT_USER")
        except peewee.DatabaseError:  # (the membership goes with the role when it is dropped)
            pass
