"""Two planner users working at the same moment, each with the command line.

alice and bob (ordinary roles made by ``db add-user``) place people on their own rings,
log touchpoints and write private and shared notes, in parallel processes. Afterwards
each sees their own rings only, everyone's touchpoints, their own private notes and
the shared ones; the database itself hides alice's private notes from bob; nothing
was lost.
"""

from __future__ import annotations

import pytest

from tests.helpers.cli import as_json, invoke, ok, run_cli
from tests.postgres.test_concurrent_moves import _together

PEOPLE = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov",
          "Donald Knuth", "Frances Allen", "John Backus", "Niklaus Wirth", "Radia Perlman"]
#: who each user places where (people 3 and 4 are on both users' rings, differently)
PLANS = {
    "alice": {"Ada Lovelace": "inner", "Grace Hopper": "middle", "Alan Turing": "middle",
              "Edsger Dijkstra": "outer", "Barbara Liskov": "inner"},
    "bob": {"Edsger Dijkstra": "inner", "Barbara Liskov": "outer", "Donald Knuth": "middle",
            "Frances Allen": "outer", "John Backus": "outer", "Niklaus Wirth": "inner"},
}


@pytest.fixture
def team(pg_initialised):
    from tests.postgres.conftest import empty_tables

    pg = pg_initialised
    empty_tables(pg)
    users = {"alice": pg.role("alice2"), "bob": pg.role("bob2")}
    # the setting up and the reading back in this process; the two users' own commands
    # run as processes of their own, at once (_session)
    for role in users.values():
        ok(invoke("db", "add-user", role, db=pg.url()))
    for name in PEOPLE:  # the admin adds the shared people
        ok(invoke("contacts", "add", name, db=pg.url()))
    return pg, users


def _session(url: str, who: str) -> list:
    """The commands one user runs, in order; returns their results."""
    commands = []
    for i, (name, ring) in enumerate(PLANS[who].items()):
        commands.append(("contacts", "move", name, ring))
        commands.append(("log", name, "coffee", "--note", f"{who} coffee {i}"))
    commands += [
        ("note", "Ada Lovelace", f"{who} private thought"),
        ("note", "Grace Hopper", f"{who} private plan"),
        ("note", "Ada Lovelace", f"{who} shared insight", "--shared"),
        ("contacts", "add", f"{who.capitalize()} Newfriend", "--ring", "outer"),
    ]
    return [run_cli(*command, db=url) for command in commands]


def test_two_users_at_once_each_see_their_own_rings_and_private_notes(team):
    pg, users = team
    sessions = _together([lambda who=who, role=role: _session(pg.url(role), who)
                          for who, role in users.items()])
    for results in sessions:
        for result in results:
            ok(result)

    for who, role in users.items():
        url = pg.url(role)
        rings = {r["ring"]: {m["name"] for m in r["members"]}
                 for r in as_json(invoke("rings", "--json", db=url))}
        expected = {ring: {n for n, r in PLANS[who].items() if r == ring}
                    for ring in ("inner", "middle", "outer")}
        expected["outer"].add(f"{who.capitalize()} Newfriend")
        assert rings == expected, who
        people = as_json(invoke("contacts", "list", "--json", db=url))
        assert len(people) == len(PEOPLE) + 2  # contacts are shared

        entries = as_json(invoke("timeline", "--limit", "1000", "--json", db=url))
        coffees = [e["text"] for e in entries if e["type"] == "touchpoint"]
        assert len(coffees) == len(PLANS["alice"]) + len(PLANS["bob"])  # everyone's
        notes = {e["text"] for e in entries if e["type"] == "note"}
        other = "bob" if who == "alice" else "alice"
        assert notes == {f"{who} private thought", f"{who} private plan",
                         f"{who} shared insight", f"{other} shared insight"}

    # what psql would show bob: alice's private notes do not exist for him
    texts = {t for (t,) in pg.sql("SELECT text FROM note", user=users["bob"])}
    assert texts == {"bob private thought", "bob private plan", "bob shared insight",
                     "alice shared insight"}
    # nothing lost: the admin (a superuser, so row-level security does not apply) counts
    assert pg.sql("SELECT count(*) FROM note") == [(6,)]
    assert pg.sql("SELECT author, count(*) FROM touchpoint GROUP BY author ORDER BY author") == \
        sorted([(users["alice"], 5), (users["bob"], 6)])
    assert pg.sql("SELECT owner, count(*) FROM placement GROUP BY owner ORDER BY owner") == \
        sorted([(users["alice"], 6), (users["bob"], 7)])
    assert pg.sql("SELECT count(*) FROM contact") == [(len(PEOPLE) + 2,)]
    for role in users.values():  # positions 0..n-1 on every ring of every user
        rows = pg.sql("SELECT ring, array_agg(position ORDER BY position) FROM placement "
                      "WHERE owner = %s GROUP BY ring", (role,))
        for ring, positions in rows:
            assert positions == list(range(len(positions))), (role, ring, positions)


def test_the_timeline_says_who_wrote_each_entry_and_which_notes_are_shared(team):
    """bob's shared note and touchpoints read in alice's timeline as bob's, not as hers
    (the command line showed no author, while the window says "by bob")."""
    pg, users = team
    alice, bob = users["alice"], users["bob"]
    ok(invoke("log", "Ada Lovelace", "coffee", "--note", "alice's coffee", db=pg.url(alice)))
    ok(invoke("note", "Ada Lovelace", "alice keeps this", db=pg.url(alice)))
    ok(invoke("log", "Ada Lovelace", "call", "--note", "bob's call", db=pg.url(bob)))
    ok(invoke("note", "Ada Lovelace", "bob tells the team", "--shared", db=pg.url(bob)))
    lines = ok(invoke("timeline", "Ada Lovelace", db=pg.url(alice))).splitlines()

    def line(text):
        return next(x for x in lines if text in x)

    assert line("alice's coffee").endswith("alice's coffee")  # hers: nothing more said
    assert line("alice keeps this").endswith("alice keeps this [private]")
    assert line("bob's call").endswith(f"[by {bob}]")
    assert line("bob tells the team").endswith(f"[by {bob} · shared]")
    everyone = ok(invoke("timeline", db=pg.url(bob)))
    assert "alice keeps this" not in everyone
    assert f"Ada Lovelace: alice's coffee [by {alice}]" in everyone
