"""The advocacy part of the person panel (stage, wins, asks, gives, balance, fatigue)
and ``LedgerFlows``: opening the ledger's dialogs and turning them into undo commands.

Celebrating a win and saying thank you for an ask reuse the log dialog: the
touchpoint that is logged is linked to the win (or to a thank-you give).
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.domain import advocacy as rules
from planner.domain.channels import touch_kind
from planner.domain.errors import PlannerError
from planner.services import advocacy as svc
from planner.ui.advocacy.advocacy_dialog import AskDialog, GiveDialog, WinDialog
from planner.ui.common.dates import date_text
from planner.ui.common.narrow import FlowRow
from planner.ui.common.placeholder import PlaceholderList
from planner.ui.common.tone import bold_warning, set_tone
from planner.ui.timeline.log_dialog import LogDialog

ROW_ID = Qt.ItemDataRole.UserRole + 1


def _day(moment) -> str:
    return date_text(moment) if moment else ""


#: the tables the ledger shows (the name and the stage come with contacts_changed)
LEDGER_TABLES = frozenset({"win", "ask", "give", "stage_change"})

class LedgerFlows(QObject):
    """Dialog → command for every ledger action; ``dialog`` is the one open last."""

    def __init__(self, document, parent_widget):
        super().__init__(parent_widget)
        self.document = document
        self.parent_widget = parent_widget
        self.dialog = None

    def _name(self, contact_id: int | None) -> str | None:
        contact = self.document.contact(contact_id) if contact_id is not None else None
        if contact is None:
            self.document.message.emit("Select a person first")
            return None
        return contact.name

    def _open(self, dialog, on_accept):
        dialog.accepted.connect(lambda: on_accept(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _say(self, ok: bool, text: str) -> bool:
        if ok:
            self.document.message.emit(text)
        return ok

    # -- stage -----------------------------------------------------------------------------
    def set_stage(self, contact_id: int, stage: str) -> bool:
        contact = self.document.contact(contact_id)
        if contact is None or contact.stage == stage:
            return False
        ok = self.document.editing.set_stage(contact_id, stage)
        return self._say(ok, f"{contact.name} is now at the stage {stage}")

    # -- wins ------------------------------------------------------------------------------
    def add_win(self, contact_id: int | None) -> WinDialog | None:
        """``contact_id``: the selected person (None: nobody is, and the window says so)."""
        name = self._name(contact_id)
        if name is None or contact_id is None:
            return None

        def save(dialog):
            v = dialog.values()
            ok = self.document.editing.add_win(contact_id, v["text"], at=v["at"],
                                               link=v["link"], note=v["note"])
            self._say(ok, f"Win noted for {name} — celebrate it!")

        return self._open(WinDialog(self.parent_widget, name), save)

    def celebrate(self, win_id: int) -> LogDialog | None:
        """The log dialog preset to amplify; saving logs the touchpoint linked to the win."""
        try:
            win = svc.get_win(win_id)
        except PlannerError as exc:
            self.document.message.emit(str(exc))
            return None
        name = self._name(win.contact_id)
        if name is None:
            return None
        dialog = LogDialog(self.parent_widget, name, "amplify",
                           note=f"Celebrated their win: {win.text}")
        dialog.setWindowTitle("Celebrate a win")
        dialog.subject.setText(f"{name}'s win: {win.text}")
        kinds = cast(QStandardItemModel, dialog.kind.model())  # (a QComboBox's own)
        kinds.item(dialog.kind.findData("note")).setEnabled(False)

        def save(d):
            v = d.values()
            ok = self.document.editing.celebrate_win(
                win_id, v["kind"], at=v["at"], minutes=v["minutes"], note=v["note"],
                version=win.version)
            self._say(ok, f"Celebrated {name}'s win: {win.text}")

        return self._open(dialog, save)

    # -- asks ------------------------------------------------------------------------------
    def add_ask(self, contact_id: int | None) -> AskDialog | None:
        name = self._name(contact_id)
        if name is None or contact_id is None:
            return None

        def save(dialog):
            v = dialog.values()
            ok = self.document.editing.add_ask(contact_id, v["ask_type"], status=v["status"],
                                               at=v["at"], note=v["note"], force=v["force"])
            self._say(ok, f"Ask of {name} noted")

        check = lambda at: svc.check_ask(contact_id, at)  # noqa: E731
        return self._open(AskDialog(self.parent_widget, name, check), save)

    def set_ask_status(self, ask_id: int, status: str, version: int | None = None) -> bool:
        """``version``: the ask's version the window showed (None: the stored one)."""
        ok = self.document.editing.set_ask_status(ask_id, status, version)
        return self._say(ok, f"Ask marked {status}")

    def thank(self, ask_id: int) -> LogDialog | None:
        """The log dialog preset to their channel; saving logs it with a thank-you give."""
        try:
            ask = svc.get_ask(ask_id)
        except PlannerError as exc:
            self.document.message.emit(str(exc))
            return None
        name = self._name(ask.contact_id)
        if name is None:
            return None
        dialog = LogDialog(self.parent_widget, name, self._channel(ask.contact_id),
                           note=f"Thank you for {ask.type.phrase}")
        dialog.setWindowTitle("Say thank you")
        dialog.subject.setText(f"Thank {name} for {ask.type.phrase}")
        kinds = cast(QStandardItemModel, dialog.kind.model())  # (a QComboBox's own)
        kinds.item(dialog.kind.findData("note")).setEnabled(False)

        def save(d):
            v = d.values()
            ok = self.document.editing.thank(ask_id, v["kind"], at=v["at"],
                                             minutes=v["minutes"], note=v["note"],
                                             version=ask.version)
            self._say(ok, f"Thanked {name} for {ask.type.phrase}")

        return self._open(dialog, save)

    def _channel(self, contact_id: int) -> str:
        contact = self.document.contact(contact_id)
        return touch_kind(contact, default="im") if contact is not None else "im"

    # -- gives -----------------------------------------------------------------------------
    def add_give(self, contact_id: int | None,
                 for_ask: int | None = None) -> GiveDialog | None:
        name = self._name(contact_id)
        if name is None or contact_id is None:
            return None
        asks = [a for a in svc.ledger(contact_id).asks if a.made]

        def save(dialog):
            v = dialog.values()
            ok = self.document.editing.add_give(contact_id, v["give_type"], at=v["at"],
                                                note=v["note"], for_ask=v["for_ask"])
            self._say(ok, f"Noted what you gave {name}")

        return self._open(GiveDialog(self.parent_widget, name, asks, for_ask=for_ask), save)

    def delete(self, kind: str, row_id: int, version: int | None = None) -> bool:
        ok = self.document.editing.delete_ledger_entry(kind, row_id, version)
        return self._say(ok, f"Deleted the {kind} — Undo (Ctrl+Z) brings it back")

    # -- from the focus list ----------------------------------------------------------------
    def from_focus(self, contact_id: int):
        """Ticking someone in "This week" whose suggestion is to celebrate a win or to say
        thank you opens that flow (so the touchpoint is linked); otherwise None."""
        win = svc.next_uncelebrated_win(contact_id)
        if win is not None:
            return self.celebrate(win.id)
        ask = svc.next_ask_awaiting_thanks(contact_id)
        if ask is not None:
            return self.thank(ask.id)
        return None


