"""Contacts as vCard 4.0 (RFC 6350), for address books and for leaving us.

"No lock-in" means a person can take their network to any contacts app, so
the output sticks to what Apple, Google and Thunderbird read: CRLF line ends,
lines folded at 75 octets without splitting a UTF-8 character, text escaped,
``BDAY:--MMDD`` when the year is unknown. Handles go out as ``URL`` (a
website), ``X-SOCIALPROFILE`` (a profile URL, Apple's convention) or ``IMPP``
with ``X-SERVICE-TYPE`` (a user name), which our importer reads back.
"""

from __future__ import annotations

import re

from planner.domain.contact import Birthday, Contact

PRODID = "-//Mentorship Planner//Contacts//EN"
LINE_OCTETS = 75
_IMPP_SCHEMES = {
    "skype": "skype",
    "xmpp": "xmpp",
    "jabber": "xmpp",
    "gtalk": "xmpp",
    "aim": "aim",
    "yahoo": "ymsgr",
    "msn": "msnim",
    "icq": "icq",
    "sip": "sip",
    "irc": "irc",
}
_URL = re.compile(r"^https?://", re.IGNORECASE)
_PARAM_SAFE = re.compile(r"^[A-Za-z0-9._+-]+$")


def write_vcards(contacts: list[Contact], photos: dict[int, bytes] | None = None) -> str:
    """All contacts as one vCard 4.0 file (a ``str``; write it as UTF-8); ``photos``
    (id → thumbnail) go out as ``PHOTO:data:`` URIs."""
    photos = photos or {}
    return "".join(card(contact, photos.get(contact.id)) for contact in contacts)


def card(contact: Contact, photo: bytes | None = None) -> str:
    """One contact as a folded, CRLF-terminated ``BEGIN:VCARD`` … ``END:VCARD``."""
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"PRODID:{PRODID}"]
    lines.append(f"FN:{escape(contact.name)}")
    lines.append(f"N:{structured_name(contact.name)}")
    if contact.email:
        lines.append(f"EMAIL;PREF=1:{escape(contact.email)}")
    lines.extend(f"TEL:{escape(phone)}" for phone in contact.phones)
    if contact.organization:
        lines.append(f"ORG:{escape(contact.organization)}")
    if contact.title:
        lines.append(f"TITLE:{escape(contact.title)}")
    if contact.birthday:
        lines.append(f"BDAY:{birthday(contact.birthday)}")
    if contact.timezone:
        lines.append(f"TZ:{escape(contact.timezone)}")  # 4.0's default: a zone name (text)
    if contact.tags:
        lines.append("CATEGORIES:" + ",".join(escape(tag) for tag in contact.tags))
    lines.extend(handle_line(service, value) for service, value in contact.handles.items())
    if contact.notes:
        lines.append(f"NOTE:{escape(contact.notes)}")
    if photo:
        from planner.importers.photos import data_uri

        lines.append(f"PHOTO:{data_uri(photo)}")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def escape(text: str) -> str:
    r"""RFC 6350 text escaping: ``\\``, ``\,``, ``\;`` and ``\n`` for line breaks."""
    text = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _escape_uri(text: str) -> str:
    """URIs are not text-escaped, but backslashes and line breaks still must not leak."""
    return text.replace("\\", "\\\\").replace("\r", "").replace("\n", "\\n")


def structured_name(name: str) -> str:
    """``N`` from a display name: the last word as family name, the rest as given.

    Only a fallback for apps that ignore FN; FN stays the name we mean.
    """
    words = name.split()
    if len(words) < 2:
        return f"{escape(name)};;;;"
    return f"{escape(words[-1])};{escape(' '.join(words[:-1]))};;;"


def birthday(value: Birthday) -> str:
    """``19800322``, or ``--0322`` when the year is unknown (RFC 6350 §4.3.1)."""
    month_day = f"{value.month:02d}{value.day:02d}"
    return f"{value.year:04d}{month_day}" if value.year else f"--{month_day}"


def handle_line(service: str, value: str) -> str:
    """The property that carries a handle so that its service survives a round trip."""
    kind = service.strip().lower()
    param = kind if _PARAM_SAFE.match(kind) else '"' + kind.replace('"', "'") + '"'
    if kind == "website" or kind.startswith("website-"):  # website-2: a second one kept
        return f"URL:{_escape_uri(value)}"
    if _URL.match(value):
        return f"X-SOCIALPROFILE;TYPE={param}:{_escape_uri(value)}"
    scheme = _IMPP_SCHEMES.get(kind, "x-apple")
    return f"IMPP;X-SERVICE-TYPE={param}:{scheme}:{_escape_uri(value)}"


def fold(line: str) -> str:
    """Fold at 75 octets (continuations start with a space) and end with CRLF."""
    if len(line.encode("utf-8")) <= LINE_OCTETS:
        return line + "\r\n"
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    limit = LINE_OCTETS
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1  # the space counts too
        current.append(ch)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces) + "\r\n"
