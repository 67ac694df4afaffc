"""Plausible people from many cultures: names (native scripts included), emails,
handles, channels, tags, time zones, birthdays, organisations and titles.

The pools live in pools.py. Everything is drawn from the ``random.Random``
passed in, so the same seed gives the same people.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate
from zoneinfo import ZoneInfo

from planner.demo.pools import (
    CHANNEL_WEIGHTS,
    CHANNELS,
    CULTURES,
    MAIL_DOMAINS,
    ORGANISATIONS,
    TAGS,
    TITLES,
    Culture,
)

# Letters NFKD does not take apart.
_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ı": "i",
        "ð": "d",
        "þ": "th",
    }
)


def ascii_fold(text: str) -> str:
    """Zoë → Zoe, Łukasz → Lukasz, Nguyễn → Nguyen (for emails and handles)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in decomposed if ch.isascii() and not unicodedata.combining(ch))


@dataclass(frozen=True)
class _Word:
    native: str
    roman: str


def _words(text: str) -> tuple[tuple[_Word, _Word], ...]:
    """Parse the pool notation into (male form, female form) pairs."""
    out = []
    for entry in text.split():
        forms = []
        for form in entry.replace("_", " ").split("|"):
            native, _, roman = form.partition("/")
            forms.append(_Word(native, roman or ascii_fold(native)))
        out.append((forms[0], forms[-1]))
    return tuple(out)


@dataclass(frozen=True)
class _Pool:
    culture: Culture
    female: tuple
    male: tuple
    family: tuple
    zones: tuple[str, ...]


_POOLS = tuple(
    _Pool(c, _words(c.female), _words(c.male), _words(c.family), tuple(c.zones.split()))
    for c in CULTURES
)
_POOL_CUM = tuple(accumulate(c.weight for c in CULTURES))

PRONOUNS = ("she", "he", "they")


@dataclass
class Person:
    """One generated contact, before it becomes a row."""

    name: str
    short: str  # what notes call them: the given name (or the whole native name)
    pronoun: str
    email: str
    zone: str
    utc_offset_hours: int
    fields: dict = field(default_factory=dict)


def _slug(text: str) -> str:
    return "".join(ch for ch in ascii_fold(text).lower() if ch.isalnum())


def _org_domain(org: str) -> str:
    words = [_slug(w) for w in org.split() if w[0].isalpha()]
    return "".join(words[:2]) + (
        ".org"
        if "Foundation" in org or "City" in org
        else ".edu"
        if "Univ" in org or "Inst" in org
        else ".com"
    )


