"""The capture inbox's badge in the status bar: "3 to review", hidden when there is nothing.

Made with the window (it is part of the status bar the first frame shows); the inbox
and its code come later (planner.ui.capture.capture_inbox), and so does the count.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton, QWidget

from planner.ui.common.icons import kind_icon


class CaptureBadge(QToolButton):
    """"3 to review" in the status bar (hidden when there is nothing): opens the inbox."""

    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.setObjectName("captureBadge")
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setIcon(kind_icon("meeting"))
        self.setAccessibleName("Captured touchpoints to review")
        self.setToolTip("Captured touchpoints waiting for your review")
        self.hide()

    def refresh(self, *_args) -> None:
        from planner.services import capture as svc

        try:
            count = svc.pending_count()
        except Exception:  # no database (closing, switching): nothing to show
            count = 0
        self.setText(f"{count} to review")
        self.setVisible(count > 0)
