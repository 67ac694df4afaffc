"""Live updates on a team database: every change is announced, and counted.

Two mechanisms, both set up by ``db init`` (``live_setup_sql``, run from
``team_setup.team_setup``):

- a row trigger on every planner table sends ``NOTIFY planner_changes`` with
  ``"<table> <contact id or -> <role> <backend pid>"``; notifications reach
  listeners only when the transaction commits (and not at all if it rolls
  back). Anyone may LISTEN, so a change to what is private (rings, ring moves,
  cadences, a private note) has no notice of its own: every transaction of a writer
  says ``private - <role> <pid>`` once, so nobody learns whether it changed anything
  private, nor about whom. Anyone may also NOTIFY: a payload is a
  claim. It counts only when it names the connection that sent it (PostgreSQL gives
  the sender's backend pid with every notice) and the change log has a new row of
  that writer (``writers_between``).
- a statement trigger appends a row to ``planner_change`` (who, which
  connection, when; one row per transaction, however many statements it ran):
  a client that cannot LISTEN (a pooler in transaction
  mode, a dropped listening connection) polls ``read_clock`` instead. Rows
  older than a day are pruned now and then.

``ChangeListener`` is the listening side: its own autocommit connection, a
file descriptor to watch (the window uses a QSocketNotifier) and ``drain()``.
Nothing here knows Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

CHANNEL = "planner_changes"

#: Every planner function pins its search path (pg_temp last: a user's temporary tables
#: never stand in for the planner's) and names every table and function by its schema.
SAFE_PATH = "pg_catalog, {schema}, pg_temp"


def fill(template: str, schema: str) -> str:
    """A function's SQL for the planner's ``schema`` (a quoted identifier)."""
    return (template.replace("{path}", SAFE_PATH).replace("{schema}", schema)
            .replace("{channel}", CHANNEL))

_NOTIFY_FN = """
CREATE OR REPLACE FUNCTION {schema}.planner_notify_row() RETURNS trigger LANGUAGE plpgsql
SET search_path = {path} AS $$
DECLARE
  r jsonb;
  cid text;
BEGIN
  IF TG_OP = 'DELETE' THEN r := pg_catalog.to_jsonb(OLD); ELSE r := pg_catalog.to_jsonb(NEW);
  END IF;
  IF TG_TABLE_NAME = 'contact' THEN cid := r ->> 'id'; ELSE cid := r ->> 'contact_id'; END IF;
  -- every transaction of a writer says "private" once (identical notices of one
  -- transaction are delivered once): whether it also changed private rows (rings, moves,
  -- cadences, private notes) is told by nothing, nor about whom (team schema 10)
  PERFORM pg_catalog.pg_notify('{channel}', 'private - ' || session_user || ' '
                    || pg_catalog.pg_backend_pid());
  IF TG_TABLE_NAME IN ({private_only}){private_shared} THEN
    RETURN NULL;  -- a user's rings, moves, cadences, private notes: nobody else's business
  END IF;
  PERFORM pg_catalog.pg_notify('{channel}', TG_TABLE_NAME || ' ' || coalesce(cid, '-') || ' '
                    || session_user || ' ' || pg_catalog.pg_backend_pid());
  RETURN NULL;
END $$"""

#: A private change's notice: its table, and whom it is about, are not said; it comes with
#: every transaction of its writer (see the notify function).
PRIVATE = "private"

_CLOCK_TABLE = """
CREATE TABLE IF NOT EXISTS {schema}.planner_change (
  id bigserial PRIMARY KEY,
  actor text NOT NULL,
  pid integer NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
)"""

#: One row per transaction, not per statement (team schema 10): how many statements a
#: commit ran told what it was (removing someone who was on the remover's rings takes
#: more than removing someone who was not).
_CLOCK_ONCE = ("ALTER TABLE {schema}.planner_change ADD COLUMN IF NOT EXISTS tx bigint",
               "CREATE UNIQUE INDEX IF NOT EXISTS planner_change_tx "
               "ON {schema}.planner_change (tx)")

# SECURITY DEFINER: planner users may read the clock but not write it themselves. It runs
# with its owner's rights, so its search path is pinned (pg_temp last, never first) and every
# name is schema-qualified; ``team_setup.team_setup`` gives it to a NOLOGIN role that may only
# write this log (``team_setup.definer_role``).
_CLOCK_FN = """
CREATE OR REPLACE FUNCTION {schema}.planner_log_change() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = {path} AS $$
BEGIN
  -- the transaction's row once: an INSERT that meets the row already there would still
  -- take the next id (team schema 11), and the gaps between ids would count statements
  IF EXISTS (SELECT 1 FROM {schema}.planner_change
              WHERE tx OPERATOR(pg_catalog.=) pg_catalog.txid_current()) THEN
    RETURN NULL;
  END IF;
  INSERT INTO {schema}.planner_change (actor, pid, tx)
    VALUES (session_user, pg_catalog.pg_backend_pid(), pg_catalog.txid_current())
    ON CONFLICT (tx) DO NOTHING;
  IF pg_catalog.random() < 0.01 THEN
    DELETE FROM {schema}.planner_change
      WHERE at OPERATOR(pg_catalog.<)
            (pg_catalog.now() OPERATOR(pg_catalog.-) interval '1 day');
  END IF;
  RETURN NULL;
