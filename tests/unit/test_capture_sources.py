"""The plain parts of the CalDAV and IMAP sources: thread roots and subjects, certificate
fingerprints as people type them, CalDAV addresses (no credentials, no plain http to
another machine), and a message's headers made into an item."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from planner.domain.errors import InvalidInput
from planner.sources import caldav_source, imap_source, tls


def test_thread_root_prefers_references_then_in_reply_to_then_the_own_id():
    assert imap_source.thread_root("<c@x>", "<b@x>", "<a@x> <b@x>", "Re: Hi") == "a@x"
    assert imap_source.thread_root("<c@x>", "<b@x>", "", "Re: Hi") == "b@x"
    assert imap_source.thread_root("<c@x>", "", "", "Hi") == "c@x"
    reply = imap_source.thread_root("<d@x>", "", "", "Re: Hi there")
    again = imap_source.thread_root("<e@x>", "", "", "AW: WG:  hi   THERE")
    assert reply == again and reply.startswith("subject-") and "hi" not in reply


@pytest.mark.parametrize("subject, plain", [
    ("Re: Fwd: Lunch", "lunch"), ("[list] RE[2]: Lunch ", "lunch"), ("Lunch", "lunch"),
    ("SV: VS: Kaffe", "kaffe"), ("", "")])
def test_normalise_subject(subject, plain):
    assert imap_source.normalise_subject(subject) == plain


def test_fingerprints_are_read_however_they_are_written():
    digits = "ab" * 32
    shown = tls.show_fingerprint(digits)
    assert shown.startswith("AB:AB:") and len(shown) == 95
    for text in (digits, digits.upper(), shown, f"sha256:{shown}", f" {shown.lower()} "):
        assert tls.normalise_fingerprint(text) == digits
    with pytest.raises(InvalidInput, match="64 hexadecimal digits"):
        tls.normalise_fingerprint("AB:CD")


def test_caldav_addresses():
    assert caldav_source.clean_url("https://dav.example.org/cal/me/work") == \
        "https://dav.example.org/cal/me/work/"
    assert caldav_source.clean_url("http://127.0.0.1:5232/me/work/") == \
        "http://127.0.0.1:5232/me/work/"
    for bad, why in (("ftp://x/", "starts with https://"), ("dav.example.org", "https://"),
                     ("http://dav.example.org/x/", "unencrypted"),
                     ("https://me:pw@dav.example.org/x/", "leave the user name")):
        with pytest.raises(InvalidInput, match=why):
            caldav_source.clean_url(bad)


def test_a_message_becomes_an_item_of_its_thread_and_local_day():
    header = (b"From: Me <me@example.org>\r\nTo: Ann <ann@example.org>, bob@example.org\r\n"
              b"Cc: =?utf-8?q?Zo=C3=AB?= <zoe@example.org>\r\nSubject: Re: Plan\r\n"
              b"Date: Mon, 30 Nov 2026 23:30:00 +0000\r\nMessage-ID: <2@me>\r\n"
              b"References: <1@me>\r\n\r\n")
    key, item = imap_source.read_message(header, None, True, True, ZoneInfo("Europe/Berlin"))
    assert key == item.source_key == "imap:1@me:2026-12-01"  # already Tuesday in Berlin
    assert item.at == datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert item.addresses == (("ann@example.org", "Ann"), ("bob@example.org", ""),
                              ("zoe@example.org", "Zoë"))
    assert item.title == "Re: Plan" and item.kind == "email" and item.minutes is None
    _key, received = imap_source.read_message(header, None, False, False, UTC)
    assert received.addresses == (("me@example.org", "Me"),) and received.title == ""


def test_a_message_without_a_date_takes_the_servers_and_one_naming_nobody_is_left_out():
    arrived = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    _key, item = imap_source.read_message(b"To: ann@example.org\r\nDate: someday\r\n\r\n",
                                          arrived, True, False, UTC)
    assert item.at == arrived
    assert imap_source.read_message(b"To: undisclosed-recipients:;\r\n\r\n", arrived, True,
                                    False, UTC) is None
