"""The window on a 1366×768 laptop (issue 20): the canvas gets the room first, This week and
the Dashboard are full pages, the side panels close and come back from View → Panels, the
toolbar and the Help menu."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QToolButton

from planner.domain.rings import Ring
from planner.ui.people.contact_dialog import ContactDialog
from planner.ui.people.contact_model import NAME
from tests.gui.helpers import open_window, populate

LEFT = Qt.MouseButton.LeftButton
LAPTOP = (1366, 768)
LONG_NAMES = ("Seán Ó Súilleabháin", "Charlotte Thompson", "Agnieszka Lewandowska",
              "Siddharth Reddy", "Wojciech Kowalski", "Aishwarya Krishnan")


@pytest.fixture
def laptop(qtbot, db_path):
    extra = {name: (Ring.OUTER, {}) for name in LONG_NAMES}
    ids = populate(db_path, inner=3, middle=12, outer=20, unplaced=10, extra=extra)
    window = open_window(qtbot, db_path, size=LAPTOP)
    qtbot.waitUntil(lambda: window.people_dock.width() >= 300)  # the first-start widths
    return window, ids


def click_toolbar(window, action) -> None:
    QTest.mouseClick(window.toolbar.widgetForAction(action), LEFT)


def fully_shown_rows(view) -> int:
    viewport = view.viewport().rect()
    model = view.model()
    return sum(viewport.contains(view.visualRect(model.index(row, 0)))
               for row in range(model.rowCount()))


def test_it_fits_a_laptop_and_the_canvas_gets_the_room(qtbot, laptop):
    window, _ids = laptop
    minimum = window.minimumSizeHint()
    assert minimum.width() <= 1024 and minimum.height() <= 640
    assert window.size().toTuple() == LAPTOP
    view = window.view.viewport()
    assert view.width() >= 600 and view.height() >= 520  # more than either side panel
    assert view.width() > window.people_dock.width() + 250
    window.resize(1024, 640)
    qtbot.waitUntil(lambda: window.size().toTuple() == (1024, 640))
    assert window.view.viewport().width() >= 380


def test_this_week_is_a_full_page_showing_at_least_12_people(qtbot, laptop):
    window, _ids = laptop
    click_toolbar(window, window.window_actions.show_focus)
    focus = window.focus.view
    qtbot.waitUntil(focus.isVisible)
    assert window.pages.currentWidget() is window.focus
    assert window.focus.model.rowCount() >= 12
    assert fully_shown_rows(focus) >= 12
    click_toolbar(window, window.window_actions.show_dashboard)
    qtbot.waitUntil(window.dashboard.isVisible)
    qtbot.waitUntil(lambda: window.dashboard.stats is not None)
    assert window.dashboard.height() >= 500
    # no page, filled in, asks for more than a 1024-pixel window leaves the middle
    for page in (window.view, window.focus, window.dashboard, window.activity):
        assert page.minimumSizeHint().width() <= 1024 - 2 * 240, page.objectName()
    click_toolbar(window, window.window_actions.show_rings)
    qtbot.waitUntil(window.view.isVisible)


def test_the_person_timeline_has_most_of_the_panel(qtbot, laptop):
    window, ids = laptop
    person = window.person
    # nobody selected: no empty box, but how to select someone and the network
    assert not person.timeline.isVisible() and not person.note_box.isVisible()
    assert "Click someone" in person.placeholder.text()
    assert "51 people" in person.placeholder.text()
    table = window.contact_list.view
    row = window.contact_list.proxy.mapFromSource(
        window.contact_list.model.index(window.contact_list.model.row_of(ids["Inner 1"]), 0))
    QTest.mouseClick(table.viewport(), LEFT, pos=table.visualRect(row).center())
    assert person.contact_id == ids["Inner 1"]
    qtbot.waitUntil(person.timeline.isVisible)
    assert person.timeline.height() >= person.height() * 0.5
    assert person.note_box.isVisible()
    assert person.note_box.geometry().bottom() < person.timeline.geometry().top()

    # the inline note: typed, Enter, saved as one undo step
    QTest.mouseClick(person.note_box, LEFT)
    QTest.keyClicks(person.note_box, "Asked about the conference talk")
    QTest.keyClick(person.note_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: person.note_box.text() == "")
    texts = [person.timeline_model.index(r).data() or ""
             for r in range(person.timeline_model.rowCount())]
    assert any("conference talk" in str(text) for text in texts)
    assert window.document.undo_stack.undoText().startswith("Note about Inner 1")


def test_no_name_is_cut_in_the_people_list(qtbot, laptop):
    window, _ids = laptop
    table = window.contact_list.view
    metrics = table.fontMetrics()
    width = table.columnWidth(NAME)
    room = width - 18 - 14  # the avatar and the cell's margins
    for name in LONG_NAMES:
        assert metrics.horizontalAdvance(name) <= room, (name, room)
    assert not table.horizontalScrollBar().isVisible()


def _close_button(dock) -> QAbstractButton:
    return dock.findChild(QAbstractButton, "qt_dockwidget_closebutton")


def test_a_panel_closed_with_its_x_comes_back_from_the_view_menu(qtbot, laptop):
    window, _ids = laptop
    panels = window.menus["panels"]
    for dock in (window.people_dock, window.person_dock):
        QTest.mouseClick(_close_button(dock), LEFT)
        qtbot.waitUntil(lambda d=dock: not d.isVisible())
        panels.popup(window.mapToGlobal(window.rect().center()))
        qtbot.waitExposed(panels)
        action = dock.toggleViewAction()
        assert not action.isChecked()
        QTest.mouseClick(panels, LEFT, pos=panels.actionGeometry(action).center())
        qtbot.waitUntil(dock.isVisible)
    # the toolbar hides and comes back the same way
    toggle = window.toolbar.toggleViewAction()
    assert toggle in panels.actions()
    toggle.trigger()
    assert not window.toolbar.isVisible()
    toggle.trigger()
    assert window.toolbar.isVisible()


def test_the_toolbar_and_the_menus(qtbot, laptop):
    window, _ids = laptop
    a = window.window_actions
    assert window.toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    shown = [action for action in window.toolbar.actions() if not action.isSeparator()]
    assert shown == [a.add_contact, a.import_file, a.log, a.show_rings, a.show_focus,
                     a.show_dashboard]
    assert all(not action.icon().isNull() for action in shown)
    # the toolbar's words as the page tabs below them say them ("This Week" over "This week")
    tabs = {window.pages.tabText(i) for i in range(window.pages.count())}
    for action in (a.show_rings, a.show_focus, a.show_dashboard):
        assert window.toolbar.widgetForAction(action).text() in tabs
    log_button = window.toolbar.widgetForAction(a.log)
    assert isinstance(log_button, QToolButton)
    assert log_button.popupMode() == QToolButton.ToolButtonPopupMode.InstantPopup
    assert log_button.defaultAction().menu() is window.menus["log"]
    assert a.add_contact in window.menus["person"].actions()
    help_menu = window.menus["help"].actions()
    assert [a.getting_started, a.shortcuts, a.open_log_folder] == help_menu[:3]
    click_toolbar(window, a.add_contact)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(ContactDialog)))


def test_the_shortcut_sheet_lists_every_shortcut(qtbot, laptop):
    window, _ids = laptop
    # something to undo and redo: the sheet read "Redo Unplace Irina Shevchenko"
    someone = next(iter(window.document.placed_contacts()))
    assert window.document.editing.move(someone, None)
    window.document.undo()
    assert window.window_actions.redo.text().startswith("&Redo ")
    QTest.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    sheet = next(w for w in window.findChildren(QObject) if w.objectName() == "shortcutsSheet")
    qtbot.waitUntil(sheet.isVisible)
    rows = dict(sheet.rows())
    with_keys = [action for action in window.actions()
                 if not action.shortcut().isEmpty()]
    assert len(rows) >= len(with_keys)
    assert rows["Add Person"] == "Ctrl+N"
    assert rows["Export: Everything or People"] == "Ctrl+Shift+E"  # a submenu's, named
    assert rows["Log Coffee"] == "C"
    assert rows["Keyboard Shortcuts"] == "Ctrl+/"
    assert "Ctrl+2" in rows["This Week"]
    assert "Undo" in rows and "Redo" in rows
    assert not [what for what in rows if what.startswith(("Undo ", "Redo "))]


def test_the_shortcut_sheet_has_every_key_of_the_menus_on_few_pages(qtbot, laptop):
    """The sheet read the window's own actions: Log → Review Captured Touchpoints
    (Ctrl+Shift+R) and Capture Sources (Ctrl+Shift+K), added to the menu only, were not on
    it. And it showed 15 rows of ~50 at 1366×768 (rows of 30 pixels in a small window)."""
    window, _ids = laptop
    qtbot.waitUntil(lambda: window.capture is not None)  # (installed after the first frame)
    QTest.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    sheet = next(w for w in window.findChildren(QObject) if w.objectName() == "shortcutsSheet")
    qtbot.waitUntil(sheet.isVisible)
    rows = sheet.rows()

    def walk(menu):
        for action in menu.actions():
            if action.menu() is not None:
                yield from walk(action.menu())
            else:
                yield action

    in_menus = [action for top in window.menuBar().actions() if top.menu() is not None
                for action in walk(top.menu()) if action.isVisible()]
    native = QKeySequence.SequenceFormat.NativeText
    with_keys = {action.text(): ", ".join(k.toString(native) for k in action.shortcuts()
                                          if not k.isEmpty())
                 for action in in_menus}
    # (no two actions share a key: test_window.test_no_two_actions_share_a_shortcut)
    assert [text for text, keys in with_keys.items()
            if keys and keys not in {listed for _what, listed in rows}] == []
    listed = dict(rows)
    assert listed["Review Captured Touchpoints"] == "Ctrl+Shift+R"
    assert listed["Capture Sources"] == "Ctrl+Shift+K"
    assert listed["Open the Context Menu"] == "Shift+F10, Menu"  # (in no menu: its own keys)
    # the screen's height: every row, or nearly all the screen (its title bar left free)
    free = sheet.screen().availableGeometry()
    assert sheet.frameGeometry().height() <= free.height()
    table = sheet.table
    assert table.rowHeight(0) <= table.fontMetrics().height() + 10
    assert fully_shown_rows(table) == len(rows) or (
        sheet.height() >= free.height() - 100 and fully_shown_rows(table) >= 24), (
        fully_shown_rows(table), len(rows), sheet.height(), free.height())


class _Opened(QObject):
    def __init__(self):
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_help_opens_getting_started_and_the_log_folder(qtbot, laptop):
    window, _ids = laptop
    dialog = window.show_getting_started()
    qtbot.waitUntil(dialog.isVisible)
    assert "3" in dialog.text.text() and "72" in dialog.text.text()
    dialog.close()
    opened = _Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        window.window_actions.open_log_folder.trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    from planner.logs import log_path

    assert [url.toLocalFile() for url in opened.urls] == [str(log_path().parent)]


def test_at_1024_by_640_the_person_panel_shows_every_line(qtbot, laptop):
    window, ids = laptop
    window.resize(1024, 640)
    qtbot.waitUntil(lambda: window.size().toTuple() == (1024, 640))
    window.select(ids["Seán Ó Súilleabháin"])
    person = window.person
    qtbot.waitUntil(person.timeline.isVisible)

    def all_lines_shown() -> bool:
        labels = [person.subtitle, *person.fields.values()]
        return all(label.height() >= label.heightForWidth(label.width())
                   for label in labels if label.isVisible())

    qtbot.waitUntil(all_lines_shown)
    edit = person.edit_button
    assert edit.isVisible() and edit.width() >= edit.sizeHint().width()
    assert person.timeline.height() >= 150


def test_the_first_start_fits_the_window_and_its_frame_on_the_screen(qtbot, db_path):
    """No size saved yet: the window takes 1280×760 where the screen has room for it with
    a title bar, and less where it has not (a 1366×768 laptop lost its status bar under
    the bottom edge: 760 pixels plus the frame are more than 768)."""
    from PySide6.QtCore import QRect, QSize

    from planner.ui.common.window_layout import FRAME_ALLOWANCE, first_size

    assert first_size(QRect(0, 0, 1920, 1080)) == QSize(1280, 760)
    assert first_size(QRect(0, 0, 1366, 768)) == QSize(1280, 768 - FRAME_ALLOWANCE.height())
    assert first_size(QRect(0, 32, 1280, 800 - 32)) == QSize(1280 - FRAME_ALLOWANCE.width(),
                                                              768 - FRAME_ALLOWANCE.height())
    populate(db_path, inner=1)
    window = open_window(qtbot, db_path, size=None)  # fresh settings: the first start
    free = window.screen().availableGeometry()
    wanted = first_size(free).expandedTo(window.minimumSizeHint())
    assert window.size() == wanted
    assert window.height() + FRAME_ALLOWANCE.height() <= free.height()


def test_a_size_saved_on_a_bigger_screen_is_fitted_with_its_title_bar(qtbot, db_path):
    """Qt moves a restored window onto the screen but keeps its height: saved on a
    1920×1080 screen, 760 pixels under a title bar lost the status bar on a laptop."""
    from planner.ui.common.window_layout import FRAME_ALLOWANCE

    populate(db_path, inner=1)
    first = open_window(qtbot, db_path, size=None)
    free = first.screen().availableGeometry()
    tall = free.height() - 10  # more than fits with a title bar
    first.resize(max(first.minimumSizeHint().width(), 700), tall)
    qtbot.waitUntil(lambda: first.height() == tall)
    first.close()

    second = open_window(qtbot, db_path, fresh_settings=False, size=None)
    assert second.height() == free.height() - FRAME_ALLOWANCE.height()
    assert second.width() == first.width()  # what fits is kept as it was


def test_unfolding_a_persons_details_never_makes_the_window_taller(qtbot, db_path):
    """More details and Wins, asks and gives opened on a person with a long note: the
    Person panel scrolls; the window kept 768 pixels (it grew to 808, past a laptop's
    screen, and could not be made smaller while they were open)."""
    note = " ".join(["Met at the meetup and talked about mentoring juniors."] * 24)
    tags = [f"tag{n}" for n in range(12)]
    ids = populate(db_path, inner=2, extra={"Long Notes": (Ring.INNER, {
        "notes": note, "tags": tags, "email": "long@example.org",
        "organization": "Example Org", "title": "Lead"})})
    window = open_window(qtbot, db_path, size=LAPTOP)
    qtbot.waitUntil(lambda: window.people_dock.width() >= 300)
    table = window.contact_list.view
    row = window.contact_list.proxy.mapFromSource(window.contact_list.model.index(
        window.contact_list.model.row_of(ids["Long Notes"]), 0))
    QTest.mouseClick(table.viewport(), LEFT, pos=table.visualRect(row).center())
    person = window.person
    qtbot.waitUntil(lambda: person.contact_id == ids["Long Notes"])
    qtbot.waitUntil(person.timeline.isVisible)
    for section in (person.more_section, person.advocacy_section):
        if not section.toggle.isChecked():
            QTest.mouseClick(section.toggle, LEFT)
        qtbot.waitUntil(section.toggle.isChecked)
    qtbot.wait(50)  # (the layouts settle in posted events)
    assert window.size().toTuple() == LAPTOP
    assert window.minimumSizeHint().height() <= 640
    scroll = person.details_scroll
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().maximum() > 0)  # they scroll instead
    # folded again, the panel fits with no scrolling and the timeline has the room
    for section in (person.more_section, person.advocacy_section):
        QTest.mouseClick(section.toggle, LEFT)
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().maximum() == 0)
    assert person.timeline.height() >= person.height() * 0.4


def test_tab_leaves_the_notes_of_a_person_and_types_no_tab(qtbot):
    """In Add person, Tab in Notes moves on to the next field (it typed a tab character:
    a keyboard user could not reach OK, and changed the note)."""
    dialog = ContactDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.notes.setFocus()
    qtbot.waitUntil(dialog.notes.hasFocus)
    QTest.keyClicks(dialog.notes, "Met at the meetup")
    QTest.keyClick(dialog.notes, Qt.Key.Key_Tab)
    assert dialog.notes.toPlainText() == "Met at the meetup"
    assert not dialog.notes.hasFocus() and dialog.focusWidget() is not None
    QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Backtab)
    assert dialog.notes.hasFocus()


def test_a_touch_tomorrow_is_said_as_typed_and_a_note_may_be_dated_ahead(qtbot):
    """ "tomorrow" was saved: the person's last touch then lay ahead of today."""
    from planner.ui.timeline.log_dialog import NOTE, LogDialog

    dialog = LogDialog(None, "Ada Lovelace", "coffee")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    dialog.when.selectAll()
    QTest.keyClicks(dialog.when, "tomorrow 9:00")
    assert "in the future" in dialog.error.text() and not save.isEnabled()
    assert dialog.when_hint.text()  # what was read is still shown above the reason
    dialog.kind.setCurrentIndex(dialog.kind.findData(NOTE))
    QTest.keyClicks(dialog.note, "Ask about the talk")
    assert dialog.error.text() == "" and save.isEnabled()