END $$"""

#: (name, argument types) of the planner's SECURITY DEFINER functions (``db status`` checks
#: each; ``team_setup.team_setup`` gives them to the definer role).
DEFINER_FUNCTIONS = (("planner_log_change", ""), ("planner_lock_moves", ""))


def watched_tables() -> list[str]:
    from planner.storage.postgres.team_setup import planner_tables

    return [t for t in planner_tables() if t != "planner_meta"]


def _notify_fn() -> str:
    """The notify function, its private tables read from ``privacy.PRIVATE_TABLES``: a
    change to a row of one names no contact, unless the row is (or was) shared. The
    writer is named by ``session_user`` (inside the views' definer functions
    ``current_user`` is the definer), as the change log names it."""
    from planner.storage.postgres.privacy import PRIVATE_TABLES

    only = ", ".join(f"'{t.name}'" for t in PRIVATE_TABLES if not t.shared) or "NULL"
    shared = "".join(
        f"\n     OR (TG_TABLE_NAME = '{t.name}' AND NOT coalesce((r ->> '{t.shared}')::boolean, "
        f"false)\n         AND NOT (TG_OP = 'UPDATE' AND coalesce((pg_catalog.to_jsonb(OLD) "
        f"->> '{t.shared}')::boolean, false)))"
        for t in PRIVATE_TABLES if t.shared)
    return _NOTIFY_FN.replace("{private_only}", only).replace("{private_shared}", shared)


def live_setup_sql(schema: str = "public") -> list[str]:
    """Idempotent: the notify and change-log triggers on every planner table (a private
    table's in ``privacy.PRIVATE_SCHEMA``; ``schema``: the planner's schema, an already
    quoted identifier)."""
    from planner.storage.postgres.privacy import stored_table

    sql = [fill(text, schema) for text in (_notify_fn(), _CLOCK_TABLE, *_CLOCK_ONCE,
                                           _CLOCK_FN)]
    # ``confirmed`` reads the last ten minutes of a day's log on every change applied (2 ms
    # at 26,000 rows without it) and the log's pruning reads what is older than a day.
    # Nothing hidden: users read the whole log anyway (it is the clock).
    sql.append(f"CREATE INDEX IF NOT EXISTS planner_change_at ON {schema}.planner_change (at)")
    for table in watched_tables():
        on = stored_table(schema, table)
        sql += [
            f"DROP TRIGGER IF EXISTS {table}_notify ON {on}",
            f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE ON {on} "
            f"FOR EACH ROW EXECUTE FUNCTION {schema}.planner_notify_row()",
            f"DROP TRIGGER IF EXISTS {table}_clock ON {on}",
            f"CREATE TRIGGER {table}_clock AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {on} FOR EACH STATEMENT EXECUTE FUNCTION {schema}.planner_log_change()",
        ]
    return sql


# ------------------------------------------------------------------ reading


@dataclass(frozen=True)
class Change:
    """One announced row change: which table, whose contact (None: unknown/private),
    which role made it and from which server connection."""

    table: str
    contact_id: int | None
    actor: str
    pid: int


def parse(payload: str, sender: int | None = None) -> Change | None:
    """The change a notice announces; None for a payload of another shape, or one whose
    connection is not ``sender`` (the backend pid PostgreSQL gives with the notice, which
    nobody can forge): the planner's trigger names its own connection, a teammate's
    ``pg_notify`` in another's name, or a replay of a real notice, names one it is not."""
    parts = payload.split(" ")
    if len(parts) != 4:
        return None
    table, cid, actor, pid = parts
    try:
        change = Change(table, None if cid == "-" else int(cid), actor, int(pid))
    except ValueError:
        return None
    return change if sender is None or change.pid == sender else None


def read_clock(db) -> tuple[int, int]:
    """(rows, newest id) of the change log: different after any commit by anyone."""
    return tuple(db.execute_sql(
        "SELECT count(*), coalesce(max(id), 0) FROM planner_change").fetchone())


def changes_since(db, last_id: int) -> list[tuple[str, int]]:
    """(role, backend pid) of the logged changes newer than ``last_id``."""
    return list(db.execute_sql(
        "SELECT actor, pid FROM planner_change WHERE id > %s", (last_id,)).fetchall())


def writers_between(db, after: int, upto: int) -> set[tuple[str, int]]:
    """(role, backend pid) of the change log's rows with ``after`` < id <= ``upto``: who
    committed since the window last looked. Only the planner's triggers write the log, so
    a notice is believed when, and only when, such a new row names its writer: a replayed
    notice (a pair that wrote once, read off the log) finds no new row."""
    return set(db.execute_sql(
        "SELECT DISTINCT actor, pid FROM planner_change WHERE id > %s AND id <= %s",
        (after, upto)).fetchall())


def backend_pid(db) -> int:
    return db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]


class ChangeListener:
    """A second, autocommit connection that LISTENs for the planner's changes."""

    def __init__(self, dbname: str, params: dict):
        self._dbname, self._params = dbname, dict(params)
        self._conn = None

    @classmethod
    def like(cls, db) -> ChangeListener:
        """A listener connecting as the peewee database ``db`` does (same role, password)."""
        return cls(db.database, db.connect_params)

    def open(self) -> None:
        """Connect and LISTEN; raises psycopg2.Error if the server cannot be reached."""
        import psycopg2

        self.close()
        params = dict(self._params)
        params["application_name"] = "mentorship-planner (live updates)"
        conn = psycopg2.connect(dbname=self._dbname, **params)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f"LISTEN {CHANNEL}")
        self._conn = conn

    @property
    def alive(self) -> bool:
        return self._conn is not None and not self._conn.closed

    def fileno(self) -> int:
        if self._conn is None:
            raise ValueError("fileno() of a listener that is not open")
        return self._conn.fileno()

    def drain(self) -> list[Change]:
        """The changes announced so far; raises psycopg2.Error if the connection is gone."""
        conn = self._conn
        if conn is None:
            return []
        conn.poll()
        found = [parse(n.payload, n.pid) for n in conn.notifies]
        conn.notifies.clear()
        return [c for c in found if c is not None]

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # pragma: no cover - closing a broken socket
                pass
            self._conn = None
