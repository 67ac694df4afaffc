"""Advocacy: make people successful, celebrate their wins, ask little, give back more.

Pure rules, no I/O:

- **Stage** per person: ``none`` → ``cultivating`` → ``succeeded`` → ``advocate``,
  set by hand (any stage to any other); every change is kept as history.
- **Wins** are their successes; a win is *celebrated* once a touchpoint that
  amplified or congratulated it is linked to it.
- **Asks** are what you asked of them, with a status (planned, asked, done,
  declined). A *done* ask with no give linked to it is waiting for a thank-you.
- **Gives** are what you gave back; a give may be linked to the ask it thanks.
- **Fatigue**: more than ``limit`` asks (default 2) in a quarter — the 91 days
  up to and including the moment — is too many. The check runs *before* an
  ask is logged: if the new ask would make it ``limit + 1`` in any quarter that
  holds it (one dated back counts against the quarters after it too), it is flagged.
  A person already at the limit is *near fatigue* (the next ask would tip
  them over): give, don't ask. Every ask counts for fatigue, planned or
  declined ones too (asking is the burden, whatever the answer).
- **Balance**: gives minus asks actually made (planned asks are not made yet).
- **Funnel and target**: how many people reached each stage, and the share of
  advocates in the network against a target share (default 10 %).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum

from planner.domain.contact import clean_note, clean_text
from planner.domain.errors import InvalidInput, PlannerError
from planner.domain.rings import RING_ORDER, Ring
from planner.domain.stored import member

QUARTER_DAYS = 91  # 13 weeks: a rolling quarter
DEFAULT_FATIGUE_LIMIT = 2
DEFAULT_TARGET_SHARE = 0.10
#: how a person intends to split the minutes spent between the rings (sums to 1)
DEFAULT_TIME_SHARE: dict[Ring, float] = {Ring.INNER: 0.5, Ring.MIDDLE: 0.35, Ring.OUTER: 0.15}
RECENT_WIN_DAYS = 30
DASHBOARD_WEEKS = 12
MAX_WIN_TEXT = 300
MAX_LINK = 2000


def _word(text: str | None) -> str:
    return "-".join((text or "").strip().lower().replace("_", " ").replace("-", " ").split())


# ------------------------------------------------------------------ the vocabulary


class Stage(StrEnum):
    NONE = "none"
    CULTIVATING = "cultivating"
    SUCCEEDED = "succeeded"
    ADVOCATE = "advocate"

    @property
    def label(self) -> str:
        return "No stage" if self is Stage.NONE else self.value.capitalize()

    @property
    def rank(self) -> int:
        return STAGE_ORDER.index(self)


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
#: the stages a funnel shows (``none`` is not in the funnel)
FUNNEL_STAGES: tuple[Stage, ...] = (Stage.CULTIVATING, Stage.SUCCEEDED, Stage.ADVOCATE)


class AskType(StrEnum):
    REFERENCE_CALL = "reference-call"
    CASE_STUDY = "case-study"
    TALK = "talk"
    CO_AUTHORED_POST = "co-authored-post"
    REVIEW_DRAFT = "review-draft"
    INTRO = "intro"
    FEEDBACK = "feedback"
    BETA_TEST = "beta-test"
    OTHER = "other"

    @property
    def label(self) -> str:
        return ASK_LABELS[self]

    @property
    def phrase(self) -> str:
        """How it reads after "thank you for": "the case study", "the intro"."""
        return ASK_PHRASES[self]


ASK_LABELS: dict[AskType, str] = {
    AskType.REFERENCE_CALL: "Reference call",
    AskType.CASE_STUDY: "Case study",
    AskType.TALK: "Talk",
    AskType.CO_AUTHORED_POST: "Co-authored post",
    AskType.REVIEW_DRAFT: "Review a draft",
    AskType.INTRO: "Intro",
    AskType.FEEDBACK: "Feedback",
    AskType.BETA_TEST: "Beta test",
    AskType.OTHER: "Other",
}
ASK_PHRASES: dict[AskType, str] = {
    AskType.REFERENCE_CALL: "the reference call",
    AskType.CASE_STUDY: "the case study",
    AskType.TALK: "the talk",
    AskType.CO_AUTHORED_POST: "the co-authored post",
    AskType.REVIEW_DRAFT: "reviewing the draft",
    AskType.INTRO: "the intro",
    AskType.FEEDBACK: "the feedback",
    AskType.BETA_TEST: "beta testing",
    AskType.OTHER: "their help",
}


class AskStatus(StrEnum):
    PLANNED = "planned"
    ASKED = "asked"
    DONE = "done"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def closed(self) -> bool:
        return self in (AskStatus.DONE, AskStatus.DECLINED)


class GiveType(StrEnum):
    THANK_YOU_NOTE = "thank-you-note"
    CONGRATULATIONS = "congratulations"
    EARLY_ACCESS = "early-access"
    INTRO = "intro"
    AMPLIFY = "amplify"
    INVITATION = "invitation"
    GIFT = "gift"
    OTHER = "other"

    @property
    def label(self) -> str:
        return GIVE_LABELS[self]


GIVE_LABELS: dict[GiveType, str] = {
    GiveType.THANK_YOU_NOTE: "Thank-you note",
    GiveType.CONGRATULATIONS: "Congratulations",
    GiveType.EARLY_ACCESS: "Early access",
    GiveType.INTRO: "Intro to someone",
    GiveType.AMPLIFY: "Amplified their work",
    GiveType.INVITATION: "Invitation",
    GiveType.GIFT: "Gift",
    GiveType.OTHER: "Other",
}

#: touchpoint kinds that celebrate a win (amplify it, or congratulate in private)
CELEBRATE_KINDS = ("amplify", "im", "email", "call", "video", "sms", "coffee", "meal",
                   "in-person", "other")


def _parse(enum, text: str | None, what: str):
    word = _word(text)
    try:
        return enum(word)
    except ValueError:
        names = ", ".join(member.value for member in enum)
        raise InvalidInput(f"unknown {what} {text!r}: use one of {names}") from None


def parse_stage(text: str | None) -> Stage:
    return _parse(Stage, text, "stage")


def stored_stage(text: object) -> Stage:
    """A stored stage; one this version does not know reads as no stage (``stored``)."""
    return member(Stage, text, Stage.NONE, "stage")


def parse_ask_type(text: str | None) -> AskType:
    return _parse(AskType, text, "kind of ask")


def parse_ask_status(text: str | None) -> AskStatus:
    return _parse(AskStatus, text, "ask status")


def parse_give_type(text: str | None) -> GiveType:
    return _parse(GiveType, text, "kind of give")


def clean_win_text(text: str | None) -> str:
    body = clean_text(text, "the win", MAX_WIN_TEXT)
    if not body:
        raise InvalidInput("a win needs a few words: what did they do?")
    return body


def clean_link(text: str | None) -> str:
    """A web address or nothing; ``example.org/post`` becomes ``https://example.org/post``."""
    link = clean_text(text, "the link", MAX_LINK)
    if not link:
        return ""
    if any(ch.isspace() for ch in link):
        raise InvalidInput(f"the link {link!r} has spaces in it")
    if "://" not in link:
        if "." not in link:
            raise InvalidInput(f"{link!r} does not look like a web address")
        link = f"https://{link}"
    return link


