"""The advocacy rules (planner.domain.advocacy): fatigue, balance, funnel, target, time.

Pure functions, no database: every number here is worked out by hand.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.domain import advocacy as adv
from planner.domain.advocacy import (
    Ask,
    AskFatigue,
    AskStatus,
    AskType,
    Give,
    GiveType,
    Stage,
)
from planner.domain.errors import InvalidInput, PlannerError
from planner.domain.rings import Ring

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


def days_ago(n: float) -> datetime:
    return NOW - timedelta(days=n)


# ------------------------------------------------------------------ vocabulary


def test_the_command_line_names_are_the_issues_hyphenated_words():
    assert [t.value for t in AskType] == [
        "reference-call", "case-study", "talk", "co-authored-post", "review-draft", "intro",
        "feedback", "beta-test", "other"]
    assert [t.value for t in GiveType] == [
        "thank-you-note", "congratulations", "early-access", "intro", "amplify", "invitation",
        "gift", "other"]
    assert [s.value for s in Stage] == ["none", "cultivating", "succeeded", "advocate"]
    assert [s.value for s in AskStatus] == ["planned", "asked", "done", "declined"]


@pytest.mark.parametrize("typed, expected", [
    ("case-study", AskType.CASE_STUDY),
    ("Case Study", AskType.CASE_STUDY),
    ("case_study", AskType.CASE_STUDY),
    ("  REFERENCE-CALL ", AskType.REFERENCE_CALL),
    ("co authored post", AskType.CO_AUTHORED_POST),
])
def test_ask_types_are_read_as_people_type_them(typed, expected):
    assert adv.parse_ask_type(typed) is expected


def test_unknown_words_are_refused_with_the_choices():
    with pytest.raises(InvalidInput, match=r"unknown kind of ask 'podcast'.*reference-call"):
        adv.parse_ask_type("podcast")
    with pytest.raises(InvalidInput, match=r"unknown stage 'fan'.*cultivating"):
        adv.parse_stage("fan")
    with pytest.raises(InvalidInput, match="unknown kind of give"):
        adv.parse_give_type("")
    with pytest.raises(InvalidInput, match="unknown ask status"):
        adv.parse_ask_status("maybe")
    assert adv.parse_give_type("Thank you note") is GiveType.THANK_YOU_NOTE


def test_stages_are_ordered_for_the_funnel():
    assert [s.rank for s in Stage] == [0, 1, 2, 3]
    assert Stage.NONE.label == "No stage"
    assert Stage.ADVOCATE.label == "Advocate"
    assert adv.FUNNEL_STAGES == (Stage.CULTIVATING, Stage.SUCCEEDED, Stage.ADVOCATE)


def test_ask_phrases_read_after_thank_you_for():
    assert f"Say thank you for {AskType.CASE_STUDY.phrase}" == "Say thank you for the case study"
    assert AskType.REVIEW_DRAFT.phrase == "reviewing the draft"
    assert all(t.phrase and t.label for t in AskType)


def test_wins_need_words_and_links_look_like_links():
    assert adv.clean_win_text("  Keynote at PyCon ") == "Keynote at PyCon"
    with pytest.raises(InvalidInput, match="a win needs a few words"):
        adv.clean_win_text("   ")
    with pytest.raises(InvalidInput, match="too long"):
        adv.clean_win_text("x" * 301)
    assert adv.clean_link("") == ""
    assert adv.clean_link("example.org/post") == "https://example.org/post"
    assert adv.clean_link("http://a.example/x?y=1") == "http://a.example/x?y=1"
    with pytest.raises(InvalidInput, match="spaces"):
        adv.clean_link("https://a.example/my post")
    with pytest.raises(InvalidInput, match="does not look like a web address"):
        adv.clean_link("nowhere")


# ------------------------------------------------------------------ fatigue


def test_asks_are_counted_in_the_91_days_up_to_the_moment():
    times = [days_ago(0), days_ago(90.99), days_ago(91), days_ago(200), NOW + timedelta(days=1)]
    # exactly 91 days ago is outside (the window is (now - 91 d, now]); later ones do not count
    assert adv.asks_in_quarter(times, NOW) == 2


def test_two_asks_are_fine_the_third_in_a_quarter_is_flagged_before_it_is_logged():
    assert adv.fatigue_before_ask([], NOW) is None
    assert adv.fatigue_before_ask([days_ago(10)], NOW) is None
    warning = adv.fatigue_before_ask([days_ago(10), days_ago(40)], NOW)
    assert warning is not None
    assert (warning.count, warning.limit) == (2, 2)
    assert warning.near and not warning.over
    # an old ask has left the quarter: fine again
    assert adv.fatigue_before_ask([days_ago(10), days_ago(100)], NOW) is None


def test_the_limit_is_a_setting():
    times = [days_ago(1), days_ago(2), days_ago(3)]
    assert adv.fatigue_before_ask(times, NOW, limit=3) is not None
    assert adv.fatigue_before_ask(times, NOW, limit=4) is None
    assert adv.fatigue_before_ask([], NOW, limit=1) is None
    assert adv.fatigue_before_ask([days_ago(5)], NOW, limit=1) is not None
    for bad in (0, -1, 101, 2.5, True, "2"):
        with pytest.raises(InvalidInput, match="ask limit"):
            adv.fatigue([], NOW, bad)


def test_near_and_over_fatigue():
    assert not adv.fatigue([days_ago(1)], NOW).near
    at_limit = adv.fatigue([days_ago(1), days_ago(2)], NOW)
    assert at_limit.near and not at_limit.over
    over = adv.fatigue([days_ago(1), days_ago(2), days_ago(3)], NOW)
    assert over.near and over.over
    assert over.describe("Ada") == (
        "Ada has been asked 3 times in the last quarter (the limit is 2)")
    assert adv.fatigue([days_ago(1)], NOW, 1).describe("Bo").startswith("Bo has been asked once")


def test_a_new_ask_dated_in_the_past_counts_the_asks_of_its_own_quarter():
    times = [days_ago(206), days_ago(210), days_ago(150)]
    # the quarter before an ask dated 205 days ago holds two asks; the later one is not in it
    assert adv.fatigue_before_ask(times, days_ago(205)) is not None
    # one dated before both counts in the quarter up to them too (it was let through)
    assert adv.fatigue_before_ask(times, days_ago(211)) is not None
    assert adv.fatigue_before_ask(times, days_ago(297)) is None  # 91 days before 206
    assert adv.fatigue_before_ask(times, days_ago(296)) is not None
    assert adv.fatigue_before_ask(times, NOW) is None


def test_the_fatigue_refusal_is_a_planner_error_carrying_the_figures():
    found = adv.fatigue([days_ago(1), days_ago(2)], NOW)
    err = AskFatigue("Ada Lovelace", found)
    assert isinstance(err, PlannerError)
    assert err.fatigue is found
    assert "Ada Lovelace has been asked 2 times" in str(err)
    assert "--force" in str(err)


@given(st.lists(st.integers(min_value=0, max_value=400), max_size=12),
       st.integers(min_value=1, max_value=5))
def test_a_flagged_ask_is_exactly_one_that_would_exceed_the_limit(ages, limit):
    times = [days_ago(a) for a in ages]
    in_quarter = sum(1 for a in ages if a < 91)
    warning = adv.fatigue_before_ask(times, NOW, limit)
    assert (warning is not None) == (in_quarter + 1 > limit)
    assert adv.fatigue(times, NOW, limit).near == (in_quarter >= limit)


# ------------------------------------------------------------------ balance


def _ask(status: AskStatus, n: int = 1) -> Ask:
    return Ask(n, 1, AskType.TALK, status, NOW)


def test_balance_is_gives_minus_asks_made():
    gives = [Give(i, 1, GiveType.GIFT, NOW) for i in range(3)]
    asks = [_ask(AskStatus.ASKED), _ask(AskStatus.DONE), _ask(AskStatus.DECLINED),
            _ask(AskStatus.PLANNED)]
    b = adv.balance(gives, asks)
    assert (b.gives, b.asks, b.value) == (3, 3, 0)  # a planned ask is not made yet
    assert b.healthy
    assert b.text == "3 given · 3 asked (0)"
    assert adv.balance(1, 3).text == "1 given · 3 asked (-2)"
    assert not adv.balance(1, 3).healthy
    assert adv.balance(4, 1).text == "4 given · 1 asked (+3)"


def test_thanks_due_only_for_done_asks_nobody_thanked_for():
    assert _ask(AskStatus.DONE).thanks_due
    assert not _ask(AskStatus.ASKED).thanks_due
    assert not Ask(1, 1, AskType.TALK, AskStatus.DONE, NOW, thanked_by=7).thanks_due
    assert not _ask(AskStatus.PLANNED).made


# ------------------------------------------------------------------ funnel


def test_the_funnel_counts_who_reached_each_stage():
    f = adv.funnel({"none": 50, "cultivating": 30, "succeeded": 12, "advocate": 8})
    assert f.network == 100
    assert [f.reached(s) for s in adv.FUNNEL_STAGES] == [50, 20, 8]
    assert f.conversion(Stage.CULTIVATING) is None
    assert f.conversion(Stage.SUCCEEDED) == pytest.approx(20 / 50)
    assert f.conversion(Stage.ADVOCATE) == pytest.approx(8 / 20)


def test_each_funnel_step_says_what_its_figure_counts():
    """"Cultivating 50" beside "Succeeded 20" read as 50 people cultivating now (30
    are): a step's label says its figure counts those who got that far."""
    f = adv.funnel({"none": 50, "cultivating": 30, "succeeded": 12, "advocate": 8})
    steps = f.steps()
    assert [(s.label, s.reached, s.now) for s in steps] == [
        ("Cultivating or beyond", 50, 30), ("Succeeded or beyond", 20, 12),
        ("Advocate", 8, 8)]
    assert [s.detail for s in steps] == [
        "30 at this stage now", "12 at this stage now · 40% of the step before",
        "40% of the step before"]


