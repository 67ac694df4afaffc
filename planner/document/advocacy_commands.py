"""Undo commands for the advocacy ledger: stage, wins, celebrations, asks, gives, thanks.

Each is one service call (one transaction); undo puts back the very same rows.
After every step the person's cached details are re-read and the timelines, the
focus list and the dashboard hear ``contacts_changed`` and ``timeline_changed``.
"""

from __future__ import annotations

from planner.document.commands import DocumentCommand
from planner.services import advocacy as svc


def _name(document, contact_id: int) -> str:
    contact = document.contact(contact_id)
    return contact.name if contact else f"#{contact_id}"


class _LedgerCommand(DocumentCommand):
    contact_id: int

    def changed(self) -> None:
        self.document.refresh_contacts([self.contact_id])
        self.document.timeline_changed.emit([self.contact_id])


class SetStageCommand(_LedgerCommand):
    def __init__(self, document, contact_id: int, stage: str):
        super().__init__(document, f"Set {_name(document, contact_id)}'s stage to {stage}")
        self.contact_id, self.stage = contact_id, stage
        self.outcome: svc.StageOutcome | None = None

    def perform(self) -> None:
        self.outcome = svc.set_stage(self.contact_id, self.stage)
        self.setObsolete(not self.outcome.changed)  # nothing to undo: not kept on the stack
        self.changed()

    def undo(self) -> None:
        svc.undo_stage(self.outcome)
        self.changed()

    def replay(self) -> None:
        svc.redo_stage(self.outcome)
        self.changed()


class _AddEntryCommand(_LedgerCommand):
    """Adds one win, ask or give; undo deletes it, redo puts back the same row."""

    kind = ""

    def __init__(self, document, contact_id: int, text: str):
        super().__init__(document, text)
        self.contact_id = contact_id
        self.row_id: int | None = None
        self.saved: dict | None = None

    def add(self) -> int:
        raise NotImplementedError

    def perform(self) -> None:
        self.row_id = self.add()
        self.changed()

    def undo(self) -> None:
        self.saved = svc.delete_entry(self.kind, self.row_id)
        self.changed()

    def replay(self) -> None:
        svc.restore_entry(self.saved)
        self.changed()


class AddWinCommand(_AddEntryCommand):
    kind = "win"

    def __init__(self, document, contact_id: int, text: str, *, at=None, link: str = "",
                 note: str = ""):
        super().__init__(document, contact_id, f"Win for {_name(document, contact_id)}")
        self.values = {"text": text, "at": at, "link": link, "note": note}

    def add(self) -> int:
        v = self.values
        return svc.add_win(self.contact_id, v["text"], at=v["at"], link=v["link"],
                           note=v["note"]).id


class AddAskCommand(_AddEntryCommand):
    """Refused (nothing pushed) with AskFatigue when over the limit, unless ``force``."""

    kind = "ask"

    def __init__(self, document, contact_id: int, ask_type: str, *, status: str = "asked",
                 at=None, note: str = "", force: bool = False):
        super().__init__(document, contact_id, f"Ask of {_name(document, contact_id)}")
        self.values = {"ask_type": ask_type, "status": status, "at": at, "note": note,
                       "force": force}

    def add(self) -> int:
        v = self.values
        return svc.add_ask(self.contact_id, v["ask_type"], status=v["status"], at=v["at"],
                           note=v["note"], force=v["force"]).id


class AddGiveCommand(_AddEntryCommand):
    kind = "give"

    def __init__(self, document, contact_id: int, give_type: str, *, at=None, note: str = "",
                 for_ask: int | None = None):
        super().__init__(document, contact_id, f"Give to {_name(document, contact_id)}")
        self.values = {"give_type": give_type, "at": at, "note": note, "for_ask": for_ask}

    def add(self) -> int:
        v = self.values
        return svc.add_give(self.contact_id, v["give_type"], at=v["at"], note=v["note"],
                            for_ask=v["for_ask"]).id


class DeleteLedgerEntryCommand(_LedgerCommand):
    def __init__(self, document, kind: str, row_id: int):
        getter = {"win": svc.get_win, "ask": svc.get_ask, "give": svc.get_give}[kind]
        contact_id = getter(row_id).contact_id
        super().__init__(document, f"Delete {kind}")
        self.contact_id, self.kind, self.row_id = contact_id, kind, row_id
        self.saved: dict | None = None

    def perform(self) -> None:
        self.saved = svc.delete_entry(self.kind, self.row_id)
        self.changed()

    def undo(self) -> None:
        svc.restore_entry(self.saved)
        self.changed()

    def replay(self) -> None:
        self.perform()


class CelebrateWinCommand(_LedgerCommand):
    """Log the touchpoint that celebrated a win and link it; undo removes both."""

    def __init__(self, document, win_id: int, kind: str = "amplify", *, at=None,
                 minutes: int | None = None, note: str = ""):
        win = svc.get_win(win_id)
        super().__init__(document, f"Celebrate {_name(document, win.contact_id)}'s win")
        self.contact_id, self.win_id = win.contact_id, win_id
        self.values = {"kind": kind, "at": at, "minutes": minutes, "note": note}
        self.done: svc.Celebration | None = None
        self.row: dict | None = None

    def perform(self) -> None:
        self.done = svc.celebrate_win(self.win_id, **self.values)
        self.changed()

    def undo(self) -> None:
        self.row = svc.uncelebrate(self.done)
        self.changed()

    def replay(self) -> None:
        svc.recelebrate(self.done, self.row)
        self.changed()


class SetAskStatusCommand(_LedgerCommand):
    def __init__(self, document, ask_id: int, status: str):
        self.before = svc.get_ask(ask_id)
        super().__init__(document, f"Mark the ask {status}")
        self.contact_id, self.ask_id, self.status = self.before.contact_id, ask_id, status
        self.after = None

    def perform(self) -> None:
        self.after = svc.set_ask_status(self.ask_id, self.status)
        self.changed()

    def undo(self) -> None:
        svc.restore_ask(self.before)
        self.changed()

    def replay(self) -> None:
        svc.restore_ask(self.after)
        self.changed()


class ThankCommand(_LedgerCommand):
    """Say thank you for a done ask: a touchpoint (if ``kind``) and a linked give."""

    def __init__(self, document, ask_id: int, kind: str | None = None, *, at=None,
                 minutes: int | None = None, note: str = "",
                 give_type: str = "thank-you-note"):
        ask = svc.get_ask(ask_id)
        super().__init__(document, f"Thank {_name(document, ask.contact_id)}")
        self.contact_id, self.ask_id = ask.contact_id, ask_id
        self.values = {"kind": kind, "at": at, "minutes": minutes, "note": note,
                       "give_type": give_type}
        self.thanks: svc.Thanks | None = None
        self.rows: dict | None = None

    def perform(self) -> None:
        self.thanks = svc.thank_for_ask(self.ask_id, **self.values)
        self.changed()

    def undo(self) -> None:
        self.rows = svc.undo_thanks(self.thanks)
        self.changed()

    def replay(self) -> None:
        svc.restore_thanks(self.thanks, self.rows)
        self.changed()
