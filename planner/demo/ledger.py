"""The demo's advocacy ledger: stage history, wins (most celebrated), asks and gives.

Drawn from its own ``random.Random`` (seeded from the demo's seed), after the people,
rings and touchpoints exist, so adding it changes nothing else the demo writes.
A win counts as celebrated by the first touchpoint with that person after it (a few
are let slip, more of the recent ones); asks respect the ask limit (at most two a
quarter); most done asks were thanked with a thank-you note a few days later.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, cast

from peewee import chunked

from planner.demo.network import DAY
from planner.domain.advocacy import STAGE_ORDER, Stage
from planner.storage.fields import to_utc
from planner.storage.models import (
    AskRow,
    ContactRow,
    GiveRow,
    StageChangeRow,
    TouchpointRow,
    WinRow,
)

if TYPE_CHECKING:
    from planner.storage.backend import Backend

EVENTS = ("PyCon", "FOSDEM", "KubeCon", "JSConf", "RustConf", "DevOpsDays", "a local meetup",
          "GopherCon", "All Things Open", "their company's all-hands")
TOPICS = ("observability", "accessibility", "testing in production", "onboarding new "
          "contributors", "API design", "open-source maintenance", "on-call without burnout",
          "writing good docs", "feature flags", "database migrations")
PROJECTS = ("the CLI", "the Helm chart", "the VS Code extension", "the Python SDK", "the docs site",
            "the Terraform provider", "the mobile app", "the plugin API")
TITLES = ("staff engineer", "engineering manager", "principal engineer", "tech lead",
          "head of developer relations", "senior engineer")

#: (wins, asks) a person at each stage tends to have
_VOLUME = {Stage.NONE: (0, 0), Stage.CULTIVATING: (1, 0), Stage.SUCCEEDED: (3, 2),
           Stage.ADVOCATE: (4, 5)}
_OTHER_GIVES = ("early-access", "intro", "amplify", "invitation", "gift", "congratulations")


@dataclass(frozen=True)
class LedgerSummary:
    stage_changes: int
    wins: int
    asks: int
    gives: int


def _win_text(rng: random.Random) -> tuple[str, str]:
    kind = rng.randrange(6)
    slug = f"{rng.randrange(10_000, 99_999)}"
    if kind == 0:
        event = rng.choice(EVENTS)
        return f"Gave a talk at {event}", f"https://example.org/talks/{slug}"
    if kind == 1:
        return f"Published a post on {rng.choice(TOPICS)}", f"https://example.org/blog/{slug}"
    if kind == 2:
        return f"Shipped {rng.choice(PROJECTS)} v{rng.randrange(2, 6)}", ""
    if kind == 3:
        return f"Promoted to {rng.choice(TITLES)}", ""
    if kind == 4:
        return f"First pull request merged into {rng.choice(PROJECTS)}", (
            f"https://example.org/pull/{slug}")
    return f"Quoted in an article on {rng.choice(TOPICS)}", f"https://example.org/press/{slug}"


def write_ledger(store: Backend, seed: int, now_ts: float) -> LedgerSummary:
    """Fill the ledger tables for the people already written (call inside the transaction)."""
    rng = random.Random(f"mentorship-planner-ledger:{seed}")
    people = list(cast("Iterable[tuple[int, str, str | datetime]]",  # rows as tuples
                       ContactRow.select(ContactRow.id, ContactRow.stage, ContactRow.created_at)
                       .order_by(ContactRow.id).tuples()))
    changes: list[dict] = []
    wins: list[dict] = []
    asks: list[tuple[dict, float | None]] = []
    gives: list[dict] = []
    for cid, stage_text, created_text in people:
        stage = Stage(stage_text)
        created_at = to_utc(created_text)
        assert created_at is not None  # contact.created_at is NOT NULL
        created = created_at.timestamp()
        span = max(DAY, now_ts - created)
        # the stage history: none → … → today's stage, at increasing moments
        steps = STAGE_ORDER[1: stage.rank + 1]
        moments = sorted(now_ts - rng.uniform(2 * DAY, span) for _ in steps)
        previous = Stage.NONE
        for step, at in zip(steps, moments, strict=True):
            changes.append({"contact": cid, "from_stage": previous.value, "to_stage": step.value,
                            "at": _dt(at)})
            previous = step
        n_wins, n_asks = _VOLUME[stage]
        for _ in range(rng.randint(max(0, n_wins - 1), n_wins)):
            at = now_ts - rng.uniform(0.5 * DAY, min(span, 300 * DAY))
            text, link = _win_text(rng)
            slip = 0.25 if now_ts - at < 45 * DAY else 0.03
            wins.append({"contact": cid, "text": text, "at": _dt(at), "link": link,
                         "celebrated_by": -1 if rng.random() < slip else None,
                         "created_at": _dt(at), "updated_at": _dt(at)})
        # asks, oldest first, never more than two within 91 days of each other
        drawn: list[tuple[float, str]] = []
        for _ in range(rng.randint(n_asks // 2, n_asks)):
            at = now_ts - rng.uniform(1 * DAY, min(span, 360 * DAY))
            if (now_ts - at) / DAY > 30:
                status = rng.choices(("done", "declined"), (5, 1))[0]
            else:
                status = rng.choices(("asked", "done", "planned"), (3, 2, 1))[0]
            if status == "planned":
                at = now_ts + rng.uniform(2, 14) * DAY  # planned for the coming days
            if sum(1 for t, _ in drawn if abs(t - at) < 91 * DAY) >= 2:
                continue
            drawn.append((at, status))
        for at, status in sorted(drawn):
            closed = min(now_ts, at + rng.uniform(3, 25) * DAY) if status in (
                "done", "declined") else None
            ask_type = rng.choice(("reference-call", "case-study", "talk", "co-authored-post",
                                   "review-draft", "intro", "feedback", "beta-test"))
            asks.append(({"contact": cid, "type": ask_type, "status": status, "at": _dt(at),
                          "closed_at": _dt(closed) if closed else None, "created_at": _dt(at),
                          "updated_at": _dt(closed or at)}, closed))
        for _ in range(rng.randint(0, {Stage.NONE: 0, Stage.CULTIVATING: 1}.get(stage, 2))):
            at = now_ts - rng.uniform(DAY, min(span, 300 * DAY))
            gives.append({"contact": cid, "type": rng.choice(_OTHER_GIVES), "at": _dt(at),
                          "for_ask": None, "created_at": _dt(at), "updated_at": _dt(at)})
    _celebrate(wins)
    with store.write():
        for model, rows in ((StageChangeRow, changes), (WinRow, wins)):
            for chunk in chunked(rows, 500):
                model.insert_many(chunk).execute()
        for row, closed in asks:
            ask_id = AskRow.insert(**row).execute()
            thanked = 0.9 if closed is not None and now_ts - closed > 14 * DAY else 0.4
            if row["status"] == "done" and closed is not None and rng.random() < thanked:
                at = min(now_ts, closed + rng.uniform(0.2, 4) * DAY)
                gives.append({"contact": row["contact"], "type": "thank-you-note",
                              "at": _dt(at), "for_ask": ask_id, "created_at": _dt(at),
                              "updated_at": _dt(at)})
        gives.sort(key=lambda g: g["at"])
        for chunk in chunked(gives, 500):
            GiveRow.insert_many(chunk).execute()
    return LedgerSummary(len(changes), len(wins), len(asks), len(gives))


def _celebrate(wins: list[dict]) -> None:
    """A win (not marked -1, "let slip") is celebrated by the person's first touchpoint
    after it, if there is one. Touchpoints are read only for people with wins."""
    people = sorted({w["contact"] for w in wins})
    touches: dict[int, list[tuple]] = {}
    for ids in chunked(people, 500):
        query = (TouchpointRow.select(TouchpointRow.contact, TouchpointRow.at, TouchpointRow.id)
                 .where(TouchpointRow.contact.in_(ids))
                 .order_by(TouchpointRow.contact, TouchpointRow.at, TouchpointRow.id))
        for cid, at, tid in cast("Iterable[tuple[int, str | datetime, int]]", query.tuples()):
            touches.setdefault(cid, []).append((to_utc(at), tid))
    for win in wins:
        slipped = win["celebrated_by"] == -1
        win["celebrated_by"] = None
        if slipped:
            continue
        win["celebrated_by"] = next(
            (tid for at, tid in touches.get(win["contact"], ()) if at > win["at"]), None)


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)
