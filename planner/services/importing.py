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

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from peewee import SqliteDatabase

from planner.domain.contact import clean_list, normalised_name
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
from planner.storage import dump
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
NEW, DUPLICATE, INVALID = "new", "duplicate", "invalid"
CHUNK = 500  # rows written between progress reports and cancel checks
CHECK_EVERY = 100  # rows between cancel checks while sorting and merging
_EXTRA_EMAIL = re.compile(r"^email-(\d+)$")
_WHERE = re.compile(r"^(card|line) (\d+)")
_FILL = ("email", "organization", "title", "birthday", "notes", "timezone")


_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}  # one shared tuple per set of field names


class PreviewRow:
    """One entry of the file as the preview table shows it.

    Slots, and the cleaned fields kept as one compact JSON array (``values``
    decodes them; ``name`` and ``email`` come from them too), so that the
    preview of a million-row file stays a few hundred bytes a row.
    """

    __slots__ = (
        "_email",
        "_keys",
        "_name",
        "_values",
        "contact",
        "index",
        "match_id",
        "match_name",
        "match_row",
        "matched_by",
        "problems",
        "reason",
        "status",
        "where",
    )

    def __init__(
        self,
        index: int,  # position in ``ImportPreview.rows``
        status: str,  # "new", "duplicate" or "invalid"
        where: str,  # "card 3 (line 17)" or "line 12"
        name: str | None = "",  # None: the cleaned name in ``values``
        email: str | None = "",
        reason: str = "",  # why it is a duplicate or invalid, for people
        matched_by: str = "",  # "email" or "name" for duplicates
        match_id: int | None = None,  # the person in the database it duplicates
        match_row: int | None = None,  # or the earlier (new) row of this file it duplicates
        match_name: str = "",
        contact: ImportedContact | None = None,  # not kept by preview_import (memory)
        values: dict | None = None,  # cleaned contact fields, ready to store
        problems: list[ImportProblem] | tuple = (),  # properties left out
    ):
        self.index, self.status, self.where = index, status, where
        self._name, self._email, self.reason = name, email, reason
        self.matched_by, self.match_id, self.match_row = matched_by, match_id, match_row
        self.match_name, self.contact, self.problems = match_name, contact, problems
        self.values = values

    @property
    def values(self) -> dict | None:
        if self._values is None:
            return None
        return dict(zip(self._keys, json.loads(self._values), strict=True))

    @values.setter
    def values(self, values: dict | None) -> None:
        if values is None:
            self._keys = self._values = None
            return
        keys = tuple(values)
        self._keys = _KEYS.setdefault(keys, keys)
        self._values = json.dumps(list(values.values()), ensure_ascii=False)

    @property
    def name(self) -> str:
        return self._name if self._name is not None else (self.values or {}).get("name", "")

    @name.setter
    def name(self, name: str | None) -> None:
        self._name = name

    @property
    def email(self) -> str:
        return self._email if self._email is not None else (self.values or {}).get("email", "")

    @email.setter
    def email(self, email: str | None) -> None:
        self._email = email

    def __repr__(self) -> str:
        return f"PreviewRow({self.index}, {self.status!r}, {self.where!r}, {self.name!r})"


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
    index = _Index.from_database()
    rows: list[PreviewRow] = []
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
        index.place(row, rows, values)
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


def _key(text: str) -> str:
    """Case-folded, sharing the string when it already is (a million keys)."""
    folded = text.casefold()
    return text if folded == text else folded


class _Index:
    """Email and name keys → who they belong to: a row of the file (its index, 0 or
    more) or a person in the database (minus their id), as plain ints to keep it small."""

    def __init__(self):
        self.emails: dict[str, int] = {}
        self.names: dict[str, int] = {}
        self.db_names: dict[int, str] = {}

    @classmethod
    def from_database(cls) -> _Index:
        index = cls()
        query = (
            ContactRow.select(ContactRow.id, ContactRow.name, ContactRow.email, ContactRow.handles)
            .where(ContactRow.deleted_at.is_null())
            .order_by(ContactRow.id)
        )
        for cid, name, email, handles in query.tuples():
            index.db_names[cid] = name
            for address in _emails({"email": email, "handles": handles}):
                index.emails.setdefault(_key(address), -cid)
            index.names.setdefault(normalised_name(name), -cid)
        return index

    def place(self, row: PreviewRow, rows: list[PreviewRow], values: dict) -> None:
        keys = [_key(address) for address in _emails(values)]
        name_key = normalised_name(values["name"])
        target, how = None, ""
        for key in keys:
            if key in self.emails:
                target, how = self.emails[key], "email"
                break
        if target is None and name_key in self.names:
            target, how = self.names[name_key], "name"
        if target is None:
            target = row.index
        else:
            row.status, row.matched_by = DUPLICATE, how
            if target < 0:
                row.match_id, row.match_name = -target, self.db_names[-target]
                row.reason = f"same {how} as #{-target} {row.match_name}"
            else:
                row.match_row, row.match_name = target, rows[target].where
                row.reason = f"same {how} as {row.match_name} in this file"
        for key in keys:
            self.emails.setdefault(key, target)
        self.names.setdefault(name_key, target)


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
        writer = _Writer(preview, on_duplicate, summary, stamp, check, progress)
        writer.run()
        check()  # the last chance to cancel: after this the import is committed
    summary.added_ids = [cid for _, cid in sorted(writer.added)]
    summary.merged_ids = list(writer.updates)
    return summary


