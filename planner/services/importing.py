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

Threads: connections are per thread. A worker thread running either function
opens its own and must close it afterwards: ``with worker_connection():``
(``planner.storage.threads``) around the call; only the GUI thread touches
widgets, so ``progress`` and ``should_cancel`` must be thread-safe.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

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
from planner.services.import_undo import ImportRecord
from planner.services.import_writer import (
    CHECK_EVERY,
    Writer,
    _add_email,
    _emails,
)
from planner.storage import contacts_repo

if TYPE_CHECKING:
    from planner.storage.backend import Backend

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

FORMATS = (
    "auto", "vcard", "jcard", "google", "outlook", "linkedin", "thunderbird", "roundcube", "csv",
)
DUPLICATE_CHOICES = ("skip", "merge", "add")
_WHERE = re.compile(r"^(card|line) (\d+)")


@dataclass
class ImportPreview:
    rows: list[PreviewRow]
    format: str  # vcard, jcard, google, outlook, linkedin, thunderbird, roundcube or csv
    source: str = ""  # the file name, if there was one
    problems: list[ImportProblem] = field(default_factory=list)  # every property left out
    encoding: str = ""  # how people name it ("Shift_JIS"); "" for vCard/jCard
    encoding_how: str = ""  # bom, utf-8, utf-16, detected or chosen
    notes: list[str] = field(default_factory=list)  # about the whole file: columns not kept…

    def encoding_text(self) -> str:
        """``Shift_JIS (detected)`` for the preview line; "" when the file has no one encoding."""
        if not self.encoding:
            return ""
        how = {"detected": "detected", "chosen": "chosen", "bom": "marked in the file"}
        return f"{self.encoding} ({how.get(self.encoding_how, 'checked')})"

    def encoding_warning(self) -> str:
        """A detected encoding is a guess, and the preview says so."""
        if self.encoding_how != "detected":
            return ""
        return (
            f"the file does not say its encoding: it was detected as {self.encoding}. "
            "If names look wrong, choose another encoding"
        )

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

    @property
    def left_out(self) -> int:
        """Values left out of the people imported (not what was only said: a person named
        after the phone number lost nothing)."""
        return sum(1 for problem in self.problems if problem.lost)

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
    merged: int = 0  # duplicates that brought something new
    unchanged: int = 0  # duplicates merged that had nothing to add
    skipped: int = 0
    invalid: int = 0
    problems: list[str] = field(default_factory=list)  # invalid entries, left-out properties
    left_out: int = 0  # of the properties in ``problems``, those lost (the rest: notes)
    added_ids: list[int] = field(default_factory=list)
    merged_ids: list[int] = field(default_factory=list)
    backup: Path | None = None  # the pre-import copy
    #: what was written, to take it back (the window's Undo: ``import_undo``)
    record: ImportRecord = field(default_factory=ImportRecord)

    def summary(self) -> str:
        unchanged = f", {self.unchanged} unchanged" if self.unchanged else ""
        return (
            f"{self.added} added, {self.merged} merged{unchanged}, {self.skipped} skipped, "
            f"{self.invalid} invalid"
        )


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def problem_text(problem: ImportProblem) -> str:
    """``card 2 (line 13): PHOTO: left out: the picture is damaged`` (the command line)."""
    return f"{problem.where}: {problem_words(problem)}"


def problem_words(problem: ImportProblem) -> str:
    """What happened to one property, in words, without where it is: the one wording of
    the command line's lines and the window's Reason column."""
    return f"{problem.field}: {problem.message}" if problem.field else problem.message


def reason_text(row: PreviewRow) -> str:
    """Why a preview row is a duplicate or invalid, and what happened to its properties,
    as the command line says it (the window's Reason column)."""
    return "; ".join(filter(None, [row.reason, *(problem_words(p) for p in row.problems)]))


# -------------------------------------------------------------------- preview


def detect_kind(data_or_path: str | Path | bytes, encoding: str | None = None) -> str:
    """``json`` for a full export, else the contact format (vcard, jcard, google, … csv)."""
    data, name = read_input(data_or_path)
    if is_json_dump(data):
        return "json"
    return detect_format(data, name, encoding)


