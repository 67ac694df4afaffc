"""Importing people: a preview first, then one all-or-nothing transaction.

:func:`preview_import` reads a vCard or CSV file (``planner.importers``) and
sorts every entry into *new*, *duplicate* or *invalid*, without writing.
:func:`apply_import` then stores the preview as the user decided:

* **Duplicates** are matched against the people in the database (not the
  trash) and against earlier entries of the same file: by email first (any of
  the person's addresses, ignoring case), then by normalised name (case,
  accents and spacing ignored). ``on_duplicate`` is ``skip`` (leave them),
  ``merge`` (fill the existing person's empty fields) or ``add`` (store them as
  separate people).
* **Merge** never overwrites a non-empty field: empty email, organisation,
  title, birthday, notes and time zone are filled; phones, tags and handles are
  united (an existing handle for a service is kept). A person has one primary
  email; further addresses are kept as handles ``email-2``, ``email-3``…, which
  duplicate matching also reads.
* People arrive **unplaced**. The whole import is one transaction: an error or
  a cancel (``should_cancel()`` returning True raises :class:`Cancelled`)
  leaves the database exactly as it was. A ``pre-import`` backup is made in
  ``backups/`` beside the database first.

Threads: peewee connections are per thread. A worker thread running either
function must open its own connection, e.g. ``with db_proxy.connection_context():``
around the call (that closes it again afterwards); only the GUI thread touches
widgets, so ``progress`` and ``should_cancel`` must be thread-safe.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from peewee import SqliteDatabase

from planner.domain.contact import normalised_name
from planner.domain.errors import InvalidInput, PlannerError
from planner.importers import (
    Cancelled,
    ImportedContact,
    ImportProblem,
    ParseResult,
    detect_format,
    parse_file,
)
from planner.importers import _read as read_input
from planner.importers.csv_formats import csv_entries
from planner.importers.records import Entry, Progress, ShouldCancel
from planner.services.contacts import clean_fields
from planner.services.exporting import import_json, is_json_dump
from planner.services.import_rows import DUPLICATE, INVALID, NEW, PreviewRow
from planner.services.import_writer import (
    CHECK_EVERY,
    Writer,
    _add_email,
    _emails,
)
from planner.storage.models import ContactRow, db_proxy

__all__ = [
    "DUPLICATE_CHOICES",
    "FORMATS",
    "Cancelled",
    "ImportPreview",
    "ImportSummary",
    "PreviewRow",
    "apply_import",
    "detect_kind",
    "import_json",
    "preview_import",
]

FORMATS = ("auto", "vcard", "google", "outlook", "linkedin", "csv")
DUPLICATE_CHOICES = ("skip", "merge", "add")
_WHERE = re.compile(r"^(card|line) (\d+)")


@dataclass
class ImportPreview:
    rows: list[PreviewRow]
    format: str  # vcard, google, outlook, linkedin or csv
    source: str = ""  # the file name, if there was one
    problems: list[ImportProblem] = field(default_factory=list)  # every property left out

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def new(self) -> int:
        return self.count(NEW)

    @property
    def duplicates(self) -> int:
        return self.count(DUPLICATE)

    @property
    def invalid(self) -> int:
        return self.count(INVALID)

    def summary(self) -> str:
        return f"{self.new} new, {plural(self.duplicates, 'duplicate')}, {self.invalid} invalid"

    def problem_lines(self) -> list[str]:
        """Invalid entries and left-out properties, in file order, one line each."""
        lines = []
        for row in self.rows:
            if row.status == INVALID:
                lines.append(f"{row.where}: {row.reason}")
            lines.extend(problem_text(p) for p in row.problems)
        return lines

    def duplicate_lines(self) -> list[str]:
        return [f"{r.where}: {r.name} — {r.reason}" for r in self.rows if r.status == DUPLICATE]


@dataclass
class ImportSummary:
    """What an import did. ``merged`` counts duplicate entries merged into someone;
    ``merged_ids`` lists the stored people that actually gained something."""

    added: int = 0
    merged: int = 0
    skipped: int = 0
    invalid: int = 0
    problems: list[str] = field(default_factory=list)  # invalid entries, left-out properties
    added_ids: list[int] = field(default_factory=list)
    merged_ids: list[int] = field(default_factory=list)
    backup: Path | None = None  # the pre-import copy

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.merged} merged, {self.skipped} skipped, "
            f"{self.invalid} invalid"
        )


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def problem_text(problem: ImportProblem) -> str:
    if problem.field:
        return f"{problem.where}: {problem.field}: {problem.message}"
    return f"{problem.where}: {problem.message}"


# -------------------------------------------------------------------- preview


def detect_kind(data_or_path: str | Path | bytes) -> str:
    """``json`` for a full export, else the contact format (vcard, google, … csv)."""
    data, name = read_input(data_or_path)
    if is_json_dump(data):
        return "json"
    return detect_format(data, name)


def preview_import(
    data_or_path: str | Path | bytes,
    fmt: str = "auto",
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> ImportPreview:
    """Read the file and sort its entries into new, duplicate and invalid; write nothing.

    Malformed files raise :class:`InvalidInput` with one line saying why.
    """
    if fmt == "json":
        raise InvalidInput("a full JSON export is restored with import_json, not previewed")
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown import format {fmt!r}: use {', '.join(FORMATS)}")
    data, name = read_input(data_or_path)
    if fmt == "auto" and is_json_dump(data):
        raise InvalidInput(
            "this is a full JSON export, not an address book: import it into an empty "
            "database with 'planner import FILE --format json'"
        )
    if fmt == "auto":
        fmt = detect_format(data, name)
    if fmt == "vcard":
        parsed = parse_file(data, fmt, mapping, progress, should_cancel)
        return classify(parsed, source=name, should_cancel=should_cancel)
    kind, entries = csv_entries(data, fmt, mapping, progress=progress,
                                should_cancel=should_cancel)
    del data  # the rows are read from the decoded text, one at a time
    return _classify(entries, kind, name, should_cancel)


def classify(
    parsed: ParseResult, source: str = "", should_cancel: ShouldCancel | None = None
) -> ImportPreview:
    """Sort parsed people against the open database and against each other."""
    return _classify(_ordered_entries(parsed), parsed.format, source, should_cancel)


def _ordered_entries(parsed: ParseResult) -> list[Entry]:
    """A whole file's people and invalid entries, in file order, each with its problems."""
    by_entry = _problems_by_entry(parsed.problems)
    entries: list[tuple[int, Entry]] = []
    for contact in parsed.contacts:
        problems = by_entry.get(_entry_key(contact.source), ())
        entries.append((_entry_order(contact.source, contact.line), Entry(contact, None, problems)))
    for bad in parsed.invalid:
        problems = [p for p in by_entry.get(_entry_key(bad.where), []) if p is not bad]
        entries.append((_entry_order(bad.where, 0), Entry(None, bad, problems)))
    entries.sort(key=lambda pair: pair[0])  # stable: file order
    return [entry for _, entry in entries]


