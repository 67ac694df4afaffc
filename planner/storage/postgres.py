"""Team databases: opening a ``postgresql://`` URL, its schema, users and privacy.

Everything PostgreSQL-specific lives here (and in ``postgres_search``), so
``database.open_database`` only dispatches. The schema is made by the same
migration steps as a SQLite file (``planner.storage.migrations``), run under a
transaction-scoped advisory lock so two clients never migrate at once; then
``team_setup`` adds what only a team database has:

- ``author`` (touchpoints, notes) and ``owner`` (placements, ring moves) are
  filled with ``current_user`` by triggers when the app leaves them empty;
- the private tables (``PRIVATE_TABLES``: rings, ring moves, cadences, snoozes,
  notes) live in a schema of their own (``PRIVATE_SCHEMA``) that planner users
  cannot use at all; the planner's schema has a view of the same name over a
  SECURITY DEFINER function that returns only the login role's rows (and shared
  notes), with INSTEAD OF triggers that write them. A user's own conditions
  therefore only ever filter their own rows: ``EXPLAIN ANALYZE`` and index
  probing learn nothing of a teammate's (issue 18). A view reads all of the
  caller's rows of its table, so one person's rows (their timeline, latest note,
  dump) are read through ``planner_rows_<table>_of(contact_ids)`` instead: the
  same rule, only those people's rows, by index (``private_rows``, issue 22).
  Touchpoints stay a shared table under row-level security (everyone reads them).
  Superusers (and BYPASSRLS roles) read every row, as PostgreSQL lets them, so
  planner users are ordinary login roles made by ``db add-user``.

The password: the keyring (account = the URL without a password, as stored by
``planner --db URL db login``), else the URL itself (warned about once; never
logged — show URLs with ``target.redact_url``).
"""

from __future__ import annotations

import logging
import re
import sys
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

import peewee
from peewee import PostgresqlDatabase

from planner.domain.errors import ConnectionLost, DatabaseProblem, InvalidInput
from planner.domain.formatting import is_whole_number
from planner.storage import migrations
from planner.storage import models as m
from planner.storage.failures import CONNECTING, Failure, classify
from planner.storage.postgres_live import fill
from planner.storage.target import DatabaseTarget, redact_url, replace_password, url_password

log = logging.getLogger(__name__)

#: pg_advisory_xact_lock key: "MPPL" (as SQLite's application_id)
MIGRATION_LOCK = migrations.SQLITE_APPLICATION_ID

_warned_about_password = False

#: Every table of the planner (what a planner user is granted, and nothing else).
def planner_tables() -> list[str]:
    models = (m.ALL_MODELS_V1 + m.ADVOCACY_MODELS_V3 + m.CADENCE_MODELS_V4
              + m.PHOTO_MODELS_V5 + m.SNOOZE_MODELS_V6 + m.CAPTURE_MODELS_V7)
    return [model._meta.table_name for model in models]


# ------------------------------------------------------------------ connecting


def account_for_url(url: str) -> str:
    """The keyring account of a team database: its URL with any password removed."""
    return replace_password(url, None)


def connect_params(url: str) -> tuple[str, dict]:
    """(database name, keyword arguments for psycopg2) of a URL; no password lookup."""
    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise InvalidInput(f"{redact_url(url)}: say which database, as postgresql://USER@HOST/DBNAME")
    params: dict = {}
    if parts.hostname:
        params["host"] = parts.hostname
    if parts.port:
        params["port"] = parts.port
    if parts.username:
        params["user"] = unquote(parts.username)
    # TLS and other libpq options (sslmode=verify-full, sslrootcert=…) pass through
    params.update(dict(parse_qsl(parts.query)))
    return name, params


def _password(url: str) -> str | None:
    global _warned_about_password
    from planner.storage import secrets

    stored = None
    if secrets.store_status().usable:  # no keyring (trust auth, a URL password): no notice
        try:
            stored = secrets.get_secret(account_for_url(url))
        except secrets.SecretStoreUnavailable:
            stored = None
    if stored:
        return stored
    password = url_password(url)
    if password is not None:
        if not _warned_about_password:
            _warned_about_password = True
            print("warning: a password inside the database URL is not safe (shell history, "
                  "process lists); store it with: planner --db URL db login", file=sys.stderr)
        return password
    return None


def make_database(url: str, password: str | None = None) -> PlannerPostgresDatabase:
    name, params = connect_params(url)
    if password is None:
        password = _password(url)
    if password is not None:
        params["password"] = password
    params.setdefault("connect_timeout", 10)
    params.setdefault("application_name", "mentorship-planner")
    return PlannerPostgresDatabase(name, **params)


