"""What an audit of the advocacy ledger found, each worked out by hand on a tiny network:
the balance of people in the trash, ``--as-of`` for the ledger's lists and balance, an
ask dated back into a full quarter, and an ask thanked twice (or before it was asked)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from planner.domain.advocacy import AskFatigue
from planner.domain.rings import Ring
from planner.services import advocacy as svc
from planner.services import contacts
from planner.storage.models import AskRow
from tests.helpers.stores import bound

# on SQLite and on a team database (tests/conftest.py)
pytestmark = [pytest.mark.usefixtures("opened"), pytest.mark.both_engines]

AS_OF = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


def ago(**kw) -> datetime:
    return AS_OF - timedelta(**kw)


def person(name: str, ring: Ring | None = Ring.MIDDLE) -> int:
    return contacts.add_contact(bound(), name, ring=ring).id


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
