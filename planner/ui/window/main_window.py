"""The main window: lays out the panels and wires signals to actions. It decides nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from planner import APP_NAME
from planner.ui.capture.badge import CaptureBadge
from planner.ui.common import avatars
from planner.ui.common.banner import add_banner
from planner.ui.common.dock_widths import SideWidths
from planner.ui.common.empty_state import EmptyState
from planner.ui.common.first_frame import after_first_frame
from planner.ui.common.icons import action_icon, app_icon
from planner.ui.common.menu_key import open_context_menu
from planner.ui.common.toast import Toast
from planner.ui.common.window_layout import FIRST_SIZE, Pages, fitted, side_dock
from planner.ui.focus.focus_panel import FocusPanel
from planner.ui.people.contact_list import ContactListPanel
from planner.ui.people.person_panel import PersonPanel
from planner.ui.rings.rings_scene import RingsScene
from planner.ui.rings.rings_view import RingsView
from planner.ui.timeline.history_controller import HistoryController
from planner.ui.window.actions import Actions
from planner.ui.window.status_notes import StatusNotes

if TYPE_CHECKING:  # (built when first needed: imported there)
    from planner.ui.advocacy.advocacy_panel import LedgerFlows
    from planner.ui.capture.capture_inbox import CaptureReview
    from planner.ui.dashboard.dashboard import Dashboard
    from planner.ui.focus.reminders import Reminders
    from planner.ui.timeline.activity_panel import ActivityPanel
    from planner.ui.transfer.transfer_controller import TransferController

#: the layout's version in the saved window state (2: pages in the middle, side docks)
STATE_VERSION = 2
#: how long closing waits for the day's backup to finish (then the process may cut it)
BACKUP_WAIT_S = 30.0


def window_title(target) -> str:
    """"planner.db — Mentorship Planner": the file's name (a team database: its URL,
    without a password), then the app's name once."""
    name = target.path.name if target.path is not None else target.display()
    return f"{name} — {APP_NAME}"


