"""Whole-database helpers for export, import, backup and restore.

Which tables hold the user's data (in the order a restore must fill them),
counting their rows, and looking at a file on disk to decide whether it is a
Mentorship Planner database this version can restore — without writing a
byte to it. No Qt, and nothing here changes the open database.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import peewee
from peewee import Model

from planner.domain.errors import DatabaseProblem
from planner.storage import migrations
from planner.storage.failures import Failure, classify
from planner.storage.models import (
    AskRow,
    CadenceOverrideRow,
    ContactPhotoRow,
    ContactRow,
    GiveRow,
    NoteRow,
    PlacementRow,
    RingMoveRow,
    SettingRow,
    SnoozeRow,
    StageChangeRow,
    TouchpointRow,
    WinRow,
)
from planner.storage.sqlite import live_files
from planner.storage.sqlite.backup import sqlite_uri
from planner.storage.sqlite.schema_check import schema_problem

_WRAP_ERRORS = peewee.__exception_wrapper__  # type: ignore[attr-defined]  # not in peewee's stubs

#: (dump section, model) in foreign-key order: parents before children.
DATA_TABLES: tuple[tuple[str, type[Model]], ...] = (
    ("contacts", ContactRow),
    ("placements", PlacementRow),
    ("ring_moves", RingMoveRow),
    ("touchpoints", TouchpointRow),
    ("notes", NoteRow),
    ("settings", SettingRow),
    ("stage_changes", StageChangeRow),
    ("asks", AskRow),
    ("gives", GiveRow),  # after asks: a give may thank for one
    ("wins", WinRow),  # after touchpoints: a win may be celebrated by one
    ("cadence_overrides", CadenceOverrideRow),
    ("photos", ContactPhotoRow),
    ("snoozes", SnoozeRow),
)
#: The schema version that added a table (the others are there since version 1).
ADDED_IN: dict[type[Model], int] = {StageChangeRow: 3, AskRow: 3, GiveRow: 3, WinRow: 3,
                                    CadenceOverrideRow: 4, ContactPhotoRow: 5,
                                    SnoozeRow: 6}
#: The tables that make a database "not empty" for a full restore. Settings do
#: not count: a fresh database may already hold a preference or two.
PEOPLE_TABLES = tuple(model for name, model in DATA_TABLES if name != "settings")


def row_counts() -> dict[str, int]:
    """Rows per dump section in the bound database (contacts include the trash)."""
    return {name: model.select().count() for name, model in DATA_TABLES}


def is_empty() -> bool:
    """True when no person, placement, move, touchpoint or note is stored."""
    return not any(model.select().exists() for model in PEOPLE_TABLES)


def column_names(model: type[Model]) -> list[str]:
    """The table's columns as stored (a foreign key is ``contact_id``)."""
    return [field.column_name for field in model._meta.sorted_fields]


def next_id(model: type[Model]) -> int:
    """The id SQLite would give the next row (ids are assigned explicitly by bulk inserts)."""
    from peewee import fn

    top = model.id  # type: ignore[attr-defined]  # peewee: the model's own id field
    return (model.select(fn.MAX(top)).scalar() or 0) + 1


def take_ids_from_sequence(model: type[Model], rows: list[dict]) -> None:
    """On a team database, give new ``rows`` ids drawn from the table's sequence: ids
    counted from max(id) would collide with a teammate's concurrent insert, and the
    sequence would later hand out ids already taken. A file needs nothing."""
    from peewee import PostgresqlDatabase

    db = model._meta.database
    db = getattr(db, "obj", db)  # the DatabaseProxy's database
    if not rows or not isinstance(db, PostgresqlDatabase):
        return
    table = model._meta.table_name
    sequence = db.execute_sql("SELECT pg_get_serial_sequence(%s, 'id')", (table,)).fetchone()[0]
    if sequence is None:  # a private table's view: its trigger draws the ids (postgres/privacy.py)
        return
    ids = [r[0] for r in db.execute_sql(
        "SELECT nextval(%s) FROM generate_series(1, %s)", (sequence, len(rows))).fetchall()]
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id


