"""Stored settings that are not valid fall back to their defaults instead of crashing.

The values are planted straight into the settings table (as an old version, a
hand edit or a crafted export could leave them); then the real CLI (``rings``,
``focus``, ``stats``, ``goals``) and the real window must work on the defaults,
the CLI saying once on stderr which setting it ignored. Writes are checked.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from planner.domain.errors import InvalidInput
from planner.services import setting_rules
from tests.helpers.cli import invoke, ok

DEEP = "[" * 100_000 + "]" * 100_000
BAD = {
    "ring_capacity": ['"lots"', '{"inner": "x"}', '{"inner": -1}', '{"bogus": 3}', "[1, 2]",
                      '{"inner": 1e400}', "not json {", DEEP, '{"inner": 99999999999999999999}'],
    "ring_cadence_days": ['"weekly"', '{"outer": 0}', '{"middle": null}', '{"inner": 2.5}'],
    "advocate_target_share": ['"lots"', "Infinity", "NaN", "7", "-0.5", "true"],
    "ask_fatigue_limit": ['"two"', "0", "1e9", "[]"],
    "ring_time_share": ['"lots"', '{"inner": "x"}', '{"inner": 0}', '{"moon": 1}',
                        '{"inner": Infinity}', "{}"],
    "backup_keep": ['"all"', "0", "-3", "true"],
}
READ_BY = {"ring_capacity": "rings", "ring_cadence_days": "focus", "ring_time_share": "stats",
           "backup_keep": "backup"}
CASES = [(key, text) for key, texts in BAD.items() for text in texts]


def plant(db: Path, key: str, text: str) -> None:
    conn = sqlite3.connect(db)
    try:
        with conn:
            conn.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", (key, text))
    finally:
        conn.close()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("settings") / "seed.db"
    ok(invoke("contacts", "add", "Ada Lovelace", "--ring", "inner", db=db))
    ok(invoke("log", "Ada Lovelace", "coffee", "--minutes", "30", db=db))
    return db


@pytest.fixture
def db(seeded, tmp_path) -> Path:
    copy = tmp_path / "planner.db"
    copy.write_bytes(seeded.read_bytes())  # no connection to either in this process
    return copy


@pytest.mark.parametrize(("key", "text"), CASES, ids=[f"{k}={t[:20]}" for k, t in CASES])
def test_every_command_works_on_the_defaults(db, key, text):
    plant(db, key, text)
    reader = READ_BY.get(key, "goals")
    for command in ((reader,), ("stats",)) if reader != "stats" else (("stats",), ("rings",)):
        result = invoke(*command, db=db)
        out = ok(result)
        assert out
        warnings = [line for line in result.stderr.splitlines() if "warning" in line]
        if READ_BY.get(key) == command[0]:
            assert len(warnings) == 1 and key in warnings[0], (command, result.stderr)
        assert len(warnings) <= 1, result.stderr
    assert "Ada Lovelace" in ok(invoke("rings", db=db))


def test_the_window_opens_on_a_crafted_capacity(qtbot, db):
    from tests.gui.helpers import open_window

    plant(db, "ring_capacity", '"lots"')
    plant(db, "ring_time_share", '{"inner": "x"}')
    window = open_window(qtbot, db)
    assert window.isVisible()
    from planner.services.settings import capacities

    assert set(capacities().values()) == {3, 12, 72}


@pytest.mark.parametrize(("key", "value"), [
    ("ring_capacity", "lots"), ("ring_capacity", {"inner": 0}), ("ring_cadence_days", {"x": 1}),
    ("backup_keep", 0), ("ask_fatigue_limit", "2"), ("advocate_target_share", 2),
    ("ring_time_share", {"inner": -1}), ("something_else", 1),
])
def test_writes_are_checked_too(key, value):
    with pytest.raises(InvalidInput):
        setting_rules.write_setting(key, value)


def test_the_backup_numbers_match_the_backup_service():
    from planner.services import backups

    assert (setting_rules.DEFAULT_KEEP, setting_rules.MAX_KEEP) == (
        backups.DEFAULT_KEEP, backups.MAX_KEEP)
