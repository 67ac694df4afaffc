"""The team setup: what only a team database has, on top of the migrated tables.

Run after every migration (``opening.migrate_locked``), and by an admin's open or
``db init`` when the setup is older than ``TEAM_SCHEMA``:

- ``author`` (touchpoints, notes) and ``owner`` (placements, ring moves) are filled
  with the login role by triggers when the app leaves them empty;
- the private tables are walled off in their schema, behind their views (``privacy``);
  touchpoints are a shared table under row-level security;
- the live updates' triggers and change log (``live``);
- the SECURITY DEFINER functions belong to a NOLOGIN role of their own, PUBLIC loses
  temporary tables and CREATE, and every planner user's rights are brought up to date.
"""

from __future__ import annotations

import logging

import peewee
from peewee import PostgresqlDatabase

from planner.domain.errors import DatabaseProblem
from planner.domain.formatting import is_whole_number
from planner.storage import models as m
from planner.storage.postgres.connection import savepoint
from planner.storage.postgres.live import fill
from planner.storage.postgres.privacy import (
    MAX_ID_AHEAD,
    PRIVATE_SCHEMA,
    PRIVATE_TABLES,
    _readers,
    private_functions,
    private_sequences,
    private_setup_sql,
    reader_functions,
    stored_table,
)

log = logging.getLogger(__name__)

#: Every table of the planner (what a planner user is granted, and nothing else).
def planner_tables() -> list[str]:
    return [model._meta.table_name for model in m.ALL_MODELS]


#: The version of the team setup (functions, triggers, policies, grants), kept in
#: planner_meta as "team_schema": an admin's open or ``db init`` re-runs the setup when it
#: is older. 2: pinned search paths and schema-qualified names in every planner function,
#: the change log's SECURITY DEFINER function owned by a NOLOGIN role of its own, no
#: temporary tables for PUBLIC. 3: the private tables moved into ``PRIVATE_SCHEMA``,
#: reached only through views over SECURITY DEFINER functions (``PRIVATE_TABLES``).
#: 4: the views' functions read the caller's rows by index (``OWN_INDEXES``), and one
#: person's (or a few people's) private rows are read by ``planner_rows_<table>_of``.
#: 5: a shared row's id never changes (but by an admin): renumbering a person answered
#: "does anyone keep private rows about them?" by the foreign key's error, which names the
#: private table ("still referenced from table note").
#: 6: no foreign key from a private table to a shared one (``SharedReference``): checking
#: it locked the person's row, whose ``xmax`` then told teammates whose private write was
#: about whom.
#: 7: a picture in ``contact_photo`` is at most ``MAX_PHOTO_BYTES`` (a teammate's huge
#: picture was read, and decoded, by every window at start).
#: 8: a user's ring moves are serialised by a row lock only that user can take
#: (``planner_lock_moves``): the advisory lock on ``hashtext(<role>)`` they took before could
#: be taken by any teammate, and held for good, to make every move of that user fail.
#: 9: no ``planner_purge_contact``: its refusal told whether teammates keep private rows
#: about a person; a user's undo of an add moves the person to the trash instead.
#: 10: a new row that comes with its own id (an import's, an undo's) moves the table's id
#: sequence past it (``planner_id_ahead``), as the private views' trigger does: a
#: teammate's rows with the next ids made the team's next inserts of that table fail, once
#: per id taken. Nobody but an admin gives an id more than ``MAX_ID_AHEAD`` past the ids
#: handed out so far, nor changes a private row's id. A private row names only its own
#: user's private rows (a capture proposal its source): the foreign key told whether a
#: teammate's source of an id existed, and its SET NULL when they removed it.
#: 11: the change log takes one id per transaction, not one per statement (its ``ON
#: CONFLICT DO NOTHING`` used up a sequence value each time, so the gaps still counted the
#: statements of a teammate's commit); the tables' owner (an admin) may change any
#: touchpoint's author (``touchpoint_admin``), so removing a user no longer turns
#: row-level security off on the shared touchpoints (``ALTER TABLE``, which waited for
#: every teammate's open transaction, and let any of them hold the removal off for good).
TEAM_SCHEMA = 11

