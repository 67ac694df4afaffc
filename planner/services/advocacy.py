"""The advocacy ledger as use cases: stage, wins, asks, gives (the dashboard's figures
are in ``planner.services.advocacy_stats``).

Every action is one transaction and returns what an undo needs. Domain rules
(fatigue, balance, funnel, target) live in ``planner.domain.advocacy``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from planner.domain import advocacy as rules
from planner.domain.advocacy import (
    Ask,
    AskFatigue,
    AskStatus,
    Balance,
    Fatigue,
    Give,
    GiveType,
    Stage,
    StageChange,
    Win,
)
from planner.domain.errors import ConflictError, InvalidInput, NotFound, PlannerError
from planner.domain.kinds import Kind, parse_kind
from planner.domain.rings import Ring
from planner.domain.stored import member
from planner.domain.touchpoint import Touchpoint
from planner.services import touchpoints as touch_svc
from planner.services.contacts import now, require
from planner.services.setting_rules import read_setting, write_setting
from planner.storage import advocacy_repo as repo
from planner.storage.advocacy_repo import ASK, CONTACT, GIVE, STAGE_CHANGE, TOUCHPOINT, WIN

if TYPE_CHECKING:
    from planner.storage.backend import Backend

# ------------------------------------------------------------------ settings


def target_share() -> float:
    """The share of the network you want as advocates (default 10 %)."""
    return read_setting(repo.TARGET_SHARE_KEY)


def set_target_share(store: Backend, share: float | str) -> float:
    value = rules.parse_share(share) if isinstance(share, str) else rules.clean_share(share)
    with store.write():
        write_setting(repo.TARGET_SHARE_KEY, value)
    return value


def fatigue_limit() -> int:
    """More asks than this in a quarter is too many (default 2)."""
    return read_setting(repo.FATIGUE_LIMIT_KEY)


def set_fatigue_limit(store: Backend, limit: int) -> int:
    value = rules.clean_limit(limit)
    with store.write():
        write_setting(repo.FATIGUE_LIMIT_KEY, value)
    return value


def time_share() -> dict[Ring, float]:
    """How you intend to split your minutes between the rings (fractions summing to 1)."""
    return rules.clean_time_share(read_setting(repo.TIME_SHARE_KEY))


def set_time_share(store: Backend, shares: dict | str) -> dict[Ring, float]:
    value = rules.parse_time_share(shares) if isinstance(shares, str) else \
        rules.clean_time_share(shares)
    with store.write():
        write_setting(repo.TIME_SHARE_KEY, {r.value: round(v, 6) for r, v in value.items()})
    return value


# ------------------------------------------------------------------ version checks
#
# ``expected_version`` (everywhere below): the version the caller showed. When given,
# the check and the write are one UPDATE/DELETE … WHERE id = ? AND version = ?, so two
# writers cannot both pass it; if it touched nothing, NotFound (gone) or ConflictError
# (someone else changed it first) and the transaction writes nothing.

#: the rows a version check names in its refusal (a table's name is its kind's word)
_CHECKED = (WIN, ASK, GIVE, CONTACT)


def _what(table: str, row: dict) -> str:
    """How a message names a row: "the reference call ask of Ada Lovelace"."""
    if table == CONTACT:
        return row["name"]
    contact_id = row["contact"]
    person = repo.names([contact_id]).get(contact_id, f"#{contact_id}")
    if table == WIN:
        return f"{person}'s win “{row['text']}”"
    if table == ASK:
        kind = member(rules.AskType, row["type"], rules.AskType.OTHER, "ask type")
        return f"the {kind.label.lower()} ask of {person}"
    given = member(GiveType, row["type"], GiveType.OTHER, "give type")
    return f"what you gave {person} ({given.label.lower()})"


def _refusal(table: str, row_id: int, expected_version: int | None,
             outcome: str = "nothing was changed") -> PlannerError:
    """Why a checked write of one row touched nothing: gone, or changed by someone else."""
    row = repo.get_row(table, row_id)
    if row is None:
        return NotFound(f"no {table} with id {row_id}")
    if row["version"] != expected_version:
        return ConflictError(f"{_what(table, row)} was changed by someone else meanwhile; "
                             f"{outcome} — the window now shows theirs")
    return PlannerError(f"{_what(table, row)} cannot be changed")  # pragma: no cover - no such rule


def _check_version(table: str, row_id: int, expected_version: int | None,
                   outcome: str = "nothing was changed") -> None:
    """Nothing of this row is written: still refuse if the caller's copy is out of date."""
    row = repo.get_row(table, row_id)
    if row is not None and expected_version not in (None, row["version"]):
        raise _refusal(table, row_id, expected_version, outcome)


