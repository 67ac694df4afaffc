"""``planner db status`` on a team database: the facts, read from the server.

Who we are connected as, the schema and server versions, whether the connection
is encrypted (TLS), whether the private tables are walled off (in the private
schema, under row-level security), how many rows the connected role can see, and
warnings about what would let one user take over or read around the walls
(``security_warnings``). Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import PostgresqlDatabase

from planner.storage import migrations
from planner.storage.target import redact_url


def private_tables() -> tuple[str, ...]:
    """The tables whose rows are kept per user (``privacy.PRIVATE_TABLES``)."""
    from planner.storage.postgres.privacy import PRIVATE_TABLES

    return tuple(t.name for t in PRIVATE_TABLES)


@dataclass(frozen=True)
class TeamStatus:
    server: str  # the URL, password redacted
    role: str
    superuser: bool  # a superuser bypasses row-level security
    schema_version: int
    postgresql_version: str
    tls: bool
    tls_version: str | None
    tls_cipher: str | None
    row_level_security: dict[str, bool]  # private table → in the private schema, RLS on
    contacts: int  # not in the trash
    placed: int  # on the connected user's rings
    touchpoints: int
    notes: int  # the role's own and the shared ones
    warnings: tuple[str, ...] = ()  # what leaves the database open to a hostile user

    @property
    def rls_on(self) -> bool:
        return bool(self.row_level_security) and all(self.row_level_security.values())

    def lines(self) -> list[str]:
        if self.tls:
            tls = f"yes ({', '.join(filter(None, (self.tls_version, self.tls_cipher)))})"
        else:
            tls = "no (the connection is not encrypted; use ?sslmode=verify-full in the URL)"
        off = [t for t, on in self.row_level_security.items() if not on]
        rls = "on" if self.rls_on else f"OFF for {', '.join(off) or 'every table'}"
        if self.superuser:
            rls += f" (but {self.role} is a superuser: it sees everyone's rows)"
        return [
            f"Database: team database {self.server}",
            f"Connected as: {self.role}",
            f"Schema version: {self.schema_version}",
            f"PostgreSQL: {self.postgresql_version}",
            f"TLS: {tls}",
            f"Row-level security: {rls}",
            f"You can see: {self.contacts} contacts, {self.placed} placed on your rings, "
            f"{self.touchpoints} touchpoints, {self.notes} notes",
            "Security setup: " + ("ok" if not self.warnings else
                                  f"{len(self.warnings)} warning(s)"),
        ] + [f"  warning: {w}" for w in self.warnings]

    def as_dict(self) -> dict:
        return {
            "kind": "postgresql",
            "server": self.server,
            "role": self.role,
            "superuser": self.superuser,
            "schema_version": self.schema_version,
            "postgresql_version": self.postgresql_version,
            "tls": {"in_use": self.tls, "version": self.tls_version, "cipher": self.tls_cipher},
            "row_level_security": {"on": self.rls_on, "tables": dict(self.row_level_security)},
            "visible": {"contacts": self.contacts, "placed": self.placed,
                        "touchpoints": self.touchpoints, "notes": self.notes},
            "security": {"ok": not self.warnings, "warnings": list(self.warnings)},
        }


def _one(db: PostgresqlDatabase, sql: str, params=None):
    return db.execute_sql(sql, params).fetchone()


def team_status(db: PostgresqlDatabase, url: str) -> TeamStatus:
    """Read the facts of the team database ``db`` is connected to."""
    role, superuser, version = _one(
        db, "SELECT current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user), "
            "current_setting('server_version')")
    ssl = _one(db, "SELECT ssl, version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
    tls, tls_version, cipher = (bool(ssl[0]), ssl[1], ssl[2]) if ssl else (False, None, None)
    from planner.storage.postgres.privacy import PRIVATE_SCHEMA

    rls = dict(db.execute_sql(  # the catalog is readable without rights on the schema
        "SELECT c.relname, c.relrowsecurity FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind = 'r' AND c.relname = ANY (%s)",
        (PRIVATE_SCHEMA, list(private_tables()))).fetchall())
    contacts, placed, touchpoints, notes = _one(db, """
        SELECT (SELECT count(*) FROM contact WHERE deleted_at IS NULL),
               (SELECT count(*) FROM placement p JOIN contact c ON c.id = p.contact_id
                 WHERE p.owner = current_user AND c.deleted_at IS NULL),
               (SELECT count(*) FROM touchpoint),
               (SELECT count(*) FROM note)""")
    return TeamStatus(
        server=redact_url(url), role=role, superuser=bool(superuser),
        schema_version=migrations.read_version(db), postgresql_version=version,
        tls=tls, tls_version=tls_version if tls else None, tls_cipher=cipher if tls else None,
        row_level_security={t: bool(rls.get(t)) for t in private_tables()},
        contacts=contacts, placed=placed, touchpoints=touchpoints, notes=notes,
        warnings=tuple(security_warnings(db)),
    )


_FIX = "an admin runs: planner --db postgresql://ADMIN@… db init"


def security_warnings(db: PostgresqlDatabase) -> list[str]:
    """What would let one planner user take over the database or read around its rules:
    an out-of-date team setup, SECURITY DEFINER functions with a search path a user can
    hijack or owned by a role with other rights, PUBLIC allowed temporary tables or
    CREATE in the planner's schema, a planner user allowed into the private schema."""
    from planner.storage.postgres.live import DEFINER_FUNCTIONS
    from planner.storage.postgres.privacy import (
        PRIVATE_SCHEMA,
        private_functions,
        reader_functions,
    )
    from planner.storage.postgres.team_setup import (
        TEAM_SCHEMA,
        definer_role,
        planner_schema,
        read_team_schema,
    )

    out: list[str] = []
    team = read_team_schema(db)
    if team < TEAM_SCHEMA:
        out.append(f"the team setup is out of date (team schema {team}, this version sets "
                   f"up {TEAM_SCHEMA}): {_FIX}")
    schema = planner_schema(db)
    unquoted = db.execute_sql("SELECT nspname FROM pg_catalog.pg_namespace "
                              f"WHERE oid = '{schema}'::regnamespace").fetchone()[0]
    definer = definer_role(db)
    rows = db.execute_sql("""
        SELECT p.proname, p.proname = ANY (%s), coalesce(p.proconfig, '{}'), r.rolname,
               r.rolsuper OR r.rolcanlogin OR r.rolbypassrls OR r.rolcreaterole
                 OR r.rolcreatedb OR r.rolreplication,
               EXISTS (SELECT 1 FROM pg_catalog.pg_class c
                        WHERE c.relowner = r.oid AND c.relnamespace = p.pronamespace)
          FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_roles r ON r.oid = p.proowner
         WHERE p.prosecdef AND (p.pronamespace = %s::regnamespace
                OR p.pronamespace = pg_catalog.to_regnamespace(%s)) ORDER BY 1""",
        ([name for name, _ in DEFINER_FUNCTIONS + tuple(private_functions())
          + tuple(reader_functions())],
         schema, PRIVATE_SCHEMA)).fetchall()
    safe_path = f"search_path=pg_catalog, {schema}, pg_temp"
    too_strong: dict[str, list[str]] = {}  # owner → its functions (one warning per owner)
    for name, ours, config, owner, powerful, owns_tables in rows:
        if not ours:
            out.append(f"{name} runs with its owner's rights ({owner}) and is not the "
                       "planner's: check it")
        if safe_path not in config:
            out.append(f"{name} runs with its owner's rights ({owner}) and a search path a "
                       f"user's temporary tables can hijack: {_FIX}")
        if owner != definer or powerful or owns_tables:
            too_strong.setdefault(owner, []).append(name)
    for owner, names in too_strong.items():
        what = (f"{names[0]} runs" if len(names) == 1 else
                f"{', '.join(names[:-1])} and {names[-1]} run")
        out.append(f"{what} with the rights of {owner}, a role that can do more than "
                   f"write the change log and the private tables (it should belong to "
                   f"{definer}): {_FIX} as a role with CREATEROLE")
    public_temp, public_create = db.execute_sql("""
        SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_database d,
                              pg_catalog.aclexplode(coalesce(d.datacl,
                                  pg_catalog.acldefault('d', d.datdba))) a
                        WHERE d.datname = pg_catalog.current_database()
                          AND a.grantee = 0 AND a.privilege_type = 'TEMPORARY'),
               EXISTS (SELECT 1 FROM pg_catalog.pg_namespace n,
                              pg_catalog.aclexplode(coalesce(n.nspacl,
                                  pg_catalog.acldefault('n', n.nspowner))) a
                        WHERE n.nspname = %s AND a.grantee = 0
                          AND a.privilege_type = 'CREATE')""", (unquoted,)).fetchone()
    if public_temp:
        out.append("every role may create temporary tables here; the database's owner "
                   "runs: REVOKE TEMP ON DATABASE … FROM PUBLIC (db init does)")
    if public_create:
        out.append(f"every role may create functions and tables in the schema {schema}; "
                   f"its owner runs: REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC")
    out += _private_schema_warnings(db, schema, definer)
    if team >= 4:
        out += _reader_warnings(db, schema)
    return out