def test_todays_weekday_name_in_the_log_is_today(qtbot):
    """ "monday" typed on a Monday was a week ago; with a time still ahead it is refused,
    saying how to name last week's."""
    from datetime import datetime

    from planner.ui.timeline.log_dialog import LogDialog

    now = datetime.now().astimezone()
    if now.hour == 23 and now.minute >= 50:
        pytest.skip("23:59 is not ahead by more than a fast clock's 5 minutes now")
    today = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
             "sunday")[now.weekday()]
    dialog = LogDialog(None, "Ada Lovelace", "coffee")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    dialog.when.selectAll()
    QTest.keyClicks(dialog.when, today)
    assert dialog.moment().astimezone().date() == now.date()
    assert dialog.error.text() == "" and save.isEnabled()
    dialog.when.selectAll()
    QTest.keyClicks(dialog.when, f"{today} 23:59")
    assert dialog.error.text().endswith(
        f"'{today} 23:59' is today, 'last {today} 23:59' a week ago"), dialog.error.text()
    assert not save.isEnabled()


def test_a_when_the_log_cannot_read_is_said_whole_and_no_old_time_is_shown(qtbot):
    """"blah" as the time: the message was cut at the dialog's right edge, and the time
    read before it stayed under the field as if it still held."""
    from planner.ui.timeline.log_dialog import LogDialog

    dialog = LogDialog(None, "Ada Lovelace", "coffee")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.when_hint.text()  # "now", read
    dialog.when.selectAll()
    QTest.keyClicks(dialog.when, "blah")
    message = dialog.error.text()
    assert message.startswith("Cannot read the time 'blah'") and len(message) > 60
    assert dialog.when_hint.text() == ""
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Save).isEnabled()
    qtbot.waitUntil(lambda: dialog.error.height() >= 2 * dialog.fontMetrics().height())
    assert dialog.error.geometry().right() <= dialog.rect().right()  # wrapped, inside
    assert dialog.error.sizeHint().width() <= dialog.width()


