"""``planner stage / win / celebrate / ask / ask-status / give / thank / stats / goals``
for real (in-process, tests/helpers/cli.py).

A hand-built network, made with the command line itself at explicit ``--at`` times,
read as of Wednesday 18 Nov 2026 12:00 in Europe/Berlin: every figure of
``planner stats --json`` below is worked out by hand.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.helpers.cli import invoke, ok
from tests.helpers.postgres import ENGINES, engine_database

# on SQLite and on a team database (tests/conftest.py, tests/helpers/postgres.py)
pytestmark = pytest.mark.both_engines

TZ = "Europe/Berlin"
AS_OF = ("--as-of", "2026-11-18T12:00")


def refused(result: subprocess.CompletedProcess, *needles: str, code: int = 1) -> str:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    if code == 1:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)
    return result.stderr


@pytest.fixture(autouse=True)
def berlin(monkeypatch):
    monkeypatch.setenv("TZ", TZ)


#: The hand-built network. Weeks (Europe/Berlin): W47 = Mon 16 – Sun 22 Nov 2026,
#: W46 = 9–15 Nov, W44 = 26 Oct – 1 Nov; the 12 weeks run from W36 (31 Aug) to W47.
STEPS = [
    # ten people: 2 inner, 3 middle, 3 outer, 2 unplaced
    ("contacts", "add", "Ada Lovelace", "--ring", "inner"),
    ("contacts", "add", "Bo Builder", "--ring", "inner"),
    ("contacts", "add", "Cy Coder", "--ring", "middle"),
    ("contacts", "add", "Dee Dev", "--ring", "middle"),
    ("contacts", "add", "Eve Editor", "--ring", "middle"),
    ("contacts", "add", "Fay Founder", "--ring", "outer"),
    ("contacts", "add", "Gus Guest", "--ring", "outer"),
    ("contacts", "add", "Hal Host", "--ring", "outer"),
    ("contacts", "add", "Ivy Intern"),
    ("contacts", "add", "Jo Journalist"),
    # stages: 2 advocates, 1 succeeded, 3 cultivating, 4 none
    ("stage", "Ada Lovelace", "advocate"),
    ("stage", "Bo Builder", "advocate"),
    ("stage", "Cy Coder", "succeeded"),
    ("stage", "Dee Dev", "cultivating"),
    ("stage", "Eve Editor", "cultivating"),
    ("stage", "Fay Founder", "cultivating"),
    # touchpoints (minutes where known)
    ("log", "Ada Lovelace", "call", "--at", "2026-11-17T10:00", "--minutes", "30"),  # W47
    ("log", "Ada Lovelace", "coffee", "--at", "2026-10-28T10:00", "--minutes", "60"),  # W44
    ("log", "Bo Builder", "im", "--at", "2026-11-15T12:00"),  # W46 (Sunday); 72 h: due soon
    ("log", "Cy Coder", "video", "--at", "2026-11-10T09:00", "--minutes", "45"),  # W46
    ("log", "Dee Dev", "email", "--at", "2026-10-01T09:00", "--minutes", "10"),  # W40, overdue
    ("log", "Fay Founder", "event", "--at", "2026-11-16T18:00", "--minutes", "120"),  # W47
    ("log", "Gus Guest", "email", "--at", "2026-03-01T09:00"),  # outside the 12 weeks
    ("log", "Ivy Intern", "im", "--at", "2026-11-18T09:00", "--minutes", "15"),  # unplaced
    ("log", "Hal Host", "email", "--at", "2026-11-19T09:00"),  # after --as-of: ignored
    # wins: Cy's waits, Dee's is celebrated
    ("win", "Cy Coder", "Talk at PyCon", "--at", "2026-11-14T15:00", "--link", "pycon.org/cy"),
    ("win", "Dee Dev", "Promoted", "--at", "2026-11-12T09:00"),
    ("celebrate", "2", "--kind", "amplify", "--at", "2026-11-12T10:00"),  # Dee's, a W46 touch
    # asks: Ada twice this quarter (at the limit), one done and thanked, Bo's done not thanked
    ("ask", "Ada Lovelace", "case-study", "--status", "done", "--at", "2026-10-05T10:00"),
    ("ask", "Ada Lovelace", "talk", "--at", "2026-11-02T10:00"),
    ("ask", "Bo Builder", "reference-call", "--status", "done", "--at", "2026-11-03T10:00"),
    ("ask", "Cy Coder", "review-draft", "--status", "planned", "--at", "2026-11-25T10:00"),
    ("give", "Ada Lovelace", "thank-you-note", "--for-ask", "1", "--at", "2026-10-06T10:00"),
    ("give", "Ada Lovelace", "early-access", "--at", "2026-11-05T10:00"),
    ("give", "Eve Editor", "intro", "--at", "2026-11-06T10:00"),
    ("goals", "--time-share", "inner=50,middle=30,outer=20"),
]


@pytest.fixture(scope="module", params=ENGINES)
def data(request, tmp_path_factory):
    root = tmp_path_factory.mktemp("advocacy-cli")
    with engine_database(request, request.param, root) as db:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("TZ", TZ)
            for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
                mp.setenv(name, str(root / name.lower()))
            for step in STEPS:
                ok(invoke(*step, db=db))
        yield db


def stats_json(db) -> dict:
    return json.loads(ok(invoke("stats", "--json", *AS_OF, db=db)))


def test_stats_json_figures_match_the_hand_built_network(data):
    d = stats_json(data)
    assert d["as_of"] == "2026-11-18T11:00:00+00:00"  # 12:00 in Berlin
    # 2 advocates of 10 people = 20 %; the target 10 % of 10 is 1 advocate
    assert d["advocates"] == {"count": 2, "network": 10, "share": 0.2, "target_share": 0.1,
                              "target_count": 1, "missing": 0, "met": True}
    assert d["stages"] == {"none": 4, "cultivating": 3, "succeeded": 1, "advocate": 2}
    assert d["funnel"] == [
        {"stage": "cultivating", "reached": 6, "conversion": None},
        {"stage": "succeeded", "reached": 3, "conversion": 0.5},
        {"stage": "advocate", "reached": 2, "conversion": 0.6667},
    ]
    # inner cadence 3 days: Ada (26 h) on track, Bo (exactly 72 h) due soon.
    # middle 14: Cy (8 days) on track, Dee (48 days) overdue; Dee's celebration on 12 Nov
    # is a touch too (6 days: on track); Eve never. outer 42: Fay on track, Gus overdue,
    # Hal's touch is after the moment: never.
    assert d["rings"] == {
        "inner": {"count": 2, "capacity": 3, "on_track": 1, "due_soon": 1, "overdue": 0,
                  "never": 0},
        "middle": {"count": 3, "capacity": 12, "on_track": 2, "due_soon": 0, "overdue": 0,
                   "never": 1},
        "outer": {"count": 3, "capacity": 72, "on_track": 1, "due_soon": 0, "overdue": 1,
                  "never": 1},
    }
    assert d["weeks"] == [f"2026-W{n}" for n in range(36, 48)]
    #                 W36 … W40 … W44 W45 W46 W47
    assert d["touchpoints_per_week"] == {
        "inner": [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1],
        "middle": [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0],
        "outer": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        "unplaced": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
    }
    # minutes in the 12 weeks: inner 30 + 60, middle 45 + 10, outer 120 → 265 in all
    assert d["minutes"] == {
        "inner": {"minutes": 90, "share": round(90 / 265, 4), "intended": 0.5},
        "middle": {"minutes": 55, "share": round(55 / 265, 4), "intended": 0.3},
        "outer": {"minutes": 120, "share": round(120 / 265, 4), "intended": 0.2},
        "unplaced": 15,
    }
    (win,) = d["wins_waiting"]
    assert (win["contact"], win["text"], win["link"], win["at"]) == (
        "Cy Coder", "Talk at PyCon", "https://pycon.org/cy", "2026-11-14T14:00:00+00:00")
    (ask,) = d["asks_waiting_for_thanks"]
    assert (ask["contact"], ask["type"], ask["status"]) == (
        "Bo Builder", "reference-call", "done")
    assert d["fatigue"] == {"limit": 2, "quarter_days": 91, "near": [
        {"contact_id": 1, "contact": "Ada Lovelace", "asks": 2, "over": False}]}
    # gives 3; asks made 3 (the planned one is not made yet)
    assert d["balance"] == {"gives": 3, "asks": 3, "value": 0}


def test_stats_as_text(data):
    out = ok(invoke("stats", *AS_OF, db=data))
    assert "Advocates: 2 of 10 (20%); target 10% = 1  ✓" in out
    assert "Funnel: cultivating 6 → succeeded 3 → advocate 2" in out
    assert "Inner   2/3: 1 on track, 1 due soon, 0 overdue, 0 never" in out
    assert "  #1 Cy Coder: Talk at PyCon" in out
    assert "  #3 Bo Builder: reference call" in out
    assert "Asked enough this quarter (limit 2): Ada Lovelace (2)" in out


def test_the_third_ask_is_refused_until_forced(tmp_path):
    db = tmp_path / "p.db"
    ok(invoke("contacts", "add", "Ada Lovelace", db=db))
    assert "Ask #1 of Ada Lovelace: talk (asked); balance 0 given · 1 asked (-1)" in ok(
        invoke("ask", "Ada Lovelace", "talk", db=db))
    ok(invoke("ask", "Ada", "intro", db=db))
    line = refused(invoke("ask", "Ada", "case-study", db=db),
                   "Ada Lovelace has been asked 2 times in the last quarter (the limit is 2)",
                   "--force")
    assert line.startswith("planner: ")
    assert "Ask #3" in ok(invoke("ask", "Ada", "case-study", "--force", db=db))
    ok(invoke("goals", "--ask-limit", "5", db=db))
    assert "Ask #4" in ok(invoke("ask", "Ada", "feedback", db=db))


def test_win_celebrate_give_thank_and_stage_messages(tmp_path):
    db = tmp_path / "p.db"
    ok(invoke("contacts", "add", "Ada Lovelace", "--ring", "inner", db=db))
    assert ok(invoke("stage", "ada", "succeeded", db=db)) == "Ada Lovelace: none → succeeded\n"
    assert "already" in ok(invoke("stage", "ada", "succeeded", db=db))
    out = ok(invoke("win", "ada", "Keynote", "--link", "example.org/k", db=db))
    assert "Win #1 for Ada Lovelace" in out and "planner celebrate 1" in out
    assert ok(invoke("celebrate", "1", "--kind", "congratulate", db=db)) == (
        "Celebrated Ada Lovelace's win (Keynote) with im\n")
    refused(invoke("celebrate", "1", db=db), "already celebrated")
    ok(invoke("ask", "ada", "beta-test", db=db))
    assert "say thanks with: planner thank 1" in ok(invoke("ask-status", "1", "done", db=db))
    assert ok(invoke("thank", "1", "--kind", "email", db=db)) == (
        "Thanked Ada Lovelace for beta testing\n")
    # once: a second thank added a second thank-you (and a touchpoint) to the balance
    refused(invoke("thank", "1", "--kind", "email", db=db),
            "Ada Lovelace was already thanked for beta testing (give #1)")
    ok(invoke("ask", "ada", "talk", "--status", "planned", db=db))
    refused(invoke("thank", "2", db=db), "ask #2 is only planned: ask it first")
    out = ok(invoke("give", "ada", "early-access", "--note", "v3 preview", db=db))
    assert out == "Give #2 to Ada Lovelace: early access; balance 2 given · 1 asked (+1)\n"
    timeline = json.loads(ok(invoke("timeline", "ada", "--json", db=db)))
    assert {e["kind"] for e in timeline if e["type"] == "touchpoint"} == {"im", "email"}


@pytest.mark.parametrize("args, needle", [
    (("stage", "Ada", "famous"), "unknown stage 'famous'"),
    (("ask", "Ada", "podcast"), "unknown kind of ask 'podcast'"),
    (("ask", "Ada", "talk", "--status", "maybe"), "unknown ask status 'maybe'"),
    (("give", "Ada", "money"), "unknown kind of give 'money'"),
    (("win", "Ada", "  "), "a win needs a few words"),
    (("win", "Nobody", "Talk"), "no contact named 'Nobody'"),
    (("celebrate", "9"), "no win with id 9"),
    (("ask-status", "9", "done"), "no ask with id 9"),
    (("give", "Ada", "gift", "--for-ask", "9"), "no ask with id 9"),
    (("goals", "--target", "0%"), "advocate target"),
    (("goals", "--ask-limit", "0"), "ask limit"),
    (("goals", "--time-share", "core=1"), "use ring=share"),
])
def test_refusals_are_one_line(tmp_path, args, needle):
    db = tmp_path / "p.db"
    ok(invoke("contacts", "add", "Ada", db=db))
    refused(invoke(*args, db=db), needle)


def test_goals_show_and_set(tmp_path):
    db = tmp_path / "p.db"
    assert json.loads(ok(invoke("goals", "--json", db=db))) == {
        "target_share": 0.1, "ask_limit": 2,
        "time_share": {"inner": 0.5, "middle": 0.35, "outer": 0.15}}
    out = ok(invoke("goals", "--target", "15%", "--ask-limit", "3", db=db))
    assert out.splitlines()[:2] == ["Advocate target: 15% of your network",
                                    "Ask limit: 3 per person per quarter"]


def test_empty_database_stats(tmp_path):
    d = json.loads(ok(invoke("stats", "--json", db=tmp_path / "p.db")))
    assert d["advocates"]["network"] == 0 and d["advocates"]["target_count"] == 0
    assert d["wins_waiting"] == [] and d["fatigue"]["near"] == []


def test_a_bad_time_share_is_said_without_the_settings_inner_name(db_path):
    """It said "setting ring_time_share: the inner ring's share … not nan" to "inf"."""
    line = refused(invoke("goals", "--time-share", "inner=inf,middle=1,outer=1", db=db_path),
                   "the inner ring's share of time must be a number", "not inf")
    assert "ring_time_share" not in line
