"""What the canvas shows before anyone is in the database: what the rings are for, and
the three ways to start (add someone, import contacts, try the demo)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

SENTENCE = ("Keep the 3 people you mentor near-daily on the inner ring, 12 you cultivate "
            "often on the middle ring and 72 you keep in touch with on the outer ring — each "
            "week the planner tells you whom to reach out to.")


class EmptyState(QWidget):
    """An overlay over the rings canvas; the window shows it while nobody is there."""

    add_requested = Signal()
    import_requested = Signal()
    demo_requested = Signal()

    def __init__(self, canvas: QWidget):
        super().__init__(canvas)
        self.setObjectName("emptyState")
        self.setAutoFillBackground(True)
        self.title = QLabel("<h2>Your mentorship pyramid starts here</h2>", self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sentence = QLabel(SENTENCE, self)
        self.sentence.setObjectName("emptySentence")
        self.sentence.setWordWrap(True)
        self.sentence.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sentence.setMaximumWidth(520)
        self.sentence.setMinimumWidth(280)
        self.add_button = QPushButton("Add your first person", self)
        self.add_button.setDefault(True)
        self.import_button = QPushButton("Import contacts…", self)
        self.demo_button = QPushButton("Try the demo", self)
        self.demo_button.setToolTip("Opens a demo network in a temporary file; your own "
                                    "database is not touched")
        self.add_button.clicked.connect(self.add_requested)
        self.import_button.clicked.connect(self.import_requested)
        self.demo_button.clicked.connect(self.demo_requested)
        column = QVBoxLayout(self)
        column.addStretch(1)
        column.addWidget(self.title)
        row = QHBoxLayout()  # (centred with stretches: an aligned label would not wrap)
        row.addStretch(1)
        row.addWidget(self.sentence, 12)
        row.addStretch(1)
        column.addLayout(row)
        column.addSpacing(16)
        for button in (self.add_button, self.import_button, self.demo_button):
            button.setMinimumWidth(220)
            column.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(1)
        canvas.installEventFilter(self)
        self.setGeometry(canvas.rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.parentWidget():
            self.setGeometry(watched.rect())
        return False

    def set_shown(self, on: bool) -> None:
        """Shown over the canvas, or hidden; the keys, if they were on one of its buttons
        ("Add your first person"), go to the canvas: Qt gave them to the next widget in
        the Tab order (the page tabs), and C for a coffee with the person just added did
        nothing."""
        had_keys = self._has_keys()
        self.setVisible(on)
        canvas = self.parentWidget()
        if on:
            self.raise_()
        elif had_keys and canvas is not None:
            canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def _has_keys(self) -> bool:
        focus = self.window().focusWidget()
        return focus is not None and (focus is self or self.isAncestorOf(focus))