def lost_connection(exc: BaseException) -> ConnectionLost | None:
    """The clear message for a team database that went away mid-action, else None."""
    if classify(exc) is Failure.CONNECTION_LOST:
        return ConnectionLost(
            "the connection to the team database was lost: the change was not saved "
            "(everything saved before it is intact). Check the network and try again")
    return None


def unreachable(exc: BaseException) -> ConnectionLost | None:
    """Like ``lost_connection``, and also for a server that cannot be reached at all."""
    problem = lost_connection(exc)
    if problem is not None:
        return problem
    if classify(exc) is Failure.UNREACHABLE:
        return ConnectionLost(
            "the team database cannot be reached: nothing was changed. Check the network "
            "and try again")
    return None


class CannotConnect(DatabaseProblem):
    """A team database refused the connection; ``failure`` says why (by code)."""

    def __init__(self, message: str, failure: Failure, sqlstate: str | None = None):
        super().__init__(message)
        self.failure = failure
        self.sqlstate = sqlstate


class Psycopg2WhenUsed(peewee.Psycopg2Adapter):
    """peewee's psycopg2 adapter, with the driver imported when a team database is used
    rather than when peewee is: peewee reads psycopg2 (with libpq and ssl, ~10 ms) at its
    own import, and a process that opens a file never needs it (the window's start,
    most commands: planner.storage.drivers). Whether peewee saw the driver or not,
    this adapter does what peewee's does, from the driver itself."""

    _uuid_registered = False

    def __init__(self) -> None:
        import psycopg2.extensions as ext
        import psycopg2.extras as extras

        super().__init__()
        self.txn_idle = ext.TRANSACTION_STATUS_IDLE
        self.txn_inerror = ext.TRANSACTION_STATUS_INERROR
        self.txn_unknown = ext.TRANSACTION_STATUS_UNKNOWN
        self.json_type = self.jsonb_type = extras.Json
        if not Psycopg2WhenUsed._uuid_registered:  # as peewee's import does
            extras.register_uuid()
            Psycopg2WhenUsed._uuid_registered = True

    def check_driver(self) -> None:
        import psycopg2  # noqa: F401  (installed with the app: an ImportError is a bug)

    def get_binary_type(self):
        import psycopg2

        return psycopg2.Binary

    def connect(self, db, **params):
        import psycopg2
        import psycopg2.extensions as ext

        if db.database.startswith("postgresql://"):
            params.setdefault("dsn", db.database)
        else:
            params.setdefault("dbname", db.database)
        conn = psycopg2.connect(**params)
        if db._register_unicode:
            ext.register_type(ext.UNICODE, conn)
            ext.register_type(ext.UNICODEARRAY, conn)
        if db._encoding:
            conn.set_client_encoding(db._encoding)
        return conn


class PlannerPostgresDatabase(PostgresqlDatabase):
    """A dropped connection is a clear DatabaseProblem, never a half-applied action:
    the server rolls back what the transaction had done."""

    psycopg2_adapter = Psycopg2WhenUsed

    #: the login role, set by ``connect`` (read with a default: a bare instance has none)
    planner_user: str

    def _connect(self):
        import psycopg2

        try:
            return super()._connect()  # type: ignore[misc]  # peewee's, not in its stubs
        except psycopg2.OperationalError as exc:  # no server answered, or it refused us
            setattr(exc, CONNECTING, True)
            raise

    def execute_sql(self, sql, params=None, *args, **kwargs):
        self._forget_dead_connection()
        try:
            return super().execute_sql(sql, params, *args, **kwargs)
        except (peewee.OperationalError, peewee.InterfaceError) as exc:
            problem = unreachable(exc)
            if problem is None:
                raise
            raise problem from exc

    def begin(self, *args, **kwargs):
        self._forget_dead_connection()
        try:
            return super().begin(*args, **kwargs)
        except (peewee.OperationalError, peewee.InterfaceError) as exc:
            problem = unreachable(exc)
            if problem is None:
                raise
            raise problem from exc

    def rollback(self):
        try:
            return super().rollback()
        except (peewee.OperationalError, peewee.InterfaceError) as exc:
            if lost_connection(exc) is None:
                raise
            return None

    def commit(self):
        try:
            return super().commit()
        except (peewee.OperationalError, peewee.InterfaceError) as exc:
            problem = lost_connection(exc)
            if problem is None:
                raise
            raise problem from exc

    def _forget_dead_connection(self) -> None:
        """Outside a transaction, a connection the server dropped is replaced by a new one
        (peewee connects again on the next statement)."""
        state = self._state  # type: ignore[attr-defined]  # peewee's, not in its stubs
        conn = state.conn
        if conn is not None and getattr(conn, "closed", False) and not state.transactions:
            state.reset()


