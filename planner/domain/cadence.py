"""How often each person should be reached, and how they stand against that rhythm.

A cadence is an exact duration (``days`` × 24 hours), measured from the last
touchpoint. Notes never reset it; the caller decides what the last touch is.

Boundaries, with ``elapsed = now - last_touch`` and ``cadence = days × 24 h``:

=================  =========================================
status             condition
=================  =========================================
``never``          no touchpoint at all (``last_touch is None``)
``on-track``       ``elapsed <  75 % of cadence``
``due-soon``       ``75 % of cadence <= elapsed <= cadence``
``overdue``        ``elapsed >  cadence``
=================  =========================================

So a person is *due soon* at exactly 75 % and still *due soon* at exactly
100 % (the due moment itself); one microsecond later they are *overdue*. The
comparisons are made on ``timedelta`` values (integer microseconds), never on
floats, so the boundaries are exact.

A last touch later than ``now`` (clock skew between machines) counts as a
touch made just now: elapsed time is clamped at zero instead of going
negative.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from planner.domain.errors import InvalidInput
from planner.domain.rings import DEFAULT_CADENCE_DAYS, Ring

#: Fraction of the cadence after which a person is "due soon".
DUE_SOON_FRACTION = 0.75


class Status(StrEnum):
    ON_TRACK = "on-track"
    DUE_SOON = "due-soon"
    OVERDUE = "overdue"
    NEVER = "never"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[Status, str] = {
    Status.ON_TRACK: "on track",
    Status.DUE_SOON: "due soon",
    Status.OVERDUE: "overdue",
    Status.NEVER: "never contacted",
}


def cadence_days(
    ring: Ring,
    override: int | None = None,
    ring_cadences: Mapping[Ring, int] | None = None,
) -> int:
    """The cadence in days for a person on ``ring``.

    A per-person ``override`` wins; otherwise the ring's value from
    ``ring_cadences`` (the user's settings), falling back to the built-in
    default for a ring the mapping leaves out. Settings are typed by people,
    so a non-positive value is an :class:`InvalidInput`, not a crash later.
    """
    if override is not None:
        return _valid_days(override, "this person's cadence")
    cadences = ring_cadences if ring_cadences is not None else DEFAULT_CADENCE_DAYS
    days = cadences.get(ring, DEFAULT_CADENCE_DAYS[ring])
    return _valid_days(days, f"the {ring.value} ring's cadence")


def _valid_days(days: object, what: str) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise InvalidInput(f"{what} must be a whole number of days, at least 1, not {days!r}")
    return days


def require_aware(moment: datetime, what: str = "the time") -> datetime:
    """Refuse naive datetimes: mixing them with UTC ones silently shifts by hours."""
    if not isinstance(moment, datetime):
        raise TypeError(f"{what} must be a datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware (got naive {moment.isoformat()})")
    return moment


def _check(last_touch: datetime | None, days: int, now: datetime) -> None:
    require_aware(now, "now")
    if last_touch is not None:
        require_aware(last_touch, "last_touch")
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(f"cadence_days must be a positive int, not {days!r}")


def _elapsed(last_touch: datetime, now: datetime) -> timedelta:
    """Time since the last touch, never negative (a future touch counts as now)."""
    return max(now - last_touch, timedelta(0))


def next_due(last_touch: datetime | None, cadence_days: int, now: datetime) -> datetime:
    """When the person should next be reached, in UTC.

    Last touch plus the cadence; someone never touched is due ``now``.
    Arithmetic is done in UTC so a daylight-saving change does not stretch or
    shrink the cadence by an hour.
    """
    _check(last_touch, cadence_days, now)
    if last_touch is None:
        return now.astimezone(UTC)
    return last_touch.astimezone(UTC) + timedelta(days=cadence_days)


def urgency(last_touch: datetime | None, cadence_days: int, now: datetime) -> float:
    """Elapsed time as a fraction of the cadence: 1.0 is exactly due, 2.0 twice late.

    Never contacted is ``math.inf`` so those people rank before everyone else.
    """
    _check(last_touch, cadence_days, now)
    if last_touch is None:
        return math.inf
    return _elapsed(last_touch, now) / timedelta(days=cadence_days)


def status_at(last_touch: datetime | None, cadence_days: int, now: datetime) -> Status:
    """The cadence status at ``now``; see the module docstring for exact boundaries."""
    _check(last_touch, cadence_days, now)
    if last_touch is None:
        return Status.NEVER
    elapsed = _elapsed(last_touch, now)
    cadence = timedelta(days=cadence_days)
    if elapsed > cadence:
        return Status.OVERDUE
    # elapsed >= 0.75 * cadence, written in integers: 4 * elapsed >= 3 * cadence
    if elapsed * 4 >= cadence * 3:
        return Status.DUE_SOON
    return Status.ON_TRACK


def days_overdue(last_touch: datetime | None, cadence_days: int, now: datetime) -> int:
    """Whole days (24 h periods) past the due moment; 0 when not overdue.

    Never contacted is 0 too: there is no due date to be late against, and
    :func:`status_at` already says ``never``. An int (not ``None``) keeps
    sorting, CSV columns and JSON consumers simple.
    """
    _check(last_touch, cadence_days, now)
    if last_touch is None:
        return 0
    late = now - next_due(last_touch, cadence_days, now)
    return max(late // timedelta(days=1), 0)
