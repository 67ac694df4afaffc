"""Child processes a test sends Ctrl+C (SIGINT) to.

A shell without job control starts a background command with SIGINT ignored, and every
child inherits that; Python then leaves it ignored (no KeyboardInterrupt), as it should
for a command started with ``&`` or under ``nohup``. A test run started that way (CI's
runner may be) would see the signal do nothing: its children get the default back
before the program starts."""

from __future__ import annotations

import sys

_RESET = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
          "os.execv(sys.argv[1], sys.argv[1:])")


def interruptible(argv: list[str]) -> list[str]:
    """``argv`` (its first item an absolute path) started with SIGINT's default action."""
    return [sys.executable, "-c", _RESET, *argv]