def _connection_problem(url: str, exc: Exception, db: PostgresqlDatabase) -> CannotConnect:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    for secret in (url_password(url), urlsplit(url).password):
        if secret:
            text = text.replace(secret, "***")
    from planner.storage.postgres_diagnosis import diagnose

    failure, code = diagnose(db.database, db.connect_params)  # by code, not by the text
    return CannotConnect(f"cannot connect to {redact_url(url)}: {text}", failure, code)


def connect(url: str, password: str | None = None) -> PlannerPostgresDatabase:
    db = make_database(url, password)
    try:
        db.connect()
    except peewee.OperationalError as exc:
        raise _connection_problem(url, exc, db) from None
    db.planner_user = db.execute_sql("SELECT current_user").fetchone()[0]
    return db


# ------------------------------------------------------------------ opening


def open_postgres(target: DatabaseTarget, *, migrate: bool = True, init: bool = False,
                  password: str | None = None):
    """Open a team database, bind the models to it and return an ``OpenDatabase``.

    An empty database is refused with a message naming ``db init`` (``init=True``
    creates the schema): pointing the app at the wrong database must not fill it
    with tables. An initialised database of an older schema is upgraded under
    the migration lock. ``password``: for this session only (else the keyring's).
    """
    from planner.storage.database import OpenDatabase
    from planner.storage.models import db_proxy

    url = target.url or ""
    db = connect(url, password)  # a session password lives in db.connect_params only
    try:
        db_proxy.initialize(db)
        version = migrations.read_version(db)
        if version > migrations.LATEST:
            raise DatabaseProblem(
                f"{target.display()} was made by a newer version of Mentorship Planner (schema "
                f"{version}, this version knows up to {migrations.LATEST}); update the app")
        if version == 0 and not init:
            if db.table_exists("contact"):
                raise DatabaseProblem(f"{target.display()} holds tables of another program; "
                                      "it was left untouched")
            raise DatabaseProblem(
                f"{target.display()} has no planner tables yet; an admin creates them with: "
                f"planner --db '{redact_url(url)}' db init")
        outdated = version > 0 and read_team_schema(db) < TEAM_SCHEMA
        if outdated and migrate and not init and version == migrations.LATEST:
            if can_administer(db):
                try:  # the admin's open brings the team setup up to date
                    migrate_locked(db)
                except DatabaseProblem as problem:  # it cannot: opened as it is, and said
                    log.warning("the team database's security setup stays out of date: %s",
                                problem)
            else:
                log.warning("the team database's security setup is out of date; an admin "
                            "runs db init (see planner db status)")
        if init or (migrate and version < migrations.LATEST):
            try:
                version = migrate_locked(db)
            except peewee.ProgrammingError as exc:  # only the tables' owner changes them
                if classify(exc) is not Failure.PERMISSION_DENIED:  # 42501 (must be owner too)
                    raise
                raise DatabaseProblem(
                    f"{target.display()} uses an older planner schema ({version}; this version "
                    f"needs {migrations.LATEST}) and only an admin can upgrade it, with: "
                    f"planner --db 'postgresql://ADMIN@…' db init — nothing was changed"
                ) from None
    except peewee.DatabaseError as exc:
        db.close()
        raise DatabaseProblem(f"{target.display()} cannot be opened ({_first_line(exc)})") from None
    except BaseException:
        db.close()
        raise
    return OpenDatabase(target, db, version)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def migrate_locked(db: PostgresqlDatabase) -> int:
    """Run the migration steps (and the team setup) in one transaction under the lock."""
    with db.atomic():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        current = migrations.read_version(db)  # another client may have just migrated
        version = migrations.migrate(db, current)
        team_setup(db)
    return version


# ------------------------------------------------------------------ team schema

#: The version of the team setup (functions, triggers, policies, grants), kept in
#: planner_meta as "team_schema": an admin's open or ``db init`` re-runs the setup when it
#: is older. 2: pinned search paths and schema-qualified names in every planner function,
#: the change log's SECURITY DEFINER function owned by a NOLOGIN role of its own, no
#: temporary tables for PUBLIC. 3: the private tables moved into ``PRIVATE_SCHEMA``,
#: reached only through views over SECURITY DEFINER functions (``PRIVATE_TABLES``).
#: 4: the views' functions read the caller's rows by index (``OWN_INDEXES``), and one
#: person's (or a few people's) private rows are read by ``planner_rows_<table>_of``.
TEAM_SCHEMA = 4

#: Where the private tables live. Planner users have no USAGE on it: they cannot name its
#: tables, so cannot read, EXPLAIN (ANALYZE), probe the indexes of, or write them but
#: through the views of the same name in the planner's schema (issue 18).
PRIVATE_SCHEMA = "planner_private"

#: The login role as the owner/author columns compare it: ``session_user`` is a ``name``,
#: whose collation ("C") would win over the columns' and keep their indexes out of use.
ME = '(session_user::text COLLATE pg_catalog."default")'

