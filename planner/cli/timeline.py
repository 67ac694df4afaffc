"""``planner log``, ``planner note`` and ``planner timeline``."""

from __future__ import annotations

import click

from planner.cli.common import cli, db_backend, emit_json, short_time, stdout_is_tty, with_db
from planner.cli.quick import log_line
from planner.cli.quick import when_given as _when
from planner.domain.errors import InvalidInput
from planner.domain.formatting import is_whole_number
from planner.services import contacts as people
from planner.services import touchpoints as svc


@cli.command("log")
@click.argument("contact")
@click.argument("kind", metavar="KIND")
@click.option(
    "--at",
    "when",
    metavar="WHEN",
    help="When it happened: now (default), 'yesterday 14:00', 'monday' (today on a "
    "Monday), 'last monday', '2 days ago', ISO 8601.",
)
@click.option("--minutes", type=click.IntRange(0, 1440), help="How long it took.")
@click.option("--note", default="", help="What it was about (Markdown).")
@with_db
def log_(contact: str, kind: str, when: str | None, minutes: int | None, note: str) -> None:
    """Log a touchpoint with a person.

    KIND is one of: coffee, im, sms, call, video, email, meal, in-person, event,
    collab, amplify, meeting, other (aliases: skype/zoom → video, beer/lunch → meal,
    slack/dm → im, text → sms, phone → call)."""
    # (a command line of this form is mostly run without click: planner.cli.quick, which
    # calls log_line too)
    click.echo(log_line(db_backend(), contact, kind, when, minutes, note))


@cli.command("note")
@click.argument("contact")
@click.argument("text")
@click.option("--at", "when", metavar="WHEN", help="Date of the note (default now).")
@click.option("--shared", is_flag=True,
              help="Team database: the whole team may read it (notes are private otherwise).")
@with_db
def note(contact: str, text: str, when: str | None, shared: bool) -> None:
    """Add a dated note about a person (Markdown)."""
    c = people.resolve_contact(contact)
    at = _when(when) if when else None
    n = svc.add_note(db_backend(), c.id, text, at=at, shared=shared)
    click.echo(f"Noted for {c.name} at {short_time(n.at)}")


@cli.command("note-share")
@click.argument("note_id", metavar="ID")
@click.option("--private", is_flag=True, help="Make the note private again (only you read it).")
@click.option("--json", "as_json", is_flag=True, help="Print the note as JSON.")
@with_db
def note_share(note_id: str, private: bool, as_json: bool) -> None:
    """Team database: share one of your notes with the team, or make it private again.

    ID is the note's number, or its timeline id ("note:12", see timeline --json)."""
    n = svc.set_note_shared(db_backend(), _note_id(note_id), not private)
    if as_json:
        emit_json(svc.note_as_dict(n))
        return
    c = people.get_contact(n.contact_id)
    what = "shared with the team" if n.shared else "private (only you read it)"
    if not people.on_a_team():  # a file has no team: the mark waits for one
        what = ("marked to share (a database file has no team: teammates read it once "
                "this database is a team's)" if n.shared else "private")
    click.echo(f"The note about {c.name} of {short_time(n.at)} is {what}")


def _note_id(text: str) -> int:
    kind, _, number = text.strip().rpartition(":")
    if kind not in ("", "note") or not is_whole_number(number):
        raise InvalidInput(f"{text!r} is not a note id (a number, or note:NUMBER)")
    return int(number)


@cli.command("timeline")
@click.argument("contact", required=False)
@click.option(
    "--limit",
    type=click.IntRange(1),
    default=20,
    show_default=True,
    help="How many entries, newest first.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_db
def timeline(contact: str | None, limit: int, as_json: bool) -> None:
    """Touchpoints, notes and ring moves, newest first (one person or everyone)."""
    from planner.domain.markdown_text import plain_lines  # (not for log and note)
    from planner.domain.timeline import EntryType, byline

    c = people.resolve_contact(contact) if contact else None
    entries = svc.timeline(c.id if c else None, limit=limit)
    if as_json:
        emit_json([svc.entry_as_dict(e) for e in entries])
        return
    if not entries:
        click.echo("Nothing yet. Log one with: planner log NAME coffee")
        return
    user = svc.current_user()  # a team database: who wrote each entry ("" in a file)
    for e in entries:
        what = e.kind if e.type is EntryType.TOUCHPOINT else e.type.value
        # the first line as text: a note's Markdown marks are for the window's timeline
        first_line = next((line for line in plain_lines(e.summary()) if line), "")
        # a teammate's entry says whose; one's own says nothing more than a note's privacy
        by = byline(e, user, you="")
        said = " ".join(part for part in (
            (f"{e.contact}:" if first_line else e.contact) if not c else "",  # no "Ada:" alone
            first_line, f"({e.minutes} min)" if e.minutes else "",
            f"[{by}]" if by else "") if part)
        click.echo(f"{short_time(e.at)}  {what:<10} {said}".rstrip())


@cli.command("search")
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_db
def search(query: str, limit: int, as_json: bool) -> None:
    """Find notes and touchpoints by words in them (accents and case ignored)."""
    from planner.services import search as svc_search

    hits = svc_search.search(query, limit)
    if as_json:
        emit_json([svc_search.hit_as_dict(h) for h in hits])
        return
    if not hits:
        click.echo(f"Nothing found for {query!r}")
        return
    bold, reset = ("\x1b[1m", "\x1b[0m") if stdout_is_tty() else ("[", "]")
    for h in hits:
        found = svc_search.plain(h.snippet, bold, reset)
        click.echo(f"{short_time(h.at)}  {h.kind:<10} {h.contact}: {found}")
