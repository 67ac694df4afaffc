"""The log file: unexpected errors go here with their traceback, never on screen."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

_configured: Path | None = None


def log_path() -> Path:
    from planner.storage.target import data_dir

    return data_dir() / "logs" / "planner.log"


def setup_logging(level: int = logging.INFO) -> Path:
    """Send log records to a rotating file in the user data folder (once per process)."""
    global _configured
    if _configured is not None:
        return _configured
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    _configured = path
    return path