#: The shared tables whose rows have an id (the planner's own and the team's).
_ID_TABLES = ("contact", "touchpoint", "stage_change", "ask", "give", "win", "contact_photo")


#: Whether the writer administers the table (its owner, or a superuser): only an admin's
#: restore keeps the author/owner a row claims; everyone else's rows are their own.
_ADMIN = ("pg_catalog.pg_has_role(current_user, (SELECT c.relowner FROM pg_catalog.pg_class c "
          "WHERE c.oid = TG_RELID), 'MEMBER')")

#: author (touchpoints) and created_by (people): current_user on insert whatever the row
#: claims; neither changes afterwards (but by an admin removing a user). The private
#: tables' owners and authors are stamped by their views' trigger (``_WRITE_FN``).
_STAMP_FN = """
CREATE OR REPLACE FUNCTION {schema}.planner_fill_%(column)s() RETURNS trigger LANGUAGE plpgsql
SET search_path = {path} AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.%(column)s IS DISTINCT FROM OLD.%(column)s AND NOT %(admin)s THEN
      RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = 'the %(column)s of a ' || TG_TABLE_NAME || ' cannot be changed';
    END IF;
  ELSIF NEW.%(column)s IS NULL OR NEW.%(column)s = ''%(force)s THEN
    NEW.%(column)s := current_user;
  END IF;
  RETURN NEW;
END $$"""

#: A row's id is what others refer to: it never changes, but by an admin. (Before the
#: foreign keys are checked: their error would name the private table that refers to it.)
_KEEP_ID_FN = """
CREATE OR REPLACE FUNCTION {schema}.planner_keep_id() RETURNS trigger LANGUAGE plpgsql
SET search_path = {path} AS $$
BEGIN
  IF NEW.id IS DISTINCT FROM OLD.id AND NOT %(admin)s THEN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
      MESSAGE = 'the id of a ' || TG_TABLE_NAME || ' cannot be changed';
  END IF;
  RETURN NEW;
END $$"""

#: A new row with its own id: the sequence moves past it, so the next id it hands out is
#: free (only forward: ``nextval``, never ``setval``, as ``dump.advance_sequences``).
_ID_AHEAD_FN = """
CREATE OR REPLACE FUNCTION {schema}.planner_id_ahead() RETURNS trigger LANGUAGE plpgsql
SET search_path = {path} AS $$
DECLARE
  seq text := pg_catalog.pg_get_serial_sequence(pg_catalog.quote_ident(TG_TABLE_SCHEMA)
                || '.' || pg_catalog.quote_ident(TG_TABLE_NAME), 'id');
  last bigint;
BEGIN
  IF seq IS NULL OR NEW.id IS NULL THEN
    RETURN NEW;
  END IF;
  last := COALESCE(pg_catalog.pg_sequence_last_value(seq::regclass), 0);
  IF NEW.id > last THEN
    IF NEW.id - last > %(most)s AND NOT %(admin)s THEN
      RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = 'the id of a new ' || TG_TABLE_NAME || ' is too far past the ids in use';
    END IF;
    PERFORM pg_catalog.max(pg_catalog.nextval(seq))
       FROM pg_catalog.generate_series(1, NEW.id - last);
  END IF;
  RETURN NEW;
END $$"""

#: Users may not delete people (a cascade would take teammates' private notes, rings and
#: moves with them, row-level security or not): they move them to the trash, also to undo
#: an add (``contacts_repo.hard_delete``). Until team schema 9 that undo purged through
#: ``planner_purge_contact``, which refused when a teammate kept private rows about the
#: person: a yes/no oracle on whose rows exist (review 1). The setup drops it.
_DROPPED_FUNCTIONS = ("planner_purge_contact(bigint)",)


