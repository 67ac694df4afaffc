"""The weekly focus list: who needs you this ISO week, most urgent first.

Weeks are ISO weeks in *local* time: Monday 00:00 up to (not including) the
next Monday 00:00, computed with ``zoneinfo`` so a week with a daylight-saving
change is 167 or 169 hours long, as it really is. A person is in the week's
list when their next due moment is on or before the week's last microsecond
(Sunday 23:59:59.999999 local). Never-contacted people are always in it: they
have been due since they were placed.

Ranking: urgency as of the list's moment (elapsed / cadence, never contacted
= infinity) descending, then ring (inner first), then name ignoring case,
then contact id so the order is total and stable.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import NamedTuple
from zoneinfo import ZoneInfo

from planner.domain.cadence import (
    Status,
    days_overdue,
    next_due,
    require_aware,
    status_at,
    urgency,
)
from planner.domain.contact import Birthday
from planner.domain.errors import InvalidInput
from planner.domain.markdown_text import plain_lines
from planner.domain.reminders import UpcomingBirthday, birthday_action, upcoming_birthday
from planner.domain.rings import RING_ORDER, Ring

NOTE_MAX = 200  # the note column is a reminder, not the note itself
LONG_OVERDUE = 2.0  # "long overdue" means more than twice the cadence has passed
MIN_YEAR, MAX_YEAR = 1900, 9998  # keeps week ends and UTC conversions in range

# ---------------------------------------------------------------- ISO weeks

class IsoWeek(NamedTuple):
    """An ISO week: unpacks as ``(year, week)``; ``str()`` gives ``2026-W47``."""

    year: int
    week: int

    @property
    def label(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"

    def __str__(self) -> str:
        return self.label

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)


_WEEK_RE = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)


def parse_iso_week(text: str) -> IsoWeek:
    """Read ``2026-W47`` (also ``2026W47``, ``2026-w47``, ``2026-W7``) as typed by a person."""
    match = _WEEK_RE.fullmatch((text or "").strip())
    if not match:
        raise InvalidInput(f"week {text!r}: use an ISO week like 2026-W47")
    return make_week(int(match.group(1)), int(match.group(2)))


def make_week(year: int, week: int) -> IsoWeek:
    """Validate a (year, week) pair; week 53 exists only in some years."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(f"year {year} is out of range ({MIN_YEAR} to {MAX_YEAR})")
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        last = date(year, 12, 28).isocalendar().week  # 28 Dec is always in the last week
        raise InvalidInput(f"{year} has no ISO week {week}: its weeks are 1 to {last}") from None
    return IsoWeek(year, week)


def current_iso_week(now: datetime | None = None, tz: tzinfo | None = None) -> IsoWeek:
    """The ISO week containing ``now`` (default: this moment) on the local calendar."""
    moment = require_aware(now, "now") if now is not None else datetime.now(UTC)
    year, week, _ = moment.astimezone(tz or local_zone()).isocalendar()
    return IsoWeek(year, week)


def week_bounds(week: IsoWeek, tz: tzinfo) -> tuple[datetime, datetime]:
    """First and last microsecond of the week, as aware local datetimes.

    Both ends go through UTC: that turns a midnight that does not exist (a
    zone switching to summer time at 00:00) into the first real instant, and
    makes the end exactly one microsecond before the next Monday begins.
    """
    start = _local_midnight(week.monday, tz)
    next_start = _local_midnight(week.monday + timedelta(days=7), tz)
    end = (next_start.astimezone(UTC) - timedelta(microseconds=1)).astimezone(tz)
    return start, end


def _local_midnight(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=tz).astimezone(UTC).astimezone(tz)


def local_zone() -> tzinfo:
    """The system's zone as a DST-aware ``ZoneInfo``: ``$TZ``, else ``/etc/localtime``.

    The last resort (e.g. Windows) is the current fixed UTC offset, wrong
    across a DST change: callers that know the user's zone should pass it.
    """
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    real = os.path.realpath("/etc/localtime")
    if "zoneinfo/" in real:
        candidates.append(real.split("zoneinfo/", 1)[1])
    for key in filter(None, candidates):
        try:
            return ZoneInfo(key)
        except (KeyError, ValueError, OSError):
            continue
    try:
        with open("/etc/localtime", "rb") as handle:
            return ZoneInfo.from_file(handle, key="localtime")
    except (OSError, ValueError):
        return datetime.now().astimezone().tzinfo or UTC


