"""Touchpoint kinds: every kind, the aliases people type, and the refusal message."""

from __future__ import annotations

import pytest

from planner.domain.errors import InvalidInput
from planner.domain.kinds import KIND_KEYS, KIND_LABELS, PRIVATE_CHANNELS, Kind, parse_kind

ISSUE_KINDS = [
    "coffee",
    "im",
    "sms",
    "call",
    "video",
    "email",
    "meal",
    "in-person",
    "event",
    "collab",
    "amplify",
    "meeting",  # issue 24: what a captured calendar event is unless it says more
    "other",
]


def test_the_kinds_are_exactly_the_ones_the_issue_lists():
    assert [k.value for k in Kind] == ISSUE_KINDS


@pytest.mark.parametrize("word", ISSUE_KINDS)
def test_every_kind_parses_to_itself(word):
    assert parse_kind(word) is Kind(word)
    assert parse_kind(word.upper()) is Kind(word)
    assert parse_kind(f"  {word} ") is Kind(word)


@pytest.mark.parametrize(
    ("alias", "kind"),
    [
        ("skype", Kind.VIDEO),
        ("Skype", Kind.VIDEO),
        ("zoom", Kind.VIDEO),
        ("beer", Kind.MEAL),
        ("BEER", Kind.MEAL),
        ("lunch", Kind.MEAL),
        ("phone", Kind.CALL),
        ("text", Kind.SMS),
        ("slack", Kind.IM),
        ("in person", Kind.IN_PERSON),
        ("in_person", Kind.IN_PERSON),
        ("inperson", Kind.IN_PERSON),
        ("collaboration", Kind.COLLAB),
        ("conference", Kind.EVENT),
        ("mail", Kind.EMAIL),
    ],
)
def test_aliases(alias, kind):
    assert parse_kind(alias) is kind


@pytest.mark.parametrize("word", ["telepathy", "", "   ", "coffee!", "video call"])
def test_unknown_kind_is_refused_with_the_choices(word):
    with pytest.raises(InvalidInput) as err:
        parse_kind(word)
    message = str(err.value)
    assert message.startswith(f"unknown kind {word!r}")
    for kind in ISSUE_KINDS:
        assert kind in message
    assert "\n" not in message


def test_none_is_refused_not_crashed():
    with pytest.raises(InvalidInput):
        parse_kind(None)  # type: ignore[arg-type]


def test_every_kind_has_a_label_and_keys_are_unique():
    assert set(KIND_LABELS) == set(Kind)
    assert all(Kind(k).label for k in ISSUE_KINDS)
    assert Kind.IN_PERSON.label == "In person"
    keys = list(KIND_KEYS.values())
    assert len(keys) == len(set(keys))
    assert "N" not in keys  # N is for a note
    assert set(Kind) >= PRIVATE_CHANNELS
    assert Kind.MEAL in PRIVATE_CHANNELS
    assert Kind.AMPLIFY not in PRIVATE_CHANNELS
