"""Reading people from CSV exports: Google, Outlook, LinkedIn, or any CSV.

The format is recognised from the header row (not the file name), because
people rename exports. Each data row becomes one person or one entry in
``ParseResult.invalid``; a bad value in a row (an email that is not one, a
birthday nobody can read) costs that value only.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from planner.domain.errors import InvalidInput
from planner.domain.formatting import is_whole_number
from planner.importers.column_kinds import KEPT, NOT_KEPT
from planner.importers.csv_specs import (
    ROUNDCUBE_COLUMNS,
    THUNDERBIRD_COLUMNS,
    URL_SERVICE,
    Spec,
    augmented,
    classified_spec,
    google_spec,
    guess_mapping,
    linkedin_spec,
    mapping_spec,
    outlook_spec,
    with_unmapped,
)
from planner.importers.csv_table import Table, cell_value, open_table
from planner.importers.draft import Draft
from planner.importers.jcard import json_kind
from planner.importers.records import (
    Entry,
    ImportProblem,
    ParseResult,
    Progress,
    ShouldCancel,
    Ticker,
)
from planner.importers.textfile import decode_bytes, decode_text, encoding_label
from planner.importers.values import social_handle, split_list, without_system_groups

CSV_FORMATS = ("google", "outlook", "linkedin", "thunderbird", "roundcube", "csv")
_SPECS = {
    "google": google_spec,
    "outlook": outlook_spec,
    "linkedin": linkedin_spec,
    "thunderbird": classified_spec,
    "roundcube": classified_spec,
}
_EMAILS = re.compile(r"\s*(?::::|[;,\n])\s*")  # several addresses in one cell
_PHONES = re.compile(r"\s*(?::::|;|\n)\s*")  # not commas: "+1 555 0100, ext 2" is one
_VCARD_START = re.compile(r"^\s*BEGIN\s*:\s*VCARD", re.IGNORECASE)
_JSON_START = re.compile(r"^\s*[\[{]")


def _key(column: str) -> str:
    """A column name for matching layouts: case and spacing ignored, numbers as ``#``."""
    return re.sub(r"\d+", "#", " ".join(column.strip().casefold().split()))


def _keys(columns) -> frozenset[str]:
    return frozenset(_key(c) for c in columns)