def clean_ledger_note(text: str | None) -> str:
    return clean_note(text)


# ------------------------------------------------------------------ the ledger rows


@dataclass(frozen=True)
class StageChange:
    id: int
    contact_id: int
    from_stage: Stage
    to_stage: Stage
    at: datetime


@dataclass(frozen=True)
class Win:
    id: int
    contact_id: int
    text: str
    at: datetime
    link: str = ""
    note: str = ""
    celebrated_by: int | None = None  # the touchpoint that celebrated it
    contact: str = ""
    version: int = field(default=1, compare=False)  # of the row (changes check it)

    @property
    def celebrated(self) -> bool:
        return self.celebrated_by is not None


@dataclass(frozen=True)
class Ask:
    id: int
    contact_id: int
    type: AskType
    status: AskStatus
    at: datetime  # when it was (or is planned to be) asked
    closed_at: datetime | None = None  # when it became done or declined
    note: str = ""
    thanked_by: int | None = None  # the give that thanked it
    contact: str = ""
    version: int = field(default=1, compare=False)  # of the row (changes check it)

    @property
    def thanks_due(self) -> bool:
        return self.status is AskStatus.DONE and self.thanked_by is None

    @property
    def made(self) -> bool:
        """Asked already (whatever the answer); a planned ask is not made yet."""
        return self.status is not AskStatus.PLANNED


