"""A person's picture where the window shows them: canvas nodes, the list, the person panel.

Thumbnails are read from the database in one query (``services.photos.photos_of``)
the first time a picture is asked for (or :func:`load`, by the people list when it is
filled) and again after :func:`invalidate` (a picture chosen; the document reading
everything again after an import or another program's change), never while painting;
each size is made once into a round pixmap. Who has no picture keeps their initials
(the callers draw those).

:class:`PhotoButton` is the person panel's picture: click it to choose one (the file
dialog goes through :attr:`PhotoButton.ask_path`, which tests replace).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QImageReader, QPainter, QPainterPath, QPixmap
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from planner.domain.errors import PlannerError
from planner.services.connections import database_identity as _database
from planner.ui.common.palette import ink_on

log = logging.getLogger(__name__)

#: What a stored picture may be for the window to decode it. The app stores 256-pixel
#: thumbnails of at most 256 KB (``planner.importers.photos``: THUMBNAIL,
#: MAX_STORED_BYTES); on a team database any teammate may store any bytes in
#: ``contact_photo``, and an 8000×8000 PNG of 190 KB took 1.6 s and 256 MB to decode on
#: the GUI thread, per person and size. A picture over these bounds is read as none
#: (initials), by its header alone, never decoded.
MAX_PHOTO_SIDE = 1024  # pixels per side (four times the thumbnails')
MAX_PHOTO_DATA = 1024 * 1024  # bytes stored (four times the thumbnails')
#: Qt's allocation limit while a picture is decoded, in MB (its default is 256): a
#: header that lies about the size still cannot make Qt allocate more.
DECODE_LIMIT_MB = 16
_refused: set[int] = set()  # the people whose picture was refused (said once each)

_photos: dict[int, bytes] | None = None
_pixmaps: dict[tuple[int, int], QPixmap | None] = {}
_source: object = None  # the database the pictures were read from (another one: read again)


PICTURE_FILTER = "Pictures (*.jpg *.jpeg *.png *.gif)"


def invalidate(contact_id: int | None = None) -> None:
    """Forget what was read: everyone's pictures, or one person's."""
    global _photos
    if contact_id is None:
        _photos = None
        _pixmaps.clear()
        return
    if _photos is not None:
        _photos.pop(contact_id, None)
        from planner.services.photos import get_photo

        photo = get_photo(contact_id)
        if photo:
            _photos[contact_id] = photo
    for key in [k for k in _pixmaps if k[0] == contact_id]:
        del _pixmaps[key]


def forget_all() -> None:
    """Forget everyone's pictures (the document is about to read everything again)."""
    invalidate()


def load() -> None:
    """Read the pictures now, if they are not read (where reading is allowed: a model's
    reset, not its ``data()``), so that ``photo_pixmap(load=False)`` finds them."""
    _all_photos()


def _all_photos() -> dict[int, bytes]:
    global _photos, _source
    if _source is not _database():
        invalidate()
        _source = _database()
    if _photos is None:
        from planner.services.photos import photos_of

        try:
            _photos = photos_of()
        except PlannerError:
            _photos = {}
    return _photos


def has_photo(contact_id: int) -> bool:
    return contact_id in _all_photos()


def photo_pixmap(contact_id: int, size: int, *, load: bool = True) -> QPixmap | None:
    """The person's picture as a round ``size``-pixel pixmap, or None (show initials).

    ``load=False`` (a model's ``data()``, a ``paint()``) never reads the database: before
    the pictures are read, everyone shows initials.
    """
    if (_photos is None or _source is not _database()) and not load:
        return None
    key = (contact_id, size)
    if key not in _pixmaps:
        data = _all_photos().get(contact_id)
        _pixmaps[key] = round_pixmap(data, size, contact_id) if data else None
    return _pixmaps[key]


def decode_photo(data: bytes, contact_id: int | None = None) -> QImage | None:
    """The stored picture ``data`` as an image, or None: damaged, or over the bounds
    (``MAX_PHOTO_SIDE``, ``MAX_PHOTO_DATA``) by its size or its header (read without
    decoding), which is logged once per person."""
    reason = None
    if len(data) > MAX_PHOTO_DATA:
        reason = f"{len(data)} bytes"
    else:
        buffer = QBuffer()
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer)
        side = reader.size()  # the header's (-1 × -1: unknown, refused below)
        if not side.isValid() or max(side.width(), side.height()) > MAX_PHOTO_SIDE:
            if side.isValid():
                reason = f"{side.width()}×{side.height()} pixels"
            else:
                return None  # not a picture Qt knows: initials, as a damaged one
        else:
            limit = QImageReader.allocationLimit()
            QImageReader.setAllocationLimit(DECODE_LIMIT_MB)
            try:
                image = reader.read()
            finally:
                QImageReader.setAllocationLimit(limit)
            return None if image.isNull() else image
    if contact_id not in _refused:
        if contact_id is not None:
            _refused.add(contact_id)
        log.warning("the picture of person #%s is too large to show (%s; at most %s pixels "
                    "a side and %s bytes): initials instead", contact_id, reason,
                    MAX_PHOTO_SIDE, MAX_PHOTO_DATA)
    return None


