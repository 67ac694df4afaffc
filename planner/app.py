"""The composition root: opens the database and builds the window (later issue)."""

from __future__ import annotations

import click


def run_gui(database: str | None) -> int:
    click.echo("The window arrives in the next release; meanwhile see: planner --help")
    return 0
