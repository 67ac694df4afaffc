"""people_ids(limit=n) (the people list's first fill, issue 23) gives the first n of
what people_ids gives, in every order and filter, on both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from planner.domain.rings import Ring
from planner.services import contacts, touchpoints
from planner.storage.contacts_repo import ORDER_LAST, ORDER_NAME, ORDER_RING, people_ids

NOW = datetime.now(UTC).replace(microsecond=0)


def test_the_first_n_of_each_order_and_filter(backend):
    for n in range(12):
        name = ("bo", "Ada", "cy", "ada", "Eve", "dee")[n % 6] + f" {n}"
        ring = (Ring.OUTER, None)[n % 2]
        person = contacts.add_contact(backend.backend, name, ring=ring, email=f"p{n}@example.org")
        if n % 4:
            touchpoints.log_touchpoint(backend.backend, person.id, "coffee",
                                       at=NOW - timedelta(days=n))
    for query in ({}, {"order": ORDER_NAME, "needle": "a"}, {"unplaced_only": True},
                  {"order": ORDER_RING, "descending": True}, {"order": ORDER_LAST},
                  {"order": ORDER_LAST, "descending": True, "needle": "e",
                   "unplaced_only": True}):
        everyone = people_ids(**query)
        assert everyone, query
        for n in (0, 1, 5, len(everyone), len(everyone) + 3):
            assert people_ids(**query, limit=n) == everyone[:n], (query, n)
