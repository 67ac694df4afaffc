"""Why a team database refused a connection, by code rather than by its message.

psycopg2 raises a failed connect as an ``OperationalError`` without SQLSTATE: libpq keeps
the server's code to itself, and the message is in the server's language (a password
refused is reported before any session, so in the server's own ``lc_messages``). So,
only after a connect failed, ``diagnose`` tries once more with an asynchronous
connection, on which libpq says what we need:

- ``needs_password`` (``PQconnectionNeedsPassword``): the server asked for a password
  and there was none — ``Failure.NO_PASSWORD``;
- the server's SQLSTATE, which libpq writes into the message when its error verbosity is
  ``PQERRORS_VERBOSE`` ("FATAL:  28P01: …"); psycopg2 has no call for that, so it is set
  through ctypes on the connection's ``pgconn_ptr``, in the very libpq psycopg2 loaded
  (checked by version). Without it (no such libpq found) the SQLSTATE stays unknown;
- no SQLSTATE at all: no server answered (refused, timed out, a name not found, TLS
  failed) — ``Failure.UNREACHABLE``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import re
import select
import sys
import time
from functools import cache
from pathlib import Path

from planner.storage.failures import _SQLSTATE, _SQLSTATE_CLASS, Failure

log = logging.getLogger(__name__)

PQERRORS_VERBOSE = 2
PROBE_TIMEOUT_S = 3
#: "SEVERITY:  SQLSTATE: message" — the severity word is translated, the code never is
_VERBOSE = re.compile(r"^[^:\n]+:\s+([0-9A-Z]{5}):\s", re.MULTILINE)


def diagnose(database: str, params: dict,
             timeout: float = PROBE_TIMEOUT_S) -> tuple[Failure, str | None]:
    """(what refused us, the SQLSTATE if the server sent one): connect once more, for at
    most ``timeout`` seconds (libpq's connect_timeout does not bound an asynchronous
    connect, so the deadline is kept here). Never raises."""
    try:
        return _probe(database, params, timeout)
    except Exception:  # a diagnosis must not turn a clear refusal into a traceback
        log.exception("cannot tell why the team database refused the connection")
        return Failure.OTHER, None


def _probe(database: str, params: dict, timeout: float) -> tuple[Failure, str | None]:
    import psycopg2
    import psycopg2.extensions as ext

    params = {**params, "connect_timeout": max(1, round(timeout))}
    try:
        conn = psycopg2.connect(dbname=database, async_=True, **params)
    except psycopg2.Error as exc:  # a bad option: nothing was sent
        return _failure(None, False, exc)
    deadline = time.monotonic() + timeout
    try:
        _verbose(conn)
        try:
            while True:
                state = conn.poll()
                if state == ext.POLL_OK:  # it works now (a server just started)
                    return Failure.OTHER, None
                left = deadline - time.monotonic()
                if left <= 0:  # no answer in time: nobody there
                    return Failure.UNREACHABLE, None
                if state == ext.POLL_READ:
                    select.select([conn.fileno()], [], [], left)
                elif state == ext.POLL_WRITE:
                    select.select([], [conn.fileno()], [], left)
        except psycopg2.OperationalError as exc:
            return _failure(_sqlstate_of(str(exc)), _needs_password(conn), exc)
    finally:
        conn.close()


def _failure(code: str | None, needs_password: bool, exc: Exception) -> tuple[Failure, str | None]:
    if needs_password:
        return Failure.NO_PASSWORD, code
    if code is None:
        return (Failure.UNREACHABLE if _verbosity_settable() else Failure.OTHER), None
    return _SQLSTATE.get(code) or _SQLSTATE_CLASS.get(code[:2], Failure.OTHER), code


def _needs_password(conn) -> bool:
    try:
        return bool(conn.info.needs_password)
    except Exception:
        return False


def _sqlstate_of(message: str) -> str | None:
    found = _VERBOSE.search(message)
    return found.group(1) if found else None


def _verbose(conn) -> None:
    lib = _libpq()
    if lib is not None:
        lib.PQsetErrorVerbosity(ctypes.c_void_p(conn.pgconn_ptr), PQERRORS_VERBOSE)


def _verbosity_settable() -> bool:
    return _libpq() is not None


@cache
def _libpq():
    """The libpq psycopg2 runs on (the same file, or the same version), or None."""
    import psycopg2.extensions as ext

    wanted = ext.libpq_version()
    for candidate in _libpq_candidates():
        try:
            lib = ctypes.CDLL(candidate)
            if lib.PQlibVersion() != wanted:
                continue
        except (OSError, AttributeError):
            continue
        lib.PQsetErrorVerbosity.argtypes = [ctypes.c_void_p, ctypes.c_int]
        lib.PQsetErrorVerbosity.restype = ctypes.c_int
        return lib
    log.warning("libpq (version %s) not found: a refused team connection is told apart "
                "by libpq's flags only", wanted)
    return None


def _libpq_candidates() -> list[str]:
    import psycopg2

    found: list[str] = []
    maps = Path("/proc/self/maps")  # Linux: the very file psycopg2 mapped
    if maps.exists():
        for line in maps.read_text().splitlines():
            name = line.split()[-1] if line.split() else ""
            if "/libpq" in name and name not in found:
                found.append(name)
    package = Path(psycopg2.__file__).parent  # the wheels' own copies
    for folder in (package.parent / "psycopg2_binary.libs", package / ".dylibs",
                   package.parent / "psycopg2.libs"):
        if folder.is_dir():
            found += sorted(str(p) for p in folder.iterdir() if p.name.startswith("libpq"))
    system = ctypes.util.find_library("pq" if sys.platform != "win32" else "libpq")
    if system:
        found.append(system)
    return found
