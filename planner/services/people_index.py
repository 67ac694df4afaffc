"""The people list's search as you type: an index of what the list searches, built off
the GUI thread from a worker's own connection (planner.storage.people_search)."""

from __future__ import annotations

import time

from planner.storage import people_search
from planner.storage.people_search import Hits, PeopleIndex
from planner.storage.threads import worker_connection


class BuildStopped(Exception):
    """The build was stopped (:meth:`BuildPace.stop`): its index is not wanted any more."""


class BuildPace:
    """When a build of the index may go on: the worker asks before each step of its
    lines (``people_search.STEP``, some 5-25 ms of work), and waits while the window has
    asked it to (:meth:`hold_until`: the people list is being scrolled, and each line the
    build reads or inserts hands the interpreter back and forth with the GUI thread),
    or stops (:meth:`stop`: a newer build replaces it). The window needs to do nothing
    to let it go on: a hold runs out by itself."""

    def __init__(self) -> None:
        self._until = 0.0  # (time.monotonic) the build waits until then
        self._stopped = False

    def hold_until(self, moment: float) -> None:
        """(GUI thread) No step of the build starts before ``moment`` (``time.monotonic``)."""
        self._until = max(self._until, moment)

    def stop(self) -> None:
        """(GUI thread) The build ends at its next step (:class:`BuildStopped`)."""
        self._stopped = True

    def __call__(self) -> None:
        """(The worker, before each step) Wait while held; raise if stopped."""
        while True:
            if self._stopped:
                raise BuildStopped
            left = self._until - time.monotonic()
            if left <= 0:
                return
            time.sleep(left)


def build_off_thread(pace: BuildPace | None = None) -> PeopleIndex:
    """Read the people's search lines through this (worker) thread's own connection,
    closed before the index is built: the index needs the file no more. ``pace``: when
    each step may start (see :class:`BuildPace`)."""
    with worker_connection():
        rows = people_search.read(pace)
    return PeopleIndex(rows, pace)


__all__ = ["BuildPace", "BuildStopped", "Hits", "PeopleIndex", "build_off_thread"]