_OUTLOOK = _keys(
    [
        "Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department",
        "Job Title", "Business Street", "Business Street 2", "Business City", "Business State",
        "Business Postal Code", "Business Country/Region", "Business Country", "Business Address",
        "Home Street", "Home City", "Home State", "Home Postal Code", "Home Country/Region",
        "Home Country", "Home Address", "Other Street", "Other City", "Other State",
        "Other Postal Code", "Other Country/Region", "Other Country", "Other Address",
        "Assistant's Phone", "Business Fax", "Business Phone", "Business Phone 2", "Callback",
        "Car Phone", "Company Main Phone", "Home Fax", "Home Phone", "Home Phone 2", "ISDN",
        "Mobile Phone", "Other Fax", "Other Phone", "Pager", "Primary Phone", "Radio Phone",
        "TTY/TDD Phone", "Telex", "Account", "Anniversary", "Assistant's Name",
        "Billing Information", "Birthday", "Business Address PO Box", "Categories", "Children",
        "Directory Server", "E-mail Address", "E-mail Type", "E-mail Display Name",
        "E-mail 2 Address", "E-mail 2 Type", "E-mail 2 Display Name", "E-mail 3 Address",
        "E-mail 3 Type", "E-mail 3 Display Name", "Gender", "Government ID Number", "Hobby",
        "Home Address PO Box", "Initials", "Internet Free Busy", "Keywords", "Language",
        "Location", "Manager's Name", "Mileage", "Notes", "Office Location",
        "Organizational ID Number", "Other Address PO Box", "Priority", "Private", "Profession",
        "Referred By", "Sensitivity", "Spouse", "User 1", "Web Page", "Name", "Display Name",
    ]
)
_GOOGLE = _keys(
    [
        "Name", "Given Name", "Additional Name", "Family Name", "Yomi Name", "Given Name Yomi",
        "Additional Name Yomi", "Family Name Yomi", "Name Prefix", "Name Suffix", "Initials",
        "Nickname", "Short Name", "Maiden Name", "Birthday", "Gender", "Location",
        "Billing Information", "Directory Server", "Mileage", "Occupation", "Hobby", "Sensitivity",
        "Priority", "Subject", "Notes", "Language", "Photo", "Group Membership", "E-mail 1 - Type",
        "E-mail 1 - Value", "E-mail 1 - Label", "Phone 1 - Type", "Phone 1 - Value",
        "Phone 1 - Label", "Address 1 - Type", "Address 1 - Label", "Address 1 - Formatted",
        "Address 1 - Street", "Address 1 - City", "Address 1 - PO Box", "Address 1 - Region",
        "Address 1 - Postal Code", "Address 1 - Country", "Address 1 - Extended Address",
        "Organization 1 - Type", "Organization 1 - Name", "Organization 1 - Yomi Name",
        "Organization 1 - Title", "Organization 1 - Department", "Organization 1 - Symbol",
        "Organization 1 - Location", "Organization 1 - Job Description", "Website 1 - Type",
        "Website 1 - Value", "Website 1 - Label", "Relation 1 - Type", "Relation 1 - Value",
        "Relation 1 - Label", "Event 1 - Type", "Event 1 - Value", "Event 1 - Label",
        "IM 1 - Type", "IM 1 - Service", "IM 1 - Value", "IM 1 - Label", "Custom Field 1 - Type",
        "Custom Field 1 - Value", "Custom Field 1 - Label", "First Name", "Middle Name",
        "Last Name", "Phonetic First Name", "Phonetic Middle Name", "Phonetic Last Name",
        "File As", "Organization Name", "Organization Title", "Organization Department", "Labels",
    ]
)
_LINKEDIN = _keys(
    ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
)
_THUNDERBIRD = _keys(c for columns in THUNDERBIRD_COLUMNS.values() for c in columns)
_ROUNDCUBE = _keys(ROUNDCUBE_COLUMNS)
#: layout → (its columns, the columns only it writes: one must be there)
LAYOUTS = {
    "google": (_GOOGLE, _keys([
        "Given Name", "Family Name", "Group Membership", "Labels", "E-mail 1 - Value",
        "Phone 1 - Value", "E-mail 1 - Label", "Organization 1 - Name", "Website 1 - Value",
        "Organization Name",
    ])),
    "outlook": (_OUTLOOK, _keys([
        "E-mail Address", "E-mail 2 Address", "E-mail Display Name", "Business Phone",
        "Mobile Phone", "Primary Phone", "Business Street", "Business Fax", "Company Main Phone",
        "Home Street",
    ])),
    "linkedin": (_LINKEDIN, _keys(["Connected On"])),
    "thunderbird": (_THUNDERBIRD, _keys([
        *[c for columns in THUNDERBIRD_COLUMNS.values() for c in columns[4:6]],
        "Mobile Number", "Web Page 1", "Birth Year", "Pager Number", "Fax Number", "Screen Name",
        "Work ZipCode", "Home ZipCode",
    ])),
    "roundcube": (_ROUNDCUBE, _keys([
        "Email Home", "Email Work", "Email Other", "Phone Home", "Phone Work", "Phone Mobile",
    ])),
}
_MIN_MATCH = 3  # fewer known columns than this is a CSV of its own kind


def classify_header(cells: list[str]) -> str:
    """The layout whose columns best match the header: google, outlook, linkedin,
    thunderbird, roundcube, or csv (any other, read through a column mapping)."""
    keys = _keys(cells)
    best, best_score = "csv", (0, 0.0)
    for layout, (columns, distinctive) in LAYOUTS.items():
        if not keys & distinctive:
            continue
        matched = len(keys & columns)
        score = (matched, matched / len(columns))
        if matched >= _MIN_MATCH and score > best_score:
            best, best_score = layout, score
    return best


