"""Mail no one should have sent, read from a real Dovecot (tests/helpers/dovecot_server.py):
raw UTF-8 (RFC 6532) and 8-bit headers, encoded-words in unknown charsets or broken,
headers that the standard library's modern parser takes minutes over, 5,000 recipients,
a Date in the future or unreadable, group syntax, comments and quoted local parts, and a
Message-ID too long for a database index. Each costs at most itself: the sync goes on,
the rest is proposed, and a message with a wrong Date is still proposed once."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from planner.services import capture, capture_sync
from planner.services.contacts import add_contact
from tests.helpers.dovecot_server import PASSWORD, USER
from tests.helpers.stores import bound

NOW = datetime.now(UTC).replace(microsecond=0)
DAY = (NOW - timedelta(days=2)).replace(hour=10, minute=0, second=0)
SINCE = (NOW - timedelta(days=10)).date()
DATE = DAY.strftime("%a, %d %b %Y %H:%M:%S +0000").encode()


def raw(*headers: bytes, date: bytes | None = DATE) -> bytes:
    lines = [b"From: Me <mentor@example.org>", *headers]
    if date is not None:
        lines.append(b"Date: " + date)
    return b"\r\n".join([*lines, b"MIME-Version: 1.0", b"", b"A private body.", b""])


def source(dovecot):
    return capture_sync.add_imap(bound(), "127.0.0.1", USER, PASSWORD, port=dovecot.imaps,
                                 trusted=dovecot.fingerprint, since=SINCE)


def proposals() -> dict[str, list]:
    found: dict[str, list] = {}
    for p in capture.list_proposals(None):
        found.setdefault(p.candidate_email or p.contact_name, []).append(p)
    return found


def test_utf8_and_eight_bit_headers_and_odd_encoded_words_are_read_not_fatal(
        dovecot, mailbox, opened, memory_keyring):
    ann = add_contact(bound(), "Ann", email="ann@example.org")
    mails = [
        # RFC 6532: UTF-8 in the address itself and in the name, no encoded-words
        raw("To: Jörg Müller <jörg@bücher.example>, Ann <ann@example.org>".encode(),
            b"Message-ID: <utf8@me>", "Subject: Grüße".encode()),
        # 8-bit Latin-1 without any charset, and a name in a charset Python does not know
        raw(b"To: J\xf6rg <joerg@example.org>, =?x-unknown?Q?Bj=F6rn?= <bjorn@example.org>",
            b"Message-ID: <latin1@me>", b"Subject: Gr\xfc\xdfe"),
        # broken encoded-words: bad base64, an unfinished word, a KOI8-R subject
        raw(b"To: =?utf-8?B?@@@?= <carl@example.org>, =?utf-8?Q?broken <dora@example.org>",
            b"Message-ID: <broken@me>", b"Subject: =?koi8-r?B?8NLJ18XU?="),
    ]
    for mail in mails:
        mailbox.append("Sent", mail, msg_time=DAY)
    made = source(dovecot)

    result = capture.sync_source(bound(), made.id)
    assert result.problems == []
    found = proposals()
    assert [p.contact_id for p in found["Ann"]] == [ann.id]
    assert found["jörg@bücher.example"][0].contact_name == "Jörg Müller"
    assert found["joerg@example.org"][0].contact_name == "Jörg"  # Latin-1 read as such
    assert found["bjorn@example.org"][0].contact_name  # something readable, not lost
    assert {"carl@example.org", "dora@example.org"} <= set(found)
    for p in capture.list_proposals(None):  # all of it stored as text a database takes
        (p.contact_name + p.candidate_email + p.note).encode("utf-8")
    assert capture.get_source(made.id).state["folders"]["Sent"]["last_uid"] == 3


def test_headers_the_modern_parser_chokes_on_cost_well_under_a_second(dovecot, mailbox,
                                                                       opened,
                                                                       memory_keyring):
    add_contact(bound(), "Ann", email="ann@example.org")
    people = ", ".join(f"P{n} <p{n}@example.org>" for n in range(5000))
    mails = [
        raw(b"To: " + b"(c)" * 30000 + b" ann@example.org", b"Message-ID: <comments@me>"),
        raw(b"To: ann@example.org", b"Message-ID: <words@me>",
            b"Subject: " + b"=?utf-8?q?a?= " * 50000),
        raw(b"To: ann@example.org " + b"(" * 20000, b"Message-ID: <nested@me>"),
        raw(b"To: " + b"g:" * 5000 + b"ann@example.org;", b"Message-ID: <groups@me>"),
        raw(f"To: {people}, Ann <ann@example.org>".encode(), b"Message-ID: <crowd@me>"),
    ]
    for mail in mails:
        mailbox.append("Sent", mail, msg_time=DAY)
    made = source(dovecot)

    started = time.monotonic()
    result = capture.sync_source(bound(), made.id)
    took = time.monotonic() - started
    assert took < 20, took  # each of the first two took about a minute before
    assert result.problems == []
    ann_keys = {p.source_key for p in proposals()["Ann"]}
    day = DAY.date().isoformat()
    assert ann_keys == {f"imap:{name}@me:{day}"
                        for name in ("comments", "words", "nested", "groups", "crowd")}


def test_a_date_in_the_future_or_unreadable_takes_the_servers_time(dovecot, mailbox, opened,
                                                                   memory_keyring):
    ann = add_contact(bound(), "Ann", email="ann@example.org")
    dated = {
        "future": b"Mon, 05 Jan 2099 10:00:00 +0000",
        "garbage": b"yesterday-ish",
        "offcalendar": b"Fri, 31 Dec 9999 23:59:59 -2359",
        "nozone": DAY.strftime("%a, %d %b %Y %H:%M:%S").encode(),
        "missing": None,
    }
    for name, date in dated.items():
        mailbox.append("Sent", raw(b"To: ann@example.org", f"Message-ID: <{name}@me>".encode(),
                                   date=date), msg_time=DAY)
    made = source(dovecot)

    result = capture.sync_source(bound(), made.id)
    assert result.problems == [] and result.proposed == 5
    mine = capture.list_proposals(contact_id=ann.id)
    assert {p.at for p in mine} == {DAY}  # when the server got them
    assert capture.sync_source(bound(), made.id).batches == 0


def test_groups_comments_quoted_parts_and_ids_a_database_cannot_index(dovecot, mailbox, opened,
                                                                     memory_keyring):
    ann = add_contact(bound(), "Ann", email="ann@example.org")
    bob = add_contact(bound(), "Bob", email="bob@example.org")
    long_id = "x" * 5000 + "@me"
    mailbox.append("Sent", raw(b"To: undisclosed-recipients:;",
                               b"Bcc: Team: ann@example.org (Ann at work), \"Bob B.\" "
                               b"<bob@example.org>;", b"Message-ID: <group@me>"), msg_time=DAY)
    mailbox.append("Sent", raw(b"To: \"ann smith\"@example.org, Ann <ann@example.org>",
                               f"Message-ID: <{long_id}>".encode()), msg_time=DAY)
    made = source(dovecot)

    assert capture.sync_source(bound(), made.id).problems == []
    keys = {p.source_key for p in capture.list_proposals(contact_id=ann.id)}
    day = DAY.date().isoformat()
    assert f"imap:group@me:{day}" in keys and len(keys) == 2
    assert all(len(k) < 100 for k in keys)  # the long id as its digest
    assert [p.source_key for p in capture.list_proposals(contact_id=bob.id)] == [
        f"imap:group@me:{day}"]
