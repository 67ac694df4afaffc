"""The focus list as one self-contained, printable HTML page.

No scripts, fonts or images from anywhere: the CSS is inline so the file
works offline and prints the same everywhere. Every value that comes from
the user goes through :func:`html.escape` (quotes included), so a name like
``<script>…`` is shown, never run.
"""

from __future__ import annotations

from html import escape

from planner.domain.focus import FocusItem, FocusList
from planner.export.focus_common import (
    day_text,
    last_touch_text,
    reach_text,
    status_text,
    title,
)

_CSS = """
body { font: 11pt/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .4rem; border-bottom: 1px solid #ccc; }
p.meta { color: #555; margin-top: 0; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: .35em .5em;
         border-bottom: 1px solid #e2e2e2; }
th { font-size: .85em; color: #555; font-weight: 600; }
td.box { width: 1.2rem; font-size: 1.1em; }
td.note { color: #444; font-style: italic; }
.status { display: inline-block; padding: 0 .4rem; border-radius: .6rem; font-size: .85em;
          white-space: nowrap; border: 1px solid currentColor; }
.status-overdue { color: #a4161a; background: #fde8e8; }
.status-due-soon { color: #8a5300; background: #fff3d6; }
.status-on-track { color: #1e6b32; background: #e6f4ea; }
.status-never { color: #5b3c88; background: #efe8fa; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  tr { page-break-inside: avoid; }
  h2 { page-break-after: avoid; }
  .status { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def render(focus_list: FocusList, *, notes: bool = True) -> str:
    """A complete HTML5 document; ``notes=False`` drops the note column."""
    tz = focus_list.tz
    heading = escape(title(focus_list))
    as_of = focus_list.as_of.astimezone(tz)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{heading}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{heading}</h1>",
        f'<p class="meta">{len(focus_list.items)} to reach, as of '
        f"{escape(day_text(as_of, tz))} {as_of:%H:%M}</p>",
    ]
    if not focus_list.items:
        parts.append("<p>Nobody needs you this week.</p>")
    for ring, items in focus_list.by_ring().items():
        if items:
            parts.append(f"<h2>{escape(ring.label)}</h2>")
            parts.append(_table(items, focus_list, notes))
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _table(items: list[FocusItem], focus_list: FocusList, notes: bool) -> str:
    head = ["", "Name", "Status", "Last touch", "Action", "Reach on"]
    if notes:
        head.append("Note")
    # each column's share of the width (Qt's rich text, which makes the PDF, gave them all
    # the same, and broke "(due Thu 10 Dec)" inside "10")
    widths = [3, 11, 24, 13, 18, 15, 16] if notes else [3, 14, 26, 16, 22, 19]
    header = "".join(f'<th nowrap width="{w}%">{escape(h)}</th>'
                     for h, w in zip(head, widths, strict=True))
    rows = "\n".join(_row(item, focus_list, notes) for item in items)
    # (the attributes are for Qt's rich text, which makes the PDF and reads little CSS:
    # without them its table took two thirds of the page, wrapped "d/ue" mid-word and ran
    # the headers together; a browser reads the same from the style sheet)
    return (f'<table width="100%" cellspacing="0" cellpadding="4">\n<thead><tr>{header}'
            f"</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>")


def _row(item: FocusItem, focus_list: FocusList, notes: bool) -> str:
    tz = focus_list.tz
    status = item.status.value
    cells = [
        '<td class="box" aria-hidden="true" nowrap>&#9744;&nbsp;</td>',
        f'<td class="name"><strong>{escape(item.name)}</strong></td>',
        f'<td nowrap><span class="status status-{escape(status)}">'
        f"{escape(status_text(item, tz, focus_list.as_of))}</span></td>",
        f"<td>{escape(last_touch_text(item, tz, focus_list.as_of))}</td>",
        f'<td class="action">{escape(item.action)}</td>',
        f'<td class="reach">{escape(reach_text(item))}</td>',
    ]
    if notes:
        cells.append(f'<td class="note">{escape(item.note)}</td>')
    return "<tr>" + "".join(cells) + "</tr>"
