"""The document's signals say what changed and every view updates only that (issue 22).

Logging a touch inserts one row in the timelines (no reset, no page read again) and
moves no node; a reorder lays out its own ring only; a hidden dashboard is marked stale
and catches up when shown; after undo and redo every view equals one built afresh.
"""

from __future__ import annotations

import pytest

from planner.domain.rings import Ring
from planner.ui.focus.focus_model import CONTACT_ID_ROLE
from planner.ui.timeline.timeline_model import TimelineModel
from tests.gui.history_helpers import (
    first_entry,
    local_zone,
    make_people,
    model_rows,
    open_window,
    rows,
)
from tests.helpers.stores import bound


@pytest.fixture(autouse=True)
def tokyo():
    with local_zone("Asia/Tokyo"):
        yield


@pytest.fixture
def people(db_path):
    return make_people(db_path, {
        "Ada Lovelace": Ring.INNER,
        "Grace Hopper": Ring.MIDDLE,
        "Alan Turing": Ring.OUTER,
        "Barbara Liskov": Ring.OUTER,
        "Claude Shannon": Ring.OUTER,
        "Nora Network": None,
    })


@pytest.fixture
def window(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    window.select(people["Ada Lovelace"])
    qtbot.wait(250)  # nodes at rest (the first layout glides)
    return window


class Resets:
    """Counts a model's resets and inserted / removed rows."""

    def __init__(self, model):
        self.resets = self.inserted = self.removed = 0
        model.modelReset.connect(self._reset)
        model.rowsInserted.connect(self._inserted)
        model.rowsRemoved.connect(self._removed)

    def _reset(self):
        self.resets += 1

    def _inserted(self, *_args):
        self.inserted += 1

    def _removed(self, *_args):
        self.removed += 1


def fresh_rows(window, contact_id: int | None) -> list:
    """What a timeline built now from the database shows (same filters, same pages)."""
    model = TimelineModel(window.document, person_scope=contact_id is not None)
    if contact_id is not None:
        model.set_contact(contact_id)
    return model_rows(model)


def nodes_at(window) -> dict[int, tuple]:
    return {cid: (node.pos().x(), node.pos().y(), node.slot_pos.x(), node.slot_pos.y())
            for cid, node in window.view.scene().nodes.items()}


def focus_ids(window) -> list[int]:
    model = window.focus.model
    return [model.index(row).data(CONTACT_ID_ROLE) for row in range(model.rowCount())]


def fresh_focus_ids(window) -> list[int]:
    return [item.contact_id for item in window.focus.focus_list().items]


def test_logging_a_touch_inserts_one_row_and_moves_no_node(qtbot, window, people, db_path):
    document, ada = window.document, people["Ada Lovelace"]
    person, everyone = window.person.timeline_model, window.activity.model
    watched = Resets(person), Resets(everyone)
    placements = []
    document.placements_changed.connect(lambda *args: placements.append(args))
    before = nodes_at(window)

    assert document.editing.log_touchpoint(ada, "coffee", minutes=30, note="precise")
    ((tp_id,),) = rows(db_path, "SELECT MAX(id) FROM touchpoint")
    for model, counts in zip((person, everyone), watched, strict=True):
        assert counts.resets == 0 and counts.inserted >= 1  # a row, not a page read again
        assert first_entry(model).id == f"touchpoint:{tp_id}"
    assert model_rows(person) == fresh_rows(window, ada)
    assert model_rows(everyone) == fresh_rows(window, None)
    assert placements == [] and nodes_at(window) == before
    assert focus_ids(window) == fresh_focus_ids(window)
    assert window.focus.cache.full_reads == 1  # only Ada was evaluated again

    document.undo()
    assert all(counts.resets == 0 and counts.removed >= 1 for counts in watched)
    assert first_entry(person).id != f"touchpoint:{tp_id}"
    assert model_rows(person) == fresh_rows(window, ada)
    assert model_rows(everyone) == fresh_rows(window, None)
    assert focus_ids(window) == fresh_focus_ids(window)

    document.redo()
    assert first_entry(person).id == f"touchpoint:{tp_id}"
    assert model_rows(person) == fresh_rows(window, ada)
    assert model_rows(everyone) == fresh_rows(window, None)
    assert focus_ids(window) == fresh_focus_ids(window)
    assert all(counts.resets == 0 for counts in watched)
    assert placements == [] and nodes_at(window) == before


def test_editing_a_touch_to_another_day_moves_its_row_under_that_day(qtbot, window, people,
                                                                    db_path):
    from datetime import UTC, datetime, timedelta

    document, ada = window.document, people["Ada Lovelace"]
    person = window.person.timeline_model
    assert document.editing.log_touchpoint(ada, "call", minutes=10, note="first")
    ((tp_id,),) = rows(db_path, "SELECT MAX(id) FROM touchpoint")
    watched = Resets(person)
    earlier = datetime.now(UTC) - timedelta(days=3)
    assert document.editing.edit_touchpoint(tp_id, {"at": earlier})
    assert watched.resets == 0
    assert model_rows(person) == fresh_rows(window, ada)
    assert document.editing.delete_entry("touchpoint", tp_id)
    assert model_rows(person) == fresh_rows(window, ada)
    document.undo()  # the deletion
    document.undo()  # the edit: back to today
    assert model_rows(person) == fresh_rows(window, ada)
    assert watched.resets == 0


def test_a_note_is_a_row_and_the_latest_note_in_this_week(qtbot, window, people):
    document, ada = window.document, people["Ada Lovelace"]
    watched = Resets(window.person.timeline_model)
    assert document.editing.add_note(ada, "Likes **graphs**")
    assert watched.resets == 0 and watched.inserted >= 1
    assert model_rows(window.person.timeline_model) == fresh_rows(window, ada)
    assert window.focus.cache.candidates[ada].latest_note == "Likes **graphs**"


def test_a_reorder_lays_out_its_own_ring_only(qtbot, window, people):
    document = window.document
    outer = [c.id for c in document.ring_members(Ring.OUTER)]
    signals = []
    document.placements_changed.connect(lambda rings, ids: signals.append((rings, ids)))
    contacts = []
    document.contacts_changed.connect(contacts.append)
    others = {cid: xy for cid, xy in nodes_at(window).items() if cid not in outer}

    assert document.move(outer[0], Ring.OUTER, position=2)
    assert [c.id for c in document.ring_members(Ring.OUTER)] == [outer[1], outer[2], outer[0]]
    assert signals == [([Ring.OUTER], sorted(outer))]  # everyone on it shifted
    assert contacts == []  # a reorder is for the canvas only
    assert {cid: xy for cid, xy in nodes_at(window).items() if cid not in outer} == others
    scene = window.view.scene()

    document.undo()
    assert [c.id for c in document.ring_members(Ring.OUTER)] == outer
    assert len(signals) == 2 and signals[-1] == ([Ring.OUTER], sorted(outer))
    document.redo()
    assert [c.id for c in document.ring_members(Ring.OUTER)] == [outer[1], outer[2], outer[0]]
    qtbot.wait(300)  # the glide ends where a fresh layout puts everyone
    slots = {cid: (n.pos().x(), n.pos().y()) for cid, n in scene.nodes.items()}
    scene.sync()
    assert {cid: (n.pos().x(), n.pos().y()) for cid, n in scene.nodes.items()} == slots


def test_a_move_between_rings_names_both_rings(qtbot, window, people):
    document = window.document
    signals = []
    document.placements_changed.connect(lambda rings, ids: signals.append((rings, ids)))
    nora = people["Nora Network"]
    assert document.move(nora, Ring.MIDDLE)
    assert signals == [([Ring.MIDDLE], [nora])]
    assert document.move(nora, Ring.OUTER)
    assert signals[-1] == ([Ring.MIDDLE, Ring.OUTER], [nora])
    assert nora in window.view.scene().nodes
    document.undo()
    document.undo()
    assert nora not in window.view.scene().nodes
    assert signals[-1] == ([Ring.MIDDLE], [nora])


def test_a_hidden_dashboard_is_stale_after_a_touch_and_catches_up_when_shown(
        qtbot, window, people):
    window.window_actions.show_dashboard.trigger()
    dashboard = window.dashboard
    qtbot.waitUntil(lambda: dashboard.stats is not None and not dashboard.dirty, timeout=3000)
    window.show_page(window.focus)
    qtbot.waitUntil(lambda: not dashboard.is_shown(), timeout=2000)
    shown = dashboard.stats
    assert window.document.editing.log_touchpoint(people["Grace Hopper"], "coffee")
    assert dashboard.dirty and dashboard.stats is shown  # not read while hidden
    window.window_actions.show_dashboard.trigger()
    qtbot.waitUntil(lambda: not dashboard.dirty and dashboard.stats is not shown, timeout=3000)


def test_a_hidden_this_week_ranks_again_only_when_shown(qtbot, window, people):
    """A touch logged on the rings page leaves This week's list alone (it ranked the whole
    week twice a touch, for nobody to see); Ctrl+2 shows it up to date."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    grace = people["Grace Hopper"]
    focus = window.focus
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(focus.isVisible, timeout=2000)
    assert grace in focus_ids(window)  # never contacted: due
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not focus.isVisible(), timeout=2000)
    listed = focus._model.focus
    assert window.document.editing.log_touchpoint(grace, "coffee")
    assert focus._model.focus is listed  # not ranked again while hidden
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(focus.isVisible, timeout=2000)
    assert focus._model.focus is not listed
    model = focus._model
    shown = [model.index(row).data(CONTACT_ID_ROLE) for row in range(model.rowCount())]
    assert shown == fresh_focus_ids(window) and grace not in shown
    assert f"{len(shown)} to reach" in focus.week_label.text()


def test_the_tray_count_follows_a_touch_without_reading_everyone(qtbot, window, people):
    grace = people["Grace Hopper"]
    cache = window.focus.cache
    reads = cache.full_reads
    due_before = {p.contact_id for p in window.reminders.agenda().due}
    assert grace in due_before  # never contacted
    assert window.document.editing.log_touchpoint(grace, "coffee")
    assert grace not in {p.contact_id for p in window.reminders.agenda().due}
    assert window.reminders.tray.count == len(due_before) - 1
    assert cache.full_reads == reads
    window.document.undo()
    assert window.reminders.tray.count == len(due_before)


def test_a_change_made_elsewhere_reads_again_only_what_its_tables_can_change(
        qtbot, window, people):
    """What TeamSync hands the document for a teammate's commit (the tables written per
    person): a touch is a new last touch (no re-read for This week), a note is read
    again (the latest note); every view ends as one built afresh."""
    from planner.services import touchpoints

    document, cache = window.document, window.focus.cache
    ada, grace = people["Ada Lovelace"], people["Grace Hopper"]
    histories = []
    document.timeline_changed.connect(histories.append)
    partial = cache.partial_reads

    touchpoints.log_touchpoint(bound(), grace, "call", minutes=5, note="from the laptop")
    document.changed_elsewhere({grace: {"touchpoint"}})
    assert histories == [[grace]]  # the timelines re-read it (not itemised)
    assert cache.partial_reads == partial  # the last touch came with the person
    assert focus_ids(window) == fresh_focus_ids(window)
    assert model_rows(window.activity.model) == fresh_rows(window, None)

    touchpoints.add_note(bound(), ada, "Met at the conference")
    document.changed_elsewhere({ada: {"note"}})
    assert cache.partial_reads == partial + 1
    assert cache.candidates[ada].latest_note == "Met at the conference"
    assert model_rows(window.person.timeline_model) == fresh_rows(window, ada)

    document.changed_elsewhere({ada: {"placement"}})  # a reorder elsewhere: no history
    assert histories == [[grace], [ada]]
