"""Fill an empty database with a realistic, deterministic demo network.

Everything is drawn from ``random.Random(seed)``; times are offsets from
``now``. With the same seed and ``now`` the tables are byte-identical; with
``now=None`` the current time is used, so a demo always looks current (recent
touches, people due this week) while who, what and how often stay the same.
"""

from __future__ import annotations

import random
import time
from bisect import bisect
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, cast

from planner.demo import network
from planner.demo.ledger import write_ledger
from planner.demo.network import DAY, HISTORY_DAYS
from planner.demo.people import PeopleFactory, Person
from planner.demo.sentences import Composer
from planner.domain.errors import InvalidInput
from planner.domain.kinds import Kind
from planner.domain.rings import RING_ORDER, Ring
from planner.services.settings import capacities
from planner.storage.dump import packed_insert
from planner.storage.models import (
    ContactRow,
    NoteRow,
    PlacementRow,
    RingMoveRow,
    TouchpointRow,
)

if TYPE_CHECKING:
    from planner.storage.backend import Backend

MAX_CONTACTS = 1_000_000
MAX_TOUCHPOINTS = 5_000_000

_RINGS: tuple[Ring | None, ...] = (*RING_ORDER, None)
_KINDS = tuple(k.value for k in Kind)  # "other" is last
#: Kind weights per ring, in the order of _KINDS:
#: coffee im sms call video email meal in-person event collab amplify meeting other
_KIND_WEIGHTS = {
    Ring.INNER: (10, 30, 10, 10, 12, 6, 4, 4, 2, 9, 3, 0, 1),
    Ring.MIDDLE: (8, 25, 5, 8, 12, 12, 3, 4, 5, 8, 8, 0, 2),
    Ring.OUTER: (4, 20, 2, 4, 8, 24, 2, 3, 13, 3, 14, 0, 3),
    None: (2, 14, 1, 2, 4, 32, 1, 3, 20, 2, 15, 0, 4),
}
_KIND_CUM = {ring: [sum(w[: i + 1]) for i in range(len(w))] for ring, w in _KIND_WEIGHTS.items()}
#: (shortest, longest, chance of no duration) per kind
_MINUTES = {
    "coffee": (20, 60, 0.2),
    "im": (2, 15, 0.7),
    "sms": (1, 5, 0.9),
    "call": (10, 60, 0.1),
    "video": (20, 75, 0.1),
    "email": (5, 20, 0.8),
    "meal": (45, 150, 0.2),
    "in-person": (15, 90, 0.2),
    "event": (60, 240, 0.3),
    "collab": (30, 180, 0.1),
    "amplify": (2, 10, 0.8),
    "meeting": (30, 60, 0.1),
    "other": (5, 60, 0.6),
}
_NOTE_CHANCE = {Ring.INNER: 0.6, Ring.MIDDLE: 0.55, Ring.OUTER: 0.45, None: 0.35}
#: Local hours people are in touch, weighted towards working hours.
_HOURS = (8, 9, 9, 10, 10, 10, 11, 11, 12, 12, 13, 14, 14, 15, 15, 16, 16, 17, 18, 19, 20, 21)
_STAGES = {
    Ring.INNER: (("advocate", 5), ("succeeded", 3), ("cultivating", 2)),
    Ring.MIDDLE: (("cultivating", 5), ("succeeded", 3), ("advocate", 2), ("none", 1)),
    Ring.OUTER: (("none", 5), ("cultivating", 4), ("succeeded", 1)),
    None: (("none", 19), ("cultivating", 1)),
}
_CADENCES = {Ring.INNER: (2, 5), Ring.MIDDLE: (7, 10, 21), Ring.OUTER: (30, 60, 90)}


@dataclass(frozen=True)
class DemoSummary:
    contacts: int
    rings: dict[str, int]  # inner, middle, outer, unplaced
    touchpoints: int
    notes: int
    moves: int
    seed: int
    now: datetime
    seconds: float
    wins: int = 0
    asks: int = 0
    gives: int = 0
    stage_changes: int = 0

    def as_dict(self) -> dict:
        data = asdict(self)
        data["now"] = self.now.isoformat()
        data["seconds"] = round(self.seconds, 3)
        return data


def existing_data() -> dict[str, int]:
    """Rows that would make a database not empty (deleted contacts count: they can return)."""
    counts = {
        "contacts": ContactRow.select().count(),
        "touchpoints": TouchpointRow.select().count(),
        "notes": NoteRow.select().count(),
        "ring moves": RingMoveRow.select().count(),
    }
    return {what: n for what, n in counts.items() if n}


def describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {what[:-1] if n == 1 else what}" for what, n in counts.items())


