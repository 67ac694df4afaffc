"""Splitting vCard text into cards and properties, with line numbers.

Why not just ``vobject.readComponents``? Three things seen in real exports:
one bad property (a damaged base64 PHOTO, an unknown charset) makes vobject
drop the whole card; its text behaviour keeps only the part of a value before
the first unescaped comma, which loses most of Outlook 2.1 notes and Google's
``FN:Mr. John Richter, James Doe Sr.``; and it reports no line numbers we can
show. So we unfold lines and split cards ourselves (vCard 3/4 folding and 2.1
quoted-printable soft breaks), hand each property line to vobject's own line
parser (``vobject.base.parseLine``: name, group, parameters, raw value), and
decode the value here. A property that cannot be read costs only itself.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import vobject.base

from planner.importers.textfile import decode_charset, has_undecoded, repair_line

_LINE_BREAK = re.compile(r"\r*\n|\r")
_QP_PARAM = re.compile(r"QUOTED-PRINTABLE", re.IGNORECASE)
_CHARSET = re.compile(r";CHARSET=([^;:]+)", re.IGNORECASE)
_BAD_QP = re.compile(r"=(?![0-9A-Fa-f]{2})")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_BINARY = {"PHOTO", "LOGO", "SOUND", "KEY"}
_AGENT = re.compile(r"^(?:[\w-]+\.)?AGENT(?:;[^:]*)?:\s*$", re.IGNORECASE)


@dataclass
class RawCard:
    """The logical lines between one ``BEGIN:VCARD`` and its ``END:VCARD``."""

    number: int
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)
    closed: bool = False
    version: str = ""  # "2.1", "3.0" or "4.0" (from its VERSION line when empty)


@dataclass
class Prop:
    """One property: upper-case name, parameters, decoded (still escaped) value."""

    name: str
    params: dict[str, list[str]]
    types: set[str]  # lower-case TYPE values and vCard 2.1 bare parameters
    value: str
    line: int

    def param(self, key: str) -> str:
        found = self.params.get(key.upper())
        return found[0] if found else ""

    @property
    def preferred(self) -> bool:
        return "pref" in self.types or self.param("PREF") == "1"


def count_cards(text: str) -> int:
    """A quick total for progress reporting (nested AGENT cards count too)."""
    return text.upper().count("BEGIN:VCARD")


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(first physical line number, unfolded line)``.

    Folded continuations start with a space or tab. A quoted-printable value
    ending in ``=`` continues on the next line verbatim (vCard 2.1 soft line
    break) unless that line begins or ends a card, so a truncated value cannot
    swallow the ``END:VCARD`` after it.
    """
    parts: list[str] = []
    start = 0
    soft_break = False
    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        if parts and soft_break and not _is_card_boundary(raw):
            parts[-1] = parts[-1][:-1]  # drop the "=" of the soft break
            parts.append(raw)
        elif parts and raw[:1] in (" ", "\t"):
            parts.append(raw[1:])
        else:
            if parts:
                yield start, "".join(parts)
            parts, start = ([raw], number) if raw.strip() else ([], number)
        soft_break = bool(parts) and parts[-1].endswith("=") and _is_qp(parts[0])
    if parts:
        yield start, "".join(parts)


def _is_qp(first_line: str) -> bool:
    head = first_line.split(":", 1)[0]
    return _QP_PARAM.search(head) is not None


def _is_card_boundary(raw: str) -> bool:
    key = raw.strip().upper()
    return key in ("END:VCARD", "BEGIN:VCARD")


def split_cards(text: str) -> Iterator[RawCard]:
    """Yield each top-level card; an unclosed card ends where the next begins.

    A card embedded in an ``AGENT:`` property (vCard 2.1) is skipped rather
    than mistaken for a person of its own.
    """
    card: RawCard | None = None
    depth = 0
    count = 0
    for number, line in logical_lines(text):
        key = line.strip().upper()
        if key == "BEGIN:VCARD":
            if card is not None and card.lines and _AGENT.match(card.lines[-1][1]):
                depth += 1
                continue
            if card is not None:
                yield card  # never closed: keep what it had
            count += 1
            card, depth = RawCard(count, number), 1
        elif key == "END:VCARD":
            depth -= 1
            if depth == 0 and card is not None:
                card.closed = True
                yield card
                card = None
            depth = max(depth, 0)
        elif card is not None and depth == 1:
            card.lines.append((number, line))
    if card is not None:
        yield card


