"""A UTF-8 file with a few bytes that are not UTF-8, read as the UTF-8 it is.

One stray byte (a name pasted from an old Windows program, a cut-off character) made the
whole file "not UTF-8": it was then read in the detector's guess, Windows-1250 or even
Shift_JIS, and every accented name in it turned to mojibake; ``--encoding utf-8``
refused it. Such a file is UTF-8 with those bytes replaced by "�", and the lines they
were on are named, so nothing is lost without a word. A file whose bytes mostly do not
decode is another encoding, and is left to the detector (or refused, when UTF-8 was
chosen). No Qt.
"""

from __future__ import annotations

import re

#: a chosen UTF-8 takes this many stray bytes even in a file with no other accent in it
FEW = 8
SHOWN_LINES = 5
_UNDECODED = re.compile("[\udc80-\udcff]+")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_BREAK = re.compile(r"\r\n|\r|\n")


def mostly_utf8(data: bytes, *, chosen: bool = False) -> tuple[str, tuple[int, ...]] | None:
    """(the text with each stray byte as "�", the line numbers they were on), or None when
    the file is not UTF-8 with a few stray bytes. Read so: more characters in it decode
    as UTF-8 beyond ASCII than there are stray bytes (a Windows-1252 or Shift_JIS file has
    almost none) — or, when the user chose UTF-8, no more than :data:`FEW` stray bytes."""
    text = data.decode("utf-8", "surrogateescape")
    runs = list(_UNDECODED.finditer(text))
    stray = sum(run.end() - run.start() for run in runs)
    if not stray:
        return text, ()
    decoded = len(_NON_ASCII.findall(text)) - stray
    fits = stray <= max(decoded, FEW) if chosen else decoded > 0 and stray <= decoded
    if not fits:
        return None
    return _UNDECODED.sub(lambda run: "\ufffd" * len(run.group()), text), _lines(text, runs)


def _lines(text: str, runs: list[re.Match]) -> tuple[int, ...]:
    """The physical line (as a text editor counts them, 1 first) of each run, once."""
    lines: list[int] = []
    line, position = 1, 0
    for run in runs:
        line += len(_BREAK.findall(text, position, run.start()))
        position = run.start()
        if not lines or lines[-1] != line:
            lines.append(line)
    return tuple(lines)


def stray_bytes_note(lines: tuple[int, ...],
                     remedy: str = "check the names there, or choose another encoding") -> str:
    """What the preview says of them: the lines to check, the first few by number, and
    ``remedy`` (a calendar has no encoding to choose)."""
    shown = ", ".join(str(n) for n in lines[:SHOWN_LINES])
    more = f" and {len(lines) - SHOWN_LINES} more" if len(lines) > SHOWN_LINES else ""
    where = f"line {shown}" if len(lines) == 1 else f"lines {shown}{more}"
    return (f"the file is UTF-8 except for a few bytes on {where}: they cannot be read and "
            f"were replaced by “�” ({remedy})")
