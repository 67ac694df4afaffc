"""Kinds of touchpoint, their labels, keyboard keys and the aliases people type."""

from __future__ import annotations

from enum import StrEnum

from planner.domain.errors import InvalidInput


class Kind(StrEnum):
    COFFEE = "coffee"
    IM = "im"
    SMS = "sms"
    CALL = "call"
    VIDEO = "video"
    EMAIL = "email"
    MEAL = "meal"
    IN_PERSON = "in-person"
    EVENT = "event"
    COLLAB = "collab"
    AMPLIFY = "amplify"
    MEETING = "meeting"
    OTHER = "other"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def phrase(self) -> str:
        """The kind in a sentence: "Log an email with Ada", "Log a meeting in person"."""
        return KIND_PHRASES[self]

    @property
    def menu_text(self) -> str:
        """The kind in a menu, title case: "Log Email…", "Log Meeting in Person…" (not
        "Log In person…", read as logging in)."""
        return KIND_MENU_TEXTS.get(self, self.label)


KIND_LABELS: dict[Kind, str] = {
    Kind.COFFEE: "Coffee",
    Kind.IM: "IM",
    Kind.SMS: "SMS",
    Kind.CALL: "Call",
    Kind.VIDEO: "Video",
    Kind.EMAIL: "Email",
    Kind.MEAL: "Meal",
    Kind.IN_PERSON: "In person",
    Kind.EVENT: "Event",
    Kind.COLLAB: "Collaboration",
    Kind.AMPLIFY: "Amplify",
    Kind.MEETING: "Meeting",
    Kind.OTHER: "Other",
}

KIND_PHRASES: dict[Kind, str] = {
    Kind.COFFEE: "a coffee",
    Kind.IM: "an IM",
    Kind.SMS: "an SMS",
    Kind.CALL: "a call",
    Kind.VIDEO: "a video call",
    Kind.EMAIL: "an email",
    Kind.MEAL: "a meal",
    Kind.IN_PERSON: "a meeting in person",
    Kind.EVENT: "an event",
    Kind.COLLAB: "a collaboration",
    Kind.AMPLIFY: "an amplification",
    Kind.MEETING: "a meeting",
    Kind.OTHER: "another kind of touch",
}

KIND_MENU_TEXTS: dict[Kind, str] = {
    Kind.VIDEO: "Video Call",
    Kind.IN_PERSON: "Meeting in Person",
    Kind.OTHER: "Other Touch",
}

#: One key per common kind, shown in the menus (N is for a note, not a kind).
KIND_KEYS: dict[Kind, str] = {
    Kind.COFFEE: "C",
    Kind.IM: "I",
    Kind.SMS: "S",
    Kind.CALL: "P",
    Kind.VIDEO: "V",
    Kind.EMAIL: "E",
    Kind.MEAL: "M",
}
NOTE_KEY = "N"

#: Private channels: where people are made successful.
PRIVATE_CHANNELS = frozenset({Kind.IM, Kind.SMS, Kind.CALL, Kind.VIDEO, Kind.COFFEE, Kind.MEAL})

_ALIASES: dict[str, Kind] = {
    "skype": Kind.VIDEO,
    "zoom": Kind.VIDEO,
    "meet": Kind.VIDEO,
    "facetime": Kind.VIDEO,
    "teams": Kind.VIDEO,
    "beer": Kind.MEAL,
    "lunch": Kind.MEAL,
    "dinner": Kind.MEAL,
    "breakfast": Kind.MEAL,
    "drinks": Kind.MEAL,
    "text": Kind.SMS,
    "phone": Kind.CALL,
    "chat": Kind.IM,
    "slack": Kind.IM,
    "dm": Kind.IM,
    "signal": Kind.IM,
    "whatsapp": Kind.IM,
    "mail": Kind.EMAIL,
    "inperson": Kind.IN_PERSON,
    "in_person": Kind.IN_PERSON,
    "irl": Kind.IN_PERSON,
    "meetings": Kind.MEETING,
    "conference": Kind.EVENT,
    "meetup": Kind.EVENT,
    "collaboration": Kind.COLLAB,
    "pairing": Kind.COLLAB,
    "retweet": Kind.AMPLIFY,
    "share": Kind.AMPLIFY,
    "boost": Kind.AMPLIFY,
}


def kind_label(kind: str | None) -> str:
    """A stored kind as the window and the exports name it after a date, "Fri 4 Dec
    (Coffee)": its label ("Coffee", "IM", "In person"); a kind this version does not
    know as stored; "" for none."""
    if not kind:
        return ""
    try:
        return Kind(kind).label
    except ValueError:
        return kind


def parse_kind(text: str) -> Kind:
    word = (text or "").strip().lower().replace(" ", "-")
    try:
        return Kind(word)
    except ValueError:
        pass
    if word in _ALIASES:
        return _ALIASES[word]
    names = ", ".join(k.value for k in Kind)
    raise InvalidInput(f"unknown kind {text!r}: use one of {names}")
