"""How to reach someone: their preferred channel, and the kind of touchpoint that goes
with it — one rule for This week's suggestion, a person's ``preferred_channel``, the
log dialog opened from This week and a thank-you.

``person`` is anything with ``channels``, ``email``, ``handles`` and ``phones`` (a
Contact, a focus candidate).
"""

from __future__ import annotations

from planner.domain.errors import InvalidInput
from planner.domain.kinds import parse_kind


def preferred_channel(person) -> str:
    """Their first preferred channel (lower case); else email, a handle's network, or
    phone; "" when there is no way to reach them."""
    for channel in person.channels:
        if channel.strip():
            return channel.strip().lower()
    if person.email:
        return "email"
    handle_keys = [key.lower() for key, value in (person.handles or {}).items() if value]
    if handle_keys:
        return handle_keys[0]
    return "phone" if person.phones else ""


def touch_kind(person, default: str = "coffee") -> str:
    """The kind of touchpoint to preset when logging a touch with them: their first
    preferred channel that names a kind ("slack" is im, "phone" a call); channels that
    name none (GitHub, LinkedIn) mean a message: im. Without channels: email when they
    have an address, else ``default``."""
    named = False
    for channel in person.channels:
        if not channel.strip():
            continue
        named = True
        try:
            return parse_kind(channel).value
        except InvalidInput:
            continue
    if named:
        return "im"
    return "email" if person.email else default
