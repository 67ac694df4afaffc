"""The demo network generator: deterministic, realistic, consistent, and careful with data."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from planner.demo import generate
from planner.demo.people import ascii_fold
from planner.domain.errors import InvalidInput
from planner.domain.rings import DEFAULT_CAPACITY, Ring
from planner.storage.database import open_database
from planner.storage.fields import to_utc
from planner.storage.models import db_proxy
from tests.helpers.stores import bound

NOW = datetime(2026, 6, 10, 9, 30, tzinfo=UTC)


def rows(sql: str, params: tuple = ()) -> list[tuple]:
    return list(db_proxy.execute_sql(sql, params).fetchall())


def dump() -> dict[str, list[tuple]]:
    """Every table, the search index's included, whatever its layout."""
    names = rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return {name: sorted(rows(f'SELECT * FROM "{name}"'), key=repr) for (name,) in names}


def generated(path, *args, **kwargs):
    """Generate into a new database file; return (summary, dump)."""
    handle = open_database(str(path))
    try:
        summary = generate(bound(), *args, **kwargs)
        return summary, dump()
    finally:
        handle.close()


def ring_of() -> dict[int, str | None]:
    placed = dict(rows("SELECT contact_id, ring FROM placement"))
    return {cid: placed.get(cid) for (cid,) in rows("SELECT id FROM contact")}


# ------------------------------------------------------------------ determinism


def test_same_seed_same_bytes(tmp_path):
    _, first = generated(tmp_path / "a.db", 120, 1500, seed=7, now=NOW)
    _, second = generated(tmp_path / "b.db", 120, 1500, seed=7, now=NOW)
    assert first == second
    assert len(first["touchpoint"]) == 1500


def test_a_different_seed_gives_different_people(tmp_path):
    _, first = generated(tmp_path / "a.db", 60, 300, seed=1, now=NOW)
    _, second = generated(tmp_path / "b.db", 60, 300, seed=2, now=NOW)
    names = [{row[1] for row in d["contact"]} for d in (first, second)]
    assert names[0] != names[1]
    assert first["touchpoint"] != second["touchpoint"]


def test_now_only_slides_the_times(tmp_path):
    """Without a fixed ``now`` a demo stays current; everything else is the seed's."""
    week = timedelta(days=7)
    _, first = generated(tmp_path / "a.db", 80, 800, seed=3, now=NOW)
    _, later = generated(tmp_path / "b.db", 80, 800, seed=3, now=NOW + week)

    def shifted(table: list[tuple], time_columns: tuple[int, ...], by: timedelta) -> list:
        out = []
        for row in table:
            row = list(row)
            for i in time_columns:
                if row[i] is not None:
                    row[i] = to_utc(row[i]) + by
            out.append(row)
        return out

    # touchpoint: id contact kind at minutes note author created updated version
    assert shifted(first["touchpoint"], (3, 7, 8), week) == shifted(
        later["touchpoint"], (3, 7, 8), timedelta()
    )
    assert shifted(first["ring_move"], (5,), week) == shifted(later["ring_move"], (5,), timedelta())
    assert [r[3] for r in first["note"]] == [r[3] for r in later["note"]]
    year = re.compile(r"in 20\d\d")
    assert [year.sub("", str(r[:12])) for r in first["contact"]] == [
        year.sub("", str(r[:12])) for r in later["contact"]
    ]


# ------------------------------------------------------------------------ rings


def test_rings_are_filled_exactly_and_the_rest_unplaced(opened):
    from planner.services.placement import ring_fill

    summary = generate(opened.backend, 150, 3000, now=NOW)
    assert summary.rings == {"inner": 3, "middle": 12, "outer": 72, "unplaced": 63}
    assert {ring: n for ring, (n, _cap) in ring_fill().items()} == DEFAULT_CAPACITY
    positions = defaultdict(list)
    for ring, pos in rows("SELECT ring, position FROM placement"):
        positions[ring].append(pos)
    assert {ring: sorted(p) for ring, p in positions.items()} == {
        ring.value: list(range(cap)) for ring, cap in DEFAULT_CAPACITY.items()
    }


