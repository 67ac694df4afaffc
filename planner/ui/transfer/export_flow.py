"""File → Export…: choose a file and a format (by the file type), then write it off the
GUI thread (``planner.services.exporting`` does the writing)."""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

from planner.importers import Cancelled
from planner.ui.common.background import CANCELLED, ERROR
from planner.ui.transfer.transfer_jobs import TransferJobs, sentence

#: format → (file dialog filter, what the message calls it)
EXPORT_CHOICES = {
    "json": ("Everything as JSON (*.json)", "everything (JSON)"),
    "vcard": ("People as vCard 4.0 (*.vcf)", "people as vCard 4.0"),
    "csv": ("People as CSV (*.csv)", "people as CSV"),
}
_SUFFIX_FORMATS = {".json": "json", ".vcf": "vcard", ".vcard": "vcard", ".csv": "csv"}


class ExportFlow:
    def __init__(self, jobs: TransferJobs):
        self.jobs = jobs

    def start(self) -> None:
        if self.jobs.refuse_if_busy():
            return
        suggested = Path(f"mentorship-planner-{date.today().isoformat()}.json")
        filters = [text for text, _ in EXPORT_CHOICES.values()]
        self.jobs.ask_save_path("Export", suggested, filters, self._chosen)

    def _chosen(self, path: str | Path, chosen_filter: str = "") -> None:
        target, fmt = export_target(Path(path), chosen_filter)
        self.export_to(target, fmt)

    def export_to(self, path: str | Path, fmt: str) -> None:
        """Write ``fmt`` (json, vcard, csv) to ``path`` off the GUI thread."""
        jobs = self.jobs
        if jobs.refuse_if_busy():
            return
        if fmt not in EXPORT_CHOICES:
            jobs.complain(f"Unknown export format {fmt!r}.")
            return
        from planner.services.exporting import EXTENSIONS

        path = Path(path)
        if not path.suffix:
            path = path.with_name(f"{path.name}.{EXTENSIONS[fmt]}")
        jobs.start(
            functools.partial(_export, jobs.document.backend, path, fmt),
            label=f"Exporting {EXPORT_CHOICES[fmt][1]}…",
            done=functools.partial(self._exported, path, fmt),
            name="export",
        )

    def _exported(self, path: Path, fmt: str, status: str, payload) -> None:
        if status == CANCELLED:
            self.jobs.tell("Export cancelled — no file was written")
        elif status == ERROR:
            self.jobs.complain(f"The export failed: {sentence(payload)}.")
        else:
            self.jobs.tell(f"Exported {EXPORT_CHOICES[fmt][1]} to {payload}")


def _export(store, path: Path, fmt: str, _progress, should_cancel) -> Path:
    """In the worker; ``store``: the document's backend (``PlannerDocument.backend``)."""
    from planner.services.exporting import export_text, write_text

    text = export_text(store, fmt)
    if should_cancel():
        raise Cancelled("the export was cancelled")
    return write_text(path, text)


def filter_format(chosen_filter: str) -> str:
    """json, vcard or csv: the format of the file dialog's chosen type (JSON if none)."""
    for fmt, (text, _) in EXPORT_CHOICES.items():
        if chosen_filter == text:
            return fmt
    return "json"


def export_target(path: Path, chosen_filter: str = "") -> tuple[Path, str]:
    """The file to write and its format: a typed .json/.vcf/.vcard/.csv decides, else the
    chosen type (its extension added)."""
    from planner.services.exporting import EXTENSIONS
    from planner.ui.common.typed_format import typed_or_chosen

    return typed_or_chosen(path, filter_format(chosen_filter), _SUFFIX_FORMATS, EXTENSIONS)
