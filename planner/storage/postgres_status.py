"""``planner db status`` on a team database: the facts, read from the server.

Who we are connected as, the schema and server versions, whether the connection
is encrypted (TLS), whether row-level security is on, and how many rows the
connected role can see. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import PostgresqlDatabase

from planner.storage import migrations
from planner.storage.target import redact_url

#: The tables whose rows row-level security keeps per user.
PRIVATE_TABLES = ("placement", "ring_move", "note")


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
    row_level_security: dict[str, bool]  # table → enabled and forced
    contacts: int  # not in the trash
    placed: int  # on the connected user's rings
    touchpoints: int
    notes: int  # the role's own and the shared ones

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
        ]

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
    rls = dict(db.execute_sql(
        "SELECT relname, relrowsecurity AND relforcerowsecurity FROM pg_class "
        "WHERE oid IN (SELECT to_regclass(t) FROM unnest(%s::text[]) AS t)",
        (list(PRIVATE_TABLES),)).fetchall())
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
        row_level_security={t: bool(rls.get(t)) for t in PRIVATE_TABLES},
        contacts=contacts, placed=placed, touchpoints=touchpoints, notes=notes,
    )
