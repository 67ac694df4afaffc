"""A representative use case per area, on both engines (the ``backend`` fixture)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from planner.domain.rings import Ring
from planner.services import contacts, placement, touchpoints
from planner.services.search import search
from planner.storage import contacts_repo
from tests.helpers.stores import bound

T0 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def test_add_move_swap_and_log(backend):
    ada = contacts.add_contact(backend.backend, "Ada", ring=Ring.INNER)
    bob = contacts.add_contact(backend.backend, "Bob", ring=Ring.MIDDLE)
    placement.move_contact(backend.backend, ada.id, Ring.MIDDLE, swap_with=bob.id)
    assert contacts.get_contact(ada.id).ring is Ring.MIDDLE
    assert contacts.get_contact(bob.id).ring is Ring.INNER
    touchpoints.log_touchpoint(backend.backend, ada.id, "coffee", at=T0)
    touchpoints.log_touchpoint(backend.backend, ada.id, "call", at=T0 + timedelta(hours=1))
    assert contacts_repo.last_touches([ada.id, bob.id]) == {
        ada.id: (T0 + timedelta(hours=1), "call")}


def test_the_owner_of_my_rings(backend):
    expected = "" if backend.target.kind == "sqlite" else "postgres"
    assert contacts_repo.who() == expected
    assert contacts_repo.who("someone") == "someone"


def test_search_finds_a_prefix_across_accents(backend):
    ada = contacts.add_contact(backend.backend, "Ada")
    touchpoints.add_note(backend.backend, ada.id, "Café Zoë about analytical engines", at=T0)
    hits = search("zoe engi")
    assert [h.type for h in hits] == ["note"]
    assert "\x02engines\x03" in hits[0].snippet


def test_times_round_trip_as_aware_utc(backend):
    ada = contacts.add_contact(backend.backend, "Ada")
    tp = touchpoints.log_touchpoint(backend.backend, ada.id, "call", at=T0)
    assert touchpoints.get_touchpoint(tp.id).at == T0
    assert touchpoints.get_touchpoint(tp.id).at.tzinfo is not None


def test_a_failed_open_leaves_the_models_on_the_database_they_had(fresh_pg, tmp_path):
    """Opening binds the models to the new database only once the open has worked: a
    team database that cannot be used (here: no planner tables) leaves the file open
    before it in use, as a window whose switch of database failed goes on with it."""
    import pytest

    from planner.domain.errors import DatabaseProblem
    from planner.storage.database import open_database

    mine = tmp_path / "mine.db"
    handle = open_database(str(mine))
    try:
        contacts.add_contact(bound(), "Ada Lovelace")
        with pytest.raises(DatabaseProblem, match="no planner tables yet"):
            open_database(fresh_pg.url())
        assert bound().path == mine  # the models are still bound to the file
        assert [c.name for c in contacts.list_contacts()] == ["Ada Lovelace"]
        contacts.add_contact(bound(), "Grace Hopper")  # and it is written there
        assert contacts.count_contacts() == 2
    finally:
        handle.close()
