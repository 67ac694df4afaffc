"""Text in fixed-width columns as a terminal shows it: East Asian wide characters and most
emoji take two cells, combining marks and what a zero-width joiner joins none."""

from __future__ import annotations

import unicodedata

_JOINER = "\u200d"


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes."""
    width, joined = 0, False
    for char in text:
        if joined or char == _JOINER or unicodedata.combining(char) or (
                unicodedata.category(char) in ("Mn", "Me", "Cf")):
            joined = char == _JOINER
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def fit(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells: padded with spaces, or cut with "…" (a name of
    200 characters pushed the rest of its row off to the right)."""
    if cells(text) <= width:
        return text + " " * (width - cells(text))
    kept = ""
    for char in text:
        if cells(kept + char) > width - 1:
            break
        kept += char
    return kept + "…" + " " * (width - 1 - cells(kept))
