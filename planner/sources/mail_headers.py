"""The few headers of a mail that capture reads, read so that no header can stop a sync.

A mailbox holds whatever anyone sent: raw UTF-8 (RFC 6532) or Latin-1 bytes in a header,
encoded-words in charsets Python does not know or with broken base64, thousands of
recipients, comments nested thousands deep. The standard library's modern header parser
(``policy.default``) takes minutes over some of those (its time grows with the square of
a header's length) and leaves undecodable bytes as lone surrogates, which no database
stores. So the headers are split by the old, line-based parser (``compat32``), each value
is decoded here (UTF-8, else Windows-1252), addresses are read by ``getaddresses`` (one
pass), and every value is cut to a size that keeps the worst header well under a second.
Plain Python, no I/O.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.header import decode_header
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime

MAX_FIELD = 512 * 1024  # characters of one header read (5,000 recipients are ~150,000)
MAX_WORDS = 2000  # characters of a subject or a name searched for encoded-words
MAX_ADDRESS = 254  # an address longer than SMTP allows (RFC 5321) is no one's
_ADDR_SPEC = re.compile(r"[^\s<>()\[\],;:\"@]+@[^\s<>()\[\],;:\"@]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def decoded(raw: str) -> str:
    """A header value as the parser kept it (bytes beyond ASCII as surrogates) → text:
    UTF-8 when it is, else Windows-1252 (what 8-bit mail without a charset mostly is)."""
    if raw.isascii():
        return raw
    data = raw.encode("ascii", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def words(text: str) -> str:
    """RFC 2047 encoded-words decoded; an unknown charset or broken base64 costs only that
    word (shown as far as it can be read), never the header."""
    text = text[:MAX_WORDS]
    if "=?" not in text:
        return one_line(text)
    try:
        parts = decode_header(text)
    except Exception:  # a word the library gives up on: the text as written
        return one_line(text)
    out = []
    for part, charset in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        out.append(_bytes_as_text(part, charset))
    return one_line("".join(out))


def _bytes_as_text(data: bytes, charset: str | None) -> str:
    for name in (charset, "utf-8"):
        if not name or name == "unknown-8bit":
            continue
        try:
            codecs.lookup(name)
            return data.decode(name)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    return data.decode("cp1252", "replace")


def one_line(text: str) -> str:
    """Control characters (NUL, line breaks, C1) out, runs of blanks as one space."""
    return " ".join(_CONTROL.sub(" ", text).split())


@dataclass(frozen=True)
class Headers:
    """A mail's header fields (lower-case name → its values, decoded and unfolded)."""

    fields: dict[str, list[str]]

    def raw(self, name: str) -> str:
        """The first value of a header as written (encoded-words not decoded), or ""."""
        found = self.fields.get(name.lower())
        return found[0] if found else ""

    def text(self, name: str) -> str:
        """The first value of a header as text (encoded-words decoded), or ""."""
        return words(self.raw(name))

    def date(self) -> datetime | None:
        """The Date header as an aware UTC time; None when missing, without a zone, or
        unreadable (an hour past 24, the year 0, a zone that leaves the calendar)."""
        raw = self.raw("date")
        if not raw:
            return None
        try:
            at = parsedate_to_datetime(raw)
            if at is None or at.tzinfo is None:
                return None
            return at.astimezone(UTC)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None

    def addresses(self, *names: str) -> list[tuple[str, str]]:
        """(address, display name) of every mailbox in these headers (every line of each:
        some mailers write To twice), groups opened, each address once."""
        out: list[tuple[str, str]] = []
        seen: set[str] = set()
        for name in names:
            for value in self.fields.get(name.lower(), []):
                for addr, display in _pairs(value):
                    addr = one_line(addr).strip("<>")
                    if "@" not in addr or len(addr) > MAX_ADDRESS \
                            or (" " in addr and not addr.startswith('"')):
                        continue
                    key = addr.casefold()
                    if key not in seen:
                        seen.add(key)
                        out.append((addr, words(display)[:200]))
        return out


def _pairs(value: str) -> list[tuple[str, str]]:
    """(address, display name) pairs of one header value; when the parser cannot follow
    it (comments or groups nested thousands deep), the bare addresses in it."""
    try:
        return [(addr, display) for display, addr in getaddresses([value])]
    except Exception:
        return [(addr, "") for addr in _ADDR_SPEC.findall(value)]


def parse(header_bytes: bytes) -> Headers:
    """The header fields of a mail's header block (as IMAP's BODY[HEADER.FIELDS] gives
    it); each value decoded, unfolded and cut to MAX_FIELD characters."""
    msg = BytesHeaderParser(policy=policy.compat32).parsebytes(header_bytes)
    fields: dict[str, list[str]] = {}
    for name, value in msg.raw_items():  # as written: no Header objects for 8-bit bytes
        text = decoded(str(value)[:MAX_FIELD])
        text = text.replace("\r\n", "").replace("\n", "").replace("\r", "")
        fields.setdefault(name.strip().lower(), []).append(text.strip())
    return Headers(fields)
