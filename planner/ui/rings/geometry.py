"""Where rings and nodes sit on the canvas, and which ring owns a point.

The inner ring owns the whole disc inside it; each other ring the band between
it and the ring inside it; beyond the outer ring is outside (unplaced).
"""

from __future__ import annotations

import math

from planner.domain.rings import RING_ORDER, Ring

RADIUS: dict[Ring, float] = {Ring.INNER: 120.0, Ring.MIDDLE: 250.0, Ring.OUTER: 400.0}
NODE_RADIUS: dict[Ring, float] = {Ring.INNER: 27.0, Ring.MIDDLE: 21.0, Ring.OUTER: 14.0}
MARGIN = 60.0
SCENE_EXTENT = RADIUS[Ring.OUTER] + MARGIN


def area_at(x: float, y: float) -> Ring | None:
    """The ring whose area holds (x, y); None means outside every ring.

    A ring's people sit on its line, so its area reaches a node's radius beyond the line:
    a drop on a ring's own line (or a nudge of a node smaller than the node) keeps the
    person on it. It ended at the line, so moving an outer-ring person 12 px outward took
    them off the rings, and a drop on the middle line went to the outer ring."""
    r = math.hypot(x, y)
    for ring in RING_ORDER:
        if r <= RADIUS[ring] + NODE_RADIUS[ring]:
            return ring
    if r <= RADIUS[Ring.OUTER] + 2 * NODE_RADIUS[Ring.OUTER]:  # off the rings: a clear way
        return Ring.OUTER                                      # out, not just off a node
    return None


def slot(ring: Ring, index: int, count: int) -> tuple[float, float]:
    """Spread ``count`` nodes evenly around ``ring``, the first at the top, clockwise."""
    angle = -math.pi / 2 + 2 * math.pi * index / max(count, 1)
    radius = RADIUS[ring]
    return radius * math.cos(angle), radius * math.sin(angle)


def index_at_angle(x: float, y: float, count: int) -> int:
    """Where a node dropped at (x, y) goes among ``count`` others (0..count)."""
    if count <= 0:
        return 0
    turn = (math.atan2(y, x) + math.pi / 2) % (2 * math.pi) / (2 * math.pi)
    return max(0, min(count, math.ceil(turn * count - 1e-9)))


def nearest_slot(x: float, y: float, count: int) -> int:
    """The slot (0..count-1) of ``count`` evenly spread slots nearest to (x, y)'s angle."""
    if count <= 0:
        return 0
    turn = (math.atan2(y, x) + math.pi / 2) % (2 * math.pi) / (2 * math.pi)
    return math.floor(turn * count + 0.5) % count
