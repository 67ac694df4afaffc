"""Every action of the window, with its shortcut, in one place; menus are built from it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMenuBar

from planner.domain.kinds import KIND_KEYS, NOTE_KEY, Kind
from planner.ui.common.access_keys import keep_access_keys
from planner.ui.common.disabled_reason import SELECT_SOMEONE, DisabledItemTips, set_enabled
from planner.ui.common.icons import action_icon, kind_icon
from planner.ui.common.menu_key import MENU_KEYS

Std = QKeySequence.StandardKey


def _unique(keys: list[QKeySequence]) -> list[QKeySequence]:
    """Drop repeats: an action holding the same key twice makes it "ambiguous" and dead
    (Ctrl+- is also the standard Zoom Out; Ctrl+Shift+Z is Redo on some desktops)."""
    out: list[QKeySequence] = []
    for key in keys:
        if not key.isEmpty() and key not in out:
            out.append(key)
    return out


class _Label(QObject):
    """Keeps "Undo Move Ada to inner" current; dies with its action (no dangling slot)."""

    def __init__(self, action: QAction, verb: str):
        super().__init__(action)
        self.action, self.verb = action, verb
        # the shortcut sheet names the action, not what it would undo now ("Redo Unplace
        # Irina Shevchenko" was a row of it)
        action.setProperty("sheet_name", _plain(verb))

    def update(self, text: str) -> None:
        self.action.setText(f"{self.verb} {text}" if text else self.verb)


class _Usable(QObject):
    """Enables its action or says why not (planner.ui.common.disabled_reason); dies with
    the action (the undo stack outlives the window)."""

    def __init__(self, action: QAction, why: str):
        super().__init__(action)
        self.action, self.why = action, why

    def update(self, on: bool) -> None:
        set_enabled(self.action, on, self.why)


class Actions:
    def __init__(self, window: QMainWindow, undo_stack):
        def make(text: str, shortcut=None, tip: str = "") -> QAction:
            action = QAction(text, window)
            if shortcut is not None:
                if isinstance(shortcut, list):
                    action.setShortcuts(_unique([QKeySequence(k) for k in shortcut]))
                else:
                    action.setShortcut(QKeySequence(shortcut))
            if tip:
                action.setStatusTip(tip)
            window.addAction(action)
            return action

        self.new_file = make("&New Database File…", "Ctrl+Shift+N",
                             "Start an empty database in a new file, and switch to it")
        self.open_file = make("&Open Database File…", "Ctrl+O",
                              "Switch this window to another database file")
        self.open_team = make("Open &Team Database…", "Ctrl+Shift+O",
                              "Switch this window to a shared PostgreSQL team database")
        self.add_contact = make("&Add Person…", "Ctrl+N", "Add someone to your network")
        self.edit_contact = make("&Edit Person…", "Ctrl+E", "Edit the selected person")
        self.remove_contact = make("&Remove Person", "Ctrl+Shift+Backspace",
                                   "Move the selected person to the trash (undoable)")
        self.quit = make("&Quit", Std.Quit)
        # Undo/Redo go through the document, which first looks for changes made by
        # another program (so an undo never silently reverts them).
        self.undo = make("&Undo", None)
        self.undo.setShortcuts([QKeySequence(Std.Undo)])
        self.redo = make("&Redo", None)
        self.redo.setShortcuts(_unique([QKeySequence("Ctrl+Shift+Z"), QKeySequence(Std.Redo)]))
        self.undo.setStatusTip("Take back the last change")
        self.redo.setStatusTip("Make the change taken back again")

        can_undo = _Usable(self.undo, "Nothing to undo")
        can_redo = _Usable(self.redo, "Nothing to redo")
        can_undo.update(undo_stack.canUndo())
        can_redo.update(undo_stack.canRedo())
        undo_stack.canUndoChanged.connect(can_undo.update)
        undo_stack.canRedoChanged.connect(can_redo.update)
        undo_stack.undoTextChanged.connect(_Label(self.undo, "&Undo").update)
        undo_stack.redoTextChanged.connect(_Label(self.redo, "&Redo").update)
        self.find = make("&Find Person", Std.Find, "Search the contact list")
        self.promote = make("&Promote One Ring", "Ctrl+Up", "Move the selected person inwards")
        self.demote = make("&Demote One Ring", "Ctrl+Down", "Move the selected person outwards")
        self.move_back = make("Move &Back One Place", "Ctrl+Left",
                              "Move the selected person one place back along their ring")
        self.move_on = make("Move O&n One Place", "Ctrl+Right",
                            "Move the selected person one place on along their ring")
        self.unplace = make("&Unplace", "Delete", "Take the selected person off the rings")
        self.zoom_in = make("Zoom &In", [QKeySequence("Ctrl+="), QKeySequence(Std.ZoomIn)])
        self.zoom_out = make("Zoom &Out", [QKeySequence("Ctrl+-"), QKeySequence(Std.ZoomOut)])
        self.zoom_fit = make("&Fit Rings", "Ctrl+0")
        self.unplaced_only = make("Show &Unplaced Only", "Ctrl+U")
        self.unplaced_only.setCheckable(True)
        self.about = make("&About Mentorship Planner")
        self.import_file = make("&Import…", "Ctrl+I",
                                "Bring people in from a vCard or CSV file, or a full export")
        self.export_file = make("&Everything or People…", "Ctrl+Shift+E",
                                "Write everything as JSON, or the people as vCard or CSV")
        self.export_focus = make("&This Week…", None,
                                 "The focus list as Markdown, CSV, a page, calendar tasks, "
                                 "JSON or PDF")
        self.backup_now = make("&Back Up Now", None, "Copy the database into the backups folder")
        self.backup_to = make("Back &Up To…", None,
                              "Copy the database to a file you choose (another disk, a stick)")
        self.restore_backup = make("&Restore from Backup…", None,
                                   "Replace the data with a backup (the current data is kept)")
        self.preferences = make("&Preferences…", Std.Preferences, "Rings, cadences, theme, backups")
        if self.preferences.shortcut().isEmpty():
            self.preferences.setShortcut(QKeySequence("Ctrl+,"))
        #: one action per kind of touchpoint; the common ones have a single key
        self.log_kind: dict[str, QAction] = {}
        for kind in Kind:
            action = make(f"Log {kind.menu_text}…", KIND_KEYS.get(kind),
                          f"Log {kind.phrase} with the selected person")
            action.setIcon(kind_icon(kind.value))
            action.setData(kind.value)
            self.log_kind[kind.value] = action
        self.log_note = make("Write a &Note…", NOTE_KEY, "Add a dated note about the person")
        self.log_note.setIcon(kind_icon("note"))
        self.log_note.setData("note")
        self.show_rings = make("&Rings", "Ctrl+1", "Show the rings")
        self.show_focus = make("This &Week", "Ctrl+2", "Whom to reach out to this week")
        self.show_dashboard = make("&Dashboard", ["Ctrl+3", "Ctrl+Shift+D"],
                                   "Advocates against your target, the funnel, time per ring")
        self.show_activity = make("All &Activity", ["Ctrl+4", "Ctrl+Shift+A"],
                                  "Show everyone's timeline")
        self.next_pane = make("&Next Panel", "F6",
                              "Move the keys to the next panel: the people, the page, the person")
        self.previous_pane = make("Pre&vious Panel", "Shift+F6",
                                  "Move the keys to the previous panel")
        # in no menu (its keys are the menu): a right-click's menu from the keys, at the
        # selected person on the rings, the current row of a list
        self.context_menu = make("Open the Context Menu", list(MENU_KEYS),
                                 "The menu of what has the keys, as a right-click opens")
        self.add_contact.setIcon(action_icon("add-person"))
        self.import_file.setIcon(action_icon("import"))
        self.export_file.setIcon(action_icon("export"))
        self.show_rings.setIcon(action_icon("rings"))
        self.show_focus.setIcon(action_icon("this-week"))
        self.show_dashboard.setIcon(action_icon("dashboard"))
        self.add_contact.setIconText("Add person")
        self.import_file.setIconText("Import")
        self.show_focus.setIconText("This week")  # as its tab says (the menu: title case)
        #: the toolbar's Log button: the Log menu (see build_menus)
        self.log = make("&Log", None, "Log a touch with the selected person")
        self.log.setIcon(kind_icon("coffee"))
        self.getting_started = make("&Getting Started", Std.HelpContents,
                                    "What the rings are and how to start")
        self.shortcuts = make("&Keyboard Shortcuts", "Ctrl+/", "Every shortcut of the window")
        self.open_log_folder = make("Open the &Log Folder", None,
                                    "The folder with the app's log (for a bug report)")
        self.log_win = make("Note a &Win…", None, "Note a success of the selected person")
        self.log_ask = make("Note an As&k…", None,
                            "Note what you asked of them (checked against the ask limit first)")
        self.log_give = make("Note a &Give…", None, "Note what you gave back to them")
        self.person_actions = [self.edit_contact, self.remove_contact, self.promote,
                               self.demote, self.move_back, self.move_on, self.unplace,
                               self.log_note,
                               *self.log_kind.values()]
        self.person_actions += [self.log_win, self.log_ask, self.log_give]

    def build_menus(self, menubar: QMenuBar) -> dict:
        menus = {}
        menus["file"] = file_menu = menubar.addMenu("&File")
        file_menu.addAction(self.new_file)
        file_menu.addAction(self.open_file)
        file_menu.addAction(self.open_team)
        file_menu.addSeparator()
        file_menu.addAction(self.add_contact)
        file_menu.addSeparator()
        file_menu.addAction(self.import_file)
        menus["export"] = export = file_menu.addMenu("&Export")
        export.addAction(self.export_file)
        export.addAction(self.export_focus)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_now)
        file_menu.addAction(self.backup_to)
        file_menu.addAction(self.restore_backup)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        menus["edit"] = edit = menubar.addMenu("&Edit")
        edit.addAction(self.undo)
        edit.addAction(self.redo)
        edit.addSeparator()
        edit.addAction(self.find)
        edit.addSeparator()
        edit.addAction(self.preferences)
        menus["person"] = person = menubar.addMenu("&Person")
        person.addAction(self.add_contact)
        person.addSeparator()
        person.addAction(self.edit_contact)
        person.addAction(self.remove_contact)
        person.addSeparator()
        person.addAction(self.promote)
        person.addAction(self.demote)
        person.addAction(self.move_back)
        person.addAction(self.move_on)
        person.addAction(self.unplace)
        person.addSeparator()
        # the selected person's Snooze (as on a node's menu): filled by the window as it opens
        menus["snooze"] = person.addMenu("&Snooze")
        menus["snooze"].setObjectName("personMenuSnooze")
        self.person_actions.append(menus["snooze"].menuAction())
        person.addSeparator()
        for action in (self.log_win, self.log_ask, self.log_give):
            person.addAction(action)
        menus["log"] = self.build_log_menu(menubar.addMenu("&Log"))
        self.log.setMenu(menus["log"])
        menus["view"] = view = menubar.addMenu("&View")
        for action in (self.show_rings, self.show_focus, self.show_dashboard,
                       self.show_activity):
            view.addAction(action)
        view.addSeparator()
        menus["panels"] = view.addMenu("&Panels")  # the window adds its docks and toolbar
        view.addAction(self.next_pane)
        view.addAction(self.previous_pane)
        view.addSeparator()
        view.addAction(self.zoom_in)
        view.addAction(self.zoom_out)
        view.addAction(self.zoom_fit)
        view.addSeparator()
        view.addAction(self.unplaced_only)
        menus["help"] = help_menu = menubar.addMenu("&Help")
        help_menu.addAction(self.getting_started)
        help_menu.addAction(self.shortcuts)
        help_menu.addAction(self.open_log_folder)
        help_menu.addSeparator()
        help_menu.addAction(self.about)
        # a disabled item hovered says why in the status bar (Fusion's menus say nothing)
        self.disabled_tips = DisabledItemTips(menubar.window())
        for menu in menus.values():
            self.disabled_tips.watch(menu)
        return menus

    def build_toolbar(self, toolbar) -> None:
        """Icons with text: the daily things."""
        for action in (self.add_contact, self.import_file, self.log):
            toolbar.addAction(action)
        toolbar.addSeparator()
        for action in (self.show_rings, self.show_focus, self.show_dashboard):
            toolbar.addAction(action)
        from PySide6.QtWidgets import QToolButton

        button = toolbar.widgetForAction(self.log)
        if isinstance(button, QToolButton):
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

    def shortcut_rows(self, window) -> list[tuple[str, str]]:
        """(what it does, its keys) for every action of the window that has a key: those in
        its menus, however they came there (Log → Review Captured Touchpoints and Capture
        Sources were added to the menu only, and the sheet, reading the window's own
        actions, missed them), and the window's own that are in no menu."""
        rows = []
        for action, within in _every_action(window):
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText)
                    for k in action.shortcuts() if not k.isEmpty()]
            if not keys or not action.isVisible():
                continue
            text = action.property("sheet_name") or _plain(action.text())
            # in a submenu, its name too ("Everything or People" said nothing alone)
            if within is not None:
                text = f"{_plain(within.title())}: {text}"
            rows.append((text.rstrip("…").rstrip("."), ", ".join(keys)))
        return rows

    def build_log_menu(self, menu):
        """Log menu (also the canvas's right-click menu): common kinds first."""
        common = [k for k in Kind if k in KIND_KEYS]
        for kind in common:
            menu.addAction(self.log_kind[kind.value])
        menu.addAction(self.log_note)
        more = menu.addMenu("More Kinds")
        for kind in Kind:
            if kind not in KIND_KEYS:
                more.addAction(self.log_kind[kind.value])
        keep_access_keys(menu)  # (the capture items come later: filled as it opens)
        return menu

    def limit_single_keys_to(self, *widgets) -> None:
        """Actions whose shortcut is a bare letter work only while one of ``widgets`` has
        the focus (they are still in the menus, with their key shown)."""
        for action in (*self.log_kind.values(), self.log_note):
            key = action.shortcut()
            if key.isEmpty():
                continue
            # key[0], the first key combination: PySide6 binds QKeySequence's operator[],
            # its stub has no __getitem__
            if key[0].keyboardModifiers() != Qt.KeyboardModifier.NoModifier:  # type: ignore[index]
                continue
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            for widget in widgets:
                widget.addAction(action)

    def set_person_enabled(self, on: bool) -> None:
        """The person's actions (Person, Log, a node's menu): with nobody selected the
        status bar says how to select someone, over a disabled item."""
        for action in self.person_actions:
            set_enabled(action, on, SELECT_SOMEONE)


def _every_action(window: QMainWindow):
    """(action, the submenu it is in or None) for each action of ``window``'s menu bar, its
    submenus' and the window's own, once each: a submenu's (File → Export ▸) named by it."""
    seen: set[int] = set()

    def walk(menu: QMenu, within: QMenu | None):
        for action in menu.actions():
            if action.isSeparator() or id(action) in seen:
                continue
            seen.add(id(action))
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                yield from walk(submenu, submenu)
            else:
                yield action, within

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            seen.add(id(top))
            yield from walk(menu, None)
    for action in window.actions():
        if id(action) not in seen and not action.isSeparator():
            seen.add(id(action))
            yield action, None


def _plain(text: str) -> str:
    """A menu text without its mnemonic marks (a doubled & is an ampersand)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")
