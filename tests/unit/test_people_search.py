"""The people list's search index (issue 23) finds exactly what the list's casefold
substring match found, in name order, for short and long needles alike."""

from __future__ import annotations

import pytest

from planner.services import contacts
from planner.storage import people_search
from planner.storage.contacts_repo import people_ids

NAMES = ["Ada Lovelace", "ada byron", "Émile Zola", "Zoë Ng", "Straße Müller", "O'Brien \"Bo\"",
         "Grace Hopper", "grace Kelly", "Linus"]


def test_the_index_matches_like_casefold_in_name_order(opened):
    for n, name in enumerate(NAMES):
        contacts.add_contact(opened.backend, name, email=f"p{n}@example.org",
                             tags=["speaker"] if n % 2 else [],
                             organization="Navy" if "Grace" in name else "")
    index = people_search.build()
    order = people_ids()
    everyone = {c.id: c for c in contacts.list_contacts()}
    for needle in ("a", "gr", "grace", "émile", "zoë", "STRASSE".casefold(), "müller", "navy",
                   "speaker", "\"bo\"", "o'b", "p1@", "zzz", "%", "_"):
        wanted = [cid for cid in order
                  if needle in " ".join((everyone[cid].name, everyone[cid].email,
                                         everyone[cid].organization,
                                         *everyone[cid].tags)).casefold()]
        assert index.match(needle) == wanted, needle


def test_stale_after_a_rename_or_a_removal(opened):
    ids = [contacts.add_contact(opened.backend, name).id for name in NAMES[:3]]
    index = people_search.build()
    assert not index.stale(ids)
    contacts.edit_contact(opened.backend, ids[0], name="Someone Else")
    assert index.stale([ids[0]])
    contacts.remove_contact(opened.backend, ids[1])
    assert index.stale([ids[1]])


def _wanted(rows, needle: str, exclude=()) -> list[int]:
    return [cid for cid, text in rows if needle in text and cid not in exclude]


def test_every_length_of_needle_and_any_script_is_exact_read_a_page_at_a_time(opened):
    names = [*NAMES, "Zhang 张伟", "Ümit 😀 Smile", "Ann\uffffa", "ab", "a"] + \
        [f"Person {n:03d} {'ann' if n % 3 else 'bob'}" for n in range(300)]
    for n, name in enumerate(names):
        contacts.add_contact(opened.backend, name, email=f"p{n}@example.org",
                             tags=["speaker"] if n % 7 else [])
    rows = people_search.read()
    index = people_search.PeopleIndex(rows)
    some = [rows[3][0], rows[100][0], rows[-1][0]]
    for needle in ("a", "an", "ann", "ann ", "p1", "@example.org", "张", "张伟", "😀", "😀 s",
                   "\uffff", "n\uffff", "ab", "b", " ", "person 2", "zz", "q", "speaker",
                   "person 299 ann p"):
        wanted = _wanted(rows, needle)
        hits = index.hits(needle)
        assert len(hits) == len(wanted), needle  # counted before anything is read
        assert hits[:5] == wanted[:5], needle
        assert list(hits) == wanted, needle
        assert index.match(needle) == wanted and index.count(needle) == len(wanted)
        if wanted:
            assert hits.index(wanted[-1]) == len(wanted) - 1 and wanted[-1] in hits
        excluded = index.hits(needle, exclude=some)
        assert list(excluded) == _wanted(rows, needle, some), needle
        assert len(excluded) == len(_wanted(rows, needle, some)), needle
        assert excluded.among(some) == set()
        assert index.among(needle, some) == {cid for cid in some if cid in wanted}


def test_a_search_typed_back_to_is_found_again(opened):
    for name in NAMES:
        contacts.add_contact(opened.backend, name)
    index = people_search.build()
    first = index.hits("gr")
    assert index.hits("gra") is not first
    assert index.hits("gr") is first  # erased back to "gr": nothing read again
    assert index.hits("gr", exclude=[1]) is not first


def test_a_build_goes_a_step_at_a_time_and_what_it_is_given_between_can_stop_it(
        opened, monkeypatch):
    """The window's build runs beside the GUI thread: it reads and inserts ``STEP`` lines
    at a time, asking ``between`` before each step (which waits, or raises to stop it);
    the index is the one built in one go."""
    names = [f"{('Ann', 'bo', 'Zoë')[n % 3]} {n:02d}" for n in range(25)]
    for n, name in enumerate(names):
        contacts.add_contact(opened.backend, name, email=f"p{n}@example.org")
    monkeypatch.setattr(people_search, "STEP", 10)
    asked = []
    index = people_search.build(between=lambda: asked.append(len(asked)))
    whole = people_search.build()
    for needle in ("a", "an", "ann 0", "zoë", "p2", "zz"):
        assert index.match(needle) == whole.match(needle), needle
    # 25 lines: three steps read, three inserted in each of the two tables (and each
    # stage asks once more before it finds nothing left)
    assert len(asked) == 3 * (3 + 1)

    class Enough(Exception):
        pass

    def stop_at_the_third_step():
        asked.append(None)
        if asked.count(None) == 3:
            raise Enough

    with pytest.raises(Enough):
        people_search.build(between=stop_at_the_third_step)
    assert asked.count(None) == 3


def test_a_pace_holds_a_build_till_the_moment_it_is_given_and_stops_it_when_told():
    import time

    from planner.services.people_index import BuildPace, BuildStopped

    pace = BuildPace()
    start = time.monotonic()
    pace()  # not held: goes on at once
    assert time.monotonic() - start < 0.1
    pace.hold_until(time.monotonic() + 0.2)
    pace.hold_until(time.monotonic() + 0.05)  # an earlier moment does not shorten it
    pace()
    assert time.monotonic() - start >= 0.2
    pace.stop()
    with pytest.raises(BuildStopped):
        pace()


def test_a_needle_longer_than_sqlite_takes_in_like_finds_nobody_not_an_error(opened):
    """The list's filter with a pasted 100,000 characters: SQLite refuses a LIKE pattern
    over 50,000 bytes; the list is simply empty, and a short needle still matches."""
    for name in NAMES:
        contacts.add_contact(opened.backend, name)
    assert people_ids(needle="a" * 100_000) == []
    assert people_ids(needle=("ada " * 20_000).strip()) == []
    assert len(people_ids(needle="ada")) == 2
