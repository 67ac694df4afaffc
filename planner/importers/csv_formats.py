"""Reading people from CSV exports: Google, Outlook, LinkedIn, or any CSV.

The format is recognised from the header row (not the file name), because
people rename exports. Each data row becomes one person or one entry in
``ParseResult.invalid``; a bad value in a row (an email that is not one, a
birthday nobody can read) costs that value only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from planner.domain.errors import InvalidInput
from planner.importers.csv_specs import (
    URL_SERVICE,
    Spec,
    google_spec,
    guess_mapping,
    linkedin_spec,
    mapping_spec,
    outlook_spec,
)
from planner.importers.csv_table import Table, cell_value, open_table
from planner.importers.draft import Draft
from planner.importers.records import (
    Entry,
    ImportProblem,
    ParseResult,
    Progress,
    ShouldCancel,
    Ticker,
)
from planner.importers.textfile import decode_bytes
from planner.importers.values import social_handle, split_list

CSV_FORMATS = ("google", "outlook", "linkedin", "csv")
_SPECS = {"google": google_spec, "outlook": outlook_spec, "linkedin": linkedin_spec}
_EMAILS = re.compile(r"\s*(?::::|[;,\n])\s*")  # several addresses in one cell
_PHONES = re.compile(r"\s*(?::::|;|\n)\s*")  # not commas: "+1 555 0100, ext 2" is one
_VCARD_START = re.compile(r"^\s*BEGIN\s*:\s*VCARD", re.IGNORECASE)


def classify_header(cells: list[str]) -> str:
    """The export a header row comes from: google, outlook, linkedin, or csv (any other)."""
    cols = {c.strip().casefold() for c in cells}
    if {"first name", "last name", "url", "connected on"} <= cols:
        return "linkedin"
    numbered = any(re.fullmatch(r"e-mail \d+ - value", c) for c in cols)
    if numbered or "group membership" in cols or {"given name", "family name"} <= cols:
        return "google"
    if "labels" in cols and "first name" in cols:
        return "google"
    outlookish = {"mobile phone", "business phone", "job title", "e-mail display name"}
    if "e-mail address" in cols or ({"first name", "last name"} <= cols and cols & outlookish):
        return "outlook"
    return "csv"


def detect_format(data: bytes, filename: str = "") -> str:
    """The file's format (vcard, google, outlook, linkedin, csv); InvalidInput if unreadable."""
    text = decode_bytes(data, fallback="cp1252")
    if _VCARD_START.match(text):
        return "vcard"
    if filename.lower().endswith((".vcf", ".vcard")) and "BEGIN:VCARD" in text.upper():
        return "vcard"
    return classify_header(open_table(data, classify_header)[0].header)


def csv_columns(data: bytes) -> list[str]:
    """The header of a CSV file, for the column-mapping step of an import."""
    return open_table(data, classify_header)[0].header


