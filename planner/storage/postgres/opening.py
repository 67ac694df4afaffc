"""Opening a team database: connect, check its schema, migrate it under a lock.

The schema is made by the same migration steps as a SQLite file
(``planner.storage.migrations``), run under a lock so two clients never migrate at once (an
EXCLUSIVE lock on ``planner_meta``, which a planner user cannot take; an advisory lock on an
empty database); then ``team_setup`` adds what only a team database has.
``database.open_database`` dispatches a ``postgresql://`` target to ``open_postgres``.
"""

from __future__ import annotations

import logging

import peewee
from peewee import PostgresqlDatabase

from planner.domain.errors import DatabaseProblem
from planner.storage import migrations
from planner.storage.failures import Failure, classify
from planner.storage.postgres.connection import connect
from planner.storage.postgres.team_setup import (
    TEAM_SCHEMA,
    _first_line,
    can_administer,
    read_team_schema,
    schema_version,
    team_setup,
)
from planner.storage.target import DatabaseTarget, redact_url

log = logging.getLogger(__name__)

#: pg_advisory_xact_lock key: "MPPL" (as SQLite's application_id), for ``db init`` of a
#: database without the planner's tables (then ``planner_meta`` is locked instead)
MIGRATION_LOCK = migrations.SQLITE_APPLICATION_ID


def open_postgres(target: DatabaseTarget, *, migrate: bool = True, init: bool = False,
                  password: str | None = None):
    """Open a team database, bind the models to it and return an ``OpenDatabase``.

    An empty database is refused with a message naming ``db init`` (``init=True``
    creates the schema): pointing the app at the wrong database must not fill it
    with tables. An initialised database of an older schema is upgraded under
    the migration lock. ``password``: for this session only (else the keyring's).
    """
    from planner.storage.database import OpenDatabase, binding

    url = target.url or ""
    db = connect(url, password)  # a session password lives in db.connect_params only
    try:
        with binding(db):  # a failed open leaves the models as they were
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


def migrate_locked(db: PostgresqlDatabase) -> int:
    """Run the migration steps (and the team setup) in one transaction under the lock.
    The models must be bound to ``db`` (an open does it: planner.storage.database.binding)."""
    with db.atomic():
        if db.execute_sql("SELECT pg_catalog.to_regclass('planner_meta')").fetchone()[0]:
            # a planner user (SELECT only) may lock it in ACCESS SHARE mode alone, which
            # does not conflict: no teammate can hold this lock (any role could hold the
            # advisory one, for good, and make every db init wait, then say it is busy)
            db.execute_sql("LOCK TABLE planner_meta IN EXCLUSIVE MODE")
        else:  # no tables yet (db init of an empty database): nobody else is a user
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        current = migrations.read_version(db)  # another client may have just migrated
        version = migrations.migrate(db, current)
        team_setup(db)
    return version


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
