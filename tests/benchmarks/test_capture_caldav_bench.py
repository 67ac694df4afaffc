"""A CalDAV re-sync with nothing new (issue 24: under 0.5 s on loopback), against a bare
HTTP PROPFIND of the same calendar: a private Radicale holding 300 events, synced once;
then each round reads the source row and the password, signs in and asks for the
calendar's sync-token — one request — and finds nothing to do."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from tests.benchmarks.harness import Figure, fmt_value, median, p95, paired

EVENTS = 300
PROPFIND = ('<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" '
            'xmlns:cs="http://calendarserver.org/ns/"><d:prop><d:sync-token/><cs:getctag/>'
            '<d:resourcetype/></d:prop></d:propfind>')


def test_caldav_resync_with_nothing_new(benchmark, figures, tmp_path, opened, memory_keyring):
    import niquests

    from planner.services import capture, capture_sync
    from planner.services.contacts import add_contact
    from tests.helpers.radicale_server import PASSWORD, USER, Radicale
    from tests.sources.test_caldav_real import event, make_calendar

    server = Radicale(tmp_path / "radicale")
    server.configure()
    server.start()
    try:
        calendar = make_calendar(server)
        capture.set_own_addresses(opened.backend, [f"{USER}@example.org"])  # the organiser
        now = datetime.now(UTC).replace(microsecond=0)
        for n in range(EVENTS):
            add_contact(opened.backend, f"Person {n}", email=f"p{n}@example.org")
            calendar.save_event(event(f"e{n}", now - timedelta(days=1, minutes=n),
                                      attendees=(f"p{n}@example.org",)))
        source = capture_sync.add_caldav(opened.backend, server.calendar_url(), USER, PASSWORD,
                                         since=(now - timedelta(days=5)).date())
        assert capture.sync_source(opened.backend, source.id).proposed == EVENTS

        def resync() -> float:
            start = time.perf_counter()
            result = capture_sync.sync_caldav(opened.backend, capture.get_source(source.id))
            elapsed = time.perf_counter() - start
            assert result.batches == 0
            return elapsed

        def bare_propfind() -> float:
            start = time.perf_counter()
            with niquests.Session() as session:
                answer = session.request("PROPFIND", server.calendar_url(), data=PROPFIND,
                                         auth=(USER, PASSWORD),
                                         headers={"Depth": "0",
                                                  "Content-Type": "application/xml"})
            elapsed = time.perf_counter() - start
            assert answer.status_code == 207
            return elapsed

        m, b = paired(benchmark, resync, bare_propfind, rounds=30, warmup=3)
    finally:
        server.stop()
    figures.add(Figure(
        "24", f"CalDAV re-sync with nothing new ({EVENTS} events, Radicale on loopback: "
              "source row, keyring, one PROPFIND)",
        median(m), median(b), baseline_name="a bare PROPFIND (niquests, new session)",
        target="< 0.5 s", met=p95(m) < 0.5,
        detail=f"median of {len(m)}, p95 {fmt_value(p95(m))}"))
    assert p95(m) < 0.5