class _Writer:
    """Stores a preview 500 rows at a time (inside the caller's transaction).

    New people are inserted as they come, so a million-row import never holds a
    million row dicts; only the new rows that later rows of the same file merge
    into are kept back until the end.
    """

    def __init__(self, preview, on_duplicate, summary, stamp, check, progress):
        self.preview, self.on_duplicate, self.summary = preview, on_duplicate, summary
        self.stamp, self.check, self.progress = stamp, check, progress
        self.next_id = dump.next_id(ContactRow)
        merging = on_duplicate == "merge"
        self.targets = _merge_targets(preview) if merging else {}
        self.current = {cid: dict(values) for cid, values in self.targets.items()}
        self.kept = {r.match_row for r in preview.rows
                     if merging and r.status == DUPLICATE and r.match_row is not None}
        self.pending: dict[int, dict] = {}  # kept rows, by preview index
        self.batch: list[tuple[int, dict]] = []
        self.added: list[tuple[int, int]] = []  # (preview index, new id)
        self.updates: dict[int, dict] = {}
        self.done = 0
        self.total = sum(1 for r in preview.rows if r.status != INVALID) if on_duplicate == "add" \
            else preview.new + (preview.duplicates if merging else 0)

    def run(self) -> None:
        if self.progress is not None:
            self.progress(0, self.total)
        on_duplicate, summary = self.on_duplicate, self.summary
        for row in self.preview.rows:
            if row.index % CHECK_EVERY == 0:
                self.check()
            if row.status == INVALID:
                summary.invalid += 1
            elif row.status == NEW or on_duplicate == "add":
                self.add(row)
            elif on_duplicate == "skip":
                summary.skipped += 1
            elif row.match_row is not None and row.match_row in self.pending:
                merge_into(self.pending[row.match_row], row.values or {})
                summary.merged += 1
                self.step(1)
            elif row.match_id is not None and row.match_id in self.current:
                merge_into(self.current[row.match_id], row.values or {})
                summary.merged += 1
                self.step(1)
            else:  # the person it matched was removed since the preview
                summary.problems.append(f"{row.where}: the matching person is gone; added instead")
                self.add(row)
        self.flush()
        self.batch = list(self.pending.items())
        self.flush()
        self.write_merges()

    def add(self, row: PreviewRow) -> None:
        values = dict(row.values or {})
        values["handles"] = dict(values.get("handles", {}))
        new = {"id": self.next_id, **values, "created_at": self.stamp, "updated_at": self.stamp}
        self.next_id += 1
        self.summary.added += 1
        if row.index in self.kept:
            self.pending[row.index] = new
            return
        self.batch.append((row.index, new))
        if len(self.batch) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        self.check()
        rows = [new for _, new in self.batch]
        dump.take_ids_from_sequence(ContactRow, rows)
        dump.bulk_insert(ContactRow, rows)
        self.added.extend((index, new["id"]) for index, new in self.batch)
        self.batch = []
        self.step(len(rows))

    def step(self, count: int) -> None:
        before, self.done = self.done, self.done + count
        if self.progress is not None and (before // CHUNK != self.done // CHUNK
                                          or self.done == self.total):
            self.progress(self.done, self.total)

    def write_merges(self) -> None:
        for cid, values in self.current.items():
            changes = {k: v for k, v in values.items() if v != self.targets[cid][k]}
            if changes:
                self.updates[cid] = changes
        for n, (cid, changes) in enumerate(self.updates.items(), 1):
            if n % CHUNK == 0:
                self.check()
            (
                ContactRow.update(updated_at=self.stamp, version=ContactRow.version + 1, **changes)
                .where(ContactRow.id == cid)
                .execute()
            )


def _merge_targets(preview: ImportPreview) -> dict[int, dict]:
    """The mergeable fields of the people the duplicates point at (still alive)."""
    ids = sorted({r.match_id for r in preview.rows if r.match_id is not None})
    fields = [getattr(ContactRow, name) for name in ("id", *_MERGED)]
    out: dict[int, dict] = {}
    for start in range(0, len(ids), CHUNK):
        query = ContactRow.select(*fields).where(
            ContactRow.id.in_(ids[start : start + CHUNK]), ContactRow.deleted_at.is_null()
        )
        for values in query.dicts():
            out[values.pop("id")] = values
    return out


_MERGED = ("email", "phones", "handles", "tags", *_FILL[1:])


def merge_into(existing: dict, incoming: dict) -> None:
    """Fill ``existing`` (field → value) from ``incoming`` without overwriting anything."""
    for key in _FILL:
        if key != "email" and not existing.get(key) and incoming.get(key):
            existing[key] = incoming[key]
    for key in ("phones", "tags"):
        united = list(clean_list([*existing.get(key, []), *incoming.get(key, [])], key))
        if len(united) != len(existing.get(key, [])):
            existing[key] = united
    handles = dict(existing.get("handles") or {})
    for service, value in (incoming.get("handles") or {}).items():
        if not _EXTRA_EMAIL.match(service):
            handles.setdefault(service, value)
    existing["handles"] = handles
    for address in _emails(incoming):
        _add_email(existing, address)


def _emails(values: dict) -> list[str]:
    """A person's addresses: the primary one, then the ``email-N`` handles in order."""
    extra = sorted(
        (int(m.group(1)), address)
        for service, address in (values.get("handles") or {}).items()
        if (m := _EXTRA_EMAIL.match(service)) and address
    )
    primary = [values["email"]] if values.get("email") else []
    return primary + [address for _, address in extra]


def _add_email(values: dict, address: str) -> None:
    """Give the person ``address`` unless they have it: as primary if empty, else ``email-N``."""
    if not address or address.casefold() in {a.casefold() for a in _emails(values)}:
        return
    if not values.get("email"):
        values["email"] = address
        return
    handles = values.setdefault("handles", {})
    n = 2
    while f"email-{n}" in handles:
        n += 1
    handles[f"email-{n}"] = address


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
