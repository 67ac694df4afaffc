"""The advocacy ledger: stage, wins (and celebrating them), asks (their status, thanks),
gives, deleting any of them."""

from __future__ import annotations

from planner.document.advocacy_commands import (
    AddAskCommand,
    AddGiveCommand,
    AddWinCommand,
    CelebrateWinCommand,
    DeleteLedgerEntryCommand,
    SetAskStatusCommand,
    SetStageCommand,
    ThankCommand,
)
from planner.domain.rings import Ring
from planner.services import advocacy, contacts, touchpoints
from tests.helpers.stores import bound


def person(document):
    ada = contacts.add_contact(bound(), "Ada Lovelace", ring=Ring.INNER)
    document.reload()
    return ada


def ledger(contact_id: int):
    return advocacy.ledger(contact_id)


def touchpoint_kinds(contact_id: int) -> list[str]:
    return [e.kind for e in touchpoints.timeline(contact_id, limit=20)
            if e.type.value == "touchpoint"]


def test_set_the_stage(steps, document):
    ada = person(document)

    def done():
        assert ledger(ada.id).stage.value == "cultivating"
        assert [c.to_stage.value for c in ledger(ada.id).history] == ["cultivating"]
        assert str(document.contact(ada.id).stage) == "cultivating"

    def undone():
        assert ledger(ada.id).stage.value == "none" and ledger(ada.id).history == []
        assert str(document.contact(ada.id).stage) == "none"

    steps.run(SetStageCommand, lambda: document.editing.set_stage(ada.id, "cultivating"),
              done, undone)


def test_add_a_win_then_celebrate_it(steps, document):
    ada = person(document)
    steps.run(AddWinCommand, lambda: document.editing.add_win(ada.id, "Shipped the engine",
                                                              link="https://example.org"),
              lambda: [w.text for w in ledger(ada.id).wins] == ["Shipped the engine"]
              or _fail("no win"),
              lambda: ledger(ada.id).wins == [] or _fail("a win is left"))
    [win] = ledger(ada.id).wins

    def celebrated():
        assert advocacy.get_win(win.id).celebrated_by is not None
        assert "amplify" in touchpoint_kinds(ada.id)

    def not_celebrated():
        assert advocacy.get_win(win.id).celebrated_by is None
        assert touchpoint_kinds(ada.id) == []

    steps.run(CelebrateWinCommand, lambda: document.editing.celebrate_win(win.id),
              celebrated, not_celebrated)


def test_an_ask_its_status_and_the_thanks(steps, document):
    ada = person(document)
    steps.run(AddAskCommand, lambda: document.editing.add_ask(ada.id, "reference-call"),
              lambda: [a.status.value for a in ledger(ada.id).asks] == ["asked"]
              or _fail("no ask"),
              lambda: ledger(ada.id).asks == [] or _fail("an ask is left"))
    [ask] = ledger(ada.id).asks
    steps.run(SetAskStatusCommand, lambda: document.editing.set_ask_status(ask.id, "done"),
              lambda: advocacy.get_ask(ask.id).status.value == "done" or _fail("not done"),
              lambda: advocacy.get_ask(ask.id).status.value == "asked" or _fail("changed"))

    def thanked():
        [give] = ledger(ada.id).gives
        assert (give.for_ask, give.type.value) == (ask.id, "thank-you-note")
        assert touchpoint_kinds(ada.id) == ["email"]

    def not_thanked():
        assert ledger(ada.id).gives == [] and touchpoint_kinds(ada.id) == []

    steps.run(ThankCommand, lambda: document.editing.thank(ask.id, "email"),
              thanked, not_thanked)


def test_a_give(steps, document):
    ada = person(document)
    steps.run(AddGiveCommand, lambda: document.editing.add_give(ada.id, "intro",
                                                                note="to Babbage"),
              lambda: [(g.type.value, g.note) for g in ledger(ada.id).gives] == [
                  ("intro", "to Babbage")] or _fail("no give"),
              lambda: ledger(ada.id).gives == [] or _fail("a give is left"))


def test_delete_a_win_an_ask_and_a_give(steps, document):
    ada = person(document)
    win = advocacy.add_win(bound(), ada.id, "Shipped the engine")
    ask = advocacy.add_ask(bound(), ada.id, "talk", status="done")
    give = advocacy.add_give(bound(), ada.id, "thank-you-note", for_ask=ask.id)
    steps.run(DeleteLedgerEntryCommand,
              lambda: document.editing.delete_ledger_entry("win", win.id),
              lambda: ledger(ada.id).wins == [] or _fail("the win is left"),
              lambda: [w.id for w in ledger(ada.id).wins] == [win.id] or _fail("not back"))
    steps.run(DeleteLedgerEntryCommand,
              lambda: document.editing.delete_ledger_entry("ask", ask.id),
              lambda: ledger(ada.id).asks == [] or _fail("the ask is left"),
              lambda: advocacy.get_give(give.id).for_ask == ask.id or _fail("link lost"))
    steps.run(DeleteLedgerEntryCommand,
              lambda: document.editing.delete_ledger_entry("give", give.id),
              lambda: ledger(ada.id).gives == [] or _fail("the give is left"),
              lambda: [g.id for g in ledger(ada.id).gives] == [give.id] or _fail("not back"))


def _fail(why: str):
    raise AssertionError(why)
