"""``planner search QUERY [--json] [--limit N]``, run as the real command (in-process)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers.cli import as_json, invoke, ok
from tests.helpers.stores import bound

# on SQLite and on a team database (tests/conftest.py, tests/helpers/postgres.py)
pytestmark = pytest.mark.both_engines

T0 = datetime(2026, 11, 16, 9, 30, tzinfo=UTC)
FIELDS = {"id", "type", "contact_id", "contact", "kind", "at", "snippet"}


@pytest.fixture
def db(db_path):
    """Ada (a coffee at the Café, a note about Zoë's talk), Grace (a Cyrillic note),
    and Bob (removed, with a note about pottery)."""
    from planner.services import contacts
    from planner.services import touchpoints as svc
    from planner.storage.database import open_database

    opened = open_database(str(db_path))
    try:
        ada = contacts.add_contact(bound(), "Ada Lovelace").id
        grace = contacts.add_contact(bound(), "Grace Hopper").id
        bob = contacts.add_contact(bound(), "Bob Removed").id
        svc.log_touchpoint(bound(),
            ada, "coffee", at=T0, minutes=30, note="Met at the Café Central about looms"
        )
        svc.add_note(bound(), ada, "Zoë's talk on engines was great", at=T0 - timedelta(days=1))
        svc.add_note(bound(), grace, "Встреча в Москве про компиляторы", at=T0 - timedelta(days=2))
        svc.add_note(bound(), bob, "Pottery class on Tuesdays", at=T0 - timedelta(days=3))
        contacts.remove_contact(bound(), bob)
    finally:
        opened.close()
    return db_path


def test_json_has_the_documented_fields(db):
    (hit,) = as_json(invoke("search", "cafe", "--json", db=db))
    assert set(hit) == FIELDS
    assert hit["id"] == "touchpoint:1"
    assert (hit["type"], hit["contact"], hit["kind"]) == ("touchpoint", "Ada Lovelace", "coffee")
    assert isinstance(hit["contact_id"], int)
    assert datetime.fromisoformat(hit["at"]) == T0
    assert datetime.fromisoformat(hit["at"]).utcoffset() == timedelta(0)
    assert hit["snippet"] == "Met at the [Café] Central about looms"


def test_notes_are_found_with_their_own_type_and_kind(db):
    (hit,) = as_json(invoke("search", "zoe", "--json", db=db))
    assert (hit["id"], hit["type"], hit["kind"]) == ("note:1", "note", "note")
    assert "[Zoë]" in hit["snippet"]


def test_text_output_one_line_per_hit(db):
    out = ok(invoke("search", "looms", db=db))
    lines = out.splitlines()
    assert len(lines) == 1
    assert "coffee" in lines[0]
    assert "Ada Lovelace: Met at the Café Central about [looms]" in lines[0]


def test_non_ascii_query(db):
    (hit,) = as_json(invoke("search", "москве", "--json", db=db))
    assert hit["contact"] == "Grace Hopper"
    assert "[Москве]" in hit["snippet"]


def test_no_results_is_a_message_and_success(db):
    result = invoke("search", "xylophone", db=db)
    assert ok(result).strip() == "Nothing found for 'xylophone'"
    assert result.stderr == ""
    assert as_json(invoke("search", "xylophone", "--json", db=db)) == []


def test_removed_peoples_notes_are_not_found(db):
    assert as_json(invoke("search", "pottery", "--json", db=db)) == []


@pytest.mark.parametrize(
    "query", ['"', "AND", "NEAR(cafe central)", "*", "(", "cafe OR", "body:cafe", "';--", "-x"]
)
def test_fts_syntax_in_the_query_is_harmless(db, query):
    result = invoke("search", "--json", "--", query, db=db)
    assert isinstance(as_json(result), list)


def test_limit(db):
    out = as_json(invoke("search", "t", "--json", db=db))  # prefix: "the", "talk"
    assert len(out) == 2
    # (which one is not asserted: hits are cut by rowid, see tests/unit/test_search.py)
    (one,) = as_json(invoke("search", "t", "--json", "--limit", "1", db=db))
    assert one in out
    assert [h["at"] for h in out] == sorted((h["at"] for h in out), reverse=True)
    bad = invoke("search", "a", "--limit", "0", db=db)
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr


def test_a_too_long_query_is_refused_in_one_line(db):
    result = invoke("search", "x" * 501, db=db)
    assert result.returncode == 1
    assert result.stderr.startswith("planner: the search is too long")
    assert len(result.stderr.splitlines()) == 1


def test_what_the_cli_logs_is_found_by_the_cli(db_path):
    ok(invoke("contacts", "add", "Lin Clark", db=db_path))
    ok(invoke("log", "Lin", "video", "--note", "Cartoons about WebAssembly", db=db_path))
    ok(invoke("note", "Lin", "Ask about the **Wasm** book", db=db_path))
    found = as_json(invoke("search", "wasm", "--json", db=db_path))
    assert [(h["type"], h["kind"]) for h in found] == [("note", "note")]
    found = as_json(invoke("search", "webassem", "--json", db=db_path))
    assert [(h["type"], h["kind"], h["contact"]) for h in found] == [
        ("touchpoint", "video", "Lin Clark")
    ]


def test_search_on_an_empty_new_database(db_path):
    assert ok(invoke("search", "anything", db=db_path)).startswith("Nothing found")


def test_help_mentions_json(db_path):
    out = ok(invoke("search", "--help", db=db_path))
    assert "--json" in out and "--limit" in out


def test_a_markdown_note_is_listed_as_text(db_path):
    """``planner search`` and ``planner timeline`` list a note as its words: the Markdown
    marks it was written with are for the window's timeline."""
    ok(invoke("contacts", "add", "Ada Lovelace", db=db_path))
    note = "## Plan\n\n- **Intro** to [the data team](https://wiki.example.org/data)"
    ok(invoke("note", "Ada", note, db=db_path))
    out = ok(invoke("search", "intro", db=db_path))
    assert out.rstrip().endswith("Ada Lovelace: Plan [Intro] to the data team")
    (hit,) = as_json(invoke("search", "team", "--json", db=db_path))
    assert hit["snippet"] == "Plan Intro to the data [team]"
    (hit,) = as_json(invoke("search", "wiki", "--json", db=db_path))  # found in the address:
    assert hit["snippet"] == "Plan Intro to the data team (https://[wiki].example.org/data)"
    timeline = ok(invoke("timeline", "Ada", db=db_path))
    assert "note       Plan" in timeline and "#" not in timeline
