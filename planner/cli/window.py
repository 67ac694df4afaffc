"""``planner`` with no command, or with ``--db FILE`` / ``--tray`` only: the window.

This is how the app is started nearly every time (the launcher, the login item), and
click has nothing to decide for it: importing and running click is some 15 ms of a
start-up whose target is twice a bare Qt window's (issue 23). Such a command line is
recognised here, without click, and opens the window exactly as the click command does
(:func:`open_window`, which the click command calls too). Anything else, ``--help``, a
command, an unknown or malformed option, ``--demo``, goes to click, which parses it
and says what is wrong.
"""

from __future__ import annotations

import os
import sys


def window_arguments(args: list[str]) -> tuple[str | None, bool] | None:
    """(database, tray) when ``args`` only open the window; None for click to parse.

    ``--db FILE`` or ``--db=FILE`` (at most once; without it None: storage then reads
    ``$PLANNER_DB``) and ``--tray`` (at most once), in any order."""
    if os.environ.get("_PLANNER_COMPLETE"):  # a shell asks click for its completions
        return None
    database: str | None = None
    seen_db = tray = False
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--tray" and not tray:
            tray = True
        elif arg == "--db" and not seen_db and i + 1 < len(args):
            database, seen_db = args[i + 1], True
            i += 1
        elif arg.startswith("--db=") and not seen_db:
            database, seen_db = arg[len("--db="):], True
        else:
            return None
        i += 1
    if seen_db and not (database or "").strip():
        return None  # "--db ''": click says it is no database (it opened the default one)
    variable = os.environ.get("PLANNER_DB")
    if not seen_db and variable is not None and not variable.strip():
        return None  # PLANNER_DB set to nothing: click says so too
    # (without --db: None, and storage reads $PLANNER_DB, as for every command)
    return database, tray


def warn_about_settings() -> None:
    """A stored setting that is not valid is ignored for its default: say so once, on
    stderr (and in the log file)."""
    from planner.services.setting_warnings import set_warning_handler

    def warn(line: str) -> None:
        from planner.logs import setup_logging

        setup_logging()
        print(f"planner: warning: {line}", file=sys.stderr, flush=True)

    set_warning_handler(warn)


def open_window(database: str | None, *, tray: bool) -> int:
    """Open the window on ``database`` (None: the default one); its exit code."""
    from planner.cli.process import start_collecting

    start_collecting()
    warn_about_settings()
    from planner.storage.drivers import import_peewee_without_drivers

    import_peewee_without_drivers()  # a team database's driver comes when it connects
    from planner.app import run_gui

    return run_gui(database, tray=tray, owns_process=True)
