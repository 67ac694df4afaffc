"""Ring capacities and cadences: settings that belong to the data."""

from __future__ import annotations

from planner.domain.contact import clean_cadence
from planner.domain.errors import InvalidInput
from planner.domain.rings import DEFAULT_CADENCE_DAYS, DEFAULT_CAPACITY, Ring, validate_capacities
from planner.storage.models import db_proxy
from planner.storage.settings_repo import get_setting, set_setting

PRESETS = {
    "pyramid": {Ring.INNER: 3, Ring.MIDDLE: 12, Ring.OUTER: 72},
    "dunbar": {Ring.INNER: 5, Ring.MIDDLE: 15, Ring.OUTER: 50},
}


def capacities() -> dict[Ring, int]:
    stored = get_setting("ring_capacity", {})
    return {ring: int(stored.get(ring.value, DEFAULT_CAPACITY[ring])) for ring in Ring}


def cadences() -> dict[Ring, int]:
    stored = get_setting("ring_cadence_days", {})
    return {ring: int(stored.get(ring.value, DEFAULT_CADENCE_DAYS[ring])) for ring in Ring}


def set_capacities(caps: dict[Ring, int]) -> None:
    """Lowering a capacity never unplaces anyone: the ring just shows over-capacity."""
    merged = {**capacities(), **caps}
    validate_capacities(merged)
    with db_proxy.atomic():
        set_setting("ring_capacity", {r.value: n for r, n in merged.items()})


def set_cadences(days: dict[Ring, int]) -> None:
    merged = {**cadences(), **days}
    for ring, value in merged.items():
        if clean_cadence(value) is None:
            raise InvalidInput(f"the {ring.value} ring needs a cadence")
    with db_proxy.atomic():
        set_setting("ring_cadence_days", {r.value: n for r, n in merged.items()})
