"""Reading a CSV export into a header and rows that remember their line numbers.

Exports differ in more than columns: Outlook writes Windows-1252 or UTF-16,
European spreadsheets use semicolons, LinkedIn puts a "Notes:" paragraph and a
blank line before the header, and notes cells span several lines. Line numbers
are the physical line in the file, so "line 12" in the preview is line 12 in a
text editor.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from planner.domain.contact import MAX_TEXT
from planner.domain.errors import InvalidInput
from planner.importers.textfile import decode_text

DELIMITERS = (",", ";", "\t")
#: the longest cell read, in characters: a note's limit, as a vCard's NOTE has it (Python's
#: csv module stops at 128 KiB, and a long notes cell refused the whole file in its words)
FIELD_LIMIT = MAX_TEXT
HEADER_SCAN_ROWS = 50  # a preamble longer than this is not a contact export
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


@dataclass
class Table:
    """A decoded CSV file: the header row and the data rows after it."""

    header: list[str]
    header_line: int
    delimiter: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (line, cells)
    encoding: str = "utf-8"  # the Python codec the file was read with
    encoding_how: str = "utf-8"  # bom, utf-8, utf-16, detected or chosen (textfile.Decoded)
    notes: list[str] = field(default_factory=list)  # how it was read (stray bytes replaced)


def read_table(
    data: bytes, known: Callable[[list[str]], str] | None = None, encoding: str | None = None
) -> Table:
    """Decode, detect the delimiter, find the header and read the rows.

    ``known(cells)`` names a recognised export format (or returns "csv"); a row
    it recognises is taken as the header even after a preamble.
    """
    table, rows, _ = open_table(data, known, encoding)
    table.rows = list(rows)
    return table


def open_table(
    data: bytes, known: Callable[[list[str]], str] | None = None, encoding: str | None = None
) -> tuple[Table, Iterator[tuple[int, list[str]]], int]:
    """Like :func:`read_table`, but the data rows come one at a time from an iterator.

    Only the first rows are read to find the header; a million-row file is then
    read row by row (bounded memory). The third value is an upper bound of the
    number of data rows (its line count), for progress. ``encoding`` is the user's
    choice; without it the encoding is found (:func:`decode_text`) and said in the table.
    """
    decoded = decode_text(data, encoding)
    text = decoded.text
    delimiter = detect_delimiter(text)
    rows = _physical_rows(text, delimiter)
    head = list(itertools.islice(rows, HEADER_SCAN_ROWS))
    if not head:
        raise InvalidInput("the CSV file has no contacts (it has no rows)")
    index = find_header(head, known)
    header_line, header = head[index]
    total = max(text.count("\n") + (not text.endswith("\n")) - header_line, 0)
    rest = itertools.chain(head[index + 1 :], rows)
    table = Table(distinct_names([h.strip() for h in header]), header_line, delimiter,
                  encoding=decoded.encoding, encoding_how=decoded.how, notes=decoded.notes)
    return table, rest, total


def distinct_names(header: list[str]) -> list[str]:
    """A repeated column name numbered from its second use ("Email", "Email 2"): columns
    are found by name, and a name found only the first of them (the second "Email" was
    dropped without a word). A numbered name is read as the numbered columns of the
    known layouts are ("E-mail 2 Address"): another e-mail, or named as not imported."""
    seen = {name.casefold() for name in header}
    used: set[str] = set()
    out = []
    for name in header:
        if name and name.casefold() in used:
            number = 2
            while f"{name} {number}".casefold() in seen:
                number += 1
            name = f"{name} {number}"
            seen.add(name.casefold())
        used.add(name.casefold())
        out.append(name)
    return out


def _physical_rows(text: str, delimiter: str):
    """Yield ``(first line number, cells)`` for each non-blank row.

    Strict: a quoted field that is never closed is an error, not the rest of the file
    read as one field (a stray quote on line 7 of 30 rows imported 6 people, the sixth
    named after the other 24, with no word of it); so is a closing quote followed by
    anything but a delimiter or the end of the line."""
    if csv.field_size_limit() < FIELD_LIMIT:  # (process-wide; only ever raised)
        csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    previous = 0
    try:
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if any(c.strip() for c in cells):
                yield start, cells
    except csv.Error as err:  # said as where it is: the caller names the file
        line = previous + 1
        if "unexpected end of data" in str(err):
            raise InvalidInput(
                f"line {line} opens a quoted field that is never closed (a stray \" there?); "
                "nothing was imported") from None
        if "expected after" in str(err):
            raise InvalidInput(
                f"line {line}: a quoted field is followed by more text before the next "
                f"{_named(delimiter)} (a stray \" there?); nothing was imported") from None
        if "field larger than field limit" in str(err):
            raise InvalidInput(
                f"line {line} has a cell of more than {csv.field_size_limit():,} characters, "
                "more than a note can hold; nothing was imported") from None
        raise InvalidInput(f"line {line} cannot be read as CSV ({err}); nothing was "
                           "imported") from None


def _named(delimiter: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab"}.get(delimiter, repr(delimiter))


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, as ``StringIO(text, newline="")`` gives them,
    without its copy of the whole text at four bytes a character."""
    for found in _LINE.finditer(text):
        yield found.group()


def detect_delimiter(text: str) -> str:
    """The delimiter used most, outside quotes, on the first line that has any.

    ``csv.Sniffer`` guesses wrongly on short files and on LinkedIn's quoted
    preamble; contact exports only ever use comma, semicolon or tab.
    """
    in_quotes = False
    counts = dict.fromkeys(DELIMITERS, 0)
    line_has_any = False
    for ch in text[:200_000]:
        if ch == '"':
            in_quotes = not in_quotes
        elif in_quotes:
            continue
        elif ch in counts:
            counts[ch] += 1
            line_has_any = True
        elif ch in "\r\n" and line_has_any:
            break
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties keep the comma
    return best if counts[best] else ","


def find_header(rows: list[tuple[int, list[str]]], known=None) -> int:
    """Index of the header row: a recognised one, else the first that looks like one."""
    head = rows[:HEADER_SCAN_ROWS]
    if known is not None:
        for index, (_, cells) in enumerate(head):
            if known(cells) != "csv":
                return index
    for index, (_, cells) in enumerate(head):
        filled = [c for c in cells if c.strip()]
        if len(filled) >= 2 and all(len(c) <= 80 for c in filled):
            return index
    return 0


def cell_value(text: str) -> str:
    """A cell as the person meant it: our export's formula guard (``'=…``) removed."""
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_START:
        return text[1:]
    return text
