"""Drawing a timeline: day headers, a kind badge per entry, notes rendered from Markdown
(as ui/common/note_markdown.py reads it: ``_x_`` italic, a typed new line kept)."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QEvent, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from planner.domain.timeline import EntryType
from planner.ui.common.icons import kind_icon
from planner.ui.common.menu_key import item_menu_place
from planner.ui.common.note_markdown import set_note_markdown
from planner.ui.common.placeholder import paint_placeholder
from planner.ui.common.selection import selection_fill
from planner.ui.timeline.timeline_model import Role, TimelineModel, entry_text

ICON = 20
PAD = 6


def _escape_md(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!<>|~" else ch for ch in text)


def _append_muted(doc: QTextDocument, text: str, palette: QPalette) -> None:
    """``text`` small and muted at the end of the entry's first line ("by bob")."""
    cursor = QTextCursor(doc.firstBlock())
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    muted = QTextCharFormat()
    muted.setForeground(palette.color(QPalette.ColorRole.PlaceholderText))
    muted.setFontWeight(QFont.Weight.Normal)
    size = doc.defaultFont().pointSizeF()
    if size > 0:
        muted.setFontPointSize(size * 0.85)
    cursor.insertText("   " + text, muted)


def _icon_rect(rect: QRect) -> QRect:
    """Where an entry's kind badge is drawn in its row (its text starts after it)."""
    return QRect(rect.left() + PAD, rect.top() + PAD, ICON, ICON)


class TimelineDelegate(QStyledItemDelegate):
    def __init__(self, parent=None, with_contact: bool = True):
        super().__init__(parent)
        self.with_contact = with_contact
        self._docs: OrderedDict[tuple, QTextDocument] = OrderedDict()

    def _document(self, entry, width: int, palette: QPalette, by: str = "") -> QTextDocument:
        key = (entry.id, entry.text, entry.at, entry.kind, entry.minutes, width, by,
               palette.color(QPalette.ColorRole.Text).name())
        doc = self._docs.get(key)
        if doc is not None:
            self._docs.move_to_end(key)
            return doc
        head, _, body = entry_text(entry, self.with_contact).partition("\n")
        first, _, who = head.partition(" — ")
        markdown = f"**{_escape_md(first)}**"
        if who:
            markdown += f" — {_escape_md(who)}"
        if entry.type in (EntryType.TOUCHPOINT, EntryType.NOTE) and body:
            markdown += "\n\n" + body
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        color = palette.color(QPalette.ColorRole.Text).name()
        doc.setDefaultStyleSheet(f"body {{ color: {color}; }}")
        set_note_markdown(doc, markdown)
        if by:
            _append_muted(doc, by, palette)
        doc.setTextWidth(max(50, width))
        self._docs[key] = doc
        if len(self._docs) > 500:
            self._docs.popitem(last=False)
        return doc

    def paint(self, painter, option, index) -> None:
        if index.data(Role.IS_HEADER):
            painter.save()
            font = QFont(option.font)
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
            rect = option.rect.adjusted(PAD, 0, -PAD, 0)
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             index.data())
            painter.drawLine(rect.bottomLeft(), rect.bottomRight())
            painter.restore()
            return
        entry = index.data(Role.ENTRY)
        if entry is None:
            return
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, selection_fill(option.palette))
        icon_rect = _icon_rect(option.rect)
        kind_icon(entry.kind or "other").paint(painter, icon_rect)
        text_left = icon_rect.right() + PAD
        doc = self.entry_document(option, index)
        painter.translate(text_left, option.rect.top() + PAD - 1)
        doc.drawContents(painter)
        painter.restore()

    def entry_document(self, option, index) -> QTextDocument:
        """The entry's text as ``paint`` draws it in ``option.rect``."""
        text_left = _icon_rect(option.rect).right() + PAD
        return self._document(index.data(Role.ENTRY), option.rect.right() - text_left - PAD,
                              option.palette, index.data(Role.BYLINE) or "")

    def sizeHint(self, option, index) -> QSize:
        if index.data(Role.IS_HEADER):
            return QSize(option.rect.width(), 26)
        entry = index.data(Role.ENTRY)
        width = option.rect.width() or 300
        if entry is None:
            return QSize(width, ICON + 2 * PAD)
        doc = self._document(entry, width - ICON - 3 * PAD, option.palette,
                             index.data(Role.BYLINE) or "")
        return QSize(width, int(max(ICON, doc.size().height())) + 2 * PAD)


class TimelineView(QListView):
    """A list of entries; Delete and Enter act on the selected one."""

    edit_requested = Signal(str)  # entry id
    delete_requested = Signal(str)

    def __init__(self, model: TimelineModel, with_contact: bool, parent=None):
        super().__init__(parent)
        self.timeline_model = model  # (its document: share_note)
        self.setModel(model)
        self.setItemDelegate(TimelineDelegate(self, with_contact))
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setUniformItemSizes(False)
        self.setWordWrap(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        self.setAccessibleName("Timeline")
        #: said in the list's place while it has no entries (an empty box said nothing)
        self.placeholder = ""

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        paint_placeholder(self, self.placeholder)

    def entry_document(self, row: int) -> QTextDocument:
        """The rendered text the row's entry is drawn with, at the view's width."""
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        option.rect = self.visualRect(self.model().index(row, 0))
        delegate = self.itemDelegate()
        assert isinstance(delegate, TimelineDelegate)
        return delegate.entry_document(option, self.model().index(row, 0))

    def selected_entry(self):
        index = self.currentIndex()
        return index.data(Role.ENTRY) if index.isValid() else None

    def event(self, event) -> bool:
        # The window's "Unplace" action has Delete as its shortcut: claim the key first,
        # or pressing Delete on an entry would take the selected person off the rings —
        # also with no entry selected (after an edit the list is read again): Delete in
        # the timeline never reaches the person
        if (event.type() == QEvent.Type.ShortcutOverride
                and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        entry = self.selected_entry()
        editable = entry is not None and entry.type in (EntryType.TOUCHPOINT, EntryType.NOTE)
        if editable and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_requested.emit(entry.id)
            return
        if editable and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit_requested.emit(entry.id)
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            event.accept()  # nothing to delete here, and nobody else's Delete either
            return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        super().mouseDoubleClickEvent(event)
        entry = self.selected_entry()
        if entry is not None and entry.type in (EntryType.TOUCHPOINT, EntryType.NOTE):
            self.edit_requested.emit(entry.id)

    def contextMenuEvent(self, event) -> None:
        from PySide6.QtWidgets import QMenu

        index, where = item_menu_place(self, event)  # (the current entry for the keys)
        entry = index.data(Role.ENTRY) if index.isValid() else None
        if entry is None or entry.type not in (EntryType.TOUCHPOINT, EntryType.NOTE):
            return
        self.setCurrentIndex(index)
        user = getattr(self.model(), "user", "")
        yours = not user or entry.author == user
        menu = QMenu(self)
        menu.addAction("Edit…", lambda: self.edit_requested.emit(entry.id)).setEnabled(
            yours or entry.type is EntryType.TOUCHPOINT)
        menu.addAction("Delete", lambda: self.delete_requested.emit(entry.id)).setEnabled(
            yours or entry.type is EntryType.TOUCHPOINT)
        if user and yours and entry.type is EntryType.NOTE:
            shared = entry.shared
            menu.addSeparator()
            menu.addAction("Make private" if shared else "Share with the team",
                           lambda: self.share_note(entry, not shared))
        menu.popup(where)

    def share_note(self, entry, shared: bool) -> bool:
        """Share one of your notes with the team (or make it private): one undo step,
        checked against the version this timeline shows."""
        document = self.timeline_model.document
        ok = document.editing.share_note(entry.row_id, shared, version=entry.version)
        if ok:
            what = "Shared the note with the team" if shared else "Made the note private"
            document.message.emit(f"{what} — Undo (Ctrl+Z) takes it back")
        return ok
