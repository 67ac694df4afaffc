"""The weekly review: the week's people one at a time, with big buttons and one key
each — Log (L, opens the log dialog), Snooze a week (S), Move out one ring (M; the button
says where to, or "Take off the rings" on the outer ring), Skip (K or →) — and at the end
a summary: "12 reached, 3 snoozed, 1 moved out".

It only decides what comes next; logging, snoozing and moving go through the callbacks
the window gives (the same undoable commands as everywhere else). A snooze or a move is
said in the dialog with Undo (or Ctrl+Z), which brings that person back to review: the
window's own Undo is out of reach behind the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from planner.domain.cadence import Status
from planner.domain.errors import PlannerError, RingFull
from planner.domain.focus import FocusItem
from planner.domain.kinds import kind_label
from planner.domain.moves import plan_step
from planner.domain.rings import Ring
from planner.ui.common.dates import day_text


@dataclass
class ReviewTally:
    reached: list[int] = field(default_factory=list)
    snoozed: list[int] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)
    unplaced: list[int] = field(default_factory=list)  # moved out from the outer ring
    skipped: list[int] = field(default_factory=list)

    def summary(self) -> str:
        """``12 reached, 3 snoozed, 1 moved out`` (and how many were taken off the rings
        or skipped)."""
        parts = [f"{len(self.reached)} reached", f"{len(self.snoozed)} snoozed",
                 f"{len(self.moved)} moved out"]
        if self.unplaced:
            parts.append(f"{len(self.unplaced)} taken off the rings")
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        return ", ".join(parts)


def status_line(item: FocusItem) -> str:
    ring = f"{item.ring.label} ring"
    if item.status is Status.NEVER:
        state = "never contacted"
    elif item.days_overdue:
        from planner.domain.formatting import overdue_text

        state = overdue_text(item.days_overdue)
    elif item.status is Status.OVERDUE:
        state = "due today"
    else:
        state = f"due {day_text(item.next_due.astimezone().date())}"
    line = f"{ring} · {state}"
    if item.last_touch is not None:
        day = item.last_touch.astimezone().date()
        kind = f" ({kind_label(item.last_touch_kind)})" if item.last_touch_kind else ""
        line += f" · last touch {day_text(day)}{kind}"
    return line


def move_out_target(item: FocusItem) -> Ring | None:
    """Where Move out takes this person: the domain's demote rule (one ring out; off the
    rings from the outer one). InvalidInput when they are not on a ring."""
    return plan_step(item.name, item.ring, up=False)


def move_out_text(item: FocusItem) -> str:
    """The Move out button's words for this person (with its key on a second line)."""
    try:
        target = move_out_target(item)
    except PlannerError:
        return "&Move out a ring\n(M)"
    if target is None:
        return "Take off the rings\n(&M)"
    return f"&Move to the {target.value} ring\n(M)"


class WeeklyReview(QDialog):
    """Opened with ``open()``. ``log(contact_id, done)`` must call ``done(True)`` once a
    touch was logged (``done(False)`` if the log dialog was cancelled); ``snooze`` and
    ``move_out`` return what they did ("Took Alan off the rings", shown with Undo) or
    None when nothing was done, and may raise a PlannerError whose message is shown
    instead; ``undo`` undoes the last step and returns what it says ("Undone: …"), or
    None when nothing was undone (without it, no Undo is offered)."""

    finished_review = Signal(str)  # the summary

    def __init__(self, parent, items: list[FocusItem], *,
                 log: Callable[[int, Callable[[bool], None]], None],
                 snooze: Callable[[int], str | None], move_out: Callable[[int], str | None],
                 undo: Callable[[], str | None] | None = None):
        super().__init__(parent)
        self.setObjectName("weeklyReview")
        self.setWindowTitle("Weekly review")
        self.setMinimumSize(560, 420)
        self.items = list(items)
        self.index = 0
        self.tally = ReviewTally()
        self._log, self._snooze, self._move_out, self._undo = log, snooze, move_out, undo
        self._undoable: tuple[list[int], int] | None = None  # (its bucket, its index)
        self.waiting = False  # the log dialog is open
        self.keys: dict = {Qt.Key.Key_Right: self.skip_current}  # one key per choice

        self.progress = QLabel(self)
        self.progress.setObjectName("reviewProgress")
        self.name = QLabel(self)
        self.name.setObjectName("reviewName")
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 2.2)
        big.setBold(True)
        self.name.setFont(big)
        self.name.setWordWrap(True)
        self.status = QLabel(self)
        self.action = QLabel(self)
        self.action.setObjectName("reviewAction")
        self.action.setWordWrap(True)
        bigger = QFont(self.font())
        bigger.setPointSizeF(bigger.pointSizeF() * 1.3)
        self.action.setFont(bigger)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setProperty("role", "muted")  # the theme's muted ink (it was the colour
        # of lines, palette(mid): 1.7:1 on the light window, hard to read)

        self.log_button = self._button("&Log a touch", "L", self.log_current)
        self.snooze_button = self._button("&Snooze a week", "S", self.snooze_current)
        self.move_button = self._button("&Move out a ring", "M", self.move_current)
        self.skip_button = self._button("S&kip", "K", self.skip_current)
        # what the last snooze or move did, with Undo while it is the last step
        self.said = QLabel(self)
        self.said.setObjectName("reviewSaid")
        self.said.setTextFormat(Qt.TextFormat.PlainText)  # (names are not markup)
        self.said.setWordWrap(True)
        self.undo_button = QPushButton("&Undo", self)
        self.undo_button.setAccessibleName("Undo that")
        self.undo_button.setToolTip("Undo that (Ctrl+Z) and review them again")
        self.undo_button.setAutoDefault(False)
        self.undo_button.clicked.connect(self.undo_last)
        self._tell("")
        self.close_button = QPushButton("Done", self)
        self.close_button.clicked.connect(self.accept)
        self.close_button.hide()

        buttons = QHBoxLayout()
        for button in (self.log_button, self.snooze_button, self.move_button, self.skip_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(self.progress)
        layout.addSpacing(8)
        layout.addWidget(self.name)
        layout.addWidget(self.status)
        layout.addSpacing(12)
        layout.addWidget(self.action)
        layout.addWidget(self.note)
        layout.addStretch(1)
        said = QHBoxLayout()
        said.addWidget(self.said, 1)
        said.addWidget(self.undo_button)
        layout.addLayout(said)
        layout.addLayout(buttons)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)
        self.show_current()

    def _button(self, text: str, key: str, slot) -> QPushButton:
        button = QPushButton(f"{text}\n({key})", self)
        button.setMinimumHeight(72)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        self.keys[getattr(Qt.Key, f"Key_{key}")] = slot
        return button

    def keyPressEvent(self, event) -> None:  # the buttons pass letters on to here
        if event.matches(QKeySequence.StandardKey.Undo) and self.undo_button.isVisible():
            self.undo_last()
            return
        slot = self.keys.get(event.key())
        no_modifier = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if slot is not None and no_modifier and self.current is not None:
            slot()
            return
        super().keyPressEvent(event)

    def resume(self, items: list[FocusItem]) -> None:
        """Go on where Esc left off, with the week's list as it is now: the people not yet
        reviewed who are still on it (reached or snoozed elsewhere meanwhile: gone; their
        lines as they are now), then anyone who has fallen due since. The tally stays."""
        fresh = {item.contact_id: item for item in items}
        done = self.items[: self.index]
        seen = {item.contact_id for item in self.items}
        rest = [fresh[item.contact_id] for item in self.items[self.index:]
                if item.contact_id in fresh]
        self.items = done + rest + [item for item in items if item.contact_id not in seen]
        self._tell("")
        self.show_current()

    @property
    def paused(self) -> bool:
        """Left with Esc before its end (Start review goes on from here)."""
        return not self.isVisible() and self.current is not None

    @property
    def current(self) -> FocusItem | None:
        return self.items[self.index] if self.index < len(self.items) else None

    def show_current(self) -> None:
        item = self.current
        if item is None:
            self.show_summary()
            return
        self.progress.setText(f"{self.index + 1} of {len(self.items)}")
        self.name.setText(item.name)
        self.status.setText(status_line(item))
        self.action.setText(item.action)
        self.note.setText(f"Latest note: {item.note}" if item.note else "")
        self.move_button.setText(move_out_text(item))
        for button in (self.log_button, self.snooze_button, self.move_button, self.skip_button):
            button.show()
        self.close_button.hide()
        self.log_button.setFocus()

    def show_summary(self) -> None:
        # nobody was due: no "0 reached, 0 snoozed, 0 moved out" to read
        text = self.tally.summary() if self.items else "Everyone is on track this week"
        self.progress.setText("Review done" if self.items else "Nobody to review this week")
        self.name.setText(text[:1].upper() + text[1:])
        self.status.setText("")
        self.action.setText("See you next week.")
        self.note.setText("")
        for button in (self.log_button, self.snooze_button, self.move_button, self.skip_button):
            button.hide()
        self.close_button.show()
        self.close_button.setDefault(True)
        self.close_button.setFocus()
        self.finished_review.emit(text)

    def _next(self, bucket: list[int], said: str | None = None) -> None:
        """On to the next person; ``said``: what was done to this one (undoable)."""
        item = self.current
        if item is None:
            return
        bucket.append(item.contact_id)
        self.index += 1
        self.show_current()
        if said:
            self._tell(said, undo=(bucket, self.index - 1))

    def _tell(self, text: str, undo: tuple[list[int], int] | None = None) -> None:
        """Say ``text`` above the buttons; ``undo``: the step it says can be undone."""
        self.said.setText(text[:1].upper() + text[1:])
        self.said.setVisible(bool(text))
        self._undoable = undo if self._undo is not None else None
        self.undo_button.setVisible(self._undoable is not None)

    def _done(self, step: Callable[[int], str | None], item: FocusItem) -> str | None:
        """Run a snooze or a move; a refusal is said and the person stays."""
        try:
            return step(item.contact_id)
        except RingFull as exc:  # (the window's "Swap with one of them…" cannot be done here)
            self._tell(f"The {exc.ring} ring is full ({len(exc.occupants)} people): "
                       f"snooze or skip {item.name} for now, and make room after the review")
            return None
        except PlannerError as exc:
            self._tell(str(exc))
            return None

    def undo_last(self) -> None:
        """Undo the last snooze or move and show that person again."""
        if self._undoable is None or self._undo is None or self.waiting:
            return
        bucket, index = self._undoable
        said = self._undo()
        if said is None:  # refused (the window says why): nothing to take back here
            self._tell("")
            return
        if bucket and bucket[-1] == self.items[index].contact_id:
            bucket.pop()
        self.index = index
        self.show_current()
        self._tell(said)

    def log_current(self) -> None:
        item = self.current
        if item is None or self.waiting:
            return
        self._tell("")
        self.waiting = True

        def done(logged: bool) -> None:
            self.waiting = False
            if logged and self.current is item:
                self._next(self.tally.reached)

        self._log(item.contact_id, done)

    def snooze_current(self) -> None:
        item = self.current
        if item is None or self.waiting:
            return
        self._tell("")
        said = self._done(self._snooze, item)
        if said:
            self._next(self.tally.snoozed, said)

    def move_current(self) -> None:
        item = self.current
        if item is None or self.waiting:
            return
        self._tell("")
        try:
            off = move_out_target(item) is None
        except PlannerError:
            off = False
        said = self._done(self._move_out, item)
        if said:
            self._next(self.tally.unplaced if off else self.tally.moved, said)

    def skip_current(self) -> None:
        if not self.waiting:
            self._tell("")
            self._next(self.tally.skipped)
