"""Ring rules: parsing, plan_move (full rings, swaps, reorders, unplacing) and a
property test that drives the placement services on a real database."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.errors import InvalidInput, RingFull
from planner.domain.moves import MovePlan, plan_move
from planner.domain.rings import (
    DEFAULT_CADENCE_DAYS,
    DEFAULT_CAPACITY,
    RING_ORDER,
    Ring,
    parse_ring,
    ring_label,
    validate_capacities,
)
from tests.helpers.stores import bound

# ------------------------------------------------------------------ basics


def test_defaults_are_the_pyramid():
    assert DEFAULT_CAPACITY == {Ring.INNER: 3, Ring.MIDDLE: 12, Ring.OUTER: 72}
    assert DEFAULT_CADENCE_DAYS == {Ring.INNER: 3, Ring.MIDDLE: 14, Ring.OUTER: 42}
    assert RING_ORDER == (Ring.INNER, Ring.MIDDLE, Ring.OUTER)


def test_depth_promotion_and_demotion():
    assert [r.depth for r in RING_ORDER] == [0, 1, 2]
    assert Ring.INNER.promoted() is None
    assert Ring.MIDDLE.promoted() is Ring.INNER
    assert Ring.OUTER.promoted() is Ring.MIDDLE
    assert Ring.INNER.demoted() is Ring.MIDDLE
    assert Ring.MIDDLE.demoted() is Ring.OUTER
    assert Ring.OUTER.demoted() is None
    assert ring_label(None) == "Unplaced"
    assert ring_label(Ring.MIDDLE) == "Middle"


@pytest.mark.parametrize(
    ("text", "ring"),
    [
        ("inner", Ring.INNER),
        (" INNER ", Ring.INNER),
        ("3", Ring.INNER),
        ("Middle", Ring.MIDDLE),
        ("12", Ring.MIDDLE),
        ("outer", Ring.OUTER),
        ("72", Ring.OUTER),
        ("none", None),
        ("unplaced", None),
        ("None", None),
    ],
)
def test_parse_ring(text, ring):
    assert parse_ring(text) is ring


def test_parse_ring_refuses_unknown_and_none_when_not_allowed():
    with pytest.raises(InvalidInput, match="unknown ring 'centre'"):
        parse_ring("centre")
    with pytest.raises(InvalidInput) as err:
        parse_ring("none", allow_none=False)
    assert "or none" not in str(err.value)
    assert "inner, middle, outer" in str(err.value)


@pytest.mark.parametrize("cap", [0, -1, 1001, "3", 2.5])
def test_validate_capacities_refuses_nonsense(cap):
    with pytest.raises(InvalidInput, match="capacity"):
        validate_capacities({Ring.INNER: cap})


def test_validate_capacities_accepts_sane_values():
    validate_capacities({Ring.INNER: 1, Ring.MIDDLE: 1000})


# --------------------------------------------------------------- plan_move

INNER3 = [(1, "Ada"), (2, "Grace"), (3, "Linus")]


def test_move_into_full_ring_is_refused_and_names_who_is_there():
    with pytest.raises(RingFull) as err:
        plan_move(
            contact_id=9,
            from_ring=Ring.MIDDLE,
            from_position=4,
            to_ring=Ring.INNER,
            occupants=INNER3,
            capacity=3,
        )
    message = str(err.value)
    for name in ("Ada", "Grace", "Linus"):
        assert name in message
    assert "inner" in message
    assert "3/3" in message
    assert "\n" not in message
    assert err.value.ring == "inner"
    assert err.value.occupants == ["Ada", "Grace", "Linus"]


def test_move_into_ring_with_room_goes_to_the_end():
    plan = plan_move(
        contact_id=9,
        from_ring=None,
        from_position=None,
        to_ring=Ring.INNER,
        occupants=INNER3[:2],
        capacity=3,
    )
    assert plan == MovePlan(9, None, Ring.INNER, 2)


def test_move_with_position_is_clamped_into_the_ring():
    kwargs = dict(contact_id=9, from_ring=None, from_position=None, to_ring=Ring.INNER, capacity=5)
    assert plan_move(occupants=INNER3, to_position=1, **kwargs).to_position == 1
    assert plan_move(occupants=INNER3, to_position=99, **kwargs).to_position == 3
    assert plan_move(occupants=INNER3, to_position=-5, **kwargs).to_position == 0


def test_capacity_is_a_parameter_not_a_constant():
    with pytest.raises(RingFull):
        plan_move(
            contact_id=9,
            from_ring=None,
            from_position=None,
            to_ring=Ring.OUTER,
            occupants=[(1, "Ada")],
            capacity=1,
        )


def test_swap_with_someone_on_a_full_ring_gives_them_the_movers_place():
    plan = plan_move(
        contact_id=9,
        from_ring=Ring.MIDDLE,
        from_position=4,
        to_ring=Ring.INNER,
        occupants=INNER3,
        capacity=3,
        swap_with=2,
    )
    assert plan.to_ring is Ring.INNER
    assert plan.to_position == 1  # Grace's slot
    assert plan.swap_with == 2
    assert plan.swap_to_ring is Ring.MIDDLE
    assert plan.swap_to_position == 4


def test_swap_from_unplaced_unplaces_the_other():
    plan = plan_move(
        contact_id=9,
        from_ring=None,
        from_position=None,
        to_ring=Ring.INNER,
        occupants=INNER3,
        capacity=3,
        swap_with=3,
    )
    assert plan.to_position == 2
    assert plan.swap_to_ring is None
    assert plan.swap_to_position is None


def test_swap_within_a_ring_trades_positions():
    plan = plan_move(
        contact_id=1,
        from_ring=Ring.INNER,
        from_position=0,
        to_ring=Ring.INNER,
        occupants=INNER3,
        capacity=3,
        swap_with=3,
    )
    assert plan.to_position == 2
    assert plan.swap_to_ring is Ring.INNER
    assert plan.swap_to_position == 0


def test_swap_refusals():
    base = dict(contact_id=1, from_ring=Ring.INNER, from_position=0, occupants=INNER3, capacity=3)
    with pytest.raises(InvalidInput, match="themselves"):
        plan_move(to_ring=Ring.INNER, swap_with=1, **base)
    with pytest.raises(InvalidInput, match="needs a ring"):
        plan_move(to_ring=None, swap_with=2, **base)
    with pytest.raises(InvalidInput, match="not on the inner ring"):
        plan_move(to_ring=Ring.INNER, swap_with=42, **base)


def test_reorder_within_a_full_ring_is_not_refused_and_is_clamped():
    base = dict(contact_id=1, from_ring=Ring.INNER, from_position=0, occupants=INNER3, capacity=3)
    assert plan_move(to_ring=Ring.INNER, to_position=1, **base).to_position == 1
    # only two others are there, so the last slot is 2
    assert plan_move(to_ring=Ring.INNER, to_position=50, **base).to_position == 2
    assert plan_move(to_ring=Ring.INNER, to_position=-1, **base).to_position == 0


def test_same_ring_without_a_position_keeps_the_place():
    plan = plan_move(
        contact_id=1,
        from_ring=Ring.INNER,
        from_position=0,
        to_ring=Ring.INNER,
        occupants=INNER3,
        capacity=3,
    )
    assert plan.to_position == 0


def test_reorder_in_an_over_capacity_ring_is_allowed():
    # capacity was lowered after people were placed: they can still be reordered
    plan = plan_move(
        contact_id=1,
        from_ring=Ring.INNER,
        from_position=0,
        to_ring=Ring.INNER,
        occupants=INNER3,
        capacity=1,
        to_position=2,
    )
    assert plan.to_position == 2


def test_unplace():
    plan = plan_move(
        contact_id=2,
        from_ring=Ring.INNER,
        from_position=1,
        to_ring=None,
        occupants=[],
        capacity=0,
    )
    assert plan == MovePlan(2, Ring.INNER, None, None)


# ------------------------------------- property: services on a real database

CAPS = {Ring.INNER: 2, Ring.MIDDLE: 3, Ring.OUTER: 4}
PEOPLE = 8

operation = st.one_of(
    st.tuples(
        st.just("move"),
        st.integers(0, PEOPLE - 1),
        st.sampled_from([*RING_ORDER, None]),
        st.none() | st.integers(-2, 8),
    ),
    st.tuples(
        st.just("swap"),
        st.integers(0, PEOPLE - 1),
        st.sampled_from(RING_ORDER),
        st.integers(0, PEOPLE - 1),
    ),
    st.tuples(st.just("unplace"), st.integers(0, PEOPLE - 1), st.none(), st.none()),
)


def _placement_table(path: Path) -> list[tuple[int, str, int]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT contact_id, ring, position FROM placement").fetchall()
    finally:
        conn.close()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=1, max_size=25))
def test_random_moves_keep_rings_consistent(ops):
    from planner.domain.errors import PlannerError
    from planner.services import contacts, placement
    from planner.services.settings import set_capacities
    from planner.storage.database import open_database
    from planner.storage.models import RingMoveRow

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "planner.db"
        handle = open_database(str(path))
        try:
            set_capacities(bound(), CAPS)
            ids = [contacts.add_contact(bound(), f"P{i}").id for i in range(PEOPLE)]
            ring_changes = 0
            for op, who, ring, extra in ops:
                mover = ids[who]
                before = {c.id: c.ring for c in contacts.list_contacts()}
                try:
                    if op == "move":
                        outcome = placement.move_contact(bound(), mover, ring, position=extra)
                    elif op == "swap":
                        outcome = placement.move_contact(bound(), mover, ring, swap_with=ids[extra])
                    else:
                        outcome = placement.move_contact(bound(), mover, None)
                except (RingFull, InvalidInput):
                    after_refusal = {c.id: c.ring for c in contacts.list_contacts()}
                    assert after_refusal == before, "a refused move changed something"
                    continue
                except PlannerError as exc:  # pragma: no cover - would be a bug
                    raise AssertionError(f"unexpected refusal: {exc}") from exc
                after = {c.id: c.ring for c in contacts.list_contacts()}
                changed = [cid for cid in ids if before[cid] != after[cid]]
                ring_changes += len(changed)
                assert len(outcome.history) == len(changed)
                if op == "swap" and before[mover] != ring:
                    # the other person took the mover's old ring
                    assert after[ids[extra]] == before[mover]
                    assert after[mover] == ring

                rows = _placement_table(path)
                assert len({cid for cid, _, _ in rows}) == len(rows), "placed twice"
                for r in RING_ORDER:
                    positions = sorted(pos for _, ring_, pos in rows if ring_ == r.value)
                    assert len(positions) <= CAPS[r], f"{r} over capacity"
                    assert positions == list(range(len(positions))), f"{r}: {positions}"
                fill = placement.ring_fill()
                for r in RING_ORDER:
                    assert fill[r] == (sum(1 for v in after.values() if v is r), CAPS[r])
            assert RingMoveRow.select().count() == ring_changes
        finally:
            handle.close()