@dataclass(frozen=True)
class Give:
    id: int
    contact_id: int
    type: GiveType
    at: datetime
    note: str = ""
    for_ask: int | None = None
    contact: str = ""
    version: int = field(default=1, compare=False)  # of the row (changes check it)


# ------------------------------------------------------------------ fatigue and balance


def clean_limit(limit: object) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 100:
        raise InvalidInput(f"the ask limit must be a whole number from 1 to 100, not {limit!r}")
    return limit


@dataclass(frozen=True)
class Fatigue:
    """Asks in the quarter up to ``as_of`` against the limit."""

    count: int
    limit: int
    window_days: int = QUARTER_DAYS

    @property
    def over(self) -> bool:
        """More asks than the limit already."""
        return self.count > self.limit

    @property
    def near(self) -> bool:
        """At (or over) the limit: one more ask would be too many."""
        return self.count >= self.limit

    def describe(self, name: str = "this person") -> str:
        times = "once" if self.count == 1 else f"{self.count} times"
        return (f"{name} has been asked {times} in the last quarter "
                f"(the limit is {self.limit})")


def asks_in_quarter(ask_times: Iterable[datetime], as_of: datetime,
                    days: int = QUARTER_DAYS) -> int:
    """Asks dated in the ``days`` up to and including ``as_of`` (later ones do not count)."""
    start = as_of - timedelta(days=days)
    return sum(1 for at in ask_times if start < at <= as_of)


def fatigue(ask_times: Iterable[datetime], as_of: datetime,
            limit: int = DEFAULT_FATIGUE_LIMIT) -> Fatigue:
    return Fatigue(asks_in_quarter(ask_times, as_of), clean_limit(limit))


def fatigue_before_ask(ask_times: Iterable[datetime], at: datetime,
                       limit: int = DEFAULT_FATIGUE_LIMIT) -> Fatigue | None:
    """The warning to show before logging an ask dated ``at``; None when it is fine.

    The new ask is flagged when, counted with the asks already in any quarter that
    holds it, it would make more than ``limit``: the quarter up to ``at``, and those up
    to each later ask less than a quarter after it (an ask dated back 60 days, before
    two asks of last week, made three in the quarter up to now, and was let through).
    """
    times = list(ask_times)
    ends = [at, *(t for t in times if at < t < at + timedelta(days=QUARTER_DAYS))]
    found = max((fatigue(times, end, limit) for end in ends), key=lambda f: f.count)
    return found if found.count + 1 > found.limit else None


class AskFatigue(PlannerError):
    """Logging this ask would ask too much of a person; pass ``force`` to log it anyway."""

    def __init__(self, name: str, found: Fatigue):
        super().__init__(
            f"{found.describe(name)}: give before you ask again, or log it anyway (--force)")
        self.fatigue = found
        self.name = name


@dataclass(frozen=True)
class Balance:
    gives: int
    asks: int

    @property
    def value(self) -> int:
        return self.gives - self.asks

    @property
    def text(self) -> str:
        sign = "+" if self.value > 0 else ""
        return f"{self.gives} given · {self.asks} asked ({sign}{self.value})"

    @property
    def healthy(self) -> bool:
        return self.gives >= self.asks


def balance(gives: int | Iterable[Give], asks: int | Iterable[Ask]) -> Balance:
    """Gives against asks made (planned asks are not counted yet)."""
    n_gives = gives if isinstance(gives, int) else sum(1 for _ in gives)
    n_asks = asks if isinstance(asks, int) else sum(1 for a in asks if a.made)
    return Balance(n_gives, n_asks)


# ------------------------------------------------------------------ funnel and target