def preview_import(
    data_or_path: str | Path | bytes,
    fmt: str = "auto",
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
    encoding: str | None = None,
    read_others: bool = False,
) -> ImportPreview:
    """Read the file and sort its entries into new, duplicate and invalid; write nothing.

    Malformed files raise :class:`InvalidInput` with one line saying why. ``encoding``
    is the user's choice over the detected one. ``read_others`` (a CSV ``mapping``): the
    mapped columns come first, and every other e-mail and phone column is read too, as
    without a mapping (see :func:`planner.importers.csv_formats.csv_entries`).
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
        fmt = detect_format(data, name, encoding)
    if fmt in ("vcard", "jcard"):
        parsed = parse_file(data, fmt, mapping, progress, should_cancel, encoding)
        return classify(parsed, source=name, should_cancel=should_cancel)
    read = csv_entries(data, fmt, mapping, progress=progress, should_cancel=should_cancel,
                       encoding=encoding, read_others=read_others)
    del data  # the rows are read from the decoded text, one at a time
    preview = _classify(read.entries, read.kind, name, should_cancel)
    preview.encoding, preview.encoding_how = read.encoding_label, read.encoding_how
    preview.notes = [*preview.notes, *read.notes]
    return preview


def classify(
    parsed: ParseResult, source: str = "", should_cancel: ShouldCancel | None = None
) -> ImportPreview:
    """Sort parsed people against the open database and against each other."""
    preview = _classify(_ordered_entries(parsed), parsed.format, source, should_cancel)
    preview.encoding, preview.encoding_how = parsed.encoding, parsed.encoding_how
    preview.notes = [*preview.notes, *parsed.notes]
    return preview


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
        row.photo = contact.photo or None
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
        "timezone": contact.timezone,
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
    """Email, profile and name keys → who they belong to: a row of the file (its index, 0
    or more) or a person in the database (minus their id), as plain ints to keep it small.

    Same e-mail is the same person; else the same profile (LinkedIn URL, GitHub handle…);
    else the same name, but only when nothing tells the two apart: different e-mails,
    profiles, companies or birthdays make different people who share a name. A match by
    e-mail or profile is refused too when e-mails or profiles differ, so a merge never
    joins two people whose addresses or profiles disagree.
    """

    def __init__(self, rows: list[PreviewRow]):
        self.rows = rows
        self.emails = _KeyMap(rows, _email_keys)
        self.profiles = _KeyMap(rows, _profile_keys)
        self.names: dict[int, int | list[int]] = {}  # hash of the name → rows / -ids
        self.db_names: dict[int, str] = {}
        self.db_facts: dict[int, dict] = {}  # id → what tells people apart

    @classmethod
    def from_database(cls, rows: list[PreviewRow]) -> _Index:
        index = cls(rows)
        people = contacts_repo.people_for_matching()
        for cid, name, email, handles, organization, birthday in people:
            index.db_names[cid] = name
            facts = {"name": name, "email": email, "handles": handles or {},
                     "organization": organization, "birthday": birthday}
            index.db_facts[cid] = facts
            for key in _email_keys(facts):
                index.emails.exact.setdefault(key, -cid)
            for key in _profile_keys(facts):
                index.profiles.exact.setdefault(key, -cid)
            index._add_name(normalised_name(name), -cid)
        return index

    def _facts(self, target: int) -> dict:
        return self.db_facts[-target] if target < 0 else (self.rows[target].values or {})

    def _add_name(self, key: str, target: int) -> None:
        slot = hash(key)
        found = self.names.get(slot)
        if found is None:
            self.names[slot] = target
        elif isinstance(found, list):
            found.append(target)
        else:
            self.names[slot] = [found, target]

    def _name_candidates(self, key: str) -> list[int]:
        found = self.names.get(hash(key))
        listed = [] if found is None else found if isinstance(found, list) else [found]
        return [t for t in listed if normalised_name(self._facts(t).get("name", "")) == key]

    def place(self, row: PreviewRow, values: dict) -> None:
        name_key = normalised_name(values["name"])
        target, how, apart = None, "", ""
        for keys, keymap, kind in ((_email_keys(values), self.emails, "email"),
                                   (_profile_keys(values), self.profiles, "profile")):
            for key in keys:
                found = keymap.get(key)
                if found is not None and not _apart(values, self._facts(found),
                                                    strict=False, emails=kind != "email"):
                    target, how = found, kind
                    break
            if target is not None:
                break
        if target is None:
            for candidate in self._name_candidates(name_key):
                why = _apart(values, self._facts(candidate), strict=True)
                if not why:
                    target, how = candidate, "name"
                    break
                apart = apart or f"{why} from {self._label(candidate)}"
        if target is not None:
            row.status, row.matched_by = DUPLICATE, how
            unsure = " (nothing else tells them apart)" if how == "name" else ""
            if target < 0:
                row.match_id, row.match_name = -target, self.db_names[-target]
                row.reason = f"same {how} as #{-target} {row.match_name}{unsure}"
            else:
                row.match_row, row.match_name = target, self.rows[target].where
                row.reason = f"same {how} as {row.match_name} in this file{unsure}"
        elif apart:
            row.reason = f"a different person with the same name: {apart}"
        for key in _email_keys(values):
            self.emails.setdefault(key, row.index)
        for key in _profile_keys(values):
            self.profiles.setdefault(key, row.index)
        if target is None:
            self._add_name(name_key, row.index)

    def _label(self, target: int) -> str:
        return f"#{-target} {self.db_names[-target]}" if target < 0 else self.rows[target].where


def _apart(mine: dict, theirs: dict, *, strict: bool, emails: bool = True) -> str:
    """What says two records are different people ("another e-mail"…), or "".

    Profiles always count, e-mails unless the match is by e-mail (then a chain of
    shared addresses is one person); ``strict`` (a match by name alone) adds the
    company and the birthday.
    """
    a, b = set(_email_keys(mine)), set(_email_keys(theirs))
    if emails and a and b and not a & b:
        return "another e-mail"
    services_a, services_b = _profiles(mine), _profiles(theirs)
    for service in services_a.keys() & services_b.keys():
        if services_a[service] != services_b[service]:
            return f"another {service} profile"
    if strict:
        org_a = (mine.get("organization") or "").casefold().strip()
        org_b = (theirs.get("organization") or "").casefold().strip()
        if org_a and org_b and org_a != org_b:
            return "another company"
        if mine.get("birthday") and theirs.get("birthday") and \
                mine["birthday"] != theirs["birthday"]:
            return "another birthday"
    return ""


_NOT_PROFILES = re.compile(r"^(?:email-\d+|website|im|phone.*)$")


def _profiles(values: dict) -> dict[str, str]:
    """service → normalised profile (``linkedin.com/in/ada``), for the handles that name one
    person (not e-mails, websites or chat ids, which families and firms share)."""
    out = {}
    for service, value in (values.get("handles") or {}).items():
        if value and not _NOT_PROFILES.match(service):
            out[service] = _normal_profile(value)
    return out


def _normal_profile(value: str) -> str:
    """``https://www.linkedin.com/in/Ada/`` and ``ada`` name one profile: the user part."""
    text = value.strip().casefold()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)
    text = text.removeprefix("www.").split("?", 1)[0].split("#", 1)[0].rstrip("/")
    host, slash, path = text.partition("/")
    if slash and "." in host:
        parts = [p for p in path.split("/") if p]
        while parts and parts[0] in ("in", "pub", "u", "user", "users", "profile", "people"):
            parts = parts[1:]
        text = parts[0] if parts else host
    return text.removeprefix("@")


