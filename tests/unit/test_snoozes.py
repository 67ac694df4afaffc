"""Snoozes in a real database: made, replaced, cleared, undone, and read by the focus
list, the agenda and the timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.domain.errors import InvalidInput, NotFound
from planner.domain.rings import Ring
from planner.domain.timeline import EntryType
from planner.services import contacts, snoozes, touchpoints
from planner.services.focus import focus_list
from planner.services.reminders import agenda
from tests.helpers.stores import bound

pytestmark = pytest.mark.usefixtures("opened")

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 4, 11, 0, tzinfo=UTC)  # Friday 12:00 in Berlin


def names(result) -> list[str]:
    return [i.name for i in result.items]


def test_a_snooze_of_three_days_ends_at_local_midnight_and_leaves_the_lists():
    ada = contacts.add_contact(bound(), "Ada", ring=Ring.INNER).id
    made = snoozes.snooze(bound(), ada, "3d", at=NOW, tz=BERLIN)
    assert made.until == datetime(2026, 12, 7, tzinfo=BERLIN)
    assert names(focus_list(as_of=NOW, tz=BERLIN)) == []
    assert [s.name for s in agenda(as_of=NOW, tz=BERLIN).snoozed] == ["Ada"]
    assert names(focus_list(as_of=made.until, tz=BERLIN)) == ["Ada"]  # back that day
    (entry,) = [e for e in touchpoints.timeline(ada) if e.type is EntryType.SNOOZE]
    assert entry.until == made.until and entry.summary().startswith("snoozed until ")


def test_a_new_snooze_replaces_the_running_one_and_its_undo_brings_it_back():
    ada = contacts.add_contact(bound(), "Ada", ring=Ring.INNER).id
    first = snoozes.snooze(bound(), ada, "1w", at=NOW, tz=BERLIN)
    later = NOW + timedelta(hours=1)
    second = snoozes.snooze(bound(), ada, "1d", at=later, tz=BERLIN)
    assert snoozes.active_snooze(ada, at=later).id == second.id
    assert snoozes.replaced_by(second) == [first.id]
    snoozes.undo_snooze(bound(), second.id, snoozes.replaced_by(second))
    assert snoozes.active_snooze(ada, at=later).id == first.id


def test_clear_and_its_undo():
    ada = contacts.add_contact(bound(), "Ada", ring=Ring.INNER).id
    made = snoozes.snooze(bound(), ada, "1w", at=NOW, tz=BERLIN)
    later = NOW + timedelta(hours=2)
    cleared = snoozes.clear(bound(), ada, at=later)
    assert cleared == [made.id] and snoozes.active_snooze(ada, at=later) is None
    assert names(focus_list(as_of=later, tz=BERLIN)) == ["Ada"]
    snoozes.reopen(bound(), cleared)
    assert snoozes.active_snooze(ada, at=later).id == made.id
    assert snoozes.clear(bound(), contacts.add_contact(bound(), "Bo").id) == []


def test_refusals():
    ada = contacts.add_contact(bound(), "Ada", ring=Ring.INNER).id
    with pytest.raises(InvalidInput, match="after now"):
        snoozes.snooze(bound(), ada, NOW - timedelta(days=1), at=NOW)
    with pytest.raises(InvalidInput, match="use 1d"):
        snoozes.snooze(bound(), ada, "later", at=NOW)
    with pytest.raises(NotFound):
        snoozes.snooze(bound(), 9999, "1d")
