"""``planner agenda`` and ``planner snooze`` for real (in-process), read as of
Friday 4 Dec 2026 12:00 in Europe/Berlin."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.helpers.cli import as_json, invoke, ok, refused

AS_OF = ("--as-of", "2026-12-04T12:00")


@pytest.fixture(autouse=True)
def berlin(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "planner.db"
    for step in [
        ("contacts", "add", "Ada", "--ring", "inner"),
        ("log", "Ada", "im", "--at", "2026-11-27T12:00"),  # overdue 4 days
        ("contacts", "add", "Grace", "--ring", "middle"),
        ("log", "Grace", "coffee", "--at", "2026-11-20T11:00"),  # due today
        ("contacts", "add", "Linus", "--ring", "middle"),  # never contacted
        ("contacts", "add", "Alan", "--ring", "outer", "--birthday", "1986-12-05"),
        ("log", "Alan", "email", "--at", "2026-12-01T12:00"),
        ("contacts", "add", "Joan", "--ring", "middle", "--birthday", "--12-09"),
        ("log", "Joan", "call", "--at", "2026-11-25T12:00"),  # due on the 9th
    ]:
        ok(invoke(*step, db=path))
    return path


def test_agenda_json_says_who_is_due_whose_birthday_comes_and_the_notification(db):
    data = as_json(invoke("agenda", "--json", *AS_OF, db=db))
    assert data["today"] == "2026-12-04" and data["timezone"] == "Europe/Berlin"
    assert [(p["name"], p["status"], p["days_overdue"]) for p in data["due"]] == [
        ("Linus", "never", 0), ("Ada", "overdue", 4), ("Grace", "overdue", 0)]
    assert [p["name"] for p in data["coming"]] == ["Joan"]
    assert [(b["name"], b["date"], b["age"]) for b in data["birthdays"]] == [
        ("Alan", "2026-12-05", 40), ("Joan", "2026-12-09", None)]
    assert data["notification"] == (
        "3 people are due today: Linus (never contacted), Ada (overdue 4 days), Grace — "
        "and it is Alan's birthday tomorrow and Joan's birthday on Wednesday")
    one_day = as_json(invoke("agenda", "--json", "--days", "1", *AS_OF, db=db))
    assert one_day["coming"] == [] and one_day["birthdays"] == []


def test_agenda_text_and_the_focus_list_show_the_birthday(db):
    out = ok(invoke("agenda", *AS_OF, db=db))
    assert out.startswith("Friday 4 December 2026\n")
    assert "Due today (3):" in out and "Ada (inner) — overdue 4 days" in out
    assert "Alan — tomorrow (turns 40)" in out and "Joan — on Wednesday" in out
    focus = as_json(invoke("focus", "--format", "json", *AS_OF, db=db))
    alan = next(i for i in focus["items"] if i["name"] == "Alan")
    assert alan["action"] == "Wish them a happy birthday (40 tomorrow)"
    assert alan["birthday"] == {"date": "2026-12-05", "in_days": 1, "age": 40}


def test_agenda_refuses_a_bad_window_in_one_line(db):
    refused(invoke("agenda", "--days", "0", db=db), "--days must be a whole number")


def test_snooze_takes_them_out_of_focus_agenda_and_notification_until_then(db):
    out = ok(invoke("snooze", "Ada", "3d", db=db))
    assert out.startswith("Ada is snoozed until ")
    data = as_json(invoke("agenda", "--json", db=db))
    assert "Ada" not in [p["name"] for p in data["due"]]
    assert [s["name"] for s in data["snoozed"]] == ["Ada"]
    focus = as_json(invoke("focus", "--format", "json", db=db))
    assert "Ada" not in [i["name"] for i in focus["items"]]
    timeline = as_json(invoke("timeline", "Ada", "--json", db=db))
    assert timeline[0]["type"] == "snooze" and timeline[0]["text"].startswith("snoozed until")
    assert timeline[0]["until"] == data["snoozed"][0]["until"]
    assert ok(invoke("snooze", "Ada", "--clear", db=db)) == "Ada is back in your focus list\n"
    assert "Ada" in [p["name"] for p in as_json(invoke("agenda", "--json", db=db))["due"]]
    assert ok(invoke("snooze", "Ada", "--clear", db=db)) == "Ada was not snoozed\n"


def test_snooze_until_a_date_and_the_refusals(db):
    back = date.today() + timedelta(days=10)
    out = ok(invoke("snooze", "Grace", back.isoformat(), db=db))
    year = "" if back.year == date.today().year else f" {back.year}"
    assert out == f"Grace is snoozed until {back:%a} {back.day} {back:%b}{year}\n"
    refused(invoke("snooze", "Grace", "2099-01-01", db=db), "at most a year ahead")
    refused(invoke("snooze", "Grace", "soon", db=db), "use 1d, 3d, 1w")
    refused(invoke("snooze", "Grace", db=db), "give a DURATION")
    refused(invoke("snooze", "Grace", "1d", "--clear", db=db),
            "give a DURATION or --clear, not both")
    refused(invoke("snooze", "Nobody", "1d", db=db), "Nobody")
    refused(invoke("snooze", "Grace", "2000-01-01", db=db), "after today")


def test_agenda_says_the_year_of_a_day_in_another_year(db):
    """Seen as of a year before, a snooze until after today ends in another year."""
    ok(invoke("snooze", "Grace", "3d", db=db))
    back = date.today() + timedelta(days=3)
    a_year_before = (back - timedelta(days=400)).isoformat()
    out = ok(invoke("agenda", "--as-of", a_year_before, db=db))
    assert f"Grace — until {back:%a} {back.day} {back:%b} {back.year}" in out
