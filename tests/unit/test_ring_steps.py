"""Promote and demote rules (planner.domain.moves.plan_step): the window's keys and the
placement service ask the same function (issue 22: rules out of the widgets)."""

from __future__ import annotations

import pytest

from planner.domain.errors import InvalidInput
from planner.domain.moves import plan_step
from planner.domain.rings import Ring


@pytest.mark.parametrize(("ring", "up", "target"), [
    (None, True, Ring.OUTER),
    (Ring.OUTER, True, Ring.MIDDLE),
    (Ring.MIDDLE, True, Ring.INNER),
    (Ring.INNER, False, Ring.MIDDLE),
    (Ring.MIDDLE, False, Ring.OUTER),
    (Ring.OUTER, False, None),  # demoting from the outer ring takes them off the rings
])
def test_one_step_in_or_out(ring, up, target):
    assert plan_step("Ada", ring, up) is target


def test_no_step_beyond_the_inner_ring_or_below_unplaced():
    with pytest.raises(InvalidInput, match="Ada is already on the inner ring"):
        plan_step("Ada", Ring.INNER, up=True)
    with pytest.raises(InvalidInput, match="Ada is not on a ring"):
        plan_step("Ada", None, up=False)
