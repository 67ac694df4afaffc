"""Contact photos in the window (issue 19): the canvas node, the list and the person panel
show the picture (initials otherwise), and the person panel chooses one."""

from __future__ import annotations

import io

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from planner.domain.rings import Ring
from tests.gui.helpers import open_window, populate
from tests.helpers.stores import bound


def jpeg(size=(400, 300), colour=(20, 160, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def give_photo(db_path, contact_id: int) -> None:
    from planner.services.photos import set_photo
    from planner.storage.database import open_database

    opened = open_database(str(db_path))
    try:
        set_photo(bound(), contact_id, jpeg())
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


def row_face(window, contact_id: int):
    """What the people list shows before the person's name: the view's own item (filled
    from the list's model once, and kept until the row changes)."""
    panel = window.contact_list
    for row in range(panel.proxy.rowCount()):
        if panel.model.id_at(row) == contact_id:
            return panel.proxy.index(row, 0).data(Qt.ItemDataRole.DecorationRole)
    raise AssertionError(f"#{contact_id} is not in the list")


def shows_photo(window, contact_id: int) -> bool:
    from planner.ui.common import avatars
    from planner.ui.people.contact_model import AVATAR

    photo = avatars.photo_pixmap(contact_id, AVATAR)
    face = row_face(window, contact_id)
    return photo is not None and face is not None and face.cacheKey() == photo.cacheKey()


def test_the_list_shows_a_picture_as_soon_as_it_arrives(qtbot, db_path):
    """Review C #3: an imported person's picture showed in the people list only once the
    row changed (the list's items were filled before anyone had read the pictures), an
    import or another program's change put the initials back while the person panel
    showed the picture, and a picture another program added never showed."""
    from planner.ui.common.palette import NEUTRAL_HALO
    from planner.ui.people.contact_model import avatar
    from tests.conftest import SHARED_FIXTURES
    from tests.gui.test_import_gui import click_import, start_import
    from tests.helpers.cli import run_cli

    vcards = SHARED_FIXTURES / "vcard"
    populate(db_path, extra={"Ada Lovelace": (Ring.INNER, {})})
    window = open_window(qtbot, db_path, watch=True)
    dialog = start_import(qtbot, window, vcards / "John_Doe_IPHONE.vcf")
    assert click_import(qtbot, window, dialog) == "ok"
    john = next(c.id for c in window.document.contacts() if "Richter" in c.name)
    assert shows_photo(window, john)  # at once: the row was not touched
    window.select(john)
    panel = panel_of(window)
    qtbot.waitUntil(lambda: panel.photo.contact_id == john, timeout=2000)
    assert panel.photo.remove_action.isEnabled()  # the panel shows the picture too

    # another import in the window: John keeps his picture in the list
    dialog = start_import(qtbot, window, vcards / "gmail-single.vcf")
    assert click_import(qtbot, window, dialog) == "ok"
    assert shows_photo(window, john)

    # another program's changes: the picture it brings shows, John's stays, and a person
    # with a title and no picture has initials without the title
    elsewhere: list[int] = []  # (the status bar may say a reminder by now: the signal)
    window.document.external_change.connect(lambda: elsewhere.append(1))
    added = run_cli("contacts", "add", "Dr. Grace Hopper, PhD", db=db_path)
    assert added.returncode == 0, added.stderr
    result = run_cli("import", str(vcards / "John_Doe_MS_OUTLOOK.vcf"), "--on-duplicate",
                     "add", db=db_path)
    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(lambda: window.document.count() == 5, timeout=5000)
    assert elsewhere  # read as another program's change
    assert shows_photo(window, john)
    newcomer = max(c.id for c in window.document.contacts())
    assert newcomer != john and shows_photo(window, newcomer)
    grace = next(c.id for c in window.document.contacts() if "Grace" in c.name)
    assert row_face(window, grace).cacheKey() == avatar("GH", NEUTRAL_HALO).cacheKey()
