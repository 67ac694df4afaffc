"""The ``planner`` command line: the same data as the window, scriptable.

Exit codes: 0 success, 1 a refused action (one line on stderr), 2 usage errors, 130
interrupted (Ctrl+C, "planner: interrupted").

Start-up is kept small: this module imports nothing at its top (``planner --version``
answers from ``planner/__init__`` alone), and a command's module is imported only
when that command runs (planner.cli.lazy). The window (planner.cli.window) and
``planner log CONTACT KIND`` (planner.cli.quick) are recognised before click is
imported, and run without it.
"""

from __future__ import annotations

import sys


def _register() -> None:
    """Import every command (a test that walks them all; the window's benchmark probe)."""
    from planner.cli.lazy import load_all

    load_all()


def _command_words(argv: list[str] | None) -> str:
    """The command line as it may be logged: command names and option names only — what
    was searched for, names, notes and URLs (passwords) become "…"."""
    import click

    from planner.cli.common import cli

    words, group = [], cli
    for token in sys.argv[1:] if argv is None else argv:
        if token.startswith("-"):
            words.append(token.split("=", 1)[0])
            continue
        command = group.get_command(None, token) if isinstance(group, click.Group) else None
        if command is not None:
            words.append(token)
            group = command
        elif words[-1:] != ["…"]:
            words.append("…")
    return " ".join(words)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code instead of raising.

    ``argv`` None: this process is the command's own (the ``planner`` script,
    ``python -m planner``), which start-up may shape (planner.cli.process); a list: a
    call inside a longer-lived process (a test), which is left as it is."""
    args = sys.argv[1:] if argv is None else argv
    if list(args) == ["--version"]:  # nothing else to import for the answer
        from planner import __version__

        if sys.stdout is None:  # (started with it closed: `>&-`)
            _say("planner: cannot write the output: standard output is closed")
            return 1
        sys.stdout.write(f"planner {__version__}\n")
        return 0
    if argv is not None:
        return _main(argv, whole_process=False)
    from planner.cli.process import own_process

    with own_process():
        return _main(None, whole_process=True)


def _main(argv: list[str] | None, *, whole_process: bool) -> int:
    state: dict = {}  # "open": the database the command opened (its errors name it)
    try:  # (a Ctrl+C as early as this is answered too)
        from planner.cli.window import open_window, window_arguments

        args = sys.argv[1:] if argv is None else argv
        window = window_arguments(args)
        if window is not None:  # the window, without click (planner.cli.window)
            database, tray = window
            return open_window(database, tray=tray)
        if whole_process:  # its own standard output: written whole, or an error
            from planner.cli.process import whole_writes

            with whole_writes():
                return _command_main(args, argv, whole_process=True, state=state)
        return _command_main(args, argv, whole_process=whole_process, state=state)
    except BaseException as exc:  # each kind answered there; SystemExit and others re-raised
        return _exit_code(exc, argv, state.get("open"))


def _command_main(args: list[str], argv: list[str] | None, *, whole_process: bool,
                  state: dict) -> int:
    """A command: ``planner log CONTACT KIND`` and ``planner contacts show CONTACT``
    without click (planner.cli.quick), every other one through click."""
    from planner.cli.quick import quick_command

    command = quick_command(list(args))
    if command is None:
        return _click_main(argv, whole_process=whole_process, state=state)
    from planner.cli.quick import run_quick

    try:
        return run_quick(command, whole_process=whole_process, state=state)
    except (EOFError, KeyboardInterrupt) as exc:  # answered as click answers them
        if sys.stderr is not None:  # (click.echo(file=sys.stderr): a line break first)
            sys.stderr.write("\n")
            sys.stderr.flush()
        if isinstance(exc, KeyboardInterrupt):
            return _exit_code(exc, argv)
        _say("planner: aborted")  # (end of input at a prompt)
        return 1
    except OSError as exc:
        import errno

        if exc.errno != errno.EPIPE:
            raise
        raise SystemExit(1) from None  # click: standard output's reader went away


def _click_main(argv: list[str] | None, *, whole_process: bool, state: dict) -> int:
    import click

    from planner.cli.common import cli

    cli.whole_process = whole_process
    try:  # (the command's ctx.obj is ``state``: its "open" is the database it opened)
        result = cli.main(args=argv, prog_name="planner", standalone_mode=False, obj=state)
        return result if isinstance(result, int) else 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        exc.show()
        return 2
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # click's word for Ctrl+C
            return _exit_code(exc.__cause__, argv)
        _say("planner: aborted")  # (end of input at a prompt)
        return 1


def _storage_problem(exc: BaseException, opened=None):
    """The one-line DatabaseProblem for a storage failure raised where no translation
    was (a damaged page met while a cursor steps through rows), naming the database the
    command opened (``opened``, an OpenDatabase), else None."""
    if "peewee" not in sys.modules and "sqlite3" not in sys.modules:
        return None
    from planner.storage.failures import storage_problem as translated

    path = opened.path if opened is not None else None
    return translated(exc, str(path) if path is not None else "the database")


def _say(line: str) -> None:
    """One line on stderr (none when there is no stderr: a windowed start)."""
    if sys.stderr is not None:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


def _exit_code(exc: BaseException, argv: list[str] | None, opened=None) -> int:
    """What the command line says about an error that ended it, and its exit code; an
    exception not meant to be answered here (SystemExit…) is raised again. ``opened``:
    the database the command opened, if it did (a storage failure names it)."""
    from planner import __version__
    from planner.domain.errors import PlannerError

    if isinstance(exc, PlannerError):  # one line, even when it quotes a name with a line break
        message = str(exc).replace("\r", "\\r").replace("\n", "\\n")
        message = message.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates
        _say(f"planner: {message}")
        return 1
    if isinstance(exc, KeyboardInterrupt):
        _say("planner: interrupted")
        return 130
    if isinstance(exc, BrokenPipeError):
        sys.stderr.close()  # the reader went away (e.g. `| head`); nothing to report
        return 0
    if isinstance(exc, OSError):  # the environment's fault (a path too long, no permission…)
        import errno

        if not getattr(exc, "filename", None) and exc.errno == errno.EBADF:
            _say("planner: cannot write the output: standard output is closed")
            return 1
        if not getattr(exc, "filename", None) and exc.errno in (
                errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO):  # standard output's
            _say(f"planner: cannot write the output ({exc.strerror or exc}); what was "
                 "written is incomplete")
            return 1
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        where = where if len(where) < 120 else where[:117] + "…"
        _say(f"planner: cannot use{where}: {exc.strerror or exc}")
        return 1
    if not isinstance(exc, Exception):
        raise exc
    problem = _storage_problem(exc, opened)
    if problem is not None:  # e.g. a damaged page met while reading rows
        _say(f"planner: {problem}")
        return 1
    if isinstance(exc, ValueError) and "null byte" in str(exc):  # click's path check
        _say("planner: a file name cannot contain a NUL character")
        return 2
    import logging

    from planner.logs import setup_logging

    path = setup_logging()
    logging.getLogger("planner.cli").exception(
        "unexpected error in planner %s %s", __version__, _command_words(argv), exc_info=exc)
    _say(f"planner: unexpected error ({type(exc).__name__}: {exc}); details are in {path}")
    return 1
