"""The folder the app keeps its own files in (the default database, its backups, the
log, the reminders' lock), as the window names it."""

from __future__ import annotations

from pathlib import Path


def data_folder() -> Path:
    """This user's data folder (not created here)."""
    from planner.storage.target import data_dir

    return data_dir()
