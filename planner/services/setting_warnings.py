"""Who is told when a stored setting is ignored (see planner.services.setting_rules).

Kept apart from the rules so that a command can install its handler without
importing every setting's rule (and with them the advocacy rules and tables):
``planner log`` never reads a setting.
"""

from __future__ import annotations

from collections.abc import Callable

_warn: Callable[[str], object] | None = None
_warned = False


def set_warning_handler(handler: Callable[[str], object] | None) -> None:
    """``handler(line)`` is told, once per process, that a stored setting was ignored."""
    global _warn
    _warn = handler


def warn_once(message: str) -> None:
    """Tell the handler (if any) about the first ignored setting of this process."""
    global _warned
    if _warn is not None and not _warned:
        _warned = True
        _warn(message)
