"""Settings that belong to the data (ring capacities, cadences), as JSON values."""

from __future__ import annotations

import json
from typing import Any

from planner.storage.models import SettingRow


def get_setting(key: str, default: Any = None) -> Any:
    row = SettingRow.get_or_none(SettingRow.key == key)
    return json.loads(row.value) if row else default


def set_setting(key: str, value: Any) -> None:
    text = json.dumps(value)
    (
        SettingRow.insert(key=key, value=text)
        .on_conflict(conflict_target=[SettingRow.key], update={SettingRow.value: text})
        .execute()
    )


def all_settings() -> dict[str, Any]:
    return {row.key: json.loads(row.value) for row in SettingRow.select()}