_CALENDAR_START = re.compile(r"^\s*BEGIN\s*:\s*VCALENDAR", re.IGNORECASE)
#: files that are plainly something else than an address book, said as such: a calendar
#: went on to the columns step ("choose which column holds the name"), a database file
#: was "not a text file"
_NOT_AN_ADDRESS_BOOK = (
    (lambda data: data.startswith(b"SQLite format 3\0"),
     "a database file, not an address book: open it with File → Open Database File… "
     "('planner --db FILE'), or bring a backup back with File → Restore from Backup…"),
    (lambda data: bool(_CALENDAR_START.match(
        decode_bytes(data[:4096].removeprefix(b"\xef\xbb\xbf"), "latin-1"))),
     "a calendar, not an address book: to find touchpoints in its meetings add it as a "
     "capture source (Log → Capture Sources…, or 'planner capture ics FILE')"),
)


def refuse_other_files(data: bytes, filename: str = "") -> None:
    """InvalidInput naming what the file is, if it is plainly not contacts."""
    for test, what in _NOT_AN_ADDRESS_BOOK:
        if test(data):
            raise InvalidInput(f"{Path(filename).name or 'this file'} is {what}")


def detect_format(data: bytes, filename: str = "", encoding: str | None = None) -> str:
    """The file's format (vcard, jcard, google, outlook, …, csv); InvalidInput if unreadable."""
    refuse_other_files(data, filename)
    text = decode_text(data, encoding).text if encoding else decode_bytes(data, "latin-1")
    if _VCARD_START.match(text):
        return "vcard"
    if filename.lower().endswith((".vcf", ".vcard")) and "BEGIN:VCARD" in text.upper():
        return "vcard"
    if _JSON_START.match(text):
        return json_kind(data)
    return classify_header(open_table(data, classify_header, encoding)[0].header)


def csv_columns(data: bytes, encoding: str | None = None) -> list[str]:
    """The header of a CSV file, for the column-mapping step of an import."""
    return open_table(data, classify_header, encoding)[0].header


#: data rows looked at for a sample value of each column (the mapping step shows them, and
#: the guess prefers a column with values); a million-row file is not read for this
SAMPLE_ROWS = 50


def column_samples(header: list[str], rows: list[tuple[int, list[str]]]) -> dict[str, str]:
    """The first value of each column in ``rows`` (``(line, cells)``): what the guess of
    the columns and the mapping step go by, the same in the window and on the command line."""
    samples: dict[str, str] = {}
    for _line, cells in rows:
        for column, cell in zip(header, cells, strict=False):
            value = cell_value(cell).strip()
            if column and value and column not in samples:
                samples[column] = value
    return samples


def csv_header(data: bytes, encoding: str | None = None) -> tuple[list[str], dict[str, str]]:
    """A CSV file's columns and a sample value of each, for the column-mapping step."""
    table, rows, _ = open_table(data, classify_header, encoding)
    first = list(itertools.islice(rows, SAMPLE_ROWS))
    if not first:
        raise InvalidInput("the CSV file has no contacts (it has only a header row)")
    return list(table.header), column_samples(table.header, first)


def parse_csv(
    data: bytes,
    fmt: str = "auto",
    mapping: dict[str, str] | None = None,
    *,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
    encoding: str | None = None,
) -> ParseResult:
    """Read every row; ``mapping`` (our field -> their column) overrides the format.

    Without a mapping a generic CSV is read through :func:`guess_mapping`.
    """
    read = csv_entries(data, fmt, mapping, progress=progress, should_cancel=should_cancel,
                       encoding=encoding)
    result = ParseResult(format=read.kind, encoding=read.encoding_label,
                         encoding_how=read.encoding_how)
    for entry in read.entries:
        result.problems.extend(entry.problems)
        if entry.contact is not None:
            result.contacts.append(entry.contact)
        elif entry.invalid is not None:
            result.invalid.append(entry.invalid)
    result.notes = list(read.notes)
    return result


