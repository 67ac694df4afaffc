"""Snoozes (``snooze``): the connected user's, kept as history (clearing one stamps
``cleared_at``). On a team database a snooze is its owner's alone: every query here
keeps the ``owner`` condition (row-level security keeps others' out too).

Returns domain objects; nothing here opens a transaction (the service does).
"""

from __future__ import annotations

from datetime import datetime

from planner.domain.reminders import Snooze
from planner.storage.contacts_repo import who
from planner.storage.models import SnoozeRow


def _snooze(row: SnoozeRow) -> Snooze:
    return Snooze(row.id, row.contact_id,  # type: ignore[attr-defined]  # peewee's FK _id
                  row.at, row.until, row.cleared_at)


def _active(contact_id: int | None, moment: datetime):
    query = SnoozeRow.select().where(SnoozeRow.owner == who(), SnoozeRow.cleared_at.is_null(),
                                     SnoozeRow.until > moment)
    return query if contact_id is None else query.where(SnoozeRow.contact == contact_id)


def running_ids(contact_id: int, moment: datetime) -> list[int]:
    """The user's snoozes of the person that run at ``moment`` (not cleared, not ended)."""
    return [r.id for r in _active(contact_id, moment)]


def running(contact_id: int, moment: datetime) -> Snooze | None:
    """The user's running snooze of the person that ends last, or None."""
    rows = list(_active(contact_id, moment).order_by(SnoozeRow.until.desc()).limit(1))
    return _snooze(rows[0]) if rows else None


def clear_ids(ids: list[int], stamp: datetime) -> None:
    """End these snoozes at ``stamp`` (an UPDATE even when ``ids`` is empty)."""
    SnoozeRow.update(cleared_at=stamp).where(SnoozeRow.id.in_(ids)).execute()


def add(contact_id: int, at: datetime, until: datetime) -> int:
    """A new snooze of the person by the user; its id."""
    return SnoozeRow.create(contact=contact_id, owner=who(), at=at, until=until).id


def get(snooze_id: int) -> Snooze:
    return _snooze(SnoozeRow.get_by_id(snooze_id))


def delete(snooze_id: int) -> None:
    """Remove the user's snooze (another user's row is left alone)."""
    SnoozeRow.delete().where(SnoozeRow.id == snooze_id, SnoozeRow.owner == who()).execute()


def reopen(ids: list[int]) -> None:
    """Run the user's snoozes of ``ids`` again (no longer cleared)."""
    (SnoozeRow.update(cleared_at=None)
     .where(SnoozeRow.id.in_(ids), SnoozeRow.owner == who()).execute())


def cleared_with(snooze: Snooze) -> list[int]:
    """The user's other snoozes of the person cleared at the moment ``snooze`` was made."""
    return [r.id for r in SnoozeRow.select(SnoozeRow.id).where(
        SnoozeRow.contact == snooze.contact_id, SnoozeRow.owner == who(),
        SnoozeRow.cleared_at == snooze.at, SnoozeRow.id != snooze.id)]