def test_a_funnel_from_everyones_stage_and_an_empty_one():
    f = adv.funnel(["advocate", "none", "cultivating", "advocate"])
    assert f.counts == {Stage.NONE: 1, Stage.CULTIVATING: 1, Stage.SUCCEEDED: 0,
                        Stage.ADVOCATE: 2}
    assert f.reached(Stage.SUCCEEDED) == 2
    empty = adv.funnel({})
    assert empty.network == 0
    assert empty.conversion(Stage.ADVOCATE) is None
    # stored stages: one this version does not know (written elsewhere) counts as none
    assert adv.funnel({"famous": 1, "advocate": 1}).counts == {
        Stage.NONE: 1, Stage.CULTIVATING: 0, Stage.SUCCEEDED: 0, Stage.ADVOCATE: 1}


# ------------------------------------------------------------------ target


def test_target_arithmetic_against_ten_per_cent():
    t = adv.target(advocates=7, network=87)
    assert t.share == pytest.approx(7 / 87)
    assert t.target_count == 9  # 8.7 rounded up
    assert t.missing == 2
    assert not t.met
    assert t.progress == pytest.approx(7 / 9)
    done = adv.target(10, 100)
    assert (done.target_count, done.missing, done.met, done.progress) == (10, 0, True, 1.0)
    more = adv.target(30, 100)
    assert more.progress == 1.0 and more.missing == 0