# ------------------------------------------------------------- the data

@dataclass(frozen=True)
class FocusCandidate:
    """A placed person as the focus list needs them; services fill this in.

    ``cadence_days`` is already resolved (see ``cadence.cadence_days``);
    ``last_touch`` is the latest touchpoint (notes do not count), aware.
    The advocacy hints default to "nothing to say" until that feature lands.
    ``timezone`` (an IANA name) only decides between coffee and a video call.
    """

    contact_id: int
    name: str
    ring: Ring | None
    cadence_days: int
    last_touch: datetime | None = None
    last_touch_kind: str | None = None
    email: str = ""
    channels: tuple[str, ...] = ()
    handles: Mapping[str, str] = field(default_factory=dict)
    phones: tuple[str, ...] = ()
    latest_note: str = ""
    recent_win: str | None = None
    uncelebrated_win: str | None = None
    thanks_due: str | None = None
    near_fatigue: bool = False
    timezone: str = ""
    birthday: Birthday | None = None
    snoozed_until: datetime | None = None  # out of the list until this moment (aware)


@dataclass(frozen=True)
class FocusItem:
    """One line of the focus list. Datetimes are UTC; exports localise them.

    ``days_overdue`` is 0 for never-contacted people (``status`` says
    ``never``); ``urgency`` is ``math.inf`` for them.
    """

    name: str
    contact_id: int
    ring: Ring
    status: Status
    cadence_days: int
    last_touch: datetime | None
    last_touch_kind: str | None
    next_due: datetime
    days_overdue: int
    urgency: float
    channel: str
    address: str
    note: str
    action: str
    birthday: UpcomingBirthday | None = None  # within the next 7 days


@dataclass(frozen=True)
class FocusList:
    """The ranked list for one ISO week, computed as of ``as_of`` (UTC)."""

    year: int
    week: int
    week_start: datetime  # local, Monday 00:00
    week_end: datetime  # local, Sunday 23:59:59.999999
    as_of: datetime
    items: tuple[FocusItem, ...]

    @property
    def label(self) -> str:
        return IsoWeek(self.year, self.week).label

    @property
    def tz(self) -> tzinfo:
        """The zone the week was computed in, for showing local dates."""
        return self.week_start.tzinfo or UTC

    def by_ring(self) -> dict[Ring, list[FocusItem]]:
        """Items grouped inner → outer, each group keeping the ranking order."""
        groups: dict[Ring, list[FocusItem]] = {ring: [] for ring in RING_ORDER}
        for item in self.items:
            groups[item.ring].append(item)
        return groups


# ------------------------------------------------------------ the list

def build_focus_list(
    candidates: Iterable[FocusCandidate],
    week: IsoWeek | tuple[int, int] | str | None = None,
    *,
    as_of: datetime | None = None,
    tz: tzinfo | None = None,
    limit: int | None = None,
) -> FocusList:
    """Rank the people due by the end of ``week`` (default: the week of ``as_of``).

    Unplaced and snoozed candidates are skipped; a birthday in the next 7 days
    (from ``as_of``'s local date) brings a person in even when not due;
    ``limit`` keeps the N most urgent.
    """
    zone = tz or local_zone()
    moment = (require_aware(as_of, "as_of") if as_of else datetime.now(UTC)).astimezone(UTC)
    wk = _coerce_week(week, moment, zone)
    start, end = week_bounds(wk, zone)
    items = [
        item
        for cand in candidates
        if cand.ring is not None and not _snoozed(cand, moment)
        and (_due_by(item := focus_item(cand, moment, zone), end) or item.birthday)
    ]
    items.sort(key=rank_key)
    if limit is not None:
        items = items[: _valid_limit(limit)]
    return FocusList(wk.year, wk.week, start, end, moment, tuple(items))


def _coerce_week(
    week: IsoWeek | tuple[int, int] | str | None, as_of: datetime, tz: tzinfo
) -> IsoWeek:
    if week is None:
        return current_iso_week(as_of, tz)
    if isinstance(week, str):
        return parse_iso_week(week)
    return make_week(*week)


def _snoozed(cand: FocusCandidate, moment: datetime) -> bool:
    return cand.snoozed_until is not None and require_aware(
        cand.snoozed_until, "snoozed_until") > moment


def _due_by(item: FocusItem, end: datetime) -> bool:
    return item.status is Status.NEVER or item.next_due <= end


