"""Ring capacities and cadences: settings that belong to the data.

Read through :mod:`planner.services.setting_rules`, so a stored value that is
not valid (``"ring_capacity": "lots"``) gives the defaults, never a crash.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.domain.contact import clean_cadence
from planner.domain.errors import InvalidInput
from planner.domain.rings import DEFAULT_CADENCE_DAYS, DEFAULT_CAPACITY, Ring, validate_capacities
from planner.services.setting_rules import CADENCE, CAPACITY, read_setting, write_setting

if TYPE_CHECKING:
    from planner.storage.backend import Backend

PRESETS = {
    "pyramid": {Ring.INNER: 3, Ring.MIDDLE: 12, Ring.OUTER: 72},
    "dunbar": {Ring.INNER: 5, Ring.MIDDLE: 15, Ring.OUTER: 50},
}


def capacities() -> dict[Ring, int]:
    stored = read_setting(CAPACITY)
    return {ring: stored.get(ring.value, DEFAULT_CAPACITY[ring]) for ring in Ring}


def cadences() -> dict[Ring, int]:
    stored = read_setting(CADENCE)
    return {ring: stored.get(ring.value, DEFAULT_CADENCE_DAYS[ring]) for ring in Ring}


def set_capacities(store: Backend, caps: dict[Ring, int]) -> None:
    """Lowering a capacity never unplaces anyone: the ring just shows over-capacity."""
    merged = {**capacities(), **caps}
    validate_capacities(merged)
    with store.write():
        write_setting(CAPACITY, {r.value: n for r, n in merged.items()})


def set_cadences(store: Backend, days: dict[Ring, int]) -> None:
    merged = {**cadences(), **days}
    for ring, value in merged.items():
        if clean_cadence(value) is None:
            raise InvalidInput(f"the {ring.value} ring needs a cadence")
    with store.write():
        write_setting(CADENCE, {r.value: n for r, n in merged.items()})
