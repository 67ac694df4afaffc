"""Importing people from vCard and CSV files, without touching the database.

``parse_file`` is the one entry point the services need: it recognises the
format from the content, reads it, and returns a :class:`ParseResult` for the
import preview. Everything here is pure (no Qt, no peewee), so it can run in
a worker thread and be tested on its own.
"""

from __future__ import annotations

from pathlib import Path

from planner.importers.csv_formats import csv_columns, detect_format, parse_csv
from planner.importers.csv_specs import MAPPING_FIELDS, guess_mapping
from planner.importers.jcard import parse_jcards
from planner.importers.records import (
    Cancelled,
    ImportedContact,
    ImportProblem,
    ParseResult,
    Progress,
    ShouldCancel,
)
from planner.importers.user_file import MAX_FILE_BYTES, read_user_file
from planner.importers.vcard import parse_vcards

__all__ = [
    "MAPPING_FIELDS",
    "Cancelled",
    "ImportProblem",
    "ImportedContact",
    "ParseResult",
    "csv_columns",
    "detect_format",
    "guess_mapping",
    "parse_csv",
    "parse_file",
    "parse_vcards",
]


def parse_file(
    path_or_bytes: str | Path | bytes,
    fmt: str = "auto",
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
    encoding: str | None = None,
) -> ParseResult:
    """Read contacts from a file path or its bytes; ``fmt`` "auto" detects the format.

    ``encoding`` overrides what the file's encoding was found to be.
    """
    data, filename = _read(path_or_bytes)
    if fmt == "auto":
        fmt = detect_format(data, filename, encoding)
    if fmt == "jcard":
        return parse_jcards(data, progress=progress, should_cancel=should_cancel)
    if fmt == "vcard":
        return parse_vcards(data, progress=progress, should_cancel=should_cancel,
                            encoding=encoding)
    return parse_csv(data, fmt, mapping, progress=progress, should_cancel=should_cancel,
                     encoding=encoding)


def _read(path_or_bytes: str | Path | bytes) -> tuple[bytes, str]:
    if isinstance(path_or_bytes, bytes | bytearray | memoryview):
        return bytes(path_or_bytes), ""
    path = Path(path_or_bytes)
    return read_user_file(path, MAX_FILE_BYTES, "contact export"), path.name