def test_add_a_person_says_nothing_is_wrong_before_anything_is_typed(qtbot):
    """The dialog opened saying "A contact needs a name" with nothing typed yet; OK is
    disabled until there is a name, and a problem is said once typing begins."""
    dialog = ContactDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert dialog.error.text() == "" and not ok.isEnabled()
    QTest.keyClicks(dialog.email, "not an address")
    assert dialog.error.text()  # now something is wrong, and said
    dialog.email.clear()
    QTest.keyClicks(dialog.name, "Ada Lovelace")
    assert dialog.error.text() == "" and ok.isEnabled()


def test_the_person_panel_shows_what_was_typed_never_markup(qtbot, db_path):
    """"Founder & CEO" read "Founder &amp; CEO" for a person off the rings (escaped
    text shown as plain), and a note holding markup was drawn as markup."""
    ids = populate(db_path, extra={"Kavya Kulkarni": (None, {
        "title": "Founder & CEO", "notes": "<b>bold?</b> & <i>no</i>"})})
    window = open_window(qtbot, db_path)
    window.select(ids["Kavya Kulkarni"])
    person = window.person
    qtbot.waitUntil(lambda: person.contact_id == ids["Kavya Kulkarni"])
    assert person.subtitle.textFormat() == Qt.TextFormat.RichText
    assert "Founder &amp; CEO" in person.subtitle.text()  # escaped markup, shown as "&"
    notes = person.fields["notes"]
    assert notes.textFormat() == Qt.TextFormat.PlainText
    assert notes.text() == "<b>bold?</b> & <i>no</i>"