@dataclass(frozen=True)
class FunnelStep:
    """One stage of the funnel as it is shown: ``reached`` counts who got that far (the
    stage or a later one: the funnel's width), ``now`` who is at that stage now (as their
    panels say), ``conversion`` the share of the step before that got this far."""

    stage: Stage
    reached: int
    now: int
    conversion: float | None

    @property
    def label(self) -> str:
        """What ``reached`` counts, said with it: "Cultivating or beyond" (a bare
        "Cultivating 18" read as 18 people cultivating now); the last stage is itself."""
        if self.stage is FUNNEL_STAGES[-1]:
            return self.stage.label
        return f"{self.stage.label} or beyond"

    @property
    def detail(self) -> str:
        """"10 at this stage now · 44% of the step before" (only what adds to the label)."""
        parts = [] if self.stage is FUNNEL_STAGES[-1] else [f"{self.now:,} at this stage now"]
        if self.conversion is not None:
            parts.append(f"{self.conversion:.0%} of the step before")
        return " · ".join(parts)


@dataclass(frozen=True)
class Funnel:
    """People per stage, and how many *reached* each funnel stage (that stage or later)."""

    counts: Mapping[Stage, int]

    @property
    def network(self) -> int:
        return sum(self.counts.values())

    def reached(self, stage: Stage) -> int:
        return sum(n for s, n in self.counts.items() if s.rank >= stage.rank)

    def conversion(self, stage: Stage) -> float | None:
        """Of those who reached the previous funnel stage, the share that reached ``stage``."""
        index = FUNNEL_STAGES.index(stage)
        if index == 0:
            return None
        before = self.reached(FUNNEL_STAGES[index - 1])
        return self.reached(stage) / before if before else None

    def steps(self) -> tuple[FunnelStep, ...]:
        """The funnel's stages, each with what it counts (see FunnelStep)."""
        return tuple(FunnelStep(stage, self.reached(stage), self.counts[stage],
                                self.conversion(stage)) for stage in FUNNEL_STAGES)


def funnel(stages: Mapping[str, int] | Iterable[str]) -> Funnel:
    """From ``{"advocate": 3, ...}`` or from every person's stage."""
    counts = {stage: 0 for stage in STAGE_ORDER}
    items = stages.items() if isinstance(stages, Mapping) else ((s, 1) for s in stages)
    for stage, n in items:
        counts[stored_stage(stage)] += int(n)
    return Funnel(counts)


def clean_share(share: object, what: str = "the advocate target") -> float:
    if isinstance(share, bool) or not isinstance(share, int | float) or math.isnan(share):
        raise InvalidInput(f"{what} must be a share like 0.1 (10 %), not {share!r}")
    if not 0 < share <= 1:
        raise InvalidInput(f"{what} must be more than 0 % and at most 100 %, not {share:.0%}")
    return float(share)


def parse_share(text: str, what: str = "the advocate target") -> float:
    """``10%``, ``10`` (a number from 1 up is per cent: "1" is 1 %, not 100 %) or a
    fraction below 1 (``0.1``); whole per cents from 1 % up, as the dashboard's box ("1e-300"
    was taken, and shown as a target of 0 %)."""
    raw = (text or "").strip().rstrip("%").strip()
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):  # "NaN" was said as "must be more than 0 %"
        raise InvalidInput(f"{what} {text!r}: use a percentage like 10%") from None
    if not value > 0:  # "-5" was said as "not -500%"
        raise InvalidInput(f"{what} must be more than 0 %, not {text.strip()!r}")
    if (text or "").strip().endswith("%") or value >= 1:
        value /= 100
    share = clean_share(value, what)
    if share < 0.01:
        raise InvalidInput(f"{what} must be at least 1 %, not {text.strip()!r}")
    per_cent = share * 100
    if abs(per_cent - round(per_cent)) > 1e-9:  # "12.5" was shown as 12 %, counted as 12.5
        low = math.floor(per_cent)
        raise InvalidInput(f"{what} is a whole percentage ({low}% or {low + 1}%), "
                           f"not {text.strip()!r}")
    return share


@dataclass(frozen=True)
class Target:
    advocates: int
    network: int
    target_share: float

    @property
    def share(self) -> float:
        return self.advocates / self.network if self.network else 0.0

    @property
    def target_count(self) -> int:
        """Advocates needed to reach the target share (rounded up; a tiny network needs 1)."""
        if not self.network:
            return 0
        return max(1, math.ceil(self.network * self.target_share - 1e-9))

    @property
    def missing(self) -> int:
        return max(0, self.target_count - self.advocates)

    @property
    def met(self) -> bool:
        return self.network > 0 and self.advocates >= self.target_count

    @property
    def progress(self) -> float:
        """Advocates as a fraction of the target count, capped at 1 (for a gauge)."""
        if not self.target_count:
            return 0.0
        return min(1.0, self.advocates / self.target_count)


