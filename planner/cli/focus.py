"""``planner focus``: who needs you this week, in the format you like."""

from __future__ import annotations

from pathlib import Path

import click

from planner.cli.common import PathType, cli, with_db
from planner.domain.when import parse_when

FORMATS = ("md", "csv", "html", "ics", "json")


@cli.command("focus")
@click.option("--week", metavar="YYYY-Www", help="ISO week, e.g. 2026-W47 (default: this week).")
@click.option("--as-of", "as_of", metavar="DATETIME",
              help="Compute as of this moment (default now); later touchpoints are ignored.")
@click.option("--limit", type=click.IntRange(1), help="Keep only the N most urgent people.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True)
@click.option("--events", is_flag=True, help="ICS: all-day events instead of tasks.")
@click.option("--no-escape", is_flag=True,
              help="CSV: do not neutralise cells that start with = + - @ (formula injection).")
@click.option("-o", "--output", type=PathType(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@with_db
def focus(week, as_of, limit, fmt, events, no_escape, output) -> None:
    """The weekly focus list: the placed people due by the end of the week, most urgent first."""
    from planner.export import render_focus
    from planner.services.focus import focus_list

    moment = parse_when(as_of) if as_of else None
    result = focus_list(week, as_of=moment, limit=limit)
    options = {}
    if fmt == "ics" and events:
        options["events"] = True
    if fmt == "csv" and no_escape:
        options["escape_formulas"] = False
    text = render_focus(result, fmt, **options)
    if output is None or str(output) == "-":  # - : standard output, as usual
        click.echo(text, nl=not text.endswith("\n"))
        return
    from planner.services.exporting import write_text

    write_text(output, text)  # the full exports' writer: private, fsynced, atomic
    click.echo(f"Wrote {len(result.items)} people for {result.label} to {output}", err=True)
