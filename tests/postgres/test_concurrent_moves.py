"""Moves of one user from two processes at once (a laptop and a desktop), on both engines.

A move reads the rings and then rewrites positions; run at the same moment, two moves
must not interleave (duplicate positions, an overfull ring, a lost move). Afterwards:
every command succeeded or said one clear line, capacities hold, positions are 0..n-1,
and each person's ring-move history is one unbroken chain ending where they are.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import defaultdict

import pytest

from planner.domain.errors import ConflictError
from planner.domain.rings import Ring
from tests.helpers.cli import run_cli
from tests.helpers.stores import bound

NAMES = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov",
         "Donald Knuth", "Frances Allen"]
CAPACITY = {Ring.INNER: 2, Ring.MIDDLE: 3, Ring.OUTER: 4}


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_db(request, tmp_path):
    """(database spec of one user, contact ids): seven people, four placed, small rings."""
    if request.param == "sqlite":
        spec = str(tmp_path / "planner.db")
    else:
        from planner.storage.postgres import connection, users
        from tests.postgres.conftest import empty_tables

        pg = request.getfixturevalue("pg_initialised")
        empty_tables(pg)
        role = pg.role("mover")
        admin = connection.connect(pg.url())
        try:
            users.add_user(admin, role)
        finally:
            admin.close()
        spec = pg.url(role)
    return spec, _fill(spec)


def _fill(spec: str) -> list[int]:
    from planner.services import contacts, settings
    from planner.storage.database import open_database

    handle = open_database(spec)
    try:
        settings.set_capacities(bound(), CAPACITY)
        rings = [Ring.INNER, Ring.MIDDLE, Ring.MIDDLE, Ring.OUTER, None, None, None]
        return [contacts.add_contact(bound(), name, ring=ring).id
                for name, ring in zip(NAMES, rings, strict=True)]
    finally:
        handle.close()


def _check_consistent(spec: str) -> dict[int, str | None]:
    """The invariants; returns contact → ring."""
    from planner.storage import contacts_repo as repo
    from planner.storage.database import open_database
    from planner.storage.models import RingMoveRow

    handle = open_database(spec)
    try:
        placed = repo.placements()
        moves = [(m.contact_id, m.from_ring, m.to_ring) for m in
                 RingMoveRow.select().where(RingMoveRow.owner == repo.who())
                 .order_by(RingMoveRow.id)]
    finally:
        handle.close()
    by_ring: dict[str, list[int]] = defaultdict(list)
    for ring, position in placed.values():
        by_ring[ring].append(position)
    for ring, positions in by_ring.items():
        assert sorted(positions) == list(range(len(positions))), (ring, positions)
        assert len(positions) <= CAPACITY[Ring(ring)], (ring, positions)
    where: dict[int, str | None] = defaultdict(lambda: None)
    for contact, from_ring, to_ring in moves:
        assert from_ring == where[contact], ("a lost move", contact, from_ring, where[contact])
        where[contact] = to_ring
    for contact in set(where) | set(placed):
        assert where[contact] == (placed[contact][0] if contact in placed else None), contact
    return {cid: ring for cid, (ring, _) in placed.items()}


def _clear(result: subprocess.CompletedProcess) -> None:
    """Success, or a refusal in one line: never a traceback or an unexpected error."""
    text = result.stdout + result.stderr
    assert result.returncode in (0, 1), (result.returncode, text)
    assert "Traceback" not in text and "unexpected error" not in text, text
    if result.returncode == 1:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("planner: "), result.stderr
        assert "busy" not in lines[0], lines[0]  # the second move waits for the first


def _together(jobs: list) -> list:
    """Run the callables in parallel threads, started at the same moment."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        barrier.wait()
        results[i] = job()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    return results


def test_two_command_lines_moving_the_same_people_at_once(shared_db):
    spec, _ = shared_db
    rings = ["inner", "middle", "outer", "none"]

    def worker(seed: int):
        def run():
            out = []
            for i in range(15):
                name = NAMES[(seed * 3 + i * 5) % len(NAMES)]
                out.append(run_cli("contacts", "move", name, rings[(seed + i) % 4], db=spec))
            return out
        return run

    results = [r for batch in _together([worker(0), worker(1)]) for r in batch]
    for result in results:
        _clear(result)
    assert sum(r.returncode == 0 for r in results) >= 10  # most moves happened
    _check_consistent(spec)


