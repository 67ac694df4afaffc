"""Import, export, backup and restore from the window: the File menu's entries wired to
their flows.

:class:`TransferController` belongs to the main window. The flows are
:mod:`~planner.ui.transfer.import_flow` (File → Import…),
:mod:`~planner.ui.transfer.export_flow` (Export…) and
:mod:`~planner.ui.transfer.backup_flow` (Back Up Now, Restore from Backup…, and a full
export restored into an empty database); what they share — one background job at a
time behind a progress dialog, the message boxes, the replaceable file dialogs — is
:class:`~planner.ui.transfer.transfer_jobs.TransferJobs`, which the controller is.
"""

from __future__ import annotations

from pathlib import Path

from planner.ui.common.background import BackgroundJob
from planner.ui.transfer.backup_flow import BackupFlow
from planner.ui.transfer.export_flow import ExportFlow
from planner.ui.transfer.import_dialog import ImportDialog
from planner.ui.transfer.import_flow import ImportFlow
from planner.ui.transfer.restore_dialog import RestoreDialog
from planner.ui.transfer.transfer_jobs import TransferJobs


class TransferController(TransferJobs):
    def __init__(self, window, document):
        super().__init__(window, document)
        self.setObjectName("transferController")
        self.backups = BackupFlow(self)
        self.imports = ImportFlow(self, self.backups.offer_dump)
        self.exports = ExportFlow(self)

    # -- File → Import… ----------------------------------------------------------------
    def start_import(self) -> None:
        self.imports.start()

    def import_file(self, path: str | Path) -> None:
        self.imports.import_file(path)

    @property
    def import_dialog(self) -> ImportDialog | None:
        return self.imports.dialog

    @property
    def last_summary(self):
        """The ImportSummary of the last import."""
        return self.imports.last_summary

    # -- File → Export… ----------------------------------------------------------------
    def start_export(self) -> None:
        self.exports.start()

    def export_to(self, path: str | Path, fmt: str) -> None:
        self.exports.export_to(path, fmt)

    # -- File → Back Up Now, Restore from Backup… ------------------------------------------
    def backup_now(self) -> BackgroundJob | None:
        return self.backups.backup_now()

    @property
    def last_backup(self) -> Path | None:
        return self.backups.last_backup

    def start_restore(self) -> RestoreDialog | None:
        return self.backups.start_restore()

    def confirm_restore(self, source: str | Path) -> BackgroundJob | None:
        return self.backups.confirm_restore(source)

    def restore_from(self, source: str | Path) -> bool:
        return self.backups.restore_from(source)

    @property
    def restore_dialog(self) -> RestoreDialog | None:
        return self.backups.restore_dialog