def generate(
    store: Backend,
    n_contacts: int,
    n_touchpoints: int,
    seed: int = 1,
    now: datetime | None = None,
    n_notes: int | None = None,
) -> DemoSummary:
    """Fill the bound, empty database in one transaction; refuse one with data in it.

    ``n_notes`` defaults to one note for every eight touchpoints.
    """
    started = time.perf_counter()
    if not 0 <= n_contacts <= MAX_CONTACTS:
        raise InvalidInput(f"the number of contacts must be 0 to {MAX_CONTACTS:,}")
    if not 0 <= n_touchpoints <= MAX_TOUCHPOINTS:
        raise InvalidInput(f"the number of touchpoints must be 0 to {MAX_TOUCHPOINTS:,}")
    if n_contacts == 0 and n_touchpoints:
        raise InvalidInput("touchpoints need people: ask for at least one contact")
    if now is None:
        now = datetime.now(UTC)
    if now.tzinfo is None:
        raise InvalidInput("give 'now' with a time zone")
    now = now.astimezone(UTC).replace(microsecond=0)
    notes = n_touchpoints // 8 if n_notes is None else n_notes
    if not 0 <= notes <= MAX_TOUCHPOINTS:
        raise InvalidInput(f"the number of notes must be 0 to {MAX_TOUCHPOINTS:,}")
    if n_contacts == 0 and notes:
        raise InvalidInput("notes need people: ask for at least one contact")
    with store.write():
        found = existing_data()
        if found:
            raise InvalidInput(
                f"the database already has {describe(found)}; demo data only goes "
                "into an empty database"
            )
        plan = _Plan(random.Random(seed), now, n_contacts, capacities())
        ids = plan.write_contacts()
        moves = plan.write_rings(ids)
        plan.write_touchpoints(ids, n_touchpoints)
        plan.write_notes(ids, notes)
        ledger = write_ledger(store, seed, plan.now_ts)
    counts = {ring.value: plan.final.count(ring) for ring in RING_ORDER}
    counts["unplaced"] = plan.final.count(None)
    return DemoSummary(
        n_contacts, counts, n_touchpoints, notes, moves, seed, now, time.perf_counter() - started,
        wins=ledger.wins, asks=ledger.asks, gives=ledger.gives,
        stage_changes=ledger.stage_changes,
    )


def _stamp(seconds_since_epoch: float) -> str:
    """The stored form of a UTC time (see storage.fields), without building datetimes."""
    return time.strftime("%Y-%m-%d %H:%M:%S.000000", time.gmtime(seconds_since_epoch))