def test_target_edges():
    empty = adv.target(0, 0)
    assert (empty.share, empty.target_count, empty.met, empty.progress) == (0.0, 0, False, 0.0)
    tiny = adv.target(0, 3)
    assert tiny.target_count == 1  # a small network still needs one advocate
    exact = adv.target(2, 20, 0.1)
    assert exact.target_count == 2 and exact.met  # 2.0 is not rounded up to 3
    assert adv.target(1, 40, 0.25).target_count == 10
    with pytest.raises(ValueError):
        adv.target(5, 3)
    for bad in (0, -0.1, 1.5, float("nan"), True):
        with pytest.raises(InvalidInput):
            adv.target(1, 10, bad)


@pytest.mark.parametrize("typed, share", [("10%", 0.10), ("15", 0.15), ("0.2", 0.2),
                                          (" 5 % ", 0.05), ("100%", 1.0), ("100", 1.0),
                                          ("1", 0.01), ("1%", 0.01)])  # "1" was 100 %
def test_target_shares_as_people_type_them(typed, share):
    assert adv.parse_share(typed) == pytest.approx(share)


def test_bad_target_shares_are_refused():
    for bad in ("", "ten", "0", "0%", "250%", "1e-300", "0.5%", "0.001", "nan", "inf"):
        with pytest.raises(InvalidInput):
            adv.parse_share(bad)
    # said as typed: "-5" was "not -500%"
    with pytest.raises(InvalidInput, match="must be more than 0 %, not '-5'"):
        adv.parse_share("-5")
    # not a number is said so ("NaN" was "must be more than 0 %")
    for bad in ("NaN", "inf", "-inf"):
        with pytest.raises(InvalidInput, match="use a percentage like 10%"):
            adv.parse_share(bad)


