"""IMAP capture against a real Dovecot (tests/helpers/dovecot_server.py): TLS with a
self-signed certificate refused until trusted by fingerprint, the Sent folder found by
SPECIAL-USE, one item per thread per day, incremental by UID, read-only (flags and \\Seen
unchanged, no body fetched), a wrong password, and a connection dropped halfway."""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.domain.capture_match import SourceKind
from planner.domain.focus import local_zone
from planner.services import capture, capture_sync
from planner.services.contacts import add_contact
from planner.sources import imap_source
from planner.sources.errors import CertificateRefused, ConnectionDropped, SignInRefused
from planner.sources.tls import show_fingerprint
from tests.helpers.dovecot_server import PASSWORD, USER, Dovecot
from tests.helpers.servers import CuttingProxy
from tests.helpers.stores import bound
from tests.sources.mail import message

NOW = datetime.now(UTC).replace(microsecond=0)
DAY1 = (NOW - timedelta(days=3)).replace(hour=9, minute=0, second=0)
DAY2 = DAY1 + timedelta(days=1)
SINCE = (NOW - timedelta(days=10)).date()


def account(server: Dovecot, *, trusted: bool = True, security: str = "tls",
            port: int | None = None) -> imap_source.Account:
    port = port or (server.imaps if security == "tls" else server.imap)
    return imap_source.make_account("127.0.0.1", port, USER, security,
                                    server.fingerprint if trusted else None)


def read_all(server, folders, state=None, **kw):
    batches = list(imap_source.sync(account(server), PASSWORD, folders, SINCE, state,
                                    zone=kw.pop("zone", UTC), **kw))
    return batches


def sent() -> list[imap_source.Folder]:
    return [imap_source.Folder(imap_source.SENT, True)]


# ------------------------------------------------------------------- certificates


def test_a_self_signed_certificate_is_refused_until_its_fingerprint_is_trusted(
        dovecot, opened, memory_keyring):
    with pytest.raises(CertificateRefused) as refused:
        capture_sync.add_imap(opened.backend, "127.0.0.1", USER, PASSWORD, port=dovecot.imaps)
    text = str(refused.value)
    assert "cannot be verified" in text and "\n" not in text
    assert f"--trust-certificate {show_fingerprint(dovecot.fingerprint)}" in text
    assert PASSWORD not in text
    assert capture.list_sources() == [] and memory_keyring.store == {}

    source = capture_sync.add_imap(opened.backend, "127.0.0.1", USER, PASSWORD, port=dovecot.imaps,
                                   trusted=show_fingerprint(dovecot.fingerprint))
    assert source.kind == "imap" and source.options["trusted"] == dovecot.fingerprint
    assert PASSWORD not in repr(source)  # options hold the keyring account, not the secret
    assert list(memory_keyring.store.values()) == [PASSWORD]


def test_starttls_is_verified_and_pinned_too(dovecot, opened, memory_keyring):
    with pytest.raises(CertificateRefused) as refused:
        capture_sync.add_imap(opened.backend, "127.0.0.1", USER, PASSWORD, port=dovecot.imap,
                              security="starttls")
    assert show_fingerprint(dovecot.fingerprint) in str(refused.value)
    source = capture_sync.add_imap(opened.backend, "127.0.0.1", USER, PASSWORD, port=dovecot.imap,
                                   security="starttls", trusted=dovecot.fingerprint)
    assert source.options["security"] == "starttls"


def test_a_pinned_certificate_that_changed_is_refused(dovecot, opened, memory_keyring):
    other = "ab" * 32
    with pytest.raises(CertificateRefused) as refused:
        capture_sync.add_imap(opened.backend, "127.0.0.1", USER, PASSWORD, port=dovecot.imaps,
                              trusted=other)
    text = str(refused.value)
    assert "not the one you trusted" in text
    assert show_fingerprint(dovecot.fingerprint) in text
    assert capture.list_sources() == []


def test_a_wrong_password_is_one_sentence_and_stores_nothing(dovecot, opened,
                                                             memory_keyring):
    with pytest.raises(SignInRefused) as refused:
        capture_sync.add_imap(opened.backend, "127.0.0.1", USER, "not-the-password",
                              port=dovecot.imaps, trusted=dovecot.fingerprint)
    text = str(refused.value)
    assert text == f"127.0.0.1:{dovecot.imaps} refused the user name or password of {USER}"
    assert "not-the-password" not in text
    assert capture.list_sources() == [] and memory_keyring.store == {}


