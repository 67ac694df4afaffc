"""A CalDAV server gone wrong (tests/helpers/fake_http.py, a real socket on 127.0.0.1):
HTTP errors with their status, a redirect loop, a redirect to a host the user
did not give (never followed: nothing is sent there), bodies that are not XML — each one
sentence, nothing stored, no password in it."""

from __future__ import annotations

import pytest

from planner.services import capture, capture_sync
from planner.sources.errors import ServerProblem
from tests.helpers.fake_http import FakeHTTP

XML = {"Content-Type": "application/xml; charset=utf-8"}


@pytest.fixture
def servers():
    made: list[FakeHTTP] = []

    def make(answer) -> FakeHTTP:
        made.append(FakeHTTP(answer))
        return made[-1]

    yield make
    for server in made:
        server.close()


def refusal(server: FakeHTTP, opened) -> str:
    with pytest.raises(ServerProblem) as refused:
        capture_sync.add_caldav(opened.backend, f"{server.base}/cal/", "me", "pw-123")
    text = str(refused.value)
    assert "\n" not in text and "pw-123" not in text
    assert capture.list_sources() == []
    return text


def test_an_http_error_says_its_status(servers, opened, memory_keyring):
    failing = servers(lambda m, p, b: (500, {"Content-Type": "text/html"}, b"<p>boom</p>"))
    assert refusal(failing, opened) == \
        f"127.0.0.1:{failing.port} answered with an error (HTTP 500)"
    assert memory_keyring.store == {}


def test_a_redirect_loop_is_one_sentence_after_a_few_requests(servers, opened,
                                                               memory_keyring):
    looping = servers(lambda m, p, b: (302, {"Location": p + "x/"}, b""))
    assert refusal(looping, opened) == \
        f"127.0.0.1:{looping.port} redirects in a loop; check the calendar's address"
    assert len(looping.requests) <= 6


def test_a_redirect_to_another_host_is_not_followed(servers, opened, memory_keyring):
    elsewhere = servers(lambda m, p, b: (207, XML, b"<x/>"))
    sending = servers(lambda m, p, b: (301, {"Location": f"{elsewhere.base}/cal/?a=b"}, b""))
    assert refusal(sending, opened) == (
        f"127.0.0.1:{sending.port} sends the calendar's requests to {elsewhere.base}/cal/; "
        "if that is right, add the calendar with that address (nothing was sent there)")
    assert elsewhere.requests == []  # no network beyond what the user gave


def test_a_body_that_is_not_xml_is_one_sentence(servers, opened, memory_keyring):
    html = servers(lambda m, p, b: (207, XML, b"<html><body>Sign in</body"))
    assert refusal(html, opened) == (
        f"127.0.0.1:{html.port} answered with something that is not CalDAV (not XML); check "
        "the calendar's address")
