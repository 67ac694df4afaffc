"""Reading people from vCard files (2.1, 3.0 and 4.0).

Real exports are messy: Outlook writes 2.1 with quoted-printable soft line
breaks and 8-bit charsets, Apple groups properties (``item1.TEL``) and embeds
large photos, vCard 4.0 writes ``tel:`` URIs and ``--MMDD`` birthdays. The
rule here is that one unreadable property costs that property (reported with
its card and line), never the person, and never the whole file.
"""

from __future__ import annotations

from planner.domain.errors import InvalidInput
from planner.domain.formatting import is_whole_number
from planner.importers.draft import Draft
from planner.importers.records import (
    ImportProblem,
    ParseResult,
    Progress,
    ShouldCancel,
    Ticker,
)
from planner.importers.textfile import (
    decode_bytes,
    decode_text,
    detect_8bit,
    encoding_label,
    has_undecoded,
)
from planner.importers.values import social_handle, split_list, without_system_groups
from planner.importers.vcard_lines import (
    Prop,
    RawCard,
    card_version,
    check_binary,
    count_cards,
    parse_property,
    split_cards,
    split_escaped,
    unescape,
)
from planner.importers.vcard_unkept import Unkept, phone_kind, property_kind

# Instant-messaging properties written by Apple, Evolution, KDE and Outlook.
X_HANDLES = {
    "X-TWITTER": "twitter",
    "X-SKYPE": "skype",
    "X-SKYPE-USERNAME": "skype",
    "X-AIM": "aim",
    "X-ICQ": "icq",
    "X-JABBER": "jabber",
    "X-MSN": "msn",
    "X-YAHOO": "yahoo",
    "X-GOOGLE-TALK": "gtalk",
    "X-GTALK": "gtalk",
    "X-QQ": "qq",
    "X-GADUGADU": "gadugadu",
    "X-MS-IMADDRESS": "im",
    "X-LINKEDIN": "linkedin",
    "X-GITHUB": "github",
    "X-MASTODON": "mastodon",
    "X-TELEGRAM": "telegram",
}
# IMPP URI schemes (RFC 4770 and common practice) when X-SERVICE-TYPE is absent.
IMPP_SCHEMES = {
    "xmpp": "xmpp",
    "skype": "skype",
    "aim": "aim",
    "ymsgr": "yahoo",
    "msnim": "msn",
    "icq": "icq",
    "sip": "sip",
    "irc": "irc",
    "gg": "gadugadu",
    "qq": "qq",
}
BINARY = {"PHOTO", "LOGO", "SOUND", "KEY"}
HANDLES = {"URL", "IMPP", "X-SOCIALPROFILE", *X_HANDLES}
#: Outlook's callback number (X-MS-TEL;VOICE;CALLBACK) is a phone number like any TEL
PHONES = {"TEL", "X-MS-TEL"}
PLAIN_TYPES = {"pref", "home", "work", "internet", "other", "voice", "x-user"}


def parse_vcards(
    data: bytes,
    *,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
    encoding: str | None = None,
) -> ParseResult:
    """Read every card in ``data``; ``InvalidInput`` if there is nothing to read.

    ``progress(done, total)`` is called every 100 cards; ``should_cancel()``
    returning True raises :class:`~planner.importers.records.Cancelled`.
    ``encoding`` (the user's choice) is used for every line that names no CHARSET.
    """
    detected = None
    said: list[str] = []
    if encoding:
        decoded = decode_text(data, encoding)
        text, said = decoded.text, decoded.notes
    else:
        text = decode_bytes(data, fallback="surrogateescape")
        if has_undecoded(text):  # 8-bit text that is not UTF-8: which encoding, said
            detected = detect_8bit(data)
    total = count_cards(text)
    if not total:
        raise InvalidInput("the file contains no vCards (no BEGIN:VCARD line)")
    result = ParseResult(format="vcard")
    if detected:
        result.encoding, result.encoding_how = encoding_label(detected), "detected"
    elif encoding:
        result.encoding, result.encoding_how = encoding_label(encoding), "chosen"
    ticker = Ticker(total, progress, should_cancel)
    unkept = Unkept()
    done = 0
    for card in split_cards(text):
        ticker.step(done)
        read_card(card, result, charset=detected, unkept=unkept)
        done += 1
    ticker.finish(done)
    if not result.contacts:
        reason = str(result.invalid[0]) if result.invalid else "no card has a name"
        raise InvalidInput(f"no contacts could be read from the vCard file ({reason})")
    result.notes.extend([*said, *unkept.notes()])
    return result