def _classify(
    entries: Iterable[Entry], fmt: str, source: str, should_cancel: ShouldCancel | None
) -> ImportPreview:
    """Each entry becomes a compact :class:`PreviewRow` as it is read (the parsed person
    is not kept), placed against the database and the earlier rows of the file."""
    rows: list[PreviewRow] = []
    index = _Index.from_database(rows)
    problems: list[ImportProblem] = []
    for i, entry in enumerate(entries):
        if should_cancel is not None and i % CHECK_EVERY == 0 and should_cancel():
            raise Cancelled("the import was cancelled")
        problems.extend(entry.problems)
        contact = entry.contact
        if contact is None:
            bad = entry.invalid or ImportProblem("", "", "unreadable")
            rows.append(PreviewRow(i, INVALID, bad.where, reason=bad.message,
                                   problems=entry.problems or ()))
            continue
        row = PreviewRow(i, NEW, contact.source, contact.name, contact.email,
                         problems=entry.problems or ())
        rows.append(row)
        try:
            values = contact_values(contact)
        except InvalidInput as exc:
            row.status, row.reason = INVALID, str(exc)
            continue
        row.values = values
        if values.get("name") == contact.name and values.get("email", "") == contact.email:
            row.name = row.email = None  # the same text is in ``values``: kept once
        index.place(row, values)
    return ImportPreview(rows, fmt, source, problems)


def contact_values(contact: ImportedContact) -> dict:
    """The person's storable fields, checked by the same rules as typing them in."""
    handles = dict(contact.handles)
    values = {
        "name": contact.name,
        "email": contact.email,
        "phones": list(contact.phones),
        "handles": handles,
        "organization": contact.organization,
        "title": contact.title,
        "birthday": contact.birthday.iso() if contact.birthday else "",
        "notes": contact.notes,
        "tags": list(contact.tags),
    }
    for extra in contact.emails[1:]:
        _add_email(values, extra)
    return clean_fields(values)


class _KeyMap:
    """``dict[str, int]`` semantics (``get``, ``setdefault``) at a fraction of the memory.

    A file's key is stored as its hash → the row that brought it; a hit is confirmed
    against that row's own keys (``keys_of``) and answers that row's target (itself, or
    what it duplicates). A different key with the same hash goes to ``exact``, so a
    collision never makes or hides a duplicate. The database's keys (few) are exact.
    """

    def __init__(self, rows: list[PreviewRow], keys_of):
        self.rows = rows
        self.by_hash: dict[int, int] = {}
        self.exact: dict[str, int] = {}
        self.keys_of = keys_of  # a row's values → its keys

    def _owns(self, row: int, key: str) -> bool:
        return key in self.keys_of(self.rows[row].values or {})

    def _target(self, row: int) -> int:
        found = self.rows[row]
        if found.status != DUPLICATE:
            return row
        return found.match_row if found.match_row is not None else -(found.match_id or 0)

    def get(self, key: str) -> int | None:
        if key in self.exact:
            return self.exact[key]
        row = self.by_hash.get(hash(key))
        return self._target(row) if row is not None and self._owns(row, key) else None

    def setdefault(self, key: str, row: int) -> None:
        """``key`` of file row ``row`` (placed already) points at that row's target."""
        if key in self.exact:
            return
        owner = self.by_hash.setdefault(hash(key), row)
        if owner != row and not self._owns(owner, key):
            self.exact[key] = self._target(row)  # another key with the same hash


