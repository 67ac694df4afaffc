"""``planner log CONTACT KIND`` and ``planner contacts show CONTACT`` without click: the
everyday capture and look-up, from a script, a launcher or a shell alias (issue 23: each
was to cost at most 3× ``python -c pass``, and click alone — its import, the command
group's options and the command's, its parsing — was some 50 million instructions of
~370 for ``planner log``, more than any other part left; ``contacts show`` was at 2.8–2.9×
with it, ~2.2× without).

A command line of the form

    planner [--db FILE] [--passphrase-stdin] log CONTACT KIND [--at WHEN]
            [--minutes N] [--note TEXT]
    planner [--db FILE] [--passphrase-stdin] contacts show CONTACT [--json]

(each option at most once, ``--opt VALUE`` or ``--opt=VALUE``) is recognised here and
run by the very functions the click command runs (:func:`begin_command`,
:func:`log_line`, :func:`show_text`), its lines written as ``click.echo`` writes them.
Anything else — another command, ``--help``, a word starting with ``-`` where a value is
expected, an option given twice, a ``--minutes`` click would have to convert or refuse, a
blank ``--db``/``$PLANNER_DB``, Windows (where click expands wildcards in the arguments) —
is click's, which parses it and says what is wrong. ``tests/cli/test_cli_quick.py`` runs
each command line both ways and compares what they did and said.

No click, no peewee at import (``planner --version`` and the window import nothing of
this).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.storage.backend import Backend

#: the ``log`` command's options that take a value (``minutes`` only as plain digits)
LOG_OPTIONS = ("--at", "--minutes", "--note")
#: the ``contacts show`` command's options (flags)
SHOW_OPTIONS = ("--json",)
MAX_MINUTES = 24 * 60  # click's IntRange(0, 1440) on --minutes
#: click expands wildcards, ``~`` and variables in the command line's words on Windows
CLICK_EXPANDS_WORDS = os.name == "nt"


class _Command:
    """A command line as click would have parsed it: its values, compared and shown."""

    __slots__: tuple[str, ...] = ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Command) and type(other) is type(self) and (
            self._values() == other._values())

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({values})"


class LogCommand(_Command):
    """A ``planner log`` command line."""

    __slots__ = ("contact", "database", "kind", "minutes", "note", "passphrase_stdin", "when")

    def __init__(self, database: str | None, passphrase_stdin: bool, contact: str, kind: str,
                 when: str | None = None, minutes: int | None = None, note: str = ""):
        self.database = database
        self.passphrase_stdin = passphrase_stdin
        self.contact = contact
        self.kind = kind
        self.when = when
        self.minutes = minutes
        self.note = note


class ShowCommand(_Command):
    """A ``planner contacts show`` command line."""

    __slots__ = ("as_json", "contact", "database", "passphrase_stdin")

    def __init__(self, database: str | None, passphrase_stdin: bool, contact: str,
                 as_json: bool = False):
        self.database = database
        self.passphrase_stdin = passphrase_stdin
        self.contact = contact
        self.as_json = as_json


def quick_command(args: list[str]) -> LogCommand | ShowCommand | None:
    """The command ``args`` is, when it is one of the forms above; None for click to
    parse (and, where it is wrong, to say so)."""
    return log_arguments(args) or show_arguments(args)


def _group_options(args: list[str]) -> tuple[str | None, bool, int] | None:
    """The command group's options before the command: (``--db``'s value, None when it is
    not given; ``--passphrase-stdin``; the index of the command's word); None where
    click must parse them (another option, one given twice, a blank database, no
    command)."""
    if CLICK_EXPANDS_WORDS or os.environ.get("_PLANNER_COMPLETE"):  # (shell completion)
        return None
    database: str | None = None
    seen_db = passphrase_stdin = False
    i = 0
    while i < len(args) and args[i].startswith("-"):  # the group's options
        arg = args[i]
        if arg == "--db" and not seen_db and i + 1 < len(args):
            database, seen_db = args[i + 1], True
            i += 1
        elif arg.startswith("--db=") and not seen_db:
            database, seen_db = arg[len("--db="):], True
        elif arg == "--passphrase-stdin" and not passphrase_stdin:
            passphrase_stdin = True
        else:
            return None
        i += 1
    if i == len(args):
        return None  # no command
    if seen_db and not (database or "").strip():
        return None  # "--db ''": click says it is no database
    variable = os.environ.get("PLANNER_DB")
    if not seen_db and variable is not None and not variable.strip():
        return None  # set to nothing: click says so
    return (database if seen_db else None), passphrase_stdin, i


def log_arguments(args: list[str]) -> LogCommand | None:
    """The ``planner log`` command ``args`` is, when it has the form above; None for
    click to parse (and, where it is wrong, to say so)."""
    group = _group_options(args)
    if group is None or args[group[2]] != "log":
        return None
    database, passphrase_stdin, i = group
    words: list[str] = []
    values: dict[str, str] = {}
    rest = args[i + 1:]
    j = 0
    while j < len(rest):
        arg = rest[j]
        if not arg.startswith("-"):
            words.append(arg)
        else:
            name, equals, value = arg.partition("=")
            if name not in LOG_OPTIONS or name in values:
                return None  # --help, "--", "-", another option, one given twice
            if not equals:
                if j + 1 == len(rest) or rest[j + 1].startswith("-"):
                    return None
                value = rest[j + 1]
                j += 1
            values[name] = value
        j += 1
    if len(words) != 2:
        return None
    minutes: int | None = None
    if "--minutes" in values:
        text = values["--minutes"]
        if not (text.isascii() and text.isdigit()) or int(text) > MAX_MINUTES:
            return None  # click converts or refuses it
        minutes = int(text)
    return LogCommand(database, passphrase_stdin, words[0], words[1],
                      when=values.get("--at"), minutes=minutes, note=values.get("--note", ""))


def show_arguments(args: list[str]) -> ShowCommand | None:
    """The ``planner contacts show`` command ``args`` is, when it has the form above; None
    for click."""
    group = _group_options(args)
    if group is None or args[group[2]:group[2] + 2] != ["contacts", "show"]:
        return None
    database, passphrase_stdin, i = group
    words: list[str] = []
    flags: set[str] = set()
    for arg in args[i + 2:]:
        if not arg.startswith("-"):
            words.append(arg)
        elif arg in SHOW_OPTIONS and arg not in flags:
            flags.add(arg)
        else:
            return None  # --help, "--", "-", "--json=…", another option, one given twice
    if len(words) != 1:
        return None
    return ShowCommand(database, passphrase_stdin, words[0], as_json="--json" in flags)


def run_quick(command: LogCommand | ShowCommand, *, whole_process: bool,
              state: dict | None = None) -> int:
    """Run ``command`` as the click command does; its exit code. Errors are raised for
    ``planner.cli`` to answer, as click's are; ``state["open"]`` is the database it
    opened (as a click command's ``ctx.obj``), which they name."""
    if whole_process:  # as the command group does (planner.cli.lazy)
        from planner.storage.drivers import import_dataclasses, import_peewee_without_drivers

        import_peewee_without_drivers()
        import_dataclasses()  # (the group's click has imported inspect anyway)
    begin_command()
    from planner.cli.passphrase import Passphrases
    from planner.storage.database import open_database

    database = open_database(command.database,
                             **Passphrases(command.passphrase_stdin).open_options())
    if state is not None:
        state["open"] = database
    try:
        if isinstance(command, LogCommand):
            echo(log_line(database.backend, command.contact, command.kind, command.when,
                          command.minutes, command.note))
        else:
            echo(show_text(command.contact, command.as_json))
    finally:
        database.close()
    return 0


def begin_command() -> None:
    """What every command does before it runs (the command group's callback): garbage
    collection resumed, the secret store's notice and the settings' warnings routed to
    standard error."""
    from planner.cli.passphrase import install_notice
    from planner.cli.process import start_collecting
    from planner.cli.window import warn_about_settings

    start_collecting()  # the command's module is imported: what it does is collected as usual
    install_notice()
    warn_about_settings()


def log_line(store: Backend, contact: str, kind: str, when: str | None, minutes: int | None,
             note: str) -> str:
    """``planner log``: the touchpoint logged, and the line that says so."""
    from planner.services import contacts as people
    from planner.services import touchpoints as svc

    c = people.resolve_contact(contact)
    at = when_given(when, past=True) if when else None
    tp = svc.log_touchpoint(store, c.id, kind, at=at, minutes=minutes, note=note)
    return f"Logged {tp.kind} with {c.name} at {short_time(tp.at)}"


def show_text(contact: str, as_json: bool) -> str:
    """``planner contacts show``: everything about one person, a field a line (or JSON)."""
    from planner.services import contacts as people

    c = people.resolve_contact(contact)
    if as_json:
        import json

        return json.dumps(people.contact_as_dict(c), ensure_ascii=False, indent=2)
    rows = [
        ("Name", c.name),
        ("Id", f"#{c.id}"),
        ("Ring", c.ring.value if c.ring else "unplaced"),
        (
            "Last touch",
            short_time(c.last_touch) + (f" ({c.last_touch_kind})" if c.last_touch_kind else ""),
        ),
        ("Email", c.email),
        ("Phones", ", ".join(c.phones)),
        ("Handles", ", ".join(f"{k}: {v}" for k, v in c.handles.items())),
        ("Channels", ", ".join(c.channels)),
        ("Tags", ", ".join(c.tags)),
        ("Time zone", c.timezone),
        ("Birthday", c.birthday.iso() if c.birthday else ""),
        ("Organisation", c.organization),
        ("Title", c.title),
        ("Cadence", f"{c.cadence_days} days" if c.cadence_days else "ring default"),
        ("Stage", c.stage),
        ("Notes", c.notes),
    ]
    return "\n".join(f"{label + ':':<14}{value}" for label, value in rows if value)


def when_given(text: str, *, past: bool = False):
    """``--at`` (planner.domain.when, imported only when a time is given); ``past``: a
    touchpoint's, refused ahead of now in the words it was given in."""
    from planner.domain.when import parse_when as parse
    from planner.domain.when import require_past

    moment = parse(text)
    return require_past(moment, said=text) if past else moment


def short_time(moment) -> str:
    if moment is None:
        return "never"
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def echo(line: str) -> None:
    """``click.echo(line)``: written as it is, then flushed, to a standard output click
    would write to unchanged (a text stream with an encoding and an error handler, not
    ASCII, and nothing for it to strip); anything else through click itself."""
    out = sys.stdout
    if out is None:
        return
    encoding = getattr(out, "encoding", None)
    if encoding and getattr(out, "errors", None) and "\x1b" not in line \
            and not _is_ascii(encoding):
        out.write(line + "\n")
        out.flush()
        return
    import click

    click.echo(line)


def _is_ascii(encoding: str) -> bool:
    import codecs

    try:
        return codecs.lookup(encoding).name == "ascii"
    except LookupError:
        return False
