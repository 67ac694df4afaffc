"""``planner db encrypt | decrypt | change-key | status``: encryption at rest.

On a team database ``db status`` reports the server, the role, TLS and
row-level security instead (``planner.storage.postgres.status``).

The database file is converted in place (verified copy, atomic swap; see
``planner.storage.sqlite.encryption``), so the window must be closed. Passphrases come
from the keyring, ``planner --passphrase-stdin`` (one per line) or a hidden
terminal prompt (``planner.cli.passphrase``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from planner.cli.common import cli, emit_json
from planner.cli.passphrase import flush_notice, passphrases
from planner.domain.errors import InvalidInput, PlannerError


def _target(ctx: click.Context):
    from planner.storage.target import resolve_target

    target = resolve_target(ctx.find_root().obj["database"])
    if target.path is None:
        raise InvalidInput(f"{target.display()}: encryption applies to database files only")
    return target


def _current_key(ctx: click.Context, target) -> str:
    """The key of the encrypted database: keyring, --passphrase-stdin or the prompt."""
    from planner.storage.sqlite.unlock import unlock_key

    options = passphrases(ctx).open_options()
    return unlock_key(
        target.path,
        ask=options.get("ask_passphrase"),
        use_keyring=options.get("use_keyring", True),
        database=target,
    )


def key_if_encrypted(ctx: click.Context, target) -> str | None:
    """The database's key when its file is encrypted (for restore); None for a plain one."""
    from planner.storage.sqlite import encryption

    if target.path is None or encryption.file_state(target.path) != "encrypted":
        return None
    return _current_key(ctx, target)


def _new_key(ctx: click.Context, own: bool):
    from planner.services.security import new_key

    if not own:
        return new_key()
    source = passphrases(ctx)
    if not source.can_ask():
        raise InvalidInput(
            "--own-passphrase: give the new passphrase with planner --passphrase-stdin, or run "
            "the command in a terminal"
        )
    return new_key(own=source.read("New passphrase", confirm=True))


def _show_recovery(recovery: str) -> None:
    groups = recovery.split("-")
    half = (len(groups) + 1) // 2
    click.echo("Recovery passphrase, shown only this once. Write it down (or print it) and keep")
    click.echo("it somewhere safe: it opens this database on any machine, and nothing else can")
    click.echo("if this machine's keyring is lost.")
    click.echo("")
    click.echo("    " + "-".join(groups[:half]))
    click.echo("    " + "-".join(groups[half:]))
    click.echo("")


@contextmanager
def _recovery_shown_when_ready(new, still: str) -> Iterator[Callable[[], None] | None]:
    """The ``ready`` hook that shows ``new``'s recovery passphrase once the conversion
    holds the file (never for a change refused first: "in use", a wrong key); should the
    change fail after it was shown, the refusal says that passphrase opens nothing."""
    if not new.recovery:
        yield None
        return
    shown = []

    def ready() -> None:
        _show_recovery(new.recovery)
        shown.append(True)

    try:
        yield ready
    except PlannerError as exc:
        if not shown:
            raise
        raise type(exc)(f"{str(exc).rstrip('.')}. The recovery passphrase shown above was "
                        f"not applied and opens nothing; {still}") from exc


def _report(change, verb: str) -> None:
    from planner.storage import secrets

    rows = f" ({change.rows} rows verified)" if change.rows else ""
    click.echo(f"{verb} {change.path}{rows}.")
    if change.encrypted and change.rows:
        if change.remembered:
            click.echo(
                f"The key is kept in {secrets.store_status().describe()}; the app opens "
                "the database without asking."
            )
        else:
            click.echo(
                "The key is NOT kept on this machine: give the passphrase (or recovery "
                "passphrase) whenever the database opens."
            )
    if change.backups_converted:
        click.echo(
            f"{change.backups_converted} backup(s) in the backups folder were converted too."
        )
    for path, why in change.backups_skipped:
        click.echo(f"planner: backup {path.name} was left as it was: {why}", err=True)


@cli.group("db")
def db() -> None:
    """The database itself: encrypt, decrypt or re-key a file, show its status, and set up a
    team database and its users."""