def _update(table: str, row_id: int, expected_version: int | None, **changes) -> None:
    changed = repo.update_row(table, row_id, expected_version, **changes)
    if not changed and expected_version is not None:  # unchecked: as before, no complaint
        raise _refusal(table, row_id, expected_version)


def _delete(table: str, row_id: int, expected_version: int | None) -> dict:
    row = repo.delete_row(table, row_id, expected_version)
    if row is None:
        raise _refusal(table, row_id, expected_version, "nothing was deleted")
    return row


# ------------------------------------------------------------------ stage


@dataclass(frozen=True)
class StageOutcome:
    contact_id: int
    before: Stage
    after: Stage
    history: dict | None  # the stage_change row written (None: nothing changed)
    version: int  # the person's version after it

    @property
    def changed(self) -> bool:
        return self.before is not self.after


_STAGE_KEPT = "their stage was not changed"


def set_stage(store: Backend, contact_id: int, stage: Stage | str, *, at: datetime | None = None,
              expected_version: int | None = None) -> StageOutcome:
    """Change a person's advocacy stage by hand, keeping the change in their history.
    ``expected_version``: the person's version the caller showed."""
    target_stage = stage if isinstance(stage, Stage) else rules.parse_stage(stage)
    stamp = at or now()
    with store.write():
        contact = require(contact_id)
        before = rules.stored_stage(contact.stage)
        if before is target_stage:
            _check_version(CONTACT, contact_id, expected_version, _STAGE_KEPT)
            return StageOutcome(contact_id, before, target_stage, None, contact.version)
        version = _write_stage(contact_id, target_stage, expected_version)
        history = repo.record_stage_change(contact_id, before, target_stage, stamp)
    return StageOutcome(contact_id, before, target_stage, history, version)


def _write_stage(contact_id: int, stage: Stage, expected_version: int | None) -> int:
    """The person's new version."""
    if not repo.write_stage(contact_id, stage, now(), expected_version):
        raise _refusal(CONTACT, contact_id, expected_version, _STAGE_KEPT)
    row = repo.get_row(CONTACT, contact_id)
    assert row is not None  # just written, in this transaction
    return row["version"]


def undo_stage(store: Backend, outcome: StageOutcome, expected_version: int | None = None) -> int:
    """Put the stage back; returns the person's new version."""
    with store.write():
        version = _write_stage(outcome.contact_id, outcome.before, expected_version)
        if outcome.history:
            repo.delete_row(STAGE_CHANGE, outcome.history["id"])
    return version


def redo_stage(store: Backend, outcome: StageOutcome, expected_version: int | None = None) -> int:
    with store.write():
        version = _write_stage(outcome.contact_id, outcome.after, expected_version)
        if outcome.history:
            repo.insert_rows(STAGE_CHANGE, [outcome.history])
    return version


def stage_history(contact_id: int) -> list[StageChange]:
    require(contact_id)
    return repo.stage_history(contact_id)


# ------------------------------------------------------------------ wins


def add_win(store: Backend, contact_id: int, text: str, *, at: datetime | None = None,
            link: str = "", note: str = "") -> Win:
    """Record a success of theirs (a talk, a post, a launch, a promotion)."""
    body = rules.clean_win_text(text)
    url = rules.clean_link(link)
    remark = rules.clean_ledger_note(note)
    stamp = now()
    with store.write():
        require(contact_id)
        return repo.insert_win(contact=contact_id, text=body, at=at or stamp, link=url,
                               note=remark, created_at=stamp, updated_at=stamp)


def get_win(win_id: int) -> Win:
    win = repo.get_win(win_id)
    if win is None:
        raise NotFound(f"no win with id {win_id}")
    return win


@dataclass(frozen=True)
class Celebration:
    win: Win
    touchpoint: Touchpoint


def celebrate_win(store: Backend, win_id: int, kind: Kind | str = Kind.AMPLIFY, *,
                  at: datetime | None = None, minutes: int | None = None, note: str = "",
                  expected_version: int | None = None) -> Celebration:
    """Log the touchpoint that amplified or congratulated a win, and link it to the win."""
    how = kind if isinstance(kind, Kind) else _celebration_kind(kind)
    with store.write():
        win = get_win(win_id)
        _check_version(WIN, win_id, expected_version)
        if win.celebrated:
            raise InvalidInput(f"the win {win.text!r} was already celebrated")
        text = note.strip() or f"Celebrated their win: {win.text}"
        tp = touch_svc.log_touchpoint(store, win.contact_id, how, at=at, minutes=minutes, note=text)
        link_celebration(store, win_id, tp.id, expected_version)
        return Celebration(get_win(win_id), tp)


def _celebration_kind(text: str) -> Kind:
    """``amplify``; ``congratulate`` (a private message: IM); or any touchpoint kind."""
    word = (text or "").strip().lower()
    if word in ("congratulate", "congratulations", "congrats"):
        return Kind.IM
    return parse_kind(word)


def link_celebration(store: Backend, win_id: int, touchpoint_id: int | None,
                     expected_version: int | None = None) -> None:
    with store.write():
        _update(WIN, win_id, expected_version, celebrated_by=touchpoint_id, updated_at=now())


def uncelebrate(store: Backend, celebration: Celebration,
                expected_version: int | None = None) -> dict:
    """Undo a celebration: the touchpoint goes (the win is unlinked with it); returns its row.

    ``expected_version`` (the win's): when given, the touchpoint must also still be the
    version the celebration logged (an edit of it by someone else is not deleted).
    After it the win's version is ``expected_version + 1``.
    """
    tp = celebration.touchpoint
    with store.write():
        _check_version(WIN, celebration.win.id, expected_version)
        row = touch_svc.delete_touchpoint(
            store, tp.id, expected_version=None if expected_version is None else tp.version)
        link_celebration(store, celebration.win.id, None, expected_version)
    return row


def recelebrate(store: Backend, celebration: Celebration, touchpoint_row: dict,
                expected_version: int | None = None) -> Win:
    """Redo a celebration; returns the win as it is now."""
    with store.write():
        _check_version(WIN, celebration.win.id, expected_version)
        touch_svc.restore_touchpoint(store, touchpoint_row)
        link_celebration(store, celebration.win.id, touchpoint_row["id"], expected_version)
        return get_win(celebration.win.id)


# ------------------------------------------------------------------ asks


def ask_fatigue(contact_id: int, at: datetime | None = None) -> Fatigue:
    """Asks in the quarter up to ``at`` (default now) against the limit."""
    require(contact_id)
    return rules.fatigue(repo.ask_times(contact_id), at or now(), fatigue_limit())


def check_ask(contact_id: int, at: datetime | None = None) -> Fatigue | None:
    """The fatigue warning for a new ask dated ``at``, before it is logged; None if fine."""
    require(contact_id)
    return rules.fatigue_before_ask(repo.ask_times(contact_id), at or now(), fatigue_limit())


def add_ask(store: Backend, contact_id: int, ask_type: str, *,
            status: AskStatus | str = AskStatus.ASKED,
            at: datetime | None = None, note: str = "", force: bool = False) -> Ask:
    """Record an ask. Raises :class:`AskFatigue` (nothing written) when it would ask too
    much of them in a quarter, unless ``force``."""
    kind = rules.parse_ask_type(ask_type)
    state = status if isinstance(status, AskStatus) else rules.parse_ask_status(status)
    remark = rules.clean_ledger_note(note)
    stamp = now()
    when = at or stamp
    with store.write():
        contact = require(contact_id)
        warning = rules.fatigue_before_ask(repo.ask_times(contact_id), when, fatigue_limit())
        if warning is not None and not force:
            raise AskFatigue(contact.name, warning)
        return repo.insert_ask(contact=contact_id, type=kind.value, status=state.value, at=when,
                               closed_at=when if state.closed else None, note=remark,
                               created_at=stamp, updated_at=stamp)


def get_ask(ask_id: int) -> Ask:
    ask = repo.get_ask(ask_id)
    if ask is None:
        raise NotFound(f"no ask with id {ask_id}")
    return ask


def set_ask_status(store: Backend, ask_id: int, status: AskStatus | str, *,
                   at: datetime | None = None, expected_version: int | None = None) -> Ask:
    """Planned → asked → done or declined (any order is allowed: people change their minds).

    Becoming done or declined records when (``at``, default now); moving back to
    planned or asked clears it. A planned ask that is now asked takes ``at`` as its date.
    """
    state = status if isinstance(status, AskStatus) else rules.parse_ask_status(status)
    stamp = now()
    with store.write():
        ask = get_ask(ask_id)
        changes: dict = {"status": state.value, "updated_at": stamp}
        if not state.closed:
            changes["closed_at"] = None
        elif not ask.status.closed or at is not None:
            changes["closed_at"] = at or stamp
        if ask.status is AskStatus.PLANNED and state is AskStatus.ASKED:
            changes["at"] = at or stamp
        _update(ASK, ask_id, expected_version, **changes)
        return get_ask(ask_id)


def restore_ask(store: Backend, ask: Ask, expected_version: int | None = None) -> Ask:
    """Put an ask's status and dates back as they were (undo of a status change)."""
    with store.write():
        _update(ASK, ask.id, expected_version, status=ask.status.value, at=ask.at,
                closed_at=ask.closed_at, updated_at=now())
        return get_ask(ask.id)


# ------------------------------------------------------------------ gives


def add_give(store: Backend, contact_id: int, give_type: str, *, at: datetime | None = None,
             note: str = "", for_ask: int | None = None) -> Give:
    """Record something given back; ``for_ask`` links it to the ask it thanks."""
    kind = rules.parse_give_type(give_type)
    remark = rules.clean_ledger_note(note)
    stamp = now()
    with store.write():
        require(contact_id)
        if for_ask is not None and get_ask(for_ask).contact_id != contact_id:
            raise InvalidInput(f"ask #{for_ask} was not asked of this person")
        return repo.insert_give(contact=contact_id, type=kind.value, at=at or stamp, note=remark,
                                for_ask=for_ask, created_at=stamp, updated_at=stamp)


def get_give(give_id: int) -> Give:
    give = repo.get_give(give_id)
    if give is None:
        raise NotFound(f"no give with id {give_id}")
    return give


@dataclass(frozen=True)
class Thanks:
    ask: Ask
    give: Give
    touchpoint: Touchpoint | None


def thank_for_ask(store: Backend, ask_id: int, kind: Kind | str | None = None, *,
                  at: datetime | None = None, minutes: int | None = None, note: str = "",
                  give_type: GiveType | str = GiveType.THANK_YOU_NOTE,
                  expected_version: int | None = None) -> Thanks:
    """Say thank you for a done ask: the touchpoint (if ``kind``) and a give linked to the ask.
    ``expected_version`` (the ask's): refused if someone changed the ask meanwhile (the
    ask itself is not written)."""
    with store.write():
        ask = get_ask(ask_id)
        _check_version(ASK, ask_id, expected_version)
        _check_thankable(ask)
        text = note.strip() or f"Thank you for {ask.type.phrase}"
        tp = None
        if kind is not None:
            tp = touch_svc.log_touchpoint(store, ask.contact_id, kind, at=at, minutes=minutes,
                                          note=text)
        give = add_give(store, ask.contact_id, str(give_type), at=at, note=text, for_ask=ask_id)
        return Thanks(get_ask(ask_id), give, tp)


def _check_thankable(ask: Ask) -> None:
    """Thanks once, for an ask made: a second ``thank`` added a second thank-you give
    (the balance counted it), and a planned ask was thanked before it was asked."""
    if ask.status is AskStatus.PLANNED:
        raise InvalidInput(f"ask #{ask.id} is only planned: ask it first "
                           f"(planner ask-status {ask.id} asked), then thank them")
    if ask.thanked_by is not None:
        name = repo.names([ask.contact_id]).get(ask.contact_id, f"#{ask.contact_id}")
        raise InvalidInput(f"{name} was already thanked for {ask.type.phrase} "
                           f"(give #{ask.thanked_by})")


# ------------------------------------------------------------------ removing (and undo)

#: what :func:`delete_entry` deletes (a kind's word is its table's name)
_ENTRIES = (WIN, ASK, GIVE, TOUCHPOINT)