class _Plan:
    """The network as it is drawn, in a fixed order so that the seed decides everything."""

    def __init__(self, rng: random.Random, now: datetime, n: int, capacity: dict[Ring, int]):
        self.rng = rng
        self.now_ts = now.timestamp()
        self.year = now.year
        factory = PeopleFactory(rng, now)
        self.people: list[Person] = [factory.person() for _ in range(n)]
        self.composer = Composer(rng, [p.short for p in self.people])
        self.final = network.final_rings(n, capacity, rng)
        self.moves = network.history(self.final, capacity, rng)
        self.created = self._created(n)
        lines = network.timelines(n, self.created, self.moves)
        self.segments = [line.segments() for line in lines]
        self.cum: list[list[float]] = []
        self.person_cum: list[float] = []
        total = 0.0
        for line in lines:
            cum, weight = network.weights(line, rng.lognormvariate(0, 0.4))
            self.cum.append(cum)
            total += weight
            self.person_cum.append(total)

    def _created(self, n: int) -> list[float]:
        """When each person was added (seconds before now): before any of their moves."""
        rng = self.rng
        created = [
            (HISTORY_DAYS - rng.uniform(0, 10)) * DAY
            if rng.random() < 0.4
            else rng.uniform(1, HISTORY_DAYS) * DAY
            for _ in range(n)
        ]
        for move in reversed(self.moves):  # the oldest move of a person comes last
            first = rng.uniform(move.at, min(move.at + 14 * DAY, HISTORY_DAYS * DAY))
            created[move.person] = max(created[move.person], first)
        return created

    def write_contacts(self) -> list[int]:
        rng, now = self.rng, self.now_ts
        fields = [
            ContactRow.name,
            ContactRow.email,
            ContactRow.phones,
            ContactRow.handles,
            ContactRow.channels,
            ContactRow.tags,
            ContactRow.timezone,
            ContactRow.birthday,
            ContactRow.organization,
            ContactRow.title,
            ContactRow.notes,
            ContactRow.cadence_days,
            ContactRow.stage,
            ContactRow.created_at,
            ContactRow.updated_at,
        ]
        json = ContactRow.tags.db_value  # lists and maps as the JSON fields store them
        rows = []
        for person, ring, created in zip(self.people, self.final, self.created, strict=True):
            f = person.fields
            stages, weights = zip(*_STAGES[ring], strict=True)
            stage = rng.choices(stages, weights=weights)[0]
            cadence = rng.choice(_CADENCES[ring]) if ring and rng.random() < 0.05 else None
            about = ""
            if rng.random() < 0.35:
                about = self.composer.about(person.pronoun, time.gmtime(now - created).tm_year)
            updated = rng.uniform(0, created)
            rows.append(
                (
                    person.name,
                    f["email"],
                    json(f["phones"]),
                    json(f["handles"]),
                    json(f["channels"]),
                    json(f["tags"]),
                    f["timezone"],
                    f["birthday"],
                    f["organization"],
                    f["title"],
                    about,
                    cadence,
                    stage,
                    _stamp(now - created),
                    _stamp(now - updated),
                )
            )
        packed_insert(ContactRow, fields, rows)
        ids = [cid for (cid,) in cast("Iterable[tuple[int]]",  # rows as tuples
                                      ContactRow.select(ContactRow.id).order_by(ContactRow.id)
                                      .tuples())]
        assert len(ids) == len(self.people)
        return ids

    def write_rings(self, ids: list[int]) -> int:
        positions: dict[Ring, int] = dict.fromkeys(RING_ORDER, 0)
        placements = []
        for person, ring in enumerate(self.final):
            if ring is not None:
                placements.append((ids[person], "", ring.value, positions[ring]))
                positions[ring] += 1
        packed_insert(
            PlacementRow,
            [PlacementRow.contact, PlacementRow.owner, PlacementRow.ring, PlacementRow.position],
            placements,
        )
        moves = [
            (
                ids[m.person],
                "",
                m.from_ring.value if m.from_ring else None,
                m.to_ring.value if m.to_ring else None,
                _stamp(self.now_ts - m.at),
            )
            for m in self.moves
        ]
        packed_insert(
            RingMoveRow,
            [
                RingMoveRow.contact,
                RingMoveRow.owner,
                RingMoveRow.from_ring,
                RingMoveRow.to_ring,
                RingMoveRow.at,
            ],
            moves,
        )
        return len(moves)

    def _moments(self, count: int, snap: bool) -> list[tuple[float, int, int]]:
        """(epoch seconds, person, ring index) for ``count`` events, oldest first.

        People are drawn by how much attention their rings earned them over time;
        with ``snap`` the time moves to a plausible hour of the person's day.
        """
        if count == 0:
            return []
        rng, now = self.rng, self.now_ts
        out = []
        for person in rng.choices(range(len(self.people)), cum_weights=self.person_cum, k=count):
            cum = self.cum[person]
            start, end, ring = self.segments[person][bisect(cum, rng.random() * cum[-1])]
            at = now - rng.uniform(end, start)
            if snap:
                offset = self.people[person].utc_offset_hours * 3600
                local_day = (at + offset) // DAY * DAY
                slot = int(rng.random() * len(_HOURS) * 12)  # an hour, and 5-minute step
                at = local_day + _HOURS[slot // 12] * 3600 + slot % 12 * 300 - offset
                if at > now:
                    at -= DAY
                at = max(at, now - self.created[person] + 300)
            out.append((at, person, _RINGS.index(ring)))
        out.sort()
        return out

    def write_touchpoints(self, ids: list[int], count: int) -> None:
        fields = [
            TouchpointRow.contact,
            TouchpointRow.kind,
            TouchpointRow.at,
            TouchpointRow.minutes,
            TouchpointRow.note,
            TouchpointRow.created_at,
            TouchpointRow.updated_at,
        ]
        packed_insert(TouchpointRow, fields, self._touchpoint_rows(ids, count))

    def _touchpoint_rows(self, ids: list[int], count: int) -> Iterator[tuple]:
        rng, now, composer = self.rng, self.now_ts, self.composer
        for at, person, ring_index in self._moments(count, snap=True):
            ring = _RINGS[ring_index]
            cum = _KIND_CUM[ring]
            kind = _KINDS[bisect(cum, rng.random() * cum[-1])]
            low, high, none = _MINUTES[kind]
            minutes = None if rng.random() < none else int(low + rng.random() * (high - low))
            if minutes is not None and minutes >= 10:
                minutes -= minutes % 5  # people round durations
            note = ""
            if rng.random() < _NOTE_CHANCE[ring]:
                note = composer.touch_note(kind, self.people[person].pronoun)
            logged = _stamp(min(now, at + rng.uniform(60, 3 * 3600)))
            yield (ids[person], kind, _stamp(at), minutes, note, logged, logged)

    def write_notes(self, ids: list[int], count: int) -> None:
        fields = [NoteRow.contact, NoteRow.at, NoteRow.text, NoteRow.created_at, NoteRow.updated_at]
        packed_insert(NoteRow, fields, self._note_rows(ids, count))

    def _note_rows(self, ids: list[int], count: int) -> Iterator[tuple]:
        composer = self.composer
        for at, person, _ring in self._moments(count, snap=False):
            stamp = _stamp(at)
            yield (
                ids[person],
                stamp,
                composer.dated_note(self.people[person].pronoun),
                stamp,
                stamp,
            )
