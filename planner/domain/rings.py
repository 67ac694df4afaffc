"""The three rings of the pyramid and the rules for moving people between them."""

from __future__ import annotations

from enum import StrEnum
from itertools import pairwise

from planner.domain.errors import InvalidInput


class Ring(StrEnum):
    INNER = "inner"
    MIDDLE = "middle"
    OUTER = "outer"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def depth(self) -> int:
        """0 for the inner ring, 2 for the outer one."""
        return RING_ORDER.index(self)

    def promoted(self) -> Ring | None:
        return RING_ORDER[self.depth - 1] if self.depth > 0 else None

    def demoted(self) -> Ring | None:
        return RING_ORDER[self.depth + 1] if self.depth < len(RING_ORDER) - 1 else None


RING_ORDER: tuple[Ring, ...] = (Ring.INNER, Ring.MIDDLE, Ring.OUTER)
DEFAULT_CAPACITY: dict[Ring, int] = {Ring.INNER: 3, Ring.MIDDLE: 12, Ring.OUTER: 72}
DEFAULT_CADENCE_DAYS: dict[Ring, int] = {Ring.INNER: 3, Ring.MIDDLE: 14, Ring.OUTER: 42}

_RING_ALIASES = {
    "inner": Ring.INNER,
    "i": Ring.INNER,
    "3": Ring.INNER,
    "core": Ring.INNER,
    "middle": Ring.MIDDLE,
    "m": Ring.MIDDLE,
    "12": Ring.MIDDLE,
    "outer": Ring.OUTER,
    "o": Ring.OUTER,
    "72": Ring.OUTER,
}
_NONE_WORDS = {"none", "unplaced", "-", "off", "network"}


def parse_ring(text: str | None, allow_none: bool = True) -> Ring | None:
    """Read a ring name as a person would type it; ``none`` means unplaced."""
    word = (text or "").strip().lower()
    if allow_none and word in _NONE_WORDS:
        return None
    try:
        return _RING_ALIASES[word]
    except KeyError:
        choices = "inner, middle, outer" + (" or none" if allow_none else "")
        raise InvalidInput(f"unknown ring {text!r}: use {choices}") from None


def ring_label(ring: Ring | None) -> str:
    return ring.label if ring else "Unplaced"


def validate_capacities(caps: dict[Ring, int]) -> None:
    for ring, cap in caps.items():
        if not isinstance(cap, int) or cap < 1 or cap > 1000:
            raise InvalidInput(f"the {ring.value} ring's capacity must be 1 to 1000, not {cap}")


def odd_ring_settings(caps: dict[Ring, int], cadences: dict[Ring, int]) -> list[str]:
    """What looks like a slip in ring settings (allowed, but worth a word before saving):
    the pyramid narrows inwards and is reached more often inwards."""
    odd = []
    for inner, outer in pairwise(RING_ORDER):
        if cadences[inner] > cadences[outer]:
            odd.append(f"the {inner.value} ring is reached less often ({cadences[inner]} days) "
                       f"than the {outer.value} ring ({cadences[outer]} days)")
        if caps[inner] > caps[outer]:
            odd.append(f"the {inner.value} ring holds more people ({caps[inner]}) "
                       f"than the {outer.value} ring ({caps[outer]})")
    return odd
