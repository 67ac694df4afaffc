"""The Snooze menu of a person (a node's right-click menu, the person panel's button):
a day, 3 days or a week, and Stop snoozing while they are snoozed. Each choice is one
undo step through the document's snooze commands (seen in their timeline)."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu, QWidget

from planner.document.editing import snoozed_until
from planner.domain.reminders import SNOOZE_CHOICES
from planner.ui.common.dates import day_text


def snoozed_text(contact_id: int) -> str:
    """``Snoozed until Mon 7 Dec`` (the day they come back), or "" when not snoozed."""
    until = snoozed_until(contact_id)
    return f"Snoozed until {day_text(until.astimezone().date())}" if until else ""


def fill_snooze_menu(menu: QMenu, document, contact_id: int) -> QMenu:
    """(Re)fill ``menu`` for ``contact_id`` as they are now."""
    menu.clear()
    for text, days in SNOOZE_CHOICES:
        action = menu.addAction(f"Snooze {text.lower()}")
        action.triggered.connect(
            lambda _=False, d=days: _snooze(document, contact_id, f"{d}d"))
    if snoozed_until(contact_id) is not None:
        menu.addSeparator()
        stop = menu.addAction("Stop snoozing")
        stop.triggered.connect(lambda: _stop(document, contact_id))
    return menu


def _name(document, contact_id: int) -> str:
    contact = document.contact(contact_id)
    return contact.name if contact is not None else "them"


def snoozed_said(document, contact_id: int) -> str:
    """What a snooze just done says: ``Snoozed Ada until Mon 7 Dec``."""
    until = snoozed_text(contact_id).removeprefix("Snoozed ")
    return f"Snoozed {_name(document, contact_id)} {until}".rstrip()


def _snooze(document, contact_id: int, duration: str) -> None:
    """Snooze, and say so as logging says what it did (the row just went, silently)."""
    if document.editing.snooze([contact_id], duration):
        document.message.emit(f"{snoozed_said(document, contact_id)} "
                              "(Edit → Undo brings them back)")


def _stop(document, contact_id: int) -> None:
    if document.editing.clear_snooze(contact_id):
        document.message.emit(f"{_name(document, contact_id)} is back in This week")


def snooze_menu(parent: QWidget, document, contact_id: int) -> QMenu:
    menu = QMenu("Snooze", parent)
    menu.setObjectName("personSnoozeMenu")
    return fill_snooze_menu(menu, document, contact_id)