#: The settings table accepts only JSON, and for the settings every client reads at start
#: (ring capacities and cadences, backups kept) a value of the right shape.
_SETTING_OK_FN = """
CREATE OR REPLACE FUNCTION {schema}.planner_setting_ok(k text, v text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE SET search_path = {path} AS $$
DECLARE
  j jsonb;
BEGIN
  BEGIN
    j := v::jsonb;
  EXCEPTION WHEN others THEN
    RETURN false;
  END;
  IF k IN ('ring_capacity', 'ring_cadence_days') THEN
    RETURN pg_catalog.jsonb_typeof(j) = 'object' AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.jsonb_each(j) e
       WHERE e.key NOT IN ('inner', 'middle', 'outer')
          OR pg_catalog.jsonb_typeof(e.value) <> 'number'
          OR (e.value #>> '{}')::numeric <> pg_catalog.trunc((e.value #>> '{}')::numeric)
          OR (e.value #>> '{}')::numeric < 1
          OR (e.value #>> '{}')::numeric > CASE k WHEN 'ring_capacity' THEN 1000 ELSE 3650 END);
  ELSIF k = 'backup_keep' THEN
    RETURN pg_catalog.jsonb_typeof(j) = 'number'
       AND (j #>> '{}')::numeric = pg_catalog.trunc((j #>> '{}')::numeric)
       AND (j #>> '{}')::numeric BETWEEN 1 AND 1000;
  END IF;
  RETURN true;
END $$"""

#: One row per user, locked by a move of that user's rings for its transaction: two
#: windows of the same user never interleave their moves. In the private schema (no planner
#: user may name it), reached only by ``planner_lock_moves``, which locks the caller's own
#: row: a teammate cannot take or hold another user's move lock, as they could the advisory
#: lock on ``hashtext(<role>)`` (any role may take any advisory lock, for good).
_MOVE_LOCK_TABLE = f"CREATE TABLE IF NOT EXISTS {PRIVATE_SCHEMA}.move_lock (owner text PRIMARY KEY)"

_MOVE_LOCK_FN = """
CREATE OR REPLACE FUNCTION {schema}.planner_lock_moves() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {path} AS $$
BEGIN
  INSERT INTO {private}.move_lock AS l (owner) VALUES (session_user::text)
    ON CONFLICT (owner) DO UPDATE SET owner = l.owner;  -- locks the row until the end
END $$""".replace("{private}", PRIVATE_SCHEMA)


#: The most bytes a picture stored in ``contact_photo`` may have on a team database: the
#: app stores thumbnails of at most 256 KB (``importers.photos.MAX_STORED_BYTES``); a
#: teammate's megabytes per person would be read by every window at start. (The window
#: also refuses to decode a picture over 1024 pixels a side: ``ui.common.avatars``.)
MAX_PHOTO_BYTES = 1024 * 1024


def _owner_of(table: str) -> str:
    """A policy's condition: the current role is (a member of) ``table``'s owner, read
    when the row is checked (the owner may change later)."""
    literal = table.replace("'", "''")
    return ("pg_catalog.pg_has_role(current_user, (SELECT c.relowner FROM pg_catalog.pg_class c "
            f"WHERE c.oid OPERATOR(pg_catalog.=) '{literal}'::pg_catalog.regclass), 'MEMBER')")


def _policies(table: str, statements: list[tuple[str, str]], force: bool = True) -> list[str]:
    out = [f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
           f"ALTER TABLE {table} {'' if force else 'NO '}FORCE ROW LEVEL SECURITY"]
    for name, body in statements:
        out.append(f"DROP POLICY IF EXISTS {name} ON {table}")
        out.append(f"CREATE POLICY {name} ON {table} {body}")
    return out


