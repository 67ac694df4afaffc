"""Capture (issue 24): 10,000 calendar events matched against 10,000 people and stored as
proposals in one transaction (target: under 2 s), a re-sync that finds them all known,
and reading a 10,000-event .ics file; each beside a floor measured in the same run."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta

import pytest

from planner.domain.capture import Captured
from tests.benchmarks.harness import Figure, median, paired
from tests.helpers.stores import bound

PEOPLE = EVENTS = 10_000
NOW = datetime.now(UTC).replace(microsecond=0)


def _items() -> list[Captured]:
    """One event a person, every 4 minutes back from now: the person by a second address
    (plus-tagged, upper case), the user, and a stranger in a big meeting now and then."""
    items = []
    for i in range(EVENTS):
        who = (f"Person{i}+cal@Example.org", f"Person {i}")
        extra = ((f"guest{i}@elsewhere.org", ""),) * (i % 7 == 0)
        items.append(Captured(f"ics:ev-{i}@bench", "video", NOW - timedelta(minutes=4 * i + 60),
                              30, f"Sync {i}", (("me@home.org", "Me"), who, *extra)))
    return items


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    """A database with 10,000 people, each with a primary and a second address."""
    from planner.storage.database import open_database
    from planner.storage.models import ContactRow, db_proxy

    path = tmp_path_factory.mktemp("capture") / "people.db"
    handle = open_database(str(path))
    stamp = datetime.now(UTC)
    rows = [{"name": f"Person {i}", "email": f"p{i}@work.example",
             "handles": {"email-2": f"person{i}@example.org"}, "created_at": stamp,
             "updated_at": stamp} for i in range(PEOPLE)]
    with db_proxy.atomic():
        for start in range(0, PEOPLE, 500):
            ContactRow.insert_many(rows[start:start + 500]).execute()
    yield path, handle
    handle.close()


def _floor(tmp_path, counter):
    """The floor: a dict of 10,000 lower-cased addresses, one lookup per attendee, and
    plain sqlite3 executemany of 10,000 rows (WAL, synchronous=FULL) in one transaction."""
    index = {f"person{i}@example.org": i for i in range(PEOPLE)}
    items = _items()
    path = tmp_path / f"floor-{next(counter)}.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("PRAGMA synchronous=2")
    conn.execute("CREATE TABLE proposal (id INTEGER PRIMARY KEY, key TEXT, contact INTEGER, "
                 "at TEXT, minutes INTEGER, note TEXT, UNIQUE (key, contact))")
    start = time.perf_counter()
    rows = []
    for item in items:
        for address, _name in item.addresses:
            local, _, domain = address.lower().rpartition("@")
            found = index.get(f"{local.split('+')[0]}@{domain}")
            if found is not None:
                rows.append((item.source_key, found, item.at.isoformat(), item.minutes,
                             item.title))
    with conn:
        conn.executemany("INSERT INTO proposal (key, contact, at, minutes, note) "
                         "VALUES (?, ?, ?, ?, ?)", rows)
    elapsed = time.perf_counter() - start
    conn.close()
    assert len(rows) == EVENTS
    return elapsed


def test_match_10k_events_against_10k_people(benchmark, figures, network, tmp_path):
    from planner.services import capture
    from planner.storage.models import CaptureProposalRow, db_proxy

    _path, handle = network
    items = _items()
    counter = iter(range(1000))

    def matching() -> float:
        db_proxy.initialize(handle.db)
        with db_proxy.atomic():
            CaptureProposalRow.delete().execute()  # a fresh inbox (not timed)
        start = time.perf_counter()
        result = capture.apply_batch(bound(), None, items, own=["me@home.org"], at=NOW)
        elapsed = time.perf_counter() - start
        assert result.proposed == EVENTS + len(range(0, EVENTS, 7))  # strangers of small ones
        return elapsed

    m, b = paired(benchmark, matching, lambda: _floor(tmp_path, counter), rounds=3)
    figures.add(Figure(
        "24a", "Capture: 10,000 calendar events matched against 10,000 people, stored as "
        "proposals (one transaction)", median(m), median(b),
        baseline_name="dict lookup + sqlite3 executemany of the matches",
        target="< 2 s", met=median(m) < 2.0, detail=f"median of {len(m)}"))


def test_resync_10k_events_all_known(benchmark, figures, network, tmp_path):
    from planner.services import capture
    from planner.storage.models import CaptureProposalRow, db_proxy

    _path, handle = network
    items = _items()
    counter = iter(range(1000))
    db_proxy.initialize(handle.db)
    with db_proxy.atomic():
        CaptureProposalRow.delete().execute()
    capture.apply_batch(bound(), None, items, own=["me@home.org"], at=NOW)  # the first sync

    def resync() -> float:
        db_proxy.initialize(handle.db)
        start = time.perf_counter()
        result = capture.apply_batch(bound(), None, items, own=["me@home.org"], at=NOW)
        elapsed = time.perf_counter() - start
        assert result.proposed == 0 and result.unchanged >= EVENTS
        return elapsed

    m2, b2 = paired(benchmark, resync, lambda: _floor(tmp_path, counter), rounds=3)
    figures.add(Figure(
        "24b", "Capture: the same 10,000 events synced again (all already proposed)",
        median(m2), median(b2), baseline_name="dict lookup + sqlite3 executemany of the matches",
        target="< 2 s", met=median(m2) < 2.0, detail=f"median of {len(m2)}"))


def _calendar(events: int, spread_days: float) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN"]
    step = timedelta(days=spread_days) / events
    for i in range(events):
        start = NOW - timedelta(hours=1) - step * i
        end = start + timedelta(minutes=30)
        lines += ["BEGIN:VEVENT", f"UID:ev-{i}@bench", "DTSTAMP:20260101T000000Z",
                  f"DTSTART:{start.strftime('%Y%m%dT%H%M%SZ')}",
                  f"DTEND:{end.strftime('%Y%m%dT%H%M%SZ')}", f"SUMMARY:Sync {i}",
                  "ORGANIZER;CN=Me:mailto:me@home.org",
                  f"ATTENDEE;CN=Person {i};PARTSTAT=ACCEPTED:mailto:person{i}@example.org",
                  "END:VEVENT"]
    return ("\r\n".join([*lines, "END:VCALENDAR", ""])).encode()


@pytest.mark.parametrize(("key", "days", "what"), [
    ("24c", 28, "all 10,000 in the 30-day window"),
    ("24d", 3 * 365, "spread over 3 years, the last 30 days read"),
])
def test_read_a_10k_event_calendar(benchmark, figures, key, days, what):
    import icalendar

    from planner.importers.ics_events import read_ics

    data = _calendar(EVENTS, days)
    since = NOW - timedelta(days=30)

    def reading() -> float:
        start = time.perf_counter()
        found = read_ics(data, since, NOW)
        elapsed = time.perf_counter() - start
        assert len(found.items) == (EVENTS if days < 30 else pytest.approx(274, abs=3))
        return elapsed

    def parse_only() -> float:
        start = time.perf_counter()
        icalendar.Calendar.from_ical(data)
        return time.perf_counter() - start

    m, b = paired(benchmark, reading, parse_only, rounds=3)
    figures.add(Figure(
        key, f"Capture: read a 10,000-event .ics, {what}", median(m), median(b),
        baseline_name="icalendar.Calendar.from_ical of the whole file", target="report only",
        detail=f"median of {len(m)}"))
