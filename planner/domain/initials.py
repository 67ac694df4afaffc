"""Initials for a node: whole characters as a reader sees them (a letter with its accents,
an emoji with its modifiers), never joined into a word in a cursive right-to-left script,
and different for everyone on one ring ("MWi" and "MWö" for two "MW")."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import lru_cache

ZWJ, ZWNJ = "\u200d", "\u200c"
_SEPARATORS = re.compile(r"[\s\-_.·]+")


def _extends(char: str) -> bool:
    """A character that belongs to the one before it (marks, joiners, variation selectors,
    skin tones)."""
    code = ord(char)
    return (unicodedata.category(char) in ("Mn", "Me", "Mc") or char == ZWJ
            or 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF
            or 0xE0100 <= code <= 0xE01EF)


def graphemes(text: str) -> list[str]:
    """``text`` cut into user-perceived characters (a close approximation of UAX #29 that
    needs no third-party module: a base with its marks, joiner sequences kept whole)."""
    clusters: list[str] = []
    joined = False
    for char in unicodedata.normalize("NFC", text):
        if clusters and (joined or _extends(char)):
            clusters[-1] += char
        else:
            clusters.append(char)
        joined = char == ZWJ
    return clusters


def _is_rtl_joining(cluster: str) -> bool:
    """A letter of a cursive right-to-left script (Arabic, Syriac, N'Ko…): set side by side
    they would join into a word."""
    return unicodedata.bidirectional(cluster[0]) == "AL"


def _join(parts: list[str]) -> str:
    """Letters of a joining script are kept apart with a zero-width non-joiner."""
    out = ""
    for part in parts:
        if out and _is_rtl_joining(out[-1]) and _is_rtl_joining(part):
            out += ZWNJ
        out += part
    return out


#: words before a name that are titles, and after it generational or academic suffixes:
#: not initials ("Mr. John Richter James Doe Sr." is "JD", not "MS"). Compared without
#: case and dots ("Ph.D." is "phd"); only at the start (titles) or the end (suffixes), and
#: never every word of a name ("Dr. Who" is "WH"). Ambiguous ones are left out: "Ma" is a
#: surname, "M." an initial, "Don" a first name.
_TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "fr", "herr",
    "frau", "mme", "mlle", "sr", "sra", "srta",
})
_SUFFIXES = frozenset({
    "jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "dds", "dvm", "mba", "msc", "bsc",
})


def _bare(token: str) -> str:
    return token.casefold().replace(".", "").strip(",;")


def _without_honorifics(name: str) -> str:
    """``name`` without its titles and suffixes (and stray signs such as "&" among the
    titles), at least one word kept."""
    tokens = name.split()
    start, end = 0, len(tokens)
    while end - start > 1 and (_bare(tokens[start]) in _TITLES
                               or not any(ch.isalnum() for ch in tokens[start])):
        start += 1
    while end - start > 1 and _bare(tokens[end - 1]) in _SUFFIXES:
        end -= 1
    return " ".join(tokens[start:end])


def _words(name: str) -> list[list[str]]:
    name = _without_honorifics(name)
    words = [graphemes(w) for w in _SEPARATORS.split(name.strip()) if w]
    return [w for w in words if w and (w[0][0].isalnum() or unicodedata.category(w[0][0])
                                       .startswith("S"))]


@lru_cache(maxsize=4096)  # (a node asks again at each change of its person)
def initials(name: str) -> str:
    """"Ada Lovelace" → "AL"; one word gives its first two characters ("plato" → "PL");
    titles and suffixes are not initials ("Dr. Ada Lovelace, PhD" → "AL")."""
    words = _words(name)
    if not words:
        return "?"
    if len(words) == 1:
        return _join([g.upper() for g in words[0][:2]])
    return _join([words[0][0].upper(), words[-1][0].upper()])


def _longer(name: str, extra: int) -> str:
    """The initials with ``extra`` more characters of the last word, in lower case."""
    words = _words(name)
    if not words:
        return "?"
    base = [g.upper() for g in words[0][:2]] if len(words) == 1 else \
        [words[0][0].upper(), words[-1][0].upper()]
    last = words[-1]
    start = 2 if len(words) == 1 else 1
    return _join(base + [g.lower() for g in last[start:start + extra]])


def unique_initials(names: dict[int, str]) -> dict[int, str]:
    """Initials for everyone in ``names`` (id → name), different for each: two "MW" become
    "MWi" and "MWö"; people whose names cannot tell them apart get a number."""
    result = {cid: initials(name) for cid, name in names.items()}
    for extra in (1, 2):
        groups: dict[str, list[int]] = defaultdict(list)
        for cid, text in result.items():
            groups[text.casefold()].append(cid)
        clashes = [ids for ids in groups.values() if len(ids) > 1]
        if not clashes:
            return result
        for ids in clashes:
            for cid in ids:
                result[cid] = _longer(names[cid], extra)
    groups = defaultdict(list)
    for cid, text in result.items():
        groups[text.casefold()].append(cid)
    for ids in groups.values():
        if len(ids) > 1:
            for number, cid in enumerate(sorted(ids), start=1):
                result[cid] = f"{initials(names[cid])}{number}"
    return result