#: Whether the login role reads and writes every private row, as PostgreSQL lets a
#: superuser or a BYPASSRLS role read past row-level security (``db add-user`` warns).
SEES_ALL = ("EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = session_user "
            "AND (r.rolsuper OR r.rolbypassrls))")


@dataclass(frozen=True)
class PrivateTable:
    """A table whose rows belong to one planner user. ``column`` names whose (the login
    role: ``session_user``, filled in by the views' triggers); ``shared``: a boolean
    column whose true rows the whole team reads; ``forced``: a row claiming someone else
    is written as the writer's own (an author), else it is refused (an owner);
    ``contact``: the column naming the person it is about (None: about nobody). The table
    needs an ``id`` primary key (the views' triggers write rows by it)."""

    name: str
    column: str = "owner"
    shared: str | None = None
    forced: bool = False
    contact: str | None = "contact_id"

    def mine(self, who: str = "session_user", alias: str = "t") -> str:
        """The condition of a row ``who`` reads (their own, or shared)."""
        own = f"{alias}.{self.column} = {who}"
        return f"({own} OR {alias}.{self.shared})" if self.shared else own

    def rows(self, by_person: bool = False) -> str:
        """The SELECT of the rows the login role reads (``mine``, or every row for a
        superuser or BYPASSRLS role), one branch per kind of row, each with its own index
        (``OWN_INDEXES``); the superuser's branch is a one-time filter: for anyone else
        it reads nothing. ``by_person``: only the rows about ``contact_ids``, by
        conditions that no index but the caller's own (``<owner>/<person>``) and the
        shared rows' (``<person>`` where shared) can serve, so a call never reads a
        teammate's private row about those people and drops it: its time says nothing
        of how many they keep (``_OF_FN`` turns sequential scans off, too)."""
        table = f"{{private}}.{self.name}"
        own = f"t.{self.column} = {ME}"
        shared = f"t.{self.shared}"
        other = f"t.{self.column} IS DISTINCT FROM {ME}"
        also = ""
        if by_person:
            own = (f"{self.person_key()} = ANY (ARRAY(SELECT {ME} || '/' || c::text "
                   f"FROM pg_catalog.unnest(contact_ids) c))")
            shared += (f" AND (t.{self.contact})::text = ANY (ARRAY(SELECT c::text "
                       f"FROM pg_catalog.unnest(contact_ids) c))")
            also = f" AND t.{self.contact} = ANY (contact_ids)"
        branches = [f"SELECT t.* FROM {table} t WHERE {own}"]
        if self.shared:
            branches += [
                f"SELECT t.* FROM {table} t WHERE {shared} AND {other}",
                f"SELECT t.* FROM {table} t WHERE {SEES_ALL} AND {other} "
                f"AND t.{self.shared} IS NOT TRUE{also}"]
        else:
            branches.append(f"SELECT t.* FROM {table} t WHERE {SEES_ALL} AND {other}{also}")
        return "\n  UNION ALL ".join(branches)

    def person_key(self, alias: str = "t.") -> str:
        """``<owner>/<person>``: what a row is found by for the caller and one person (a
        role name holds no ``/``, an id is digits: one key, one pair)."""
        return f"({alias}{self.column} || '/' || ({alias}{self.contact})::text)"


#: THE private tables, one line each: the team setup, its upgrade, ``db remove-user``,
#: the trash, the live updates and ``db status`` all read this. A migration creates a new
#: one like any table (in the planner's schema); the team setup that runs right after
#: every migration (``migrate_locked``) moves it here and makes its view.
PRIVATE_TABLES = (
    PrivateTable("placement"),
    PrivateTable("ring_move"),
    PrivateTable("cadence_override"),
    PrivateTable("snooze"),
    PrivateTable("note", "author", shared="shared", forced=True),
    PrivateTable("capture_source", contact=None),  # issue 24: calendars and mailboxes read
    PrivateTable("capture_proposal"),  # issue 24: touchpoints waiting for review
)


#: The indexes the views' functions read the caller's rows (and the shared ones) by, made
#: by the team setup: (name, table, definition). An index that starts with the owner is
#: no leak here (issue 18): planner users cannot reach the private schema, so cannot
#: EXPLAIN or probe these tables; only the definer functions use them, with the login
#: role as the owner, so a call reads as many rows as the caller's own (and the shared
#: ones), whoever else keeps how many. The other private tables have one already
#: (``owner, contact_id`` …, made by their migrations).
OWN_INDEXES = (
    ("planner_note_own", "note", "(author, contact_id, at)"),
    ("planner_ring_move_own", "ring_move", "(owner, contact_id, at)"),
    # the shared notes (the views' function reads the whole of it), by person for the
    # per-person readers (``PrivateTable.rows(by_person=True)``), as the caller's own rows
    ("planner_note_shared_person", "note", "(((contact_id)::text)) WHERE shared"),
    *((f"planner_{t.name}_person", t.name, f"({t.person_key('')})")
      for t in PRIVATE_TABLES if t.contact),
)