class MainWindow(QMainWindow):
    #: the demo banner's "Open your own database" (its path, or None: ask for a file)
    leave_demo = Signal(object)

    def __init__(self, document, settings: QSettings | None = None):
        super().__init__()
        self.document = document
        self.settings = settings or QSettings()
        self.setObjectName("mainWindow")
        self.setWindowTitle(window_title(document.database.target))
        self.resize(FIRST_SIZE)  # (fitted to the screen's free area at first start)

        # a new window may be on another database that reuses the same connection object:
        # the pictures are read afresh (planner.ui.common.avatars caches them per database);
        # and again whenever the document reads everything again (an import, another
        # program's change): a picture added meanwhile was missing until a restart
        avatars.invalidate()
        document.reloading.connect(avatars.forget_all)
        self.scene = RingsScene(document, self)
        self.view = RingsView(self.scene, self)
        self.contact_list = ContactListPanel(document, self)
        self.person = PersonPanel(document, self)
        self.toast = Toast(self.view)
        self.swap_menu: QMenu | None = None  # Ctrl+Up/Down into a full ring: whom to swap
        self._drag_hint = ""  # what the toast says about a drop at the pointer, if anything
        self.empty_state = EmptyState(self.view)
        # This week's widgets now, its list once the first frame is on screen (issue 23)
        self.focus = FocusPanel(document, self)
        after_first_frame(self, self.focus.start)
        # the dashboard and All activity (and their code) are built when first shown or
        # asked for (issue 23): each tab holds an empty slot until then
        self._dashboard: Dashboard | None = None
        self._activity: ActivityPanel | None = None
        self._transfer: TransferController | None = None
        self._advocacy: LedgerFlows | None = None
        self._capture: CaptureReview | None = None
        self._reminders: Reminders | None = None
        self._attach_reminders: Callable[[MainWindow], Reminders] | None = None
        self._dashboard_slot, self._activity_slot = _PageSlot(self), _PageSlot(self)
        self.pages = Pages(self)
        self.pages.add(self.view, "Rings", action_icon("rings"))
        self.pages.add(self.focus, "This week", action_icon("this-week"))
        self.pages.add(self._dashboard_slot, "Dashboard", action_icon("dashboard"))
        self.pages.add(self._activity_slot, "All activity")
        self.pages.currentChanged.connect(self._page_shown)
        self.setCentralWidget(self.pages)
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.people_dock = side_dock(self, "People", "peopleDock", self.contact_list, left)
        self.person_dock = side_dock(self, "Person", "personDock", self.person, right)
        self.side_widths = SideWidths(self, [self.people_dock, self.person_dock], self.settings)
        self.history = HistoryController(document, self)
        self.setWindowIcon(app_icon())

        self.window_actions = Actions(self, document.undo_stack)
        self.menus = self.window_actions.build_menus(self.menuBar())
        # one-key logging (C, I, S…) only while the rings or the list have the keys: never
        # from a stray key in another panel
        self.window_actions.limit_single_keys_to(self.view, self.contact_list.view)
        self.toolbar = QToolBar("Toolbar", self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setIconSize(QSize(20, 20))
        self.window_actions.build_toolbar(self.toolbar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        for toggle in (self.people_dock.toggleViewAction(), self.person_dock.toggleViewAction(),
                       self.toolbar.toggleViewAction()):
            self.menus["panels"].addAction(toggle)
        self.fill_label = QLabel(self)
        self.fill_label.setContentsMargins(16, 0, 4, 0)  # (a long message ran into it)
        self.statusBar().addPermanentWidget(self.fill_label)
        self.capture_badge = CaptureBadge(document, self)  # (its count: with the inbox's code)
        self.statusBar().addPermanentWidget(self.capture_badge)
        # Log → Review captured touchpoints… and a status badge: once the first frame is
        # on screen (the inbox itself when first shown)
        after_first_frame(self, lambda: self.capture)
        self._wire()
        if document.session.team is not None:
            self._watch_connection(document.session.team)
        self._update_fill()
        self._update_empty_state()
        self.select(None)
        self.restore_state()

    # -- wiring -------------------------------------------------------------------------
    def _wire(self) -> None:
        a, d = self.window_actions, self.document
        a.add_contact.triggered.connect(self.add_contact)
        a.edit_contact.triggered.connect(lambda: self.edit_contact(self.current_id))
        a.remove_contact.triggered.connect(self.remove_current)
        a.quit.triggered.connect(self.close)
        a.undo.triggered.connect(self.undo)
        a.redo.triggered.connect(self.redo)
        a.find.triggered.connect(self._focus_search)
        a.next_pane.triggered.connect(lambda: self._cycle_panes(1))
        a.previous_pane.triggered.connect(lambda: self._cycle_panes(-1))
        a.context_menu.triggered.connect(lambda: open_context_menu())
        self.menus["snooze"].aboutToShow.connect(self._fill_snooze_menu)
        a.promote.triggered.connect(lambda: self._step_ring(-1))
        a.demote.triggered.connect(lambda: self._step_ring(+1))
        a.move_back.triggered.connect(lambda: self._step_place(-1))
        a.move_on.triggered.connect(lambda: self._step_place(+1))
        a.unplace.triggered.connect(self._unplace_current)
        a.zoom_in.triggered.connect(self.view.zoom_in)
        a.zoom_out.triggered.connect(self.view.zoom_out)
        a.zoom_fit.triggered.connect(self.view.fit)
        a.unplaced_only.toggled.connect(self.contact_list.unplaced_only.setChecked)
        self.contact_list.unplaced_only.toggled.connect(a.unplaced_only.setChecked)
        a.about.triggered.connect(self.show_about)
        a.getting_started.triggered.connect(self.show_getting_started)
        a.shortcuts.triggered.connect(self.show_shortcuts)
        a.open_log_folder.triggered.connect(_open_log_folder)
        a.import_file.triggered.connect(lambda: self.transfer.start_import())
        a.export_file.triggered.connect(lambda: self.transfer.start_export())
        a.export_focus.triggered.connect(self.focus.ask_export)
        a.backup_now.triggered.connect(lambda: self.transfer.backup_now())
        a.backup_to.triggered.connect(lambda: self.transfer.backups.ask_backup_to())
        a.restore_backup.triggered.connect(lambda: self.transfer.start_restore())
        a.preferences.triggered.connect(self.show_preferences)
        for kind, action in (*a.log_kind.items(), ("note", a.log_note)):
            action.triggered.connect(lambda _=False, k=kind: self.history.log(self.current_id, k))
        a.show_rings.triggered.connect(lambda: self.show_page(self.view))
        a.show_focus.triggered.connect(lambda: self.show_page(self.focus))
        a.show_dashboard.triggered.connect(lambda: self.show_page(self.dashboard))
        a.show_activity.triggered.connect(lambda: self.show_page(self.activity))
        a.log_win.triggered.connect(lambda: self.advocacy.add_win(self.current_id))
        a.log_ask.triggered.connect(lambda: self.advocacy.add_ask(self.current_id))
        a.log_give.triggered.connect(lambda: self.advocacy.add_give(self.current_id))
        self.person.log_requested.connect(self.history.log)
        self.person.note_written.connect(self._write_note)
        self.person.entry_edit_requested.connect(self.history.edit)
        self.person.entry_delete_requested.connect(self.history.delete)
        self.view.context_menu_requested.connect(self._node_menu)
        self.contact_list.context_menu_requested.connect(self._node_menu)
        self.contact_list.matches_changed.connect(self.scene.highlight_matches)
        self.focus.log_requested.connect(self._log_from_focus)
        self.focus.person_selected.connect(self.select)
        self.focus.message.connect(self.show_message)
        self.scene.person_selected.connect(self.select)
        self.contact_list.person_selected.connect(self.select)
        self.contact_list.person_activated.connect(self.edit_contact)
        self.view.open_person.connect(self._open_person)
        self.person.edit_requested.connect(self.edit_contact)
        d.message.connect(self.show_message)
        self.notes = StatusNotes(self.statusBar())
        d.note.connect(self.notes.say)
        d.undo_stack.canUndoChanged.connect(self.toast.undo_possible)
        d.moved.connect(self._moved)
        self.view.drag_hint.connect(self._show_drag_hint)
        self.view.canvas_menu_requested.connect(self._canvas_menu)
        d.placements_changed.connect(self._update_fill)
        d.reset.connect(self._update_fill)
        d.reset.connect(self._update_empty_state)
        d.contacts_changed.connect(self._update_empty_state)
        self.empty_state.add_requested.connect(self.add_contact)
        self.empty_state.import_requested.connect(lambda: self.transfer.start_import())
        d.reset.connect(lambda: self.select(self.current_id))

    def _write_note(self, contact_id: int, text: str) -> None:
        """The person panel's note box: saved, the box is emptied for the next one."""
        if self.history.add_note(contact_id, text):
            self.person.note_saved()

    # -- built when first needed ------------------------------------------------------------------
    @property
    def capture(self) -> CaptureReview:
        """Captured touchpoints: the Log menu's review and sources actions and the status
        badge (planner.ui.capture.capture_inbox; added once the first frame is on screen,
        or when first asked for)."""
        capture = self._capture
        if capture is None:
            from planner.ui.capture.capture_inbox import install

            capture = self._capture = install(self)
        return capture

    @property
    def reminders(self) -> Reminders | None:
        """The tray icon, the daily notification and This week's review
        (planner.ui.focus.reminders): attached once the first frame is on screen, or
        when first asked for (see attach_reminders_later)."""
        if self._reminders is None and self._attach_reminders is not None:
            attach, self._attach_reminders = self._attach_reminders, None
            self._reminders = attach(self)
        return self._reminders

    def attach_reminders_later(self, attach: Callable[[MainWindow], Reminders]) -> None:
        """``attach(window)`` makes the reminders (the app decides how: planner.app). This
        week's Start review button is theirs, made now (the page's size, Tab order)."""
        self.focus.add_review_button()
        self._attach_reminders = attach
        after_first_frame(self, lambda: self.reminders)

    @property
    def dashboard(self) -> Dashboard:
        """The Dashboard page (built on first use)."""
        dashboard = self._dashboard
        if dashboard is None:
            from planner.ui.dashboard.dashboard import Dashboard

            dashboard = self._dashboard = Dashboard(self.document, self)
            dashboard.person_selected.connect(self.select)
            dashboard.celebrate_requested.connect(lambda i: self.advocacy.celebrate(i))
            dashboard.thank_requested.connect(lambda i: self.advocacy.thank(i))
            dashboard.message.connect(self.show_message)
            self._dashboard_slot.hold(dashboard)
        return dashboard

    @property
    def activity(self) -> ActivityPanel:
        """The All activity page (built on first use)."""
        activity = self._activity
        if activity is None:
            from planner.ui.timeline.activity_panel import ActivityPanel

            activity = self._activity = ActivityPanel(self.document, self)
            activity.timeline.edit_requested.connect(self.history.edit)
            activity.timeline.delete_requested.connect(self.history.delete)
            activity.jump_requested.connect(self.jump_to_entry)
            self._activity_slot.hold(activity)
        return activity

    @property
    def transfer(self) -> TransferController:
        """Import, export, backup and restore (their dialogs and formats: built on first use)."""
        transfer = self._transfer
        if transfer is None:
            from planner.ui.transfer.transfer_controller import TransferController

            transfer = self._transfer = TransferController(self, self.document)
        return transfer

    @property
    def advocacy(self) -> LedgerFlows:
        """Wins, asks and gives: their dialogs (built on first use)."""
        advocacy = self._advocacy
        if advocacy is None:
            from planner.ui.advocacy.advocacy_panel import LedgerFlows

            advocacy = self._advocacy = LedgerFlows(self.document, self)
        return advocacy

    def _page_shown(self, index: int) -> None:
        page = self.pages.widget(index)
        if page is self.focus:
            self.focus.start()  # (shown before the first frame's work got to it)
        elif page is self._dashboard_slot:
            self.dashboard  # noqa: B018  (built now)
        elif page is self._activity_slot:
            self.activity  # noqa: B018

    def _update_empty_state(self, *_args) -> None:
        self.empty_state.set_shown(not self.document.count())

    def show_demo_banner(self, own_database) -> None:
        """A demo database: a banner says so and leads back to the user's own database
        (``own_database``, a path; None: the Open Database File dialog)."""
        self.demo_banner = add_banner(self)
        self.demo_banner.say('Demo data — <a href="own" style="color:#0b4f8a">Open your own '
                             'database</a>')
        self.demo_banner.linkActivated.connect(lambda _link: self.leave_demo.emit(own_database))
        self.setWindowTitle(window_title(self.document.database.target).replace(
            " — ", " (demo) — ", 1))

    # -- selection ------------------------------------------------------------------------
    @property
    def current_id(self) -> int | None:
        return self.person.contact_id

    def select(self, contact_id: int | None) -> None:
        if contact_id is not None and self.document.contact(contact_id) is None:
            contact_id = None
        self.person.show_contact(contact_id)
        self.scene.select_contact(contact_id)
        self.contact_list.select_contact(contact_id)
        self.window_actions.set_person_enabled(contact_id is not None)

    def _open_person(self, contact_id: int) -> None:
        self.select(contact_id)
        self.person.setFocus()

    def _log_from_focus(self, contact_id: int) -> None:
        """Ticking someone in "This week" logs a touch (they leave the list once logged)."""
        self.select(contact_id)
        if self.advocacy.from_focus(contact_id) is not None:
            return  # celebrating their win or thanking them: the touchpoint is linked
        from planner.domain.focus import suggested_kind

        contact = self.document.contact(contact_id)
        self.history.log(contact_id, suggested_kind(contact) if contact is not None
                         else "coffee")

    def show_page(self, page) -> None:
        """One of the full views in the middle: the rings, This week, the dashboard, all
        activity."""
        slot = {id(self._dashboard): self._dashboard_slot,
                id(self._activity): self._activity_slot}.get(id(page), page)
        self.pages.show_page(slot)
        if page is self._activity and page is not None:
            self.activity.focus_search()
        else:
            page.setFocus()

    def jump_to_entry(self, contact_id: int, entry_id: str) -> None:
        """Show the person and select the entry in their timeline (a search result)."""
        self.select(contact_id)
        timeline = self.person.timeline
        row = self.person.timeline_model.find_row(entry_id)
        if row is not None:
            index = self.person.timeline_model.index(row)
            timeline.setCurrentIndex(index)
            timeline.scrollTo(index)
            timeline.setFocus()

    def _node_menu(self, contact_id: int, global_pos) -> QMenu:
        self.select(contact_id)
        a = self.window_actions
        menu = QMenu(self)
        for action in a.log_kind.values():
            menu.addAction(action)
        menu.addAction(a.log_note)
        menu.addSeparator()
        for action in (a.edit_contact, a.promote, a.demote, a.unplace, a.remove_contact):
            menu.addAction(action)
        menu.addSeparator()
        from planner.ui.focus.snooze_menu import snooze_menu

        menu.addMenu(snooze_menu(menu, self.document, contact_id))
        menu.popup(global_pos)
        self._context_menu = menu
        return menu

    def _fill_snooze_menu(self) -> None:
        """Person → Snooze: the selected person's choices, as they are now."""
        from planner.ui.focus.snooze_menu import fill_snooze_menu

        if self.current_id is not None:
            fill_snooze_menu(self.menus["snooze"], self.document, self.current_id)

    def _canvas_menu(self, global_pos) -> QMenu:
        """Right-click on the empty canvas."""
        a = self.window_actions
        menu = QMenu(self)
        for action in (a.add_contact, a.import_file, a.zoom_fit):
            menu.addAction(action)
        menu.popup(global_pos)
        self._context_menu = menu
        return menu

    def _moved(self, text: str) -> None:
        """A move, swap or unplace: said, with Undo beside it."""
        self.statusBar().showMessage(text, 8000)
        self.toast.show_message(text, undo=self.undo)

    def undo(self) -> None:
        """Undo, and say what was undone (an earlier "— Undo (Ctrl+Z) brings them back"
        must not stay as if it still held). A step refused says why itself."""
        done = self.document.undo_stack.undoText()
        if self.document.undo():
            self.show_message(f"Undone: {done}")

    def redo(self) -> None:
        done = self.document.undo_stack.redoText()
        if self.document.redo():
            self.show_message(f"Redone: {done}")

    def _cycle_panes(self, step: int) -> None:
        from planner.ui.common.panes import cycle

        cycle([self.contact_list, self.pages.currentWidget(), self.person], step)

    def _focus_search(self) -> None:
        self.contact_list.search.setFocus()
        self.contact_list.search.selectAll()

    # -- actions ----------------------------------------------------------------------------
    def _step_ring(self, direction: int) -> None:
        contact = self.document.contact(self.current_id) if self.current_id else None
        if contact is None:
            return
        from planner.domain.errors import PlannerError, RingFull

        try:  # the domain's step rules, then its placement rules
            target = self.document.plan_step(contact.id, up=direction < 0)
            if target is not None:
                self.document.plan_move(contact.id, target)
        except RingFull:  # whom to swap with (a drag would drop onto them)
            if target is not None:
                self._offer_swap(contact.id, target)
            return
        except PlannerError as exc:
            self.show_message(str(exc))
            return
        self.document.editing.move(contact.id, target)
        self.select(contact.id)

    def _step_place(self, delta: int) -> None:
        from planner.ui.rings.step_place import step_place

        if self.current_id is not None:
            said = step_place(self.document, self.current_id, delta)
            if said:
                self.show_message(said)
            self.select(self.current_id)

    def _offer_swap(self, contact_id: int, ring) -> None:
        from planner.ui.rings.swap_menu import show_swap_menu

        node = self.scene.nodes.get(contact_id)
        if node is not None and self.view.isVisible():
            at = self.view.viewport().mapToGlobal(self.view.mapFromScene(node.sceneBoundingRect()
                                                                         .center()))
        else:
            focus = QApplication.focusWidget() or self
            at = focus.mapToGlobal(focus.rect().center())
        self.swap_menu = show_swap_menu(self, self.document, contact_id, ring, at)

    def _unplace_current(self) -> None:
        contact = self.document.contact(self.current_id) if self.current_id else None
        if contact is not None and contact.ring is not None:
            self.document.editing.move(contact.id, None)
            self.select(contact.id)

    def add_contact(self):
        from planner.ui.people.contact_dialog import ContactDialog

        dialog = ContactDialog(self)
        dialog.accepted.connect(lambda: self._added(dialog))
        dialog.open()
        return dialog

    def _added(self, dialog) -> None:
        values = dialog.values()
        name = values.pop("name")
        contact_id = self.document.editing.add_contact(name, dialog.chosen_ring(), values)
        if contact_id is not None:
            self.select(contact_id)
            self.show_message(f"Added {name}")

    def edit_contact(self, contact_id: int | None):
        contact = self.document.contact(contact_id) if contact_id is not None else None
        if contact is None:
            return None
        from planner.ui.people.contact_dialog import ContactDialog

        dialog = ContactDialog(self, contact)
        dialog.accepted.connect(lambda: self._edited(dialog, contact.id))
        dialog.open()
        return dialog

    def _edited(self, dialog, contact_id: int) -> None:
        changes = dialog.changed_values()
        if changes:
            self.document.editing.edit_contact(contact_id, changes)

    def remove_current(self) -> None:
        contact_id = self.current_id
        if contact_id is None:
            return
        name = self.document.contact(contact_id).name
        if self.document.editing.remove_contact(contact_id):
            self.select(None)
            self.show_message(f"Removed {name} — Undo (Ctrl+Z) brings them back")

    def set_read_only(self, reason: str) -> None:
        """Another window has this database: show it, follow its changes, change nothing."""
        self.read_only_banner = add_banner(self)
        self.read_only_banner.say(f"Read-only — {reason}")
        # "planner.db (read-only) — Mentorship Planner": the app's name stays last, once
        # (the window system adds it to a title that does not end with it)
        name, app = self.windowTitle().rpartition(f" — {APP_NAME}")[::2]
        self.setWindowTitle(f"{name} (read-only) — {APP_NAME}" if name and not app
                            else self.windowTitle() + " (read-only)")
        from planner.ui.common.disabled_reason import set_enabled

        a = self.window_actions
        why = f"This window is read-only: {reason}"
        for action in (a.add_contact, a.import_file, a.restore_backup, a.preferences):
            set_enabled(action, False, why)
            action.setToolTip(why)  # (the tool bar's buttons show an action's tooltip)
        self.show_message("Opened read-only: nothing can be changed in this window (the "
                          "banner says why)")

    def _watch_connection(self, team) -> None:
        """A team database: the banner says when the connection is lost and when it is back."""
        self.connection_banner = add_banner(self)
        self._banner_timer = QTimer(self)
        self._banner_timer.setSingleShot(True)
        self._banner_timer.timeout.connect(self.connection_banner.hide)

        def changed(online: bool, text: str) -> None:
            self.connection_banner.say(text, "ok" if online else "error")
            if online:
                self._banner_timer.start(4000)
            else:
                self._banner_timer.stop()
            self.show_message(text)

        team.connection_changed.connect(changed)
        self.team_label = QLabel(self)
        self.team_label.setObjectName("teamStatus")
        self.statusBar().addPermanentWidget(self.team_label)
        modes = {"live": ("●", "live updates"), "polling": ("◐", "checking every few seconds"),
                 "offline": ("○", "offline, reconnecting")}

        def mode(name: str) -> None:
            mark, words = modes[name]
            self.team_label.setText(f"{mark} {team.me}")
            self.team_label.setToolTip(f"Team database, signed in as {team.me}: {words}")

        team.mode_changed.connect(mode)
        mode("live" if team.listening else "polling")

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)
        self.toast.show_message(text)

    def _show_drag_hint(self, text: str) -> None:
        """What a drop at the pointer would do; withdrawn ("") when it no longer holds
        (unless the toast says something else by now)."""
        if text:
            self.toast.show_message(text, 2500)
        elif self._drag_hint and self.toast.isVisible() and self.toast.text() == self._drag_hint:
            self.toast.hide()
        self._drag_hint = text

    def show_getting_started(self):
        from planner.ui.dialogs.help_sheets import GettingStarted

        dialog = GettingStarted(self)
        dialog.open()
        return dialog

    def show_shortcuts(self):
        from planner.ui.dialogs.help_sheets import ShortcutsSheet

        dialog = ShortcutsSheet(self, self.window_actions.shortcut_rows(self))
        dialog.open()
        return dialog

    def show_about(self):
        from planner.ui.dialogs.about_dialog import AboutDialog

        dialog = AboutDialog(self, self.document.database.target.display(),
                             self.document.database.path)
        dialog.open()
        return dialog

    @property
    def security(self):
        """Settings → Security (created on first use)."""
        if getattr(self, "_security", None) is None:
            from planner.ui.security.security_controller import SecurityController

            self._security = SecurityController(self)
        return self._security

    def show_preferences(self):
        from planner.services.backups import keep_count
        from planner.ui.dialogs.preferences_dialog import PreferencesDialog

        fill = {ring: count for ring, (count, _cap) in self.document.fill().items()}
        team = self.document.database.target.kind == "postgresql"
        dialog = PreferencesDialog(
            self, capacities={r: self.document.capacity(r) for r in fill},
            cadences={r: self.document.cadence(r) for r in fill}, fill=fill,
            backup_keep=None if team else keep_count(), settings=self.settings,
            security=self.security, team=team)
        dialog.accepted.connect(lambda: self._preferences_chosen(dialog.changes()))
        dialog.open()
        return dialog

    def _preferences_chosen(self, values: dict) -> None:
        """``values``: what was changed in the dialog (PreferencesDialog.changes)."""
        from planner.services.backups import keep_count, set_keep_count
        from planner.ui.common import theme

        capacities = {r: n for r, n in values["capacities"].items()
                      if n != self.document.capacity(r)}
        cadences = {r: n for r, n in values["cadences"].items()
                    if n != self.document.cadence(r)}
        if capacities or cadences:
            self.document.editing.change_ring_settings(capacities, cadences)
        if values.get("backup_keep") is not None and values["backup_keep"] != keep_count():
            set_keep_count(self.document.backend, values["backup_keep"])
        self.settings.setValue(theme.SETTING, values["theme"])
        if values.get("week_start") and values["week_start"] != self.settings.value(
                "focus/week_start", "monday"):
            self.settings.setValue("focus/week_start", values["week_start"])
            self.focus.set_week(self.focus.planning_week())
        theme.apply_theme(values["theme"])
        self.scene.update()

    def _update_fill(self, *_args) -> None:
        parts = [f"{ring.label} {count}/{cap}" for ring, (count, cap)
                 in self.document.fill().items()]
        self.fill_label.setText("   ".join(parts))

    # -- state between runs -------------------------------------------------------------------
    def restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        restored = (isinstance(geometry, QByteArray) and not geometry.isEmpty()
                    and self.restoreGeometry(geometry))
        screen = self.screen()
        if screen is not None and not (self.isMaximized() or self.isFullScreen()):
            # a first start takes FIRST_SIZE; a size saved on a bigger screen is made to
            # fit this one with its title bar (Qt moves such a window onto the screen, but
            # keeps its height: 760 pixels under a title bar on a 768-pixel laptop)
            wanted = self.size() if restored else FIRST_SIZE
            size = fitted(wanted, screen.availableGeometry()).expandedTo(QSize(1, 1))
            if size != self.size():
                self.resize(size)
        docks = self.settings.value("window/state")
        if isinstance(docks, QByteArray) and not docks.isEmpty():
            self.restoreState(docks, STATE_VERSION)  # an older layout's state is ignored
        page = self.settings.value("window/page", 0)  # the page left open (built when shown)
        if isinstance(page, int | str) and str(page).isdigit() and (
                0 < int(page) < self.pages.count()):
            self.pages.setCurrentIndex(int(page))

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState(STATE_VERSION))
        self.settings.setValue("window/page", self.pages.currentIndex())
        self.settings.sync()

    def closeEvent(self, event) -> None:
        if self._transfer is not None:  # an import still running is cancelled (nothing written)
            self._transfer.shutdown()
        self.save_state()
        self.closed = True  # (work still waiting for the first frame is dropped)
        # the day's backup, started after the first frame, is finished rather than cut off
        # (a copy half written is no backup); the window is already going
        job = getattr(self, "daily_backup_job", None)
        if job is not None and job.is_alive():
            job.join(BACKUP_WAIT_S)
        super().closeEvent(event)


def _open_log_folder() -> None:
    from planner.ui.dialogs.help_sheets import open_log_folder

    open_log_folder()


class _PageSlot(QWidget):
    """A page's place in the tabs until the page is built (then it holds it)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def hold(self, page: QWidget) -> None:
        self._layout.addWidget(page)