def read_card(
    card: RawCard, result: ParseResult, where: str = "", unit: str = "line",
    charset: str | None = None, unkept: Unkept | None = None,
) -> None:
    """Turn one card into a contact, or into an entry in ``result.invalid``.

    ``where`` names the card for the preview (a jCard has no lines: its
    properties are counted instead, ``unit="property"``). What the card holds that the
    planner has no field for is tallied in ``unkept``, for the file's notes.
    """
    source = where or f"card {card.number} (line {card.line})"
    draft = Draft(source, card.line, result.problems)
    version = card_version(card)
    for number, line in card.lines:
        draft.where = f"card {card.number} ({unit} {number})"
        try:
            found = apply_property(parse_property(line, number, charset), draft, version)
        except ValueError as err:
            draft.problem(property_name(line), f"left out: {err}")
            continue
        if found is not None and unkept is not None:
            unkept.add(*found, card.number)
    draft.where = source
    contact = draft.finish(name_from_phone=card.closed)
    if contact is None:
        message = "no name, organisation or email address"
        if not card.closed:
            message = "cut short (no END:VCARD) before any name or email address"
        result.invalid.append(ImportProblem(source, "", message))
        return
    if not card.closed:
        draft.problem("END", "the card is cut short (no END:VCARD); imported what was there")
    result.contacts.append(contact)


def property_name(line: str) -> str:
    """The name of a property we could not parse, for the problem report."""
    head = line.split(":", 1)[0].split(";", 1)[0].strip()
    name = head.rsplit(".", 1)[-1].upper()
    return name[:40] if name.replace("-", "").isalnum() else "?"


def apply_property(prop: Prop, draft: Draft, version: str = "3.0") -> tuple[str, str] | None:
    """Route one property to the draft; returns ``(kind, label)`` of one that holds what
    the planner has no field for (a postal address, a fax number: see
    :mod:`planner.importers.vcard_unkept`), else None. Properties about the file itself
    (VERSION, PRODID, UID, REV…) are ignored on purpose.

    Values are unescaped by the card's own version's rules (2.1 has almost none).
    """
    name = prop.name
    if name == "PHOTO":
        read_photo(prop, draft)
    elif name in BINARY:
        check_binary(prop)  # a damaged one is said as such (and not named again below)
        return property_kind(prop)
    elif name == "FN":
        draft.set_full_name(unescape(prop.value, version))
    elif name == "N":
        read_name(prop, draft, version)
    elif name == "EMAIL":
        draft.add_email(unescape(prop.value, version), name, prop.preferred)
    elif name in PHONES:
        kind = phone_kind(prop)
        if kind is None:
            draft.add_phone(unescape(prop.value, version), name, prop.preferred)
        elif unescape(prop.value, version).strip():
            return kind, f"{name};TYPE={kind.upper()}"  # named, not among the phones
    elif name == "ORG":
        return read_organization(prop, draft, version)
    elif name == "TITLE":
        draft.set_title(unescape(prop.value, version), name)
    elif name == "BDAY":
        omit = prop.param("X-APPLE-OMIT-YEAR")
        draft.set_birthday(
            unescape(prop.value, version), name,
            int(omit) if is_whole_number(omit) else None,
        )
    elif name == "TZ":
        read_timezone(prop, draft, version)
    elif name == "NOTE":
        draft.add_note(unescape(prop.value, version))
    elif name == "CATEGORIES":
        tags = split_escaped(prop.value, ",", version)
        if version == "2.1":
            tags = [t for tag in tags for t in tag.split(";")]
        draft.add_tags(without_system_groups([t.strip() for t in tags]))
    elif name in HANDLES:
        read_handle(prop, draft, version)
    else:
        return property_kind(prop)
    return None


