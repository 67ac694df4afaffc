"""File → Export…, Back Up Now and Restore from Backup… driven from the window.

File dialogs are answered through the controller's ``ask_save_path`` /
``ask_open_path`` hooks; the restore dialog and the confirmation are clicked.
What is stored is read back through separate connections.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from planner.domain.rings import Ring
from planner.ui.transfer.transfer_jobs import SHOW_PROGRESS_AFTER_MS
from tests.gui.helpers import back_up_now, open_window, placements, populate
from tests.gui.test_import_gui import JOB_MS, content_hash, listed, stored_people

LEFT = Qt.MouseButton.LeftButton
YES = QMessageBox.StandardButton.Yes


@pytest.fixture
def people(db_path):
    return populate(
        db_path,
        inner=1,
        middle=1,
        extra={
            "Ada Lovelace": (
                Ring.INNER,
                {
                    "email": "ada@example.org",
                    "phones": ["+44 20 7946 0001"],
                    "organization": "Analytical Engines",
                    "tags": ["math"],
                },
            ),
            "Zoë Ng": (None, {"email": "zoe@example.com"}),
        },
    )


def answer_save_dialog(window, path: Path, chosen_filter: str = "") -> list[tuple]:
    asked: list[tuple] = []

    def ask(caption, suggested, filters, done):
        asked.append((caption, suggested, filters))
        done(Path(path), chosen_filter or filters[0])

    window.transfer.ask_save_path = ask
    return asked


def export_with(qtbot, window, path: Path, chosen_filter: str) -> list[tuple]:
    asked = answer_save_dialog(window, path, chosen_filter)
    with qtbot.waitSignal(window.transfer.job_finished, timeout=JOB_MS) as blocker:
        window.window_actions.export_file.trigger()
    assert blocker.args == ["ok"], window.transfer.last_message
    return asked


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- export ---------------------------------------------------------------------------------------
def test_export_everything_as_json(qtbot, db_path, tmp_path, people):
    window = open_window(qtbot, db_path)
    target = tmp_path / "out" / "everything.json"
    target.parent.mkdir()
    asked = export_with(qtbot, window, target, "Everything as JSON (*.json)")
    caption, suggested, filters = asked[0]
    assert caption == "Export" and suggested.suffix == ".json"
    assert filters == [
        "Everything as JSON (*.json)",
        "People as vCard 4.0 (*.vcf)",
        "People as CSV (*.csv)",
    ]
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == "mentorship-planner-dump"
    assert {c["name"] for c in data["contacts"]} == {
        "Inner 1",
        "Middle 1",
        "Ada Lovelace",
        "Zoë Ng",
    }
    assert len(data["placements"]) == 3
    assert mode(target) == 0o600
    assert window.statusBar().currentMessage() == f"Exported everything (JSON) to {target}"


def test_a_typed_extension_decides_what_is_exported(qtbot, db_path, tmp_path, people):
    """A review: e2.vcf typed with the type left at JSON was written as JSON (and failed
    in every address book). The typed extension decides; another extension is replaced by
    the chosen type's."""
    window = open_window(qtbot, db_path)
    export_with(qtbot, window, tmp_path / "e2.vcf", "Everything as JSON (*.json)")
    assert (tmp_path / "e2.vcf").read_text(encoding="utf-8").startswith("BEGIN:VCARD")
    assert window.statusBar().currentMessage() == (
        f"Exported people as vCard 4.0 to {tmp_path / 'e2.vcf'}")
    export_with(qtbot, window, tmp_path / "people.txt", "People as CSV (*.csv)")
    assert not (tmp_path / "people.txt").exists()
    assert (tmp_path / "people.csv").read_text(encoding="utf-8").startswith("Name,Ring,")
    export_with(qtbot, window, tmp_path / "all.CSV", "Everything as JSON (*.json)")
    assert (tmp_path / "all.CSV").read_text(encoding="utf-8").startswith("Name,Ring,")


