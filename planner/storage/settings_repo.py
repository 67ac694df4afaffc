"""Settings that belong to the data (ring capacities, cadences), as JSON values.

What each value may be is checked above this layer
(:mod:`planner.services.setting_rules`); here a value that is not even JSON
reads as missing, with a warning in the log, instead of crashing the reader.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from planner.storage.models import OwnSettingRow, SettingRow

log = logging.getLogger(__name__)

# the advocacy ledger's settings (issue 12)
TARGET_SHARE_KEY = "advocate_target_share"
FATIGUE_LIMIT_KEY = "ask_fatigue_limit"
TIME_SHARE_KEY = "ring_time_share"
#: each user's own e-mail addresses, which capture never proposes as people: an own
#: setting (``get_own_setting``). Until schema version 9 it was a shared setting holding
#: ``{user: [address, …]}``, read and writable by every teammate.
OWN_ADDRESSES_KEY = "capture_own_addresses"


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


def get_own_setting(owner: str, key: str, default: Any = None) -> Any:
    """A setting of ``owner`` alone (``own_setting``: private on a team database)."""
    row = OwnSettingRow.get_or_none((OwnSettingRow.owner == owner) & (OwnSettingRow.key == key))
    return _decode(key, row.value, default) if row else default


def set_own_setting(owner: str, key: str, value: Any) -> None:
    """Store ``owner``'s ``key`` (the caller holds the write transaction). No upsert: on a
    team database the table is a view whose trigger writes the caller's own rows."""
    text = json.dumps(value)
    mine = (OwnSettingRow.owner == owner) & (OwnSettingRow.key == key)
    if not OwnSettingRow.update(value=text).where(mine).execute():
        OwnSettingRow.insert(owner=owner, key=key, value=text).execute()