def read_organization(prop: Prop, draft: Draft, version: str = "3.0") -> tuple[str, str] | None:
    """ORG is the organisation, then its units (``ORG:IBM;Accounting``): the planner keeps
    the organisation; a unit is a department, which it has no field for."""
    parts = [p.strip() for p in split_escaped(prop.value, ";", version) if p.strip()]
    draft.set_organization(parts[0] if parts else "", "ORG")
    return ("department", "ORG's unit") if len(parts) > 1 else None


def read_photo(prop: Prop, draft: Draft) -> None:
    """An inline PHOTO becomes the person's thumbnail; a damaged or huge one costs itself,
    said once per card (a card may carry several pictures)."""
    from planner.importers.photos import photo_from_property

    if draft.photo:
        return
    try:
        check_binary(prop)
        draft.photo = photo_from_property(prop)
    except ValueError as err:
        if not draft.photo_noted:
            draft.photo_noted = True
            draft.problem("PHOTO", f"left out: {err}")


def read_timezone(prop: Prop, draft: Draft, version: str = "3.0") -> None:
    """``TZ:America/New_York`` (4.0), ``TZ:-05:00`` (2.1, 3.0; 4.0's ``VALUE=utc-offset``),
    or 3.0's text ``-05:00; EST; Raleigh/North America``, whose parts are tried too."""
    text = unescape(prop.value, version)
    parts = [part for part in text.split(";") if part.strip()] if ";" in text else []
    draft.set_timezone([text, *parts], "TZ")


def read_name(prop: Prop, draft: Draft, version: str = "3.0") -> None:
    """N is family;given;additional;prefix;suffix; we show "given additional family"."""
    parts = [*split_escaped(prop.value, ";", version), "", "", ""]
    family, given, additional = parts[0], parts[1], parts[2]
    draft.set_name_parts([given, additional.replace(",", " "), family])


def read_handle(prop: Prop, draft: Draft, version: str = "3.0") -> None:
    """URL, IMPP, X-SOCIALPROFILE and the X- messenger properties."""
    name = prop.name
    value = unescape(prop.value, version).strip()
    if name == "URL":
        found = social_handle(value)
        service, value = found if found else ("website", value)
        draft.add_handle(service, value, name)
    elif name == "IMPP":
        read_impp(prop, value, draft)
    elif name == "X-SOCIALPROFILE":
        kinds = [t for t in sorted(prop.types) if t not in PLAIN_TYPES]
        found = social_handle(value)
        service = kinds[0] if kinds else (found[0] if found else "social")
        draft.add_handle(service, value.removeprefix("x-apple:"), name)
    elif name in X_HANDLES:
        for handle in split_list(value)[:1]:
            draft.add_handle(X_HANDLES[name], handle, name)


def read_impp(prop: Prop, value: str, draft: Draft) -> None:
    """``IMPP;X-SERVICE-TYPE=Skype:skype:echo123``; without the parameter, the scheme says."""
    scheme, colon, rest = value.partition(":")
    scheme = scheme.lower()
    if not colon:
        scheme, rest = "", value  # no scheme at all: keep the whole value
    elif scheme in IMPP_SCHEMES:
        rest = rest.split("?", 1)[0]  # "skype:echo123?call" is the user echo123
    service = prop.param("X-SERVICE-TYPE") or IMPP_SCHEMES.get(scheme, scheme or "im")
    draft.add_handle(service, rest, "IMPP")
