"""What each setting that belongs to the data may hold, and reading it safely.

Settings live in the database as JSON, so anything can be there: an old
version's value, a hand-edited database, a crafted JSON export. Every known
setting has a rule here (its default and a ``clean`` that returns the value
as stored, or raises :class:`InvalidInput` naming what is wrong). Reads go
through :func:`read_setting`: a value that breaks its rule is ignored for the
default, with a warning in the log (and once per process through
:func:`set_warning_handler`, e.g. one line on the CLI's stderr) — so no stored
value can crash ``rings``, ``focus``, ``stats`` or the window. Writes go
through :func:`write_setting`, and a dump's settings through
:func:`clean_setting` before anything is restored.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from planner.domain.contact import clean_cadence
from planner.domain.errors import InvalidInput
from planner.domain.rings import DEFAULT_CADENCE_DAYS, DEFAULT_CAPACITY, Ring, validate_capacities
from planner.services.setting_warnings import set_warning_handler, warn_once  # noqa: F401  (re-exported)
from planner.storage.settings_repo import (
    FATIGUE_LIMIT_KEY,
    OWN_ADDRESSES_KEY,
    TARGET_SHARE_KEY,
    TIME_SHARE_KEY,
    raw_setting,
    set_setting,
)

log = logging.getLogger(__name__)

CAPACITY = "ring_capacity"
CADENCE = "ring_cadence_days"
BACKUP_KEEP = "backup_keep"
DEFAULT_KEEP, MAX_KEEP = 10, 1000  # the same numbers as services.backups (checked by a test)


@dataclass(frozen=True)
class Rule:
    default: Callable[[], Any]  # the value used when none (or a bad one) is stored
    clean: Callable[[Any], Any]  # the value as it is stored; InvalidInput if it is not valid


def _whole(value: Any, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"{what} must be a whole number from {low} to {high}, not {value!r}")
    return value


def _ring_map(value: Any, check: Callable[[Ring, Any], Any], what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(f"expected a map of ring → {what} (inner, middle, outer), not {value!r}")
    out = {}
    for key, item in value.items():
        try:
            ring = Ring(key)
        except ValueError:
            raise InvalidInput(f"unknown ring {key!r}") from None
        out[ring.value] = check(ring, item)
    return out


def _capacity(ring: Ring, n: Any) -> int:
    _whole(n, 1, 1000, f"the {ring.value} ring's capacity")
    validate_capacities({ring: n})
    return n


def _cadence(ring: Ring, days: Any) -> int:
    _whole(days, 1, 3650, f"the {ring.value} ring's cadence")
    clean_cadence(days)
    return days


def _fraction(ring: Ring, share: Any) -> float:
    if isinstance(share, bool) or not isinstance(share, int | float) or not math.isfinite(share):
        raise InvalidInput(f"the {ring.value} ring's share of time must be a number, not {share!r}")
    if share < 0:
        raise InvalidInput(f"the {ring.value} ring's share of time must be 0 or more")
    return share


def _advocacy():
    """The advocacy rules (planner.domain.advocacy), imported when an advocacy setting is
    first read or written: reading the other settings — the window's first frame — does
    not need the ledger's code (issue 23)."""
    from planner.domain import advocacy

    return advocacy


def _time_share(value: Any) -> dict[str, float]:
    shares = _ring_map(value, _fraction, "share of time")
    _advocacy().clean_time_share(shares)  # adds up to something
    return shares


def _share(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isinf(value):
        raise InvalidInput(f"the advocate target must be a share like 0.1, not {value!r}")
    return _advocacy().clean_share(value)


RULES: dict[str, Rule] = {
    CAPACITY: Rule(lambda: {r.value: DEFAULT_CAPACITY[r] for r in Ring},
                   lambda v: _ring_map(v, _capacity, "capacity")),
    CADENCE: Rule(lambda: {r.value: DEFAULT_CADENCE_DAYS[r] for r in Ring},
                  lambda v: _ring_map(v, _cadence, "days")),
    BACKUP_KEEP: Rule(lambda: DEFAULT_KEEP,
                      lambda v: _whole(v, 1, MAX_KEEP, "the number of backups to keep")),
    TARGET_SHARE_KEY: Rule(lambda: _advocacy().DEFAULT_TARGET_SHARE, _share),
    FATIGUE_LIMIT_KEY: Rule(lambda: _advocacy().DEFAULT_FATIGUE_LIMIT,
                            lambda v: _advocacy().clean_limit(v)),
    TIME_SHARE_KEY: Rule(lambda: {r.value: s for r, s in _advocacy().DEFAULT_TIME_SHARE.items()},
                         _time_share),
}

#: Settings the dumps of older versions may hold that are no longer shared settings: a
#: restore leaves them out (the own addresses for capture are each user's own setting
#: since schema version 9, and like the capture sources not part of a dump).
RETIRED = frozenset({OWN_ADDRESSES_KEY})


def clean_setting(key: str, value: Any) -> Any:
    """``value`` as ``key`` stores it; InvalidInput naming what is wrong (or the key unknown)."""
    rule = RULES.get(key)
    if rule is None:
        raise InvalidInput(f"unknown setting {key!r} (known: {', '.join(sorted(RULES))})")
    try:
        return rule.clean(value)
    except InvalidInput as exc:
        raise InvalidInput(_short(str(exc))) from None
    except RecursionError:
        raise InvalidInput("not a valid value (nested too deeply)") from None
    except (TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise InvalidInput(_short(f"not a valid value ({exc})")) from None


def _short(text: str, limit: int = 160) -> str:
    """A message quoting a crafted value stays one readable line."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_setting(key: str) -> Any:
    """The stored value of ``key`` if it is valid, else its default (logged, never raised)."""
    rule = RULES[key]
    text = raw_setting(key)
    if text is None:
        return rule.default()
    try:
        return rule.clean(json.loads(text))
    except RecursionError:
        problem = "nested too deeply"
    except (InvalidInput, TypeError, ValueError, AttributeError, OverflowError) as exc:
        problem = str(exc) if isinstance(exc, InvalidInput) else f"not JSON: {exc}"
    message = f"the stored setting {key} is not valid ({_short(problem)}); using the default"
    warn_once(message)  # first: the CLI's handler also sets up the log file
    log.warning(message)
    return rule.default()


def write_setting(key: str, value: Any) -> Any:
    """Check ``value`` against its rule, then store it (inside the caller's transaction)."""
    cleaned = clean_setting(key, value)  # (its message names what it is about: not with
    set_setting(key, cleaned)            # the key, "setting ring_time_share: …" as it was)
    return cleaned
