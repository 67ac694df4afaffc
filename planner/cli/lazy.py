"""The command group that imports a command's module only when that command runs.

``planner log …`` used to import every command module (and through them the
services, storage models and domain rules of every feature: advocacy, import,
export, reminders, team databases…) before doing anything: about 0.35 s of CPU,
nine times ``python -c pass``. Here each top-level command name maps to the
module that defines it; ``get_command`` imports that module (its ``@cli.command``
decorators attach the command to the group) and nothing else.

``planner --help`` lists every command from the static table below without
importing any of them (tests/cli/test_cli_lazy.py checks that the table matches
the commands' own help text).
"""

from __future__ import annotations

import importlib

import click

#: command name → (the modules that define it, the first paragraph of its help, which
#: ``planner --help`` shortens as click does).
#: The ``db`` group's subcommands live in two modules (files and team databases).
COMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    "agenda": (("planner.cli.reminders",),
        "Who is due today (overdue included), who comes due soon, whose birthday is coming and "
        "who is snoozed."),
    "ask": (("planner.cli.advocacy",),
        "Record something you asked of a person."),
    "ask-status": (("planner.cli.advocacy",),
        "Change an ask's status: planned, asked, done or declined."),
    "backup": (("planner.cli.transfer",),
        "Copy the database now (consistent even while the window is open)."),
    "celebrate": (("planner.cli.advocacy",),
        "Celebrate a win: logs the touchpoint that did it and links it to the win."),
    "capture": (("planner.cli.capture", "planner.cli.capture_remote"),
        "Touchpoints captured from calendars and mail, waiting for your review."),
    "contacts": (("planner.cli.contacts",),
        "Add, list, show, edit, move and remove people."),
    "db": (("planner.cli.db", "planner.cli.team"),
        "The database itself: encrypt, decrypt or re-key a file, show its status, and set up "
        "a team database and its users."),
    "demo": (("planner.cli.demo",),
        "Fill an EMPTY database with a realistic demo network."),
    "export": (("planner.cli.transfer",),
        "Take your data out: a full JSON dump, or the people as vCard or CSV."),
    "focus": (("planner.cli.focus",),
        "The weekly focus list: the placed people due by the end of the week, most urgent "
        "first."),
    "give": (("planner.cli.advocacy",),
        "Record something you gave back."),
    "goals": (("planner.cli.advocacy",),
        "Show (or set) the advocacy goals: target share, ask limit, intended time per ring."),
    "import": (("planner.cli.transfer",),
        "Bring people in from a vCard or CSV file (phone, Google, Outlook, LinkedIn)."),
    "log": (("planner.cli.timeline",),
        "Log a touchpoint with a person."),
    "note": (("planner.cli.timeline",),
        "Add a dated note about a person (Markdown)."),
    "note-share": (("planner.cli.timeline",),
        "Team database: share one of your notes with the team, or make it private again."),
    "restore": (("planner.cli.transfer",),
        "Replace the database with the backup FILE (close the window first)."),
    "rings": (("planner.cli.contacts",),
        "How full each ring is, and who is on it."),
    "search": (("planner.cli.timeline",),
        "Find notes and touchpoints by words in them (accents and case ignored)."),
    "snooze": (("planner.cli.reminders",),
        "Snooze a person: out of your focus list and the daily notification until a day."),
    "stage": (("planner.cli.advocacy",),
        "Set a person's advocacy stage: none, cultivating, succeeded or advocate."),
    "stats": (("planner.cli.advocacy",),
        "The dashboard's figures: advocates against the target, the funnel, ring fill, "
        "touchpoints per week (the last 12 ISO weeks, local time), time per ring, wins to "
        "celebrate and asks to thank for."),
    "thank": (("planner.cli.advocacy",),
        "Say thank you for an ask: a thank-you note linked to it (and a touchpoint with "
        "--kind)."),
    "timeline": (("planner.cli.timeline",),
        "Touchpoints, notes and ring moves, newest first (one person or everyone)."),
    "win": (("planner.cli.advocacy",),
        "Record a win of theirs (a talk, a post, a launch, a promotion) to celebrate."),
}


def load_all() -> None:
    """Import every command module (what ``planner`` did before at every start)."""
    for modules, _help in COMMANDS.values():
        for module in modules:
            importlib.import_module(module)


class LazyGroup(click.Group):
    """A click group whose commands are imported when they are looked up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    #: set by ``planner.cli.main`` for the console script's own process (not for a
    #: ``main([...])`` called inside a longer-lived one, e.g. a test)
    whole_process = False

    def get_command(self, ctx: click.Context | None, cmd_name: str):
        entry = COMMANDS.get(cmd_name)
        if entry is not None and self.whole_process:
            # no PostgreSQL driver at peewee's import: a team database's adapter brings it
            # when it connects (planner.storage.drivers)
            from planner.storage.drivers import import_peewee_without_drivers

            import_peewee_without_drivers()
        if entry is not None:
            for module in entry[0]:  # each attaches its commands to the group once
                importlib.import_module(module)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """``--help``: the table's texts for commands not imported, so that listing them
        imports none."""
        names = [name for name in self.list_commands(ctx)
                 if name not in self.commands or not self.commands[name].hidden]
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)  # as click does
        rows = []
        for name in names:
            command = self.commands.get(name)
            if command is None:  # shortened exactly as the command itself would be
                command = click.Command(name, help=COMMANDS[name][1])
            rows.append((name, command.get_short_help_str(limit)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)
