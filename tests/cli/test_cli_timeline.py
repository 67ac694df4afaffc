"""The real ``planner`` command: log, note and timeline."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers.cli import as_json, invoke, ok, refused

# on SQLite and on a team database (tests/conftest.py, tests/helpers/postgres.py)
pytestmark = pytest.mark.both_engines

ENTRY_KEYS = {"id", "contact_id", "contact", "type", "kind", "at", "text"}


def test_log_note_and_timeline(db_path, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")  # the command reads it as a new process would
    ok(invoke("contacts", "add", "Ada Lovelace", "--ring", "inner", db=db_path))
    ok(invoke("contacts", "add", "Grace Hopper", db=db_path))

    out = ok(
        invoke(
            "log",
            "ada",
            "coffee",
            "--at",
            "2026-11-16T10:00",
            "--minutes",
            "30",
            "--note",
            "analytical engine",
            db=db_path,
        )
    )
    assert "coffee" in out and "Ada Lovelace" in out
    ok(invoke("log", "grace", "beer", "--at", "2026-11-17T20:00+00:00", db=db_path))
    ok(invoke("log", "ada", "skype", "--at", "2026-11-15 09:00", db=db_path))
    ok(invoke("note", "grace", "Wants to give a *talk*", "--at", "2026-11-18", db=db_path))

    entries = as_json(invoke("timeline", "--json", db=db_path))
    for entry in entries:
        assert set(entry) >= ENTRY_KEYS, entry
        assert datetime.fromisoformat(entry["at"]).tzinfo is not None
    ats = [datetime.fromisoformat(e["at"]) for e in entries]
    assert ats == sorted(ats, reverse=True)
    dated = [e for e in entries if e["type"] in ("touchpoint", "note")]
    assert [(e["type"], e["contact"], e["kind"]) for e in dated] == [
        ("note", "Grace Hopper", "note"),
        ("touchpoint", "Grace Hopper", "meal"),
        ("touchpoint", "Ada Lovelace", "coffee"),
        ("touchpoint", "Ada Lovelace", "video"),
    ]
    note, beer, coffee, video = dated
    # naive times are local (Berlin, CET = UTC+1) and come back as UTC
    assert datetime.fromisoformat(coffee["at"]) == datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    assert datetime.fromisoformat(beer["at"]) == datetime(2026, 11, 17, 20, 0, tzinfo=UTC)
    assert datetime.fromisoformat(video["at"]) == datetime(2026, 11, 15, 8, 0, tzinfo=UTC)
    assert datetime.fromisoformat(note["at"]) == datetime(2026, 11, 18, 11, 0, tzinfo=UTC)
    assert coffee["text"] == "analytical engine"
    assert coffee["minutes"] == 30
    assert note["text"] == "Wants to give a *talk*"
    assert coffee["contact_id"] != beer["contact_id"]
    moves = [e for e in entries if e["type"] == "move"]
    assert [(m["contact"], m["to_ring"]) for m in moves] == [("Ada Lovelace", "inner")]
    assert "inner" in moves[0]["text"]
    assert len({e["id"] for e in entries}) == len(entries)

    ada_only = as_json(invoke("timeline", "ada", "--limit", "2", "--json", db=db_path))
    assert len(ada_only) == 2
    assert {e["contact"] for e in ada_only} == {"Ada Lovelace"}

    text = ok(invoke("timeline", "--limit", "3", db=db_path)).splitlines()
    assert len(text) == 3
    assert any("Grace Hopper" in line for line in text)

    ada = json.loads(ok(invoke("contacts", "show", "ada", "--json", db=db_path)))
    assert datetime.fromisoformat(ada["last_touch"]) == datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def test_log_defaults_to_now_and_relative_times(db_path):
    ok(invoke("contacts", "add", "Ada", db=db_path))
    before = datetime.now(UTC)
    ok(invoke("log", "ada", "im", db=db_path))
    ok(invoke("log", "ada", "call", "--at", "3 days ago", db=db_path))
    after = datetime.now(UTC)
    entries = as_json(invoke("timeline", "ada", "--json", db=db_path))
    touches = {
        e["kind"]: datetime.fromisoformat(e["at"]) for e in entries if e["type"] == "touchpoint"
    }
    assert before - timedelta(seconds=1) <= touches["im"] <= after
    assert abs(touches["call"] - (before - timedelta(days=3))) < timedelta(minutes=1)
    assert touches["im"].utcoffset() == timedelta(0)


def test_log_and_note_refusals(db_path):
    ok(invoke("contacts", "add", "Ada", db=db_path))
    refused(invoke("log", "ada", "telepathy", db=db_path), "unknown kind", "coffee")
    refused(
        invoke("log", "ada", "coffee", "--at", "last blue moon", db=db_path),
        "cannot read the time",
    )
    refused(invoke("note", "ada", "   ", db=db_path), "needs some text")
    refused(invoke("log", "nobody", "coffee", db=db_path), "no contact named 'nobody'")
    too_long = invoke("log", "ada", "coffee", "--minutes", "5000", db=db_path)
    assert too_long.returncode == 2
    assert "Traceback" not in too_long.stderr
    assert as_json(invoke("timeline", "ada", "--json", db=db_path))[0]["type"] == "created"


def test_empty_timeline(db_path):
    out = ok(invoke("timeline", db=db_path))
    assert "planner log" in out
    assert as_json(invoke("timeline", "--json", db=db_path)) == []


def test_a_line_without_words_ends_with_the_name_not_a_colon(db_path):
    """An entry with no text read "coffee     Ada Lovelace:", and one with minutes but no
    text "coffee      (30 min)" (two spaces)."""
    ok(invoke("contacts", "add", "Ada Lovelace", db=db_path))
    ok(invoke("log", "Ada Lovelace", "coffee", "--minutes", "30", db=db_path))
    ok(invoke("log", "Ada Lovelace", "call", "--note", "About the talk", db=db_path))
    lines = ok(invoke("timeline", db=db_path)).splitlines()
    call, coffee = lines[0], lines[1]
    assert call.endswith("Ada Lovelace: About the talk")
    assert coffee.endswith("coffee     Ada Lovelace (30 min)"), coffee
    mine = ok(invoke("timeline", "Ada Lovelace", db=db_path)).splitlines()
    assert mine[1].endswith("  coffee     (30 min)")  # the kind's column, then the minutes
