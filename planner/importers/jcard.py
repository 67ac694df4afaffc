"""jCard (RFC 7095): vCard 4.0 written as JSON, read exactly like a vCard file.

A jCard is ``["vcard", [[name, {params}, type, value, ...], ...]]``; a file of
several holds a list of them. Each property becomes the vCard 4.0 line it
stands for (escaped as 4.0 escapes), so that the same code reads both and one
unreadable property still costs only itself. A JSON file that is neither a
Mentorship Planner export nor a jCard is refused with one line saying so.
"""

from __future__ import annotations

import json

from planner.domain.errors import InvalidInput
from planner.importers.records import ParseResult, Progress, ShouldCancel, Ticker
from planner.importers.vcard_lines import RawCard

NEITHER = (
    "this JSON file is neither a Mentorship Planner export nor a jCard address book "
    "(RFC 7095): export the contacts as vCard (.vcf) or CSV and import that"
)
#: what a file that is not JSON after all may be instead
CAN_READ = ("a Mentorship Planner export, a jCard address book (RFC 7095), a vCard (.vcf) "
            "or a CSV file can be imported")


def load_json(data: bytes):
    """The parsed JSON, or InvalidInput (never a RecursionError or a traceback)."""
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InvalidInput(f"the file starts like JSON but cannot be read as JSON (it is "
                           f"cut short or not JSON at all); {CAN_READ}") from None


def jcards(value) -> list | None:
    """The cards of a parsed jCard file, or None when it is no jCard."""
    if _is_card(value):
        return [value]
    if isinstance(value, list) and value and all(_is_card(card) for card in value):
        return value
    return None


def _is_card(value) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], str)
        and value[0].lower() == "vcard"
        and isinstance(value[1], list)
    )


def json_kind(data: bytes) -> str:
    """``jcard`` for a jCard file; InvalidInput for any other JSON."""
    if jcards(load_json(data)) is None:
        raise InvalidInput(NEITHER)
    return "jcard"


def parse_jcards(
    data: bytes, *, progress: Progress | None = None, should_cancel: ShouldCancel | None = None
) -> ParseResult:
    from planner.importers.vcard import read_card
    from planner.importers.vcard_unkept import Unkept

    cards = jcards(load_json(data))
    if cards is None:
        raise InvalidInput(NEITHER)
    result = ParseResult(format="jcard")
    ticker = Ticker(len(cards), progress, should_cancel)
    unkept = Unkept()
    for number, card in enumerate(cards, start=1):
        ticker.step(number - 1)
        raw = RawCard(number, number, closed=True, version="4.0")
        for index, prop in enumerate(card[1], start=1):
            raw.lines.append((index, property_line(prop)))
        read_card(raw, result, where=f"card {number}", unit="property", unkept=unkept)
    ticker.finish(len(cards))
    if not result.contacts:
        reason = str(result.invalid[0]) if result.invalid else "no card has a name"
        raise InvalidInput(f"no contacts could be read from the jCard file ({reason})")
    result.notes.extend(unkept.notes())
    return result


def property_line(prop) -> str:
    """``["email", {"type": "work"}, "text", "a@x"]`` → ``EMAIL;TYPE=work:a@x``.

    A property that is not a jCard property becomes a line the vCard reader
    refuses (and reports), never an exception here.
    """
    if not (isinstance(prop, list) and len(prop) >= 4 and isinstance(prop[0], str)
            and isinstance(prop[1], dict) and isinstance(prop[2], str)):
        return "?"
    name, params, kind, values = prop[0].upper(), prop[1], prop[2].lower(), prop[3:]
    head = name
    group = params.get("group")
    if isinstance(group, str) and group:
        head = f"{group}.{name}"
    for key, value in params.items():
        if key.lower() == "group":
            continue
        listed = value if isinstance(value, list) else [value]
        head += f";{key.upper()}=" + ",".join(_param(str(v)) for v in listed)
    if kind not in ("text",) and name not in ("N", "ADR", "ORG", "GENDER", "CATEGORIES"):
        return f"{head}:" + ",".join(str(v) for v in values)
    return f"{head}:" + ",".join(_structured(v) for v in values)


def _structured(value) -> str:
    if isinstance(value, list):
        return ";".join(
            ",".join(_escape(str(v)) for v in part) if isinstance(part, list)
            else _escape(str(part))
            for part in value
        )
    return _escape(str(value))


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    )


def _param(value: str) -> str:
    value = value.replace('"', "'")
    return f'"{value}"' if any(c in value for c in ":;,") else value
