"""``planner contacts …`` and ``planner rings``."""

from __future__ import annotations

import click

from planner.cli.columns import fit
from planner.cli.common import RingType, cli, db_backend, emit_json, short_time, with_db
from planner.domain.errors import InvalidInput
from planner.domain.formatting import is_whole_number
from planner.domain.rings import RING_ORDER
from planner.services import contacts as svc


@cli.group(context_settings={"help_option_names": ["-h", "--help"]})
def contacts() -> None:
    """Add, list, show, edit, move and remove people."""


def _handles(values: tuple[str, ...]) -> dict[str, str]:
    from planner.domain.fields import split_handle

    out = {}
    for item in values:
        pair = split_handle(item)
        if pair is None:
            raise InvalidInput(f"--handle {item!r}: write it as SERVICE=HANDLE, e.g. github=ada")
        out[pair[0]] = pair[1]
    return out


def _cadence(value: str | None):
    if value is None:
        return ...
    if value.strip().lower() in ("default", "ring", "none", ""):
        return None
    if not is_whole_number(value.strip()):
        raise InvalidInput(f"--cadence {value!r}: give a number of days, or 'default'")
    return int(value)


def contact_fields(f):
    """Options shared by ``add`` and ``edit``."""
    options = [
        click.option("--email", help="Email address."),
        click.option("--phone", "phones", multiple=True, help="Phone number (repeatable)."),
        click.option("--tag", "tags", multiple=True, help="Tag (repeatable)."),
        click.option(
            "--channel",
            "channels",
            multiple=True,
            help="Preferred channel, most preferred first (repeatable): im, email...",
        ),
        click.option(
            "--handle",
            "handles",
            multiple=True,
            metavar="SERVICE=HANDLE",
            help="A handle such as github=ada (repeatable).",
        ),
        click.option("--timezone", help="Their time zone, e.g. Europe/Berlin."),
        click.option("--birthday", help="YYYY-MM-DD, or --MM-DD without a year."),
        click.option("--org", "organization", help="Organisation."),
        click.option("--title", help="Job title."),
        click.option("--notes", help="Free notes about them."),
        click.option(
            "--cadence",
            help="Days between touches, overriding the ring's; 'default' to use the ring's.",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _collect(values: dict) -> dict:
    out = {}
    for key in ("email", "timezone", "birthday", "organization", "title", "notes"):
        if values.get(key) is not None:
            out[key] = values[key]
    for key in ("phones", "tags", "channels"):
        if values.get(key):
            out[key] = list(values[key])
    if values.get("handles"):
        out["handles"] = _handles(values["handles"])
    cadence = _cadence(values.get("cadence"))
    if cadence is not ...:
        out["cadence_days"] = cadence
    return out


@contacts.command("add")
@click.argument("name")
@click.option("--ring", type=RingType(), help="Place them on inner, middle or outer.")
@contact_fields
@with_db
def add(name: str, ring, **values) -> None:
    """Add a person, optionally straight onto a ring."""
    contact = svc.add_contact(db_backend(), name, ring=ring, **_collect(values))
    where = f" on the {contact.ring.value} ring" if contact.ring else " (unplaced)"
    click.echo(f"Added #{contact.id} {contact.name}{where}")


@contacts.command("list")
@click.option(
    "--ring", "ring", type=RingType(), default=None, help="Only one ring; 'none' for the unplaced."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_db
def list_(ring, as_json: bool) -> None:
    """List people, by ring then name."""
    ctx = click.get_current_context()
    ring_given = ctx.get_parameter_source("ring") is not click.core.ParameterSource.DEFAULT
    people = svc.list_contacts(ring if ring_given else "all")
    people.sort(key=lambda c: (c.ring.depth if c.ring else 9, c.position or 0, c.name.lower()))
    if as_json:
        emit_json([svc.contact_as_dict(c) for c in people])
        return
    if not people:
        click.echo("No contacts yet. Add one with: planner contacts add NAME --ring outer")
        return
    for c in people:
        ring_text = c.ring.value if c.ring else "-"
        tags = f"  [{', '.join(c.tags)}]" if c.tags else ""
        click.echo(
            f"#{c.id:<5} {ring_text:<7} {fit(c.name, 30)} {short_time(c.last_touch):<17}"
            f"{c.email}{tags}".rstrip()
        )


@contacts.command("show")
@click.argument("contact")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_db
def show(contact: str, as_json: bool) -> None:
    """Show everything about one person."""
    from planner.cli.quick import show_text  # (what `planner contacts show` runs without click)

    click.echo(show_text(contact, as_json))


@contacts.command("edit")
@click.argument("contact")
@click.option("--name", help="New name.")
@contact_fields
@with_db
def edit(contact: str, name: str | None, **values) -> None:
    """Change a person's details (list options replace the list)."""
    c = svc.resolve_contact(contact)
    changes = _collect(values)
    if name is not None:
        changes["name"] = name
    if not changes:
        raise click.UsageError("nothing to change: give at least one option, e.g. --email")
    updated = svc.edit_contact(db_backend(), c.id, **changes)
    click.echo(f"Updated #{updated.id} {updated.name}")


@contacts.command("move")
@click.argument("contact")
@click.argument("ring", type=RingType())
@click.option("--swap", "swap", metavar="OTHER", help="Swap with OTHER, who is on RING.")
@click.option("--position", type=click.IntRange(1), help="Place at this position (1 = first).")
@click.option("--expect-ring", "expect", type=RingType(), metavar="RING",
              help="Only if they are still on this ring ('none': unplaced); else change nothing.")
@with_db
def move(contact: str, ring, swap: str | None, position: int | None, expect) -> None:
    """Move a person to RING (inner, middle, outer, or none to unplace)."""
    from planner.services import placement  # (with the settings and advocacy rules)

    ctx = click.get_current_context()
    checked = ctx.get_parameter_source("expect") is not click.core.ParameterSource.DEFAULT
    c = svc.resolve_contact(contact)
    other = svc.resolve_contact(swap) if swap else None
    outcome = placement.move_contact(
        db_backend(), c.id, ring, swap_with=other.id if other else None,
        position=position - 1 if position else None,
        expect_ring=expect if checked else placement.UNCHECKED,
    )
    if other:
        click.echo(
            f"Swapped {c.name} ({ring.value}) with {other.name} "
            f"({outcome.plan.swap_to_ring.value if outcome.plan.swap_to_ring else 'unplaced'})"
        )
    elif ring is None:
        click.echo(f"{c.name} is unplaced" + ("" if outcome.changed else " (already)"))
    else:
        click.echo(
            f"{c.name} is on the {ring.value} ring" + ("" if outcome.changed else " (already)")
        )


@contacts.command("remove")
@click.argument("contact")
@with_db
def remove(contact: str) -> None:
    """Remove a person (kept in the trash with their history)."""
    c = svc.resolve_contact(contact)
    svc.remove_contact(db_backend(), c.id)
    click.echo(f"Removed #{c.id} {c.name}")


@cli.command("rings")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_db
def rings(as_json: bool) -> None:
    """How full each ring is, and who is on it."""
    from planner.services import placement

    fill = placement.ring_fill()
    members = {ring: [c for c in svc.list_contacts(ring)] for ring in RING_ORDER}
    if as_json:
        emit_json(
            [
                {
                    "ring": r.value,
                    "count": fill[r][0],
                    "capacity": fill[r][1],
                    "members": [
                        {"id": c.id, "name": c.name}
                        for c in sorted(members[r], key=lambda c: c.position or 0)
                    ],
                }
                for r in RING_ORDER
            ]
        )
        return
    for ring in RING_ORDER:
        count, cap = fill[ring]
        names = ", ".join(c.name for c in sorted(members[ring], key=lambda c: c.position or 0))
        over = "  OVER CAPACITY" if count > cap else ""
        line = f"{ring.value:<7} {f'{count}/{cap}':<7}{over}" + (f" {names}" if names else "")
        click.echo(line.rstrip())