# ------------------------------------------------------------------------ folders


def test_the_sent_folder_is_found_by_special_use(tmp_path):
    server = Dovecot(tmp_path / "dovecot", sent_name="Gesendete Objekte")
    server.configure()
    server.start()
    try:
        with imap_source.Connection(account(server), PASSWORD) as conn:
            assert conn.resolve(imap_source.SENT) == "Gesendete Objekte"
            assert conn.resolve("INBOX") == "INBOX"
            from planner.sources.errors import ServerProblem

            with pytest.raises(ServerProblem, match="has no folder named Archive"):
                conn.resolve("Archive")
    finally:
        server.cleanup()


def test_without_special_use_the_sent_folder_is_found_by_its_usual_name(tmp_path):
    server = Dovecot(tmp_path / "dovecot", sent_name="Sent Items", special_use=False)
    server.configure()
    assert "special_use =" not in (server.root / "dovecot.conf").read_text()
    server.start()
    try:
        with imap_source.Connection(account(server), PASSWORD) as conn:
            assert conn.resolve(imap_source.SENT) == "Sent Items"
    finally:
        server.cleanup()


# ---------------------------------------------------------------- threads and days


def deliver_threads(mailbox) -> None:
    mailbox.append("Sent", message(to="Ann <ann@example.org>", subject="Mentoring plan",
                                   when=DAY1, msgid="plan@me"), msg_time=DAY1)
    # the same thread the same day, with Bob added: one item, both people
    mailbox.append("Sent", message(to="Ann <ann@example.org>", cc="bob@example.org",
                                   subject="Re: Mentoring plan", when=DAY1 + timedelta(hours=6),
                                   msgid="plan-2@me", references="<plan@me>",
                                   in_reply_to="<plan@me>"),
                   msg_time=DAY1 + timedelta(hours=6))
    # the same thread the next day: a second item
    mailbox.append("Sent", message(to="ann@example.org", subject="Re: Mentoring plan",
                                   when=DAY2, msgid="plan-3@me",
                                   references="<plan@me> <plan-2@me>"), msg_time=DAY2)
    # two replies without threading headers: their subject makes them one thread
    for hour, subject in ((1, "Re: Lunch?"), (2, "AW: RE:  lunch?")):
        mailbox.append("Sent", message(to="Carol <carol@example.org>", subject=subject,
                                       when=DAY1 + timedelta(hours=hour),
                                       msgid=f"lunch-{hour}@me"),
                       msg_time=DAY1 + timedelta(hours=hour))
    # older than the source's date: left out
    old = datetime.combine(SINCE - timedelta(days=5), datetime.min.time(), UTC)
    mailbox.append("Sent", message(to="ann@example.org", subject="Old", when=old,
                                   msgid="old@me"), msg_time=old)


def test_one_item_per_thread_per_day(dovecot, mailbox):
    deliver_threads(mailbox)
    items = {i.source_key: i for b in read_all(dovecot, sent()) for i in b.items}
    day1, day2 = DAY1.date().isoformat(), DAY2.date().isoformat()
    assert f"imap:plan@me:{day1}" in items and f"imap:plan@me:{day2}" in items
    plan = items[f"imap:plan@me:{day1}"]
    assert plan.kind == "email" and plan.minutes is None and plan.at == DAY1
    assert plan.addresses == (("ann@example.org", "Ann"), ("bob@example.org", ""))
    assert plan.title == ""  # the subject only with keep_subject
    lunch = [k for k in items if k.startswith("imap:subject-")]
    assert len(lunch) == 1 and items[lunch[0]].addresses == (("carol@example.org", "Carol"),)
    assert "lunch" not in lunch[0].lower()  # a hash: the subject is not stored in the key
    assert len(items) == 3

    kept = {i.source_key: i for b in read_all(dovecot, sent(), keep_subject=True)
            for i in b.items}
    assert kept[f"imap:plan@me:{day1}"].title == "Mentoring plan"