def private_table(name: str) -> PrivateTable | None:
    return next((t for t in PRIVATE_TABLES if t.name == name), None)


def stored_table(schema: str, table: str) -> str:
    """Where ``table``'s rows are stored (qualified): the private schema for a private
    table, else ``schema`` (the planner's, quoted). In the planner's schema a private
    table's name is its view."""
    return f"{PRIVATE_SCHEMA}.{table}" if private_table(table) else f"{schema}.{table}"


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

#: Users may not delete people (a cascade would take teammates' private notes, rings and
#: moves with them, row-level security or not): they move them to the trash. The undo of
#: an add purges a person the user added and nobody else has anything about, through this
#: function (what it tells: whether a teammate already keeps something about a person the
#: caller added).
_PURGE_FN = """
CREATE OR REPLACE FUNCTION {schema}.planner_purge_contact(cid bigint) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {path} AS $$
DECLARE
  who text := session_user;
BEGIN
  IF EXISTS (SELECT 1 FROM {schema}.contact WHERE id = cid
              AND created_by IS DISTINCT FROM who) THEN
    RAISE EXCEPTION 'planner: only who added this person can remove them for good'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF EXISTS (SELECT 1 FROM {schema}.touchpoint WHERE contact_id = cid AND author <> who)
     %(private)s THEN
    RAISE EXCEPTION 'planner: teammates keep notes, rings or touchpoints about this person'
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'move the person to the trash instead; an admin can purge it';
  END IF;
  DELETE FROM {schema}.contact WHERE id = cid;
  RETURN FOUND;
END $$"""


def _purge_fn() -> str:
    checks = "".join(
        f"\n     OR EXISTS (SELECT 1 FROM {PRIVATE_SCHEMA}.{t.name} "
        f"WHERE {t.contact} = cid AND {t.column} <> who)"
        for t in PRIVATE_TABLES if t.contact)
    return _PURGE_FN % {"private": checks.lstrip()}


#: A private table's rows as its view shows them: the login role's own (and shared ones),
#: every row for a superuser or BYPASSRLS role. SECURITY DEFINER functions are never
#: inlined, so whatever a user adds to a query on the view (conditions on the owner, the
#: ring, the contact, the time…) is applied on top of this function's result, after it:
#: EXPLAIN (ANALYZE) counts only the caller's rows, and no index of the table is probed.
#: ``session_user``: inside the function ``current_user`` is its owner; a planner user
#: cannot change their session user (SET SESSION AUTHORIZATION is a superuser's), and
#: SET ROLE changes only ``current_user``.
_ROWS_FN = """
CREATE OR REPLACE FUNCTION {private}.planner_rows_%(table)s() RETURNS SETOF {private}.%(table)s
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path} AS $$
  %(rows)s
$$"""

#: A few people's rows of a private table (``contact_ids``) as its view shows them: what
#: the storage reads for one person (their timeline, their latest note, their dump) so
#: that it costs that person's rows, not all of the caller's (the view's function is
#: never inlined: a condition on the view filters its whole result). The same rows rule
#: as the view, in the planner's schema (users cannot use the private one) and executable
#: only by planner users; someone else's contact ids give the caller's own rows about
#: those people, and shared notes, nothing more. Sequential scans are off (a small table
#: would be read whole, teammates' rows with it) and so is JIT (their penalty in the costs
#: would start a 150 ms compilation).
_OF_FN = """
CREATE OR REPLACE FUNCTION {schema}.planner_rows_%(table)s_of(contact_ids bigint[])
RETURNS SETOF {private}.%(table)s
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path}
SET enable_seqscan = off SET jit = off AS $$
  %(rows)s
$$"""

