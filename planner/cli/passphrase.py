"""Passphrases on the command line: ``--passphrase-stdin``, the terminal prompt, the notice.

* ``planner --passphrase-stdin …`` reads passphrases from standard input, one
  per line, when they are needed: first the database's (the keyring is then
  not consulted), then, for ``db change-key --own-passphrase`` or
  ``db encrypt --own-passphrase``, the new one.
* Otherwise an encrypted database's key comes from the keyring; if it is not
  there and standard input is a terminal, the passphrase is asked for (hidden,
  three tries). With neither, the command is refused with a one-line hint.
* "Secrets cannot be remembered on this machine" is printed once, on stderr,
  before a prompt or after a ``db`` command; a refusal stays one line.

click is imported when a line is printed or a passphrase asked for: ``planner log``
answered without click (planner.cli.quick) opens a plain file through here too.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from planner.domain.errors import DatabaseProblem, InvalidInput
from planner.storage import secret_notice

if TYPE_CHECKING:
    import click

ATTEMPTS = 3
MAX_LINE = 4096  # longer than any passphrase; stdin may be /dev/zero or a huge file
_pending_notice: list[str] = []


def install_notice() -> None:
    """Route the one-time secret-store notice to stderr (printed by :func:`flush_notice`).
    A new command starts with nothing pending: a notice left by an earlier command run in
    the same process (the in-process CLI of the tests) is not this command's to print."""
    _pending_notice.clear()
    secret_notice.set_notice_handler(_pending_notice.append)


def flush_notice() -> None:
    import click

    while _pending_notice:
        click.echo(f"planner: {_pending_notice.pop(0)}", err=True)


def stdin_is_tty() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


class Passphrases:
    """Where this command's passphrases come from (one per ``--passphrase-stdin`` line)."""

    def __init__(self, from_stdin: bool):
        self.from_stdin = from_stdin

    def can_ask(self) -> bool:
        return self.from_stdin or stdin_is_tty()

    def read(self, prompt: str, *, confirm: bool = False) -> str:
        """The next passphrase; InvalidInput when none can be had."""
        try:
            return self._read(prompt, confirm=confirm)
        except UnicodeDecodeError:  # standard input in a UTF-8 locale met another byte
            from planner.storage.sqlite.encryption import NOT_TEXT_KEY

            raise InvalidInput(f"--passphrase-stdin: {NOT_TEXT_KEY}" if self.from_stdin
                               else NOT_TEXT_KEY) from None

    def _read(self, prompt: str, *, confirm: bool) -> str:
        if self.from_stdin:
            if sys.stdin is None:  # (started with standard input closed: `<&-`)
                raise InvalidInput("--passphrase-stdin: standard input is closed")
            line = sys.stdin.readline(MAX_LINE + 1)  # /dev/zero on stdin must not eat memory
            if not line:
                raise InvalidInput("--passphrase-stdin: no passphrase on standard input")
            if len(line.rstrip("\r\n")) > MAX_LINE:
                raise InvalidInput(
                    f"--passphrase-stdin: the first line is longer than {MAX_LINE} characters; "
                    "give one passphrase per line"
                )
            return line.rstrip("\r\n")
        if stdin_is_tty():
            import click

            flush_notice()
            return click.prompt(
                prompt, hide_input=True, confirmation_prompt=confirm, default="", show_default=False
            )
        raise InvalidInput(
            "a passphrase is needed: give it with planner --passphrase-stdin (one line on "
            "standard input), or run the command in a terminal"
        )

    def open_options(self) -> dict:
        """Keyword arguments for ``open_database``: how to get an encrypted database's key."""
        if self.from_stdin:
            return {"ask_passphrase": self._ask_once, "use_keyring": False}
        if stdin_is_tty():
            return {"ask_passphrase": self._ask_terminal}
        return {}

    def _ask_once(self, request) -> str:
        if request.error:  # one line from stdin, one try
            raise DatabaseProblem(request.error)
        return self.read("Passphrase")

    def _ask_terminal(self, request) -> str | None:
        import click

        if request.attempt > ATTEMPTS:
            raise DatabaseProblem(request.error or f"{request.path} was not opened")
        if request.error:
            click.echo(f"planner: {request.error}", err=True)
        if request.attempt == 1:
            click.echo(f"{request.path} is encrypted.", err=True)
        return self.read("Passphrase (or recovery passphrase)")


def passphrases(ctx: click.Context) -> Passphrases:
    root = ctx.find_root()
    obj = root.obj or {}
    return Passphrases(bool(obj.get("passphrase_stdin")))