def test_the_day_is_the_users_local_day(dovecot, mailbox):
    late = DAY1.replace(hour=23, minute=30)  # 00:30 the next day in Berlin (winter)
    mailbox.append("Sent", message(to="ann@example.org", when=late, msgid="late@me"),
                   msg_time=late)
    berlin = [i.source_key for b in read_all(dovecot, sent(), zone=ZoneInfo("Europe/Berlin"))
              for i in b.items]
    utc = [i.source_key for b in read_all(dovecot, sent(), zone=UTC) for i in b.items]
    assert utc == [f"imap:late@me:{late.date().isoformat()}"]
    assert berlin == [f"imap:late@me:{(late.date() + timedelta(days=1)).isoformat()}"]


def test_received_mail_names_its_sender(dovecot, mailbox):
    mailbox.append("INBOX", message(sender="Dan <dan@example.org>", to=USER, when=DAY1,
                                    msgid="hi@dan"), msg_time=DAY1)
    items = [i for b in read_all(dovecot, [imap_source.Folder("INBOX", False)])
             for i in b.items]
    assert [(i.source_key, i.addresses) for i in items] == [
        (f"imap:hi@dan:{DAY1.date().isoformat()}", (("dan@example.org", "Dan"),))]


# ------------------------------------------------------------ incremental, read-only


def test_incremental_by_uid_and_read_only(dovecot, mailbox):
    mailbox.append("Sent", message(to="ann@example.org", when=DAY1, msgid="a@me"),
                   msg_time=DAY1)
    mailbox.append("Sent", message(to="bob@example.org", when=DAY1, msgid="b@me"),
                   flags=[b"\\Flagged"], msg_time=DAY1)
    mailbox.select_folder("Sent")
    before = mailbox.get_flags(mailbox.search("ALL"))
    assert all(b"\\Seen" not in flags for uid, flags in before.items()
               if b"\\Flagged" in flags) and before

    first = read_all(dovecot, sent())
    state = first[-1].state
    assert state["folders"]["Sent"]["last_uid"] == max(before)
    assert sum(len(b.items) for b in first) == 2

    assert read_all(dovecot, sent(), state) == []  # nothing new: no batch at all

    mailbox.append("Sent", message(to="carol@example.org", when=DAY2, msgid="c@me"),
                   msg_time=DAY2)
    again = read_all(dovecot, sent(), state)
    assert [b.total for b in again] == [1]
    assert [i.source_key for b in again for i in b.items] == [
        f"imap:c@me:{DAY2.date().isoformat()}"]

    mailbox.select_folder("Sent")
    after = mailbox.get_flags(mailbox.search("ALL"))
    def flags(found):  # \Recent belongs to a session, not to the message
        return {u: set(f) - {b"\\Recent"} for u, f in found.items() if u in before}

    assert flags(after) == flags(before)  # no \Seen, nothing changed
    assert all(b"\\Seen" not in f for f in after.values())
    # Dovecot's own account of each session: headers fetched, never a body
    sessions = re.findall(r"hdr_count=(\d+) hdr_bytes=\d+ body_count=(\d+)", dovecot.log())
    assert sessions and all(body == "0" for _hdr, body in sessions)
    assert any(int(hdr) > 0 for hdr, _body in sessions)


def test_a_new_uidvalidity_reads_the_folder_again_without_duplicates(dovecot, mailbox):
    mailbox.append("Sent", message(to="ann@example.org", when=DAY1, msgid="a@me"),
                   msg_time=DAY1)
    state = read_all(dovecot, sent())[-1].state
    state["folders"]["Sent"]["uidvalidity"] += 1  # as after the server rebuilt the folder
    again = read_all(dovecot, sent(), state)
    assert [i.source_key for b in again for i in b.items] == [
        f"imap:a@me:{DAY1.date().isoformat()}"]  # the same key: not proposed twice


# ------------------------------------------------------- through the services, drops


