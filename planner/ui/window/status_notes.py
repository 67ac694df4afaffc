"""Routine remarks in the status bar: what the window says nobody asked for (another
program's change was read) never hides what it just said about the user's own action.

A person who pressed Back Up Now while another program wrote saw "Backed up to …" for
less than half a second: "Updated with changes made by another program" took its place
with every outside write. A remark now waits until the status bar is free (what the user
did keeps its 8 s) and then stays :data:`NOTE_MS`; only the newest waiting one is said.
"""

from __future__ import annotations

from PySide6.QtWidgets import QStatusBar

#: how long a routine remark stays in the status bar
NOTE_MS = 4000


class StatusNotes:
    def __init__(self, bar: QStatusBar):
        self.bar = bar
        self.pending = ""
        bar.messageChanged.connect(self._changed)

    def say(self, text: str) -> None:
        if self.bar.currentMessage() in ("", text):
            self.bar.showMessage(text, NOTE_MS)
        else:
            self.pending = text

    def _changed(self, text: str) -> None:
        if not text and self.pending:
            pending, self.pending = self.pending, ""
            self.bar.showMessage(pending, NOTE_MS)