def team_setup_sql(schema: str = "public") -> list[str]:
    """The team setup's statements; ``schema``: the planner's (a quoted identifier).
    The private schema must exist (``team_setup`` makes it)."""
    s, p = schema, PRIVATE_SCHEMA
    # an author is forced (a touchpoint claiming a teammate becomes the writer's own);
    # the private tables' owners and authors are filled by their views' trigger
    sql = [fill(_STAMP_FN % {"column": column, "admin": _ADMIN,
                             "force": f" OR NOT {_ADMIN}"}, s)
           for column in ("author", "created_by")]
    # who added a person (a team database's own column): only they may purge it
    sql.append(f"ALTER TABLE {s}.contact ADD COLUMN IF NOT EXISTS created_by text")
    sql += private_setup_sql(s)
    sql += [f"DROP FUNCTION IF EXISTS {s}.{fn}" for fn in _DROPPED_FUNCTIONS]
    sql += [fill(_SETTING_OK_FN, s), _MOVE_LOCK_TABLE,
            f"REVOKE ALL ON {p}.move_lock FROM PUBLIC", fill(_MOVE_LOCK_FN, s)]
    for table, column in (("touchpoint", "author"), ("contact", "created_by")):
        sql.append(f"DROP TRIGGER IF EXISTS {table}_fill_{column} ON {s}.{table}")
        sql.append(f"CREATE TRIGGER {table}_fill_{column} BEFORE INSERT OR UPDATE ON {s}.{table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {s}.planner_fill_{column}()")
    sql.append(fill(_KEEP_ID_FN % {"admin": _ADMIN}, s))
    for table in _ID_TABLES:
        sql.append(f"DROP TRIGGER IF EXISTS {table}_keep_id ON {s}.{table}")
        sql.append(f"CREATE TRIGGER {table}_keep_id BEFORE UPDATE OF id ON {s}.{table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {s}.planner_keep_id()")
    sql.append(fill(_ID_AHEAD_FN % {"admin": _ADMIN, "most": MAX_ID_AHEAD}, s))
    for table in _ID_TABLES:
        sql.append(f"DROP TRIGGER IF EXISTS {table}_id_ahead ON {s}.{table}")
        sql.append(f"CREATE TRIGGER {table}_id_ahead BEFORE INSERT ON {s}.{table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {s}.planner_id_ahead()")
    # a second wall behind the private schema (nobody but its owner and the definer role
    # may reach these tables): a role granted one by mistake still reads only its own rows
    for t in PRIVATE_TABLES:
        if t.shared:
            continue
        mine = f"{t.column} = current_user"
        sql += _policies(f"{p}.{t.name}", [
            (f"{t.name}_own", f"FOR ALL USING ({mine}) WITH CHECK ({mine})")], force=False)
    author = "author = current_user"
    sql += _policies(f"{p}.note", [
        ("note_read", f"FOR SELECT USING (shared OR {author})"),
        ("note_add", f"FOR INSERT WITH CHECK ({author})"),
        ("note_change", f"FOR UPDATE USING ({author}) WITH CHECK ({author})"),
        ("note_remove", f"FOR DELETE USING ({author})"),
    ], force=False)
    owner = _owner_of(f"{s}.touchpoint")
    sql += _policies(f"{s}.touchpoint", [  # the team reads them all; each writes their own
        ("touchpoint_read", "FOR SELECT USING (true)"),
        ("touchpoint_add", f"FOR INSERT WITH CHECK ({author})"),
        ("touchpoint_change", f"FOR UPDATE USING ({author}) WITH CHECK ({author})"),
        ("touchpoint_remove", f"FOR DELETE USING ({author})"),
        # the tables' owner moves a removed user's touchpoints off their name (users.py);
        # it could lift row-level security anyway, so this gives an admin nothing new
        ("touchpoint_admin", f"FOR UPDATE USING ({owner}) WITH CHECK ({owner})"),
    ])
    sql += [f"ALTER TABLE {s}.setting DROP CONSTRAINT IF EXISTS setting_value_ok",
            f"ALTER TABLE {s}.setting ADD CONSTRAINT setting_value_ok "
            f"CHECK ({s}.planner_setting_ok(key, value)) NOT VALID",
            f"ALTER TABLE {s}.contact_photo DROP CONSTRAINT IF EXISTS contact_photo_size_ok",
            f"ALTER TABLE {s}.contact_photo ADD CONSTRAINT contact_photo_size_ok "
            f"CHECK (pg_catalog.octet_length(photo) <= {MAX_PHOTO_BYTES}) NOT VALID"]
    from planner.storage.postgres.live import live_setup_sql

    sql += live_setup_sql(s)
    return sql


