"""A note's Markdown as the words it shows, for the places that show a note in one line of
plain text (a search result, the focus list's latest note) rather than rendered.

``**Intro** to [the data team](https://…)`` reads "Intro to the data team". It works on
fragments too (a search snippet cut mid-sentence): a mark whose other half was cut off
stays as it is, as CommonMark shows an unmatched ``*``. Characters outside Markdown (a
search's match marks, \\x02 and \\x03) pass through untouched; a link whose address holds
one keeps the address, so a word found there stays visible.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_BLOCK = re.compile(
    r"^\s{0,3}(?:>\s?)*"  # quotes, nested
    r"(?:#{1,6}(?=\s|$)\s*"  # a heading
    r"|(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?"  # a list item, a task
    r")?"
)
_RULE = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_CLOSING_HASHES = re.compile(r"\s+#+\s*$")
_IMAGE_OR_LINK = re.compile(r"!?\[([^\]\n]*)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)"
                            r"(?:\s+\"[^\"]*\")?\)")
_REFERENCE = re.compile(r"!?\[([^\]\n]+)\]\[[^\]\n]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^<>\s]+|[^<>\s@]+@[^<>\s@]+)>")
_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_STRONG = re.compile(r"(?<!\\)\*\*(?=\S)(.+?)(?<=[^\s\\])\*\*")
_STRONG_UNDERSCORE = re.compile(r"(?<![\w\\])__(?=\S)(.+?)(?<=[^\s\\])__(?!\w)")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_EM_STAR = re.compile(r"(?<![*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?!\*)")
_EM_UNDERSCORE = re.compile(r"(?<![\w\\])_(?=[^\s_])(.+?)(?<=[^\s_\\])_(?!\w)")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_MARKS = ("\x02", "\x03")


def plain_text(markdown: str | None) -> str:
    """The text of ``markdown`` without its marks, line by line (code fences and rules
    dropped, line breaks kept)."""
    return "\n".join(plain_lines(markdown))


def plain_lines(markdown: str | None) -> Iterator[str]:
    """:func:`plain_text`'s lines, each made when it is asked for (the first line of a long
    note reads that line only)."""
    for line in (markdown or "").splitlines():
        if not (_FENCE.match(line) or _RULE.match(line)):
            yield plain_line(line)


@lru_cache(maxsize=4096)  # (a note's first line is asked for at every ranking of the week)
def plain_line(line: str) -> str:
    """One line of Markdown as text: block marks at its start, inline marks anywhere."""
    line = _BLOCK.sub("", line, count=1)
    line = _CLOSING_HASHES.sub("", line)
    return _inline(line).strip()


def _inline(text: str) -> str:
    codes: list[str] = []

    def keep_code(match: re.Match) -> str:  # a code span's text is taken as it is
        codes.append(match.group(2).strip() or match.group(2))
        return f"\x00{len(codes) - 1}\x00"

    text = _CODE.sub(keep_code, text)
    text = _IMAGE_OR_LINK.sub(_link_text, text)
    text = _REFERENCE.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    for pattern in (_STRONG, _STRONG_UNDERSCORE, _STRIKE):
        text = _repeat(pattern, text, lambda m: m.group(1))
    text = _repeat(_EM_STAR, text, lambda m: m.group(1))
    text = _repeat(_EM_UNDERSCORE, text, lambda m: m.group(1))
    text = _ESCAPED.sub(r"\1", text)
    return re.sub(r"\x00(\d+)\x00", lambda m: codes[int(m.group(1))], text)


def _link_text(match: re.Match) -> str:
    words, address = match.group(1), match.group(2)
    if any(mark in address for mark in _MARKS):  # the search found a word in the address
        return f"{words} ({address})" if words else address
    return words


def _repeat(pattern: re.Pattern, text: str, keep) -> str:
    """Apply until nothing changes: ``***both***`` is strong around emphasis."""
    for _ in range(4):
        changed = pattern.sub(keep, text)
        if changed == text:
            break
        text = changed
    return text