HAMMER = """
import random, sys
from planner.domain.errors import PlannerError
from planner.domain.rings import Ring
from planner.services import placement
from planner.storage import contacts_repo as repo
from planner.storage.database import open_database

spec, seed, ids = sys.argv[1], int(sys.argv[2]), [int(x) for x in sys.argv[3].split(",")]
handle = open_database(spec)
rng = random.Random(seed)
print("ready", flush=True)
sys.stdin.readline()
done = refused = conflicts = busy = 0
for _ in range(120):
    mover, ring = rng.choice(ids), rng.choice([Ring.INNER, Ring.MIDDLE, Ring.OUTER, None])
    seen = repo.placements().get(mover)  # what this "window" shows, read outside the move
    seen = Ring(seen[0]) if seen else None
    others = [cid for cid, _ in repo.ring_members(ring)] if ring else []
    swap = rng.choice(others) if others and rng.random() < 0.3 else None
    try:
        placement.move_contact(handle.backend, mover, ring,
                               swap_with=swap if swap != mover else None,
                               position=rng.choice([None, 0, 1]), expect_ring=seen)
        done += 1
    except PlannerError as exc:
        conflicts += "meanwhile" in str(exc)
        busy += "busy" in str(exc)
        refused += 1
handle.close()
print(done, refused, conflicts, busy)
"""


def test_two_processes_hammering_moves_stay_consistent(shared_db):
    """Many moves per process with no start-up in between: the transactions really overlap.
    Each move checks where its process last saw the person (``expect_ring``)."""
    spec, ids = shared_db
    procs = [
        subprocess.Popen([sys.executable, "-c", HAMMER, spec, str(seed), ",".join(map(str, ids))],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
        for seed in (1, 2)
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    outputs = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
        assert err == "", err
    counts = [[int(n) for n in out.split()] for out, _ in outputs]
    assert sum(c[0] for c in counts) >= 60, outputs  # most moves happened
    assert sum(c[3] for c in counts) == 0, outputs  # the second move waited, never "busy"
    _check_consistent(spec)


# ------------------------------------------------------------------ expect_ring


def test_a_move_from_a_stale_view_is_a_conflict_and_changes_nothing(backend):
    from planner.services import contacts, placement
    from planner.storage import contacts_repo as repo

    ada = contacts.add_contact(backend.backend, "Ada Lovelace", ring=Ring.OUTER)
    placement.move_contact(backend.backend, ada.id, Ring.MIDDLE)  # "another window"
    before = repo.placement_snapshot()
    with pytest.raises(ConflictError) as err:
        placement.move_contact(backend.backend, ada.id, Ring.INNER, expect_ring=Ring.OUTER)
    assert str(err.value) == (
        "Ada Lovelace was moved meanwhile (in another window or on another computer) and is "
        "now on the middle ring; nothing was changed")
    assert repo.placement_snapshot() == before
    placement.move_contact(backend.backend, ada.id, None)
    with pytest.raises(ConflictError, match="is now unplaced; nothing was changed"):
        placement.move_contact(backend.backend, ada.id, Ring.INNER, expect_ring=Ring.MIDDLE)
    outcome = placement.move_contact(backend.backend, ada.id, Ring.INNER, expect_ring=None)
    assert outcome.changed and contacts.get_contact(ada.id).ring is Ring.INNER


def test_a_swap_whose_partner_left_the_ring_is_a_conflict(backend):
    from planner.services import contacts, placement
    from planner.storage import contacts_repo as repo

    ada = contacts.add_contact(backend.backend, "Ada Lovelace", ring=Ring.OUTER)
    grace = contacts.add_contact(backend.backend, "Grace Hopper", ring=Ring.INNER)
    placement.move_contact(backend.backend, grace.id, Ring.MIDDLE)  # meanwhile, elsewhere
    before = repo.placement_snapshot()
    with pytest.raises(ConflictError, match=r"Grace Hopper was moved meanwhile .* middle ring, so "
                                            r"cannot swap with Ada Lovelace"):
        placement.move_contact(backend.backend, ada.id, Ring.INNER, swap_with=grace.id,
                               expect_ring=Ring.OUTER)
    assert repo.placement_snapshot() == before
    outcome = placement.move_contact(backend.backend, ada.id, Ring.MIDDLE, swap_with=grace.id,
                                     expect_ring=Ring.OUTER)
    assert outcome.plan.swap_with == grace.id
    assert contacts.get_contact(grace.id).ring is Ring.OUTER


def test_a_move_without_expect_ring_is_not_checked(backend):
    from planner.services import contacts, placement

    ada = contacts.add_contact(backend.backend, "Ada Lovelace", ring=Ring.OUTER)
    placement.move_contact(backend.backend, ada.id, Ring.MIDDLE)
    assert placement.move_contact(backend.backend, ada.id, Ring.INNER).changed
    assert repr(placement.UNCHECKED) == "UNCHECKED"
