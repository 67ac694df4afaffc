"""The advocacy ledger on a real database (planner.services.advocacy): stage history,
wins and their celebration, asks with the fatigue check, gives, undo helpers, the
focus list's advocacy suggestions and the dashboard's figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.domain.advocacy import AskFatigue, AskStatus, AskType, GiveType, Stage
from planner.domain.errors import InvalidInput, NotFound
from planner.domain.rings import Ring
from planner.services import advocacy as svc
from planner.services import advocacy_stats, contacts, touchpoints
from planner.services.focus import focus_candidates, focus_list
from planner.storage.models import (
    AskRow,
    ContactRow,
    GiveRow,
    PlacementRow,
    StageChangeRow,
    TouchpointRow,
    WinRow,
    db_proxy,
)
from tests.helpers.stores import bound

# on SQLite and on a team database (tests/conftest.py)
pytestmark = [pytest.mark.usefixtures("opened"), pytest.mark.both_engines]

BERLIN = ZoneInfo("Europe/Berlin")
AS_OF = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)  # Wednesday of 2026-W47


def ago(**kw) -> datetime:
    return AS_OF - timedelta(**kw)


def person(name: str, ring: Ring | None = Ring.MIDDLE, **fields) -> int:
    return contacts.add_contact(bound(), name, ring=ring, **fields).id


def count(model) -> int:
    return model.select().count()


# ------------------------------------------------------------------ stage


def test_a_stage_change_is_saved_with_its_history_and_can_be_undone():
    ada = person("Ada")
    first = svc.set_stage(bound(), ada, "cultivating", at=ago(days=30))
    second = svc.set_stage(bound(), ada, Stage.ADVOCATE, at=ago(days=2))
    assert contacts.get_contact(ada).stage == "advocate"
    history = svc.stage_history(ada)
    assert [(h.from_stage, h.to_stage, h.at) for h in history] == [
        (Stage.CULTIVATING, Stage.ADVOCATE, ago(days=2)),
        (Stage.NONE, Stage.CULTIVATING, ago(days=30)),
    ]
    assert first.changed and second.history["id"] == history[0].id

    svc.undo_stage(bound(), second)
    assert contacts.get_contact(ada).stage == "cultivating"
    assert len(svc.stage_history(ada)) == 1
    svc.redo_stage(bound(), second)
    assert contacts.get_contact(ada).stage == "advocate"
    assert [h.id for h in svc.stage_history(ada)] == [h.id for h in history]


def test_setting_the_same_stage_writes_nothing():
    ada = person("Ada")
    outcome = svc.set_stage(bound(), ada, "none")
    assert not outcome.changed and outcome.history is None
    assert count(StageChangeRow) == 0


def test_bad_stages_and_people_are_refused():
    ada = person("Ada")
    with pytest.raises(InvalidInput, match="unknown stage"):
        svc.set_stage(bound(), ada, "famous")
    with pytest.raises(NotFound):
        svc.set_stage(bound(), 999, "advocate")


# ------------------------------------------------------------------ wins


def test_a_win_is_celebrated_by_a_linked_touchpoint():
    ada = person("Ada")
    win = svc.add_win(bound(), ada, " Keynote at PyCon ", at=ago(days=3), link="pycon.org/ada",
                      note="**great** talk")
    assert (win.text, win.link, win.note, win.celebrated) == (
        "Keynote at PyCon", "https://pycon.org/ada", "**great** talk", False)
    assert [w.id for w in advocacy_stats.stats(bound(), AS_OF, BERLIN).wins_waiting] == [win.id]

    done = svc.celebrate_win(bound(), win.id, "amplify", at=ago(days=1), minutes=5)
    assert done.win.celebrated_by == done.touchpoint.id
    assert (done.touchpoint.kind, done.touchpoint.note) == (
        "amplify", "Celebrated their win: Keynote at PyCon")
    assert contacts.get_contact(ada).last_touch == ago(days=1)  # it is a real touchpoint
    assert advocacy_stats.stats(bound(), AS_OF, BERLIN).wins_waiting == []
    with pytest.raises(InvalidInput, match="already celebrated"):
        svc.celebrate_win(bound(), win.id)

    row = svc.uncelebrate(bound(), done)
    assert not svc.get_win(win.id).celebrated
    assert count(TouchpointRow) == 0
    svc.recelebrate(bound(), done, row)
    assert svc.get_win(win.id).celebrated_by == done.touchpoint.id
    assert touchpoints.get_touchpoint(done.touchpoint.id).kind == "amplify"


def test_congratulating_is_a_private_message():
    ada = person("Ada")
    win = svc.add_win(bound(), ada, "Promoted to staff engineer")
    done = svc.celebrate_win(bound(), win.id, "congratulate", note="Congrats!")
    assert (done.touchpoint.kind, done.touchpoint.note) == ("im", "Congrats!")


def test_deleting_the_celebrating_touchpoint_makes_the_win_wait_again():
    ada = person("Ada")
    win = svc.add_win(bound(), ada, "Launched v2")
    done = svc.celebrate_win(bound(), win.id)
    touchpoints.delete_touchpoint(bound(), done.touchpoint.id)
    assert not svc.get_win(win.id).celebrated


def test_wins_need_text_a_person_and_a_real_link():
    ada = person("Ada")
    with pytest.raises(InvalidInput, match="a win needs"):
        svc.add_win(bound(), ada, "")
    with pytest.raises(InvalidInput, match="web address"):
        svc.add_win(bound(), ada, "Talk", link="nowhere")
    with pytest.raises(NotFound):
        svc.add_win(bound(), 999, "Talk")
    with pytest.raises(NotFound):
        svc.celebrate_win(bound(), 999)
    assert count(WinRow) == 0


# ------------------------------------------------------------------ asks and fatigue


def test_the_third_ask_in_a_quarter_is_refused_before_anything_is_written():
    ada = person("Ada Lovelace")
    svc.add_ask(bound(), ada, "case-study", at=ago(days=60))
    assert svc.check_ask(ada, AS_OF) is None
    svc.add_ask(bound(), ada, "talk", at=ago(days=10))
    warning = svc.check_ask(ada, AS_OF)
    assert warning is not None and (warning.count, warning.limit) == (2, 2)
    with pytest.raises(AskFatigue, match="Ada Lovelace has been asked 2 times") as caught:
        svc.add_ask(bound(), ada, "intro", at=AS_OF)
    assert caught.value.fatigue.count == 2
    assert count(AskRow) == 2
    forced = svc.add_ask(bound(), ada, "intro", at=AS_OF, force=True)
    assert forced.type is AskType.INTRO
    assert svc.ask_fatigue(ada, AS_OF).over


def test_the_ask_limit_is_a_setting():
    ada = person("Ada")
    assert svc.fatigue_limit() == 2
    svc.set_fatigue_limit(bound(), 1)
    svc.add_ask(bound(), ada, "talk", at=ago(days=1))
    with pytest.raises(AskFatigue, match="the limit is 1"):
        svc.add_ask(bound(), ada, "talk", at=AS_OF)
    with pytest.raises(InvalidInput):
        svc.set_fatigue_limit(bound(), 0)
    assert svc.fatigue_limit() == 1


def test_ask_status_moves_record_when_it_closed():
    ada = person("Ada")
    ask = svc.add_ask(bound(), ada, "reference-call", status="planned", at=ago(days=5))
    assert (ask.status, ask.closed_at) == (AskStatus.PLANNED, None)
    asked = svc.set_ask_status(bound(), ask.id, "asked", at=ago(days=4))
    assert asked.at == ago(days=4)  # a planned ask takes the day it was really asked
    done = svc.set_ask_status(bound(), ask.id, AskStatus.DONE, at=ago(days=1))
    assert (done.status, done.closed_at, done.thanks_due) == (AskStatus.DONE, ago(days=1), True)
    declined = svc.set_ask_status(bound(), ask.id, "declined")
    assert declined.closed_at == ago(days=1)  # still closed: the date stays
    reopened = svc.set_ask_status(bound(), ask.id, "asked")
    assert reopened.closed_at is None and reopened.at == ago(days=4)
    svc.restore_ask(bound(), done)
    assert svc.get_ask(ask.id) == done
    with pytest.raises(InvalidInput, match="ask status"):
        svc.set_ask_status(bound(), ask.id, "maybe")
    with pytest.raises(NotFound):
        svc.set_ask_status(bound(), 999, "done")


def test_an_ask_logged_as_done_is_closed_at_once():
    ada = person("Ada")
    ask = svc.add_ask(bound(), ada, "talk", status="done", at=ago(days=3))
    assert ask.closed_at is not None and ask.thanks_due


# ------------------------------------------------------------------ gives


def test_a_give_can_thank_for_an_ask_of_the_same_person_only():
    ada, bo = person("Ada"), person("Bo")
    ask = svc.add_ask(bound(), ada, "case-study", status="done")
    with pytest.raises(InvalidInput, match="was not asked of this person"):
        svc.add_give(bound(), bo, "thank-you-note", for_ask=ask.id)
    give = svc.add_give(bound(), ada, "thank-you-note", note="Thanks!", for_ask=ask.id)
    assert (give.type, give.for_ask) == (GiveType.THANK_YOU_NOTE, ask.id)
    assert svc.get_ask(ask.id).thanked_by == give.id
    assert advocacy_stats.stats(bound(), AS_OF + timedelta(days=400), BERLIN).thanks_waiting == []
    with pytest.raises(InvalidInput, match="unknown kind of give"):
        svc.add_give(bound(), ada, "money")


def test_thanking_logs_the_touchpoint_and_the_give_together():
    ada = person("Ada")
    ask = svc.add_ask(bound(), ada, "review-draft", status="done")
    thanks = svc.thank_for_ask(bound(), ask.id, "email")
    assert thanks.touchpoint.kind == "email"
    assert thanks.touchpoint.note == "Thank you for reviewing the draft"
    assert thanks.give.for_ask == ask.id and thanks.ask.thanked_by == thanks.give.id
    rows = svc.undo_thanks(bound(), thanks)
    assert (count(GiveRow), count(TouchpointRow)) == (0, 0)
    svc.restore_thanks(bound(), thanks, rows)
    assert (count(GiveRow), count(TouchpointRow)) == (1, 1)
    assert svc.get_ask(ask.id).thanked_by == thanks.give.id


def test_a_deleted_ask_comes_back_with_the_gives_that_thanked_it():
    ada = person("Ada")
    ask = svc.add_ask(bound(), ada, "talk", status="done")
    give = svc.add_give(bound(), ada, "gift", for_ask=ask.id)
    saved = svc.delete_entry(bound(), "ask", ask.id)
    assert svc.get_give(give.id).for_ask is None  # ON DELETE SET NULL
    svc.restore_entry(bound(), saved)
    assert svc.get_give(give.id).for_ask == ask.id
    assert svc.get_ask(ask.id).thanked_by == give.id
    with pytest.raises(NotFound):
        svc.delete_entry(bound(), "win", 42)


def test_a_persons_ledger_and_balance():
    ada = person("Ada")
    svc.set_stage(bound(), ada, "succeeded")
    svc.add_win(bound(), ada, "Shipped", at=ago(days=2))
    svc.add_ask(bound(), ada, "talk", at=ago(days=20))
    svc.add_ask(bound(), ada, "intro", status="planned", at=ago(days=1))
    for kind in ("gift", "early-access", "amplify"):
        svc.add_give(bound(), ada, kind, at=ago(days=3))
    book = svc.ledger(ada, AS_OF)
    assert book.stage is Stage.SUCCEEDED
    assert [w.text for w in book.wins] == ["Shipped"]
    assert [a.type for a in book.asks] == [AskType.INTRO, AskType.TALK]  # newest first
    assert len(book.gives) == 3 and len(book.history) == 1
    assert book.balance.text == "3 given · 1 asked (+2)"
    assert (book.fatigue.count, book.fatigue.near) == (2, True)


def test_removing_a_person_for_good_takes_their_ledger_with_them():
    ada = person("Ada")
    win = svc.add_win(bound(), ada, "Talk")
    svc.celebrate_win(bound(), win.id)
    ask = svc.add_ask(bound(), ada, "talk", status="done")
    svc.add_give(bound(), ada, "gift", for_ask=ask.id)
    svc.set_stage(bound(), ada, "advocate")
    contacts.remove_contact(bound(), ada)  # the trash: kept, but out of the figures
    s = advocacy_stats.stats(bound(), AS_OF + timedelta(days=1), BERLIN)
    assert (s.advocates, s.target.network, s.wins_waiting) == (0, 0, [])
    contacts.purge_contact(bound(), ada, ())
    assert [count(m) for m in (WinRow, AskRow, GiveRow, StageChangeRow)] == [0, 0, 0, 0]


# ------------------------------------------------------------------ settings


def test_goal_settings_round_trip_and_are_validated():
    assert svc.target_share() == 0.10
    assert svc.set_target_share(bound(), "15%") == pytest.approx(0.15)
    assert svc.target_share() == pytest.approx(0.15)
    with pytest.raises(InvalidInput):
        svc.set_target_share(bound(), 0)
    assert svc.time_share() == {Ring.INNER: 0.5, Ring.MIDDLE: 0.35, Ring.OUTER: 0.15}
    svc.set_time_share(bound(), "inner=60,middle=30,outer=10")
    assert svc.time_share() == pytest.approx({Ring.INNER: 0.6, Ring.MIDDLE: 0.3,
                                              Ring.OUTER: 0.1})


# ------------------------------------------------------------------ the focus list


def _item(name: str, as_of: datetime = AS_OF):
    found = {i.name: i for i in focus_list(None, as_of=as_of, tz=BERLIN).items}
    return found[name]


def test_the_focus_list_suggests_celebrating_an_uncelebrated_win_first():
    ada = person("Ada", Ring.INNER)
    svc.add_win(bound(), ada, "Old talk", at=ago(days=50))
    svc.add_win(bound(), ada, "Keynote at PyCon", at=ago(days=3))
    svc.add_ask(bound(), ada, "talk", status="done", at=ago(days=5))
    assert _item("Ada").action == "Celebrate their win: Keynote at PyCon"
    win = svc.next_uncelebrated_win(ada, AS_OF)
    assert win.text == "Keynote at PyCon"
    svc.celebrate_win(bound(), win.id, at=ago(days=2))
    assert _item("Ada").action == "Celebrate their win: Old talk"
    svc.celebrate_win(bound(), svc.next_uncelebrated_win(ada, AS_OF).id, at=ago(days=2))
    # then the done ask waiting for thanks
    assert _item("Ada").action == "Say thank you for the talk"


def test_the_focus_list_suggests_thanks_then_giving_then_a_recent_win():
    bo = person("Bo", Ring.MIDDLE)
    ask = svc.add_ask(bound(), bo, "case-study", status="done", at=ago(days=40))
    svc.add_ask(bound(), bo, "feedback", at=ago(days=20))
    assert _item("Bo").action == "Say thank you for the case study"
    assert svc.next_ask_awaiting_thanks(bo, AS_OF).id == ask.id
    svc.thank_for_ask(bound(), ask.id)
    # two asks in the quarter: at the limit, so give before asking again
    assert _item("Bo").action.startswith("Give, don't ask")
    svc.set_fatigue_limit(bound(), 3)
    assert not _item("Bo").action.startswith("Give")
    win = svc.add_win(bound(), bo, "Got promoted", at=ago(days=10))
    svc.celebrate_win(bound(), win.id, at=ago(days=9))
    # the touchpoint made her on track; look at the list later, when she is due again
    later = AS_OF + timedelta(days=6)
    # celebrated already: followed up on, not "celebrated" a second time (it said so)
    assert _item("Bo", later).action == "Follow up on their recent win: Got promoted"
    assert _item("Bo", later + timedelta(days=30)).action == "Propose a coffee to reconnect"


def test_hints_respect_the_moment_of_the_list():
    cy = person("Cy", Ring.OUTER)
    svc.add_win(bound(), cy, "Future win", at=AS_OF + timedelta(days=2))
    (cand,) = focus_candidates(AS_OF)
    assert (cand.uncelebrated_win, cand.recent_win, cand.thanks_due, cand.near_fatigue) == (
        None, None, None, False)


def _statements_while(build):
    connection = db_proxy.obj.connection()
    seen: list[str] = []
    connection.set_trace_callback(seen.append)
    try:
        build()
    finally:
        connection.set_trace_callback(None)
    return [s for s in seen if s.strip().upper().startswith(("SELECT", "WITH"))]


def _bulk_ledger(n: int) -> None:
    stamp = ago(days=400)
    with db_proxy.atomic():
        for i in range(n):
            cid = ContactRow.insert(name=f"P{i:03d}", created_at=stamp, updated_at=stamp).execute()
            PlacementRow.insert(contact=cid, owner="", ring="outer", position=i).execute()
            WinRow.insert(contact=cid, text=f"win {i}", at=ago(days=i % 40 + 1), created_at=stamp,
                          updated_at=stamp).execute()
            for days in (5, 15):
                AskRow.insert(contact=cid, type="talk", status="done", at=ago(days=days),
                              created_at=stamp, updated_at=stamp).execute()


@pytest.mark.sqlite_only  # counts statements with sqlite3's set_trace_callback
@pytest.mark.parametrize("n", [10, 200])
def test_advocacy_hints_do_not_add_queries_per_person(n):
    _bulk_ledger(n)
    queries = _statements_while(lambda: focus_list("2026-W47", as_of=AS_OF, tz=BERLIN))
    assert len(queries) == 2, queries  # the one aggregate query and the ring cadences
    cands = focus_candidates(AS_OF)
    assert all(c.uncelebrated_win and c.thanks_due == "the talk" and c.near_fatigue
               for c in cands)


@pytest.mark.sqlite_only  # sqlite3's set_trace_callback
def test_the_dashboard_figures_take_the_same_few_queries_for_10_or_200_people():
    counts = []
    for n in (10, 200):
        ContactRow.delete().execute()
        _bulk_ledger(n)
        counts.append(len(_statements_while(lambda: advocacy_stats.stats(bound(), AS_OF, BERLIN))))
    assert counts[0] == counts[1] <= 15, counts


# ------------------------------------------------------------------ the dashboard


def test_the_dashboard_figures_for_a_hand_built_network():
    svc.set_time_share(bound(), {"inner": 50, "middle": 30, "outer": 20})
    ada = person("Ada", Ring.INNER)
    bo = person("Bo", Ring.INNER)
    cy = person("Cy", Ring.MIDDLE)
    dee = person("Dee", Ring.OUTER)
    eve = person("Eve", None)
    for cid, stage in ((ada, "advocate"), (bo, "succeeded"), (cy, "cultivating"),
                       (dee, "cultivating")):
        svc.set_stage(bound(), cid, stage)
    # touches in W47 (Mon 16 – Sun 22 Nov), W46, W44, and one outside the 12 weeks
    touchpoints.log_touchpoint(bound(), ada, "call", at=ago(days=1), minutes=30)  # on track
    touchpoints.log_touchpoint(bound(), ada, "coffee", at=ago(days=21), minutes=60)
    touchpoints.log_touchpoint(bound(), bo, "im", at=ago(days=3))  # due soon? 3 days = cadence: due
    touchpoints.log_touchpoint(bound(), cy, "video", at=ago(days=20), minutes=45)  # overdue (14)
    touchpoints.log_touchpoint(bound(), eve, "email", at=ago(days=2), minutes=15)
    touchpoints.log_touchpoint(bound(), dee, "email", at=ago(days=200), minutes=10)  # overdue, old
    win = svc.add_win(bound(), cy, "Conference talk", at=ago(days=4))
    svc.add_ask(bound(), ada, "case-study", status="done", at=ago(days=30))
    svc.add_ask(bound(), ada, "talk", at=ago(days=10))
    svc.add_give(bound(), bo, "gift", at=ago(days=1))  # (one dated after AS_OF is left out)

    s = advocacy_stats.stats(bound(), AS_OF, BERLIN)
    d = advocacy_stats.stats_as_dict(s)
    assert d["advocates"] == {"count": 1, "network": 5, "share": 0.2, "target_share": 0.1,
                              "target_count": 1, "missing": 0, "met": True}
    assert d["stages"] == {"none": 1, "cultivating": 2, "succeeded": 1, "advocate": 1}
    assert [(f["stage"], f["reached"]) for f in d["funnel"]] == [
        ("cultivating", 4), ("succeeded", 2), ("advocate", 1)]
    assert d["funnel"][1]["conversion"] == 0.5
    assert d["rings"] == {
        "inner": {"count": 2, "capacity": 3, "on_track": 1, "due_soon": 1, "overdue": 0,
                  "never": 0},
        "middle": {"count": 1, "capacity": 12, "on_track": 0, "due_soon": 0, "overdue": 1,
                   "never": 0},
        "outer": {"count": 1, "capacity": 72, "on_track": 0, "due_soon": 0, "overdue": 1,
                  "never": 0},
    }
    assert d["weeks"][-1] == "2026-W47" and len(d["weeks"]) == 12
    per_week = d["touchpoints_per_week"]
    assert per_week["inner"][-4:] == [1, 0, 1, 1]  # coffee W44, im Sun 15 Nov W46, call W47
    assert sum(per_week["inner"]) == 3
    assert per_week["middle"][-4] == 1 and sum(per_week["middle"]) == 1  # Thu 29 Oct: W44
    assert sum(per_week["outer"]) == 0  # 200 days ago is outside the 12 weeks
    assert per_week["unplaced"][-1] == 1
    assert d["minutes"]["inner"] == {"minutes": 90, "share": round(90 / 135, 4),
                                     "intended": 0.5}
    assert d["minutes"]["middle"] == {"minutes": 45, "share": round(45 / 135, 4),
                                      "intended": 0.3}
    assert d["minutes"]["outer"] == {"minutes": 0, "share": 0.0, "intended": 0.2}
    assert d["minutes"]["unplaced"] == 15
    assert [(w["id"], w["contact_id"], w["contact"], w["text"]) for w in d["wins_waiting"]] == [
        (win.id, cy, "Cy", "Conference talk")]
    assert [(a["contact_id"], a["contact"], a["type"]) for a in d["asks_waiting_for_thanks"]] == [
        (ada, "Ada", "case-study")]
    assert d["fatigue"]["near"] == [{"contact_id": ada, "contact": "Ada", "asks": 2,
                                     "over": False}]
    assert d["balance"] == {"gives": 1, "asks": 2, "value": -1}


@pytest.mark.sqlite_only  # SQLite's wording; tests/postgres/test_advocacy_service_pg.py
def test_the_database_refuses_ledger_rows_for_nobody():
    with pytest.raises(Exception, match="FOREIGN KEY"):
        WinRow.insert(contact=999, text="x", at=AS_OF, created_at=AS_OF,
                      updated_at=AS_OF).execute()


# ------------------------------------------------------------------ the demo network


def test_the_demo_network_has_a_plausible_ledger():
    from planner.demo.generate import generate

    summary = generate(bound(), 150, 3000, seed=1, now=AS_OF)
    assert min(summary.wins, summary.asks, summary.gives, summary.stage_changes) > 0
    assert (summary.wins, summary.asks, summary.gives, summary.stage_changes) == (
        count(WinRow), count(AskRow), count(GiveRow), count(StageChangeRow))
    # a celebrated win is celebrated by a later touchpoint with the same person
    celebrated = list(WinRow.select().where(WinRow.celebrated_by.is_null(False)))
    assert len(celebrated) > count(WinRow) // 2
    for win in celebrated:
        tp = TouchpointRow.get_by_id(win.celebrated_by_id)
        assert tp.contact_id == win.contact_id and tp.at > win.at
    # everyone's stage history ends at today's stage, one step at a time
    for cid, stage in ContactRow.select(ContactRow.id, ContactRow.stage).tuples():
        history = svc.stage_history(cid)
        assert (history[0].to_stage.value if history else "none") == stage
        assert all(h.to_stage.rank == h.from_stage.rank + 1 for h in history)
    # never more than two asks in any quarter, and thank-you notes thank done asks
    by_person: dict[int, list] = {}
    for cid, at in AskRow.select(AskRow.contact, AskRow.at).tuples():
        by_person.setdefault(cid, []).append(at)
    for times in by_person.values():
        for t in times:  # the quarter up to each ask holds at most two
            assert sum(1 for u in times if timedelta(0) <= t - u < timedelta(days=91)) <= 2
    for give in GiveRow.select().where(GiveRow.for_ask.is_null(False)):
        ask = svc.get_ask(give.for_ask_id)
        assert ask.contact_id == give.contact_id and ask.status is AskStatus.DONE
    s = advocacy_stats.stats(bound(), AS_OF, BERLIN)
    assert s.advocates == summary_advocates() and s.wins_waiting


def summary_advocates() -> int:
    return ContactRow.select().where(ContactRow.stage == "advocate").count()
