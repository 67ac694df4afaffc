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
from dataclasses import dataclass

from planner.domain.errors import InvalidInput
from planner.importers.stray_bytes import mostly_utf8, stray_bytes_note

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_UNDECODED = re.compile("[\udc80-\udcff]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


# What the detector's codec names are called by the people who chose them.
_SHOWN = {
    "cp932": "Shift_JIS",
    "shift_jis": "Shift_JIS",
    "cp949": "EUC-KR",
    "euc_kr": "EUC-KR",
    "gb18030": "GB18030",
    "gb2312": "GB18030",
    "big5": "Big5",
    "big5hkscs": "Big5-HKSCS",
    "koi8_r": "KOI8-R",
    "koi8_u": "KOI8-U",
    "euc_jp": "EUC-JP",
    "utf_8": "UTF-8",
    "utf-8": "UTF-8",
    "latin_1": "ISO-8859-1",
    "mac_roman": "Mac Roman",
}
_MAX_CHAOS = 0.2  # more mess than this in every candidate: no encoding fits, say so


@dataclass(frozen=True)
class Decoded:
    """A file's text and how its encoding was known.

    ``how`` is "bom" (the file says so), "utf-8" (it decodes as UTF-8), "detected"
    (a guess by the charset detector: the preview shows it and offers another) or
    "chosen" (the user named it).
    """

    text: str
    encoding: str  # a Python codec name
    how: str
    replaced: tuple[int, ...] = ()  # lines whose bytes were not UTF-8, now "�" (stray_bytes)

    @property
    def shown(self) -> str:
        return encoding_label(self.encoding)

    @property
    def notes(self) -> list[str]:
        """What the preview says of how the text was read (stray bytes replaced)."""
        return [stray_bytes_note(self.replaced)] if self.replaced else []


def encoding_label(encoding: str) -> str:
    """``cp932`` → ``Shift_JIS``, ``cp1252`` → ``Windows-1252``: the name people know."""
    key = codecs.lookup(encoding).name if _known(encoding) else encoding
    if key in _SHOWN or encoding in _SHOWN:
        return _SHOWN.get(key) or _SHOWN[encoding]
    if m := re.fullmatch(r"cp(12\d\d)", key):
        return f"Windows-{m.group(1)}"
    if m := re.fullmatch(r"iso8859[-_](\d+)", key):
        return f"ISO-8859-{m.group(1)}"
    return key.upper().replace("_", "-")


def _known(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
    except (LookupError, UnicodeError, ValueError):  # (a byte not UTF-8 typed, a NUL)
        return False
    return True


def check_encoding(name: str) -> str:
    """The codec for a name the user typed (``--encoding shift_jis``); InvalidInput if none."""
    name = name.strip()
    if not name or not _known(name):
        raise InvalidInput(
            f"unknown encoding {name!r}: use a name such as utf-8, windows-1252, shift_jis, "
            "euc-kr, gb18030, big5 or koi8-r"
        )
    return codecs.lookup(name).name


def decode_text(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode a CSV export: a chosen encoding, else its BOM, UTF-8, UTF-16, or the detector.

    Never a silent guess: a detected encoding comes back as ``how == "detected"``
    for the preview to show; a file no encoding fits is refused. UTF-8 with a few stray
    bytes (found, or chosen) is read as UTF-8, those bytes as "�" and their lines in
    ``replaced`` (stray_bytes.py).
    """
    if not data or not data.strip(b" \t\r\n\x00"):
        raise InvalidInput("the file is empty")
    if encoding:
        decoded = _decode_chosen(data, check_encoding(encoding), encoding)
    else:
        decoded = _decode_found(data)
    if _looks_binary(decoded.text):
        raise InvalidInput("the file is not a text file (it looks like binary data)")
    return decoded


def _decode_chosen(data: bytes, encoding: str, named: str) -> Decoded:
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom) and codecs.lookup(bom_encoding).name == encoding:
            data = data[len(bom) :]
            break
    try:
        return Decoded(data.decode(encoding), named, "chosen")
    except UnicodeDecodeError as err:
        repaired = mostly_utf8(data, chosen=True) if encoding == "utf-8" else None
        if repaired is not None:  # UTF-8 but for a few stray bytes: read, and said
            return Decoded(repaired[0], named, "chosen", repaired[1])
        raise InvalidInput(
            f"the file cannot be read as {encoding_label(encoding)} (byte "
            f"0x{data[err.start]:02x} at position {err.start}): choose another encoding"
        ) from None


def _decode_found(data: bytes) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(encoding), encoding, "bom")
            except UnicodeDecodeError:
                if encoding != "utf-8":
                    raise InvalidInput(
                        f"the file says it is {encoding.upper()[:6]} text but cannot be decoded"
                    ) from None
                data = data[len(bom) :]  # a UTF-8 BOM in front of ANSI text: detect it
                break
    if b"\x00" in data:
        text, encoding = _utf16_without_bom(data)
        return Decoded(text, encoding, "utf-16")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    repaired = mostly_utf8(data)
    if repaired is not None:  # UTF-8 but for a few stray bytes: not another encoding
        return Decoded(repaired[0], "utf-8", "utf-8", repaired[1])
    return _detect(data)


def _detect(data: bytes) -> Decoded:
    """The detector's best candidate; Windows-1252 wins a tie (the commonest ANSI export)."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches or matches[0].chaos > _MAX_CHAOS:
        raise InvalidInput(
            "the encoding of the file cannot be recognised (it is neither UTF-8 nor any "
            "encoding that makes sense of it): choose one, e.g. --encoding windows-1252"
        )
    best = matches[0]
    for match in matches[1:]:
        if match.encoding == "cp1252" and match.chaos <= best.chaos + 0.01:
            best = match
            break
    return Decoded(str(best), best.encoding, "detected")


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
        return _utf16_without_bom(data)[0]
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


def _utf16_without_bom(data: bytes) -> tuple[str, str]:
    """Some tools write UTF-16 without a BOM; NUL bytes on one side give it away."""
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    half = len(data) // 2
    if half and max(even, odd) >= 0.3 * half and min(even, odd) <= 0.05 * half:
        encoding = "utf-16-le" if odd > even else "utf-16-be"
        try:
            return data.decode(encoding), encoding
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


def detect_8bit(data: bytes) -> str | None:
    """The encoding of the 8-bit text in a vCard that is not UTF-8 (a Japanese phone's
    Shift_JIS export names no CHARSET), or None when nothing fits: its lines then fall
    back to Windows-1252 as before."""
    try:
        return _detect(data).encoding
    except InvalidInput:
        return None


def repair_line(text: str, charset: str | None, default: str | None = None) -> str:
    """Re-decode raw bytes of one vCard property with its CHARSET, else Windows-1252.

    vCard 2.1 writers put 8-bit text straight into the file and say which
    charset in a parameter; a file can mix several. Latin-1 is the last resort
    because it can decode any byte.
    """
    if not has_undecoded(text):
        return text
    return decode_charset(text.encode("utf-8", "surrogateescape"), charset, default)


def decode_charset(raw: bytes, charset: str | None, default: str | None = None) -> str:
    """Decode bytes from a quoted-printable value the same forgiving way; ``default`` is
    the file's detected encoding, tried after UTF-8."""
    for encoding in (charset, "utf-8", default, "cp1252"):
        if not encoding:
            continue
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("latin-1")
