"""Promote or demote into a full ring from the keyboard: a menu of the people on that ring
to swap places with. A drag swaps by dropping onto someone; Ctrl+Up had only "The inner
ring is full (3/3) — drop onto someone to swap", which no key could do."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from planner.domain.rings import Ring


def swap_menu(parent: QWidget, document, contact_id: int, ring: Ring) -> QMenu | None:
    """The menu (not shown yet): a heading that says why, then one entry per person on
    ``ring``; choosing one swaps them with ``contact_id`` (one undo step)."""
    contact = document.contact(contact_id)
    members = [c for c in document.ring_members(ring) if c.id != contact_id]
    if contact is None or not members:
        return None
    count, cap = document.fill()[ring]
    menu = QMenu(parent)
    menu.setObjectName("swapMenu")
    heading = menu.addAction(f"The {ring.value} ring is full ({count}/{cap}): "
                             f"swap {contact.name.replace('&', '&&')} with")
    heading.setEnabled(False)  # (a section's text is not drawn by every style)
    menu.addSeparator()
    where = f"to the {contact.ring.value} ring" if contact.ring else "off the rings"
    for member in members:
        action = QAction(member.name.replace("&", "&&"), menu)
        action.setStatusTip(f"{member.name} moves {where}")
        action.setData(member.id)
        action.triggered.connect(lambda _checked=False, other=member.id: document.editing.move(
            contact_id, ring, swap_with=other))
        menu.addAction(action)
    menu.setActiveAction(people(menu)[0])  # the first person, ready for Enter
    return menu


def people(menu: QMenu) -> list[QAction]:
    """The menu's entries that swap (not its heading)."""
    return [action for action in menu.actions() if action.data() is not None]


def show_swap_menu(parent: QWidget, document, contact_id: int, ring: Ring,
                   at: QPoint) -> QMenu | None:
    """Pop the menu up at ``at`` (global); it goes away with Esc, changing nothing."""
    menu = swap_menu(parent, document, contact_id, ring)
    if menu is not None:
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(at, people(menu)[0])
    return menu