@dataclass
class CsvRead:
    """A CSV file being read: its layout and encoding at once, the rows one at a time.

    ``notes`` (what the file holds that was not imported) is complete once ``entries``
    has been read to its end.
    """

    kind: str
    encoding: str
    encoding_how: str
    entries: Iterator[Entry]
    notes: list[str] = field(default_factory=list)

    @property
    def encoding_label(self) -> str:
        return encoding_label(self.encoding)


def csv_entries(
    data: bytes,
    fmt: str = "auto",
    mapping: dict[str, str] | None = None,
    *,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
    encoding: str | None = None,
    read_others: bool = False,
) -> CsvRead:
    """The format, and the rows one :class:`Entry` at a time (bounded memory).

    The header and the mapping are checked at once; a file with no data row, or
    with no row that has a name or an email, raises InvalidInput when the
    iteration reaches its end. ``read_others``: a ``mapping`` says which column comes
    first for each field, and every other e-mail and phone column (and the other
    recognised ones) is read too, as without a mapping; a field mapped to ``""`` is
    left out. Without it a mapping is the person's word: only its columns are read.
    """
    if fmt not in ("auto", *CSV_FORMATS):
        raise ValueError(f"unknown CSV format {fmt!r}")
    table, rows, total = open_table(data, classify_header, encoding)
    kind = classify_header(table.header) if fmt == "auto" else fmt
    samples: dict[str, str] | None = None
    if mapping is None and kind not in _SPECS:  # guessed as the mapping step guesses
        first = list(itertools.islice(rows, SAMPLE_ROWS))
        samples = column_samples(table.header, first)
        rows = itertools.chain(first, rows)
    spec = _spec_for(kind, table, mapping, samples)
    # guessed columns bring every e-mail and phone column in; a chosen mapping is kept
    if mapping is None or read_others:
        left_out = frozenset(key for key, column in (mapping or {}).items() if not column)
        spec = augmented(spec, table.header, left_out)
    else:
        spec = with_unmapped(spec, table.header)
    read = CsvRead(kind, table.encoding, table.encoding_how, iter(()), list(table.notes))
    ticker = Ticker(total, progress, should_cancel)
    read.entries = _entries(table, rows, spec, kind, ticker, read.notes)
    return read


def _entries(table: Table, rows, spec: Spec, kind: str, ticker: Ticker, notes: list[str]):
    index = {h.casefold(): i for i, h in reversed(list(enumerate(table.header)))}
    watched = [(kind_, column, index[column.casefold()]) for kind_, column in spec.not_kept
               if column.casefold() in index]
    filled = [0] * len(watched)
    done = people = 0
    for line, cells in rows:
        ticker.step(done)
        entry = read_row(Row(line, cells, index), spec, kind)
        for n, (kind_, _column, position) in enumerate(watched):
            if position < len(cells) and not _blank(kind_, cells[position]):
                filled[n] += 1
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
    notes.extend(_not_kept_notes(watched, filled))


#: what Outlook and others write in a field left empty (a gender "Keine Angabe", an
#: anniversary "0.0.00"): nothing to name as not imported
_UNSAID = {"unspecified", "not specified", "keine angabe", "nicht angegeben", "non spécifié",
           "non specifie", "no especificado", "sin especificar", "none", "n/a", "-", "--"}


def _blank(kind: str, cell: str) -> bool:
    text = cell.strip()
    if not text or text.casefold() in _UNSAID:
        return True
    return kind == "date" and re.fullmatch(r"[0\s./-]+", text) is not None


def _not_kept_notes(watched, filled) -> list[str]:
    """One line per kind of field the file holds and the planner keeps no place for."""
    by_kind: dict[str, list[tuple[str, int]]] = {}
    for (kind, column, _), count in zip(watched, filled, strict=True):
        if count:
            by_kind.setdefault(kind, []).append((column, count))
    lines = []
    for kind, columns in by_kind.items():
        names = ", ".join(f'"{column}"' for column, _ in columns[:4])
        more = f" and {len(columns) - 4} more" if len(columns) > 4 else ""
        rows = max(count for _, count in columns)
        why = "the planner has no field for them" if kind in NOT_KEPT else \
            "no field was chosen for them"
        lines.append(
            f"not imported: {NOT_KEPT.get(kind) or KEPT[kind]} "
            f"(column{'s' if len(columns) > 1 else ''} {names}{more}, filled in {rows} "
            f"row{'s' if rows != 1 else ''}): {why}"
        )
    return lines