def test_export_people_as_vcard(qtbot, db_path, tmp_path, people):
    window = open_window(qtbot, db_path)
    target = tmp_path / "people.vcf"
    export_with(qtbot, window, target, "People as vCard 4.0 (*.vcf)")
    text = target.read_text(encoding="utf-8")
    assert text.count("BEGIN:VCARD") == 4 and "VERSION:4.0" in text
    assert "FN:Ada Lovelace" in text and "ada@example.org" in text
    assert "FN:Zoë Ng" in text
    assert "people as vCard 4.0" in window.statusBar().currentMessage()


def test_export_people_as_csv_by_the_file_name(qtbot, db_path, tmp_path, people):
    window = open_window(qtbot, db_path)
    target = tmp_path / "people.csv"
    export_with(qtbot, window, target, "no filter chosen")  # the extension decides
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    by_name = {row[next(iter(row))]: row for row in rows}
    assert set(by_name) == {"Inner 1", "Middle 1", "Ada Lovelace", "Zoë Ng"}
    assert "ada@example.org" in by_name["Ada Lovelace"].values()


def test_a_name_without_extension_gets_the_formats(qtbot, db_path, tmp_path, people):
    window = open_window(qtbot, db_path)
    export_with(qtbot, window, tmp_path / "people", "People as vCard 4.0 (*.vcf)")
    assert (tmp_path / "people.vcf").read_text(encoding="utf-8").startswith("BEGIN:VCARD")


def test_an_export_that_cannot_be_written_says_why(qtbot, db_path, tmp_path, people):
    window = open_window(qtbot, db_path)
    blocker_file = tmp_path / "not-a-folder"
    blocker_file.write_text("a file where a folder should be")
    answer_save_dialog(window, blocker_file / "x.json", "Everything as JSON (*.json)")
    with qtbot.waitSignal(window.transfer.job_finished, timeout=JOB_MS) as blocker:
        window.window_actions.export_file.trigger()
    assert blocker.args == ["error"]
    box = window.transfer.error_box
    assert box is not None and box.text().startswith("The export failed: cannot write")
    assert blocker_file.read_text() == "a file where a folder should be"


# -- back up now ----------------------------------------------------------------------------------
def test_back_up_now_makes_an_owner_only_copy_and_says_where(qtbot, db_path, people):
    window = open_window(qtbot, db_path)
    backup = back_up_now(qtbot, window)
    made = sorted((db_path.parent / "backups").glob("*-manual.db"))
    assert made == [backup]
    assert mode(made[0]) == 0o600
    assert window.statusBar().currentMessage() == (
        f"Backed up to {made[0]}; the newest 10 backups you made are kept, apart from the "
        "daily and automatic ones")
    assert content_hash(made[0]) == content_hash(db_path)
    assert window.window_actions.backup_now in window.menus["file"].actions()


def test_back_up_now_copies_while_the_window_works_and_watches(qtbot, db_path, people):
    """The copy and its check open the file again (an encrypted one: a key derivation each,
    0.2 s apiece): on the GUI thread that froze the window, and under load other
    programs' writes showed seconds late (the torture test). It runs on a worker thread
    now; the window keeps watching the file, and a second job waits its turn, said."""
    window = open_window(qtbot, db_path, watch=True)
    transfer = window.transfer
    with qtbot.waitSignal(transfer.job_finished, timeout=30000) as finished:
        window.window_actions.backup_now.trigger()
        assert transfer.busy  # the copy is being made elsewhere; this thread is free
        assert window.document.session.watching  # a backup only reads
        # no dialog in the way: the status bar says it, with a busy bar (a review found
        # a window-modal progress dialog that dropped Ctrl+Q, clicks and the window's ×)
        assert transfer.progress is None
        busy = window.statusBar().findChild(QWidget, "transferBusy")
        assert busy is not None and busy.isVisible()
        assert [w.text() for w in busy.findChildren(QLabel)] == ["Backing up planner.db…"]
        window.window_actions.backup_now.trigger()
        assert transfer.last_message == "Still busy: backing up planner.db — wait for it to finish"
        qtbot.wait(SHOW_PROGRESS_AFTER_MS + 50)
        assert QApplication.activeModalWidget() is None
    assert finished.args == ["ok"]
    made = sorted((db_path.parent / "backups").glob("*-manual.db"))
    assert made == [transfer.last_backup]  # one copy: the second press was refused
    assert transfer.last_message.startswith(f"Backed up to {made[0]}")
    assert window.document.session.watching
    assert window.statusBar().findChild(QWidget, "transferBusy") is None


