"""What a stored value reads as when it is not one the app writes (``domain.stored``:
why; enum members are read by ``domain.stored.member``; JSON lists and maps by
``fields.decode_json``). Writing stays strict."""

from __future__ import annotations

from planner.domain.contact import Birthday
from planner.domain.errors import InvalidInput
from planner.domain.stored import warn_once


def birthday(text: str | None) -> Birthday | None:
    if not text:
        return None
    try:
        return Birthday.parse(text)
    except InvalidInput:
        warn_once("birthday", text, "none")
        return None
