"""Contact photos in the window (issue 19): the canvas node, the list and the person panel
show the picture (initials otherwise), and the person panel chooses one."""

from __future__ import annotations

import io

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from planner.domain.rings import Ring
from tests.gui.helpers import open_window, populate


def jpeg(size=(400, 300), colour=(20, 160, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def give_photo(db_path, contact_id: int) -> None:
    from planner.services.photos import set_photo
    from planner.storage.database import open_database

    opened = open_database(str(db_path))
    try:
        set_photo(contact_id, jpeg())
    finally:
        opened.close()


def panel_of(window):
    from planner.ui.people.person_panel import PersonPanel

    return window.findChild(PersonPanel)


def list_decoration(window, name: str):
    model = window.contact_list.model
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == name:
            return model.index(row, 0).data(Qt.ItemDataRole.DecorationRole)
    raise AssertionError(f"{name} is not in the list")


def test_a_picture_shows_on_the_canvas_and_initials_otherwise(qtbot, db_path):
    ids = populate(db_path, extra={"Ada Lovelace": (Ring.INNER, {}),
                                   "Grace Hopper": (Ring.INNER, {})})
    give_photo(db_path, ids["Ada Lovelace"])
    window = open_window(qtbot, db_path)
    nodes = window.scene.nodes
    ada, grace = nodes[ids["Ada Lovelace"]], nodes[ids["Grace Hopper"]]
    assert ada._photo is not None and grace._photo is None
    image = window.view.grab().toImage()
    centre = window.view.mapFromScene(ada.scenePos())
    colour = image.pixelColor(centre)
    assert abs(colour.red() - 20) < 12 and abs(colour.green() - 160) < 12  # the photo
    from planner.ui.common import avatars
    from planner.ui.people.contact_model import AVATAR

    shown = list_decoration(window, "Ada Lovelace")
    assert shown.cacheKey() == avatars.photo_pixmap(ids["Ada Lovelace"], AVATAR).cacheKey()
    assert avatars.photo_pixmap(ids["Grace Hopper"], AVATAR) is None  # initials


def ada_shown(qtbot, db_path):
    """The window on Ada (inner ring, no picture yet), her person panel showing."""
    ids = populate(db_path, extra={"Ada Lovelace": (Ring.INNER, {})})
    window = open_window(qtbot, db_path)
    ada = ids["Ada Lovelace"]
    window.select(ada)
    panel = panel_of(window)
    qtbot.waitUntil(lambda: panel.photo.isVisible(), timeout=2000)
    return window, ada, panel


def test_the_person_panel_chooses_a_picture_and_the_node_shows_it(qtbot, db_path, tmp_path):
    window, ada, panel = ada_shown(qtbot, db_path)
    assert panel.photo.contact_id == ada and not panel.photo.remove_action.isEnabled()
    picture = tmp_path / "ada.jpg"
    picture.write_bytes(jpeg((900, 600)))
    panel.photo.ask_path = lambda done: done(picture)
    QTest.mouseClick(panel.photo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.scene.nodes[ada]._photo is not None, timeout=2000)
    assert panel.photo.remove_action.isEnabled()
    from planner.services.photos import get_photo

    assert Image.open(io.BytesIO(get_photo(ada))).size == (256, 256)

    bad = tmp_path / "notes.txt"
    bad.write_text("not a picture")
    failures = []
    panel.photo.failed.connect(failures.append)
    panel.photo.use_file(bad)
    assert failures and "the picture cannot be used" in failures[0]
    assert panel.placeholder.isVisibleTo(panel)  # the panel says so too
    assert panel.placeholder.text() == failures[0]
    assert get_photo(ada) is not None  # the old picture stays

    chosen = get_photo(ada)
    assert window.document.undo()  # choosing a picture is one undo step
    qtbot.waitUntil(lambda: window.scene.nodes[ada]._photo is None, timeout=2000)
    assert get_photo(ada) is None and not panel.photo.remove_action.isEnabled()
    assert window.document.redo()
    qtbot.waitUntil(lambda: window.scene.nodes[ada]._photo is not None, timeout=2000)
    assert get_photo(ada) == chosen

    panel.photo.remove_action.trigger()
    qtbot.waitUntil(lambda: window.scene.nodes[ada]._photo is None, timeout=2000)
    assert get_photo(ada) is None
    assert window.document.undo()  # and removing it too
    assert get_photo(ada) == chosen


def test_the_picture_has_no_arrow_strip_and_a_right_click_removes_it(qtbot, db_path, tmp_path):
    """The picture is one button (a menu button's arrow was a strip as tall as the picture
    beside it); a right-click gives its menu, whose Remove Picture removes it."""
    from PySide6.QtCore import QPoint, QTimer
    from PySide6.QtWidgets import QApplication, QMenu

    from planner.services.photos import get_photo

    _window, ada, panel = ada_shown(qtbot, db_path)
    photo = panel.photo
    assert photo.width() <= photo.SIZE + 16  # the picture and its margins, nothing beside
    picture = tmp_path / "ada.jpg"
    picture.write_bytes(jpeg((300, 300)))
    photo.use_file(picture)
    qtbot.waitUntil(lambda: get_photo(ada) is not None, timeout=2000)

    seen = []

    def choose_remove() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, choose_remove)
            return
        seen.append([a.text() for a in menu.actions()])
        item = next(a for a in menu.actions() if a.text() == "Remove Picture")
        QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(item).center())

    QTimer.singleShot(20, choose_remove)
    # through the window, as the window system gives a click (a click sent to the widget
    # itself makes no context menu event)
    centre = photo.mapTo(photo.window(), QPoint(photo.width() // 2, photo.height() // 2))
    QTest.mouseClick(photo.window().windowHandle(), Qt.MouseButton.RightButton, pos=centre)
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    assert seen == [["Choose Picture…", "Remove Picture"]]
    qtbot.waitUntil(lambda: get_photo(ada) is None, timeout=3000)


def test_a_picture_too_large_to_show_is_refused_by_its_header_not_decoded(qapp, caplog):
    """A stored picture over 1024 pixels a side (a teammate's decompression bomb) shows
    initials, refused by its header; the app's own thumbnails show."""
    from planner.ui.common import avatars

    out = io.BytesIO()
    Image.new("1", (4000, 4000)).save(out, "PNG")
    assert avatars.round_pixmap(out.getvalue(), 56, 77) is None
    assert avatars.round_pixmap(out.getvalue(), 32, 77) is None
    assert sum("#77" in r.getMessage() for r in caplog.records) == 1  # said once
    assert avatars.round_pixmap(jpeg((256, 256)), 56) is not None
    assert avatars.round_pixmap(b"x" * (avatars.MAX_PHOTO_DATA + 1), 56) is None
