"""Snoozes on a team database: private to their owner (row-level security, like
placements), each user's focus list and agenda leave out only their own snoozes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg2
import pytest

from planner.domain.rings import Ring
from planner.services import contacts, snoozes
from planner.services.focus import focus_list
from planner.services.placement import move_contact
from planner.services.reminders import agenda
from tests.helpers.stores import bound
from tests.postgres.conftest import logged_in as as_user

NOW = datetime.now(UTC).replace(microsecond=0)


def test_a_snooze_is_its_owners_alone(team):
    pg, alice, bob = team
    with as_user(pg, alice):
        ada = contacts.add_contact(bound(), "Ada", ring=Ring.INNER)
        snoozes.snooze(bound(), ada.id, "3d")
        assert [i.name for i in focus_list().items] == []
        assert [s.name for s in agenda().snoozed] == ["Ada"]
    with as_user(pg, bob):
        move_contact(bound(), ada.id, Ring.INNER)
        assert [i.name for i in focus_list().items] == ["Ada"]  # alice's snooze is not his
        assert agenda().snoozed == ()
        assert snoozes.clear(bound(), ada.id) == []  # nor can he end it
    assert pg.sql("SELECT owner FROM snooze") == [(alice,)]
    assert pg.sql("SELECT count(*) FROM snooze", user=bob) == [(0,)]
    assert pg.sql("UPDATE snooze SET cleared_at = now() RETURNING id", user=bob) == []
    assert pg.sql("DELETE FROM snooze RETURNING id", user=bob) == []
    with pytest.raises(psycopg2.Error, match="row-level security"):
        pg.sql("INSERT INTO snooze (contact_id, owner, at, until) VALUES (%s, %s, %s, %s)",
               (ada.id, alice, NOW, NOW + timedelta(days=1)), user=bob)
    pg.sql("INSERT INTO snooze (contact_id, owner, at, until) VALUES (%s, '', %s, %s)",
           (ada.id, NOW, NOW + timedelta(days=1)), user=bob)  # the owner is filled in
    assert sorted(pg.sql("SELECT owner FROM snooze")) == sorted([(alice,), (bob,)])
    assert pg.sql("SELECT policyname FROM pg_policies WHERE tablename = 'snooze' "
                  "ORDER BY 1")[0] == ("snooze_own",)