def parse_csv(
    data: bytes,
    fmt: str = "auto",
    mapping: dict[str, str] | None = None,
    *,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> ParseResult:
    """Read every row; ``mapping`` (our field -> their column) overrides the format.

    Without a mapping a generic CSV is read through :func:`guess_mapping`.
    """
    kind, entries = csv_entries(data, fmt, mapping, progress=progress,
                                should_cancel=should_cancel)
    result = ParseResult(format=kind)
    for entry in entries:
        result.problems.extend(entry.problems)
        if entry.contact is not None:
            result.contacts.append(entry.contact)
        elif entry.invalid is not None:
            result.invalid.append(entry.invalid)
    return result


def csv_entries(
    data: bytes,
    fmt: str = "auto",
    mapping: dict[str, str] | None = None,
    *,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> tuple[str, Iterator[Entry]]:
    """The format, and the rows one :class:`Entry` at a time (bounded memory).

    The header and the mapping are checked at once; a file with no data row, or
    with no row that has a name or an email, raises InvalidInput when the
    iteration reaches its end.
    """
    if fmt not in ("auto", *CSV_FORMATS):
        raise ValueError(f"unknown CSV format {fmt!r}")
    table, rows, total = open_table(data, classify_header)
    kind = classify_header(table.header) if fmt == "auto" else fmt
    spec = _spec_for(kind, table, mapping)
    return kind, _entries(table, rows, total, spec, kind, Ticker(total, progress, should_cancel))


def _entries(table: Table, rows, total: int, spec: Spec, kind: str, ticker: Ticker):
    index = {h.casefold(): i for i, h in reversed(list(enumerate(table.header)))}
    done = people = 0
    for line, cells in rows:
        ticker.step(done)
        entry = read_row(Row(line, cells, index), spec, kind)
        people += entry.contact is not None
        done += 1
        yield entry
    if not done:
        raise InvalidInput("the CSV file has no contacts (it has only a header row)")
    ticker.finish(done)
    if not people:
        raise InvalidInput(
            "no contacts could be read from the CSV file: no row has a name or an email address"
        )


def _spec_for(kind: str, table: Table, mapping: dict[str, str] | None) -> Spec:
    if mapping is None and kind in _SPECS:
        return _SPECS[kind](table.header)
    spec = mapping_spec(mapping if mapping is not None else guess_mapping(table.header))
    known = {h.casefold() for h in table.header}
    columns = (
        spec.name
        + spec.first
        + spec.last
        + spec.emails
        + spec.phones
        + spec.organization
        + spec.title
        + spec.notes
        + spec.tags
        + spec.birthday
        + [column for _, column in spec.handles]
    )
    for column in columns:
        if column.casefold() not in known:
            raise InvalidInput(f"the file has no column called {column!r}")
    return spec


class Row:
    """One data row; cells are looked up by column name, case-insensitively."""

    def __init__(self, line: int, cells: list[str], index: dict[str, int]):
        self.line = line
        self.cells = cells
        self.index = index

    def get(self, column: str) -> str:
        position = self.index.get(column.casefold())
        if position is None or position >= len(self.cells):
            return ""
        return cell_value(self.cells[position]).strip()

    def first(self, columns: list[str]) -> tuple[str, str]:
        """``(column, value)`` of the first non-empty column, else ``("", "")``."""
        for column in columns:
            value = self.get(column)
            if value:
                return column, value
        return "", ""


def read_row(row: Row, spec: Spec, kind: str) -> Entry:
    """Turn one row into a contact, or into an invalid entry, with what it lost."""
    where = f"line {row.line}"
    problems: list[ImportProblem] = []
    draft = Draft(where, row.line, problems)
    draft.set_full_name(row.first(spec.name)[1])
    draft.set_name_parts([row.first(cols)[1] for cols in (spec.first, spec.middle, spec.last)])
    for column in spec.emails:
        preferred = any(row.get(t).startswith("*") for t in spec.preferred.get(column, ()))
        for value in _EMAILS.split(row.get(column)):
            draft.add_email(value, column, preferred)
    for column in spec.phones:
        for value in _PHONES.split(row.get(column)):
            draft.add_phone(value, column)
    draft.set_organization(row.first(spec.organization)[1], "organization")
    draft.set_title(row.first(spec.title)[1], "title")
    column, value = row.first(spec.birthday)
    if value:
        draft.set_birthday(value, column)
    _read_extras(row, spec, kind, draft)
    contact = draft.finish()
    invalid = None if contact is not None else ImportProblem(where, "", "no name or email address")
    return Entry(contact, invalid, problems or ())


def _read_extras(row: Row, spec: Spec, kind: str, draft: Draft) -> None:
    """Notes, tags and handles: the fields that can come from several columns."""
    for column in spec.notes:
        draft.add_note(row.get(column))
    for column, template in spec.notes_from:
        if row.get(column):
            draft.add_note(template.format(row.get(column)))
    for column in spec.tags:
        draft.add_tags(_tags(row.get(column), google=kind == "google"))
    for service, column in spec.handles:
        value = row.get(column)
        if value and service == URL_SERVICE:
            service, value = social_handle(value) or ("website", value)
        if value:
            draft.add_handle(service, value, column)


def _tags(cell: str, google: bool) -> list[str]:
    """Google's system groups: "* myContacts" is everyone, "* starred" becomes "starred"."""
    tags = split_list(cell)
    if google:
        tags = [t.removeprefix("* ") for t in tags if t.casefold() != "* mycontacts"]
    return tags