def target(advocates: int, network: int, share: float = DEFAULT_TARGET_SHARE) -> Target:
    if advocates < 0 or network < 0 or advocates > network:
        raise ValueError(f"{advocates} advocates in a network of {network}")
    return Target(advocates, network, clean_share(share))


# ------------------------------------------------------------------ time per ring


def clean_time_share(shares: Mapping[Ring | str, object]) -> dict[Ring, float]:
    """Intended share of minutes per ring; per cent or fractions, normalised to sum 1."""
    values: dict[Ring, float] = {}
    for key, raw in shares.items():
        ring = Ring(key)
        if (isinstance(raw, bool) or not isinstance(raw, int | float)
                or not math.isfinite(raw) or raw < 0):  # ("inf" was said to be "nan")
            raise InvalidInput(f"the {ring.value} ring's share of time must be a number, "
                               f"0 or more, not {raw!r}")
        values[ring] = float(raw)
    for ring in RING_ORDER:
        values.setdefault(ring, 0.0)
    total = sum(values.values())
    if not math.isfinite(total):  # 1e308 twice: no share could be worked out
        raise InvalidInput("the intended time shares are too large: use per cents, "
                           "e.g. inner=50,middle=35,outer=15")
    if total <= 0:
        raise InvalidInput("the intended time shares add up to nothing")
    return {ring: values[ring] / total for ring in RING_ORDER}


def parse_time_share(text: str) -> dict[Ring, float]:
    """``inner=50,middle=35,outer=15`` (per cent or any proportions)."""
    out: dict[str, float] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep:
            raise InvalidInput(
                f"{part.strip()!r}: use ring=share, e.g. inner=50,middle=35,outer=15")
        try:
            ring = Ring(key.strip().lower())
            share = float(value.strip().rstrip("%"))
        except ValueError:
            raise InvalidInput(f"{part.strip()!r}: use ring=share with inner, middle or outer"
                               ) from None
        if ring in out:  # "inner=50,inner=20" kept the last and gave inner 100 %
            raise InvalidInput(f"the {ring.value} ring is given twice in {text.strip()!r}")
        out[ring] = share
    missing = [ring.value for ring in RING_ORDER if ring not in out]
    if missing and out:  # "inner=50" set middle and outer to 0 % without a word
        raise InvalidInput(
            f"give a share for every ring (missing: {', '.join(missing)}), e.g. "
            "inner=50,middle=35,outer=15; a ring you mean to leave out is ring=0")
    return clean_time_share(out)


@dataclass(frozen=True)
class RingTime:
    ring: Ring
    minutes: int
    share: float  # of all minutes on the rings
    intended: float

    @property
    def gap(self) -> float:
        """Positive: more time than intended."""
        return self.share - self.intended


def time_per_ring(minutes: Mapping[Ring, int], intended: Mapping[Ring, float]
                  ) -> list[RingTime]:
    total = sum(minutes.get(r, 0) for r in RING_ORDER)
    return [RingTime(r, minutes.get(r, 0), minutes.get(r, 0) / total if total else 0.0,
                     intended.get(r, 0.0)) for r in RING_ORDER]


# ------------------------------------------------------------------ weeks


def last_weeks(as_of: datetime, tz: tzinfo, count: int = DASHBOARD_WEEKS) -> list[tuple]:
    """The ``count`` ISO weeks up to the one holding ``as_of``, oldest first, as
    ``(IsoWeek, start, end)`` with local start and end (see ``focus.week_bounds``)."""
    from planner.domain.focus import IsoWeek, current_iso_week, week_bounds

    this = current_iso_week(as_of, tz)
    out = []
    for back in range(count - 1, -1, -1):
        monday = this.monday - timedelta(weeks=back)
        iso = monday.isocalendar()
        week = IsoWeek(iso.year, iso.week)
        out.append((week, *week_bounds(week, tz)))
    return out


def week_slot(at: datetime, weeks: list[tuple]) -> int | None:
    """Index of the week (from :func:`last_weeks`) that holds ``at``; None outside."""
    for index, (_, start, end) in enumerate(weeks):
        if start <= at <= end:
            return index
    return None
