"""The real ``planner`` command (in-process, tests/helpers/cli.py): help, contacts and rings."""

from __future__ import annotations

import pytest

from planner import __version__
from tests.helpers.cli import as_json, invoke, ok, refused

# on SQLite and on a team database (tests/conftest.py, tests/helpers/postgres.py)
pytestmark = pytest.mark.both_engines

# ---------------------------------------------------------- version and help


def test_version():
    out = ok(invoke("--version"))
    assert out.strip() == f"planner {__version__}"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((), ["contacts", "rings", "log", "note", "timeline", "--db", "--version"]),
        (("contacts",), ["add", "list", "show", "edit", "move", "remove"]),
        (("contacts", "add"), ["NAME", "--ring", "--email", "--tag", "--channel"]),
        (("contacts", "list"), ["--ring", "--json"]),
        (("contacts", "show"), ["CONTACT", "--json"]),
        (("contacts", "edit"), ["CONTACT", "--name", "--email"]),
        (("contacts", "move"), ["CONTACT", "RING", "--swap"]),
        (("contacts", "remove"), ["CONTACT"]),
        (("rings",), ["--json"]),
        (("log",), ["CONTACT", "KIND", "--at", "--minutes", "--note", "coffee", "in-person"]),
        (("note",), ["CONTACT", "TEXT", "--at"]),
        (("timeline",), ["CONTACT", "--limit", "--json"]),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else None,
)
def test_help_everywhere(args, words, db_path):
    out = ok(invoke(*args, "--help", db=db_path))
    assert out.startswith("Usage: planner")
    for word in words:
        assert word in out, word
    assert not db_path.exists(), "--help must not create a database"


# ------------------------------------------------------------------ contacts


def test_add_list_and_show(db_path):
    out = ok(
        invoke(
            "contacts",
            "add",
            "Ada Lovelace",
            "--ring",
            "inner",
            "--email",
            "ada@example.org",
            "--tag",
            "math",
            "--tag",
            "engines",
            "--channel",
            "im",
            "--channel",
            "email",
            db=db_path,
        )
    )
    assert "Ada Lovelace" in out and "inner" in out
    ok(invoke("contacts", "add", "Grace Hopper", db=db_path))
    ok(invoke("contacts", "add", "Linus", "--ring", "outer", db=db_path))

    listing = ok(invoke("contacts", "list", db=db_path)).splitlines()
    assert len(listing) == 3
    assert "Ada Lovelace" in listing[0] and "inner" in listing[0]  # by ring, inner first
    assert "Linus" in listing[1]
    assert "Grace Hopper" in listing[2]

    everyone = as_json(invoke("contacts", "list", "--json", db=db_path))
    by_name = {c["name"]: c for c in everyone}
    assert set(by_name) == {"Ada Lovelace", "Grace Hopper", "Linus"}
    for contact in everyone:
        assert {"id", "name", "ring", "email", "tags", "last_touch"} <= set(contact)
        assert isinstance(contact["id"], int)
        assert contact["last_touch"] is None
    ada = by_name["Ada Lovelace"]
    assert ada["ring"] == "inner"
    assert ada["email"] == "ada@example.org"
    assert ada["tags"] == ["math", "engines"]
    assert ada["channels"] == ["im", "email"]
    assert by_name["Grace Hopper"]["ring"] is None
    assert by_name["Grace Hopper"]["email"] == ""

    inner = as_json(invoke("contacts", "list", "--ring", "inner", "--json", db=db_path))
    assert [c["name"] for c in inner] == ["Ada Lovelace"]
    unplaced = as_json(invoke("contacts", "list", "--ring", "none", "--json", db=db_path))
    assert [c["name"] for c in unplaced] == ["Grace Hopper"]

    shown = as_json(invoke("contacts", "show", "ada", "--json", db=db_path))
    assert shown == ada
    by_id = as_json(invoke("contacts", "show", f"#{ada['id']}", "--json", db=db_path))
    assert by_id["name"] == "Ada Lovelace"
    text = ok(invoke("contacts", "show", "GRACE HOPPER", db=db_path))
    assert "Grace Hopper" in text
    assert "unplaced" in text


def test_empty_list_says_how_to_start(db_path):
    out = ok(invoke("contacts", "list", db=db_path))
    assert "contacts add" in out
    assert as_json(invoke("contacts", "list", "--json", db=db_path)) == []


