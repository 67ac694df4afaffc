"""Who sits on which ring, and how they got there: a ring-move history that ends
in the final rings and never overfills a ring at any moment.

The history is built backwards from the final rings: each step undoes a
promotion, a demotion or a swap that was possible at that moment, so replaying
the moves forwards from the first placements respects the capacities and
lands exactly on today's rings.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from planner.domain.rings import RING_ORDER, Ring

DAY = 86_400.0
HISTORY_DAYS = 730  # two years of history

#: Expected touchpoints per day while someone is on a ring (None: unplaced).
TOUCH_RATE: dict[Ring | None, float] = {
    Ring.INNER: 1 / 2.5,
    Ring.MIDDLE: 1 / 11,
    Ring.OUTER: 1 / 40,
    None: 1 / 250,
}


@dataclass(frozen=True)
class Move:
    at: float  # seconds before now
    person: int
    from_ring: Ring | None
    to_ring: Ring | None


def final_rings(n: int, capacity: dict[Ring, int], rng: random.Random) -> list[Ring | None]:
    """Fill the rings from the inside out with randomly chosen people; the rest unplaced."""
    order = list(range(n))
    rng.shuffle(order)
    rings: list[Ring | None] = [None] * n
    start = 0
    for ring in RING_ORDER:
        for person in order[start : start + capacity[ring]]:
            rings[person] = ring
        start += capacity[ring]
    return rings


def _lower(ring: Ring) -> Ring | None:
    return ring.demoted()


def history(final: list[Ring | None], capacity: dict[Ring, int], rng: random.Random) -> list[Move]:
    """Moves, oldest first (in seconds before now), ending in ``final``."""
    members: dict[Ring | None, list[int]] = {ring: [] for ring in (*RING_ORDER, None)}
    for person, ring in enumerate(final):
        members[ring].append(person)
    placed = sum(len(members[r]) for r in RING_ORDER)
    times = sorted(
        rng.uniform(2 * DAY, (HISTORY_DAYS - 30) * DAY) for _ in range(round(placed * 0.8))
    )
    moves: list[Move] = []
    for at in times:  # newest first: undo one event at a time
        ring = rng.choices(RING_ORDER, weights=(2, 3, 3))[0]
        lower = _lower(ring)
        here, below = members[ring], members[lower]
        if not here:
            continue
        kind = rng.choices(("swap", "promoted", "demoted"), weights=(5, 3, 2))[0]
        if kind == "swap" and below:
            a = here.pop(rng.randrange(len(here)))
            b = below.pop(rng.randrange(len(below)))
            here.append(b)
            below.append(a)
            moves += [Move(at, a, lower, ring), Move(at, b, ring, lower)]
        elif kind == "promoted" and (lower is None or len(below) < capacity[lower]):
            a = here.pop(rng.randrange(len(here)))
            below.append(a)
            moves.append(Move(at, a, lower, ring))
        elif kind == "demoted" and below and len(here) < capacity[ring]:
            a = below.pop(rng.randrange(len(below)))
            here.append(a)
            moves.append(Move(at, a, ring, lower))
    # Whoever is placed at the start was put there in the first weeks of use.
    for ring in RING_ORDER:
        for person in members[ring]:
            at = rng.uniform((HISTORY_DAYS - 28) * DAY, HISTORY_DAYS * DAY)
            moves.append(Move(at, person, None, ring))
    moves.sort(key=lambda m: (-m.at, m.person))
    return moves


@dataclass
class Timeline:
    """When someone was on which ring, as segments between ``start`` and now."""

    starts: list[float]  # seconds before now, descending (oldest first)
    rings: list[Ring | None]

    def segments(self) -> list[tuple[float, float, Ring | None]]:
        ends = [*self.starts[1:], 0.0]
        return [(s, e, r) for s, e, r in zip(self.starts, ends, self.rings, strict=True)]


def timelines(n: int, created: list[float], moves: list[Move]) -> list[Timeline]:
    """Each person's ring over time, from when they were added until now."""
    out = [Timeline([created[p]], [None]) for p in range(n)]
    for move in moves:
        line = out[move.person]
        line.starts.append(move.at)
        line.rings.append(move.to_ring)
    return out


def weights(line: Timeline, factor: float) -> tuple[list[float], float]:
    """Cumulative touch weights over a person's segments, and their total."""
    cumulative, total = [], 0.0
    for start, end, ring in line.segments():
        total += (start - end) / DAY * TOUCH_RATE[ring] * factor
        cumulative.append(total)
    return cumulative, total