#: The INSTEAD OF trigger of every private table's view (TG_ARGV: the owner/author column,
#: 'force' or 'refuse'): inserts, updates and deletes the login role's own rows of the
#: table the view stands for, by id. The owner is the writer (empty: filled; another's:
#: refused, or for 'force' replaced) and never changes afterwards; a teammate's shared row
#: is read, never changed (the statement skips it, as row-level security did). An update
#: or delete applies only if the row is still as the statement read it, so a concurrent
#: change wins and the version checks of the app see it (0 rows). A superuser or BYPASSRLS
#: role (an admin's restore) keeps the owner a row claims.
_WRITE_FN = """
CREATE OR REPLACE FUNCTION {private}.planner_write_private() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {path} AS $$
DECLARE
  who text := session_user;
  col text := TG_ARGV[0];
  target text := pg_catalog.quote_ident('{private_name}') || '.'
                 || pg_catalog.quote_ident(TG_TABLE_NAME);
  admin boolean := %(all)s;
  old_row jsonb;
  new_row jsonb;
  claimed text;
  cols text;
  done jsonb;
  seq text;
  got bigint;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    old_row := pg_catalog.to_jsonb(OLD);
    IF old_row ->> col IS DISTINCT FROM who AND NOT admin THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN
    EXECUTE 'DELETE FROM ' || target || ' t WHERE t.id = $1 AND pg_catalog.to_jsonb(t) '
            'OPERATOR(pg_catalog.@>) $2 RETURNING pg_catalog.to_jsonb(t)'
      INTO done USING (old_row ->> 'id')::bigint, old_row;
    IF done IS NULL THEN RETURN NULL; END IF;
    RETURN OLD;
  END IF;
  new_row := pg_catalog.to_jsonb(NEW);
  claimed := new_row ->> col;
  IF TG_OP = 'UPDATE' THEN
    IF claimed IS DISTINCT FROM old_row ->> col AND NOT admin THEN
      RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = 'the ' || col || ' of a ' || TG_TABLE_NAME || ' cannot be changed';
    END IF;
  ELSIF claimed IS NULL OR claimed = '' OR (TG_ARGV[1] = 'force' AND NOT admin) THEN
    new_row := new_row || pg_catalog.jsonb_build_object(col, who);
  ELSIF claimed <> who AND NOT admin THEN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
      MESSAGE = 'new row violates the row-level security of ' || TG_TABLE_NAME || ': its '
                || col || ' ' || pg_catalog.quote_literal(claimed) || ' is not the login role';
  END IF;
  IF TG_OP = 'INSERT' THEN  -- columns left out (NULL) take the table's defaults (the id)
    new_row := pg_catalog.jsonb_strip_nulls(new_row);
    seq := pg_catalog.pg_get_serial_sequence(target, 'id');
    IF new_row ? 'id' AND seq IS NOT NULL THEN
      -- a row with its own id (a restore, an undo): the sequence continues after it, as
      -- dump.advance_sequences does for the shared tables (only forward, never setval)
      got := pg_catalog.nextval(seq);
      IF got < (new_row ->> 'id')::bigint THEN
        PERFORM pg_catalog.max(pg_catalog.nextval(seq))
           FROM pg_catalog.generate_series(1, (new_row ->> 'id')::bigint - got);
      END IF;
    END IF;
  END IF;
  SELECT pg_catalog.string_agg(pg_catalog.quote_ident(k), ', ') INTO cols
    FROM pg_catalog.jsonb_object_keys(new_row) AS k;
  IF TG_OP = 'INSERT' THEN
    EXECUTE 'INSERT INTO ' || target || ' AS t (' || cols || ') SELECT ' || cols
            || ' FROM pg_catalog.jsonb_populate_record(NULL::' || target || ', $1) '
            'RETURNING pg_catalog.to_jsonb(t)'
      INTO done USING new_row;
  ELSE
    EXECUTE 'UPDATE ' || target || ' AS t SET (' || cols || ') = (SELECT ' || cols
            || ' FROM pg_catalog.jsonb_populate_record(NULL::' || target || ', $1)) '
            'WHERE t.id = $2 AND pg_catalog.to_jsonb(t) OPERATOR(pg_catalog.@>) $3 '
            'RETURNING pg_catalog.to_jsonb(t)'
      INTO done USING new_row, (old_row ->> 'id')::bigint, old_row;
    IF done IS NULL THEN RETURN NULL; END IF;
  END IF;
  NEW := pg_catalog.jsonb_populate_record(NEW, done);
  RETURN NEW;
END $$"""

#: (name, argument types) of the SECURITY DEFINER functions in ``PRIVATE_SCHEMA``.
def private_functions() -> list[tuple[str, str]]:
    return [(f"planner_rows_{t.name}", "") for t in PRIVATE_TABLES] + [
        ("planner_write_private", "")]


#: (name, argument types) of the SECURITY DEFINER functions in the planner's schema that
#: read one person's private rows (``_OF_FN``): EXECUTE for planner users only.
def reader_functions() -> list[tuple[str, str]]:
    return [(f"planner_rows_{t.name}_of", "bigint[]") for t in PRIVATE_TABLES if t.contact]


def _of_sql(t: PrivateTable, schema: str) -> str:
    return _private(_OF_FN % {"table": t.name, "rows": t.rows(by_person=True)}, schema)


def _private(template: str, schema: str) -> str:
    return fill(template.replace("{private}", PRIVATE_SCHEMA)
                .replace("{private_name}", PRIVATE_SCHEMA), schema)


