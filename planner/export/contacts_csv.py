"""Contacts as CSV: one row per person, readable by spreadsheets and by our importer.

The header uses plain names ("Name", "Email", "Phones", "Handle: twitter")
that :func:`planner.importers.guess_mapping` maps straight back, so an export
re-imports without a mapping dialog. Several phones or tags share a cell,
separated by ``"; "``.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-``, ``@``, tab, CR
or LF as a formula; with ``escape_formulas=True`` (the default) such cells get
a leading ``'`` (OWASP). That also marks ``+44 20…`` and ``--03-22``, which
is why it is an option; our importer removes the mark again.
"""

from __future__ import annotations

import csv
import io

from planner.domain.contact import Contact

#: "Ring" is the person's ring (Inner, Middle, Outer; empty off the rings), for sorting and
#: filtering in a spreadsheet; the importer leaves it alone (rings are placed in the app,
#: where their limits hold; a full JSON export keeps them for a restore)
COLUMNS = ("Name", "Ring", "Email", "Phones", "Organization", "Title", "Birthday",
           "Time zone", "Tags", "Notes")
HANDLE_PREFIX = "Handle: "
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def write_contacts_csv(contacts: list[Contact], escape_formulas: bool = True) -> str:
    """CSV text with a header row and CRLF line ends (RFC 4180)."""
    services = sorted({service for contact in contacts for service in contact.handles})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*COLUMNS, *(HANDLE_PREFIX + service for service in services)])
    for contact in contacts:
        cells = row(contact, services)
        writer.writerow([neutralise(c) for c in cells] if escape_formulas else cells)
    return buffer.getvalue()


def row(contact: Contact, services: list[str]) -> list[str]:
    """One contact's cells in header order, all strings."""
    return [
        contact.name,
        contact.ring.label if contact.ring else "",
        contact.email,
        "; ".join(contact.phones),
        contact.organization,
        contact.title,
        contact.birthday.iso() if contact.birthday else "",
        contact.timezone,
        tags_cell(contact.tags),
        contact.notes,
        *(contact.handles.get(service, "") for service in services),
    ]


def tags_cell(tags: tuple[str, ...]) -> str:
    """Tags joined by ``"; "``; a lone tag with a comma gets a trailing ``;``.

    The importer splits a cell on semicolons when there are any, else on
    commas (how other tools write tags), so "Smith, Jones" alone would come
    back as two tags without the marker.
    """
    cell = "; ".join(tags)
    if "," in cell and ";" not in cell:
        cell += ";"
    return cell


def neutralise(cell: str) -> str:
    """Prefix a cell a spreadsheet would treat as a formula with a single quote."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell
