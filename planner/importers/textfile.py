"""Turning the bytes of an exported contact file into text.

Contact exports arrive in every encoding their tools ever used: UTF-8 with or
without a BOM (Google, LinkedIn), UTF-16 with a BOM (Outlook "Unicode CSV"),
Windows-1252 (older Outlook CSV) and vCard 2.1 files whose properties carry
their own CHARSET. We decode once here and refuse, with one readable line,
anything that is not text at all.
"""

from __future__ import annotations

import codecs
import re

from planner.domain.errors import InvalidInput

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_UNDECODED = re.compile("[\udc80-\udcff]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_bytes(data: bytes, fallback: str) -> str:
    """Decode a whole file; ``fallback`` is used when it is not UTF-8.

    ``fallback`` is ``"cp1252"`` for CSV (Outlook's ANSI export) and
    ``"surrogateescape"`` for vCard, where each property may name its own
    CHARSET and is repaired later by :func:`repair_line`.
    """
    if not data or not data.strip(b" \t\r\n\x00"):
        raise InvalidInput("the file is empty")
    text = _decode_with_bom(data)
    if text is None:
        text = _decode_without_bom(data, fallback)
    if _looks_binary(text):
        raise InvalidInput("the file is not a text file (it looks like binary data)")
    return text


def _decode_with_bom(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                if encoding == "utf-8":
                    return None  # a UTF-8 BOM in front of ANSI text: use the fallback
                raise InvalidInput(
                    f"the file says it is {encoding.upper()[:6]} text but cannot be decoded"
                ) from None
    return None


def _decode_without_bom(data: bytes, fallback: str) -> str:
    data = data.removeprefix(codecs.BOM_UTF8)
    if b"\x00" in data:
        return _utf16_without_bom(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if fallback == "surrogateescape":
        return data.decode("utf-8", "surrogateescape")
    try:
        return data.decode(fallback)
    except UnicodeDecodeError:
        return data.decode("latin-1")  # never fails: every byte is a character


def _utf16_without_bom(data: bytes) -> str:
    """Some tools write UTF-16 without a BOM; NUL bytes on one side give it away."""
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    half = len(data) // 2
    if half and max(even, odd) >= 0.3 * half and min(even, odd) <= 0.05 * half:
        encoding = "utf-16-le" if odd > even else "utf-16-be"
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    raise InvalidInput("the file is not a text file (it contains NUL bytes)")


def _looks_binary(text: str) -> bool:
    """More than 1% control characters is a picture or an archive, not contacts."""
    controls = len(_CONTROL.findall(text))
    return "\x00" in text or controls > len(text) // 100


def has_undecoded(text: str) -> bool:
    """True if a ``surrogateescape`` decode left raw bytes in ``text``."""
    return _UNDECODED.search(text) is not None


def repair_line(text: str, charset: str | None) -> str:
    """Re-decode raw bytes of one vCard property with its CHARSET, else Windows-1252.

    vCard 2.1 writers put 8-bit text straight into the file and say which
    charset in a parameter; a file can mix several. Latin-1 is the last resort
    because it can decode any byte.
    """
    if not has_undecoded(text):
        return text
    return decode_charset(text.encode("utf-8", "surrogateescape"), charset)


def decode_charset(raw: bytes, charset: str | None) -> str:
    """Decode bytes from a quoted-printable value the same forgiving way."""
    for encoding in (charset, "utf-8", "cp1252"):
        if not encoding:
            continue
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("latin-1")
