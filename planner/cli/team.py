"""``planner --db postgresql://… db init | add-user | remove-user | purge-trash | login``:
team databases."""

from __future__ import annotations

import sys

import click

from planner.cli.db import db
from planner.domain.errors import InvalidInput


def _team_url(ctx: click.Context) -> str:
    from planner.storage.target import resolve_target

    target = resolve_target(ctx.find_root().obj["database"])
    if target.kind != "postgresql":
        raise InvalidInput(f"{target.display()}: this command is for a team database "
                           "(--db postgresql://USER@HOST/DBNAME)")
    return target.url or ""


def _read_password(from_stdin: bool, prompt: str, confirm: bool = False) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = click.prompt(prompt, hide_input=True, confirmation_prompt=confirm)
    else:
        raise InvalidInput("give the password with --password-stdin, or run in a terminal")
    if not password:
        raise InvalidInput("the password is empty")
    return password


@db.command("init")
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create (or upgrade) the planner's tables in a team database."""
    from planner.storage.postgres.opening import open_postgres
    from planner.storage.target import resolve_target

    _team_url(ctx)
    target = resolve_target(ctx.find_root().obj["database"])
    opened = open_postgres(target, init=True)
    ctx.find_root().obj["open"] = opened
    click.echo(f"{target.display()} is ready (schema {opened.schema_version}).")


def _admin_db(ctx: click.Context):
    from planner.cli.common import open_db

    _team_url(ctx)
    return open_db(ctx).db


@db.command("add-user")
@click.argument("role")
@click.option("--password-stdin", is_flag=True,
              help="Give the role this password (one line from standard input).")
@click.pass_context
def add_user(ctx: click.Context, role: str, password_stdin: bool) -> None:
    """Let ROLE use the planner (an admin runs this): creates the login role if it does
    not exist and grants it read/write on the planner's tables, nothing more. A password
    reaches the server only as a SCRAM verifier (never in clear in its logs)."""
    from planner.storage.postgres import users

    database = _admin_db(ctx)
    password = _read_password(True, "") if password_stdin else None
    added = users.add_user(database, role, password)
    click.echo(f"{'Created' if added.created else 'Updated'} planner user {role}.")
    if added.released:
        click.echo(f"{added.released} rows left by a removed user named {role} stay with "
                   "that user (an admin reads them); the new role does not get them.")
    for warning in added.warnings:
        click.echo(f"warning: {warning}", err=True)


@db.command("remove-user")
@click.argument("role")
@click.option("--purge", is_flag=True,
              help="Delete ROLE's private rows (rings, ring moves, cadences, private notes) "
                   "instead of keeping them for admins.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation in a terminal.")
@click.pass_context
def remove_user(ctx: click.Context, role: str, purge: bool, yes: bool) -> None:
    """Take ROLE off the team: its rights and CONNECT are revoked, its open sessions
    ended, and its rows moved off its name, so that a role created later with the same
    name inherits nothing. Private rows are kept for admins (or deleted with --purge);
    touchpoints and shared notes stay with the team."""
    from planner.storage.postgres import users

    database = _admin_db(ctx)
    users._role(role)
    if sys.stdin.isatty() and not yes:
        rows = users.private_rows(database, role)
        what = ", ".join(f"{n} {table}" for table, n in rows.items() if n) or "no private rows"
        fate = "deleted" if purge else "kept for admins only"
        if not click.confirm(f"Remove {role} from the team? Its private rows ({what}) will "
                             f"be {fate}", default=False):
            raise InvalidInput("nothing was changed")
    removed = users.remove_user(database, role, purge=purge)
    if removed.dropped:
        click.echo(f"Removed planner user {role} (the role was dropped).")
    else:
        click.echo(f"Removed {role}'s access to the planner; the role remains (it is used "
                   "elsewhere).")
    if removed.purged:
        click.echo(f"Deleted {removed.purged} private rows of {role}.")
    if removed.kept:
        click.echo(f"{removed.kept} rows of {role} are kept under a name no role can take "
                   "(only an admin reads the private ones).")
    if removed.sessions is None:
        click.echo(f"warning: could not end {role}'s open sessions (needs a superuser or "
                   "pg_signal_backend); they end when they disconnect", err=True)
    elif removed.sessions:
        click.echo(f"Ended {removed.sessions} open session(s) of {role}.")


@db.command("purge-trash")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation in a terminal.")
@click.pass_context
def purge_trash(ctx: click.Context, yes: bool) -> None:
    """Delete the people in a team database's trash for good (an admin runs this), with
    every user's notes, rings, moves, cadences and touchpoints about them — it says what
    first. Users cannot: a teammate's delete would take others' private rows along."""
    from planner.storage.postgres import team_setup, trash

    database = _admin_db(ctx)
    if not team_setup.can_administer(database):
        raise InvalidInput("only an admin (the tables' owner) can empty the trash of a team "
                           "database; people in it stay restorable")
    names, counts = trash.trash_contents(database)
    if not names:
        click.echo("The trash is empty; nothing was deleted.")
        return
    rows = ", ".join(f"{n} {what}" for what, n in counts.items() if n) or "no other rows"
    click.echo(f"In the trash: {len(names)} people ({', '.join(names[:10])}"
               f"{', …' if len(names) > 10 else ''}), with {rows} of all users.")
    if sys.stdin.isatty() and not yes and not click.confirm("Delete them for good?",
                                                            default=False):
        raise InvalidInput("nothing was deleted")
    gone = trash.purge_trash(database)
    click.echo(f"Deleted {gone} people for good, with their rows.")


@db.command("login")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_context
def login(ctx: click.Context, password_stdin: bool) -> None:
    """Test the team database password, then keep it in the keyring."""
    from planner.storage.postgres import connection
    from planner.storage.target import redact_url

    url = _team_url(ctx)
    password = _read_password(password_stdin, "Password")
    account = connection.login(url, password)
    click.echo(f"Connected; the password for {redact_url(account)} is in the keyring.")
