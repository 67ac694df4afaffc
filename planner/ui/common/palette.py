"""Colours that carry meaning: one per ring, one per cadence status."""

from functools import lru_cache

from planner.domain.rings import Ring

RING_COLORS = {Ring.INNER: "#d1495b", Ring.MIDDLE: "#e8a33d", Ring.OUTER: "#2a9d8f"}
NEUTRAL_HALO = "#9aa5b1"
#: the ink of initials on a colour: white, or this where white would be hard to read
DARK_INK = "#1f2933"


@lru_cache(maxsize=64)  # asked on every paint of a node or a ring's pill: a few colours
def ink_on(background: str) -> str:
    """White or DARK_INK, whichever contrasts more with ``background`` ("#rrggbb"), by
    WCAG's relative luminance: white initials on the unplaced grey (2.5:1) or the middle
    ring's amber were hard to read at the list's size."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                  for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    back = luminance(background)
    on_white = 1.05 / (back + 0.05)
    on_dark = (back + 0.05) / (luminance(DARK_INK) + 0.05)
    return "#ffffff" if on_white >= on_dark else DARK_INK


STATUS_COLORS = {
    "on-track": "#2e9e5b",
    "due-soon": "#e0a100",
    "overdue": "#d64545",
    "never": "#8e6cc7",
}
