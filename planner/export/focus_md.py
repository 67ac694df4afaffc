"""The focus list as a Markdown checklist, grouped by ring, ready to paste.

Names, notes, actions and addresses are user text: every character that
could start emphasis, a link, inline HTML, code or a table cell is
backslash-escaped, and line breaks become spaces, so a name cannot break the
list or inject markup.
"""

from __future__ import annotations

import re

from planner.domain.focus import FocusItem, FocusList
from planner.export.focus_common import (
    day_text,
    last_touch_text,
    status_text,
    title,
)

# CommonMark lets any ASCII punctuation be backslash-escaped; these can change meaning
# anywhere inside a list item. Others are escaped only where they could: "#", "+", ")"
# only start a block at the beginning of a line (user text never does here), "!" and "("
# only make an image or link after a "[" (always escaped), so a phone number or an
# address reads cleanly as plain text: +44 (0)20 7946 0018, priya_raman@example.org.
_ALWAYS = re.compile(r"([\\`*\[\]<|~])")
_UNDERSCORES = re.compile(r"_+")
_ENTITY = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


def _underscores(match: re.Match) -> str:
    """A run of "_" between two letters or digits cannot open or close emphasis (an
    address's priya_raman): left as it is; anywhere else each one is escaped."""
    text, start, end = match.string, match.start(), match.end()
    inside_a_word = (start > 0 and text[start - 1].isalnum()
                     and end < len(text) and text[end].isalnum())
    return match.group() if inside_a_word else match.group().replace("_", "\\_")


def escape(text: str) -> str:
    """Make user text inert in Markdown: one line, special characters escaped where they
    could mean something, and nowhere else."""
    text = _ALWAYS.sub(r"\\\1", _BREAKS.sub(" ", text or ""))
    text = _UNDERSCORES.sub(_underscores, text)
    return _ENTITY.sub(r"\\&", text)


def render(focus_list: FocusList, *, notes: bool = True) -> str:
    """A title, the moment it was computed, then one checklist per non-empty ring.

    ``notes=False`` leaves out the latest-note sub-bullets.
    """
    tz = focus_list.tz
    lines = [f"# {title(focus_list)}", ""]
    lines.append(
        f"_{len(focus_list.items)} to reach, as of "
        f"{day_text(focus_list.as_of, tz)} {focus_list.as_of.astimezone(tz):%H:%M}._"
    )
    if not focus_list.items:
        lines += ["", "Nobody needs you this week."]
    for ring, items in focus_list.by_ring().items():
        if items:
            lines += ["", f"## {ring.label}", ""]
            for item in items:
                lines += item_lines(item, focus_list, notes=notes)
    return "\n".join(lines) + "\n"


def item_lines(item: FocusItem, focus_list: FocusList, *, notes: bool = True) -> list[str]:
    """``- [ ] **Name** — status, last touch … — action (address)`` and its note."""
    tz = focus_list.tz
    action = escape(item.action)
    if item.address:
        action += f" ({escape(item.address)})"
    state = status_text(item, tz, focus_list.as_of)
    if item.last_touch is not None:
        state += f", {last_touch_text(item, tz, focus_list.as_of)}"
    line = f"- [ ] **{escape(item.name)}** — {state} — {action}"
    out = [line]
    if notes and item.note:
        out.append(f"  - Note: {escape(item.note)}")
    return out
