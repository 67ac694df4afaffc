"""The dashboard's figures on a team database: the ledger and the stages are the team's
(every user counts the same rows), while the rings, the touchpoints per week and the
minutes per ring are each user's own — as their cadence status and focus list are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from planner.domain.rings import Ring
from planner.services import advocacy as svc
from planner.services import advocacy_stats, contacts, touchpoints
from planner.services.placement import move_contact
from tests.helpers.stores import bound
from tests.postgres.conftest import logged_in as as_user

NOW = datetime.now(UTC).replace(microsecond=0)


def figures() -> dict:
    return advocacy_stats.stats_as_dict(advocacy_stats.stats(bound(), NOW))


def test_each_user_counts_their_own_time_and_the_teams_ledger(team):
    pg, alice, bob = team
    with as_user(pg, alice):
        ada = contacts.add_contact(bound(), "Ada", ring=Ring.INNER).id
        touchpoints.log_touchpoint(bound(), ada, "call", at=NOW - timedelta(hours=2), minutes=60)
        svc.set_stage(bound(), ada, "advocate")
        svc.add_ask(bound(), ada, "talk", status="done", at=NOW - timedelta(days=1))
    with as_user(pg, bob):
        move_contact(bound(), ada, Ring.MIDDLE)  # his rings: Ada on his middle ring
        touchpoints.log_touchpoint(bound(), ada, "coffee", at=NOW - timedelta(hours=1),
                                   minutes=30)
        svc.add_give(bound(), ada, "gift", at=NOW - timedelta(hours=1))
        mine = figures()
    with as_user(pg, alice):
        hers = figures()
    # the team's: the same for both
    for d in (hers, mine):
        assert d["advocates"]["count"] == 1 and d["advocates"]["network"] == 1
        assert d["balance"] == {"gives": 1, "asks": 1, "value": 0}
        assert [a["type"] for a in d["asks_waiting_for_thanks"]] == ["talk"]
    # each user's own: Alice's call on her inner ring, Bob's coffee on his middle ring
    assert sum(hers["touchpoints_per_week"]["inner"]) == 1
    assert sum(hers["touchpoints_per_week"]["middle"]) == 0
    assert hers["minutes"]["inner"]["minutes"] == 60
    assert sum(mine["touchpoints_per_week"]["middle"]) == 1
    assert sum(mine["touchpoints_per_week"]["inner"]) == 0
    assert mine["minutes"]["middle"]["minutes"] == 30 and mine["minutes"]["inner"]["minutes"] == 0
    assert hers["rings"]["inner"]["on_track"] == 1 and mine["rings"]["middle"]["on_track"] == 1
