"""``planner demo``: fill a new database with a realistic network to try or measure.

The generator is imported only when a command needs it: start-up stays lean.

``planner --demo`` (see common.py) uses ``temporary_demo_database`` to open the
window on a fresh one.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from planner.cli.common import cli, emit_json, open_db
from planner.domain.errors import InvalidInput

if TYPE_CHECKING:
    from planner.demo import DemoSummary

DEFAULT_CONTACTS = 150
DEFAULT_TOUCHPOINTS = 3_000


@cli.command("demo")
@click.option(
    "--contacts",
    "n_contacts",
    type=click.IntRange(0),
    default=DEFAULT_CONTACTS,
    show_default=True,
    metavar="N",
    help="How many people (the first 87 fill the 3 / 12 / 72 rings).",
)
@click.option(
    "--touchpoints",
    "n_touchpoints",
    type=click.IntRange(0),
    default=DEFAULT_TOUCHPOINTS,
    show_default=True,
    metavar="M",
    help="How many touchpoints over the last two years.",
)
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    metavar="S",
    help="Same seed, same people, notes and history.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def demo(ctx: click.Context, n_contacts: int, n_touchpoints: int, seed: int, as_json: bool) -> None:
    """Fill an EMPTY database with a realistic demo network.

    Plausible people from many cultures, the rings filled 3 / 12 / 72, two
    years of touchpoints (more for the inner rings), notes and ring moves.
    It refuses a database that has any data, so demo people never mix with
    real ones: give it its own file, e.g. planner --db demo.db demo.
    Times are relative to now; everything else depends only on the seed.
    """
    from planner.demo import describe, existing_data, generate

    if ctx.find_root().obj["database"] is None:
        raise InvalidInput(
            "give the demo its own database file, e.g. planner --db demo.db "
            "demo (it never fills your default database)"
        )
    opened = open_db(ctx)
    where = opened.target.display()
    found = existing_data()
    if found:
        raise InvalidInput(
            f"{where} already has {describe(found)}; demo data only goes into "
            "an empty database: give a new file with --db"
        )
    summary = generate(opened.backend, n_contacts, n_touchpoints, seed=seed)
    if as_json:
        emit_json({"database": where, **summary.as_dict()})
    else:
        click.echo(report(summary, where))


def report(summary: DemoSummary, where: str) -> str:
    rings = ", ".join(f"{n:,} {ring}" for ring, n in summary.rings.items())
    return (
        f"Demo network in {where} (seed {summary.seed}):\n"
        f"  {summary.contacts:,} contacts: {rings}\n"
        f"  {summary.touchpoints:,} touchpoints, {summary.notes:,} notes, "
        f"{summary.moves:,} ring moves\n"
        f"  {summary.wins:,} wins, {summary.asks:,} asks, {summary.gives:,} gives, "
        f"{summary.stage_changes:,} stage changes\n"
        f"  written in {summary.seconds:.2f} s"
    )


def temporary_demo_database() -> Path:
    """A fresh demo database in a new temporary folder, for ``planner --demo``."""
    from planner.demo import generate
    from planner.storage.database import open_database

    path = Path(tempfile.mkdtemp(prefix="planner-demo-")) / "planner.db"
    opened = open_database(str(path))
    try:
        summary = generate(opened.backend, DEFAULT_CONTACTS, DEFAULT_TOUCHPOINTS)
    finally:
        opened.close()
    click.echo(
        f"planner: demo data ({summary.contacts} people, {summary.touchpoints:,} touchpoints) "
        f"in {path}; it stays there after you close the window",
        err=True,
    )
    return path
