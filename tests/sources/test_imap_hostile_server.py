"""An IMAP server that is not what the source expects: one that speaks no TLS (a real
socket on 127.0.0.1 greeting in plain text) never gets the password and is named in one
sentence that says what to change; a folder deleted at a real Dovecot since the source
was added is named once while the other folders are still read."""

from __future__ import annotations

import socketserver
import threading
from datetime import UTC, datetime, timedelta

import pytest

from planner.services import capture, capture_sync
from planner.services.contacts import add_contact
from planner.sources import imap_source
from planner.sources.errors import ServerProblem, ServerUnreachable
from tests.helpers.dovecot_server import PASSWORD, USER
from tests.helpers.stores import bound
from tests.sources.mail import message

NOW = datetime.now(UTC).replace(microsecond=0)
DAY = NOW - timedelta(days=2)


class PlainIMAP(socketserver.ThreadingTCPServer):
    """Greets and answers CAPABILITY without STARTTLS; keeps every line it was sent."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.lines: list[bytes] = []
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                self.wfile.write(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n")
                try:
                    for line in self.rfile:
                        owner.lines.append(line)
                        tag = line.split(b" ", 1)[0]
                        if b"CAPABILITY" in line.upper():
                            self.wfile.write(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n"
                                             + tag + b" OK done\r\n")
                        else:
                            self.wfile.write(tag + b" BAD no\r\n")
                except OSError:  # the client gave up (a TLS hello it could not use)
                    pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.port = self.server_address[1]
        threading.Thread(target=self.serve_forever, daemon=True).start()


@pytest.fixture
def plain():
    server = PlainIMAP()
    yield server
    server.shutdown()
    server.server_close()


def try_account(port: int, security: str) -> None:
    account = imap_source.make_account("127.0.0.1", port, "me", security, None)
    imap_source.check(account, "pw-123", [imap_source.Folder("INBOX", False)])


def test_starttls_that_is_not_offered_never_sends_the_password(plain):
    with pytest.raises(ServerProblem) as refused:
        try_account(plain.port, "starttls")
    assert str(refused.value) == \
        f"127.0.0.1:{plain.port} does not offer STARTTLS; use --security tls"
    assert not any(b"LOGIN" in line.upper() or b"pw-123" in line for line in plain.lines)


def test_tls_to_a_port_that_speaks_plain_text_says_what_to_change(plain):
    with pytest.raises(ServerUnreachable) as refused:
        try_account(plain.port, "tls")
    assert str(refused.value) == (
        f"127.0.0.1:{plain.port} answered without TLS; if it is a STARTTLS port (usually "
        "143), add it with --security starttls")
    assert not any(b"pw-123" in line for line in plain.lines)


def test_a_folder_deleted_since_is_named_and_the_others_are_read(dovecot, mailbox, opened,
                                                                memory_keyring):
    ann = add_contact(bound(), "Ann", email="ann@example.org")
    mailbox.create_folder("Archive")
    source = capture_sync.add_imap(bound(), "127.0.0.1", USER, PASSWORD, port=dovecot.imaps,
                                   trusted=dovecot.fingerprint, folders=["Archive"],
                                   inbox=True, since=(NOW - timedelta(days=10)).date())
    mailbox.delete_folder("Archive")
    mailbox.append("INBOX", message(sender="Ann <ann@example.org>", to=USER, when=DAY,
                                    msgid="hi@ann"), msg_time=DAY)

    result = capture.sync_source(bound(), source.id)
    assert result.problems == [
        f"127.0.0.1:{dovecot.imaps} has no folder named Archive: its mail was not read "
        "(remove the source and add it again to choose its folders)"]
    assert [p.contact_id for p in capture.list_proposals()] == [ann.id]
    again = capture.sync_source(bound(), source.id)  # said again while it is gone
    assert again.proposed == 0 and len(again.problems) == 1


def test_starttls_to_a_tls_port_says_what_to_change_after_the_greeting_wait(dovecot):
    """STARTTLS against the real Dovecot's TLS port: the server waits for a TLS hello, the
    client for a greeting. It waited the whole read timeout (30 s), then said only "it
    timed out"; now the greeting's wait, then what to change."""
    import time

    start = time.monotonic()
    with pytest.raises(ServerUnreachable) as refused:
        try_account(dovecot.imaps, "starttls")
    waited = time.monotonic() - start
    assert str(refused.value) == (
        f"127.0.0.1:{dovecot.imaps} did not greet within 10 s; if it is a TLS port (usually "
        "993), add it with --security tls")
    assert imap_source.GREETING_SECONDS - 1 < waited < imap_source.TIMEOUT