def _reader_warnings(db: PostgresqlDatabase, schema: str) -> list[str]:
    """A function that reads one person's private rows missing, or executable by PUBLIC
    (any role allowed to connect, planner user or not, would read the shared notes)."""
    from planner.storage.postgres.privacy import reader_functions

    out = []
    for name, args in reader_functions():
        row = db.execute_sql(
            "SELECT p.oid IS NOT NULL, EXISTS (SELECT 1 FROM pg_catalog.aclexplode(coalesce("
            "p.proacl, pg_catalog.acldefault('f', p.proowner))) a WHERE a.grantee = 0) "
            "FROM (SELECT pg_catalog.to_regprocedure(%s) AS oid) f "
            "LEFT JOIN pg_catalog.pg_proc p ON p.oid = f.oid",
            (f"{schema}.{name}({args})",)).fetchone()
        if not row[0]:
            out.append(f"{name} is missing (a person's private rows cannot be read by "
                       f"person): {_FIX}")
        elif row[1]:
            out.append(f"{name} may be run by every role, not only planner users: {_FIX}")
    return out


def _private_schema_warnings(db: PostgresqlDatabase, schema: str, definer: str) -> list[str]:
    """A private table left in the planner's schema, or a role (but its owner and the
    definer role) allowed into the private schema or granted a private table: it could
    read, EXPLAIN and probe everyone's private rows there."""
    from planner.storage.postgres.privacy import PRIVATE_SCHEMA

    out = []
    names = list(private_tables())
    left = [r[0] for r in db.execute_sql(
        "SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relkind = 'r' "
        "AND c.relnamespace = %s::regnamespace AND c.relname = ANY (%s) ORDER BY 1",
        (schema, names)).fetchall()]
    if left:
        out.append(f"{', '.join(left)} can be read by every planner user (not in the "
                   f"private schema {PRIVATE_SCHEMA}): {_FIX}")
    allowed = [r[0] for r in db.execute_sql("""
        SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END
          FROM pg_catalog.pg_namespace n,
               pg_catalog.aclexplode(coalesce(n.nspacl,
                   pg_catalog.acldefault('n', n.nspowner))) a
         WHERE n.nspname = %(private)s AND a.grantee <> n.nspowner
           AND a.grantee NOT IN (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = %(definer)s)
        UNION
        SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END
          FROM pg_catalog.pg_class c, pg_catalog.aclexplode(c.relacl) a
         WHERE c.relnamespace = pg_catalog.to_regnamespace(%(private)s)
           AND a.grantee <> c.relowner
           AND a.grantee NOT IN (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = %(definer)s)
         ORDER BY 1""", {"private": PRIVATE_SCHEMA, "definer": definer}).fetchall()]
    if allowed:
        out.append(f"{', '.join(allowed)} may reach the private schema "
                   f"{PRIVATE_SCHEMA} directly and read or probe everyone's private "
                   f"rows there: its owner revokes that (REVOKE ALL ON SCHEMA … FROM …)")
    return out