def test_what_a_backup_said_stays_while_another_program_writes(qtbot, db_path, people):
    """A review: "Backed up to …" showed for under half a second, then "Updated with
    changes made by another program" took its place with every outside write. The remark
    now waits for the status bar to be free, and follows."""
    from tests.helpers.cli import run_cli

    window = open_window(qtbot, db_path, watch=True)
    bar = window.statusBar()
    backup = back_up_now(qtbot, window)
    said = bar.currentMessage()
    assert said.startswith(f"Backed up to {backup}")
    with qtbot.waitSignal(window.document.external_change, timeout=5000):
        result = run_cli("log", "Ada Lovelace", "coffee", db=db_path)
        assert result.returncode == 0, result.stderr
    assert bar.currentMessage() == said  # what the user did keeps its time
    bar.clearMessage()  # (its 8 s are over)
    assert bar.currentMessage() == "Updated with changes made by another program"


def test_a_failed_backup_says_why_once_and_back_up_to_is_the_way_out(qtbot, db_path, people,
                                                                     tmp_path):
    """A folder where the backups folder should be: one clear message, nothing half-made,
    and (a review: an unwritable backups/ was a dead end in the window) File → Back Up To…
    copies the database wherever the user chooses."""
    window = open_window(qtbot, db_path)  # (its daily backup made the folder, and ended)
    shutil.rmtree(db_path.parent / "backups")
    (db_path.parent / "backups").write_text("not a folder")
    assert back_up_now(qtbot, window) is None
    box = window.transfer.error_box
    assert box is not None and box.text().startswith("The backup failed: cannot write")
    assert box.text().endswith(" File → Back Up To… makes a copy somewhere else.")
    assert "Traceback" not in box.text() and "unexpected" not in box.text().lower()
    assert (db_path.parent / "backups").read_text() == "not a folder"
    box.accept()

    assert window.window_actions.backup_to in window.menus["file"].actions()
    window.window_actions.backup_to.trigger()
    dialog = window.transfer.file_dialog
    assert dialog.isVisible() and dialog.objectName() == "backupTo"
    assert dialog.selectedFiles()[0].endswith(".db")
    stick = tmp_path / "stick"
    stick.mkdir()
    with qtbot.waitSignal(window.transfer.job_finished, timeout=30000) as finished:
        dialog.selectFile(str(stick / "mine"))
        dialog.accept()  # what Save does (the .db is added)
    assert finished.args == ["ok"]
    copy = stick / "mine.db"
    assert window.transfer.last_backup == copy and mode(copy) == 0o600
    assert content_hash(copy) == content_hash(db_path)
    assert window.statusBar().currentMessage() == f"Backed up to {copy}"


def test_the_file_menu_holds_the_transfer_actions(qtbot, db_path):
    window = open_window(qtbot, db_path)
    a = window.window_actions
    texts = [action.text() for action in window.menus["file"].actions()]
    for action in (a.import_file, a.backup_now, a.restore_backup):
        assert action.text() in texts
    # File → Export ▸ Everything or People… / This Week… (issue 20)
    assert window.menus["export"].actions() == [a.export_file, a.export_focus]
    assert a.import_file.shortcut().toString() == "Ctrl+I"
    assert a.export_file.shortcut().toString() == "Ctrl+Shift+E"


# -- daily backup at start ------------------------------------------------------------------------
def _backed_up(qtbot, window) -> None:
    """The day's backup runs on a worker thread once the event loop turns (issue 23)."""
    qtbot.waitUntil(lambda: window.daily_backup_job is not None, timeout=5000)
    window.daily_backup_job.join(30)


