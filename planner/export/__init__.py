"""Export formats. Pure functions from domain objects to text; callers do the I/O.

The weekly focus list has five formats, each a module with
``render(focus_list, **options) -> str``; :func:`render_focus` picks one by
name and turns a typo in a format or option name into a one-line
:class:`InvalidInput` the CLI and GUI can show.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from planner.domain.errors import InvalidInput
from planner.domain.focus import FocusList
from planner.export import focus_csv, focus_html, focus_ics, focus_json, focus_md

FocusRenderer = Callable[..., str]

#: Format name → renderer. Markdown is the default.
FOCUS_FORMATS: dict[str, FocusRenderer] = {
    "md": focus_md.render,
    "csv": focus_csv.render,
    "html": focus_html.render,
    "ics": focus_ics.render,
    "json": focus_json.render,
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


def focus_options(fmt: str) -> tuple[str, ...]:
    """The option names a format's renderer accepts."""
    params = inspect.signature(FOCUS_FORMATS[focus_format(fmt)]).parameters.values()
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
    return FOCUS_FORMATS[name](focus_list, **options)
