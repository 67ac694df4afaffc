"""The real ``planner note-share``: share a note with the team, or make it private again."""

from __future__ import annotations

import pytest

from tests.helpers.cli import as_json, invoke, ok, refused

# on SQLite and on a team database (tests/conftest.py, tests/helpers/postgres.py)
pytestmark = pytest.mark.both_engines


def notes(db_path) -> list[dict]:
    return [e for e in as_json(invoke("timeline", "--json", db=db_path)) if e["type"] == "note"]


def test_note_share_and_private_again(db_path):
    ok(invoke("contacts", "add", "Ada Lovelace", db=db_path))
    ok(invoke("note", "ada", "Wants to give a talk", "--at", "2026-11-18", db=db_path))
    (note,) = notes(db_path)
    assert (note["shared"], note["version"]) == (False, 1)
    number = note["id"].removeprefix("note:")

    out = ok(invoke("note-share", number, db=db_path))
    # a file has no team: the note is marked, and said so ("shared with the team" was not)
    said = "shared with the team" if isinstance(db_path, str) else (
        "marked to share (a database file has no team")
    assert "Ada Lovelace" in out and said in out
    assert (notes(db_path)[0]["shared"], notes(db_path)[0]["version"]) == (True, 2)

    data = as_json(invoke("note-share", note["id"], "--private", "--json", db=db_path))
    assert set(data) == {"id", "contact_id", "at", "text", "author", "shared", "version"}
    assert (data["id"], data["text"], data["shared"], data["version"]) == (
        int(number), "Wants to give a talk", False, 3)
    assert "private" in ok(invoke("note-share", number, "--private", db=db_path))


def test_note_share_refusals(db_path):
    ok(invoke("contacts", "add", "Ada", db=db_path))
    refused(invoke("note-share", "999", db=db_path), "no note with id 999")
    refused(invoke("note-share", "touchpoint:1", db=db_path), "is not a note id")
    refused(invoke("note-share", "soon", db=db_path), "is not a note id")
