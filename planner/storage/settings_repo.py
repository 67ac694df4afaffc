"""Settings that belong to the data (ring capacities, cadences), as JSON values.

What each value may be is checked above this layer
(:mod:`planner.services.setting_rules`); here a value that is not even JSON
reads as missing, with a warning in the log, instead of crashing the reader.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from planner.storage.models import SettingRow

log = logging.getLogger(__name__)

# the advocacy ledger's settings (issue 12)
TARGET_SHARE_KEY = "advocate_target_share"
FATIGUE_LIMIT_KEY = "ask_fatigue_limit"
TIME_SHARE_KEY = "ring_time_share"


def _decode(key: str, text: str, default: Any) -> Any:
    try:
        return json.loads(text)
    except (ValueError, TypeError, RecursionError):
        log.warning("the stored setting %s is not JSON; using the default", key)
        return default


def get_setting(key: str, default: Any = None) -> Any:
    row = SettingRow.get_or_none(SettingRow.key == key)
    return _decode(key, row.value, default) if row else default


def raw_setting(key: str) -> str | None:
    """The stored JSON text of ``key``, unparsed (None when it is not stored)."""
    row = SettingRow.get_or_none(SettingRow.key == key)
    return row.value if row else None


def set_setting(key: str, value: Any) -> None:
    text = json.dumps(value)
    (
        SettingRow.insert(key=key, value=text)
        .on_conflict(conflict_target=[SettingRow.key], update={SettingRow.value: text})
        .execute()
    )


def all_settings() -> dict[str, Any]:
    return {row.key: _decode(row.key, row.value, None) for row in SettingRow.select()}
