"""What a vCard holds that the planner keeps no field for, named in the preview.

The CSV reader names each recognised column it cannot keep ("not imported: fax numbers
(column "Business Fax", filled in 1 row): the planner has no field for them"). A vCard
says the same with its properties and the cards that hold them: "not imported: postal
addresses (ADR in 2 cards): …". Fax and pager numbers are named, not mixed in with the
phone numbers, as the CSV reader does with its fax and pager columns.

Properties that describe the file or the program that wrote it (VERSION, PRODID, UID,
REV, Apple's X-ABLabel and X-ABADR, Outlook's X-MS-OL-DESIGN, sync ids) hold nothing of
the person and need no mention; nor do phonetic names, which the CSV reader ignores too.
"""

from __future__ import annotations

from planner.importers.column_kinds import NOT_KEPT
from planner.importers.vcard_lines import Prop

#: every kind a vCard may hold and the planner may not, in the order the preview says them
KINDS = {
    "address": NOT_KEPT["address"],
    "fax": NOT_KEPT["fax"],
    "pager": NOT_KEPT["pager"],
    "nickname": NOT_KEPT["nickname"],
    "department": NOT_KEPT["department"],
    "role": "roles",
    "date": "anniversaries and other dates",
    "related": "related people",  # spouse, manager, assistant, child…
    "gender": "genders",
    "language": "languages",
    "geo": "geographic positions",
    "calendar": "calendar addresses",
    "key": "public keys",
    "logo": "logos",
    "sound": "sounds",
}

#: properties the planner has no field for (the upper-case name, without its group)
PROPERTY_KINDS = {
    "ADR": "address",
    "LABEL": "address",  # 2.1/3.0: the address as printed on an envelope
    "NICKNAME": "nickname",
    "X-KADDRESSBOOK-X-DEPARTMENT": "department",
    "ROLE": "role",
    "X-KADDRESSBOOK-X-PROFESSION": "role",
    "ANNIVERSARY": "date",
    "X-ANNIVERSARY": "date",
    "X-ABDATE": "date",  # Apple's labelled dates (item1.X-ABLabel:_$!<Anniversary>!$_)
    "X-EVOLUTION-ANNIVERSARY": "date",
    "X-MS-ANNIVERSARY": "date",
    "X-KADDRESSBOOK-X-ANNIVERSARY": "date",
    "RELATED": "related",
    "X-ABRELATEDNAMES": "related",
    "X-SPOUSE": "related",
    "X-MANAGER": "related",
    "X-ASSISTANT": "related",
    "X-EVOLUTION-SPOUSE": "related",
    "X-EVOLUTION-MANAGER": "related",
    "X-EVOLUTION-ASSISTANT": "related",
    "X-MS-SPOUSE": "related",
    "X-MS-MANAGER": "related",
    "X-MS-ASSISTANT": "related",
    "X-KADDRESSBOOK-X-SPOUSENAME": "related",
    "X-KADDRESSBOOK-X-MANAGERSNAME": "related",
    "X-KADDRESSBOOK-X-ASSISTANTSNAME": "related",
    "GENDER": "gender",
    "X-GENDER": "gender",
    "LANG": "language",
    "GEO": "geo",
    "FBURL": "calendar",
    "CALURI": "calendar",
    "CALADRURI": "calendar",
    "KEY": "key",
    "LOGO": "logo",
    "SOUND": "sound",
}

#: FullContact writes its own properties hex-encoded: X-FCENCODED-<hex of
#: "X-FC-RelatedNames:Mother">; the part before the colon says what the value is
_FULLCONTACT = "X-FCENCODED-"
_FULLCONTACT_KINDS = {"X-FC-RELATEDNAMES": "related", "X-FC-OTHERDATES": "date"}

#: TEL types that are no number to call (vCard 2.1 writes them as bare parameters)
_NOT_PHONES = ("fax", "pager")
_CALLABLE = {"voice", "cell"}  # a number typed "voice,fax" is still a phone


def phone_kind(prop: Prop) -> str | None:
    """``fax`` or ``pager`` for a TEL the planner keeps no field for, None for a phone."""
    if prop.types & _CALLABLE:
        return None
    for kind in _NOT_PHONES:
        if kind in prop.types:
            return kind
    return None


def property_kind(prop: Prop) -> tuple[str, str] | None:
    """``(kind, label)`` of a property of :data:`PROPERTY_KINDS` that holds a value, the
    label being how the preview names it; None for any other property."""
    if not has_value(prop.value):
        return None
    name = prop.name
    kind = PROPERTY_KINDS.get(name)
    if kind is not None:
        return kind, name
    if name.startswith(_FULLCONTACT):
        try:
            decoded = bytes.fromhex(name[len(_FULLCONTACT):]).decode("utf-8")
        except ValueError:
            return None
        kind = _FULLCONTACT_KINDS.get(decoded.partition(":")[0].upper())
        return (kind, _FULLCONTACT.rstrip("-")) if kind else None
    return None


def has_value(value: str) -> bool:
    """Not only the separators of a structured value (``ADR:;;;;;;``)."""
    return bool(value.strip(" \t;,"))


class Unkept:
    """The kinds a file holds that were not imported: which properties, in which cards."""

    def __init__(self) -> None:
        self._labels: dict[str, dict[str, None]] = {}  # kind -> labels, in the order met
        self._cards: dict[str, set[int]] = {}

    def add(self, kind: str, label: str, card: int) -> None:
        self._labels.setdefault(kind, {})[label] = None
        self._cards.setdefault(kind, set()).add(card)

    def notes(self) -> list[str]:
        """One line per kind, in the words of the CSV reader's (see ``_not_kept_notes``)."""
        lines = []
        for kind, what in KINDS.items():
            if kind not in self._labels:
                continue
            labels = list(self._labels[kind])
            names = ", ".join(labels[:4])
            more = f" and {len(labels) - 4} more" if len(labels) > 4 else ""
            cards = len(self._cards[kind])
            lines.append(
                f"not imported: {what} ({names}{more} in {cards} card"
                f"{'s' if cards != 1 else ''}): the planner has no field for them"
            )
        return lines