def _digest_capture_keys(db: PostgresqlDatabase, schema: str) -> None:
    """A touchpoint accepted from a capture before team schema 11 kept the item's key (an
    event's UID, a thread's Message-ID), which the team reads: its digest now, as
    ``domain.capture.shared_key`` makes it (the owner's policy on touchpoints allows the
    update). Nothing to do on a schema from before capture (no ``source`` column)."""
    has_source = db.execute_sql(
        "SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = %s::pg_catalog.regclass "
        "AND attname = 'source' AND NOT attisdropped", (f"{schema}.touchpoint",)).fetchone()
    if has_source:
        db.execute_sql(
            f"UPDATE {schema}.touchpoint SET source = 'sha256:' OPERATOR(pg_catalog.||) "
            "pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(source, 'UTF8')), "
            "'hex') WHERE source OPERATOR(pg_catalog.<>) '' "
            "AND pg_catalog.left(source, 7) OPERATOR(pg_catalog.<>) 'sha256:'")


def planner_schema(db: PostgresqlDatabase) -> str:
    """The schema of the planner's tables (where ``db init`` made them), quoted."""
    row = db.execute_sql(
        "SELECT pg_catalog.quote_ident(n.nspname) FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relname = 'planner_meta' AND c.relkind = 'r' "
        "AND n.nspname = ANY (pg_catalog.current_schemas(false))").fetchone()
    return row[0] if row else db.execute_sql(
        "SELECT pg_catalog.quote_ident(pg_catalog.current_schema())").fetchone()[0]


def definer_role(db: PostgresqlDatabase) -> str:
    """The NOLOGIN role that owns the planner's SECURITY DEFINER functions in this
    database and may do nothing but what they do (write the change log)."""
    name = db.execute_sql("SELECT pg_catalog.current_database()").fetchone()[0]
    return f"{name[:40]}_planner_definer"


def team_setup(db: PostgresqlDatabase) -> None:
    """Idempotent: the planner's functions and triggers, the row-level security policies,
    the definer functions' own role, and the team schema version."""
    schema = planner_schema(db)
    _private_schema(db)
    for statement in team_setup_sql(schema):
        db.execute_sql(statement)
    _digest_capture_keys(db, schema)
    _users_rights(db, schema)
    _own_definers(db, schema)
    _no_temporary_tables(db)
    db.execute_sql(
        f"INSERT INTO {schema}.planner_meta (key, value) VALUES ('team_schema', %s) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", (str(TEAM_SCHEMA),))


def _private_schema(db: PostgresqlDatabase) -> None:
    """Make ``PRIVATE_SCHEMA`` (owned by the admin running the setup, no rights for
    anyone else), or say clearly why it cannot be made."""
    exists = db.execute_sql("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = %s",
                            (PRIVATE_SCHEMA,)).fetchone()
    if not exists:
        allowed = db.execute_sql("SELECT pg_catalog.has_database_privilege("
                                 "pg_catalog.current_database(), 'CREATE')").fetchone()[0]
        if not allowed:
            raise DatabaseProblem(
                f"the team setup keeps private rows in a schema of their own "
                f"({PRIVATE_SCHEMA}) and {db.execute_sql('SELECT current_user').fetchone()[0]} "
                f"may not create it: the database's owner runs GRANT CREATE ON DATABASE "
                f"{_database(db)} TO that role (or creates the schema for it), then db init")
        db.execute_sql(f"CREATE SCHEMA {PRIVATE_SCHEMA}")
    db.execute_sql(f"REVOKE ALL ON SCHEMA {PRIVATE_SCHEMA} FROM PUBLIC")


def _ident(db: PostgresqlDatabase, name: str) -> str:
    from psycopg2 import sql

    return sql.Identifier(name).as_string(db.connection())


#: What a planner user may do to each table beyond SELECT (``db add-user`` grants it).
#: planner_meta: nothing (one user could otherwise stop every client); contact: no DELETE
#: (people go to the trash; a purge is the admin's).
def user_rights(table: str) -> str:
    if table == "planner_meta":
        return "SELECT"
    if table == "contact":
        return "SELECT, INSERT, UPDATE"
    return "SELECT, INSERT, UPDATE, DELETE"


