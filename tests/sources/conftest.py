"""Real servers for the capture sources: Radicale (CalDAV) and Dovecot (IMAP), each a
private instance on 127.0.0.1 in the test's tmp folder, stopped at the end."""

from __future__ import annotations

import ssl

import pytest

from tests.helpers import dovecot_server, radicale_server


@pytest.fixture
def dovecot(tmp_path):
    server = dovecot_server.Dovecot(tmp_path / "dovecot")
    server.configure()
    server.start()
    yield server
    server.cleanup()


@pytest.fixture
def radicale(tmp_path):
    server = radicale_server.Radicale(tmp_path / "radicale")
    server.configure()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(dovecot):
    """An IMAP session as the test user (certificate not checked: the test's own server),
    to deliver mail with APPEND and to look at flags."""
    from imapclient import IMAPClient

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    client = IMAPClient("127.0.0.1", dovecot.imaps, ssl=True, ssl_context=context)
    client.login(dovecot_server.USER, dovecot_server.PASSWORD)
    yield client
    try:
        client.logout()
    except Exception:
        client.shutdown()
