"""Matching captured items to people (planner/domain/capture_match.py): every address a
person has, any case, plus-addressing folded; the user's own addresses are nobody; one
match per person; candidates only from small meetings."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from planner.domain.capture import Captured
from planner.domain.capture_match import CANDIDATE_LIMIT, address_index, candidate_name, matches

PEOPLE = [(1, ["ada@example.org", "ada.lovelace@engine.co.uk"]), (2, ["grace@navy.mil"]),
          (3, ["linus@kernel.org"])]
INDEX = address_index(PEOPLE)
locals_ = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789.", min_size=1, max_size=12)


def item(*addresses: str) -> Captured:
    return Captured("k", "meeting", datetime(2026, 12, 1, tzinfo=UTC), 30, "",
                    tuple((a, "") for a in addresses))


def variant(address: str, upper: list[bool], tag: str) -> str:
    local, _, domain = address.partition("@")
    text = f"{local}+{tag}@{domain}" if tag else address
    return "".join(c.upper() if u else c for c, u in zip(text, upper + [False] * len(text),
                                                             strict=False))


@given(st.sampled_from([a for _, addrs in PEOPLE for a in addrs]),
       st.lists(st.booleans(), max_size=40), st.sampled_from(["", "news", "x1"]),
       st.booleans())
def test_any_case_and_plus_tag_of_any_address_is_the_person(address, upper, tag, mailto):
    written = ("MAILTO:" if mailto else "") + variant(address, upper, tag)
    (match,) = matches(item(written), INDEX)
    assert match.contact_id == INDEX[address]


@given(st.lists(st.sampled_from(["ada@example.org", "ADA+x@example.org",
                                 "ada.lovelace@engine.co.uk", "grace@navy.mil",
                                 "me@home.org"]), min_size=1, max_size=8))
def test_one_match_per_person_and_never_the_user(addresses):
    found = matches(item(*addresses), INDEX, frozenset({"me@home.org"}))
    ids = [m.contact_id for m in found]
    assert len(ids) == len(set(ids))
    assert None not in ids  # the user is not a candidate either
    assert set(ids) == {INDEX.get(a.lower().replace("+x", "")) for a in addresses} - {None}


@given(st.lists(locals_, min_size=1, max_size=8, unique=True))
def test_strangers_are_candidates_only_in_small_meetings(names):
    strangers = [f"{n}@site.org" for n in names]
    found = matches(item("ada@example.org", *strangers), INDEX)
    candidates = [m for m in found if m.contact_id is None]
    others = len({f.lower() for f in strangers}) + 1
    assert found[0].contact_id == 1
    assert len(candidates) == (len(set(strangers)) if others <= CANDIDATE_LIMIT else 0)


def test_opaque_and_dotless_addresses_are_no_candidates_and_names_are_kept():
    found = matches(Captured("k", "meeting", datetime(2026, 12, 1, tzinfo=UTC), None, "", (
        ("x@virtual", "Contacts"), ("nobody@nowhere", ""), ("zoe.zed@site.org", "Zoë Zed"),
        ("bo@site.org", "bo@site.org"))), INDEX)
    assert [(m.candidate_email, m.candidate_name) for m in found] == [
        ("zoe.zed@site.org", "Zoë Zed"), ("bo@site.org", "")]
    assert [candidate_name(m) for m in found] == ["Zoë Zed", "Bo"]


def test_an_address_two_people_share_goes_to_the_first():
    index = address_index([(4, ["team@x.org"]), (5, ["Team@X.org"])])
    assert index == {"team@x.org": 4}