@pytest.mark.parametrize(
    ("n", "m", "expected"),
    [
        (0, 0, {"inner": 0, "middle": 0, "outer": 0, "unplaced": 0}),
        (1, 10, {"inner": 1, "middle": 0, "outer": 0, "unplaced": 0}),
        (2, 40, {"inner": 2, "middle": 0, "outer": 0, "unplaced": 0}),
        (10, 100, {"inner": 3, "middle": 7, "outer": 0, "unplaced": 0}),
        (87, 900, {"inner": 3, "middle": 12, "outer": 72, "unplaced": 0}),
        (88, 900, {"inner": 3, "middle": 12, "outer": 72, "unplaced": 1}),
    ],
)
def test_small_networks(opened, n, m, expected):
    summary = generate(opened.backend, n, m, now=NOW)
    assert summary.rings == expected
    assert summary.contacts == n == rows("SELECT COUNT(*) FROM contact")[0][0]
    assert summary.touchpoints == m == rows("SELECT COUNT(*) FROM touchpoint")[0][0]
    assert summary.notes == m // 8 == rows("SELECT COUNT(*) FROM note")[0][0]
    assert summary.moves == rows("SELECT COUNT(*) FROM ring_move")[0][0]
    counted = Counter(ring_of().values())
    assert {r.value: counted[r.value] for r in Ring} | {"unplaced": counted[None]} == expected


def test_the_move_history_replays_to_todays_rings_within_capacity(opened):
    generate(opened.backend, 300, 2000, now=NOW)
    rings: dict[int, str | None] = {}
    moves = rows("SELECT at, contact_id, from_ring, to_ring FROM ring_move ORDER BY at, id")
    assert moves, "there is a history"
    kinds = Counter()
    for at in sorted({m[0] for m in moves}):
        for _at, cid, from_ring, to_ring in (m for m in moves if m[0] == at):
            assert rings.get(cid) == from_ring, "each move starts where the person was"
            rings[cid] = to_ring
            kinds[
                "promoted"
                if to_ring and (from_ring is None or Ring(to_ring).depth < Ring(from_ring).depth)
                else "demoted"
            ] += 1
        fill = Counter(r for r in rings.values() if r)
        assert all(fill[r.value] <= cap for r, cap in DEFAULT_CAPACITY.items()), at
    placed = {cid: r for cid, r in ring_of().items() if r}
    assert {cid: r for cid, r in rings.items() if r} == placed
    assert kinds["promoted"] > len(placed) and kinds["demoted"] > 5
    created = dict(rows("SELECT id, created_at FROM contact"))
    first = dict(rows("SELECT contact_id, MIN(at) FROM ring_move GROUP BY contact_id"))
    assert all(created[cid] <= at for cid, at in first.items())


def test_more_touchpoints_for_inner_people_than_outer(opened):
    generate(opened.backend, 400, 6000, now=NOW)
    per_person = dict(rows("SELECT contact_id, COUNT(*) FROM touchpoint GROUP BY contact_id"))
    rings = ring_of()
    average = {}
    for ring in ("inner", "middle", "outer", None):
        people = [cid for cid, r in rings.items() if r == ring]
        average[ring] = sum(per_person.get(cid, 0) for cid in people) / len(people)
    assert average["inner"] > average["middle"] > average["outer"] > average[None]
    assert average["inner"] > 5 * average["outer"]


def test_times_are_within_two_years_and_after_each_person_was_added(opened):
    generate(opened.backend, 200, 3000, now=NOW)
    ats = [to_utc(a) for (a,) in rows("SELECT at FROM touchpoint")]
    ats += [to_utc(a) for (a,) in rows("SELECT at FROM note")]
    assert max(ats) <= NOW
    assert min(ats) >= NOW - timedelta(days=731)
    assert NOW - max(ats) < timedelta(days=3), "the demo looks current"
    early = rows(
        "SELECT COUNT(*) FROM touchpoint t JOIN contact c ON c.id = t.contact_id "
        "WHERE t.at < c.created_at"
    )
    assert early == [(0,)]
    kinds = Counter(k for (k,) in rows("SELECT kind FROM touchpoint"))
    assert len(kinds) >= 10 and kinds.most_common(1)[0][0] in ("im", "email")


# ----------------------------------------------------------------------- people


