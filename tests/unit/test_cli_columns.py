"""Columns as a terminal shows them (planner.cli.columns)."""

from __future__ import annotations

import pytest

from planner.cli.columns import cells, fit


@pytest.mark.parametrize(("text", "width"), [
    ("Ada", 3), ("Zoë", 3), ("Zoe\u0308", 3),  # a combining diaeresis takes no cell
    ("최현우", 6), ("渡辺 美咲", 9), ("🎉", 2), ("👩\u200d💻", 2),  # joined: one picture
    ("", 0),
])
def test_cells(text, width):
    assert cells(text) == width


@pytest.mark.parametrize("name", ["Ada", "최현우", "👩\u200d💻 Zoë 🎉", "Ä" * 60, "渡" * 40])
def test_every_name_takes_its_column_exactly(name):
    shown = fit(name, 30)
    assert cells(shown) == 30
    assert shown.rstrip() == name or shown.rstrip().endswith("…")
