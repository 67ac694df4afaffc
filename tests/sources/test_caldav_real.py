"""CalDAV capture against a real Radicale (tests/helpers/radicale_server.py): adding a
calendar tries it first (a wrong password, an address that is no calendar), events put
through the protocol are proposed, a re-sync with nothing new is one request, an event
edited, moved or deleted at the server updates or withdraws its proposal, a recurring
event's next occurrence is proposed once it has passed, a malformed event is one
sentence, a server that stops halfway keeps the batches stored and the next sync goes on,
and a self-signed certificate is refused until trusted by its fingerprint."""

from __future__ import annotations

import base64
import logging
import time
from datetime import UTC, datetime, timedelta

import caldav
import pytest

from planner.domain.capture_match import SourceKind
from planner.domain.errors import InvalidInput
from planner.services import capture, capture_sync
from planner.services.contacts import add_contact
from planner.sources.errors import (
    CertificateRefused,
    ConnectionDropped,
    ServerProblem,
    ServerUnreachable,
    SignInRefused,
)
from planner.sources.tls import show_fingerprint
from tests.helpers.radicale_server import PASSWORD, USER, Radicale
from tests.helpers.servers import free_port
from tests.helpers.stores import bound

NOW = datetime.now(UTC).replace(microsecond=0)
SINCE = (NOW - timedelta(days=20)).date()


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event(uid: str, start: datetime, *, minutes: int = 60, summary: str = "Mentoring",
          attendees: tuple[str, ...] = ("ann@example.org",), extra: str = "") -> str:
    people = "".join(f"ATTENDEE;CN={a.split('@')[0].title()}:mailto:{a}\r\n" for a in attendees)
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//planner tests//EN\r\n"
            f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:{stamp(NOW)}\r\nDTSTART:{stamp(start)}\r\n"
            f"DTEND:{stamp(start + timedelta(minutes=minutes))}\r\nSUMMARY:{summary}\r\n"
            f"ORGANIZER:mailto:{USER}@example.org\r\n{people}{extra}"
            "END:VEVENT\r\nEND:VCALENDAR\r\n")


def make_calendar(server: Radicale, name: str = "work", **client_options):
    """The test's own client (as another calendar program would be): makes the calendar
    and puts, edits and deletes events at the server."""
    client = caldav.DAVClient(server.base + "/", username=USER, password=PASSWORD,
                              **client_options)
    return client.principal().make_calendar(name=name, cal_id=name)


@pytest.fixture
def calendar(radicale):
    return make_calendar(radicale)


@pytest.fixture
def people(opened):
    capture.set_own_addresses(opened.backend, [f"{USER}@example.org"])  # the organiser: the user
    return {name: add_contact(opened.backend, name.title(), email=f"{name}@example.org")
            for name in ("ann", "bob", "carol")}


def add(server: Radicale, **kw):
    return capture_sync.add_caldav(bound(), server.calendar_url(), USER, PASSWORD, since=SINCE,
                                   **kw)


def statuses() -> dict[tuple[str, int | None], str]:
    return {(p.source_key, p.contact_id): p.status for p in capture.list_proposals(None)}


# ------------------------------------------------------------------------- adding


def test_adding_tries_the_calendar_first(radicale, calendar, opened, memory_keyring):
    with pytest.raises(SignInRefused) as refused:
        capture_sync.add_caldav(opened.backend, radicale.calendar_url(), USER, "wrong-password")
    assert str(refused.value) == (f"127.0.0.1:{radicale.port} refused the user name or "
                                  f"password of {USER}")
    with pytest.raises(ServerProblem, match="is not a calendar"):
        capture_sync.add_caldav(opened.backend, f"{radicale.base}/{USER}/", USER, PASSWORD)
    with pytest.raises(InvalidInput, match="unencrypted"):
        capture_sync.add_caldav(opened.backend, "http://dav.example.org/cal/", USER, PASSWORD)
    with pytest.raises(InvalidInput, match="leave the user name and password out"):
        capture_sync.add_caldav(opened.backend,
                                f"http://{USER}:{PASSWORD}@127.0.0.1:{radicale.port}/x/",
                                USER, PASSWORD)
    assert capture.list_sources() == [] and memory_keyring.store == {}

    source = add(radicale)
    assert source.kind == "caldav" and source.location == radicale.calendar_url()
    assert source.options["auth_type"] == "basic"
    assert PASSWORD not in repr(source) and list(memory_keyring.store.values()) == [PASSWORD]
    capture_sync.remove(opened.backend, source.id, SourceKind.CALDAV)
    assert capture.list_sources() == [] and memory_keyring.store == {}