class _Index:
    """Email and name keys → who they belong to: a row of the file (its index, 0 or
    more) or a person in the database (minus their id), as plain ints to keep it small."""

    def __init__(self, rows: list[PreviewRow]):
        self.rows = rows
        self.emails = _KeyMap(rows, _email_keys)
        self.names = _KeyMap(rows, lambda values: {normalised_name(values["name"])})
        self.db_names: dict[int, str] = {}

    @classmethod
    def from_database(cls, rows: list[PreviewRow]) -> _Index:
        index = cls(rows)
        query = (
            ContactRow.select(ContactRow.id, ContactRow.name, ContactRow.email, ContactRow.handles)
            .where(ContactRow.deleted_at.is_null())
            .order_by(ContactRow.id)
        )
        for cid, name, email, handles in query.tuples():
            index.db_names[cid] = name
            for key in _email_keys({"email": email, "handles": handles}):
                index.emails.exact.setdefault(key, -cid)
            index.names.exact.setdefault(normalised_name(name), -cid)
        return index

    def place(self, row: PreviewRow, values: dict) -> None:
        keys = _email_keys(values)
        name_key = normalised_name(values["name"])
        target, how = None, ""
        for key in keys:
            target = self.emails.get(key)
            if target is not None:
                how = "email"
                break
        if target is None:
            target = self.names.get(name_key)
            how = "name" if target is not None else ""
        if target is not None:
            row.status, row.matched_by = DUPLICATE, how
            if target < 0:
                row.match_id, row.match_name = -target, self.db_names[-target]
                row.reason = f"same {how} as #{-target} {row.match_name}"
            else:
                row.match_row, row.match_name = target, self.rows[target].where
                row.reason = f"same {how} as {row.match_name} in this file"
        for key in keys:
            self.emails.setdefault(key, row.index)
        self.names.setdefault(name_key, row.index)


def _email_keys(values: dict) -> list[str]:
    return [address.casefold() for address in _emails(values)]


def _entry_key(where: str) -> tuple[str, int] | None:
    found = _WHERE.match(where)
    return (found.group(1), int(found.group(2))) if found else None


def _entry_order(where: str, line: int) -> int:
    key = _entry_key(where)
    return key[1] if key else line


def _problems_by_entry(problems: list[ImportProblem]) -> dict:
    out: dict = {}
    for problem in problems:
        out.setdefault(_entry_key(problem.where), []).append(problem)
    return out


# ---------------------------------------------------------------------- apply


def apply_import(
    preview: ImportPreview,
    on_duplicate: str = "skip",
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
    *,
    backup: bool = True,
) -> ImportSummary:
    """Store the preview in one transaction; a failure or cancel writes nothing.

    ``progress(done, total)`` is called about every 500 rows written;
    ``should_cancel()`` is polled as often and raises :class:`Cancelled`.
    """
    if on_duplicate not in DUPLICATE_CHOICES:
        raise InvalidInput(
            f"unknown choice for duplicates {on_duplicate!r}: use {', '.join(DUPLICATE_CHOICES)}"
        )
    summary = ImportSummary(problems=preview.problem_lines())

    def check() -> None:
        if should_cancel is not None and should_cancel():
            raise Cancelled("the import was cancelled")

    check()
    if backup:
        summary.backup = _backup_before_import()
    stamp = datetime.now(UTC)
    with _write_transaction():
        writer = Writer(preview, on_duplicate, summary, stamp, check, progress)
        writer.run()
        check()  # the last chance to cancel: after this the import is committed
    summary.added_ids = [cid for _, cid in sorted(writer.added)]
    summary.merged_ids = list(writer.updates)
    return summary


def _backup_before_import() -> Path | None:
    from planner.services.backups import backup_now

    db = db_proxy.obj
    if not isinstance(db, SqliteDatabase) or db.database in ("", ":memory:"):
        return None
    try:
        return backup_now(reason="pre-import")
    except PlannerError as exc:
        raise InvalidInput(
            f"the backup before importing failed, so nothing was imported: {exc}"
        ) from None


def _write_transaction():
    """A write transaction taken at once (SQLite IMMEDIATE), or a savepoint inside one."""
    db = db_proxy.obj
    if isinstance(db, SqliteDatabase) and db.transaction_depth() == 0:
        return db.atomic(lock_type="IMMEDIATE")
    return db_proxy.atomic()