@pytest.fixture(params=["light", "dark"])
def either_theme(request):
    from PySide6.QtWidgets import QApplication

    from planner.ui.common import theme

    theme.apply_theme(request.param, QApplication.instance())
    yield request.param
    theme.apply_theme("light", QApplication.instance())


def test_a_selected_person_keeps_the_window_within_1024_by_600(qtbot, db_path, either_theme):
    """Selecting a person made the window at least 1122 pixels wide (dark theme; 1110 in
    light): its log buttons and Snooze sat in one row and a long address did not wrap, so
    the Person panel asked for 343 pixels. On a 1024×600 screen the window went off its
    right edge and could not be made narrower; the People list was squeezed instead."""
    address = "aishwarya.krishnan-venkataraman@example.org"
    ids = populate(db_path, inner=2, middle=12, outer=20, extra={
        "Aishwarya Krishnan": (Ring.INNER, {"email": address, "title": "Staff Engineer"})})
    window = open_window(qtbot, db_path, size=(1024, 600))
    for action in (window.window_actions.show_focus, window.window_actions.show_dashboard,
                   window.window_actions.show_rings):  # the pages, filled in, as a person
        click_toolbar(window, action)  # has seen them
    qtbot.waitUntil(lambda: window.dashboard.stats is not None)
    window.select(ids["Aishwarya Krishnan"])
    person = window.person
    qtbot.waitUntil(lambda: person.contact_id == ids["Aishwarya Krishnan"])
    qtbot.waitUntil(person.timeline.isVisible)
    person.advocacy_section.set_open(True)  # its buttons are a row too
    qtbot.wait(50)  # (the layouts settle in posted events)
    assert window.minimumSizeHint().width() <= 1024
    assert window.minimumSizeHint().height() <= 600
    window.resize(1024, 600)
    qtbot.waitUntil(lambda: window.size().toTuple() == (1024, 600))
    # every log button and Snooze is whole inside the panel, on one line or more
    panel = person.rect()
    for button in (*person.quick_buttons.values(), person.snooze_button,
                   person.edit_button, person.advocacy.thank):
        if not button.isVisible():
            continue
        where = button.geometry().translated(button.parentWidget().mapTo(person, QPoint(0, 0)))
        assert panel.contains(where), button.text() or button.toolTip()
        assert button.width() >= button.sizeHint().width()
    # the address is shown whole: on its own line under "Email", wrapped at its hyphen
    email = person.fields["email"]
    assert email.text() == address
    qtbot.waitUntil(lambda: email.height() >= email.heightForWidth(email.width()))
    assert QLabel.minimumSizeHint(email).width() <= email.width()  # no piece is cut
    assert email.geometry().left() <= person.fields["last"].geometry().left()
    assert window.people_dock.width() >= 230 and window.view.viewport().width() >= 380