def test_sync_stores_proposals_for_known_people(dovecot, mailbox, opened, db_path,
                                                memory_keyring, caplog):
    caplog.set_level(logging.DEBUG)  # every library's debug lines too
    deliver_threads(mailbox)
    ann = add_contact(bound(), "Ann Example", email="ann@example.org")
    source = capture_sync.add_imap(bound(), "127.0.0.1", USER, PASSWORD, port=dovecot.imaps,
                                   trusted=dovecot.fingerprint, since=SINCE)
    result = capture.sync_source(bound(), source.id)
    assert result.proposed >= 2 and result.problems == []
    mine = capture.list_proposals(contact_id=ann.id)
    # Ann's thread, one item per day of the user's own zone (UTC in CI; DAY1's 09:00 and
    # 15:00 UTC fall on two days in Auckland), each at that day's first message
    firsts: dict = {}
    for at in (DAY1, DAY1 + timedelta(hours=6), DAY2):
        firsts.setdefault(at.astimezone(local_zone()).date(), at)
    assert sorted(p.at for p in mine) == sorted(firsts.values())
    assert all(p.kind == "email" and p.note == "" for p in mine)
    stored = capture.get_source(source.id)
    assert stored.state["folders"]["Sent"]["last_uid"] >= 5
    again = capture.sync_source(bound(), source.id)
    assert again.batches == 0  # one STATUS, nothing stored
    # the password is in the keyring only: not in the log, not in the database
    assert PASSWORD not in caplog.text
    opened.close()
    for path in (db_path, db_path.with_name(db_path.name + "-wal")):
        assert not path.exists() or PASSWORD.encode() not in path.read_bytes()


def test_a_connection_dropped_halfway_keeps_the_batches_stored_and_the_next_sync_resumes(
        dovecot, mailbox, opened, memory_keyring):
    people = [add_contact(bound(), f"Person {n}", email=f"p{n}@example.org") for n in range(12)]
    for n in range(12):
        when = DAY1 + timedelta(minutes=n)
        mailbox.append("Sent", message(to=f"p{n}@example.org", when=when, msgid=f"m{n}@me"),
                       msg_time=when)
    proxy = CuttingProxy(dovecot.imaps)
    try:
        source = capture_sync.add_imap(bound(), "127.0.0.1", USER, PASSWORD, port=proxy.port,
                                       trusted=dovecot.fingerprint, since=SINCE)
        # how many bytes a whole sync takes through the proxy, and signing in and finding
        # the folder alone (nothing stored): then a server that stops halfway through
        where = account(dovecot, port=proxy.port)
        list(imap_source.sync(where, PASSWORD, sent(), SINCE, None, batch=2))
        proxy.wait_for(2)
        imap_source.check(where, PASSWORD, sent())
        proxy.wait_for(3)
        whole, start = proxy.served[1], proxy.served[2]
        proxy.cut_after = start + (whole - start) // 2
        stored: list[int] = []
        with pytest.raises(ConnectionDropped) as dropped:
            capture_sync.sync_imap(bound(), capture.get_source(source.id), batch=2,
                                   on_batch=lambda r: stored.append(r.batches))
        assert proxy.cuts == 1
        assert "broke off during the sync" in str(dropped.value)
        assert "\n" not in str(dropped.value) and PASSWORD not in str(dropped.value)
        kept = capture.list_proposals()
        assert stored and len(kept) == 2 * stored[-1] < 12  # whole batches, nothing half
        last = capture.get_source(source.id).state["folders"]["Sent"]["last_uid"]
        assert last == 2 * stored[-1]

        proxy.cut_after = None
        progress: list[tuple[int, int]] = []
        rest = capture_sync.sync_imap(bound(), capture.get_source(source.id), batch=2,
                                      progress=lambda d, t: progress.append((d, t)))
        assert progress[-1] == (12 - last, 12 - last)  # only what was not stored yet
        assert rest.proposed == 12 - len(kept)
        assert {p.contact_id for p in capture.list_proposals()} == {p.id for p in people}
    finally:
        proxy.close()


def test_remove_forgets_the_source_and_its_password(dovecot, opened, memory_keyring):
    source = capture_sync.add_imap(opened.backend, "127.0.0.1", USER, PASSWORD, port=dovecot.imaps,
                                   trusted=dovecot.fingerprint)
    assert memory_keyring.store
    capture_sync.remove(opened.backend, source.id, SourceKind.IMAP)
    assert capture.list_sources() == [] and memory_keyring.store == {}


def test_since_defaults_to_thirty_days(dovecot, opened, memory_keyring):
    source = capture_sync.add_imap(opened.backend, "127.0.0.1", USER, PASSWORD, port=dovecot.imaps,
                                   trusted=dovecot.fingerprint)
    assert date.fromisoformat(source.options["since"]) == date.today() - timedelta(days=30)
