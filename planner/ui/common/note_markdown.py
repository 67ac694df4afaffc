"""Notes on screen: their Markdown read as a person writing a note expects.

Qt's GitHub dialect is nearly that, but not quite:
- it underlines ``_x_`` and ``__x__`` (md4c's underline extension), where every other
  Markdown reader makes them italic and bold, as ``*x*`` and ``**x**``;
- it reads HTML, so a note's ``Met <Bob> at the meetup`` swallowed the rest of the note
  as an unknown tag (and a note imported from mail could restyle the timeline);
- it reads YAML front matter, so a note that starts with a ``---`` line lost its start;
- a new line typed with Shift+Enter is a soft break in Markdown, joined to the line
  before: shown here as the line break it was typed as (as chat apps and GitHub's
  comments do). A blank line still starts a paragraph.
- a heading (``# Plan``) is drawn in bold at the note's own size: Qt's were up to
  twice the size, a banner in a compact timeline.
Strikethrough, task lists, tables and bare links (www.…, https://…) stay.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QFont, QTextCharFormat, QTextCursor, QTextDocument, QTextFormat

_Feature = QTextDocument.MarkdownFeature
_UNDERLINE = 0x4000  # md4c's MD_FLAG_UNDERLINE: ``_x_`` underlined
_FRONT_MATTER = 0x100000  # Qt's front matter (6.8 on; an unknown bit before)
NOTE_FEATURES = _Feature(
    (_Feature.MarkdownDialectGitHub.value & ~_UNDERLINE & ~_FRONT_MATTER)
    | _Feature.MarkdownNoHTML.value)

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def with_line_breaks(markdown: str) -> str:
    """``markdown`` with each line that runs on into the next ending in a hard break
    (two spaces), outside code fences; blank lines and the marks of other blocks (lists,
    headings, tables) read as before."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    fence = ""
    for i, line in enumerate(lines[:-1]):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(
                    fence) and not line[opening.end():].strip():
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        if line.strip() and lines[i + 1].strip() and not line.endswith(("  ", "\\")):
            lines[i] = line + "  "
    return "\n".join(lines)


def set_note_markdown(doc: QTextDocument, markdown: str) -> None:
    """Fill ``doc`` with a note's Markdown (see the module's docstring)."""
    doc.setMarkdown(with_line_breaks(markdown), NOTE_FEATURES)
    if "#" in markdown or "\n=" in markdown or "\n-" in markdown:  # (headings: rare)
        _plain_headings(doc)


def _plain_headings(doc: QTextDocument) -> None:
    """Headings at the text's own size, in bold, with no extra space around them."""
    block = doc.begin()
    while block.isValid():
        form = block.blockFormat()
        if form.headingLevel():
            form.setTopMargin(min(form.topMargin(), 4))
            form.setBottomMargin(min(form.bottomMargin(), 2))
            cursor = QTextCursor(block)
            cursor.setBlockFormat(form)
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                                QTextCursor.MoveMode.KeepAnchor)
            plain = QTextCharFormat()
            plain.setProperty(QTextFormat.Property.FontSizeAdjustment, 0)
            plain.setFontWeight(QFont.Weight.Bold)
            cursor.mergeCharFormat(plain)
        block = block.next()
