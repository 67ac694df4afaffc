"""What an audit of the advocacy ledger found, each worked out by hand on a tiny network:
the balance of people in the trash, ``--as-of`` for the ledger's lists and balance, an
ask dated back into a full quarter, and an ask thanked twice (or before it was asked)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.domain.advocacy import AskFatigue
from planner.domain.errors import InvalidInput
from planner.domain.rings import Ring
from planner.services import advocacy as svc
from planner.services import advocacy_stats, contacts
from planner.storage.models import AskRow, GiveRow
from tests.helpers.stores import bound

# on SQLite and on a team database (tests/conftest.py)
pytestmark = [pytest.mark.usefixtures("opened"), pytest.mark.both_engines]

BERLIN = ZoneInfo("Europe/Berlin")
AS_OF = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


def ago(**kw) -> datetime:
    return AS_OF - timedelta(**kw)


def person(name: str, ring: Ring | None = Ring.MIDDLE) -> int:
    return contacts.add_contact(bound(), name, ring=ring).id


def figures(as_of: datetime = AS_OF) -> dict:
    return advocacy_stats.stats_as_dict(advocacy_stats.stats(bound(), as_of, BERLIN))


# ------------------------------------------------------------------ people in the trash


def test_the_balance_leaves_out_people_in_the_trash():
    ada, bo = person("Ada"), person("Bo")
    svc.add_ask(bound(), ada, "case-study", status="done", at=ago(days=5))
    svc.add_ask(bound(), bo, "talk", at=ago(days=5))
    svc.add_give(bound(), bo, "gift", at=ago(days=4))
    svc.add_give(bound(), bo, "intro", at=ago(days=3))
    assert figures()["balance"] == {"gives": 2, "asks": 2, "value": 0}
    contacts.remove_contact(bound(), bo)  # as every other figure: out while in the trash
    assert figures()["balance"] == {"gives": 0, "asks": 1, "value": -1}
    contacts.restore_contact(bound(), bo)
    assert figures()["balance"] == {"gives": 2, "asks": 2, "value": 0}


# ------------------------------------------------------------------ as of a moment


def test_the_ledgers_lists_and_balance_are_as_of_the_moment_asked():
    ada = person("Ada")
    old_win = svc.add_win(bound(), ada, "Old talk", at=ago(days=20))
    svc.add_win(bound(), ada, "Later post", at=ago(days=2))
    old_ask = svc.add_ask(bound(), ada, "case-study", status="done", at=ago(days=30))
    svc.add_ask(bound(), ada, "talk", status="done", at=ago(days=1))
    svc.add_give(bound(), ada, "gift", at=ago(days=25))
    svc.celebrate_win(bound(), old_win.id, at=ago(days=3))
    svc.add_give(bound(), ada, "thank-you-note", at=ago(days=2), for_ask=old_ask.id)

    now = figures()
    assert now["wins_waiting"] and [w["text"] for w in now["wins_waiting"]] == ["Later post"]
    assert [a["type"] for a in now["asks_waiting_for_thanks"]] == ["talk"]
    assert now["balance"] == {"gives": 2, "asks": 2, "value": 0}

    # ten days back: the old win had not been celebrated, the old ask not thanked, and
    # nothing later had happened yet
    then = figures(ago(days=10))
    assert [w["text"] for w in then["wins_waiting"]] == ["Old talk"]
    assert [a["type"] for a in then["asks_waiting_for_thanks"]] == ["case-study"]
    assert then["balance"] == {"gives": 1, "asks": 1, "value": 0}

    before_anything = figures(ago(days=400))
    assert (before_anything["wins_waiting"], before_anything["asks_waiting_for_thanks"],
            before_anything["balance"]) == ([], [], {"gives": 0, "asks": 0, "value": 0})


# ------------------------------------------------------------------ the ask limit


def test_an_ask_dated_back_counts_against_the_quarters_after_it():
    ada = person("Ada Lovelace")
    svc.add_ask(bound(), ada, "talk", at=ago(days=10))
    svc.add_ask(bound(), ada, "intro", at=ago(days=5))
    # 60 days back there were no asks, but the quarter up to now would hold three
    with pytest.raises(AskFatigue, match="Ada Lovelace has been asked 2 times"):
        svc.add_ask(bound(), ada, "feedback", at=ago(days=60))
    assert AskRow.select().count() == 2
    assert svc.check_ask(ada, ago(days=60)) is not None  # the window warns the same
    # 91 days or more before the later asks it shares no quarter with them
    svc.add_ask(bound(), ada, "feedback", at=ago(days=10 + 91))
    svc.add_ask(bound(), ada, "beta-test", at=ago(days=60), force=True)
    assert AskRow.select().count() == 4


def test_the_quarter_edges_hold_for_an_ask_dated_back():
    ada = person("Ada")
    svc.add_ask(bound(), ada, "talk", at=AS_OF)
    svc.add_ask(bound(), ada, "intro", at=AS_OF)
    # exactly 91 days before them: the quarter ending at them starts just after it
    svc.add_ask(bound(), ada, "feedback", at=AS_OF - timedelta(days=91))
    with pytest.raises(AskFatigue):  # a minute later it shares their quarter
        svc.add_ask(bound(), ada, "feedback", at=AS_OF - timedelta(days=91, minutes=-1))
    assert AskRow.select().count() == 3


# ------------------------------------------------------------------ thanks


def test_an_ask_is_thanked_once():
    ada = person("Ada")
    ask = svc.add_ask(bound(), ada, "case-study", status="done")
    first = svc.thank_for_ask(bound(), ask.id)
    with pytest.raises(InvalidInput, match=r"Ada was already thanked for the case study"):
        svc.thank_for_ask(bound(), ask.id, "email")
    assert [g.id for g in GiveRow.select()] == [first.give.id]
    assert figures(datetime.now(UTC))["balance"] == {"gives": 1, "asks": 1, "value": 0}


def test_a_planned_ask_is_not_thanked_yet():
    ada = person("Ada")
    ask = svc.add_ask(bound(), ada, "talk", status="planned")
    with pytest.raises(InvalidInput, match="only planned"):
        svc.thank_for_ask(bound(), ask.id)
    assert GiveRow.select().count() == 0