def _valid_limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidInput(f"the limit must be a whole number of people, at least 1, not {limit!r}")
    return limit


def rank_key(item: FocusItem) -> tuple[float, int, str, int]:
    """Most urgent first; ties: inner ring first, then name (ignoring case), then id."""
    return (-item.urgency, item.ring.depth, item.name.casefold(), item.contact_id)


def focus_item(cand: FocusCandidate, as_of: datetime, tz: tzinfo | None = None) -> FocusItem:
    """Evaluate one placed candidate as of ``as_of``.

    A last touch after ``as_of`` is ignored (treated as unknown, so the person
    counts as never contacted): the list describes what was known at that
    moment, and the caller should only have passed earlier touches anyway.
    """
    if cand.ring is None:
        raise ValueError(f"{cand.name!r} is not placed on a ring")
    touch, kind = cand.last_touch, cand.last_touch_kind
    if touch is not None and require_aware(touch, "last_touch") > as_of:
        touch, kind = None, None
    status = status_at(touch, cand.cadence_days, as_of)
    score = urgency(touch, cand.cadence_days, as_of)
    channel, address = reachable(cand, preferred_channel(cand))
    remote = _seems_remote(cand, channel, as_of, tz)
    birthday = upcoming_birthday(cand.birthday, as_of.astimezone(tz or UTC).date())
    action = (birthday_action(birthday) if birthday
              else suggest_action(cand, status, score, channel, remote))
    return FocusItem(
        name=cand.name,
        contact_id=cand.contact_id,
        ring=cand.ring,
        status=status,
        cadence_days=cand.cadence_days,
        last_touch=touch.astimezone(UTC) if touch else None,
        last_touch_kind=kind,
        next_due=next_due(touch, cand.cadence_days, as_of),
        days_overdue=days_overdue(touch, cand.cadence_days, as_of),
        urgency=score,
        channel=channel,
        address=address,
        note=first_line(cand.latest_note),
        action=action,
        birthday=birthday,
    )


# ------------------------------------------------- channels and actions
_PHONE_CHANNELS = frozenset({"sms", "text", "call", "phone", "whatsapp", "signal", "telegram"})
_IM_KEYS = ("im", "slack", "signal", "whatsapp", "telegram", "discord", "matrix", "teams")
_REMOTE_CHANNELS = frozenset({"video", "call", "phone"})

#: How a channel reads after a verb: "Quick check-in on IM", "... by email".
CHANNEL_PHRASES: dict[str, str] = {
    "email": "by email", "mail": "by email", "im": "on IM", "sms": "by SMS",
    "text": "by SMS", "call": "by phone", "phone": "by phone", "video": "on a video call",
    "coffee": "over coffee", "meal": "over a meal", "in-person": "in person",
    "event": "at an event", "github": "on GitHub", "linkedin": "on LinkedIn",
    "whatsapp": "on WhatsApp", "x": "on X",
}


def channel_phrase(channel: str) -> str:
    """``"on Slack"``, ``"by email"``...; unknown channels read ``"on <Name>"``."""
    key = channel.strip().lower()
    if not key:
        return ""
    return CHANNEL_PHRASES.get(key, f"on {key[:1].upper()}{key[1:]}")


def preferred_channel(cand: FocusCandidate) -> str:
    """Their first preferred channel; else email, a handle's network, or phone
    (the rule of planner.domain.channels)."""
    from planner.domain.channels import preferred_channel as preferred

    return preferred(cand)


def _fitting_address(cand: FocusCandidate, channel: str) -> str:
    """The email, handle or number that fits ``channel``; "" if they have none."""
    handles = {key.lower(): value for key, value in cand.handles.items() if value}
    if channel in ("email", "mail") and cand.email:
        return cand.email
    if channel in handles:
        return handles[channel]
    if channel == "im":
        found = next((handles[key] for key in _IM_KEYS if key in handles), "")
        if found:
            return found
    if channel in _PHONE_CHANNELS:
        return next((p for p in cand.phones if p), "")
    return ""


def contact_address(cand: FocusCandidate, channel: str) -> str:
    """The email, handle or number that fits ``channel``; else any way to reach them."""
    handles = [value for value in cand.handles.values() if value]
    phone = next((p for p in cand.phones if p), "")
    return (_fitting_address(cand, channel) or cand.email or phone
            or next(iter(handles), ""))