def test_opening_the_window_makes_the_days_backup_once(qtbot, db_path, people):
    first = open_window(qtbot, db_path)
    _backed_up(qtbot, first)
    daily = sorted((db_path.parent / "backups").glob("*-daily.db"))
    assert len(daily) == 1 and mode(daily[0]) == 0o600
    first.close()
    _backed_up(qtbot, open_window(qtbot, db_path))
    assert sorted((db_path.parent / "backups").glob("*-daily.db")) == daily


def test_a_failing_daily_backup_only_says_so(qtbot, db_path, people, monkeypatch):
    from planner.domain.errors import InvalidInput
    from planner.services import backups

    def broken(*_args, **_kwargs):
        raise InvalidInput("cannot write the backup: disk full")

    monkeypatch.setattr(backups, "daily_backup_if_due", broken)
    window = open_window(qtbot, db_path)  # opens all the same
    qtbot.waitUntil(lambda: "daily backup failed" in window.statusBar().currentMessage())
    assert "disk full" in window.statusBar().currentMessage()
    assert sorted(listed(window)) == ["Ada Lovelace", "Inner 1", "Middle 1", "Zoë Ng"]


# -- restore --------------------------------------------------------------------------------------
def test_restore_a_backup_from_the_window(qtbot, db_path, people):
    window = open_window(qtbot, db_path, watch=True)
    controller = window.transfer
    backup = back_up_now(qtbot, window)
    saved = content_hash(backup)
    # after the backup: someone added, someone moved — this is what the restore undoes
    window.document.move(people["Zoë Ng"], Ring.OUTER)
    from planner.document.commands import AddContactCommand

    window.document.push(AddContactCommand(window.document, "Grace Hopper", None, {}))
    assert "Grace Hopper" in listed(window)
    assert window.document.undo_stack.count() == 2

    dialog = controller.start_restore()
    assert dialog is not None and dialog.isVisible()
    top = dialog.list.topLevelItem(0)  # newest first: the one just made
    assert Path(top.data(0, Qt.ItemDataRole.UserRole)) == backup
    made = dialog.list.fontMetrics().horizontalAdvance(top.text(0))
    assert dialog.list.columnWidth(0) >= made + 16  # room beside the date (it touched)
    assert top.text(1) == "made by you"
    dialog.select_path(backup)
    with qtbot.waitSignal(controller.job_finished):  # the file is looked at first
        qtbot.mouseClick(dialog.restore_button, LEFT)
    box = controller.confirm_box
    assert box is not None and box.isVisible()
    assert box.text().startswith(f"Replace everything in {db_path.name} with the backup made ")
    assert box.button(YES).text() == "&Restore"  # Alt+R (a review: no key but Shift+Tab)
    assert box.defaultButton() is box.button(box.StandardButton.Cancel)
    qtbot.mouseClick(box.button(YES), LEFT)

    assert content_hash(db_path) == saved
    assert "Grace Hopper" not in listed(window)
    assert "Grace Hopper" not in stored_people(db_path)
    assert people["Zoë Ng"] not in placements(db_path)
    zoe = window.document.contact(people["Zoë Ng"])
    assert zoe is not None and zoe.ring is None
    assert window.document.undo_stack.count() == 0  # the history belonged to the old data
    assert window.document.session.watcher.active  # watching the reopened database again
    message = window.statusBar().currentMessage()
    assert message.startswith(f"Restored {db_path.name} from the backup of ")
    # short enough to be read whole at 1366 px (the pre-restore copy's path was cut off)
    assert "pre-restore backup (File → Restore from Backup…)" in message and len(message) < 160
    assert window.statusBar().fontMetrics().horizontalAdvance(message) < 1280
    previous = sorted((db_path.parent / "backups").glob("*-pre-restore.db"))
    assert len(previous) == 1 and "Grace Hopper" in stored_people(previous[0])
    # the window keeps working on the restored database
    window.document.move(people["Zoë Ng"], Ring.MIDDLE)
    assert placements(db_path)[people["Zoë Ng"]][0] == "middle"