class PeopleFactory:
    """Draws people; remembers emails and names so it can avoid repeating them."""

    def __init__(self, rng: random.Random, now: datetime):
        self.rng = rng
        self.now = now
        self.emails: set[str] = set()
        self._taken: dict[str, int] = {}  # an email → the last number added to it
        self.names: set[str] = set()
        self._offsets: dict[str, int] = {}

    def offset(self, zone: str) -> int:
        if zone not in self._offsets:
            delta = self.now.astimezone(ZoneInfo(zone)).utcoffset()
            self._offsets[zone] = round(delta.total_seconds() / 3600) if delta else 0
        return self._offsets[zone]

    def _draw_name(self):
        rng = self.rng
        pool = rng.choices(_POOLS, cum_weights=_POOL_CUM)[0]
        pronoun = rng.choices(PRONOUNS, weights=(47, 47, 6))[0]
        female = pronoun == "she" or (pronoun == "they" and rng.random() < 0.5)
        given = rng.choice(pool.female if female else pool.male)[0]
        family = rng.choice(pool.family)[1 if female else 0]
        c = pool.culture
        if c.key == "vi":  # Nguyễn Thị Lan: family, middle, given
            middle = rng.choice(("Thị", "Ngọc", "Thu") if female else ("Văn", "Minh", "Hữu"))
            native = f"{family.native} {middle} {given.native}"
            return pool, pronoun, native, given.native, given.roman, family.roman
        if c.native_share and rng.random() < c.native_share:
            if c.eastern:
                native = f"{family.native}{c.joiner}{given.native}"
                return pool, pronoun, native, native, given.roman, family.roman
            native = f"{given.native} {family.native}"
            return pool, pronoun, native, given.native, given.roman, family.roman
        name = f"{given.roman if c.native_share else given.native} " + (
            family.roman if c.native_share else family.native
        )
        short = name.split()[0]
        return pool, pronoun, name, short, given.roman, family.roman

    def person(self) -> Person:
        rng = self.rng
        for _ in range(4):  # a few redraws keep duplicates rare in small networks
            pool, pronoun, name, short, given_r, family_r = self._draw_name()
            if name not in self.names:
                break
        self.names.add(name)
        zone = rng.choice(pool.zones) if rng.random() < 0.85 else rng.choice(_POOLS).zones[0]
        title, title_tag = rng.choice(TITLES)
        org = "" if title == "Student" or rng.random() < 0.12 else rng.choice(ORGANISATIONS)
        if not org and title != "Student":
            title = rng.choice(("Independent consultant", "Freelance developer", title))
        email = self._email(given_r, family_r, org)
        fields = {
            "email": email,
            "phones": self._phones(pool.culture),
            "handles": self._handles(given_r, family_r),
            "channels": self._channels(),
            "tags": self._tags(title_tag),
            "timezone": zone,
            "birthday": self._birthday(),
            "organization": org,
            "title": title,
        }
        return Person(name, short, pronoun, email, zone, self.offset(zone), fields)

    def _email(self, given: str, family: str, org: str) -> str:
        rng = self.rng
        g, f = _slug(given) or "hello", _slug(family) or "mail"
        domain = _org_domain(org) if org and rng.random() < 0.6 else rng.choice(MAIL_DOMAINS)
        local = rng.choice((f"{g}.{f}", f"{g}{f}", f"{g[0]}{f}", g, f"{g}_{f}"))
        email = f"{local}@{domain}"
        while email in self.emails:  # ada@, then ada2@, ada3@ ...
            n = self._taken[email] = self._taken.get(email, 1) + 1
            email = f"{local}{n}@{domain}"
        self.emails.add(email)
        return email

    def _phones(self, culture: Culture) -> list[str]:
        rng = self.rng
        if rng.random() < 0.45:
            return []
        digits = "".join(str(rng.randrange(10)) for _ in range(9))
        return [f"+{culture.phone} {digits[:3]} {digits[3:6]} {digits[6:]}"]

    def _handles(self, given: str, family: str) -> dict[str, str]:
        rng = self.rng
        g, f = _slug(given) or "dev", _slug(family) or "x"
        handles = {}
        if rng.random() < 0.6:
            handles["github"] = rng.choice((f"{g}{f}", f"{g}-{f}", f"{g[0]}{f}", f"{g}{f[:3]}"))
        if rng.random() < 0.3:
            handles["slack"] = rng.choice((g, f"{g}.{f}", f"{g}{f[0]}"))
        if rng.random() < 0.25:
            handles["twitter"] = rng.choice((f"{g}_{f}", f"{g}codes", f"{g}{f}_dev"))
        if rng.random() < 0.15:
            handles["mastodon"] = f"@{g}@" + rng.choice(("fosstodon.org", "hachyderm.io"))
        return handles

    def _channels(self) -> list[str]:
        rng = self.rng
        count = rng.choices((0, 1, 2, 3), weights=(15, 40, 30, 15))[0]
        picked: list[str] = []
        while len(picked) < count:
            channel = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS)[0]
            if channel not in picked:
                picked.append(channel)
        return picked

    def _tags(self, title_tag: str) -> list[str]:
        rng = self.rng
        tags = [title_tag] if title_tag in TAGS else []
        for tag in rng.sample(TAGS, rng.choices((0, 1, 2, 3), weights=(20, 40, 30, 10))[0]):
            if tag not in tags:
                tags.append(tag)
        return tags

    def _birthday(self) -> str:
        rng = self.rng
        if rng.random() < 0.6:
            return ""
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        if rng.random() < 0.35:
            return f"--{month:02d}-{day:02d}"
        return f"{rng.randint(1962, 2003):04d}-{month:02d}-{day:02d}"