def parse_property(line: str, number: int, default_charset: str | None = None) -> Prop:
    """Parse one unfolded line; ``ValueError`` says why it cannot be used.

    ``default_charset``: the file's detected encoding, for 8-bit lines naming no CHARSET.
    """
    if has_undecoded(line):
        charset = _CHARSET.search(line)
        line = repair_line(line, charset.group(1).strip('"') if charset else None,
                           default_charset)
    try:
        name, param_list, value, _group = vobject.base.parseLine(line, number)
    except vobject.base.VObjectError:
        raise ValueError("not a vCard property line (NAME:value)") from None
    params: dict[str, list[str]] = {}
    types: set[str] = set()
    for entry in param_list:
        if len(entry) == 1:
            types.add(entry[0].lower())
            continue
        params.setdefault(entry[0].upper(), []).extend(entry[1:])
    for listed in params.get("TYPE", ()):
        types.update(t.strip().lower() for t in listed.split(",") if t.strip())
    encodings = {e.upper() for e in params.get("ENCODING", ())} | {t.upper() for t in types}
    binary = name.upper().rsplit(".", 1)[-1] in _BINARY
    if "QUOTED-PRINTABLE" in encodings and binary:
        value = binascii.a2b_qp(value.encode("latin-1", "replace")).decode("latin-1")
    elif "QUOTED-PRINTABLE" in encodings:
        value = decode_quoted_printable(value, params.get("CHARSET", [None])[0],
                                        default_charset)
    elif encodings & {"B", "BASE64"} and not binary:  # text some phones write as base64
        value = decode_base64_text(value, params.get("CHARSET", [None])[0], default_charset)
    return Prop(name.upper(), params, types, value, number)


def decode_base64_text(value: str, charset: str | None, default: str | None = None) -> str:
    """Decode a text value written as base64 (2.1's BASE64, 3.0's ``b``) in its CHARSET
    (else UTF-8); damaged base64 is refused, as a damaged quoted-printable escape is."""
    try:
        raw = binascii.a2b_base64("".join(value.split()).encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise ValueError("damaged base64 text (not valid base64)") from None
    return decode_charset(raw, charset, default)


def decode_quoted_printable(value: str, charset: str | None, default: str | None = None) -> str:
    """Decode a 2.1 quoted-printable value; a bad escape (``=ZZ``) is refused."""
    value = value.removesuffix("=")  # a soft break with nothing after it (a cut value)
    bad = _BAD_QP.search(value)
    if bad:
        sample = value[bad.start() : bad.start() + 3]
        raise ValueError(f"damaged quoted-printable text ({sample!r})")
    raw = binascii.a2b_qp(value.encode("utf-8"))
    return decode_charset(raw, charset, default)


def check_binary(prop: Prop) -> None:
    """Raise ``ValueError`` if an inline base64 PHOTO/LOGO/KEY is damaged.

    We never keep pictures, but a damaged one is worth a line in the preview
    because it usually means the export was cut or mangled.
    """
    value = prop.value
    inline = prop.param("ENCODING").upper() in ("B", "BASE64") or "base64" in prop.types
    if value.startswith("data:") and ";base64," in value[:100]:
        value, inline = value.split(",", 1)[1], True
    if not inline:
        return
    try:
        binascii.a2b_base64("".join(value.split()).encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise ValueError("the embedded data is damaged (not valid base64)") from None


def card_version(card: RawCard) -> str:
    """The card's VERSION ("2.1", "3.0", "4.0"); 3.0 when it says none."""
    if card.version:
        return card.version
    for _number, line in card.lines:
        head, _, value = line.partition(":")
        if head.strip().upper().rsplit(".", 1)[-1] == "VERSION":
            return value.strip() or "3.0"
    return "3.0"


def unescape(value: str, version: str = "3.0") -> str:
    r"""Undo vCard text escaping: ``\n`` is a line break, ``\x`` is ``x``.

    vCard 2.1 has no text escapes at all (line breaks are quoted-printable): a
    backslash in a 2.1 FN or NOTE is the text itself.
    """
    if "\\" not in value or version == "2.1":
        return value
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def split_escaped(value: str, separator: str, version: str = "3.0") -> list[str]:
    r"""Split on separators not escaped by a backslash, then unescape each part.

    In vCard 2.1 only ``\;`` is an escape (in structured values such as N and
    ORG); any other backslash stays.
    """
    if version == "2.1":
        return _split_21(value, separator)
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for ch in value:
        if escaped:
            current.append("\\" + ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == separator:
            parts.append(unescape("".join(current)))
            current = []
        else:
            current.append(ch)
    if escaped:
        current.append("\\")
    parts.append(unescape("".join(current)))
    return parts


def _split_21(value: str, separator: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and value[i + 1 : i + 2] == ";":
            current.append(";")
            i += 2
            continue
        if ch == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts
