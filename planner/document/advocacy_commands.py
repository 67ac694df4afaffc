"""Undo commands for the advocacy ledger: stage, wins, celebrations, asks, gives, thanks.

Each is one service call (one transaction); undo puts back the very same rows.
After every step the person's cached details are re-read and the timelines, the
focus list and the dashboard hear ``contacts_changed`` and ``timeline_changed``.

Nothing is silently overwritten: the first step passes the version the window showed,
and every undo/redo the version this window's last step left on that row (see
``DocumentCommand.left``), so an undo after several steps on the same row still
matches, while a teammate's change in between is a ConflictError.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from planner.document.commands import DocumentCommand
from planner.services import advocacy as svc

T = TypeVar("T")


def _kept(value: T | None) -> T:
    """What an earlier step kept for this one (undo follows perform, replay follows undo)."""
    if value is None:
        raise RuntimeError("an undo step ran before the step that keeps what it needs")
    return value


def _name(document, contact_id: int) -> str:
    contact = document.contact(contact_id)
    return contact.name if contact else f"#{contact_id}"


class _LedgerCommand(DocumentCommand):
    contact_id: int

    def changed(self) -> None:
        self.document.refresh_contacts([self.contact_id])
        self.document.timeline_changed.emit([self.contact_id])

    def _last_or(self, table: str, row_id: int, shown: int) -> int:
        """``last`` given the version a step left or the window showed: never None."""
        version = self.last(table, row_id, shown)
        return shown if version is None else version



class SetStageCommand(_LedgerCommand):
    """``version``: the person's version the window showed (default: its cached one)."""

    def __init__(self, document, contact_id: int, stage: str, version: int | None = None):
        contact = document.contact(contact_id)
        super().__init__(document, f"Set {_name(document, contact_id)}'s stage to {stage}")
        self.contact_id, self.stage = contact_id, stage
        self.version = version if version is not None or contact is None else contact.version
        self.outcome: svc.StageOutcome | None = None

    def perform(self) -> None:
        self.outcome = svc.set_stage(self.backend, self.contact_id, self.stage,
                                     expected_version=self.version)
        self.left("contact", self.contact_id, self.outcome.version)
        self.setObsolete(not self.outcome.changed)  # nothing to undo: not kept on the stack
        self.changed()

    def _expected(self) -> int | None:
        return self.last("contact", self.contact_id, _kept(self.outcome).version)

    def undo(self) -> None:
        self.left("contact", self.contact_id,
                  svc.undo_stage(self.backend, _kept(self.outcome), self._expected()))
        self.changed()

    def replay(self) -> None:
        self.left("contact", self.contact_id,
                  svc.redo_stage(self.backend, _kept(self.outcome), self._expected()))
        self.changed()


class _AddEntryCommand(_LedgerCommand):
    """Adds one win, ask or give; undo deletes it, redo puts back the same row."""

    kind = ""

    def __init__(self, document, contact_id: int, text: str):
        super().__init__(document, text)
        self.contact_id = contact_id
        self.row_id: int | None = None
        self.saved: dict | None = None

    def add(self) -> svc.Win | svc.Ask | svc.Give:
        raise NotImplementedError

    def perform(self) -> None:
        entry = self.add()
        self.row_id = entry.id
        self.left(self.kind, entry.id, entry.version)
        self.changed()

    def undo(self) -> None:
        row_id = _kept(self.row_id)
        self.saved = svc.delete_entry(self.backend, self.kind, row_id,
                                      self.last(self.kind, row_id, None))
        self.changed()

    def replay(self) -> None:
        saved = _kept(self.saved)
        svc.restore_entry(self.backend, saved)  # the same row: the same version
        self.left(self.kind, _kept(self.row_id), saved["row"]["version"])
        self.changed()


class AddWinCommand(_AddEntryCommand):
    kind = "win"

    def __init__(self, document, contact_id: int, text: str, *, at=None, link: str = "",
                 note: str = ""):
        super().__init__(document, contact_id, f"Win for {_name(document, contact_id)}")
        self.values = {"text": text, "at": at, "link": link, "note": note}

    def add(self) -> svc.Win:
        v = self.values
        return svc.add_win(self.backend, self.contact_id, v["text"], at=v["at"], link=v["link"],
                           note=v["note"])


class AddAskCommand(_AddEntryCommand):
    """Refused (nothing pushed) with AskFatigue when over the limit, unless ``force``."""

    kind = "ask"

    def __init__(self, document, contact_id: int, ask_type: str, *, status: str = "asked",
                 at=None, note: str = "", force: bool = False):
        super().__init__(document, contact_id, f"Ask of {_name(document, contact_id)}")
        self.values = {"ask_type": ask_type, "status": status, "at": at, "note": note,
                       "force": force}

    def add(self) -> svc.Ask:
        v = self.values
        return svc.add_ask(self.backend, self.contact_id, v["ask_type"], status=v["status"],
                           at=v["at"], note=v["note"], force=v["force"])


class AddGiveCommand(_AddEntryCommand):
    kind = "give"

    def __init__(self, document, contact_id: int, give_type: str, *, at=None, note: str = "",
                 for_ask: int | None = None):
        super().__init__(document, contact_id, f"Give to {_name(document, contact_id)}")
        self.values = {"give_type": give_type, "at": at, "note": note, "for_ask": for_ask}

    def add(self) -> svc.Give:
        v = self.values
        return svc.add_give(self.backend, self.contact_id, v["give_type"], at=v["at"],
                            note=v["note"], for_ask=v["for_ask"])


_GETTERS: dict[str, Callable[[int], svc.Win | svc.Ask | svc.Give]] = {
    "win": svc.get_win, "ask": svc.get_ask, "give": svc.get_give}


class DeleteLedgerEntryCommand(_LedgerCommand):
    """``version``: the version the window showed (default: the stored one now)."""

    def __init__(self, document, kind: str, row_id: int, version: int | None = None):
        shown = _GETTERS[kind](row_id)
        super().__init__(document, f"Delete {kind}")
        self.contact_id, self.kind, self.row_id = shown.contact_id, kind, row_id
        self.version = shown.version if version is None else version
        self.saved: dict | None = None

    def _delete(self, expected: int | None) -> None:
        self.saved = svc.delete_entry(self.backend, self.kind, self.row_id, expected)
        self.changed()

    def perform(self) -> None:
        self._delete(self.version)

    def undo(self) -> None:
        saved = _kept(self.saved)
        svc.restore_entry(self.backend, saved)  # the same row: the same version
        self.left(self.kind, self.row_id, saved["row"]["version"])
        self.changed()

    def replay(self) -> None:
        self._delete(self.last(self.kind, self.row_id, self.version))


class CelebrateWinCommand(_LedgerCommand):
    """Log the touchpoint that celebrated a win and link it; undo removes both.
    ``version``: the win's version the window showed (default: the stored one now)."""

    def __init__(self, document, win_id: int, kind: str = "amplify", *, at=None,
                 minutes: int | None = None, note: str = "", version: int | None = None):
        win = svc.get_win(win_id)
        super().__init__(document, f"Celebrate {_name(document, win.contact_id)}'s win")
        self.contact_id, self.win_id = win.contact_id, win_id
        self.version = win.version if version is None else version
        self.values = {"kind": kind, "at": at, "minutes": minutes, "note": note}
        self.done: svc.Celebration | None = None
        self.row: dict | None = None

    def perform(self) -> None:
        self.done = svc.celebrate_win(self.backend, self.win_id, **self.values,
                                      expected_version=self.version)
        self.left("win", self.win_id, self.done.win.version)
        self.changed()

    def _expected(self) -> int:
        return self._last_or("win", self.win_id, _kept(self.done).win.version)

    def undo(self) -> None:
        expected = self._expected()
        self.row = svc.uncelebrate(self.backend, _kept(self.done), expected)
        self.left("win", self.win_id, expected + 1)  # the checked UPDATE added one
        self.changed()

    def replay(self) -> None:
        win = svc.recelebrate(self.backend, _kept(self.done), _kept(self.row), self._expected())
        self.left("win", self.win_id, win.version)
        self.changed()


class SetAskStatusCommand(_LedgerCommand):
    """``version``: the ask's version the window showed (default: the stored one now)."""

    def __init__(self, document, ask_id: int, status: str, version: int | None = None):
        self.before = svc.get_ask(ask_id)
        super().__init__(document, f"Mark the ask {status}")
        self.contact_id, self.ask_id, self.status = self.before.contact_id, ask_id, status
        self.version = self.before.version if version is None else version
        self.after: svc.Ask | None = None

    def perform(self) -> None:
        self.after = svc.set_ask_status(self.backend, self.ask_id, self.status,
                                        expected_version=self.version)
        self.left("ask", self.ask_id, self.after.version)
        self.changed()

    def _restore(self, ask: svc.Ask) -> None:
        expected = self.last("ask", self.ask_id, _kept(self.after).version)
        self.left("ask", self.ask_id, svc.restore_ask(self.backend, ask, expected).version)
        self.changed()

    def undo(self) -> None:
        self._restore(self.before)

    def replay(self) -> None:
        self._restore(_kept(self.after))


class ThankCommand(_LedgerCommand):
    """Say thank you for a done ask: a touchpoint (if ``kind``) and a linked give.
    ``version``: the ask's version the window showed (default: the stored one now)."""

    def __init__(self, document, ask_id: int, kind: str | None = None, *, at=None,
                 minutes: int | None = None, note: str = "",
                 give_type: str = "thank-you-note", version: int | None = None):
        ask = svc.get_ask(ask_id)
        super().__init__(document, f"Thank {_name(document, ask.contact_id)}")
        self.contact_id, self.ask_id = ask.contact_id, ask_id
        self.version = ask.version if version is None else version
        self.values = {"kind": kind, "at": at, "minutes": minutes, "note": note,
                       "give_type": give_type}
        self.thanks: svc.Thanks | None = None
        self.rows: dict | None = None

    def perform(self) -> None:
        self.thanks = svc.thank_for_ask(self.backend, self.ask_id, **self.values,
                                        expected_version=self.version)
        self.left("give", self.thanks.give.id, self.thanks.give.version)
        self.changed()

    def undo(self) -> None:
        thanks = _kept(self.thanks)
        give = thanks.give
        self.rows = svc.undo_thanks(self.backend, thanks, self.last("give", give.id, give.version))
        self.changed()

    def replay(self) -> None:
        thanks, rows = _kept(self.thanks), _kept(self.rows)
        svc.restore_thanks(self.backend, thanks, rows)  # the same rows: the same versions
        self.left("give", thanks.give.id, rows["give"]["version"])
        self.changed()