@pytest.mark.parametrize("size", [(1024, 600), LAPTOP])
def test_the_person_panel_has_one_scroll_bar_beside_the_timeline(qtbot, db_path, size):
    """The Person dock scrolled as a whole and the timeline inside it on its own: two
    scroll bars side by side, and the wheel scrolled whichever was under the pointer.
    The details scroll above the timeline when they need to; the timeline has the rest."""
    from PySide6.QtWidgets import QAbstractScrollArea

    ids = populate(db_path, inner=2, middle=12, outer=20, extra={"Abigail Brown": (
        Ring.INNER, {"email": "abigail.brown@outlook.com", "phones": ["+1 897 541 921"],
                     "title": "Senior Software Engineer", "tags": ["pydata"]})})
    window = open_window(qtbot, db_path, size=size)
    window.select(ids["Abigail Brown"])
    person = window.person
    qtbot.waitUntil(person.timeline.isVisible)
    for _ in range(30):  # a long history: the timeline scrolls
        window.document.editing.add_note(ids["Abigail Brown"], "Talked about the talk")
    qtbot.waitUntil(lambda: person.timeline.verticalScrollBar().maximum() > 0)
    qtbot.wait(50)  # (the layouts settle in posted events)
    outer = person.timeline.parentWidget()
    while outer is not None:
        if isinstance(outer, QAbstractScrollArea):
            assert not outer.verticalScrollBar().isVisible(), outer.objectName()
        outer = outer.parentWidget()
    assert person.timeline.height() >= 120
    assert person.note_box.isVisible()
    note = person.note_box.geometry().translated(
        person.note_box.parentWidget().mapTo(window.person_dock, QPoint(0, 0)))
    assert window.person_dock.rect().contains(note)  # in sight, not scrolled away


def test_dialog_titles_stay_short_and_the_name_is_in_the_dialog(qtbot):
    """The window manager cut "Log with Ada Lovelace — Mentorship Planner" to "Log with Ada
    Lovelac… — Mentorship Planner" (it draws the title in its own, larger, bold font): the
    titles name no one; whom a dialog is about is in it, wrapped when long."""
    from planner.ui.advocacy.advocacy_dialog import AskDialog, GiveDialog, WinDialog
    from planner.ui.people.contact_dialog import ContactDialog
    from planner.ui.timeline.log_dialog import LogDialog

    name = "Letícia Pereira dos Santos de Albuquerque"
    dialogs = [LogDialog(None, name, "coffee"), LogDialog(None, name, "note"),
               LogDialog(None, name, "coffee", editing=True), WinDialog(None, name),
               AskDialog(None, name, lambda at: None), GiveDialog(None, name)]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert name not in dialog.windowTitle() and len(dialog.windowTitle()) <= 20
        assert name in dialog.subject.text() and dialog.subject.isVisible()
        assert dialog.width() <= 640
    person = ContactDialog(None, None)
    qtbot.addWidget(person)
    assert person.windowTitle() == "Add a person"
