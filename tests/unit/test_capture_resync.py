"""Re-syncing is idempotent (issue 24), as a property: whatever a calendar holds, reading
it again changes nothing; reading an edited version and then the first one again brings
every pending proposal back to what the first reading made."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.capture import Captured
from planner.services import capture, contacts
from planner.storage.models import CaptureProposalRow, db_proxy

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
ADDRESSES = ["ada@example.org", "ADA+x@example.org", "grace@navy.mil", "me@home.org",
             "zoe@site.org", "team@big.example", "nobody@nowhere"]

events = st.lists(st.builds(
    Captured,
    source_key=st.sampled_from([f"ics:{n}" for n in "abcdef"]),
    kind=st.sampled_from(["video", "coffee", "meeting", "bogus"]),
    at=st.integers(-40 * 24, 24).map(lambda h: NOW + timedelta(hours=h)),
    minutes=st.one_of(st.none(), st.integers(-5, 2000)),
    title=st.text(max_size=20),
    addresses=st.lists(st.tuples(st.sampled_from(ADDRESSES), st.sampled_from(["", "X"])),
                       max_size=6).map(tuple),
    cancelled=st.booleans()), max_size=8)


def state() -> list[tuple]:
    p = CaptureProposalRow
    return sorted(p.select(p.source_key, p.match_key, p.contact, p.kind, p.at, p.minutes,
                           p.note, p.status).tuples())


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=events, second=events)
def test_reading_the_same_calendar_again_changes_nothing(opened, first, second):
    if not contacts.list_contacts("all"):
        contacts.add_contact(opened.backend, "Ada", email="ada@example.org")
        contacts.add_contact(opened.backend, "Grace", email="grace@navy.mil")
    with db_proxy.atomic():
        CaptureProposalRow.delete().execute()
    source = capture.list_sources()[0].id if capture.list_sources() else capture.add_source(
        opened.backend, "ics", "Cal", "/cal.ics").id
    window = (NOW - timedelta(days=60), NOW)

    def read(items):
        return capture.apply_batch(opened.backend, source, items, window=window,
                                   own=["me@home.org"], at=NOW)

    read(first)
    after_first = state()
    again = read(first)
    assert (again.proposed, again.updated, again.withdrawn) == (0, 0, 0)
    assert state() == after_first
    read(second)
    read(first)
    pending_now = [r for r in state() if r[-1] == "pending"]
    assert pending_now == [r for r in after_first if r[-1] == "pending"]
