"""What a capture run could not read, shown where its result is: the sources dialog after
a calendar is added, the inbox after "Read sources again". ``planner capture`` prints
each line as a warning; the window only logged them, so an event left out of a
calendar (a repeat rule it cannot read) vanished without a word. A short list: the first
few lines, the rest counted, every line in the tooltip and the accessible description.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

SHOWN = 3
LONGEST = 160  # characters of one line shown; the whole line is in the tooltip


def problems_text(lines: list[str], shown: int = SHOWN) -> str:
    """"Not everything could be read (2):" and the first ``shown`` lines, the rest counted."""
    if not lines:
        return ""
    head = f"Not everything could be read ({len(lines)}):"
    listed = [f"• {_short(line)}" for line in lines[:shown]]
    if len(lines) > shown:
        listed.append(f"… and {len(lines) - shown} more (all in the tooltip)")
    return "\n".join([head, *listed])


def _short(line: str) -> str:
    return line if len(line) <= LONGEST else line[:LONGEST - 1] + "…"


class ProblemList(QLabel):
    """A word-wrapped list under a capture result; hidden while there is nothing."""

    def __init__(self, parent: QWidget | None = None, name: str = "captureProblems"):
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setAccessibleName("What could not be read")
        self.lines: list[str] = []
        self.hide()

    def show_problems(self, lines: list[str]) -> None:
        self.lines = list(lines)
        every = "\n".join(self.lines)
        self.setText(problems_text(self.lines))
        self.setToolTip(every)
        self.setAccessibleDescription(every)
        self.setVisible(bool(self.lines))
