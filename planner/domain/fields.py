"""A person's editable fields: cleaning what the form, the command line, an import or a
capture gives (one set of rules everywhere), reading them back as the form shows them,
and the small text forms people type (lists, ``service: handle``)."""

from __future__ import annotations

from functools import lru_cache

from planner.domain.contact import (
    Birthday,
    clean_cadence,
    clean_email,
    clean_list,
    clean_name,
    clean_note,
    clean_text,
)
from planner.domain.errors import InvalidInput

EDITABLE = (
    "name",
    "email",
    "phones",
    "handles",
    "channels",
    "tags",
    "timezone",
    "birthday",
    "organization",
    "title",
    "notes",
    "cadence_days",
    "stage",
)
STAGES = ("none", "cultivating", "succeeded", "advocate")


def clean_fields(values: dict) -> dict:
    """Validate and normalise editable fields; unknown keys are a programming error."""
    out: dict = {}
    for key, value in values.items():
        if key not in EDITABLE:
            raise TypeError(f"not an editable contact field: {key}")
        if key == "name":
            out[key] = clean_name(value)
        elif key == "email":
            out[key] = clean_email(value)
        elif key in ("phones", "channels", "tags"):
            out[key] = list(clean_list(value, key[:-1]))
            if key == "phones":  # as an import reads them: "abc" was kept as a number
                for phone in out[key]:
                    if not any(ch.isdigit() for ch in phone):
                        raise InvalidInput(f"{phone!r} is not a phone number (it has no digit)")
        elif key == "handles":
            out[key] = {
                clean_text(k, "a handle's service").lower(): clean_text(v, "a handle")
                for k, v in (value or {}).items()
                if clean_text(v, "a handle")
            }
        elif key == "birthday":
            out[key] = _birthday_text(value)
        elif key == "notes":
            out[key] = clean_note(value)
        elif key == "timezone":
            out[key] = clean_timezone(value)
        elif key == "cadence_days":
            out[key] = clean_cadence(value)
        elif key == "stage":
            if value not in STAGES:
                raise InvalidInput(f"unknown stage {value!r}: use {', '.join(STAGES)}")
            out[key] = value
        else:
            out[key] = clean_text(value, key)
    return out


def clean_timezone(value) -> str:
    """An IANA time zone as the time zone database spells it ("europe/berlin" is
    "Europe/Berlin"), or "" for none. "Mars/Base" was kept, and quietly turned off what
    the zone decides (a video call rather than a coffee for someone far away)."""
    text = clean_text(value, "time zone")
    if not text:
        return ""
    known = _zone_names()
    found = known.get(text.casefold())
    if found is None:
        raise InvalidInput(f"unknown time zone {text!r}: use a name such as Europe/Berlin, "
                           "America/New_York or Asia/Tokyo")
    return found


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    """Every zone name of the time zone database, by its casefold (read once: ~10 ms)."""
    from zoneinfo import available_timezones

    return {name.casefold(): name for name in available_timezones()} | {"utc": "UTC"}


def _birthday_text(value) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, Birthday):
        return value.iso()
    return Birthday.parse(str(value)).iso()


def field_value(contact, key: str):
    """A person's field as the contact form gives it back (to see what an edit changes)."""
    value = getattr(contact, key)
    if key == "birthday":
        return value.iso() if value else ""
    if isinstance(value, tuple):
        return list(value)
    return value


def split_items(text: str) -> list[str]:
    """A list as people type it in one field: ``im, email`` or ``a@x.org; b@y.org``."""
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def split_handle(text: str) -> tuple[str, str] | None:
    """``github: ada`` or ``github=ada`` → ("github", "ada"); None if it is not one.
    The first ``:`` or ``=`` separates (``web=https://…`` keeps its URL whole)."""
    cuts = [i for i in (text.find(":"), text.find("=")) if i >= 0]
    if not cuts:
        return None
    cut = min(cuts)
    service, handle = text[:cut].strip(), text[cut + 1:].strip()
    if not service or not handle:
        return None
    return service.lower(), handle
