"""The focus list as CSV: a header row, then one row per person in rank order.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some, tab, CR or LF) as a formula, so a contact named
``=HYPERLINK(...)`` could act when the file is opened. With
``escape_formulas=True`` (the default) such cells get a leading ``'``, as
OWASP recommends; quoting alone does not help. This also turns ``-5`` or
``+44 20…`` into text, which is why it is an option.

Times are local ISO 8601 with their offset (``2026-11-12T10:00:00+01:00``);
urgency is blank for never-contacted people. The result is a ``str``: write
it as UTF-8 (``bom=True`` adds a byte-order mark for Excel).
"""

from __future__ import annotations

import csv
import io

from planner.domain.focus import FocusItem, FocusList
from planner.export.focus_common import iso_local, kind_text, urgency_number

COLUMNS = (
    "rank", "name", "ring", "status", "days_overdue", "last_touch", "last_touch_kind",
    "next_due", "cadence_days", "urgency", "channel", "address", "note", "action",
    "contact_id", "week",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(cell: str) -> str:
    """Prefix a cell a spreadsheet would treat as a formula with a single quote."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def render(focus_list: FocusList, *, escape_formulas: bool = True, bom: bool = False) -> str:
    """CSV text with CRLF line ends (RFC 4180)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for rank, item in enumerate(focus_list.items, start=1):
        cells = row(item, rank, focus_list)
        writer.writerow([neutralise(c) for c in cells] if escape_formulas else cells)
    return ("\ufeff" if bom else "") + buffer.getvalue()


def row(item: FocusItem, rank: int, focus_list: FocusList) -> list[str]:
    """One person's cells, all strings, in :data:`COLUMNS` order."""
    tz = focus_list.tz
    score = urgency_number(item)
    values = {
        "rank": str(rank),
        "name": item.name,
        "ring": item.ring.value,
        "status": item.status.value,
        "days_overdue": str(item.days_overdue),
        "last_touch": iso_local(item.last_touch, tz),
        "last_touch_kind": kind_text(item.last_touch_kind),
        "next_due": iso_local(item.next_due, tz),
        "cadence_days": str(item.cadence_days),
        "urgency": "" if score is None else f"{score:.2f}",
        "channel": item.channel,
        "address": item.address,
        "note": item.note,
        "action": item.action,
        "contact_id": str(item.contact_id),
        "week": focus_list.label,
    }
    return [values[column] for column in COLUMNS]