def private_setup_sql(schema: str = "public") -> list[str]:
    """The statements that keep the private tables in ``PRIVATE_SCHEMA`` (moving them
    there from the planner's ``schema`` where an older setup or a migration left them,
    rows, ids, sequences, indexes and triggers with them) and make each one's view and
    the views' write trigger. Needs the schema made (``_private_schema``)."""
    s, p = schema, PRIVATE_SCHEMA
    sql = [_private(_WRITE_FN % {"all": SEES_ALL}, s)]
    for t in PRIVATE_TABLES:
        sql.append(f"""DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_class c
              WHERE c.oid = pg_catalog.to_regclass('{s}.{t.name}') AND c.relkind = 'r') THEN
    ALTER TABLE {s}.{t.name} SET SCHEMA {p};
  END IF;
END $$""")
        # the views' triggers fill the owner now (the table's own ones would see the
        # definer as current_user); row-level security stays as a second wall, not forced
        # (the owner, i.e. the admin, reads and repairs every row)
        sql += [f"DROP TRIGGER IF EXISTS {t.name}_fill_{t.column} ON {p}.{t.name}",
                f"ALTER TABLE {p}.{t.name} ENABLE ROW LEVEL SECURITY",
                f"ALTER TABLE {p}.{t.name} NO FORCE ROW LEVEL SECURITY",
                f"REVOKE ALL ON {p}.{t.name} FROM PUBLIC",
                _private(_ROWS_FN % {"table": t.name, "rows": t.rows()}, s),
                # made again each time: the view follows columns a migration added, dropped
                # or renamed (its rights are granted again by _users_rights)
                f"DROP VIEW IF EXISTS {s}.{t.name}",
                f"CREATE VIEW {s}.{t.name} AS SELECT * FROM {p}.planner_rows_{t.name}()",
                f"CREATE TRIGGER {t.name}_write INSTEAD OF INSERT OR UPDATE OR DELETE "
                f"ON {s}.{t.name} FOR EACH ROW EXECUTE FUNCTION {p}.planner_write_private("
                f"'{t.column}', '{'force' if t.forced else 'refuse'}')"]
        if t.contact:
            sql.append(_of_sql(t, s))
    sql += [f"CREATE INDEX IF NOT EXISTS {name} ON {p}.{table} {how}"
            for name, table, how in OWN_INDEXES]
    return sql


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
    sql += [fill(_purge_fn(), s), fill(_SETTING_OK_FN, s)]
    for table, column in (("touchpoint", "author"), ("contact", "created_by")):
        sql.append(f"DROP TRIGGER IF EXISTS {table}_fill_{column} ON {s}.{table}")
        sql.append(f"CREATE TRIGGER {table}_fill_{column} BEFORE INSERT OR UPDATE ON {s}.{table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {s}.planner_fill_{column}()")
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
    sql += _policies(f"{s}.touchpoint", [  # the team reads them all; each writes their own
        ("touchpoint_read", "FOR SELECT USING (true)"),
        ("touchpoint_add", f"FOR INSERT WITH CHECK ({author})"),
        ("touchpoint_change", f"FOR UPDATE USING ({author}) WITH CHECK ({author})"),
        ("touchpoint_remove", f"FOR DELETE USING ({author})"),
    ])
    sql += [f"ALTER TABLE {s}.setting DROP CONSTRAINT IF EXISTS setting_value_ok",
            f"ALTER TABLE {s}.setting ADD CONSTRAINT setting_value_ok "
            f"CHECK ({s}.planner_setting_ok(key, value)) NOT VALID"]
    from planner.storage.postgres_live import live_setup_sql

    sql += live_setup_sql(s)
    return sql


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
#: (people go to the trash; a purge is the admin's, or ``planner_purge_contact``'s).
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


def _readers(schema: str) -> str:
    """The ``reader_functions`` with their signatures, for GRANT and REVOKE."""
    return ", ".join(f"{schema}.{name}({args})" for name, args in reader_functions())


def _own_definers(db: PostgresqlDatabase, schema: str) -> None:
    """Give the SECURITY DEFINER functions to a NOLOGIN role that holds nothing but the
    right to write the change log, to check and purge a person, and to read and write the
    private tables (for their views' functions, which choose the rows). Needs CREATEROLE
    (or a superuser); without it the functions stay the admin's (still safe: pinned path,
    qualified names, the same rows chosen) and ``db status`` says so."""
    from planner.storage.postgres_live import DEFINER_FUNCTIONS

    role = definer_role(db)
    who = _ident(db, role)
    superuser = db.execute_sql("SELECT pg_catalog.current_setting('is_superuser')").fetchone()[0]
    try:
        with db.atomic():  # a savepoint
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
            # planner_purge_contact: sees who else has rows about a person, deletes it
            db.execute_sql(f"GRANT SELECT ON {schema}.touchpoint TO {who}")
            db.execute_sql(f"GRANT SELECT, DELETE ON {schema}.contact TO {who}")
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


