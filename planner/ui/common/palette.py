"""Colours that carry meaning: one per ring, one per cadence status."""

from functools import lru_cache

from planner.domain.rings import Ring

#: each with an ink for initials that reads at the list's size (4.5:1): white on the red, dark
#: on the amber and the teal (the red was #d1495b, 4.4:1; the teal #2a9d8f, 4.4:1)
RING_COLORS = {Ring.INNER: "#cb4557", Ring.MIDDLE: "#e8a33d", Ring.OUTER: "#2ea192"}
NEUTRAL_HALO = "#9aa5b1"
#: the ink of initials on a colour: white, or this where white would be hard to read
DARK_INK = "#1f2933"


def _luminance(hex_colour: str) -> float:
    """WCAG's relative luminance of "#rrggbb"."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG's contrast ratio of two "#rrggbb" colours (1.0 to 21.0)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@lru_cache(maxsize=64)
def readable_on(colour: str, background: str, ratio: float = 4.5) -> str:
    """``colour`` ("#rrggbb"), or the nearest shade of it that reads as text on
    ``background`` (WCAG ``ratio``, 4.5:1 for small text): mixed towards black on a
    light ground, towards white on a dark one. A ring's amber as words on a white card
    was 2.2:1; its shade #976a28 is 4.8:1 and still reads as the ring's."""
    if contrast_ratio(colour, background) >= ratio:
        return colour
    towards = 0 if _luminance(background) > 0.18 else 255
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    shade = colour
    for step in range(1, 21):  # 5 % at a time: the least change that reads
        mix = step / 20
        shade = "#" + "".join(f"{round(c + (towards - c) * mix):02x}" for c in rgb)
        if contrast_ratio(shade, background) >= ratio:
            break
    return shade


@lru_cache(maxsize=64)  # asked on every paint of a node or a ring's pill: a few colours
def ink_on(background: str) -> str:
    """White or DARK_INK, whichever contrasts more with ``background`` ("#rrggbb"), by
    WCAG's relative luminance: white initials on the unplaced grey (2.5:1) or the middle
    ring's amber were hard to read at the list's size."""
    on_white = contrast_ratio("#ffffff", background)
    on_dark = contrast_ratio(DARK_INK, background)
    return "#ffffff" if on_white >= on_dark else DARK_INK


STATUS_COLORS = {
    "on-track": "#2e9e5b",
    "due-soon": "#e0a100",
    "overdue": "#d64545",
    "never": "#8e6cc7",
}
