"""Version checks on the advocacy ledger (issue 11: nothing is silently overwritten).

Every change of a win, ask or give, and of a person's stage, takes the version the
caller showed: a stale one is a ConflictError that writes nothing, a fresh one works
and bumps the version. Both engines (``backend``); the last tests drive the window's
commands through a PlannerDocument while the rows change behind its back.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from planner.domain.errors import ConflictError, NotFound
from planner.services import advocacy as svc
from planner.services import contacts
from planner.services import touchpoints as touch_svc
from planner.storage import advocacy_repo as repo
from planner.storage.models import (
    AskRow,
    ContactRow,
    GiveRow,
    StageChangeRow,
    TouchpointRow,
    WinRow,
)
from tests.helpers.stores import bound

T0 = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
THEIRS = "was changed by someone else meanwhile; nothing was changed — the window now shows theirs"
GONE = "was changed by someone else meanwhile; nothing was deleted — the window now shows theirs"


def stored(model, row_id: int) -> dict | None:
    row = model.get_or_none(model.id == row_id)
    return repo.row_data(row) if row else None


def count(model) -> int:
    return model.select().count()


def someone_else_changes(model, row_id: int, **values) -> None:
    """Another writer's change: the row's version moves on."""
    repo.update_row(model._meta.table_name, row_id, updated_at=datetime.now(UTC), **values)


@pytest.fixture
def ada(backend):
    return contacts.add_contact(backend.backend, "Ada Lovelace").id


# -- the stage ------------------------------------------------------------------------------
def test_a_stage_change_from_an_old_version_is_refused(ada):
    version = contacts.get_contact(ada).version
    contacts.edit_contact(bound(), ada, title="Countess")  # someone else, meanwhile
    before = stored(ContactRow, ada)
    with pytest.raises(ConflictError) as err:
        svc.set_stage(bound(), ada, "advocate", expected_version=version)
    assert str(err.value) == ("Ada Lovelace was changed by someone else meanwhile; their "
                              "stage was not changed — the window now shows theirs")
    assert stored(ContactRow, ada) == before and count(StageChangeRow) == 0
    with pytest.raises(ConflictError):  # nothing to change, but still out of date
        svc.set_stage(bound(), ada, "none", expected_version=version)

    done = svc.set_stage(bound(), ada, "advocate", expected_version=version + 1)
    assert done.version == version + 2 == contacts.get_contact(ada).version
    assert contacts.get_contact(ada).stage == "advocate" and count(StageChangeRow) == 1


def test_undoing_and_redoing_a_stage_change_check_the_version(ada):
    done = svc.set_stage(bound(), ada, "cultivating", expected_version=1)
    someone_else_changes(ContactRow, ada, stage="succeeded")
    before = stored(ContactRow, ada)
    with pytest.raises(ConflictError):
        svc.undo_stage(bound(), done, expected_version=done.version)
    assert stored(ContactRow, ada) == before and count(StageChangeRow) == 1

    version = svc.undo_stage(bound(), done, expected_version=done.version + 1)
    assert (contacts.get_contact(ada).stage, version, count(StageChangeRow)) == ("none", 4, 0)
    with pytest.raises(ConflictError):
        svc.redo_stage(bound(), done, expected_version=done.version)
    assert count(StageChangeRow) == 0
    assert svc.redo_stage(bound(), done, expected_version=version) == 5
    assert contacts.get_contact(ada).stage == "cultivating" and count(StageChangeRow) == 1


# -- asks -------------------------------------------------------------------------------------
def test_an_ask_status_change_from_an_old_version_is_refused(ada):
    ask = svc.add_ask(bound(), ada, "reference-call", at=T0)
    assert ask.version == 1
    someone_else_changes(AskRow, ask.id, note="they said maybe")
    before = stored(AskRow, ask.id)
    with pytest.raises(ConflictError) as err:
        svc.set_ask_status(bound(), ask.id, "done", expected_version=1)
    assert str(err.value) == f"the reference call ask of Ada Lovelace {THEIRS}"
    assert stored(AskRow, ask.id) == before

    done = svc.set_ask_status(bound(), ask.id, "done", expected_version=2)
    assert (done.status.value, done.version) == ("done", 3)
    with pytest.raises(ConflictError):
        svc.restore_ask(bound(), ask, expected_version=2)
    assert stored(AskRow, ask.id)["status"] == "done"
    back = svc.restore_ask(bound(), ask, expected_version=3)
    assert (back.status.value, back.version, back.closed_at) == ("asked", 4, None)


def test_thanking_for_an_ask_someone_changed_meanwhile_is_refused(ada):
    ask = svc.add_ask(bound(), ada, "case-study", status="done", at=T0)
    someone_else_changes(AskRow, ask.id, status="declined")
    with pytest.raises(ConflictError, match="the case study ask of Ada Lovelace was changed"):
        svc.thank_for_ask(bound(), ask.id, "email", expected_version=1)
    assert (count(GiveRow), count(TouchpointRow)) == (0, 0)

    thanks = svc.thank_for_ask(bound(), ask.id, "email", expected_version=2)
    assert thanks.give.version == 1 and thanks.ask.version == 2  # the ask is not written
    someone_else_changes(GiveRow, thanks.give.id, note="and flowers")
    with pytest.raises(ConflictError, match=r"what you gave Ada Lovelace \(thank-you note\)"):
        svc.undo_thanks(bound(), thanks, expected_version=1)
    assert (count(GiveRow), count(TouchpointRow)) == (1, 1)
    rows = svc.undo_thanks(bound(), thanks, expected_version=2)
    assert (count(GiveRow), count(TouchpointRow)) == (0, 0)
    svc.restore_thanks(bound(), thanks, rows)
    assert svc.get_give(thanks.give.id).version == 2  # the same row back, same version


def test_undoing_thanks_keeps_a_touchpoint_someone_edited(ada):
    ask = svc.add_ask(bound(), ada, "talk", status="done", at=T0)
    thanks = svc.thank_for_ask(bound(), ask.id, "call")
    touch_svc.edit_touchpoint(bound(), thanks.touchpoint.id, minutes=30)
    with pytest.raises(ConflictError, match="nothing was deleted"):
        svc.undo_thanks(bound(), thanks, expected_version=thanks.give.version)
    assert (count(GiveRow), count(TouchpointRow)) == (1, 1)


# -- wins -------------------------------------------------------------------------------------
def test_celebrating_a_win_someone_changed_meanwhile_logs_nothing(ada):
    win = svc.add_win(bound(), ada, "Keynote at PyCon", at=T0)
    someone_else_changes(WinRow, win.id, note="a great talk")
    before = stored(WinRow, win.id)
    with pytest.raises(ConflictError) as err:
        svc.celebrate_win(bound(), win.id, "amplify", expected_version=1)
    assert str(err.value) == f"Ada Lovelace's win “Keynote at PyCon” {THEIRS}"
    assert stored(WinRow, win.id) == before and count(TouchpointRow) == 0

    done = svc.celebrate_win(bound(), win.id, "amplify", expected_version=2)
    assert done.win.celebrated_by == done.touchpoint.id and done.win.version == 3


def test_undoing_and_redoing_a_celebration_check_the_version(ada):
    win = svc.add_win(bound(), ada, "Promoted", at=T0)
    done = svc.celebrate_win(bound(), win.id, "im", expected_version=win.version)
    someone_else_changes(WinRow, win.id, link="https://example.org")
    with pytest.raises(ConflictError):
        svc.uncelebrate(bound(), done, expected_version=done.win.version)
    assert stored(WinRow, win.id)["celebrated_by"] == done.touchpoint.id
    assert count(TouchpointRow) == 1

    row = svc.uncelebrate(bound(), done, expected_version=done.win.version + 1)
    assert (svc.get_win(win.id).celebrated, svc.get_win(win.id).version) == (False, 4)
    with pytest.raises(ConflictError):
        svc.recelebrate(bound(), done, row, expected_version=3)
    assert count(TouchpointRow) == 0 and not svc.get_win(win.id).celebrated
    again = svc.recelebrate(bound(), done, row, expected_version=4)
    assert (again.celebrated_by, again.version) == (done.touchpoint.id, 5)
    with pytest.raises(ConflictError):
        svc.link_celebration(bound(), win.id, None, expected_version=4)


# -- deleting ----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["win", "ask", "give"])
def test_deleting_an_old_version_is_refused_and_keeps_the_row(ada, kind):
    add = {"win": lambda: svc.add_win(bound(), ada, "Shipped v2", at=T0),
           "ask": lambda: svc.add_ask(bound(), ada, "intro", at=T0),
           "give": lambda: svc.add_give(bound(), ada, "gift", at=T0)}[kind]
    entry = add()
    model = {"win": WinRow, "ask": AskRow, "give": GiveRow}[kind]
    someone_else_changes(model, entry.id, note="changed")
    before = stored(model, entry.id)
    with pytest.raises(ConflictError, match=GONE):
        svc.delete_entry(bound(), kind, entry.id, expected_version=1)
    assert stored(model, entry.id) == before

    saved = svc.delete_entry(bound(), kind, entry.id, expected_version=2)
    assert stored(model, entry.id) is None
    with pytest.raises(NotFound):
        svc.delete_entry(bound(), kind, entry.id, expected_version=2)
    svc.restore_entry(bound(), saved)
    assert stored(model, entry.id) == before


# -- the window's commands ------------------------------------------------------------------------
@pytest.fixture
def window(backend, qtbot):
    from planner.document.document import PlannerDocument

    document = PlannerDocument(backend)
    messages: list[str] = []
    document.message.connect(messages.append)
    return document, messages


def test_a_command_from_a_stale_view_is_refused_with_the_message(ada, window):
    from planner.document.advocacy_commands import SetAskStatusCommand

    doc, messages = window
    ask = svc.add_ask(bound(), ada, "reference-call", at=T0)
    command = SetAskStatusCommand(doc, ask.id, "done", version=ask.version)  # as shown
    svc.set_ask_status(bound(), ask.id, "declined")  # behind the window's back
    before = stored(AskRow, ask.id)
    assert not doc.push(command)
    assert messages == [f"the reference call ask of Ada Lovelace {THEIRS}"]
    assert stored(AskRow, ask.id) == before and not doc.undo_stack.canUndo()


def test_an_undo_after_a_change_behind_the_windows_back_is_refused(ada, window):
    from planner.document.advocacy_commands import CelebrateWinCommand

    doc, messages = window
    win = svc.add_win(bound(), ada, "Keynote at PyCon", at=T0)
    assert doc.push(CelebrateWinCommand(doc, win.id, "amplify", version=win.version))
    someone_else_changes(WinRow, win.id, note="their edit")
    before = stored(WinRow, win.id)
    doc.undo()
    assert messages == [f"Ada Lovelace's win “Keynote at PyCon” {THEIRS}"]
    assert stored(WinRow, win.id) == before and count(TouchpointRow) == 1
    assert not doc.undo_stack.canUndo()


@pytest.mark.parametrize("make", ["stage", "delete", "thank"])
def test_other_commands_from_a_stale_view_change_nothing(ada, window, make):
    from planner.document import advocacy_commands as cmd

    doc, messages = window
    ask = svc.add_ask(bound(), ada, "talk", status="done", at=T0)
    command = {
        "stage": lambda: cmd.SetStageCommand(doc, ada, "advocate"),
        "delete": lambda: cmd.DeleteLedgerEntryCommand(doc, "ask", ask.id, version=1),
        "thank": lambda: cmd.ThankCommand(doc, ask.id, "email", version=1),
    }[make]()
    someone_else_changes(ContactRow, ada, title="Countess")
    someone_else_changes(AskRow, ask.id, note="theirs")
    rows = (stored(ContactRow, ada), stored(AskRow, ask.id), count(GiveRow), count(StageChangeRow))
    assert not doc.push(command)
    assert len(messages) == 1 and "was changed by someone else meanwhile" in messages[0]
    assert rows == (stored(ContactRow, ada), stored(AskRow, ask.id), count(GiveRow),
                    count(StageChangeRow))


def test_many_steps_on_the_same_rows_undo_and_redo_without_false_conflicts(ada, window):
    """Each undo/redo expects the version the window's previous step left, so a chain of
    this window's own changes to one row is never mistaken for someone else's."""
    from planner.document import advocacy_commands as cmd

    doc, messages = window
    pushes = [
        lambda: cmd.SetStageCommand(doc, ada, "cultivating"),
        lambda: cmd.SetStageCommand(doc, ada, "advocate"),
        lambda: cmd.AddWinCommand(doc, ada, "Shipped v2", at=T0),
        lambda: cmd.CelebrateWinCommand(doc, svc.ledger(ada).wins[0].id, "amplify"),
        lambda: cmd.AddAskCommand(doc, ada, "talk", status="asked", at=T0 - timedelta(days=1)),
        lambda: cmd.SetAskStatusCommand(doc, svc.ledger(ada).asks[0].id, "done"),
        lambda: cmd.ThankCommand(doc, svc.ledger(ada).asks[0].id, "email"),
        lambda: cmd.DeleteLedgerEntryCommand(doc, "ask", svc.ledger(ada).asks[0].id),
    ]
    for make in pushes:
        assert doc.push(make()), messages
    end = svc.ledger(ada)
    for _ in pushes:
        assert doc.undo()
    assert messages == []
    start = svc.ledger(ada)
    assert (start.stage.value, start.wins, start.asks, start.gives) == ("none", [], [], [])
    for _ in pushes:
        assert doc.redo()
    assert messages == []
    again = svc.ledger(ada)
    assert (again.stage, again.wins, again.asks, again.gives) == (
        end.stage, end.wins, end.asks, end.gives)
    assert again.wins[0].celebrated and count(TouchpointRow) == 2


def test_the_panel_passes_the_version_it_shows(ada, window, qtbot):
    from planner.ui.advocacy.advocacy_panel import ROW_ID, AdvocacyPanel

    doc, messages = window
    ask = svc.add_ask(bound(), ada, "feedback", at=T0)
    doc.reload()
    panel = AdvocacyPanel(doc)
    qtbot.addWidget(panel)
    panel.show_contact(ada)
    panel.asks.setCurrentRow(0)
    assert panel.asks.currentItem().data(ROW_ID) == ask.id
    someone_else_changes(AskRow, ask.id, note="theirs")  # the panel still shows version 1
    before = stored(AskRow, ask.id)
    panel._ask_status("done")
    assert messages == [f"the feedback ask of Ada Lovelace {THEIRS}"]
    assert stored(AskRow, ask.id) == before
    panel.asks.setCurrentRow(0)  # the panel now shows theirs: a fresh try works
    panel._delete("ask")
    assert stored(AskRow, ask.id) is None and doc.undo_stack.canUndo()