def _spec_for(kind: str, table: Table, mapping: dict[str, str] | None,
              samples: dict[str, str] | None = None) -> Spec:
    if mapping is None and kind in _SPECS:
        return _SPECS[kind](table.header)
    spec = mapping_spec(mapping if mapping is not None else guess_mapping(table.header, samples))
    known = {h.casefold() for h in table.header}
    for column in _mapped(spec):
        if column.casefold() not in known:
            raise InvalidInput(f"the file has no column called {column!r}")
    return spec


def _mapped(spec: Spec) -> list[str]:
    return [
        *spec.name, *spec.first, *spec.last, *spec.emails, *spec.phones, *spec.organization,
        *spec.title, *spec.notes, *spec.tags, *spec.birthday, *spec.timezone,
        *(c for _, c in spec.handles),
    ]


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
        for value in split_addresses(row.get(column)):
            draft.add_email(value, column, preferred)
    for column in spec.phones:
        for value in _PHONES.split(row.get(column)):
            draft.add_phone(value, column)
    for column in spec.organization:  # the first filled one; another goes into the notes
        if row.get(column):
            draft.set_organization(row.get(column), column)
    for column in spec.title:
        if row.get(column):
            draft.set_title(row.get(column), column)
    column, value = row.first(spec.birthday)
    if value:
        draft.set_birthday(value, column)
    elif spec.birthday_parts:
        _birthday_from_parts(row, spec.birthday_parts, draft)
    column, value = row.first(spec.timezone)
    if value:
        draft.set_timezone([value], column)
    _read_extras(row, spec, kind, draft)
    contact = draft.finish()
    invalid = None if contact is not None else ImportProblem(
        where, "", "no name, e-mail address or phone number")
    return Entry(contact, invalid, problems or ())


def split_addresses(cell: str) -> list[str]:
    """The addresses of one cell: ``a@x; b@y``, or ``"Omega" <omega@x>, "Psi, Dr" <psi@y>``
    (a comma inside a quoted display name does not split)."""
    if '"' not in cell:
        return _EMAILS.split(cell)
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in cell:
        if ch == '"':
            quoted = not quoted
        if not quoted and ch in ";,\n":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts]


def _birthday_from_parts(row: Row, parts: tuple[str, str, str], draft: Draft) -> None:
    """Thunderbird's Birth Year / Birth Month / Birth Day; a missing year is a year-less day."""
    year, month, day = (row.get(c) if c else "" for c in parts)
    if not (month or day):
        return
    label = "/".join(c for c in parts if c)
    if not (is_whole_number(month) and is_whole_number(day)):
        draft.problem(label, f"left out: {year}-{month}-{day} is not a date")
        return
    text = f"{int(year):04d}-{int(month):02d}-{int(day):02d}" if is_whole_number(year) else \
        f"--{int(month):02d}-{int(day):02d}"
    draft.set_birthday(text, label)


def _read_extras(row: Row, spec: Spec, kind: str, draft: Draft) -> None:
    """Notes, tags and handles: the fields that can come from several columns."""
    for column in spec.notes:
        draft.add_note(row.get(column))
    for column, template in spec.notes_from:
        if row.get(column):
            draft.add_note(template.format(row.get(column)))
    for column in spec.tags:
        draft.add_tags(without_system_groups(split_list(row.get(column))))
    for service, column in spec.handles:
        value = row.get(column)
        if value and service == URL_SERVICE:
            service, value = social_handle(value) or ("website", value)
        if value:
            draft.add_handle(service, value, column)