def planner_users(db: PostgresqlDatabase, schema: str) -> list[str]:
    """The roles granted the planner's tables (quoted): every holder of a right on
    ``contact`` but its owner and the definer role."""
    rows = db.execute_sql(
        "SELECT DISTINCT a.grantee::regrole::text FROM pg_catalog.pg_class c, "
        "pg_catalog.aclexplode(c.relacl) a "
        f"WHERE c.oid = '{schema}.contact'::regclass AND a.grantee <> 0 "
        "AND a.grantee <> c.relowner AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r "
        "WHERE r.oid = a.grantee AND r.rolname = %s)", (definer_role(db),)).fetchall()
    return [r[0] for r in rows]


def _users_rights(db: PostgresqlDatabase, schema: str) -> None:
    """Bring every planner user's rights to what ``user_rights`` says (an upgrade takes
    writing planner_meta and deleting people away from users added before), and on the
    private tables: none, but on their views (where a migration or an older setup left
    rights on a table that is now private, they go)."""
    private = [stored_table(schema, t.name) for t in PRIVATE_TABLES]
    sequences = private_sequences(db)
    db.execute_sql(f"REVOKE ALL ON FUNCTION {_readers(schema)} FROM PUBLIC")
    for role in planner_users(db, schema):
        db.execute_sql(f"GRANT CONNECT ON DATABASE {_database(db)} TO {role}")
        db.execute_sql(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {schema}.planner_meta "
                       f"FROM {role}")
        db.execute_sql(f"REVOKE DELETE, TRUNCATE ON {schema}.contact FROM {role}")
        db.execute_sql(f"REVOKE ALL ON SCHEMA {PRIVATE_SCHEMA} FROM {role}")
        db.execute_sql(f"REVOKE ALL ON {', '.join(private)} FROM {role}")
        if sequences:
            db.execute_sql(f"REVOKE ALL ON SEQUENCE {', '.join(sequences)} FROM {role}")
        for t in PRIVATE_TABLES:
            db.execute_sql(f"GRANT {user_rights(t.name)} ON {schema}.{t.name} TO {role}")
        db.execute_sql(f"GRANT EXECUTE ON FUNCTION {_readers(schema)} TO {role}")


def _own_definers(db: PostgresqlDatabase, schema: str) -> None:
    """Give the SECURITY DEFINER functions to a NOLOGIN role that holds nothing but the
    right to write the change log, to read the people (whether a row names one that
    exists), to lock its caller's own move lock, and to read and write the private tables
    (for their views' functions, which choose the rows). Needs CREATEROLE (or a
    superuser); without it the functions stay the admin's (still safe: pinned path,
    qualified names, the same rows chosen) and ``db status`` says so."""
    from planner.storage.postgres.live import DEFINER_FUNCTIONS

    role = definer_role(db)
    who = _ident(db, role)
    superuser = db.execute_sql("SELECT pg_catalog.current_setting('is_superuser')").fetchone()[0]
    try:
        with savepoint(db):
            exists = db.execute_sql("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = %s",
                                    (role,)).fetchone()
            if not exists:
                db.execute_sql(f"CREATE ROLE {who} NOLOGIN NOINHERIT")
            if superuser != "on":  # to give it a function: be a member, it may create there
                db.execute_sql(f"GRANT {who} TO CURRENT_USER")
                db.execute_sql(f"GRANT CREATE ON SCHEMA {schema}, {PRIVATE_SCHEMA} TO {who}")
            db.execute_sql(f"GRANT USAGE ON SCHEMA {schema} TO {who}")
            for fn, args in DEFINER_FUNCTIONS:
                db.execute_sql(f"ALTER FUNCTION {schema}.{fn}({args}) OWNER TO {who}")
            for fn, args in private_functions():
                db.execute_sql(f"ALTER FUNCTION {PRIVATE_SCHEMA}.{fn}({args}) OWNER TO {who}")
            for fn, args in reader_functions():
                db.execute_sql(f"ALTER FUNCTION {schema}.{fn}({args}) OWNER TO {who}")
            if superuser != "on":
                db.execute_sql(f"REVOKE CREATE ON SCHEMA {schema}, {PRIVATE_SCHEMA} FROM {who}")
            db.execute_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {who}")
            db.execute_sql(f"GRANT SELECT, INSERT, DELETE ON {schema}.planner_change TO {who}")
            db.execute_sql(f"GRANT USAGE ON SEQUENCE {schema}.planner_change_id_seq TO {who}")
            # the views' trigger checks that the person (or touchpoint) a row names exists
            db.execute_sql(f"GRANT SELECT ON {schema}.touchpoint, {schema}.contact TO {who}")
            # planner_lock_moves: locks the caller's own row of the move locks
            db.execute_sql(f"GRANT SELECT, INSERT, UPDATE ON {PRIVATE_SCHEMA}.move_lock "
                           f"TO {who}")
            # the private tables' views: their functions read and write those tables
            # (and choose the rows: the login role's own)
            db.execute_sql(f"GRANT USAGE ON SCHEMA {PRIVATE_SCHEMA} TO {who}")
            for t in PRIVATE_TABLES:
                table = f"{PRIVATE_SCHEMA}.{t.name}"
                db.execute_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {who}")
                db.execute_sql(f"DROP POLICY IF EXISTS {t.name}_purge_check ON {table}")
                db.execute_sql(f"DROP POLICY IF EXISTS {t.name}_through_views ON {table}")
                db.execute_sql(f"CREATE POLICY {t.name}_through_views ON {table} "
                               f"FOR ALL TO {who} USING (true) WITH CHECK (true)")
            for seq in private_sequences(db):
                db.execute_sql(f"GRANT USAGE ON SEQUENCE {seq} TO {who}")
    except peewee.DatabaseError as exc:
        log.warning("the change log's function stays with the admin role (%s): %s",
                    "no CREATEROLE", _first_line(exc))