def test_restore_refuses_a_file_that_is_not_a_backup(qtbot, db_path, tmp_path, people):
    window = open_window(qtbot, db_path, watch=True)
    controller = window.transfer
    impostor = tmp_path / "holiday.db"
    impostor.write_bytes(b"these are not the rows you are looking for" * 100)
    before = content_hash(db_path)
    asked: list[tuple] = []

    def ask(caption, filters, done):
        asked.append((caption, filters))
        done(impostor)

    controller.ask_open_path = ask
    dialog = controller.start_restore()
    with qtbot.waitSignal(controller.job_finished):  # the file is looked at first
        qtbot.mouseClick(dialog.file_button, LEFT)
    assert asked and asked[0][0] == "Restore from a Backup File"
    # refused before anyone is asked to replace anything (a review: "Replace everything
    # in planner.db with holiday.db?" came first, the refusal only after Restore)
    assert controller.confirm_box is None
    error = controller.error_box
    assert error is not None and error.isVisible()
    assert error.text() == "holiday.db is not a Mentorship Planner backup. Nothing was changed."
    assert content_hash(db_path) == before
    assert not list((db_path.parent / "backups").glob("*-pre-restore.db"))
    assert sorted(listed(window)) == ["Ada Lovelace", "Inner 1", "Middle 1", "Zoë Ng"]
    assert window.document.session.watcher.active
    window.document.move(people["Zoë Ng"], Ring.OUTER)  # still writable
    assert placements(db_path)[people["Zoë Ng"]][0] == "outer"


@pytest.mark.parametrize("made, said", [
    ("truncated", "damaged.db is damaged and cannot be restored. Nothing was changed."),
    ("json", "damaged.db is a full export, not a backup. To load it, make a new database "
             "(File → New Database File…) and import it there (File → Import…). Nothing was "
             "changed."),
    ("empty", "damaged.db is an empty file, not a backup. Nothing was changed."),
    ("text", "damaged.db is not a Mentorship Planner backup. Nothing was changed."),
])
def test_a_file_that_cannot_be_restored_is_refused_in_one_plain_sentence(
        qtbot, db_path, people, made, said):
    """A review: a truncated backup, a JSON export or a random file got the destructive
    "Replace everything…?" first, then "Nothing was restored: cannot restore: … (database
    disk image is malformed); it may be damaged; nothing was changed"."""
    from tests.helpers.cli import run_cli

    window = open_window(qtbot, db_path)
    backup = back_up_now(qtbot, window)
    bad = db_path.parent / "damaged.db"
    if made == "truncated":
        bad.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    elif made == "json":
        result = run_cli("export", "--format", "json", "-o", str(bad), db=db_path)
        assert result.returncode == 0, result.stderr
    elif made == "empty":
        bad.touch()
    else:
        bad.write_text("Dear diary,\n" * 500)
    before = content_hash(db_path)
    controller = window.transfer
    with qtbot.waitSignal(controller.job_finished):
        controller.confirm_restore(bad)
    assert controller.confirm_box is None
    assert controller.error_box is not None and controller.error_box.text() == said
    assert content_hash(db_path) == before
    assert not list((db_path.parent / "backups").glob("*-pre-restore.db"))


def test_restore_dialog_without_backups_offers_a_file(qtbot, db_path, people):
    import shutil

    window = open_window(qtbot, db_path)
    shutil.rmtree(db_path.parent / "backups")  # the day's backup, made on opening
    dialog = window.transfer.start_restore()
    assert dialog.list.topLevelItemCount() == 0
    assert dialog.empty.isVisible() and not dialog.restore_button.isEnabled()
    assert dialog.file_button.isEnabled()
    dialog.reject()


def test_the_restore_dialog_renders(qtbot, db_path, people, tmp_path):
    window = open_window(qtbot, db_path)
    assert back_up_now(qtbot, window) is not None
    dialog = window.transfer.start_restore()
    qtbot.waitExposed(dialog)
    image = dialog.grab().toImage()
    image.save(str(tmp_path / "restore.png"))
    assert image.width() >= 400 and dialog.list.topLevelItemCount() == 2
    # what the rotation keeps (a run of imports once pushed out the copies made on purpose)
    assert dialog.intro.text().endswith(
        "The newest 10 backups of each kind are kept: made by you, daily, and automatic "
        "(before an import, a restore or an upgrade).")