def reachable(cand: FocusCandidate, channel: str) -> tuple[str, str]:
    """(channel, address) to reach them by: ``channel`` with the address that fits it; a
    channel that needs an address they have none for (IM, SMS, a call, email, a network)
    gives way to one they have — "IM: ada@example.org" and "Quick check-in by SMS" for
    someone with no number read as if that address were their IM or their phone. A
    channel that needs none (coffee, video…) keeps its name, with any way to reach them."""
    fitting = _fitting_address(cand, channel)
    address = fitting or contact_address(cand, channel)
    if fitting or channel in _NO_ADDRESS_CHANNELS or not address:
        return channel, address
    if address == cand.email:
        return "email", address
    if address in cand.phones:
        return "call", address
    key = next((k for k, v in cand.handles.items() if v == address), channel)
    return key.lower(), address


def suggested_kind(person, default: str = "coffee") -> str:
    """The kind of touchpoint to log with someone This week suggests reaching: the channel
    of its suggestion (``reachable``: their preferred channel, or the one they have an
    address for) as a kind — "Reach out by email" opened the log as IM, their first
    channel, for want of an IM address. A channel naming no kind is a message (IM);
    nobody to reach: ``default``."""
    from planner.domain.channels import preferred_channel
    from planner.domain.errors import InvalidInput
    from planner.domain.kinds import parse_kind

    preferred = preferred_channel(person)
    if not preferred:
        return default
    channel, _address = reachable(person, preferred)
    try:
        return parse_kind(channel).value
    except InvalidInput:
        return "im"


#: channels that are a way to meet, not an address to write to
_NO_ADDRESS_CHANNELS = frozenset({"coffee", "meal", "in-person", "event", "video"})


def first_line(text: str | None) -> str:
    """The first non-empty line of a note as text (its Markdown marks taken out),
    shortened."""
    for line in plain_lines(text):
        if line:
            return line if len(line) <= NOTE_MAX else line[: NOTE_MAX - 1].rstrip() + "…"
    return ""


def _seems_remote(cand: FocusCandidate, channel: str, as_of: datetime, tz: tzinfo | None):
    """Remote if they prefer calls/video or live at another UTC offset right now."""
    if channel in _REMOTE_CHANNELS:
        return True
    if not cand.timezone or tz is None:
        return False
    try:
        theirs = ZoneInfo(cand.timezone)
    except (KeyError, ValueError, OSError):
        return False
    return as_of.astimezone(theirs).utcoffset() != as_of.astimezone(tz).utcoffset()


def suggest_action(
    cand: FocusCandidate, status: Status, score: float, channel: str, remote: bool = False
) -> str:
    """The suggested next step. First matching rule wins:

    1. an uncelebrated win → celebrate it;  2. a done ask not yet thanked → thank;
    3. near ask-fatigue → give, don't ask;  4. a recent win (celebrated: rule 1 takes the
    others) → follow up on it, not "celebrate" it a second time;
    5. never contacted → reach out;  6. more than 2× cadence → coffee / video call;
    7. by ring: inner quick check-in, middle catch-up, outer short note (by their
       channel, unless it is a way to meet: coffee, a video call…).
    """
    on = channel_phrase(channel)
    if _text(cand.uncelebrated_win):
        return f"Celebrate their win: {_text(cand.uncelebrated_win)}"
    if _text(cand.thanks_due):
        return f"Say thank you for {_text(cand.thanks_due)}"
    if cand.near_fatigue:
        gift = _join("Give, don't ask: share something useful", on)
        return gift + " (an intro, early access, a review)"
    if _text(cand.recent_win):
        return f"Follow up on their recent win: {_text(cand.recent_win)}"
    if status is Status.NEVER:
        return _join("Reach out", on) + ": nothing is logged with them yet"
    if score > LONG_OVERDUE:
        return "Propose a video call to reconnect" if remote else "Propose a coffee to reconnect"
    if cand.ring is Ring.INNER:
        return _join("Quick check-in", on)
    if cand.ring is Ring.MIDDLE:
        return _join("Catch up", on) + ": ask what they're working on"
    # a note is written, not met over: "on a video call", "over coffee" read as nonsense
    return _join("Send a short note", "" if channel in _NO_ADDRESS_CHANNELS else on)


def _text(value: str | None) -> str:
    return " ".join((value or "").split())  # hints are one line in every format


def _join(verb: str, phrase: str) -> str:
    return f"{verb} {phrase}" if phrase else verb
