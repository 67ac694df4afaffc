"""The full JSON dump's tables as storage holds them (:mod:`planner.services.exporting`
writes and reads the dump itself): each table's columns and what kind of value each
is, every row of a table, the settings as stored, and the restore's writing.

The tables and their order are :data:`planner.storage.dump.DATA_TABLES`. Imported by
the export service only (an export or a restore, never a window's start). Nothing
here opens a transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, TypeAlias, cast

from peewee import (
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    DatabaseError,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    Model,
    TextField,
)

from planner.storage import migrations
from planner.storage.dump import bulk_insert
from planner.storage.failures import Failure, classify
from planner.storage.fields import JSONField, UTCDateTimeField
from planner.storage.models import SettingRow

if TYPE_CHECKING:
    from planner.storage.backend import Backend

#: A table of the dump (a model of :data:`planner.storage.dump.DATA_TABLES`)
Table: TypeAlias = type[Model]

# What a column holds, as the dump writes it (:attr:`Column.kind`)
TIME = "time"  # an aware UTC datetime
JSON = "json"  # a list or a map (of text)
BOOL = "bool"
BLOB = "blob"  # bytes
INT = "int"  # a whole number (an id, a foreign key)
TEXT = "text"


@dataclass(frozen=True)
class Column:
    """One column of a table, in the table's order."""

    name: str  # the model's name for it (a foreign key: "contact")
    column: str  # as stored, and as the dump names it ("contact_id")
    kind: str | None  # TIME, JSON…; None: a column type the dump has no rule for yet
    null: bool  # whether it may hold NULL
    empty: Any  # a JSON column's empty value (list or dict), else None
    field: Any  # the field itself (named in a message about a column with no rule)


def _kind(field) -> str | None:
    if isinstance(field, UTCDateTimeField):
        return TIME
    if isinstance(field, JSONField):
        return JSON
    if isinstance(field, BooleanField):
        return BOOL
    if isinstance(field, BlobField):
        return BLOB
    if isinstance(field, AutoField | IntegerField | ForeignKeyField):
        return INT
    if isinstance(field, CharField | TextField):
        return TEXT
    return None


@cache
def columns(model: Table) -> tuple[Column, ...]:
    """The table's columns in their stored order (the order of :func:`all_rows`' values)."""
    return tuple(
        Column(f.name, f.column_name, _kind(f), bool(f.null),
               f._empty() if isinstance(f, JSONField) else None, f)
        for f in model._meta.sorted_fields
    )


def all_rows(model: Table) -> Iterable[tuple]:
    """Every row of the table as a tuple of :func:`columns`' values, by primary key."""
    fields = model._meta.sorted_fields
    rows = model.select(*fields).order_by(model._meta.primary_key).tuples()
    return cast("Iterable[tuple]", rows)  # rows as tuples


def schema_version(store: Backend) -> int:
    """The schema version of the open database (what the dump's header records)."""
    return migrations.read_version(store.db)


def setting_texts() -> Iterable[tuple[str, str]]:
    """(key, value as stored: JSON text, or whatever another writer left) of each setting."""
    rows = SettingRow.select(SettingRow.key, SettingRow.value).tuples()
    return cast("Iterable[tuple[str, str]]", rows)


class RowsRefused(Exception):
    """The database would not take a restore's rows: a constraint (``integrity``: a
    foreign key, a duplicate… see ``failure``), or the rows of another planner user on a
    team database (not ``integrity``: PERMISSION_DENIED). ``str()``: the database's text."""

    def __init__(self, text: str, failure: Failure, *, integrity: bool):
        super().__init__(text)
        self.failure = failure
        self.integrity = integrity


def write_all(tables: Sequence[tuple[Table, list[dict]]]) -> None:
    """A restore's writing, inside the caller's transaction: the settings table emptied,
    then each table's rows (field name → value, ids included) in the order given (parents
    first). RowsRefused when the database refuses them; the caller's transaction is then
    to be rolled back."""
    try:
        SettingRow.delete().execute()
        for model, rows in tables:
            bulk_insert(model, rows)
    except IntegrityError as exc:
        raise RowsRefused(str(exc), classify(exc), integrity=True) from exc
    except DatabaseError as exc:  # a team database: rows of another planner user
        if classify(exc) is not Failure.PERMISSION_DENIED:  # 42501, in any language
            raise
        raise RowsRefused(str(exc), Failure.PERMISSION_DENIED, integrity=False) from exc
