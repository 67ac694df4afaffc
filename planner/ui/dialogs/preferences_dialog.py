"""Preferences: ring capacities and cadences (stored with the data), theme and backups.

Capacities and cadences belong to the database (every device sees the same
rings; on a team database the whole team's); the theme belongs to this computer
(QSettings), and each page says which. So does the page the dialog reopens on
(``window/preferences_page``, UI state like the window's ``window/page``).
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.domain.rings import RING_ORDER, Ring, odd_ring_settings
from planner.services.settings import PRESETS
from planner.ui.common import theme
from planner.ui.common.forms import THIS_COMPUTER, kept_where, widgets_in_layout_order

#: the page the dialog was left on, by name (the Security page is not always there)
PAGE = "window/preferences_page"

PRESET_LABELS = {
    "pyramid": "Pyramid of mentorship — 3 / 12 / 72",
    "dunbar": "Dunbar — 5 / 15 / 50 (and ~150 in your wider network)",
}

#: where each page's choices are kept, said on the page (a team database shares the rings)
KEPT_IN_FILE = "Kept in this database file: every computer that opens it uses these."
KEPT_FOR_TEAM = ("Shared with your team: everyone on this team database uses these ring "
                 "sizes and cadences. A cadence you set for one person stays your own.")


class PreferencesDialog(QDialog):
    """Opened with ``open()``; the window applies ``values()`` when accepted."""

    def __init__(
        self,
        parent,
        *,
        capacities: dict[Ring, int],
        cadences: dict[Ring, int],
        fill: dict[Ring, int],
        backup_keep: int | None,
        settings: QSettings | None = None,
        security=None,
        team: bool = False,
    ):
        """``backup_keep`` None: no Backups page (a team database is backed up with
        pg_dump, not by the app); ``team``: the rings are said to be the team's."""
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        self.fill = fill
        self.settings = settings or QSettings()
        from planner.ui.focus.reminder_preferences import ReminderPreferences

        self.reminders = ReminderPreferences(self, self.settings)
        self.accepted.connect(lambda: self._apply_reminders(parent))
        self.security = security
        self.team = team
        self.backup_keep: QSpinBox | None = None
        pages = [("rings", self._rings_tab(capacities, cadences), "&Rings"),
                 ("appearance", self._appearance_tab(), "&Appearance")]
        if backup_keep is not None:
            pages.append(("backups", self._backups_tab(backup_keep), "&Backups"))
        pages.append(("reminders", self.reminders, "Re&minders"))
        if security is not None:
            pages.append(("security", self._security_tab(security), "&Security"))
        self.tabs = QTabWidget(self)
        for _name, page, label in pages:
            self.tabs.addTab(page, label)
        self._page_names = [name for name, _page, _label in pages]
        self._reopen_last_page()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        self._order_tabbing()
        self._update_warning()
        self._as_opened = self._choices()
        self.question: QMessageBox | None = None  # "keep the changes?" before encrypting

    def _reopen_last_page(self) -> None:
        """Open on the page used last (kept as soon as it is chosen: Cancel, OK and
        closing the dialog all keep it)."""
        last = self.settings.value(PAGE, "", str)
        if last in self._page_names:
            self.tabs.setCurrentIndex(self._page_names.index(last))
        self.tabs.currentChanged.connect(
            lambda index: self.settings.setValue(PAGE, self._page_names[index]))

    def _order_tabbing(self) -> None:
        """Tab goes from the page's tabs into the page, then to OK and Cancel (it went
        to OK and Cancel first: the pages were made before the tabs and buttons, the
        Reminders page before the others)."""
        chain: list[QWidget] = [self.tabs.tabBar()]
        for index in range(self.tabs.count()):
            page = self.tabs.widget(index)
            if page is None:
                continue
            chain += [w for w in widgets_in_layout_order(page.layout())
                      if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
        chain += [self.buttons.button(QDialogButtonBox.StandardButton.Ok),
                  self.buttons.button(QDialogButtonBox.StandardButton.Cancel)]
        for first, then in pairwise(chain):
            QWidget.setTabOrder(first, then)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_wrapped_text()

    def _fit_wrapped_text(self) -> None:
        """Wrapped text was cut at the dialog's minimum size (a tab widget's minimum
        ignores height-for-width): each page is given at least the height its text
        needs at the narrowest the dialog can be."""
        shown = self.tabs.currentWidget()
        if shown is None:
            return
        narrowest = shown.width() - max(0, self.width() - self.minimumSizeHint().width())
        for index in range(self.tabs.count()):
            page = self.tabs.widget(index)
            layout = page.layout() if page is not None else None
            if page is not None and layout is not None and layout.hasHeightForWidth():
                page.setMinimumHeight(layout.totalHeightForWidth(max(1, narrowest)))

    def _choices(self) -> tuple:
        return (self.values(), self.reminders.choices())

    def changed(self) -> bool:
        """Anything changed here since the dialog opened (not applied yet)?"""
        return self._choices() != self._as_opened

    def _apply_reminders(self, window) -> None:
        problem = self.reminders.apply(getattr(window, "reminders", None))
        if problem and hasattr(window, "show_message"):
            window.show_message(problem)

    # -- tabs ---------------------------------------------------------------------------
    def _rings_tab(self, capacities, cadences) -> QWidget:
        page = QWidget(self)
        self.preset = QComboBox(page)
        self.preset.addItem("Custom", None)
        for key, label in PRESET_LABELS.items():
            self.preset.addItem(label, key)
        self.preset.setAccessibleName("Ring preset")
        mnemonic = {Ring.INNER: "&Inner", Ring.MIDDLE: "Mi&ddle", Ring.OUTER: "&Outer"}
        self.capacity: dict[Ring, QSpinBox] = {}
        self.cadence: dict[Ring, QSpinBox] = {}
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>Ring</b>"), 0, 0)
        grid.addWidget(QLabel("<b>People</b>"), 0, 1)
        grid.addWidget(QLabel("<b>Reach every</b>"), 0, 2)
        for row, ring in enumerate(RING_ORDER, start=1):
            cap = QSpinBox(page)
            cap.setRange(1, 1000)
            cap.setValue(capacities[ring])
            cap.setAccessibleName(f"{ring.label} ring capacity")
            cap.valueChanged.connect(self._capacity_edited)
            days = QSpinBox(page)
            days.setRange(1, 3650)
            days.setSuffix(" days")
            days.setValue(cadences[ring])
            days.setAccessibleName(f"{ring.label} ring cadence")
            self.capacity[ring], self.cadence[ring] = cap, days
            days.valueChanged.connect(self._update_warning)
            name = QLabel(f"{mnemonic[ring]} (now {self.fill.get(ring, 0)})", page)
            name.setBuddy(cap)  # Alt+I, Alt+D, Alt+O: the ring's size (Tab: its cadence)
            grid.addWidget(name, row, 0)
            grid.addWidget(cap, row, 1)
            grid.addWidget(days, row, 2)
        self.warning = QLabel(page)
        self.warning.setObjectName("capacityWarning")
        self.warning.setWordWrap(True)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self._select_matching_preset()
        layout = QVBoxLayout(page)
        layout.addWidget(kept_where(KEPT_FOR_TEAM if self.team else KEPT_IN_FILE, page))
        form = QFormLayout()
        form.addRow("&Preset", self.preset)
        layout.addLayout(form)
        layout.addLayout(grid)
        layout.addWidget(self.warning)
        layout.addStretch(1)
        return page

    def _appearance_tab(self) -> QWidget:
        page = QWidget(self)
        self.theme = QComboBox(page)
        for key, label in (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")):
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(self.theme.findData(theme.saved_choice(self.settings)))
        self.week_start = QComboBox(page)
        self.week_start.addItem("Monday", "monday")
        self.week_start.addItem("Sunday (plan the coming week on Sunday)", "sunday")
        saved = str(self.settings.value("focus/week_start", "monday"))
        self.week_start.setCurrentIndex(max(0, self.week_start.findData(saved)))
        form = QFormLayout(page)
        form.addRow(kept_where(THIS_COMPUTER, page))
        form.addRow("&Theme", self.theme)
        form.addRow("&Week starts on", self.week_start)
        return page

    def _backups_tab(self, keep: int) -> QWidget:
        page = QWidget(self)
        self.backup_keep = QSpinBox(page)
        self.backup_keep.setRange(1, 1000)
        self.backup_keep.setValue(keep)
        # one sentence, the number in it (the box stretched across the tab, the rest of
        # the sentence on a line of its own under it)
        keep_label = QLabel("&Keep the last", page)
        keep_label.setBuddy(self.backup_keep)
        rest = QLabel("backups of each kind: the ones you make (Back Up Now), the daily "
                      "ones, and the automatic ones (before every import, restore or "
                      "upgrade). A kind never pushes out another.", page)
        rest.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(keep_label)
        row.addWidget(self.backup_keep)
        row.addWidget(rest, 1)
        column = QVBoxLayout(page)
        column.addLayout(row)
        column.addStretch(1)
        return page

    def _security_tab(self, security) -> QWidget:
        """Encryption at rest: what is true now, and one button to change it."""
        page = QWidget(self)
        self.security_status = QLabel("<br>".join(security.status_lines()), page)
        self.security_status.setWordWrap(True)
        encrypted = security.is_encrypted()
        self.encrypt_button = QPushButton("&Encrypt the database…", page)
        self.change_key_button = QPushButton("&Change passphrase…", page)
        self.change_key_button.setObjectName("changePassphrase")
        self.decrypt_button = QPushButton("Turn encryption o&ff", page)
        # (a team database is not a file: nothing here to encrypt — the button said
        # "The database is already encrypted")
        self.encrypt_button.setVisible(not encrypted and not self.team)
        self.change_key_button.setVisible(encrypted)
        self.decrypt_button.setVisible(encrypted)
        if encrypted:
            label = self.security_status

            def found(lines: list[str]) -> None:
                try:
                    label.setText("<br>".join(lines))
                    self._fit_wrapped_text()  # (the lines found may be longer)
                except RuntimeError:  # Preferences was closed (and deleted) meanwhile
                    pass

            security.look_up_key(found)  # the keyring may block: looked up off this thread

        def then(step) -> None:
            """The dialog closes first (the database is closed and reopened for the
            step), then the step runs. Changes made here are neither applied nor lost
            without asking (they were applied unasked)."""
            if not self.changed():
                self.reject()
                step()
                return
            self.question = box = QMessageBox(
                QMessageBox.Icon.Question, "Preferences",
                "Keep the changes you made in Preferences?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel, self)
            box.setInformativeText("Preferences closes before the database is encrypted, "
                                   "decrypted or given a new passphrase.")
            box.setDefaultButton(QMessageBox.StandardButton.Save)

            def answered() -> None:
                chosen = box.standardButton(box.clickedButton())
                if chosen == QMessageBox.StandardButton.Save:
                    self.accept()
                elif chosen == QMessageBox.StandardButton.Discard:
                    self.reject()
                else:  # Cancel, Escape: back to Preferences, as it was
                    return
                step()

            box.finished.connect(lambda _result: answered())
            box.open()

        self.encrypt_button.clicked.connect(lambda: then(security.ask_encrypt))
        self.change_key_button.clicked.connect(lambda: then(security.ask_change))
        # (asked first, with Preferences still open: Keep Encrypted leaves it as it was)
        self.decrypt_button.clicked.connect(
            lambda: security.ask_decrypt(self, then=lambda: then(security.decrypt)))
        layout = QVBoxLayout(page)
        layout.addWidget(self.security_status)
        layout.addWidget(QLabel("Notes about people are sensitive. Encryption (SQLCipher) keeps "
                                "the database and its backups unreadable without the key.",
                                page, wordWrap=True))
        layout.addWidget(self.encrypt_button)
        layout.addWidget(self.change_key_button)
        layout.addWidget(self.decrypt_button)
        layout.addStretch(1)
        return page

    # -- behaviour ------------------------------------------------------------------------
    def _preset_chosen(self) -> None:
        key = self.preset.currentData()
        if key is None:
            return
        for ring, value in PRESETS[key].items():
            self.capacity[ring].blockSignals(True)
            self.capacity[ring].setValue(value)
            self.capacity[ring].blockSignals(False)
        self._update_warning()

    def _capacity_edited(self) -> None:
        self._select_matching_preset()
        self._update_warning()

    def _select_matching_preset(self) -> None:
        current = {ring: box.value() for ring, box in self.capacity.items()}
        match = next((k for k, v in PRESETS.items() if v == current), None)
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.findData(match) if match else 0)
        self.preset.blockSignals(False)

    def _update_warning(self) -> None:
        """Said under the rings as values are chosen (never a box after OK)."""
        over = [
            f"{ring.label} has {self.fill.get(ring, 0)}"
            for ring, box in self.capacity.items()
            if self.fill.get(ring, 0) > box.value()
        ]
        parts = []
        if over:
            parts.append("Nobody is taken off a ring: " + "; ".join(over)
                         + ". Those rings will show they are over capacity until you move people.")
        odd = odd_ring_settings({r: b.value() for r, b in self.capacity.items()},
                                {r: b.value() for r, b in self.cadence.items()})
        if odd:
            parts.append("Check: " + "; ".join(odd) + ". (Saved as it is if you press OK.)")
        self.warning.setText("<br>".join(parts))

    def values(self) -> dict:
        return {
            "capacities": {ring: box.value() for ring, box in self.capacity.items()},
            "cadences": {ring: box.value() for ring, box in self.cadence.items()},
            "theme": self.theme.currentData(),
            "week_start": self.week_start.currentData(),
            "backup_keep": self.backup_keep.value() if self.backup_keep is not None else None,
        }

    def changes(self) -> dict:
        """What was changed here since the dialog opened: only those values are applied,
        so OK does not put back what the dialog showed over a change made meanwhile (by
        a teammate, another window) to something left alone here. The rings' maps hold
        only the rings changed; theme and week start are always given."""
        opened, now = self._as_opened[0], self.values()
        out = {key: now[key] for key in ("theme", "week_start")}
        for key in ("capacities", "cadences"):
            out[key] = {r: v for r, v in now[key].items() if v != opened[key][r]}
        if now["backup_keep"] != opened["backup_keep"]:
            out["backup_keep"] = now["backup_keep"]
        return out

