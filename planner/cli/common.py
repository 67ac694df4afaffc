"""The command group, the database option and output helpers shared by commands."""

from __future__ import annotations

import sys

import click

from planner import __version__
from planner.cli.lazy import LazyGroup
from planner.cli.quick import begin_command
from planner.cli.quick import short_time as short_time  # (commands import it from here)

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=LazyGroup, context_settings=CONTEXT, invoke_without_command=True)
@click.option(
    "--db",
    "database",
    metavar="DATABASE",
    envvar="PLANNER_DB",
    help="Database file, or a team database as postgresql://USER@HOST[:PORT]/DBNAME. "
    "Default: planner.db in your data folder, or $PLANNER_DB.",
)
@click.option(
    "--passphrase-stdin",
    is_flag=True,
    help="Read the passphrase of an encrypted database from standard input (one line) "
    "instead of the keyring.",
)
@click.option(
    "--demo",
    is_flag=True,
    help="Open the window on a fresh temporary demo database, to try everything "
    "before importing your own contacts.",
)
@click.option(
    "--tray",
    is_flag=True,
    help="Start minimised to the tray icon (how it starts at login).",
)
@click.version_option(__version__, "--version", prog_name="planner", message="%(prog)s %(version)s")
@click.option(
    "--self-test",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=lambda ctx, _param, value: _self_test(ctx) if value else None,
    help="Check that this installation works (offscreen) and exit.",
)
@click.pass_context
def cli(
    ctx: click.Context, database: str | None, passphrase_stdin: bool, demo: bool,
    tray: bool = False,
) -> int | None:
    """Mentorship Planner: your 3 / 12 / 72 rings, touchpoints and timeline.

    With no command, opens the window on the database.
    """
    source = ctx.get_parameter_source("database")
    if source is not click.core.ParameterSource.COMMANDLINE and not demo:
        from planner.storage.target import BLANK_VARIABLE, variable_is_blank

        if variable_is_blank():  # as "--db ''": it opened the default database
            raise click.UsageError(BLANK_VARIABLE)
    if source is click.core.ParameterSource.ENVIRONMENT:
        database = None  # storage reads $PLANNER_DB itself (and makes its folder if need be)
    elif database is not None and not database.strip():  # it opened the default database
        raise click.BadParameter("give a database file or a postgresql:// URL, not nothing",
                                 param_hint="'--db'")
    begin_command()  # (planner log CONTACT KIND does the same without click: cli.quick)
    ctx.obj = ctx.ensure_object(dict)  # (planner.cli's, which reads "open" after an error)
    ctx.obj.update({"database": database, "open": None, "passphrase_stdin": passphrase_stdin})
    ctx.call_on_close(lambda: _close(ctx))
    if demo:
        database = _demo_database(ctx)
    if ctx.invoked_subcommand is None:
        if passphrase_stdin:
            raise click.UsageError(
                "--passphrase-stdin is for commands; the window asks for the passphrase itself"
            )
        from planner.app import run_gui

        return run_gui(database, demo=demo, tray=tray, owns_process=True)
    return None


def _self_test(ctx: click.Context) -> None:
    from planner.cli.process import start_collecting
    from planner.selftest import run_self_test

    start_collecting()
    ctx.exit(run_self_test())


def _demo_database(ctx: click.Context) -> str:
    """``--demo``: a fresh temporary demo database for the window."""
    if ctx.invoked_subcommand is not None:
        raise click.UsageError(
            "--demo opens the window; to fill a database for commands use: planner --db FILE demo"
        )
    if ctx.get_parameter_source("database") is click.core.ParameterSource.COMMANDLINE:
        raise click.UsageError("--demo makes its own temporary database; leave out --db")
    from planner.cli.demo import temporary_demo_database

    return str(temporary_demo_database())


def _close(ctx: click.Context) -> None:
    opened = (ctx.obj or {}).get("open")
    if opened is not None:
        opened.close()


def open_db(ctx: click.Context):
    """Open the database once per command, migrating it if needed."""
    from planner.cli.passphrase import passphrases
    from planner.storage.database import open_database

    root = ctx.find_root()
    if root.obj["open"] is None:
        root.obj["open"] = open_database(root.obj["database"], **passphrases(ctx).open_options())
    return root.obj["open"]


def db_backend():
    """The backend of the database this command opened (``with_db``): what the command
    hands the services (``planner.storage.backend``)."""
    return open_db(click.get_current_context()).backend


def with_db(func):
    """Decorator: open the database before the command runs."""

    @click.pass_context
    def wrapper(ctx, *args, **kwargs):
        open_db(ctx)
        return func(*args, **kwargs)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def emit_json(data) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


class RingType(click.ParamType):
    name = "RING"

    def __init__(self, allow_none: bool = True):
        self.allow_none = allow_none

    def convert(self, value, param, ctx):
        from planner.domain.errors import InvalidInput
        from planner.domain.rings import parse_ring

        try:
            return parse_ring(value, allow_none=self.allow_none)
        except InvalidInput as exc:
            self.fail(str(exc), param, ctx)


class PathType(click.Path):
    """A file or folder named on the command line. Nothing (``-o ""``) or only spaces is
    a usage error: click made ``""`` the current folder, so ``planner backup -o ""``
    copied the database there, ``planner capture ics "" --watch`` watched it."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not value.strip():
            self.fail("give a file or folder name, not nothing", param, ctx)
        return super().convert(value, param, ctx)


def stdout_is_tty() -> bool:
    return sys.stdout.isatty()