def delete_entry(store: Backend, kind: str, row_id: int,
                 expected_version: int | None = None) -> dict:
    """Delete a win, ask or give; return what :func:`restore_entry` needs to put it back
    (the same row, same version)."""
    if kind not in _ENTRIES:
        raise KeyError(kind)
    with store.write():
        links = repo.gives_for_ask(row_id) if kind == ASK else []
        row = repo.delete_row(kind, row_id, expected_version)
        if row is None:
            if expected_version is None or kind not in _CHECKED:
                raise NotFound(f"no {kind} with id {row_id}")
            raise _refusal(kind, row_id, expected_version, "nothing was deleted")
    return {"kind": kind, "row": row, "gives": links}


def restore_entry(store: Backend, saved: dict) -> None:
    with store.write():
        repo.insert_rows(saved["kind"], [saved["row"]])
        if saved["gives"]:
            repo.restore_links({}, {gid: saved["row"]["id"] for gid in saved["gives"]})


def restore_thanks(store: Backend, thanks: Thanks, rows: dict) -> None:
    with store.write():
        if rows.get("touchpoint"):
            touch_svc.restore_touchpoint(store, rows["touchpoint"])
        repo.insert_rows(GIVE, [rows["give"]])


def undo_thanks(store: Backend, thanks: Thanks, expected_version: int | None = None) -> dict:
    """``expected_version`` (the give's): when given, the touchpoint must also still be the
    version the thanks logged. :func:`restore_thanks` puts both back unchanged."""
    tp = thanks.touchpoint
    with store.write():
        if expected_version is None:
            rows = {"give": repo.delete_row(GIVE, thanks.give.id)}
        else:
            rows = {"give": _delete(GIVE, thanks.give.id, expected_version)}
        if tp is not None:
            rows["touchpoint"] = touch_svc.delete_touchpoint(
                store, tp.id, expected_version=None if expected_version is None else tp.version)
    return rows


# ------------------------------------------------------------------ one person's ledger


@dataclass(frozen=True)
class Ledger:
    contact_id: int
    stage: Stage
    history: list[StageChange]
    wins: list[Win]
    asks: list[Ask]
    gives: list[Give]
    fatigue: Fatigue

    @property
    def balance(self) -> Balance:
        return rules.balance(self.gives, self.asks)


def ledger(contact_id: int, as_of: datetime | None = None) -> Ledger:
    contact = require(contact_id)
    asks = repo.asks_for(contact_id)
    moment = as_of or now()
    return Ledger(
        contact_id,
        rules.stored_stage(contact.stage),
        repo.stage_history(contact_id),
        repo.wins_for(contact_id),
        asks,
        repo.gives_for(contact_id),
        rules.fatigue([a.at for a in asks], moment, fatigue_limit()),
    )


def next_uncelebrated_win(contact_id: int, as_of: datetime | None = None) -> Win | None:
    """The win the focus list suggests celebrating (same rule as its query)."""
    return repo.next_uncelebrated_win(contact_id, as_of or now())


def next_ask_awaiting_thanks(contact_id: int, as_of: datetime | None = None) -> Ask | None:
    """The done ask the focus list suggests a thank-you for (same rule as its query)."""
    return repo.next_ask_awaiting_thanks(contact_id, as_of or now())


# ------------------------------------------------------------------ JSON shapes


def iso_time(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def win_as_dict(win: Win) -> dict:
    return {"id": win.id, "contact_id": win.contact_id, "contact": win.contact,
            "text": win.text, "at": iso_time(win.at), "link": win.link, "note": win.note,
            "celebrated_by": win.celebrated_by}


def ask_as_dict(ask: Ask) -> dict:
    return {"id": ask.id, "contact_id": ask.contact_id, "contact": ask.contact,
            "type": ask.type.value, "status": ask.status.value, "at": iso_time(ask.at),
            "closed_at": iso_time(ask.closed_at), "note": ask.note, "thanked_by": ask.thanked_by}


def give_as_dict(give: Give) -> dict:
    return {"id": give.id, "contact_id": give.contact_id, "contact": give.contact,
            "type": give.type.value, "at": iso_time(give.at), "note": give.note,
            "for_ask": give.for_ask}