def bulk_insert(model: type[Model], rows: list[dict], chunk: int = 1000) -> int:
    """Insert ``rows`` (field name → Python value, ids included) with ``executemany``.

    Fields a row leaves out get their default. Much faster than peewee's
    ``insert_many`` for thousands of rows (no SQL built per value); call it
    inside a transaction. Returns the number of rows written.
    """
    if not rows:
        return 0
    db = model._meta.database
    fields = model._meta.sorted_fields
    left, right = db.quote[0], db.quote[-1]
    columns = ", ".join(f"{left}{f.column_name}{right}" for f in fields)
    marks = ", ".join([db.param] * len(fields))
    table = f"{left}{model._meta.table_name}{right}"
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"

    def default(f):
        return f.default() if callable(f.default) else f.default

    names = [(f, f.name) for f in fields]
    cursor = db.cursor()
    for start in range(0, len(rows), chunk):
        params = [
            tuple(f.db_value(row[name] if name in row else default(f)) for f, name in names)
            for row in rows[start : start + chunk]
        ]
        with _WRAP_ERRORS:  # driver errors become peewee's (IntegrityError...), as elsewhere
            cursor.executemany(sql, params)
    return len(rows)


#: Rows per statement of :func:`packed_insert`
ROWS_PER_INSERT = 500
# Bound parameters per statement: 32,766 since SQLite 3.32, 999 before.
_MAX_VARIABLES = 32_766 if sqlite3.sqlite_version_info >= (3, 32) else 999


