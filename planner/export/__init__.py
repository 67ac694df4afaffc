"""Export formats. Pure functions from domain objects to text; callers do the I/O.

The weekly focus list has five formats, each a module with
``render(focus_list, **options) -> str``; :func:`render_focus` picks one by
name and turns a typo in a format or option name into a one-line
:class:`InvalidInput` the CLI and GUI can show. A format's module is imported when it
is used: the window imports this package for its focus list's texts
(focus_common), and the five renderers (html, the ics and json libraries) are some
4 ms of its start (issue 23).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from planner.domain.errors import InvalidInput

if TYPE_CHECKING:
    from planner.domain.focus import FocusList

FocusRenderer = Callable[..., str]

#: Format name → the module of its ``render``. Markdown is the default.
FOCUS_FORMATS: dict[str, str] = {
    "md": "planner.export.focus_md",
    "csv": "planner.export.focus_csv",
    "html": "planner.export.focus_html",
    "ics": "planner.export.focus_ics",
    "json": "planner.export.focus_json",
}
DEFAULT_FOCUS_FORMAT = "md"

#: File name extension for each format (without the dot).
FOCUS_EXTENSIONS: dict[str, str] = {fmt: fmt for fmt in FOCUS_FORMATS}

_ALIASES = {"markdown": "md", "htm": "html", "ical": "ics", "icalendar": "ics"}


def focus_format(fmt: str | None) -> str:
    """Normalise a format name as typed (``MD``, ``.csv``, ``markdown``)."""
    name = (fmt or DEFAULT_FOCUS_FORMAT).strip().lower().lstrip(".")
    name = _ALIASES.get(name, name)
    if name not in FOCUS_FORMATS:
        choices = ", ".join(FOCUS_FORMATS)
        raise InvalidInput(f"unknown focus list format {fmt!r}: use one of {choices}")
    return name


def focus_renderer(fmt: str | None) -> FocusRenderer:
    """The ``render`` function of a format (its name as :func:`focus_format` reads it)."""
    render: FocusRenderer = importlib.import_module(FOCUS_FORMATS[focus_format(fmt)]).render
    return render


def focus_options(fmt: str) -> tuple[str, ...]:
    """The option names a format's renderer accepts."""
    import inspect

    params = inspect.signature(focus_renderer(fmt)).parameters.values()
    return tuple(p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY)


def render_focus(focus_list: FocusList, fmt: str | None = DEFAULT_FOCUS_FORMAT, **options) -> str:
    """Render the focus list in ``fmt``; unknown formats or options are refused."""
    name = focus_format(fmt)
    allowed = focus_options(name)
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        valid = ", ".join(allowed) or "none"
        raise InvalidInput(
            f"the {name} format has no option {', '.join(unknown)} (options: {valid})"
        )
    return focus_renderer(name)(focus_list, **options)
