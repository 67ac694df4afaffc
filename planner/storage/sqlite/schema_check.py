"""Is a SQLite file's schema exactly one Mentorship Planner makes? A file is data, never code.

A database file from outside (a backup to restore, a file given with ``--db``) could
carry triggers, views, changed defaults, CHECK constraints or expression indexes that
would run on every later write and survive a restore or ``db encrypt``. So its
``sqlite_master`` (type, name, table, SQL with whitespace, comments and keyword case
normalised) must equal, entry for entry, the one the project's own migration steps make
at its schema version (:mod:`planner.storage.sqlite.schema_expected` builds it in memory, once).
Every file the app makes (fresh, migrated from any older version, encrypted, backed up,
restored, imported, the demo) has exactly that schema.

Only the given connection is read (opened read-only by the caller), and only the
schema, ``planner_meta`` (once its own definition is known to be ours) and two header
pragmas: nothing in the file is executed. No Qt, no file I/O.
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import TypeGuard

from planner.domain.errors import DatabaseProblem
from planner.storage import migrations
from planner.storage.sqlite.schema_expected import Entries, expected_entries

APP = "Mentorship Planner"
META_TABLE = "planner_meta"
KINDS = ("table", "index", "trigger", "view")
#: SQLite's own statistics tables (ANALYZE, PRAGMA optimize): numbers for the query
#: planner, no code; tolerated exactly as SQLite makes them.
SQLITE_STATS = {
    ("table", "sqlite_stat1"): ("sqlite_stat1", "CREATE TABLE sqlite_stat1(tbl,idx,stat)"),
    ("table", "sqlite_stat4"): (
        "sqlite_stat4", "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)"),
}
#: what is reported first: what runs by itself, then what holds or indexes data
_ORDER = {"trigger": 0, "view": 1, "virtual table": 2, "table": 3, "index": 4}

_TOKEN = re.compile(
    r"(?P<space>[ \t\n\f\r]+)"
    r"|(?P<comment>--[^\n]*|/\*.*?(?:\*/|\Z))"
    r"|(?P<quoted>'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`(?:[^`]|``)*`|\[[^\]]*\])"
    r"|(?P<word>[A-Za-z0-9_$\x80-\U0010ffff]+)"
    r"|(?P<op>[<>=!|]+)"
    r"|(?P<other>.)",
    re.S,
)
_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)  # SQLite folds ASCII only


def normalise(sql: str | None) -> tuple[str, ...] | None:
    """The statement's tokens: whitespace and comments dropped, unquoted words in lower
    case; quoted names and string literals exactly as written."""
    if sql is None:
        return None
    tokens = []
    for found in _TOKEN.finditer(sql):
        kind = found.lastgroup
        if kind in ("space", "comment"):
            continue
        text = found.group()
        tokens.append(text.translate(_LOWER) if kind == "word" else text)
    return tuple(tokens)


def _what(kind: str, sql: str | None) -> str:
    if kind == "table" and _starts(sql, "create", "virtual", "table"):
        return "virtual table"
    return kind


def _a(what: str) -> str:
    return f"an {what}" if what[0] in "aeiou" else f"a {what}"


def _starts(sql: str | None, *words: str) -> TypeGuard[str]:  # words given: never for None
    return (normalise(sql) or ())[: len(words)] == words


def schema_problem(conn, label: str) -> str | None:
    """None when the schema read through ``conn`` is exactly one the app makes, else one
    clause naming the first difference: "<label> has a trigger `x` that Mentorship
    Planner does not make". A version newer than this app's is left to the caller."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    found: dict[tuple[str, str], tuple[str, str | None]] = {}
    seen: set[tuple[str, str]] = set()
    for kind, name, table, sql in rows:
        if kind not in KINDS:
            return f"{label} has a schema entry of a kind SQLite does not make ({kind!r})"
        if (kind, str(name).lower()) in seen:
            return f"{label} has two schema entries named `{name}`"
        seen.add((kind, str(name).lower()))
        found[(kind, name)] = (table, sql)
    meta_key = ("table", META_TABLE)
    version: int | None
    if meta_key not in found:
        if any(kind == "table" for kind, _ in found):
            return None  # another program's database: the caller says so
        version = 0  # an empty file must be empty: no view, trigger... either
    else:
        if _differs(found[meta_key], expected_entries(1)[meta_key]):
            return f"{label} has a changed table `{META_TABLE}`"
        version = _version(conn)
        if version is None:
            return f"{label} has a schema version that is not a whole number"
        if version > migrations.LATEST:
            return None  # made by a newer app: the caller says so
        if version == 0:
            return f"{label} has tables but no schema version, which {APP} never leaves"
    problem = _difference(found, expected_entries(version), label)
    if problem:
        return problem
    application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if application_id not in (0, migrations.SQLITE_APPLICATION_ID):
        return f"{label} has the application id {application_id}, which {APP} does not set"
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    if user_version != 0:
        return f"{label} has the user version {user_version}, which {APP} does not set"
    return None