def packed_insert(model: type[Model], fields: list, rows: Iterable[tuple]) -> None:
    """Insert ready-to-store rows (values of ``fields`` as the database holds them),
    several hundred per statement; call it inside a transaction.

    Not peewee's insert_many: it renders SQL for every value, which costs more
    than SQLite itself at 200,000 rows. Not ``executemany`` (:func:`bulk_insert`)
    either: the search index's triggers make FTS5 flush once per statement, so one
    row per statement is ten times slower than many. Columns left out get the
    model's defaults (peewee applies those in Python, not in the schema).
    """
    db = model._meta.database
    given = {f.name for f in fields}
    rest = [f for f in model._meta.sorted_fields if f.name not in given and f.default is not None]
    defaults = tuple(f.db_value(f.default() if callable(f.default) else f.default) for f in rest)
    columns = ", ".join(f'"{f.column_name}"' for f in (*fields, *rest))
    width = len(fields) + len(rest)
    per = max(1, min(ROWS_PER_INSERT, _MAX_VARIABLES // width))
    one = "(" + ", ".join([db.param] * width) + ")"
    head = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES '
    full = head + ", ".join([one] * per)
    cursor = db.cursor()
    for chunk in _chunks(rows, per):
        values = [value for row in chunk for value in (*row, *defaults)]
        cursor.execute(full if len(chunk) == per else head + ", ".join([one] * len(chunk)), values)


def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


# --------------------------------------------------------------- files on disk


@dataclass(frozen=True)
class FileKind:
    """What a file on disk is, as far as restore is concerned."""

    # "missing", "empty", "planner", "damaged", "foreign", or "altered": a planner
    # database whose schema is not exactly one this app makes (extra triggers, views,
    # tables, changed columns...), never restored from; restoring over it is allowed
    kind: str
    message: str = ""  # why it is not usable (for "damaged", "foreign" and "altered")
    schema_version: int = 0
    encrypted: bool = False  # a SQLCipher file the given key opens


def is_json_export(path: Path) -> bool:
    """Whether ``path`` (not a database: never a live one) starts like a JSON export."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and (
        b"mentorship-planner-dump" in head)


def _connect_readonly(path: Path, key: str | None = None) -> sqlite3.Connection:
    if key is not None:
        from planner.storage.sqlite.encryption import open_verified

        return open_verified(path, key)
    params = {"mode": "ro"}
    if not Path(f"{path}-wal").exists():
        # Nothing is in a WAL: read it as immutable, which leaves no -wal/-shm
        # beside a file that may not be ours.
        params["immutable"] = "1"
    return sqlite3.connect(sqlite_uri(path, **params), uri=True,
                           factory=live_files.tracked(sqlite3.Connection))


def _opened_with(path: Path, key: str | None) -> sqlite3.Connection | None:
    """A verified read-only connection to the encrypted file ``path`` if ``key`` opens it,
    else None. One connection, so one key derivation (0.1–0.2 s of PBKDF2 each): the
    check and the reading that follows share it."""
    from planner.storage.sqlite.encryption import open_verified

    if key is None or not key.strip():
        return None
    try:
        return open_verified(path, key)
    except DatabaseProblem:  # a wrong key (or not a database at all)
        return None


def _cipher_error() -> type[Exception]:
    from sqlcipher3 import dbapi2

    return dbapi2.DatabaseError


def classify_file(path: Path, key: str | None = None) -> FileKind:
    """Look at ``path`` read-only and say what it is; never raises for a bad file.

    ``key`` (the database's): an encrypted file it opens is read like a plain one.
    """
    from planner.storage.sqlite.encryption import file_state

    path = Path(path)
    state = file_state(path)  # a live database is asked, never read (see live_files)
    if state == "missing":
        return FileKind("missing", f"{path} does not exist")
    if state == "folder":
        return FileKind("foreign", f"{path} is a folder, not a database file")
    if state == "special":
        return FileKind("foreign", f"{path} is not a regular file (a pipe, device or socket)")
    if state == "empty":
        return FileKind("empty", f"{path} is an empty file")
    if not os.access(path, os.R_OK):
        return FileKind("foreign", f"{path} cannot be read (permission denied)")
    plain = state == "plain"
    keyed = _opened_with(path, key) if state == "encrypted" else None
    encrypted = keyed is not None
    if not plain and not encrypted:
        if state == "encrypted":  # binary, page-sized: an encrypted database, by its looks
            opens = ("the database's key does not open it" if key is not None
                     else "this database is not encrypted, so it has no key to open it")
            return FileKind("foreign", f"{path.name} looks like an encrypted database, and "
                                       f"{opens}")
        if is_json_export(path):
            return FileKind("foreign", f"{path.name} is a JSON export, not a database: load "
                                       "it into a new database with planner --db NEW.db import "
                                       f"'{path}'")
        return FileKind(
            "foreign",
            f"{path.name} is not a Mentorship Planner database (not a SQLite file)",
        )
    try:
        conn = keyed if keyed is not None else _connect_readonly(path)
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "planner_meta" not in tables:
                what = "an empty SQLite database" if not tables else "another program's database"
                return FileKind(
                    "foreign", f"{path.name} is {what}, not a Mentorship Planner database"
                )
            altered = schema_problem(conn, path.name)  # before anything else is read
            if altered:
                return FileKind("altered", altered)
            meta = dict(conn.execute("SELECT key, value FROM planner_meta").fetchall())
            if meta.get("app") != migrations.APP_MARKER:
                return FileKind(
                    "foreign",
                    f"{path.name} is not a Mentorship Planner database (no app marker)",
                )
            version = int(meta.get("schema_version") or 0)
            missing = {
                model._meta.table_name
                for _, model in DATA_TABLES
                if ADDED_IN.get(model, 1) <= version
            } - tables
            if version >= 1 and missing:
                return FileKind(
                    "damaged", f"{path.name} lacks the table(s) {', '.join(sorted(missing))}"
                )
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                return FileKind("damaged", f"{path.name} is damaged ({check})", version)
        finally:
            conn.close()
    except (sqlite3.DatabaseError, _cipher_error(), ValueError, DatabaseProblem) as exc:
        if classify(exc) is Failure.LOCKED:  # not damaged: restoring over it lost its writes
            return FileKind("busy", f"{path.name} is in use: another program keeps it locked")
        return FileKind("damaged", f"{path.name} cannot be read ({exc}); it may be damaged")
    return FileKind("planner", "", version, encrypted)


def altered_schema(path: Path, key: str | None = None, label: str | None = None) -> str | None:
    """Why the schema of the file ``path`` is not one this app makes (None if it is);
    read-only. ``label`` names the file in the sentence (default: its name)."""
    label = label or Path(path).name
    try:
        conn = _connect_readonly(Path(path), key)
        try:
            return schema_problem(conn, label)
        finally:
            conn.close()
    except (sqlite3.DatabaseError, _cipher_error()) as exc:
        return f"{label} cannot be read ({exc}); it may be damaged"


def check_restorable(path: Path, key: str | None = None) -> int:
    """The schema version of a backup that this app can restore; DatabaseProblem otherwise."""
    found = classify_file(path, key)
    if found.kind == "missing":
        raise DatabaseProblem(f"cannot restore: {found.message}")
    if found.kind == "empty":
        raise DatabaseProblem(f"cannot restore: {found.message}, not a backup")
    if found.kind != "planner":
        raise DatabaseProblem(f"cannot restore: {found.message}; nothing was changed")
    if found.schema_version < 1:
        raise DatabaseProblem(
            f"cannot restore: {Path(path).name} is a Mentorship Planner database with no "
            "tables yet; nothing was changed"
        )
    if found.schema_version > migrations.LATEST:
        raise DatabaseProblem(
            f"cannot restore: {Path(path).name} was made by a newer version of Mentorship "
            f"Planner (schema {found.schema_version}, this version knows up to "
            f"{migrations.LATEST}); update the app first. Nothing was changed"
        )
    return found.schema_version


_SAME = object()


def copy_database(source: Path, dest: Path, key: str | None = None, dest_key=_SAME) -> None:
    """A consistent, owner-only, fsynced copy of the SQLite file ``source`` at ``dest``.

    Uses SQLite's backup API (so a -wal beside ``source`` is folded in) and
    leaves ``dest`` in rollback-journal mode with no sidecar files. ``key``
    opens an encrypted ``source``; the copy gets ``dest_key`` (default: the
    same key), through a verified SQLCipher export when the keys differ.
    """
    from planner.storage.sqlite.backup import backup_to

    if dest_key is _SAME:
        dest_key = key
    if dest_key != key:
        from planner.storage.sqlite.encryption import copy_file

        copy_file(source, key, dest, dest_key)
        return
    conn = _connect_readonly(source, key)
    try:
        backup_to(conn, dest, key)
    finally:
        conn.close()
    fsync_file(dest)


def fsync_file(path: Path) -> None:
    """Flush a file this process holds no connection to (a copy, a backup, an export)."""
    from planner.storage.sqlite import live_files

    live_files.require_closed(path, "flush it to disk")  # closing the fd would drop locks
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (a no-op where folders cannot be opened)."""
    from planner.storage.atomic_file import fsync_folder

    fsync_folder(path)


def sidecar_files(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal")]


def advance_sequences(models) -> None:
    """After rows were inserted with their own ids, make a team database's id sequences
    continue after the largest id (else the next insert collides). A file needs nothing.

    ``nextval`` (which a planner user may call), never ``setval`` (which needs more
    rights): a sequence only ever moves forward.
    """
    from peewee import AutoField, PostgresqlDatabase

    from planner.storage.models import db_proxy

    db = db_proxy.obj
    if not isinstance(db, PostgresqlDatabase):
        return
    for model in models:
        if not isinstance(model._meta.primary_key, AutoField):
            continue
        table = model._meta.table_name
        top = db.execute_sql(f'SELECT max(id) FROM "{table}"').fetchone()[0]
        if top is None:
            continue
        sequence = db.execute_sql("SELECT pg_get_serial_sequence(%s, 'id')", (table,)).fetchone()[0]
        if sequence is None:
            continue
        # (team schema 10 moves it along as each row goes in: nothing is left to do then,
        # and an id taken for nothing would be a gap before the next person)
        last = db.execute_sql("SELECT pg_sequence_last_value(%s::regclass)",
                              (sequence,)).fetchone()[0] or 0
        if last < top:
            db.execute_sql("SELECT max(nextval(%s)) FROM generate_series(1, %s)",
                           (sequence, top - last))
