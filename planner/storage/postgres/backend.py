"""The backend of a team database: what differs on PostgreSQL (``storage.backend``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote, urlencode

from planner.storage.backend import Backend
from planner.storage.postgres.connection import KEEPALIVES, LOCK_WAIT

#: pg_advisory_xact_lock(RINGS_LOCK, hashtext(owner)): "MPRG" — only on a team database
#: whose setup is older than team schema 8 (any role may take that lock, and hold it)
RINGS_LOCK = int.from_bytes(b"MPRG", "big")


class PostgresBackend(Backend):
    kind = "postgresql"
    team = True

    @contextmanager
    def move_lock(self, owner: str) -> Iterator[None]:
        """A lock on the login role's own row of the move locks for the transaction
        (``team_setup._MOVE_LOCK_FN``): the second move waits, then reads the first one's
        result. Only that role can take it (a teammate cannot block their moves, as they
        could an advisory lock). On a setup older than team schema 8: the advisory lock
        on the owner it had."""
        self.models_here()
        with self.db.atomic():
            found = self.db.execute_sql(
                "SELECT pg_catalog.to_regprocedure('planner_lock_moves()') IS NOT NULL"
            ).fetchone()[0]
            if found:
                self.db.execute_sql("SELECT planner_lock_moves()")
            else:
                self.db.execute_sql("SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                                    (RINGS_LOCK, owner))
            yield

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One snapshot for every query of the block: REPEATABLE READ (PostgreSQL's
        default, READ COMMITTED, gives each statement its own, so an export's tables
        could disagree). Inside a transaction already open: a savepoint of that one."""
        self.models_here()
        if self.db.in_transaction():
            with self.db.atomic():
                yield
            return
        with self.db.atomic():
            self.db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield

    @property
    def url(self) -> str | None:
        params = dict(getattr(self.db, "connect_params", None) or {})
        for key in ("password", "connect_timeout", "application_name"):
            params.pop(key, None)
        for key, value in KEEPALIVES.items():  # the app's own, not the user's to show
            if str(params.get(key)) == str(value):
                params.pop(key)
        # (the lock timeout every connection of the app adds is not the user's to show)
        options = str(params.pop("options", "") or "").removeprefix(LOCK_WAIT).strip()
        if options:
            params["options"] = options
        user, host = params.pop("user", None), params.pop("host", "")
        port = params.pop("port", None)
        netloc = (f"{quote(str(user), safe='')}@" if user else "") + str(host or "")
        netloc += f":{port}" if port else ""
        query = f"?{urlencode(params, quote_via=quote)}" if params else ""  # libpq: %20, not +
        return f"postgresql://{netloc}/{quote(str(self.db.database or ''), safe='')}{query}"

    def session_id(self) -> int | None:
        conn = self.db._state.conn  # type: ignore[attr-defined]
        try:
            return conn.get_backend_pid() if conn is not None and not conn.closed else None
        except Exception:
            return None

    def current_user(self) -> str:
        return getattr(self.db, "planner_user", "")