def refuse_altered(conn, path: Path) -> None:
    """For opening a file (``--db``): DatabaseProblem unless its schema is one the app makes."""
    problem = schema_problem(conn, str(path))
    if problem:
        from planner.storage.database import restore_hint

        raise DatabaseProblem(
            f"{problem}, so it will not be opened (it was left untouched); {restore_hint(path)}"
        )


def _version(conn) -> int | None:
    row = conn.execute(
        f'SELECT value FROM "{META_TABLE}" WHERE key = ?', ("schema_version",)
    ).fetchone()
    try:
        version = int(row[0]) if row is not None else 0
    except (TypeError, ValueError):
        return None
    return version if version >= 0 else None


def _differs(entry: tuple[str, str | None], ours: tuple[str, str | None]) -> bool:
    return entry[0] != ours[0] or normalise(entry[1]) != normalise(ours[1])


def _difference(found: Entries, expected: Entries, label: str) -> str | None:
    def order(key: tuple[str, str]) -> tuple[int, str]:
        kind, name = key
        sql = (found[key] if key in found else expected[key])[1]  # each key is in one
        return (_ORDER.get(_what(kind, sql), 9), name)

    extra = [k for k in found if k not in expected and SQLITE_STATS.get(k) is None]
    for key in sorted(extra, key=order):
        return f"{label} has {_a(_what(key[0], found[key][1]))} `{key[1]}` that {APP} does not make"
    stats = [k for k in found if k not in expected and _differs(found[k], SQLITE_STATS[k])]
    for key in sorted(stats, key=order):
        return f"{label} has a changed SQLite statistics table `{key[1]}`"
    missing = [k for k in expected if k not in found]
    for key in sorted(missing, key=order):
        what = _what(key[0], expected[key][1])
        return f"{label} lacks the {what} `{key[1]}` that {APP} makes"
    changed = [k for k in expected if k in found and _differs(found[k], expected[k])]
    for key in sorted(changed, key=order):
        kind, name = key
        detail = _table_detail(found[key][1], expected[key][1]) if kind == "table" else None
        if detail:
            return f"{label} has a table `{name}` {detail}"
        what = _what(kind, expected[key][1])
        return f"{label} has {_a(what)} `{name}` that differs from the one {APP} makes"
    return None


def _columns(sql: str) -> list[tuple] | None:
    """(name, type, notnull, default, pk, hidden) of each column ``sql`` declares, read
    from an in-memory database (only the statement is run, in a database of its own)."""
    import sqlite3

    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(sql)
        name = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        return [tuple(r[1:]) for r in conn.execute(f'PRAGMA table_xinfo("{name}")')]
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _table_detail(sql: str | None, ours: str | None) -> str | None:
    """How a table's columns differ, if they do (else None: a constraint or option does)."""
    if not (_starts(sql, "create", "table") and _starts(ours, "create", "table")):
        return None
    theirs, expected = _columns(sql), _columns(ours)
    if theirs is None or expected is None:
        return None
    mine = {c[0].lower(): c for c in expected}
    other = {c[0].lower(): c for c in theirs}
    for column in theirs:
        if column[0].lower() not in mine:
            return f"with a column `{column[0]}` that {APP} does not make"
    for column in expected:
        if column[0].lower() not in other:
            return f"without the column `{column[0]}` that {APP} makes"
    for column in expected:
        name, kind, notnull, default, pk, hidden = column
        got = other[name.lower()]
        if got[1] != kind:
            return f"whose column `{name}` has the type {_shown(got[1])}, not {_shown(kind)}"
        if got[2] != notnull:
            allows = "does not allow" if got[2] else "allows"
            return f"whose column `{name}` {allows} NULL, unlike {APP}'s"
        if got[3] != default:
            return f"whose column `{name}` has the default {_shown(got[3])}, not {_shown(default)}"
        if (got[4], got[5]) != (pk, hidden):
            return f"whose column `{name}` is declared differently from {APP}'s"
    if [c[0].lower() for c in theirs] != [c[0].lower() for c in expected]:
        return f"whose columns are in another order than {APP} makes them"
    return f"with constraints or options that {APP} does not make"


def _shown(value) -> str:
    if value is None or value == "":
        return "none"
    return f"`{value}`"