@pytest.mark.parametrize("typed, said", [("12.5", "(12% or 13%), not '12.5'"),
                                         ("1.5%", "(1% or 2%)"), ("0.999", "(99% or 100%)")])
def test_a_target_is_a_whole_percentage(typed, said):
    """As the dashboard's box shows it: 12.5 was shown as "target 12%" while 38 advocates
    of 300 (12.5 %) were counted as its goal."""
    with pytest.raises(InvalidInput, match=re.escape(said)):
        adv.parse_share(typed)


# ------------------------------------------------------------------ time per ring


def test_time_shares_are_normalised_and_compared():
    assert adv.parse_time_share("inner=50,middle=35,outer=15") == pytest.approx(
        {Ring.INNER: 0.5, Ring.MIDDLE: 0.35, Ring.OUTER: 0.15})
    assert adv.parse_time_share("inner=2, middle=1, outer=1") == pytest.approx(
        {Ring.INNER: 0.5, Ring.MIDDLE: 0.25, Ring.OUTER: 0.25})
    assert adv.parse_time_share("inner=100,middle=0,outer=0") == pytest.approx(
        {Ring.INNER: 1.0, Ring.MIDDLE: 0.0, Ring.OUTER: 0.0})
    assert adv.clean_time_share({"inner": 1}) == {Ring.INNER: 1.0, Ring.MIDDLE: 0.0,
                                                  Ring.OUTER: 0.0}
    for bad in ("inner", "core=5", "inner=x", "inner=0,middle=0"):
        with pytest.raises(InvalidInput):
            adv.parse_time_share(bad)
    # each said as what it is: "inf" was "not nan", 1e308 twice "add up to nothing", a
    # ring twice gave it 100 %
    for bad, said in (("inner=inf,middle=1,outer=1", "not inf"),
                      ("inner=1e308,middle=1e308,outer=1", "too large"),
                      ("inner=50,inner=20", "given twice"),
                      # one ring given set the other two to 0 % without a word
                      ("inner=50", r"missing: middle, outer"),
                      ("inner=50,outer=10", r"missing: middle\)")):
        with pytest.raises(InvalidInput, match=said):
            adv.parse_time_share(bad)
    rows = adv.time_per_ring({Ring.INNER: 120, Ring.MIDDLE: 60, Ring.OUTER: 20},
                             adv.DEFAULT_TIME_SHARE)
    assert [(r.ring, r.minutes) for r in rows] == [(Ring.INNER, 120), (Ring.MIDDLE, 60),
                                                   (Ring.OUTER, 20)]
    assert [r.share for r in rows] == pytest.approx([0.6, 0.3, 0.1])
    assert [r.gap for r in rows] == pytest.approx([0.1, -0.05, -0.05])
    assert [r.share for r in adv.time_per_ring({}, adv.DEFAULT_TIME_SHARE)] == [0, 0, 0]


# ------------------------------------------------------------------ weeks


def test_the_last_twelve_iso_weeks_end_with_this_one():
    berlin = ZoneInfo("Europe/Berlin")
    weeks = adv.last_weeks(NOW, berlin)
    assert len(weeks) == 12
    labels = [w.label for w, _, _ in weeks]
    assert (labels[0], labels[-1]) == ("2026-W36", "2026-W47")
    # the DST change (25 Oct 2026) falls inside: that week is 169 hours long
    lengths = {w.label: (end.astimezone(UTC) - start.astimezone(UTC)) for w, start, end in weeks}
    assert lengths["2026-W43"] == timedelta(hours=169) - timedelta(microseconds=1)
    assert adv.week_slot(NOW, weeks) == 11
    assert adv.week_slot(weeks[0][1], weeks) == 0
    assert adv.week_slot(weeks[0][1] - timedelta(microseconds=1), weeks) is None
    assert adv.week_slot(NOW + timedelta(days=7), weeks) is None


def test_weeks_across_the_new_year():
    weeks = adv.last_weeks(datetime(2027, 1, 6, 12, tzinfo=UTC), UTC, 3)
    assert [w.label for w, _, _ in weeks] == ["2026-W52", "2026-W53", "2027-W01"]
