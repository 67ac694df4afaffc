"""Snoozing a person: out of your focus list (and the day's notification) until a day.

Each snooze is a row kept as history (the person's timeline shows it); clearing one
early stamps ``cleared_at``. On a team database a snooze is its owner's alone (row-level
security, like ring placements). Every change is one transaction, and each has its
exact inverse for the window's undo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from planner.domain.errors import InvalidInput
from planner.domain.focus import local_zone
from planner.domain.reminders import snooze_until
from planner.services.contacts import now, require
from planner.storage.contacts_repo import who
from planner.storage.models import SnoozeRow, db_proxy


@dataclass(frozen=True)
class Snooze:
    id: int
    contact_id: int
    at: datetime
    until: datetime
    cleared_at: datetime | None = None


def _snooze(row: SnoozeRow) -> Snooze:
    return Snooze(row.id, row.contact_id,  # type: ignore[attr-defined]  # peewee's FK _id
                  row.at, row.until, row.cleared_at)


def _active(contact_id: int | None, moment: datetime):
    query = SnoozeRow.select().where(SnoozeRow.owner == who(), SnoozeRow.cleared_at.is_null(),
                                     SnoozeRow.until > moment)
    return query if contact_id is None else query.where(SnoozeRow.contact == contact_id)


def snooze(contact_id: int, until: datetime | str, *, at: datetime | None = None,
           tz: tzinfo | None = None) -> Snooze:
    """Snooze a person until a moment, or for ``1d``/``3d``/``1w``/a date (local days).
    A snooze already running is replaced (cleared now), so there is one at a time."""
    stamp = (at or now()).astimezone(UTC)
    if isinstance(until, str):
        until = snooze_until(until, stamp, tz or local_zone())
    if until.tzinfo is None or until <= stamp:
        raise InvalidInput("a snooze must end after now")
    with db_proxy.atomic():
        require(contact_id)
        (SnoozeRow.update(cleared_at=stamp)
         .where(SnoozeRow.id.in_([r.id for r in _active(contact_id, stamp)])).execute())
        row = SnoozeRow.create(contact=contact_id, owner=who(), at=stamp, until=until)
    return _snooze(SnoozeRow.get_by_id(row.id))


def clear(contact_id: int, *, at: datetime | None = None) -> list[int]:
    """End a person's running snooze now; the ids of the rows cleared ([] if none)."""
    stamp = (at or now()).astimezone(UTC)
    with db_proxy.atomic():
        require(contact_id)
        ids = [r.id for r in _active(contact_id, stamp)]
        if ids:
            SnoozeRow.update(cleared_at=stamp).where(SnoozeRow.id.in_(ids)).execute()
    return ids


def undo_snooze(snooze_id: int, replaced: Sequence[int] = ()) -> None:
    """The inverse of :func:`snooze`: its row goes, the snoozes it replaced run again."""
    with db_proxy.atomic():
        SnoozeRow.delete().where(SnoozeRow.id == snooze_id, SnoozeRow.owner == who()).execute()
        if replaced:
            reopen(list(replaced))


def reopen(ids: list[int]) -> None:
    """The inverse of :func:`clear`."""
    with db_proxy.atomic():
        (SnoozeRow.update(cleared_at=None)
         .where(SnoozeRow.id.in_(ids), SnoozeRow.owner == who()).execute())


def active_snooze(contact_id: int, *, at: datetime | None = None) -> Snooze | None:
    rows = list(_active(contact_id, (at or now()).astimezone(UTC))
                .order_by(SnoozeRow.until.desc()).limit(1))
    return _snooze(rows[0]) if rows else None


def replaced_by(snooze: Snooze) -> list[int]:
    """The snoozes that ``snooze`` cleared when it was made (for its undo)."""
    return [r.id for r in SnoozeRow.select(SnoozeRow.id).where(
        SnoozeRow.contact == snooze.contact_id, SnoozeRow.owner == who(),
        SnoozeRow.cleared_at == snooze.at, SnoozeRow.id != snooze.id)]
