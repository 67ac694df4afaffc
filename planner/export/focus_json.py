"""The focus list as JSON, for scripts and other tools.

Every datetime is ISO 8601 in UTC with an explicit offset
(``2026-11-16T08:00:00+00:00``); a missing value is ``null``. The output is
strict JSON (no ``Infinity``): never-contacted people have ``urgency: null``.

Top level:

================  ========  ================================================
field             type      meaning
================  ========  ================================================
``week``          string    ISO week, ``"2026-W47"``
``year``          integer   ISO year of the week (may differ from the
                            calendar year around New Year)
``week_number``   integer   1–53
``timezone``      string    zone the week was computed in (``"Europe/Berlin"``)
``week_start``    datetime  Monday 00:00 local, written in UTC
``week_end``      datetime  Sunday 23:59:59.999999 local, written in UTC
``as_of``         datetime  the moment statuses and urgency were computed at
``items``         array     one object per person, most urgent first
================  ========  ================================================

Each item:

==================  ==============  ============================================
field               type            meaning
==================  ==============  ============================================
``rank``            integer         1 = most urgent
``contact_id``      integer         the person's id in the planner
``name``            string          their name
``ring``            string          ``inner``, ``middle`` or ``outer``
``status``          string          ``never``, ``overdue``, ``due-soon`` or
                                    ``on-track``
``cadence_days``    integer         their cadence (ring default or override)
``last_touch``      datetime|null   latest touchpoint; ``null`` if never
``last_touch_kind`` string|null     its kind (``coffee``, ``im``...)
``next_due``        datetime        last touch + cadence; ``as_of`` if never
``days_overdue``    integer         whole days past ``next_due``; 0 if not
                                    overdue or never contacted
``urgency``         number|null     elapsed / cadence (1.0 = exactly due);
                                    ``null`` when never contacted
``channel``         string          preferred channel (``im``, ``email``...),
                                    may be empty
``address``         string          email, handle or phone for that channel
``note``            string          first line of the latest note
``action``          string          suggested next step
``birthday``        object|null     a birthday in the next 7 days: ``date``
                                    (local), ``in_days`` (0 = today), ``age``
                                    (they turn; ``null`` without a year)
==================  ==============  ============================================
"""

from __future__ import annotations

import json
import math
from typing import Any

from planner.domain.focus import FocusItem, FocusList
from planner.export.focus_common import iso_utc

ITEM_FIELDS = (
    "rank", "contact_id", "name", "ring", "status", "cadence_days", "last_touch",
    "last_touch_kind", "next_due", "days_overdue", "urgency", "channel", "address", "note",
    "action", "birthday",
)
TOP_FIELDS = (
    "week", "year", "week_number", "timezone", "week_start", "week_end", "as_of", "items",
)


def render(focus_list: FocusList, *, indent: int | None = 2) -> str:
    """Strict JSON text (UTF-8 characters kept as is), ending in a newline."""
    text = json.dumps(to_dict(focus_list), indent=indent, ensure_ascii=False, allow_nan=False)
    return text + "\n"


def to_dict(focus_list: FocusList) -> dict[str, Any]:
    """The JSON document as plain Python values, fields in documented order."""
    return {
        "week": focus_list.label,
        "year": focus_list.year,
        "week_number": focus_list.week,
        "timezone": _zone_name(focus_list),
        "week_start": iso_utc(focus_list.week_start),
        "week_end": iso_utc(focus_list.week_end),
        "as_of": iso_utc(focus_list.as_of),
        "items": [item_dict(item, rank) for rank, item in enumerate(focus_list.items, 1)],
    }


def item_dict(item: FocusItem, rank: int) -> dict[str, Any]:
    return {
        "rank": rank,
        "contact_id": item.contact_id,
        "name": item.name,
        "ring": item.ring.value,
        "status": item.status.value,
        "cadence_days": item.cadence_days,
        "last_touch": iso_utc(item.last_touch),
        "last_touch_kind": item.last_touch_kind,
        "next_due": iso_utc(item.next_due),
        "days_overdue": item.days_overdue,
        "urgency": item.urgency if math.isfinite(item.urgency) else None,
        "channel": item.channel,
        "address": item.address,
        "note": item.note,
        "action": item.action,
        "birthday": None if item.birthday is None else {
            "date": item.birthday.on.isoformat(), "in_days": item.birthday.in_days,
            "age": item.birthday.age},
    }


def _zone_name(focus_list: FocusList) -> str:
    """The IANA key when there is one, else what the zone calls itself."""
    zone = focus_list.tz
    return getattr(zone, "key", None) or zone.tzname(focus_list.week_start) or "UTC"