def round_pixmap(data: bytes, size: int, contact_id: int | None = None) -> QPixmap | None:
    image = decode_photo(data, contact_id)
    if image is None:
        return None
    image = image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                         Qt.TransformationMode.SmoothTransformation)
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addEllipse(QRectF(0, 0, size, size))
    painter.setClipPath(path)
    painter.drawImage(QRectF(0, 0, size, size), image)
    painter.end()
    return pixmap


class PhotoButton(QToolButton):
    """The person panel's picture (initials when there is none); a click chooses one."""

    #: the picture of this person changed (contact id)
    changed = Signal(int)
    #: a picture could not be used (one line to show)
    failed = Signal(str)
    SIZE = 56

    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        # the cache forgets a picture before anyone redraws the person (undo and redo too)
        document.photos_changed.connect(self._photos_changed)
        self.setObjectName("personPhoto")
        self.setAccessibleName("Picture")
        self.setToolTip("Choose a picture… (right-click: remove it)")
        self.setIconSize(QSize(self.SIZE, self.SIZE))
        self.setAutoRaise(True)
        self.contact_id: int | None = None
        self.initials = ""
        self.colour = "#888888"
        menu = QMenu(self)
        self.choose_action = menu.addAction("Choose Picture…", self.choose)
        self.remove_action = menu.addAction("Remove Picture", self.remove)
        self.setMenu(menu)
        # a click chooses; holding the button down (or a right-click) gives the menu. A
        # menu button's arrow was a strip as tall as the picture beside it (a glitch to see)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.DelayedPopup)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(lambda at: menu.popup(self.mapToGlobal(at)))
        self.clicked.connect(self.choose)

    def ask_path(self, done) -> None:
        """Ask for a picture file, then ``done(path)``; tests replace this."""
        from PySide6.QtWidgets import QFileDialog

        from planner.ui.common.file_dialogs import file_dialog
        from planner.ui.common.save_folder import documents_folder

        dialog = file_dialog(self.window(), "Choose a Picture", documents_folder(),
                             [PICTURE_FILTER, "All files (*)"])
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda chosen: done(Path(chosen)))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def show_person(self, contact_id: int | None, initials: str = "", colour: str = "") -> None:
        self.contact_id, self.initials = contact_id, initials
        self.colour = colour or self.colour
        self.setEnabled(contact_id is not None)
        self.refresh()

    def refresh(self) -> None:
        photo = photo_pixmap(self.contact_id, self.SIZE) if self.contact_id else None
        self.remove_action.setEnabled(photo is not None)
        self.setIcon(QIcon(photo or self._initials_pixmap()))

    def choose(self) -> None:
        if self.contact_id is not None:
            self.ask_path(self.use_file)

    def use_file(self, path: Path) -> None:
        """Make the chosen file the picture: one undo step; a file that is no usable
        picture is one line (``failed``) and changes nothing."""
        from planner.importers.photos import MAX_PHOTO_BYTES
        from planner.importers.user_file import read_user_file
        from planner.services.photos import make_thumbnail

        contact_id = self.contact_id
        if contact_id is None:
            return
        try:
            small = make_thumbnail(read_user_file(path, MAX_PHOTO_BYTES, "picture"))
        except PlannerError as exc:
            self.failed.emit(str(exc))
            return
        if self.document.editing.set_photo(contact_id, small):
            self.changed.emit(contact_id)

    def remove(self) -> None:
        contact_id = self.contact_id
        if (contact_id is not None and has_photo(contact_id)
                and self.document.editing.set_photo(contact_id, None)):
            self.changed.emit(contact_id)

    def _photos_changed(self, ids: list) -> None:
        for contact_id in ids:
            invalidate(contact_id)
        if self.contact_id in ids:
            self.refresh()

    def _initials_pixmap(self) -> QPixmap:
        pixmap = QPixmap(self.SIZE, self.SIZE)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self.colour))
        painter.drawEllipse(QRectF(0, 0, self.SIZE, self.SIZE))
        font = painter.font()
        font.setBold(True)
        font.setPixelSize(int(self.SIZE * 0.4))
        painter.setFont(font)
        painter.setPen(QColor(ink_on(QColor(self.colour).name())))
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, self.initials)
        painter.end()
        return pixmap