class AdvocacyPanel(QWidget):
    """Stage selector, give/ask balance, fatigue warning and the wins/asks/gives lists."""

    def __init__(self, document, parent=None, flows: LedgerFlows | None = None):
        super().__init__(parent)
        self.setObjectName("advocacyPanel")
        self.document = document
        self.flows = flows or LedgerFlows(document, self)
        self.contact_id: int | None = None
        self._shown_for: tuple | None = None  # (name, stage) the ledger was read with
        self.ledger: svc.Ledger | None = None

        self.stage = QComboBox(self)
        self.stage.setAccessibleName("Advocacy stage")
        for stage in rules.Stage:
            self.stage.addItem(stage.label, stage.value)
        self.stage.activated.connect(self._stage_chosen)
        self.balance = QLabel(self)
        self.balance.setObjectName("balanceLabel")
        self.fatigue = QLabel(self)
        self.fatigue.setObjectName("fatigueLabel")
        self.fatigue.setWordWrap(True)
        bold_warning(self.fatigue)

        self.wins = self._list("Wins")
        self.asks = self._list("Asks")
        self.gives = self._list("Gives")
        self.add_win = QPushButton("Win…", self)
        self.add_win.setToolTip("Note a success of theirs")
        self.celebrate = QPushButton("Celebrate…", self)
        self.add_ask = QPushButton("Ask…", self)
        self.status_button = QToolButton(self)
        self.status_button.setText("Status")
        self.status_button.setAccessibleName("Ask status")
        self.status_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.status_button)
        self.status_actions: dict[str, QAction] = {}
        for status in rules.AskStatus:
            action = menu.addAction(f"Mark {status.value}")
            action.triggered.connect(lambda _=False, s=status.value: self._ask_status(s))
            self.status_actions[status.value] = action
        self.status_button.setMenu(menu)
        self.thank = QPushButton("Say thanks…", self)
        self.add_give = QPushButton("Give…", self)
        self.delete_buttons: dict[str, QPushButton] = {}
        for kind in ("win", "ask", "give"):
            button = QPushButton("Delete", self)
            button.setAccessibleName(f"Delete the selected {kind}")
            button.clicked.connect(lambda _=False, k=kind: self._delete(k))
            self.delete_buttons[kind] = button

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("ledgerTabs")
        self.tabs.setDocumentMode(True)
        pages = ((self.wins, (self.add_win, self.celebrate), "win"),
                 (self.asks, (self.add_ask, self.status_button, self.thank), "ask"),
                 (self.gives, (self.add_give,), "give"))
        for lst, page_buttons, kind in pages:
            page = QWidget(self)
            box = QVBoxLayout(page)
            box.setContentsMargins(0, 2, 0, 0)
            box.addWidget(lst)
            row = FlowRow(page)  # (wraps on a narrow Person panel)
            for button in (*page_buttons, self.delete_buttons[kind]):
                row.add(button)
            box.addWidget(row)
            self.tabs.addTab(page, lst.accessibleName())
        self.tabs.setMaximumHeight(160)

        top = FlowRow(self)  # (the balance goes under the stage on a narrow panel)
        top.add(QLabel("Stage", self))
        top.add(self.stage)
        top.add(self.balance)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(top)
        layout.addWidget(self.fatigue)
        layout.addWidget(self.tabs)

        self.add_win.clicked.connect(lambda: self.flows.add_win(self.contact_id))
        self.add_ask.clicked.connect(lambda: self.flows.add_ask(self.contact_id))
        self.add_give.clicked.connect(lambda: self.flows.add_give(self.contact_id))
        self.celebrate.clicked.connect(self._celebrate)
        self.thank.clicked.connect(self._thank)
        self.wins.itemActivated.connect(lambda _item: self._celebrate())
        for lst in (self.wins, self.asks, self.gives):
            lst.currentRowChanged.connect(self._update_buttons)
        self.tabs.currentChanged.connect(self._update_buttons)
        document.contacts_changed.connect(self._contacts_changed)
        document.timeline_changed.connect(self._maybe_refresh)
        document.reset.connect(self.refresh)
        self.show_contact(None)

    #: what an empty list says in its place
    EMPTY = {"Wins": "No wins noted yet: note one with Win… below.",
             "Asks": "Nothing asked of them yet: note an ask with Ask… below.",
             "Gives": "Nothing given to them yet: note it with Give… below."}

    def _list(self, name: str) -> QListWidget:
        lst = PlaceholderList(self.EMPTY.get(name, ""), self)
        lst.setAccessibleName(name)
        lst.setObjectName(f"ledger{name}")
        lst.setAlternatingRowColors(True)
        # a long win wraps in the panel's width (its date was behind a horizontal scroll
        # bar, and opening the section widened the panel, narrowing the rings)
        lst.setWordWrap(True)
        lst.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lst.setResizeMode(QListView.ResizeMode.Adjust)
        return lst

    # -- showing -----------------------------------------------------------------------------
    def show_contact(self, contact_id: int | None) -> None:
        self.contact_id = contact_id
        self.refresh()

    def _maybe_refresh(self, ids: list) -> None:
        written = self.document.changed_tables  # known for a change made elsewhere
        if self.contact_id in ids and (written is None or written.get(
                self.contact_id, LEDGER_TABLES) & LEDGER_TABLES):
            self.refresh()

    def _contacts_changed(self, ids: list) -> None:
        """Of a person's details the ledger shows the name and the stage: a touch (the
        last touch) or another detail leaves it as it is."""
        if self.contact_id in ids:
            contact = self.document.contact(self.contact_id)
            if contact is None or (contact.name, contact.stage) != self._shown_for:
                self.refresh()

    def refresh(self, *args) -> None:
        contact = self.document.contact(self.contact_id) if self.contact_id is not None else None
        self.setVisible(contact is not None)
        if contact is None:
            self.contact_id, self.ledger = None, None
            return
        book = self.ledger = svc.ledger(contact.id)
        self._shown_for = (contact.name, contact.stage)
        self.stage.setCurrentIndex(self.stage.findData(book.stage.value))
        balance = book.balance
        self.balance.setText(f"Balance: {balance.text}")
        set_tone(self.balance, None if balance.healthy else "warning")
        self.fatigue.setVisible(book.fatigue.near)
        if book.fatigue.near:
            self.fatigue.setText(f"⚠ {book.fatigue.describe(contact.name)}: give, don't ask.")
        self._fill(self.wins, [(w.id, self._win_text(w)) for w in book.wins])
        self._fill(self.asks, [(a.id, self._ask_text(a)) for a in book.asks])
        self._fill(self.gives, [(g.id, f"{g.type.label} · {_day(g.at)}"
                                 + (" (thanks for an ask)" if g.for_ask else "")
                                 + (f" — {g.note.splitlines()[0]}" if g.note else ""))
                                for g in book.gives])
        waiting = sum(1 for w in book.wins if not w.celebrated)
        due = sum(1 for a in book.asks if a.thanks_due)
        self.tabs.setTabText(0, f"Wins {len(book.wins)}" + (f" ({waiting}★)" if waiting else ""))
        self.tabs.setTabText(1, f"Asks {len(book.asks)}" + (f" ({due} to thank)" if due else ""))
        self.tabs.setTabText(2, f"Gives {len(book.gives)}")
        self._update_buttons()

    @staticmethod
    def _win_text(win) -> str:
        mark = "✓" if win.celebrated else "★ to celebrate:"
        return f"{mark} {win.text} · {_day(win.at)}"

    @staticmethod
    def _ask_text(ask) -> str:
        text = f"{ask.type.label} · {ask.status.value} · {_day(ask.at)}"
        return text + (" — thank them!" if ask.thanks_due else "")

    def _fill(self, lst: QListWidget, rows: list[tuple[int, str]]) -> None:
        current = self._selected(lst)
        lst.clear()
        for row_id, text in rows:
            item = QListWidgetItem(text)
            item.setData(ROW_ID, row_id)
            lst.addItem(item)
            if row_id == current:
                lst.setCurrentItem(item)

    @staticmethod
    def _selected(lst: QListWidget) -> int | None:
        item = lst.currentItem()
        return item.data(ROW_ID) if item is not None else None

    def _find(self, rows, row_id):
        return next((r for r in rows if r.id == row_id), None)

    def _update_buttons(self, *args) -> None:
        book = self.ledger
        win = self._find(book.wins, self._selected(self.wins)) if book else None
        ask = self._find(book.asks, self._selected(self.asks)) if book else None
        self.celebrate.setEnabled(win is not None and not win.celebrated)
        self.status_button.setEnabled(ask is not None)
        self.thank.setEnabled(ask is not None and ask.thanks_due)
        for kind, lst in (("win", self.wins), ("ask", self.asks), ("give", self.gives)):
            self.delete_buttons[kind].setEnabled(lst.currentItem() is not None)

    # -- acting ------------------------------------------------------------------------------
    def _stage_chosen(self, index: int) -> None:
        if self.contact_id is not None:
            self.flows.set_stage(self.contact_id, self.stage.itemData(index))

    def _celebrate(self):
        win_id = self._selected(self.wins)
        if win_id is None and self.ledger:
            waiting = [w for w in self.ledger.wins if not w.celebrated]
            win_id = waiting[0].id if waiting else None
        return self.flows.celebrate(win_id) if win_id is not None else None

    def _thank(self):
        ask_id = self._selected(self.asks)
        return self.flows.thank(ask_id) if ask_id is not None else None

    def _shown_version(self, kind: str, row_id: int) -> int | None:
        """The version of a row as this panel shows it (the change is checked against it)."""
        row = self._find(getattr(self.ledger, f"{kind}s", ()), row_id) if self.ledger else None
        return row.version if row is not None else None

    def _ask_status(self, status: str) -> None:
        ask_id = self._selected(self.asks)
        if ask_id is not None:
            self.flows.set_ask_status(ask_id, status, self._shown_version("ask", ask_id))

    def _delete(self, kind: str) -> None:
        lst = {"win": self.wins, "ask": self.asks, "give": self.gives}[kind]
        row_id = self._selected(lst)
        if row_id is not None:
            self.flows.delete(kind, row_id, self._shown_version(kind, row_id))


__all__ = ["AdvocacyPanel", "LedgerFlows"]
