"""The dashboard's figures: advocates against the target, the stage funnel, ring health,
touchpoints and minutes per ring, who waits for a celebration or a thank-you, ask
fatigue, and the give/ask balance — a few queries, whatever the size of the network."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from planner.domain import advocacy as rules
from planner.domain.advocacy import (
    Ask,
    Balance,
    Fatigue,
    Funnel,
    RingTime,
    Stage,
    Target,
    Win,
)
from planner.domain.cadence import Status, status_at
from planner.domain.rings import RING_ORDER, Ring
from planner.services.advocacy import (
    ask_as_dict,
    fatigue_limit,
    iso_time,
    target_share,
    time_share,
    win_as_dict,
)
from planner.storage import advocacy_repo as repo

if TYPE_CHECKING:
    from planner.storage.backend import Backend


@dataclass(frozen=True)
class RingFill:
    ring: Ring
    count: int
    capacity: int
    on_track: int = 0
    due_soon: int = 0
    overdue: int = 0
    never: int = 0

    @property
    def due(self) -> int:
        return self.due_soon


@dataclass(frozen=True)
class Tired:
    contact_id: int
    name: str
    fatigue: Fatigue


@dataclass(frozen=True)
class Stats:
    as_of: datetime
    target: Target
    funnel: Funnel
    rings: list[RingFill]
    weeks: list[str]  # ISO week labels, oldest first
    touches: dict[str, list[int]]  # "inner"/"middle"/"outer"/"unplaced" → per week
    time: list[RingTime]
    unplaced_minutes: int
    wins_waiting: list[Win]
    thanks_waiting: list[Ask]
    tired: list[Tired]
    balance: Balance
    fatigue_limit: int = rules.DEFAULT_FATIGUE_LIMIT

    @property
    def advocates(self) -> int:
        return self.target.advocates


def stats(store: Backend, as_of: datetime | None = None, tz: tzinfo | None = None,
          weeks: int = rules.DASHBOARD_WEEKS) -> Stats:
    """Every figure the dashboard shows, as of ``as_of`` (default now), weeks in ``tz``.

    A small constant number of queries whatever the size of the network; touchpoints
    count towards the ring the person is on now.
    """
    from planner.domain.focus import local_zone
    from planner.services.focus import focus_candidates
    from planner.services.settings import capacities

    moment = (as_of or datetime.now(UTC)).astimezone(UTC)
    zone = tz or local_zone()
    with store.snapshot():  # the figures agree with each other
        counts = repo.stage_counts()
        stage_funnel = rules.funnel(counts)
        network = stage_funnel.network
        goal = rules.target(stage_funnel.counts[Stage.ADVOCATE], network, target_share())
        caps = capacities()
        fills = _ring_fill(focus_candidates(moment), caps, moment)
        span = rules.last_weeks(moment, zone, weeks)
        since = span[0][1].astimezone(UTC) - timedelta(microseconds=1)
        touches = {key: [0] * len(span) for key in (*[r.value for r in RING_ORDER], "unplaced")}
        minutes: dict[Ring, int] = {r: 0 for r in RING_ORDER}
        unplaced_minutes = 0
        for at, ring, mins in repo.touches_since(since):
            if at > moment:
                continue
            slot = rules.week_slot(at, span)
            if slot is None:
                continue
            touches[ring or "unplaced"][slot] += 1
            if ring:
                minutes[Ring(ring)] += mins
            else:
                unplaced_minutes += mins
        limit = fatigue_limit()
        quarter = moment - timedelta(days=rules.QUARTER_DAYS)
        tired_ids = {cid: rules.fatigue(times, moment, limit)
                     for cid, times in repo.ask_times_by_contact(quarter).items()}
        tired_ids = {cid: f for cid, f in tired_ids.items() if f.near}
        who = repo.names(list(tired_ids))
        tired = sorted((Tired(cid, who.get(cid, f"#{cid}"), f) for cid, f in tired_ids.items()),
                       key=lambda t: (-t.fatigue.count, t.name.casefold(), t.contact_id))
        total_balance = Balance(*repo.ledger_totals(moment))
        return Stats(
            as_of=moment,
            target=goal,
            funnel=stage_funnel,
            rings=fills,
            weeks=[week.label for week, _, _ in span],
            touches=touches,
            time=rules.time_per_ring(minutes, time_share()),
            unplaced_minutes=unplaced_minutes,
            wins_waiting=repo.wins_waiting(moment),
            thanks_waiting=repo.asks_waiting_for_thanks(moment),
            tired=tired,
            balance=total_balance,
            fatigue_limit=limit,
        )


def _ring_fill(candidates, caps: dict[Ring, int], moment: datetime) -> list[RingFill]:
    tally = {r: {s: 0 for s in Status} for r in RING_ORDER}
    for cand in candidates:
        touch = cand.last_touch if cand.last_touch and cand.last_touch <= moment else None
        tally[cand.ring][status_at(touch, cand.cadence_days, moment)] += 1
    return [
        RingFill(ring, sum(tally[ring].values()), caps[ring], tally[ring][Status.ON_TRACK],
                 tally[ring][Status.DUE_SOON], tally[ring][Status.OVERDUE],
                 tally[ring][Status.NEVER])
        for ring in RING_ORDER
    ]




def stats_as_dict(s: Stats) -> dict:
    """The documented JSON shape of ``planner stats --json`` (shares are 0–1, 4 decimals)."""
    t, f = s.target, s.funnel
    return {
        "as_of": iso_time(s.as_of),
        "advocates": {
            "count": t.advocates,
            "network": t.network,
            "share": round(t.share, 4),
            "target_share": round(t.target_share, 4),
            "target_count": t.target_count,
            "missing": t.missing,
            "met": t.met,
        },
        "stages": {stage.value: f.counts[stage] for stage in rules.STAGE_ORDER},
        "funnel": [
            {"stage": stage.value, "reached": f.reached(stage),
             "conversion": None if rate is None else round(rate, 4)}
            for stage in rules.FUNNEL_STAGES
            for rate in [f.conversion(stage)]
        ],
        "rings": {
            fill.ring.value: {"count": fill.count, "capacity": fill.capacity,
                              "on_track": fill.on_track, "due_soon": fill.due_soon,
                              "overdue": fill.overdue, "never": fill.never}
            for fill in s.rings
        },
        "weeks": list(s.weeks),
        "touchpoints_per_week": {key: list(values) for key, values in s.touches.items()},
        "minutes": {
            **{rt.ring.value: {"minutes": rt.minutes, "share": round(rt.share, 4),
                               "intended": round(rt.intended, 4)} for rt in s.time},
            "unplaced": s.unplaced_minutes,
        },
        "wins_waiting": [win_as_dict(w) for w in s.wins_waiting],
        "asks_waiting_for_thanks": [ask_as_dict(a) for a in s.thanks_waiting],
        "fatigue": {
            "limit": s.fatigue_limit,
            "quarter_days": rules.QUARTER_DAYS,
            "near": [{"contact_id": t.contact_id, "contact": t.name, "asks": t.fatigue.count,
                      "over": t.fatigue.over} for t in s.tired],
        },
        "balance": {"gives": s.balance.gives, "asks": s.balance.asks, "value": s.balance.value},
    }
