"""About: version, and where the data, backups and log live."""

from __future__ import annotations

import html
import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from planner import APP_NAME, __version__
from planner.logs import log_path
from planner.services.folders import data_folder


class AboutDialog(QDialog):
    def __init__(self, parent, database_display: str, database_path=None):
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(f"About {APP_NAME}")
        backups = (database_path.parent / "backups") if database_path else None
        rows = [
            ("Version", __version__),
            ("Database", database_display),
            ("Backups", str(backups) if backups else "—"),
            ("Data folder", str(data_folder())),
            ("Log file", str(log_path())),
            ("Python", sys.version.split()[0]),
            ("Qt for Python", pyside_version),
        ]
        # a path is one line (it broke at its hyphens: "mentorship-/planner")
        table = "".join(
            f"<tr><td style='white-space:nowrap'><b>{html.escape(k)}</b>&nbsp;&nbsp;</td>"
            f"<td style='white-space:nowrap'>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        self.text = QLabel(
            f"<h2>{APP_NAME}</h2><p>The pyramid of mentorship — 3 / 12 / 72 — "
            f"as a daily tool. Local\u2011first: your data stays on this machine.</p>"
            f"<table>{table}</table>",
            self,
        )
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