def test_an_unreachable_server_is_one_sentence(opened, memory_keyring):
    port = free_port()
    with pytest.raises(ServerUnreachable) as unreachable:
        capture_sync.add_caldav(opened.backend, f"http://127.0.0.1:{port}/cal/", USER, PASSWORD)
    assert str(unreachable.value) == f"cannot reach 127.0.0.1:{port} (the connection was refused)"


# ------------------------------------------------------------------------ syncing


def test_sync_then_a_resync_with_nothing_new_is_one_request(tmp_path, opened, people, db_path,
                                                            memory_keyring, caplog):
    caplog.set_level(logging.DEBUG)  # every library's debug lines too
    server = Radicale(tmp_path / "radicale", log_level="info")
    server.configure()
    server.start()
    try:
        calendar = make_calendar(server)
        calendar.save_event(event("one", NOW - timedelta(days=2)))
        calendar.save_event(event("two", NOW - timedelta(days=1),
                                  attendees=("bob@example.org", "carol@example.org")))
        calendar.save_event(event("ahead", NOW + timedelta(days=3)))  # not yet
        source = add(server)
        first = capture.sync_source(bound(), source.id)
        assert first.proposed == 3 and first.problems == []
        assert {p.contact_id for p in capture.list_proposals()} == {p.id for p in
                                                                   people.values()}
        before = len(server.requests())
        again = capture.sync_source(bound(), source.id)
        assert again.batches == 0
        assert server.requests()[before:] == [("PROPFIND", f"/{USER}/work/")]
    finally:
        server.stop()
    # the password is in the keyring only: not in the log (nor as a Basic header), not in
    # the database
    assert PASSWORD not in caplog.text
    assert base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode() not in caplog.text
    opened.close()
    for path in (db_path, db_path.with_name(db_path.name + "-wal")):
        assert not path.exists() or PASSWORD.encode() not in path.read_bytes()


def test_edits_moves_and_deletes_at_the_server_update_and_withdraw(radicale, calendar, people,
                                                                   memory_keyring):
    start = NOW - timedelta(days=3)
    calendar.save_event(event("edit", start, summary="Coffee"))
    calendar.save_event(event("move", start, attendees=("bob@example.org",)))
    calendar.save_event(event("gone", start, attendees=("carol@example.org",)))
    source = add(radicale)
    capture.sync_source(bound(), source.id)
    keys = {p.contact_id: p.source_key for p in capture.list_proposals()}
    assert len(keys) == 3

    calendar.save_event(event("edit", start, summary="Coffee", minutes=90))
    moved = start + timedelta(hours=5)
    calendar.save_event(event("move", moved, attendees=("bob@example.org",)))
    calendar.event_by_uid("gone").delete()
    result = capture.sync_source(bound(), source.id)
    assert (result.updated, result.withdrawn, result.proposed) == (2, 1, 0)
    now = statuses()
    ann, bob, carol = (people[n].id for n in ("ann", "bob", "carol"))
    assert now[(keys[ann], ann)] == "pending" and now[(keys[bob], bob)] == "pending"
    assert [p.minutes for p in capture.list_proposals(contact_id=ann)] == [90]
    assert [p.at for p in capture.list_proposals(contact_id=bob)] == [moved]
    assert now[(keys[carol], carol)] == "withdrawn"

    # a recurring meeting: each occurrence is its own key; one moved away withdraws it
    weekly = start - timedelta(days=14)
    calendar.save_event(event("series", weekly, extra="RRULE:FREQ=WEEKLY;COUNT=3\r\n"))
    assert capture.sync_source(bound(), source.id).proposed == 3
    calendar.save_event(event("series", weekly + timedelta(hours=1),
                              extra="RRULE:FREQ=WEEKLY;COUNT=3\r\n"))
    moved_series = capture.sync_source(bound(), source.id)
    assert (moved_series.proposed, moved_series.withdrawn) == (3, 3)