@db.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """The database's status: a file's encryption and where its key lives.

    On a team database: the server, who you are connected as, the schema and
    PostgreSQL versions, TLS, row-level security and what you can see."""
    from planner.services.security import security_status
    from planner.storage.target import resolve_target

    if resolve_target(ctx.find_root().obj["database"]).kind == "postgresql":
        _team_status(ctx, as_json)
        return
    target = _target(ctx)
    from_stdin = passphrases(ctx).from_stdin
    result = security_status(target, check_keyring=not from_stdin)
    opens = None
    if from_stdin and result.encrypted:
        _current_key(ctx, target)  # refuses a wrong passphrase
        opens = True
    if as_json:
        data = result.as_dict()
        if opens is not None:
            data["passphrase_opens"] = opens
        emit_json(data)
    else:
        for line in result.lines():
            click.echo(line)
        if opens:
            click.echo("Passphrase: opens the database")
    flush_notice()


def _team_status(ctx: click.Context, as_json: bool) -> None:
    from planner.storage.database import open_database
    from planner.storage.postgres.status import team_status

    root = ctx.find_root()
    opened = open_database(root.obj["database"], migrate=False)  # report, do not upgrade
    root.obj["open"] = opened  # closed when the command ends
    # a postgresql target (checked by the caller) opens a PostgresqlDatabase; open_database
    # is typed with peewee's Database (the storage backend object of issue 22 will say more)
    result = team_status(opened.db, opened.target.url or "")  # type: ignore[arg-type]
    if as_json:
        emit_json(result.as_dict())
    else:
        for line in result.lines():
            click.echo(line)


@db.command("encrypt")
@click.option(
    "--own-passphrase",
    is_flag=True,
    help="Use a passphrase you choose (asked twice, or one line with "
    "--passphrase-stdin) instead of a random key with a recovery passphrase.",
)
@click.option(
    "--no-keyring",
    is_flag=True,
    help="Do not keep the key in this machine's keyring: ask for it at every open.",
)
@click.pass_context
def encrypt(ctx: click.Context, own_passphrase: bool, no_keyring: bool) -> None:
    """Encrypt the database (and its backups) with SQLCipher.

    A random key is made and kept in the keyring; its recovery passphrase is
    shown once. With planner --passphrase-stdin the line read becomes the
    passphrase. Close the window first.
    """
    from planner.services.security import NewKey, encrypt_database
    from planner.storage.sqlite import encryption

    target = _target(ctx)
    state = encryption.file_state(target.path)
    if state == "encrypted":
        # already encrypted: finish the backups an interrupted run left plain
        key = _current_key(ctx, target)
        change = encrypt_database(target, NewKey(key, None), remember=False)
        _report(change, "Already encrypted:")
        flush_notice()
        return
    if state == "missing":
        raise InvalidInput(f"{target.path} does not exist yet; nothing to encrypt")
    if state != "plain":
        raise InvalidInput(
            f"{target.path} is not a Mentorship Planner database; nothing was changed"
        )
    new = _new_key(ctx, own_passphrase or passphrases(ctx).from_stdin)
    with _recovery_shown_when_ready(new, "the database stays as it was") as ready:
        change = encrypt_database(target, new, remember=not no_keyring, ready=ready)
    _report(change, "Encrypted")
    flush_notice()


@db.command("decrypt")
@click.pass_context
def decrypt(ctx: click.Context) -> None:
    """Turn the encrypted database (and its backups) back into plain SQLite files."""
    from planner.services.security import decrypt_database
    from planner.storage.sqlite import encryption

    target = _target(ctx)
    if encryption.file_state(target.path) != "encrypted":
        raise InvalidInput(f"{target.path} is not encrypted")
    change = decrypt_database(target, _current_key(ctx, target))
    _report(change, "Decrypted")
    click.echo("The database is a plain SQLite file again; its key was removed from the keyring.")
    flush_notice()


@db.command("change-key")
@click.option(
    "--own-passphrase",
    is_flag=True,
    help="Use a passphrase you choose (asked twice, or the second line with "
    "--passphrase-stdin) instead of a new random key.",
)
@click.option(
    "--no-keyring", is_flag=True, help="Do not keep the new key in this machine's keyring."
)
@click.pass_context
def change_key(ctx: click.Context, own_passphrase: bool, no_keyring: bool) -> None:
    """Re-encrypt the database (and its backups) with a new key; the old one stops working."""
    from planner.services.security import change_database_key
    from planner.storage.sqlite import encryption

    target = _target(ctx)
    if encryption.file_state(target.path) != "encrypted":
        raise InvalidInput(f"{target.path} is not encrypted; use: planner db encrypt")
    old = _current_key(ctx, target)
    new = _new_key(ctx, own_passphrase)
    with _recovery_shown_when_ready(new, "the old key still opens the database") as ready:
        change = change_database_key(target, old, new, remember=not no_keyring, ready=ready)
    _report(change, "Changed the key of")
    click.echo("The old key and recovery passphrase no longer open it.")
    flush_notice()
