"""Cleaning single values the way every contact export needs them cleaned.

vCard and CSV importers share these so that a birthday, a phone number or a
LinkedIn URL means the same thing whichever file it came from. Each function
either returns a usable value or raises ``ValueError`` with a short reason
that ends up in the import preview.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from urllib.parse import urlsplit

from planner.domain.contact import Birthday, clean_email
from planner.domain.errors import InvalidInput
from planner.domain.fields import clean_timezone

# C0 and C1 controls (as the domain refuses them) and undecodable bytes.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\udc80-\udcff]")
_SPACES = re.compile(r"\s+")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}
_NO_YEAR_MARKERS = {1604}  # Apple writes 1604 when the year is unknown
# Dates written when there is no date at all: 0001-01-01 (.NET), 1000-01-01, 1601-01-01
# (Windows), 1900-01-01 and 4501-01-01 (Outlook's "None").
_NO_DATE_YEARS = {1, 1000, 1601, 1900, 4501, 9999}
_OLDEST_YEAR = 1600  # an earlier year is a placeholder (Apple writes 1604): the day is kept
_SOCIAL_SITES = {
    "linkedin.com": "linkedin",
    "github.com": "github",
    "twitter.com": "twitter",
    "x.com": "twitter",
    "facebook.com": "facebook",
    "instagram.com": "instagram",
    "gitlab.com": "gitlab",
}


def one_line(text: str | None) -> str:
    """NFC, no control characters, runs of whitespace (newlines too) as one space."""
    text = unicodedata.normalize("NFC", text or "")
    return _SPACES.sub(" ", _CONTROL.sub("", text)).strip()


def multi_line(text: str | None) -> str:
    """Like :func:`one_line` but keeps line breaks (for notes)."""
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


_DISPLAY_NAME = re.compile(r"^(?:\"[^\"]*\"|[^<>\"]*)\s*<([^<>]+)>$")


def email_value(text: str) -> str:
    """An email address without ``mailto:``, angle brackets or a display name
    (``"Omega" <omega@example.com>``), or ValueError."""
    value = one_line(text)
    value = re.sub(r"^mailto:", "", value, flags=re.IGNORECASE).strip()
    named = _DISPLAY_NAME.match(value)
    if named:
        value = named.group(1)
    value = re.sub(r"^mailto:", "", value.strip("<> "), flags=re.IGNORECASE)
    try:
        value = clean_email(value)
    except InvalidInput as err:
        raise ValueError(str(err)) from None
    if not value:
        raise ValueError("empty")
    return value


def phone_value(text: str) -> str:
    """A phone number as people write it; ``tel:`` URIs lose the scheme, keep the extension."""
    value = one_line(text)
    if value.lower().startswith("tel:"):
        number, _, params = value[4:].partition(";")
        ext = re.search(r"(?:^|;)ext=([^;]+)", params)
        value = f"{number} ext. {ext.group(1)}" if ext else number
    if not re.search(r"\d", value):
        raise ValueError(f"{value!r} is not a phone number" if value else "empty")
    return value


def birthday_value(text: str, omit_year: int | None = None) -> Birthday | None:
    """Read the date formats real exports use; None for the 'no date' markers.

    Handles ISO (with or without dashes or a time), ``--MMDD`` / ``--MM-DD``
    without a year, ``07 Dec 2025``, ``Dec 7, 1980``, ``3/22/1980`` (Outlook,
    month first unless the first number cannot be a month) and ``22.03.1980``.
    """
    value = one_line(text)
    if value in {"", "--"} or re.fullmatch(r"[0\s./-]+", value):  # 0/0/00, 0.0.00, 0000-00-00
        return None
    year, month, day = _date_parts(value)
    if year is not None and (month, day) == (1, 1) and year in _NO_DATE_YEARS:
        return None
    if year is not None and year >= 4500:
        return None
    if year is not None and (
        year in _NO_YEAR_MARKERS or year == omit_year or year < _OLDEST_YEAR
    ):
        year = None
    try:
        return Birthday(month, day, year)
    except InvalidInput as err:
        raise ValueError(str(err)) from None


def _date_parts(value: str) -> tuple[int | None, int, int]:
    v = value.split("T")[0].strip() if re.match(r"^[\d-]+T", value) else value
    if m := re.fullmatch(r"(\d{4})-?(\d{1,2})-?(\d{1,2})", v):
        return int(m[1]), int(m[2]), int(m[3])
    if m := re.fullmatch(r"--?(\d{2})-?(\d{2})", v):
        return None, int(m[1]), int(m[2])
    if m := re.fullmatch(r"0(\d{2})(\d{2})", v):  # Sony Ericsson: 5 digits, no year
        return None, int(m[1]), int(m[2])
    if m := re.fullmatch(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", v):
        return int(m[1]), int(m[2]), int(m[3])
    if m := re.fullmatch(r"(\d{1,2})([/.])(\d{1,2})\2(\d{2}|\d{4})", v):
        first, second, year = int(m[1]), int(m[3]), _full_year(m[4])
        if m[2] == "." or first > 12:
            return year, second, first  # day first
        return year, first, second
    if m := re.fullmatch(r"(\d{1,2})[ -]([A-Za-z]{3,})\.?,?[ -](\d{4})", v):
        return int(m[3]), _month(m[2]), int(m[1])
    if m := re.fullmatch(r"([A-Za-z]{3,})\.? (\d{1,2}),? (\d{4})", v):
        return int(m[3]), _month(m[1]), int(m[2])
    raise ValueError(f"{value!r} is not a date this importer understands")


def _full_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= date.today().year % 100 else 1900
    return year


def _month(name: str) -> int:
    month = _MONTHS.get(name[:3].lower())
    if month is None:
        raise ValueError(f"{name!r} is not a month")
    return month


# A UTC offset as vCard writes it (``-05:00``, ``-0500``, ``+01``, vCard 4.0's
# ``utc-offset``) or as labels do (``UTC+2``, ``GMT-03:00``).
_OFFSET = re.compile(r"(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)


def timezone_value(text: str) -> tuple[str, bool]:
    """The time zone a value names, as the time zone database spells it
    (``america/new_york`` is America/New_York), and whether it was a fixed UTC offset.

    An offset of whole hours is the fixed zone of that offset (``-05:00`` is
    ``Etc/GMT+5``: the Etc names count the other way; ``+00:00`` and ``Z`` are UTC), so
    that someone far away still reads as far away; it has no daylight saving time, which
    the preview says. ValueError when the value names no zone of the database
    (``Mars/Base``), or is an offset no fixed zone has (``+05:30``)."""
    value = one_line(text)
    if not value:
        raise ValueError("empty")
    if value.upper() == "Z":
        return "UTC", True
    offset = _OFFSET.fullmatch(value)
    if offset is None:
        try:
            return clean_timezone(value), False
        except InvalidInput:
            raise ValueError(f"{value!r} is not a time zone of the time zone database "
                             "(such as Europe/Berlin)") from None
    sign, hours, minutes = offset[1], int(offset[2]), int(offset[3] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(f"{value!r} is not a UTC offset")
    if minutes or not -12 <= (-hours if sign == "-" else hours) <= 14:
        raise ValueError(f"{value} is a UTC offset that no fixed time zone has (whole hours "
                         "from -12 to +14 do); set their time zone by hand")
    if hours == 0:
        return "UTC", True
    return clean_timezone(f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"), True


def social_handle(url: str) -> tuple[str, str] | None:
    """``("linkedin", url)`` for a profile on a site we know, else None."""
    value = one_line(url).replace("\\:", ":")
    if not value:
        return None
    try:
        host = urlsplit(value if "://" in value else f"https://{value}").hostname or ""
    except ValueError:  # "http://[::1" and friends
        return None
    host = host.lower().removeprefix("www.")
    for site, service in _SOCIAL_SITES.items():
        if host == site or host.endswith("." + site):
            return service, value
    return None


def split_list(text: str) -> list[str]:
    """Split a tags/labels cell: Google's ``:::``, else ``;``, else commas."""
    value = one_line(text)
    for separator in (":::", ";", ","):
        if separator in value:
            return [part.strip() for part in value.split(separator) if part.strip()]
    return [value] if value else []


def without_system_groups(tags: list[str]) -> list[str]:
    """Google's system groups are no tags: "* myContacts" (everyone) goes, "* starred" is
    "starred"; the same in Google's "Outlook CSV" and vCard exports (``myContacts``)."""
    out = []
    for tag in tags:
        plain = tag.removeprefix("*").strip()
        if plain.casefold() in ("mycontacts", "my contacts"):
            continue
        out.append(plain if tag.startswith("*") else tag)
    return out


def unique(values: list[str]) -> list[str]:
    """Drop duplicates case-insensitively, keeping the first spelling and order."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return out