def test_a_recurring_meeting_is_proposed_once_each_occurrence_has_passed(
        radicale, calendar, people, memory_keyring):
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=3)
    calendar.save_event(event("weekly", soon - timedelta(days=14),
                              extra="RRULE:FREQ=WEEKLY;COUNT=10\r\n"))
    source = add(radicale)
    assert capture.sync_source(bound(), source.id).proposed == 2  # two weeks ago, last week
    assert capture.sync_source(bound(), source.id).batches == 0  # the next one is still to come
    time.sleep(max(0.0, (soon - datetime.now(UTC)).total_seconds()) + 0.5)
    assert capture.sync_source(bound(), source.id).proposed == 1  # unchanged at the server, yet due
    assert sorted(p.at for p in capture.list_proposals()) == [
        soon - timedelta(days=14), soon - timedelta(days=7), soon]


def test_a_malformed_event_is_one_sentence_and_the_others_are_stored(radicale, calendar, people,
                                                                     memory_keyring):
    calendar.save_event(event("fine", NOW - timedelta(days=1)))
    # Radicale (vobject) takes this; no time zone is 99 hours off UTC
    calendar.save_event(event("broken", NOW - timedelta(days=1)).replace(
        f"DTSTART:{stamp(NOW - timedelta(days=1))}",
        f'DTSTART;TZID="(UTC+99:99) Nowhere":{stamp(NOW - timedelta(days=1))[:-1]}'))
    source = add(radicale)
    result = capture.sync_source(bound(), source.id)
    assert result.proposed == 1
    (problem,) = result.problems
    assert problem.startswith("event broken.ics: ") and problem.endswith(
        "was not read: its time zone cannot be read ((UTC+99:99) Nowhere)")
    assert "\n" not in result.problems[0]
    assert capture.sync_source(bound(), source.id).batches == 0  # not read again until it changes


def test_a_server_that_stops_halfway_keeps_what_was_stored_and_the_next_sync_goes_on(
        radicale, calendar, people, memory_keyring):
    for n in range(12):
        calendar.save_event(event(f"e{n}", NOW - timedelta(days=1, hours=n)))
    source = add(radicale)

    def stop_after_two(result):
        if result.batches == 2:
            radicale.stop()

    with pytest.raises(ConnectionDropped) as dropped:
        capture_sync.sync_caldav(bound(), capture.get_source(source.id), batch=4,
                                 on_batch=stop_after_two)
    assert str(dropped.value) == (f"the connection to 127.0.0.1:{radicale.port} broke off "
                                  "during the sync; what was read before is kept, sync again "
                                  "to go on")
    assert len(capture.list_proposals()) == 8  # two whole batches
    state = capture.get_source(source.id).state
    assert state["token"] is None and len(state["events"]) == 8  # not yet the new token

    radicale.start()
    rest = capture_sync.sync_caldav(bound(), capture.get_source(source.id), batch=4)
    assert rest.proposed == 4 and rest.unchanged == 8
    assert len(capture.list_proposals()) == 12
    assert capture.get_source(source.id).state["token"]


# --------------------------------------------------------------------- certificates


def test_a_self_signed_certificate_is_refused_until_trusted(tmp_path, opened, people,
                                                            memory_keyring):
    server = Radicale(tmp_path / "radicale", tls=True)
    server.configure()
    server.start()
    try:
        calendar = make_calendar(server, ssl_verify_cert=str(server.folder / "tls" /
                                                            "localhost.crt"))
        calendar.save_event(event("one", NOW - timedelta(days=1)))
        with pytest.raises(CertificateRefused) as refused:
            capture_sync.add_caldav(opened.backend, server.calendar_url(), USER, PASSWORD)
        shown = show_fingerprint(server.fingerprint)
        assert str(refused.value) == (
            f"The certificate of 127.0.0.1:{server.port} cannot be verified (self-signed "
            f"certificate); if you know it is the server's, trust it with "
            f"--trust-certificate {shown}")
        assert capture.list_sources() == [] and memory_keyring.store == {}

        source = capture_sync.add_caldav(opened.backend, server.calendar_url(), USER, PASSWORD,
                                         trusted=shown)
        assert source.options["trusted"] == server.fingerprint
        assert capture.sync_source(opened.backend, source.id).proposed == 1

        capture.set_source_options(opened.backend, source.id, trusted="ab" * 32)  # not the server's
        with pytest.raises(CertificateRefused, match="not the one you trusted"):
            capture.sync_source(opened.backend, source.id)
    finally:
        server.stop()
