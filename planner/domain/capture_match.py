"""Matching captured meetings and mail to people, and what the review inbox shows
(issue 24). Plain Python: no Qt, no peewee, no I/O.

A :class:`~planner.domain.capture.Captured` item names the other people by address;
matching turns it into one :class:`Match` per person it involves: a known person (by
any of their addresses, case-insensitive, plus-addressing folded) or, for an address
nobody has, a candidate new person. The user's own addresses are nobody.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from planner.domain.capture import Captured, fold_address


class ProposalStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # cancelled or gone at the source before it was reviewed


class SourceKind(StrEnum):
    ICS = "ics"
    CALDAV = "caldav"
    IMAP = "imap"


@dataclass(frozen=True)
class Match:
    """One person an item involves: ``contact_id``, or a candidate (name, address)."""

    match_key: str  # "contact:<id>" or "email:<folded address>": one proposal per person
    contact_id: int | None
    candidate_name: str = ""
    candidate_email: str = ""


@dataclass(frozen=True)
class Source:
    id: int
    kind: str
    label: str
    location: str
    username: str
    options: dict
    state: dict
    last_sync_at: datetime | None
    created_at: datetime
    owner: str = ""

    @property
    def auto_accept(self) -> bool:
        return bool(self.options.get("auto_accept"))


@dataclass(frozen=True)
class Proposal:
    id: int
    source_id: int | None
    source_key: str
    contact_id: int | None
    contact_name: str  # the person's name, or the candidate's
    candidate_email: str
    kind: str
    at: datetime
    minutes: int | None
    note: str
    status: str
    touchpoint_id: int | None
    source_label: str = ""

    @property
    def is_candidate(self) -> bool:
        """A new person to add (not yet in the network) rather than a known one."""
        return self.contact_id is None


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: str, limit: int) -> str:
    """What a calendar or a mail header says, as one clean line: control characters and
    line breaks (a crafted subject, a Latin-1 byte read as C1) become spaces, spaces are
    collapsed, and it is cut at ``limit`` characters — never a reason to refuse a sync."""
    return " ".join(_UNPRINTABLE.sub(" ", text or "").split())[:limit]


def address_index(people: Iterable[tuple[int, Iterable[str]]]) -> dict[str, int]:
    """folded address → person id, from (id, addresses) pairs. An address two people
    share goes to the first (lowest id, as given): a proposal is one person's, and the
    review shows whom."""
    index: dict[str, int] = {}
    for contact_id, addresses in people:
        for address in addresses:
            folded = fold_address(address)
            if "@" in folded:
                index.setdefault(folded, contact_id)
    return index


def own_addresses(addresses: Iterable[str]) -> frozenset[str]:
    return frozenset(fold_address(a) for a in addresses if a and "@" in a)


def _usable(folded: str) -> bool:
    """An address a person can have: local@domain with a dot in the domain (not the
    opaque ``…@virtual`` of a Google birthday calendar, not ``nobody@nowhere``)."""
    local, _, domain = folded.rpartition("@")
    return bool(local) and "." in domain.strip(".") and " " not in folded


#: A meeting with more others than this offers no new people: an all-hands is not how
#: someone joins a network (its known people are still proposed).
CANDIDATE_LIMIT = 4


def matches(item: Captured, index: Mapping[str, int], own: frozenset[str] = frozenset(),
            *, candidates: bool = True) -> list[Match]:
    """The people ``item`` involves, one match each: known people by address (in the
    order the item names them), then — with ``candidates``, and only for a small meeting
    (at most :data:`CANDIDATE_LIMIT` others) — unknown usable addresses as new people."""
    known: list[Match] = []
    unknown: list[Match] = []
    seen: set[str] = set()
    others: set[str] = set()
    for address, name in item.addresses:
        folded = fold_address(address)
        if not folded or folded in own:
            continue
        others.add(folded)
        contact_id = index.get(folded)
        key = f"contact:{contact_id}" if contact_id is not None else f"email:{folded}"
        if key in seen:
            continue
        seen.add(key)
        if contact_id is not None:
            known.append(Match(key, contact_id))
        elif candidates and _usable(folded):
            clean = one_line(name, 200)
            if "@" in clean:
                clean = ""  # a CN that only repeats an address is no name
            email = address.strip()
            if email[:7].lower() == "mailto:":
                email = email[7:]
            unknown.append(Match(key, None, clean, one_line(email.strip("<> "), 254)))
    if len(others) > CANDIDATE_LIMIT:
        unknown = []
    return known + unknown


def candidate_name(match: Match) -> str:
    """The name a new person gets: the CN, else the address's local part made readable."""
    if match.candidate_name:
        return match.candidate_name
    local = match.candidate_email.partition("@")[0].split("+", 1)[0]
    words = [w for w in local.replace("_", ".").replace("-", ".").split(".") if w]
    return " ".join(w.capitalize() for w in words) or match.candidate_email