def test_people_are_plausible_and_valid(opened):
    from planner.services.contacts import clean_fields, list_contacts

    generate(opened.backend, 400, 0, now=NOW)
    contacts = list_contacts()
    names = [c.name for c in contacts]
    assert len(contacts) == 400
    assert sum(not n.isascii() for n in names) > 60
    scripts = {
        "latin accents": r"[À-ɏ]",
        "cjk": r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]",
        "cyrillic or greek": r"[\u0370-\u03ff\u0400-\u04ff]",
    }
    for label, pattern in scripts.items():
        assert any(re.search(pattern, n) for n in names), label
    emails = [c.email for c in contacts]
    assert len(set(emails)) == len(emails)
    assert all(e.isascii() for e in emails)
    assert any(c.handles.get("github") for c in contacts)
    assert any(c.birthday and c.birthday.year is None for c in contacts)
    assert any(c.birthday and c.birthday.year for c in contacts)
    assert any(c.tags for c in contacts) and any(c.channels for c in contacts)
    assert len({c.timezone for c in contacts}) > 20
    assert any(c.organization for c in contacts) and any(c.title for c in contacts)
    for c in contacts:  # what the app's own validation would accept
        clean_fields(
            {
                "name": c.name,
                "email": c.email,
                "tags": c.tags,
                "handles": c.handles,
                "birthday": c.birthday,
                "stage": c.stage,
                "channels": c.channels,
                "cadence_days": c.cadence_days,
                "notes": c.notes,
            }
        )


def test_ascii_fold():
    assert ascii_fold("Zoë Łukasz Nguyễn Øystein Groß") == "Zoe Lukasz Nguyen Oystein Gross"


# ------------------------------------------------------------------------ notes


def test_notes_read_like_sentences_and_some_are_markdown(opened):
    generate(opened.backend, 150, 3000, now=NOW)
    texts = [t for (t,) in rows("SELECT note FROM touchpoint WHERE note != ''")]
    notes = [t for (t,) in rows("SELECT text FROM note")]
    assert len(texts) > 1000 and len(notes) == 375
    assert len(set(texts)) > 0.8 * len(texts), "varied, not a handful repeated"
    for text in texts[:200]:
        assert text[0].isupper() and text.rstrip()[-1] in ".!", text
        assert "{" not in text and "lorem" not in text.lower()
    assert any("**" in n and "\n- " in n for n in notes)
    assert any("\n" not in n for n in notes)
    assert all(not n.startswith("**") for n in notes), "the first line is context"


def test_notes_are_searchable(opened):
    from planner.services.search import search

    generate(opened.backend, 150, 3000, now=NOW)
    hits = search("review")
    assert hits and all("review" in h.snippet.lower() for h in hits)
    assert {h.type for h in search("talk", limit=200)} == {"touchpoint", "note"}
    mentioned = rows("SELECT note FROM touchpoint WHERE note LIKE '%EuroPython%'")
    assert mentioned and search("EuroPython", limit=500)


def test_the_focus_list_has_work_on_demo_data(opened):
    from planner.services.focus import focus_list

    generate(opened.backend, 150, 3000, now=NOW)
    result = focus_list(as_of=NOW)
    assert 0 < len(result.items) < 87
    assert {item.ring for item in result.items} >= {Ring.OUTER}


# -------------------------------------------------------------- refusals and api


def test_refuses_a_database_with_data(opened):
    from planner.services.contacts import add_contact

    add_contact(opened.backend, "Ada Lovelace")
    before = dump()
    with pytest.raises(InvalidInput, match="already has 1 contact"):
        generate(opened.backend, 10, 10, now=NOW)
    assert dump() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [((-1, 0), "contacts"), ((0, -5), "touchpoints"), ((0, 5), "need people")],
)
def test_refuses_impossible_sizes(opened, args, message):
    with pytest.raises(InvalidInput, match=message):
        generate(opened.backend, *args)
    assert rows("SELECT COUNT(*) FROM contact") == [(0,)]


def test_summary_and_default_now(opened):
    before = datetime.now(UTC).replace(microsecond=0)
    summary = generate(opened.backend, 20, 100, seed=5)
    assert before <= summary.now <= datetime.now(UTC)
    data = summary.as_dict()
    assert data["seed"] == 5 and data["touchpoints"] == 100 and data["seconds"] >= 0
    assert data["now"] == summary.now.isoformat()


def test_temporary_demo_database(tmp_path, monkeypatch, capsys):
    """What ``planner --demo`` opens, without opening a window."""
    import tempfile

    from planner.cli.demo import temporary_demo_database

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    path = temporary_demo_database()
    assert path.parent.parent == tmp_path and path.parent.name.startswith("planner-demo-")
    assert str(path) in capsys.readouterr().err
    handle = open_database(str(path))
    try:
        assert rows("SELECT COUNT(*) FROM contact") == [(150,)]
        assert rows("SELECT COUNT(*) FROM touchpoint") == [(3000,)]
    finally:
        handle.close()
