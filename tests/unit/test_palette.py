"""The colour rules in planner.ui.common.palette (plain functions of "#rrggbb" colours)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from planner.ui.common.palette import (
    DARK_INK,
    RING_COLORS,
    contrast_ratio,
    ink_on,
    readable_on,
)
from tests.helpers.contrast import contrast

colours = st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}")


@given(colours, colours)
def test_contrast_ratio_agrees_with_the_tests_own(a, b):
    assert abs(contrast_ratio(a, b) - contrast(a, b)) < 1e-6  # (QColor keeps 16 bits)


@given(colours, colours)
def test_a_shade_that_reads_is_found_on_any_ground(colour, ground):
    shade = readable_on(colour, ground)
    assert contrast_ratio(shade, ground) >= 4.5
    if contrast_ratio(colour, ground) >= 4.5:
        assert shade == colour  # what reads already is left as it is


def test_the_rings_colours_as_words_on_white_and_on_the_dark_cards():
    shades = {ring: readable_on(colour, "#ffffff") for ring, colour in RING_COLORS.items()}
    assert all(contrast_ratio(s, "#ffffff") >= 4.5 for s in shades.values())
    # the least change: the amber stays an amber (red above blue), not a brown-black
    r, g, b = (int(shades[next(iter(RING_COLORS))][i:i + 2], 16) for i in (1, 3, 5))
    assert r > g and r > b
    assert readable_on("#e8a33d", "#222834") == "#e8a33d"  # already 6.9:1 on a dark card


def test_ink_on_picks_the_better_of_white_and_dark():
    assert ink_on("#e8a33d") == DARK_INK  # white on amber was 2.2:1
    assert ink_on("#1f2933") == "#ffffff"
    assert ink_on("#cb4557") == "#ffffff"
