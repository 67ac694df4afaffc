"""Colours that carry meaning: one per ring, one per cadence status."""

from planner.domain.rings import Ring

RING_COLORS = {Ring.INNER: "#d1495b", Ring.MIDDLE: "#e8a33d", Ring.OUTER: "#2a9d8f"}
NEUTRAL_HALO = "#9aa5b1"
STATUS_COLORS = {
    "on-track": "#2e9e5b",
    "due-soon": "#e0a100",
    "overdue": "#d64545",
    "never": "#8e6cc7",
}