def _profile_keys(values: dict) -> list[str]:
    return [f"{service}:{profile}" for service, profile in _profiles(values).items()]


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
    store: Backend,
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
    summary = ImportSummary(problems=preview.problem_lines(), left_out=preview.left_out)

    def check() -> None:
        if should_cancel is not None and should_cancel():
            raise Cancelled("the import was cancelled")

    check()
    if backup:
        summary.backup = _backup_before_import(store)
    stamp = datetime.now(UTC)
    with _write_transaction(store):
        writer = Writer(preview, on_duplicate, summary, stamp, check, progress)
        writer.run()
        check()  # the last chance to cancel: after this the import is committed
    summary.added_ids = [cid for _, cid in sorted(writer.added)]
    summary.merged_ids = list(writer.updates)
    summary.record = ImportRecord(list(summary.added_ids), writer.merged_before_after(),
                                  writer.merged_photos)
    return summary


def _backup_before_import(store: Backend) -> Path | None:
    from planner.services.backups import backup_now

    if store.path is None:  # a team database (backed up on its server), memory
        return None
    try:
        return backup_now(store, reason="pre-import")
    except PlannerError as exc:
        raise InvalidInput(
            f"the backup before importing failed, so nothing was imported: {exc}"
        ) from None


def _write_transaction(store: Backend):
    """A write transaction taken at once (SQLite IMMEDIATE), or a savepoint inside one."""
    return store.write()
