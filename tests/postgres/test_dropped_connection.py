"""A dropped PostgreSQL connection mid-use: one clear message, nothing half-applied,
and the next action connects afresh."""

from __future__ import annotations

import pytest

from planner.domain.errors import DatabaseProblem
from planner.domain.rings import Ring


def _kill_my_backend(pg, opened) -> None:
    pid = opened.db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    pg.sql("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_killed_connection_is_a_clear_message_and_loses_nothing(pg_initialised, opened):
    from planner.services import contacts, touchpoints

    ada = contacts.add_contact(opened.backend, "Ada Lovelace", ring=Ring.INNER)
    _kill_my_backend(pg_initialised, opened)
    with pytest.raises(DatabaseProblem, match="connection to the team database was lost"):
        touchpoints.log_touchpoint(opened.backend, ada.id, "coffee", note="lost in transit")
    # the next action reconnects by itself; what was saved before is there, nothing else
    assert contacts.get_contact(ada.id).ring == Ring.INNER
    assert touchpoints.timeline(ada.id, limit=10)
    assert not [e for e in touchpoints.timeline(ada.id, limit=10) if e.text == "lost in transit"]
    touchpoints.log_touchpoint(opened.backend, ada.id, "im", note="back again")
    assert [e.text for e in touchpoints.timeline(ada.id, limit=1)] == ["back again"]


def test_a_connection_killed_inside_a_transaction_applies_nothing(pg_initialised, opened):
    from planner.services import contacts, placement

    people = [contacts.add_contact(opened.backend, f"Person {n}",
                                   ring=Ring.OUTER).id for n in range(3)]
    before = placement.repo.placement_snapshot()
    original = placement.repo.write_ring_order

    def dies_halfway(ring, ids, *args, **kwargs):
        original(ring, ids, *args, **kwargs)
        _kill_my_backend(pg_initialised, opened)

    placement.repo.write_ring_order = dies_halfway
    try:
        with pytest.raises(DatabaseProblem):
            placement.move_contact(opened.backend, people[0], Ring.MIDDLE)
    finally:
        placement.repo.write_ring_order = original
    assert placement.repo.placement_snapshot() == before