def _no_temporary_tables(db: PostgresqlDatabase) -> None:
    """REVOKE TEMP, CONNECT ON DATABASE … FROM PUBLIC (planner users are granted CONNECT
    by name), and CREATE on the planner's schema as PostgreSQL 15 does by default: only
    the database's owner may."""
    name = _database(db)
    try:
        with db.atomic():  # CONNECT too: a removed user must not come back to LISTEN
            db.execute_sql(f"REVOKE TEMPORARY, CONNECT ON DATABASE {name} FROM PUBLIC")
    except peewee.DatabaseError as exc:
        log.warning("could not take temporary tables away from PUBLIC: %s", _first_line(exc))
    try:
        with db.atomic():
            db.execute_sql(f"REVOKE CREATE ON SCHEMA {planner_schema(db)} FROM PUBLIC")
    except peewee.DatabaseError as exc:
        log.warning("could not take CREATE on the schema away from PUBLIC: %s",
                    _first_line(exc))


def _meta(db: PostgresqlDatabase, key: str) -> str | None:
    """A planner_meta value read through ``db`` itself (not the models' proxy, which may
    be bound to another connection); None without the table or the key."""
    if db.execute_sql("SELECT pg_catalog.to_regclass('planner_meta')").fetchone()[0] is None:
        return None
    row = db.execute_sql(f"SELECT value FROM {planner_schema(db)}.planner_meta WHERE key = %s",
                         (key,)).fetchone()
    return row[0] if row else None


def schema_version(db: PostgresqlDatabase) -> int:
    value = _meta(db, "schema_version")
    return int(value) if value and is_whole_number(value) else 0


def read_team_schema(db: PostgresqlDatabase) -> int:
    """The team setup's version (0: none yet; 1: made before it was counted)."""
    if schema_version(db) == 0:
        return 0
    value = _meta(db, "team_schema")
    return int(value) if value and is_whole_number(value) else 1


def can_administer(db: PostgresqlDatabase) -> bool:
    """Whether the connected role may change the planner's tables (their owner or above)."""
    row = db.execute_sql(
        f"SELECT pg_catalog.pg_has_role(current_user, c.relowner, 'USAGE') "
        f"FROM pg_catalog.pg_class c WHERE c.oid = '{planner_schema(db)}.contact'::regclass"
    ).fetchone()
    return bool(row and row[0])


def _database(db: PostgresqlDatabase) -> str:
    return _ident(db, db.execute_sql("SELECT pg_catalog.current_database()").fetchone()[0])


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
