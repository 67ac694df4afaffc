"""Crafted JSON dumps are refused before anything is written, naming the first bad value.

Each mutation of a real dump (made by ``tests.unit.test_exporting.build_everything``)
is refused by ``import_json`` with one line holding where the value is; a few
go through the real CLI too (exit 1, one line, no traceback, the database still
empty). Hypothesis then replaces random values of the dump with random JSON:
the answer is a restore or an InvalidInput, never anything else.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.errors import InvalidInput
from planner.services import exporting
from planner.services.exporting import import_json
from planner.storage import dump
from planner.storage.database import open_database
from planner.storage.models import db_proxy
from tests.helpers.cli import invoke, ok, refused
from tests.helpers.stores import bound
from tests.unit.test_exporting import build_everything

DEEP = "[" * 100_000 + "]" * 100_000


def nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("dump") / "source.db"
    handle = open_database(str(path))
    try:
        build_everything()
        return exporting.export_json(bound())
    finally:
        handle.close()


def changed(data: dict, change) -> dict:
    copy = json.loads(json.dumps(data))
    change(copy)
    return copy


CRAFTED = [
    (lambda d: d["contacts"][0].update(id=2**63), "contacts[0].id: 9223372036854775808 is out"),
    (lambda d: d["contacts"][1].update(id=-5), "contacts[1].id: -5 is out of range"),
    (lambda d: d["contacts"][0].update(version=10**40), "contacts[0].version: a 41-digit"),
    (lambda d: d["touchpoints"][0].update(minutes=2**64), "touchpoints[0].minutes"),
    (lambda d: d["touchpoints"][0].update(minutes=10**9), "touchpoints[0].minutes: 1000000000"),
    (lambda d: d["touchpoints"][1].update(minutes=-1), "touchpoints[1].minutes"),
    (lambda d: d["placements"][0].update(position=10**12), "placements[0].position"),
    (lambda d: d["contacts"][0].update(cadence_days=99999), "contacts[0].cadence_days"),
    (lambda d: d["notes"][0].update(text="bad \ud800 text"), "notes[0].text: holds a character"),
    (lambda d: d["contacts"][2].update(name="Zo\udce9"), "contacts[2].name: holds a character"),
    (lambda d: d["contacts"][0]["handles"].update({"git\ud800": "x"}), "contacts[0].handles"),
    (lambda d: d["contacts"][0].update(tags=["ok", "x" * 600]), "contacts[0].tags[1]: too long"),
    (lambda d: d["touchpoints"][0].update(author="a" * 1000), "touchpoints[0].author: too long"),
    (lambda d: d["wins"][0].update(text="w" * 301), "wins[0].text: too long"),
    (lambda d: d["touchpoints"][0].update(at="0001-01-01T00:00:00+14:00"), "touchpoints[0].at"),
    (lambda d: d["touchpoints"][0].update(at="2026-13-45T00:00:00Z"), "touchpoints[0].at"),
    (lambda d: d["touchpoints"][0].update(contact_id=777), "touchpoints[0].contact_id: refers"),
    (lambda d: d["gives"][0].update(for_ask_id=4242), "gives[0].for_ask_id: refers to id 4242"),
    (lambda d: d["touchpoints"][0].update(kind="teleport"), "touchpoints[0].kind"),
    (lambda d: d["ring_moves"][0].update(to_ring="core"), "ring_moves[0].to_ring"),
    (lambda d: d["contacts"][0].update(stage="hero"), "contacts[0]"),
    (lambda d: d["settings"].update(ring_capacity="lots"), "settings.ring_capacity: expected"),
    (lambda d: d["settings"].update(ring_capacity={"inner": 0}), "settings.ring_capacity"),
    (lambda d: d["settings"].update(ring_cadence_days={"moon": 3}), "unknown ring 'moon'"),
    (lambda d: d["settings"].update(backup_keep=10**6), "settings.backup_keep"),
    (lambda d: d["settings"].update(ask_fatigue_limit="2"), "settings.ask_fatigue_limit"),
    (lambda d: d["settings"].update(advocate_target_share=7), "settings.advocate_target_share"),
    (lambda d: d["settings"].update(ring_time_share={"inner": "x"}), "settings.ring_time_share"),
    (lambda d: d["settings"].update(bogus=1), "settings.bogus: unknown setting"),
    (lambda d: d["settings"].update(ring_capacity=nested(900)), "settings.ring_capacity"),
    (lambda d: d["settings"].update(ask_fatigue_limit=list(range(10_000))), "…"),
    (lambda d: d["settings"].update({"b\ud800d": 1}), "settings.b\\ud800d: holds a character"),
    (lambda d: d["contacts"][0].update({"x\udc80": 1}), "unknown field(s) x\\udc80"),
]


@pytest.fixture
def empty(tmp_path):
    handle = open_database(str(tmp_path / "empty.db"))
    yield tmp_path / "empty.db"
    handle.close()


@pytest.mark.parametrize(("change", "words"), CRAFTED)
def test_a_crafted_value_is_refused_by_name_and_nothing_written(good, empty, change, words):
    with pytest.raises(InvalidInput) as caught:
        import_json(bound(), changed(good, change))
    message = str(caught.value)
    assert words in message, message
    assert "\n" not in message and len(message) < 700, message
    assert dump.is_empty() and dump.row_counts()["settings"] == 0


def test_the_unchanged_dump_restores(good, empty):
    counts = import_json(bound(), good)
    assert counts["contacts"] == 5


def dump_file(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "crafted.json"
    path.write_text(json.dumps(data), encoding="utf-8")  # lone surrogates as \ud800 escapes
    return path


@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d["contacts"][0].update(id=2**63), "contacts[0].id"),
    (lambda d: d["touchpoints"][0].update(minutes=2**70), "touchpoints[0].minutes"),
    (lambda d: d["notes"][0].update(text="\ud800"), "notes[0].text"),
    (lambda d: d["settings"].update(ring_capacity="lots"), "settings.ring_capacity"),
    (lambda d: d["settings"].update({"\udc80": 1}), "settings.\\udc80"),
])
def test_the_cli_refuses_with_one_line_and_writes_nothing(good, tmp_path, change, words):
    db = tmp_path / "new.db"
    path = dump_file(tmp_path, changed(good, change))
    for extra in ([], ["--dry-run"]):
        refused(invoke("import", str(path), *extra, db=db), words)
    assert ok(invoke("contacts", "list", db=db)).strip() in ("", "No people yet.") or \
        "Ada" not in ok(invoke("contacts", "list", db=db))
    ok(invoke("rings", db=db))  # settings untouched: rings still works


def test_deep_nesting_is_refused_not_a_crash(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"format": "mentorship-planner-dump", "version": 1, "contacts": '
                    + DEEP + "}", encoding="utf-8")
    refused(invoke("import", str(path), db=tmp_path / "new.db"), "nested too deeply")
    path.write_text(DEEP, encoding="utf-8")
    refused(invoke("import", str(path), "--format", "json", db=tmp_path / "new.db"),
            "nested too deeply")


# -- fuzzing: random JSON in random places ------------------------------------------------------
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=8,
)
PLACES = [
    (section, field)
    for section in ("contacts", "placements", "ring_moves", "touchpoints", "notes",
                    "stage_changes", "asks", "gives", "wins")
    for field in ("id", "contact_id", "at", "minutes", "kind", "ring", "name", "text", "note",
                  "phones", "handles", "version", "position", "for_ask_id", "celebrated_by_id",
                  "type", "status", "stage", "owner", "birthday")
]
SETTING_KEYS = ["ring_capacity", "ring_cadence_days", "backup_keep", "advocate_target_share",
                "ask_fatigue_limit", "ring_time_share"]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(place=st.sampled_from(PLACES), value=JSON_VALUES, setting=st.sampled_from(SETTING_KEYS),
       setting_value=JSON_VALUES, which=st.integers(0, 3))
def test_random_values_are_restored_or_refused_never_a_crash(good, empty, place, value, setting,
                                                             setting_value, which):
    section, field = place
    data = changed(good, lambda d: None)
    rows = data[section]
    if rows and field in rows[which % len(rows)]:
        rows[which % len(rows)][field] = value
    if which == 0:
        data["settings"][setting] = setting_value
    with db_proxy.atomic() as outer:  # every example starts from the same empty database
        try:
            import_json(bound(), data)
        except InvalidInput as exc:
            assert "\n" not in str(exc)
            assert "only be imported into an empty database" not in str(exc)
        outer.rollback()
    assert dump.is_empty()


@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d["settings"].update(ring_capacity="lots"), "settings.ring_capacity"),
    (lambda d: d["contacts"][0].update(id=2**63), "contacts[0].id"),
])
def test_the_window_refuses_a_crafted_dump_by_name(qtbot, good, tmp_path, change, words):
    from tests.gui.helpers import open_window
    from tests.gui.test_import_gui import start_import

    path = dump_file(tmp_path, changed(good, change))
    window = open_window(qtbot, tmp_path / "window.db")
    start_import(qtbot, window, path)
    box = window.transfer.error_box
    assert box is not None and box.isVisible()
    assert words in box.text() and "Nothing was written." in box.text(), box.text()
    assert window.isVisible() and window.scene is not None  # the window is still usable
    assert dump.is_empty()
