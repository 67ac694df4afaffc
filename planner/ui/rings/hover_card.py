"""The hover card of a node on the rings: a small frameless popup with the person's
picture (or initials), name, ring, status, last touch, next due, a birthday within 7 days
and a running snooze — at the window's reading size. The view shows it after a short
rest of the pointer on a node and hides it when the pointer leaves."""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from planner.ui.common import avatars
from planner.ui.common.dates import date_text
from planner.ui.common.palette import RING_COLORS

PHOTO = 64


def initials_pixmap(initials: str, colour: str, size: int = PHOTO) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(QRectF(0, 0, size, size))
    font = painter.font()
    font.setBold(True)
    font.setPixelSize(int(size * 0.38))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, initials)
    painter.end()
    return pixmap


def card_lines(node) -> list[str]:
    """What the card says under the name (plain text, one item a line)."""
    from planner.domain.reminders import birthday_hint, upcoming_birthday
    from planner.ui.focus.snooze_menu import snoozed_text

    contact = node.contact
    lines = [f"{node.ring.label} ring" + (f" · {node.status_text}" if node.status_text else "")]
    last = date_text(contact.last_touch, weekday=True) if contact.last_touch else "never"
    lines.append(f"Last touch: {last}")
    if node.next_due:
        lines.append(f"Next due: {node.next_due}")
    coming = upcoming_birthday(contact.birthday, datetime.now().astimezone().date())
    if coming:
        lines.append(birthday_hint(coming))
    snoozed = snoozed_text(contact.id)
    if snoozed:
        lines.append(snoozed)
    return lines


class HoverCard(QFrame):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("hoverCard")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.contact_id: int | None = None
        self.photo = QLabel(self)
        self.photo.setFixedSize(PHOTO, PHOTO)
        self.name = QLabel(self)
        self.name.setTextFormat(Qt.TextFormat.PlainText)  # a name, never markup
        self.name.setObjectName("hoverCardName")
        font = self.name.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.name.setFont(font)
        self.details = QLabel(self)
        self.details.setObjectName("hoverCardDetails")
        self.details.setTextFormat(Qt.TextFormat.RichText)
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(self.name)
        column.addWidget(self.details)
        column.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 8, 12, 8)
        row.setSpacing(10)
        row.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(column, 1)

    def show_node(self, node, global_pos: QPoint) -> None:
        """Fill the card for ``node`` and show it beside ``global_pos``, on the screen."""
        contact = node.contact
        self.contact_id = contact.id
        photo = avatars.photo_pixmap(contact.id, PHOTO)
        self.photo.setPixmap(photo if photo is not None
                             else initials_pixmap(node.initials, RING_COLORS[node.ring]))
        self.name.setText(contact.name)
        self.details.setText("<br>".join(html.escape(line) for line in card_lines(node)))
        self.adjustSize()
        pos = global_pos + QPoint(16, 16)
        screen = QGuiApplication.screenAt(global_pos) or QGuiApplication.primaryScreen()
        if screen is not None:
            room = screen.availableGeometry()
            if pos.x() + self.width() > room.right():
                pos.setX(global_pos.x() - self.width() - 16)
            if pos.y() + self.height() > room.bottom():
                pos.setY(global_pos.y() - self.height() - 16)
        self.move(pos)
        self.show()
        self.raise_()

    def hide_card(self) -> None:
        self.contact_id = None
        self.hide()
