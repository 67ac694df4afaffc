"""Connecting to a team database: a ``postgresql://`` URL, its password, the driver.

``connect`` makes a ``PlannerPostgresDatabase`` (peewee's, with psycopg2 imported when
it connects: ``Psycopg2WhenUsed``) and connects it. A refused connection is a
``CannotConnect`` whose ``failure`` says why, by code (``diagnosis``); a connection that
went away mid-action a ``ConnectionLost`` (``lost_connection``, ``unreachable``).

The password: the keyring (account = the URL without a password, as stored by
``planner --db URL db login``), else the URL itself (warned about once; never
logged — show URLs with ``target.redact_url``).
"""

from __future__ import annotations

import sys
from urllib.parse import parse_qsl, unquote, urlsplit

import peewee
from peewee import PostgresqlDatabase

from planner.domain.errors import ConnectionLost, DatabaseProblem, InvalidInput
from planner.storage.failures import BUSY_SECONDS, CONNECTING, Failure, classify
from planner.storage.postgres import waiting
from planner.storage.target import redact_url, replace_password, url_password

_warned_about_password = False


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
    try:
        port = parts.port  # (urllib raises ValueError for "abc" and for 99999)
    except ValueError:
        port = 0
    if port == 0 and parts.netloc.rpartition("@")[2].rpartition("]")[2].count(":"):
        raise InvalidInput(f"{redact_url(url)}: the port must be a number from 1 to 65535")
    if port:
        params["port"] = port
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


#: TCP keepalives of every connection (libpq's parameters; a URL may say otherwise)
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
              "keepalives_count": 3}

#: the lock timeout of every connection the app makes (see make_database)
LOCK_WAIT = f"-c lock_timeout={BUSY_SECONDS * 1000}"


def make_database(url: str, password: str | None = None) -> PlannerPostgresDatabase:
    name, params = connect_params(url)
    if password is None:
        password = _password(url)
    if password is not None:
        params["password"] = password
    params.setdefault("connect_timeout", 10)
    params.setdefault("application_name", "mentorship-planner")
    # a link that went dead without a word (no FIN, no RST) ends in about 25 s instead of
    # the kernel's two hours: probes after 10 s of quiet, 3 unanswered 5 s apart
    for key, value in KEEPALIVES.items():
        params.setdefault(key, value)
    waiting.install()  # the window's GUI thread waits for the server only so long
    # a lock waited for ends, as on a file (a teammate's LOCK TABLE hung every command and
    # window for good); first, so that an options= of the URL may still say otherwise
    params["options"] = (f"{LOCK_WAIT} {params['options']}" if params.get("options")
                         else LOCK_WAIT)
    return PlannerPostgresDatabase(name, **params)


def lost_connection(exc: BaseException) -> ConnectionLost | None:
    """The clear message for a team database that went away mid-action, else None."""
    if classify(exc) is Failure.CONNECTION_LOST:
        return ConnectionLost(
            "the connection to the team database was lost: the change was not saved "
            "(everything saved before it is intact). Check the network and try again")
    return None


def locked_too_long(exc: BaseException) -> DatabaseProblem | None:
    """The clear message for a lock waited for past the lock timeout (see make_database)."""
    if classify(exc) is Failure.LOCKED:
        seconds = waiting.lock_wait() or BUSY_SECONDS
        return DatabaseProblem(
            f"the team database is busy: what this needs was kept locked for more than "
            f"{seconds:g} second{'' if seconds == 1 else 's'} (by a teammate's command, "
            "or a long one of yours), so nothing was changed. Try again in a moment")
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


class _OneTransaction(peewee._atomic):
    """peewee's atomic block, but inside a transaction already open it is part of that
    transaction, not a savepoint of it.

    A savepoint that writes takes a transaction id of its own, and every role on the
    server reads the transaction counter (``txid_current()``, a new row's ``xmin``): a
    teammate counting ids around a commit told how many nested steps wrote, e.g. whether
    the person removed had been on the remover's rings (the ring move is a service called
    inside the removal's transaction). An error inside such a block rolls back the whole
    transaction, as it would anyway once it reaches the outer block; where the code goes
    on after an error, it asks for ``db.savepoint()`` by name."""

    def __enter__(self):
        if self.db.transaction_depth() > 0 and not isinstance(
                self.db.top_transaction(), peewee._manual):
            self._helper = None
            return self.db.top_transaction()
        return super().__enter__()

    def __exit__(self, exc_type, exc_val, exc_tb):
        if self._helper is None:
            return False
        return super().__exit__(exc_type, exc_val, exc_tb)


def savepoint(db):
    """A savepoint inside a transaction already open, else a transaction: for a step that
    may fail while the transaction goes on (nested atomic blocks of a team database are
    one transaction: ``_OneTransaction``)."""
    return peewee._atomic(db)


class PlannerPostgresDatabase(PostgresqlDatabase):
    """A dropped connection is a clear DatabaseProblem, never a half-applied action:
    the server rolls back what the transaction had done. Nested atomic blocks are one
    transaction (``_OneTransaction``)."""

    psycopg2_adapter = Psycopg2WhenUsed

    def atomic(self, *args, **kwargs):
        return _OneTransaction(self, *args, **kwargs)

    #: the login role, set by ``connect`` (read with a default: a bare instance has none)
    planner_user: str

    def _connect(self):
        import psycopg2

        try:
            conn = super()._connect()  # type: ignore[misc]  # peewee's, not in its stubs
            lock_wait = waiting.lock_wait()
            if lock_wait is not None:  # this thread waits less for a lock (the window)
                with conn.cursor() as cursor:
                    cursor.execute("SET lock_timeout = %s", (f"{int(lock_wait * 1000)}ms",))
            return conn
        except psycopg2.OperationalError as exc:  # no server answered, or it refused us
            setattr(exc, CONNECTING, True)
            raise

    def execute_sql(self, sql, params=None, *args, **kwargs):
        self._forget_dead_connection()
        try:
            return super().execute_sql(sql, params, *args, **kwargs)
        except (peewee.OperationalError, peewee.InterfaceError) as exc:
            problem = unreachable(exc) or locked_too_long(exc)
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


def limit_waits(db: PlannerPostgresDatabase, silence_s: float, lock_wait_s: float) -> None:
    """This thread (the window's GUI thread) waits at most ``silence_s`` for the server to
    answer and ``lock_wait_s`` for a lock, on the connection open now and every later one."""
    waiting.limit_this_thread(silence_s, lock_wait_s)
    state = db._state  # type: ignore[attr-defined]  # peewee's, not in its stubs
    if state.conn is not None and not state.conn.closed and not state.transactions:
        db.execute_sql("SET lock_timeout = %s", (f"{int(lock_wait_s * 1000)}ms",))


def _connection_problem(url: str, exc: Exception, db: PostgresqlDatabase) -> CannotConnect:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    for secret in (url_password(url), urlsplit(url).password):
        if secret:
            text = text.replace(secret, "***")
    from planner.storage.postgres.diagnosis import diagnose

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


def login(url: str, password: str) -> str:
    """Test the connection with ``password``, then keep it in the keyring; the account."""
    from planner.storage import secrets

    db = connect(url, password)
    db.close()
    account = account_for_url(url)
    secrets.set_secret(account, password)
    return account
