"""A person and the facts about them, as the rest of the app sees them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from planner.domain.errors import InvalidInput
from planner.domain.rings import Ring

MAX_NAME = 200
MAX_FIELD = 500
MAX_TEXT = 5_000_000  # a 1 MB note is fine; 5 MB is a refusal, not a hang

# C0 and C1 controls (tab, LF and CR are judged separately); C1 includes NEL and CSI.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = ("\n", "\r", "\u2028", "\u2029")
_SURROGATE = re.compile("[\ud800-\udfff]")
# A domain needs no dot: user@localhost and contact1@invalid are addresses (RFC 5321).
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>.][^@\s<>]*$")


@dataclass(frozen=True)
class Birthday:
    """A birthday whose year may be unknown (vCard ``--MM-DD``)."""

    month: int
    day: int
    year: int | None = None

    def __post_init__(self) -> None:
        try:
            date(self.year or 2000, self.month, self.day)  # 2000 admits 29 Feb
        except (ValueError, TypeError):
            # as it is typed (YYYY-MM-DD or --MM-DD), not "2/31"
            raise InvalidInput(f"not a real birthday: {self._typed()}") from None

    def _typed(self) -> str:
        try:
            md = f"{int(self.month):02d}-{int(self.day):02d}"
            return f"{int(self.year):04d}-{md}" if self.year else f"--{md}"
        except (ValueError, TypeError):
            return f"{self.year}, {self.month}, {self.day}"

    def iso(self) -> str:
        md = f"{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{md}" if self.year else f"--{md}"

    @classmethod
    def parse(cls, text: str) -> Birthday:
        s = (text or "").strip()
        m = re.fullmatch(r"(?:(\d{4})-?|--)(\d{2})-?(\d{2})", s)
        if not m:
            raise InvalidInput(f"birthday {text!r}: use YYYY-MM-DD, or --MM-DD without a year")
        year = int(m.group(1)) if m.group(1) else None
        return cls(int(m.group(2)), int(m.group(3)), year)


@dataclass(frozen=True)
class Contact:
    """A person as stored, with where they sit on this user's rings and their last touch."""

    id: int
    name: str
    email: str = ""
    phones: tuple[str, ...] = ()
    handles: dict[str, str] = field(default_factory=dict)
    channels: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    timezone: str = ""
    birthday: Birthday | None = None
    organization: str = ""
    title: str = ""
    notes: str = ""
    ring: Ring | None = None
    position: int | None = None
    cadence_days: int | None = None
    stage: str = "none"
    last_touch: datetime | None = None
    last_touch_kind: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1

    @property
    def initials(self) -> str:
        return initials(self.name)

    @property
    def preferred_channel(self) -> str:
        """The rule of This week's suggestions (planner.domain.channels)."""
        from planner.domain.channels import preferred_channel

        return preferred_channel(self)


def initials(name: str) -> str:
    """Whole characters, right-to-left scripts kept unjoined (see domain/initials.py)."""
    from planner.domain.initials import initials as whole_initials

    return whole_initials(name)


def refuse_undecoded(text: str, what: str) -> None:
    """Refuse text holding a lone surrogate: what Python makes of bytes that are not
    UTF-8 (``planner contacts add $'Jos\\xe9'`` typed in a Latin-1 terminal gives
    "Jos\\udce9"). No database can store it: it ended the command in "unexpected error"."""
    found = _SURROGATE.search(text)
    if found is None:
        return
    code = ord(found.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (Python's surrogateescape)
        raise InvalidInput(f"{what} holds a byte that is not UTF-8 text (\\x{code - 0xDC00:02x}): "
                           "write it in UTF-8")
    raise InvalidInput(f"{what} holds a character that is not valid Unicode "
                       f"(a lone surrogate, \\u{code:04x})")


def clean_text(
    value: str | None, what: str, limit: int = MAX_FIELD, multiline: bool = False
) -> str:
    """NFC-normalise and trim; refuse NUL/control characters, bytes that are not UTF-8
    and overlong input."""
    text = unicodedata.normalize("NFC", value or "").strip()
    refuse_undecoded(text, what)
    if "\x00" in text:
        raise InvalidInput(f"{what} contains a NUL character")
    if not multiline:  # a tab in a one-line field is a space (it broke the list's columns)
        text = text.replace("\t", " ")
    bad = _CONTROL.search(text)
    if bad or (not multiline and any(brk in text for brk in _LINE_BREAKS)):
        raise InvalidInput(f"{what} contains a control character")
    if len(text) > limit:
        raise InvalidInput(f"{what} is too long ({len(text)} characters; the limit is {limit})")
    return text


def clean_name(value: str | None) -> str:
    name = clean_text(value, "the name", MAX_NAME)
    if not name:
        raise InvalidInput("a contact needs a name")
    return name


def clean_email(value: str | None) -> str:
    email = clean_text(value, "the email")
    if email and not _EMAIL.match(email):
        raise InvalidInput(f"{email!r} does not look like an email address")
    return email


def clean_note(value: str | None) -> str:
    return clean_text(value, "the note", MAX_TEXT, multiline=True)


def clean_list(values, what: str) -> tuple[str, ...]:
    """Trim, drop empties and duplicates (case-insensitive), keep order."""
    out: list[str] = []
    seen: set[str] = set()
    for v in values or ():
        item = clean_text(v, what)
        if item and item.lower() not in seen:
            seen.add(item.lower())
            out.append(item)
    return tuple(out)


def clean_cadence(days: int | None) -> int | None:
    if days is None:
        return None
    if not isinstance(days, int) or days < 1 or days > 3650:
        raise InvalidInput(f"a cadence must be 1 to 3650 days, not {days}")
    return days


def normalised_name(name: str) -> str:
    """For matching duplicates: case, accents and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(letters.split())
