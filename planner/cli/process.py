"""A whole ``planner`` process's start-up: the garbage collector waits for it.

Kept apart from click (planner.cli.lazy), as the window's start does not import click
(planner.cli.window)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_collecting_paused = False


@contextmanager
def own_process() -> Iterator[None]:
    """Around a whole ``planner`` process: no garbage collection during start-up, and
    none on the way out.

    Start-up (importing click, peewee, the models, the command's module, opening the
    database) makes some 20,000 objects that all live as long as the process; the
    collector walked them ~50 times meanwhile (gen 0 and 1, at every 700 new objects)
    and once more at exit, about 7 % of ``planner log``. :func:`start_collecting`
    resumes it, with what start-up made frozen (``gc.freeze``), before the command
    runs, so a long command (an import, ``demo``) collects its garbage as before."""
    global _collecting_paused
    gc.disable()
    _collecting_paused = True
    try:
        yield
    finally:
        gc.freeze()  # the process is ending: nothing to gain from walking everything again
        _collecting_paused = False


def start_collecting() -> None:
    """Start-up is over (the command is about to run): resume garbage collection, if
    :func:`own_process` paused it, for the objects made from now on."""
    global _collecting_paused
    if _collecting_paused:
        _collecting_paused = False
        gc.freeze()
        gc.enable()