def test_edit(db_path):
    ok(invoke("contacts", "add", "Ada", "--email", "ada@example.org", db=db_path))
    ok(
        invoke(
            "contacts",
            "edit",
            "ada",
            "--name",
            "Ada King",
            "--tag",
            "countess",
            "--birthday",
            "--12-10",
            db=db_path,
        )
    )
    ada = as_json(invoke("contacts", "show", "ada king", "--json", db=db_path))
    assert ada["name"] == "Ada King"
    assert ada["email"] == "ada@example.org"  # untouched
    assert ada["tags"] == ["countess"]
    assert ada["birthday"] == "--12-10"
    refused(invoke("contacts", "edit", "ada", "--email", "nope", db=db_path), "email")
    nothing = invoke("contacts", "edit", "ada", db=db_path)
    assert nothing.returncode == 2
    assert "Traceback" not in nothing.stderr


def test_move_full_ring_swap_and_unplace(db_path):
    for name in ("Ada", "Grace", "Linus"):
        ok(invoke("contacts", "add", name, "--ring", "inner", db=db_path))
    ok(invoke("contacts", "add", "Margaret", "--ring", "middle", db=db_path))
    ok(invoke("contacts", "add", "Newbie", db=db_path))

    line = refused(invoke("contacts", "move", "margaret", "inner", db=db_path), "full")
    for name in ("Ada", "Grace", "Linus"):
        assert name in line

    ok(invoke("contacts", "move", "margaret", "inner", "--swap", "grace", db=db_path))
    rings = as_json(invoke("rings", "--json", db=db_path))
    members = {r["ring"]: [m["name"] for m in r["members"]] for r in rings}
    assert members["inner"] == ["Ada", "Margaret", "Linus"]  # Grace's place
    assert members["middle"] == ["Grace"]  # Margaret's old ring
    fill = {r["ring"]: (r["count"], r["capacity"]) for r in rings}
    assert fill == {"inner": (3, 3), "middle": (1, 12), "outer": (0, 72)}

    ok(invoke("contacts", "move", "newbie", "inner", "--swap", "linus", db=db_path))
    ok(invoke("contacts", "move", "ada", "none", db=db_path))
    ok(invoke("contacts", "move", "grace", "outer", db=db_path))
    everyone = as_json(invoke("contacts", "list", "--json", db=db_path))
    assert {c["name"]: c["ring"] for c in everyone} == {
        "Ada": None,
        "Grace": "outer",
        "Linus": None,
        "Margaret": "inner",
        "Newbie": "inner",
    }
    again = ok(invoke("contacts", "move", "margaret", "inner", db=db_path))
    assert "(already)" in again  # moving onto one's own ring keeps the place
    text = ok(invoke("rings", db=db_path)).splitlines()
    assert text[0].split()[:2] == ["inner", "2/3"]
    assert "Margaret" in text[0] and "Newbie" in text[0]
    assert text[1].split()[:2] == ["middle", "0/12"]
    assert text[2].split()[:2] == ["outer", "1/72"]

    refused(
        invoke("contacts", "move", "ada", "inner", "--swap", "grace", db=db_path),
        "not on the inner ring",
    )


def test_remove_hides_the_person(db_path):
    ok(invoke("contacts", "add", "Ada", "--ring", "inner", db=db_path))
    ok(invoke("contacts", "add", "Grace", db=db_path))
    assert "Ada" in ok(invoke("contacts", "remove", "ada", db=db_path))
    everyone = as_json(invoke("contacts", "list", "--json", db=db_path))
    assert [c["name"] for c in everyone] == ["Grace"]
    refused(invoke("contacts", "show", "ada", db=db_path), "no contact named")
    rings = as_json(invoke("rings", "--json", db=db_path))
    assert rings[0]["count"] == 0


def test_the_list_keeps_its_columns_with_wide_names_and_long_ones(db_path):
    """The date column began 2-6 cells late after a Korean name or an emoji, and a
    200-character name pushed the rest of its row off to the right."""
    from planner.cli.columns import cells

    names = ["Diego Martínez", "최현우", "👩\u200d💻 Zoë 🎉", "渡辺 美咲", "Ä" * 120]
    for name in names:
        ok(invoke("contacts", "add", name, "--ring", "outer", db=db_path))
    rows = ok(invoke("contacts", "list", db=db_path)).splitlines()
    assert len(rows) == len(names)
    starts = {cells(row[:row.index("never")]) for row in rows}
    assert len(starts) == 1, rows  # "never" (the last touch) in one column
    assert any("…" in row for row in rows)
    assert "Ä" * 40 not in "\n".join(rows)
