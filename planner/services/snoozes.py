"""Snoozing a person: out of your focus list (and the day's notification) until a day.

Each snooze is a row kept as history (the person's timeline shows it); clearing one
early stamps ``cleared_at``. On a team database a snooze is its owner's alone (row-level
security, like ring placements). Every change is one transaction, and each has its
exact inverse for the window's undo.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from planner.domain.errors import InvalidInput
from planner.domain.focus import local_zone
from planner.domain.reminders import Snooze, snooze_until
from planner.services.contacts import now, require
from planner.storage import snoozes_repo as repo

if TYPE_CHECKING:
    from planner.storage.backend import Backend


def snooze(store: Backend, contact_id: int, until: datetime | str, *, at: datetime | None = None,
           tz: tzinfo | None = None) -> Snooze:
    """Snooze a person until a moment, or for ``1d``/``3d``/``1w``/a date (local days).
    A snooze already running is replaced (cleared now), so there is one at a time."""
    stamp = (at or now()).astimezone(UTC)
    if isinstance(until, str):
        until = snooze_until(until, stamp, tz or local_zone())
    if until.tzinfo is None or until <= stamp:
        raise InvalidInput("a snooze must end after now")
    with store.write():
        require(contact_id)
        repo.clear_ids(repo.running_ids(contact_id, stamp), stamp)
        snooze_id = repo.add(contact_id, stamp, until)
    return repo.get(snooze_id)


def clear(store: Backend, contact_id: int, *, at: datetime | None = None) -> list[int]:
    """End a person's running snooze now; the ids of the rows cleared ([] if none)."""
    stamp = (at or now()).astimezone(UTC)
    with store.write():
        require(contact_id)
        ids = repo.running_ids(contact_id, stamp)
        if ids:
            repo.clear_ids(ids, stamp)
    return ids


def undo_snooze(store: Backend, snooze_id: int, replaced: Sequence[int] = ()) -> None:
    """The inverse of :func:`snooze`: its row goes, the snoozes it replaced run again."""
    with store.write():
        repo.delete(snooze_id)
        if replaced:
            reopen(store, list(replaced))


def reopen(store: Backend, ids: list[int]) -> None:
    """The inverse of :func:`clear`."""
    with store.write():
        repo.reopen(ids)


def active_snooze(contact_id: int, *, at: datetime | None = None) -> Snooze | None:
    return repo.running(contact_id, (at or now()).astimezone(UTC))


def replaced_by(snooze: Snooze) -> list[int]:
    """The snoozes that ``snooze`` cleared when it was made (for its undo)."""
    return repo.cleared_with(snooze)
