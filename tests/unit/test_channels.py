"""The one rule for how to reach someone (planner.domain.channels): This week's
suggestion, a person's preferred channel, the log dialog from This week, a thank-you."""

from __future__ import annotations

from planner.domain.channels import preferred_channel, touch_kind
from planner.domain.contact import Contact


def person(**fields) -> Contact:
    return Contact(id=1, name="Ada", **fields)


def test_the_first_named_channel_is_preferred_in_lower_case():
    assert preferred_channel(person(channels=(" ", "Slack", "email"))) == "slack"


def test_without_channels_email_then_a_handle_then_the_phone():
    assert preferred_channel(person(email="ada@example.org", phones=("+1 555",))) == "email"
    assert preferred_channel(person(handles={"GitHub": "ada", "x": ""})) == "github"
    assert preferred_channel(person(phones=("+1 555",))) == "phone"
    assert preferred_channel(person()) == ""


def test_the_touch_kind_is_the_first_channel_that_names_a_kind():
    assert touch_kind(person(channels=("linkedin", "phone", "email"))) == "call"
    assert touch_kind(person(channels=("Slack",))) == "im"


def test_channels_that_name_no_kind_mean_a_message():
    assert touch_kind(person(channels=("github",), email="ada@example.org")) == "im"


def test_without_channels_email_when_there_is_an_address_else_the_default():
    assert touch_kind(person(email="ada@example.org")) == "email"
    assert touch_kind(person()) == "coffee"
    assert touch_kind(person(), default="im") == "im"


def test_the_log_from_this_week_opens_as_the_suggestion_reaches_them():
    """The suggestion said "Reach out by email" (no IM address) while the log opened as
    IM, the first channel: both follow ``reachable`` now."""
    from planner.domain.focus import suggested_kind

    no_im_address = person(channels=("im", "email"), email="ada@example.org")
    assert suggested_kind(no_im_address) == "email"
    assert suggested_kind(person(channels=("im",), handles={"slack": "@ada"})) == "im"
    assert suggested_kind(person(channels=("phone",), phones=("+1 555",))) == "call"
    assert suggested_kind(person(channels=("linkedin",), handles={"linkedin": "ada"})) == "im"
    assert suggested_kind(person(email="ada@example.org")) == "email"
    assert suggested_kind(person()) == "coffee"