def version_at(url: str, password: str | None = None) -> int:
    """Connect to ``url`` (``password``, else the keyring's), read its planner schema
    version (0: no planner tables), close. CannotConnect / DatabaseProblem say why not."""
    db = connect(url, password)
    try:
        return schema_version(db)
    except peewee.DatabaseError as exc:
        raise DatabaseProblem(f"{redact_url(url)} cannot be read: {_first_line(exc)}") from None
    finally:
        db.close()


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


# ------------------------------------------------------------------ users

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


def _database(db: PostgresqlDatabase) -> str:
    return _ident(db, db.execute_sql("SELECT pg_catalog.current_database()").fetchone()[0])


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


def private_sequences(db: PostgresqlDatabase) -> list[str]:
    """The private tables' id sequences (in ``PRIVATE_SCHEMA``, moved with their table)."""
    rows = db.execute_sql(
        "SELECT pg_catalog.pg_get_serial_sequence(c.oid::regclass::text, 'id') "
        "FROM pg_catalog.pg_class c WHERE c.relnamespace = %s::regnamespace "
        "AND c.relkind = 'r' AND c.relname = ANY (%s)",
        (PRIVATE_SCHEMA, [t.name for t in PRIVATE_TABLES])).fetchall()
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
    lifted = [t for t, _, p in _KEYED if p is False] if superuser[0] != "on" else []
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
    """Take ``role`` off the team: revoke what ``add_user`` granted and CONNECT, move its
    rows off its name (a role made later with the same name inherits nothing), end its
    open sessions (listening ones too), and drop the role if nothing else holds it."""
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
        before = sum(private_rows(db, role).values()) if purge else 0
        kept = _release_rows(db, schema, role, purge)
    try:
        with db.atomic():
            sessions = db.execute_sql(
                "SELECT count(pg_catalog.pg_terminate_backend(pid)) "
                "FROM pg_catalog.pg_stat_activity "
                "WHERE usename = %s AND datname = pg_catalog.current_database()",
                (role,)).fetchone()[0]
    except peewee.DatabaseError:
        sessions = None
    try:
        with db.atomic():
            db.execute_sql(f"DROP ROLE {who}")
        dropped = True
    except peewee.DatabaseError:  # it owns things or has rights elsewhere: keep it, rights gone
        dropped = False
    return RemovedUser(dropped, sessions, kept - before if purge else kept, before)


#: What a person's removal for good takes with it: (table, what it is, everyone's?)
_WITH_A_PERSON = (("placement", "ring placements"), ("ring_move", "ring moves"),
                  ("cadence_override", "cadences"), ("snooze", "snoozes"), ("note", "notes"),
                  ("touchpoint", "touchpoints"), ("stage_change", "stage changes"),
                  ("ask", "asks"), ("give", "gives"), ("win", "wins"),
                  ("capture_proposal", "captured touchpoints"))


def trash_contents(db: PostgresqlDatabase) -> tuple[list[str], dict[str, int]]:
    """The people in the trash and, of every user, the rows that go with them (an admin's
    view: the table owner or a superuser sees past row-level security here)."""
    schema = planner_schema(db)
    names = [r[0] for r in db.execute_sql(
        f"SELECT name FROM {schema}.contact WHERE deleted_at IS NOT NULL ORDER BY name")]
    counts = {}
    for table, what in _WITH_A_PERSON:
        counts[what] = db.execute_sql(
            f"SELECT count(*) FROM {stored_table(schema, table)} t JOIN {schema}.contact c "
            "ON c.id = t.contact_id WHERE c.deleted_at IS NOT NULL").fetchone()[0]
    return names, counts


def purge_trash(db: PostgresqlDatabase) -> int:
    """Delete the people in the trash for good, with every user's rows about them (an
    admin only: users have no DELETE on contact). Returns how many people."""
    if not can_administer(db):
        raise InvalidInput("only an admin (the tables' owner) can empty the trash of a team "
                           "database; people in it stay restorable")
    schema = planner_schema(db)
    with db.atomic():  # the cascade reaches the private tables as their owner's (not forced)
        gone = db.execute_sql(f"DELETE FROM {schema}.contact WHERE deleted_at IS NOT NULL"
                              ).rowcount
    return gone


def login(url: str, password: str) -> str:
    """Test the connection with ``password``, then keep it in the keyring; the account."""
    from planner.storage import secrets

    db = connect(url, password)
    db.close()
    account = account_for_url(url)
    secrets.set_secret(account, password)
    return account
