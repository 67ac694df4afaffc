"""Where the app's resources (icons, style sheets, desktop files) live.

One lookup for both ways the app runs:

- from a source checkout: ``<repo>/resources`` (next to the ``planner`` package);
- frozen by PyInstaller: ``<sys._MEIPASS>/resources`` -- bundle the folder with
  ``datas=[("resources", "resources")]``.

Pure pathlib on purpose: no Qt import here, so the command line (``--self-test``)
can check the resources without a display. Qt helpers (a cached ``QIcon`` per
path) belong in ``planner.ui.common.icons``.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path, PurePosixPath

from planner.domain.errors import InvalidInput
from planner.domain.kinds import Kind, parse_kind

#: Desktop file id, icon name and AppStream id (also the Wayland app_id:
#: ``QGuiApplication.setDesktopFileName(DESKTOP_ID)``).
DESKTOP_ID = "io.github.mentorship_planner"
#: ``StartupWMClass`` in the desktop file. On X11 Qt takes the WM_CLASS class from
#: ``QCoreApplication.applicationName()``, so the app must set that name to this.
WM_CLASS = "mentorship-planner"

THEMES = ("light", "dark")

#: One badge per touchpoint kind ...
KIND_ICON_NAMES: tuple[str, ...] = tuple(kind.value for kind in Kind)
#: ... and one per other timeline event.
EVENT_ICON_NAMES = ("note", "move", "created", "win", "ask", "give")
FALLBACK_KIND_ICON = "other"

ACTION_ICON_NAMES = (
    "undo",
    "redo",
    "add-person",
    "promote",
    "demote",
    "unplace",
    "search",
    "export",
    "import",
    "settings",
    "this-week",
    "dashboard",
    "rings",
)

#: Rendered sizes of the app icon (resources/tools/render_icons.py).
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def resources_root() -> Path:
    """The ``resources`` folder for this run (bundle when frozen, else the checkout)."""
    meipass = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and meipass:
        return Path(meipass) / "resources"
    return _checkout_resources()


@cache
def _checkout_resources() -> Path:
    """Found once: resolving the links of the path took 0.1 ms for each of the icons the
    window loads at start (issue 23)."""
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """The path of a resource, e.g. ``resource_path("icons", "app.svg")``.

    Parts may also contain ``/`` (``resource_path("styles/dark.qss")``). Raises
    ``FileNotFoundError`` naming the resource and where it was looked for, and
    ``ValueError`` for a part that would leave the resources folder.
    """
    rel = PurePosixPath(*(str(part).replace("\\", "/") for part in parts))
    if rel.is_absolute() or ".." in rel.parts or any(":" in part for part in rel.parts):
        raise ValueError(f"resource name must be relative and stay inside resources/: {rel}")
    root = resources_root()
    path = root.joinpath(*rel.parts)
    if not path.exists():
        where = "the application bundle" if getattr(sys, "frozen", False) else "the checkout"
        raise FileNotFoundError(
            f"missing resource {str(rel)!r}: expected {path} in {where}"
            " (are the resources installed or bundled?)"
        )
    return path


def _icon_name(kind: str) -> str:
    word = str(kind).strip().lower().replace("_", "-").replace(" ", "-")
    if word in KIND_ICON_NAMES or word in EVENT_ICON_NAMES:
        return word
    try:
        return parse_kind(word).value  # aliases: "zoom" -> video, "beer" -> meal ...
    except InvalidInput:
        return FALLBACK_KIND_ICON


def kind_icon_path(kind: str) -> Path:
    """The badge for a touchpoint kind or timeline event (``Kind`` or its name).

    Aliases the command line accepts work too; anything unknown gets ``other.svg``.
    """
    name = _icon_name(kind)
    try:
        return resource_path("icons", "kinds", f"{name}.svg")
    except FileNotFoundError:
        if name == FALLBACK_KIND_ICON:
            raise
        return resource_path("icons", "kinds", f"{FALLBACK_KIND_ICON}.svg")


def action_icon_path(name: str) -> Path:
    """A toolbar/menu icon from ``icons/actions`` (``"undo"``, ``"search"`` ...)."""
    return resource_path("icons", "actions", f"{name}.svg")


def app_icon_path(size: int | None = None) -> Path:
    """The app icon: the SVG for ``None``, else the PNG for ``size`` pixels.

    A size that was not rendered gets the next larger PNG (or the largest), so
    scaling only ever goes down.
    """
    if size is None:
        return resource_path("icons", "app.svg")
    if size <= 0:
        raise ValueError(f"icon size must be positive, not {size}")
    best = next((s for s in APP_ICON_SIZES if s >= size), APP_ICON_SIZES[-1])
    return resource_path("icons", "png", f"app-{best}.png")


def style_sheet(theme: str) -> str:
    """The Qt style sheet text for ``"light"`` or ``"dark"``."""
    name = str(theme).strip().lower()
    if name not in THEMES:
        raise ValueError(f"unknown theme {theme!r}: use one of {', '.join(THEMES)}")
    text = resource_path("styles", f"{name}.qss").read_text(encoding="utf-8")
    # images in a sheet are found through the resources folder, in a bundle too
    return text.replace("@RESOURCES@", resources_root().as_posix())


def expected_resources() -> list[str]:
    """Every resource the app relies on, as paths relative to the resources folder."""
    names = ["icons/app.svg", "icons/app-small.svg", "icons/app.ico", "icons/app.icns"]
    names += [f"icons/png/app-{size}.png" for size in APP_ICON_SIZES]
    names += [f"icons/kinds/{name}.svg" for name in (*KIND_ICON_NAMES, *EVENT_ICON_NAMES)]
    names += [f"icons/actions/{name}.svg" for name in ACTION_ICON_NAMES]
    names += [f"styles/{theme}.qss" for theme in THEMES]
    names += [f"icons/ui/{name}-light.svg"
              for name in ("check", "dot", "dash", "arrow-up", "arrow-down")]
    names += [f"desktop/{DESKTOP_ID}.desktop", f"desktop/{DESKTOP_ID}.metainfo.xml"]
    return names


def missing_resources() -> list[str]:
    """The expected resources that are absent or empty (an empty list means all good)."""
    root = resources_root()
    missing = []
    for name in expected_resources():
        path = root / name
        if not path.is_file():
            missing.append(name)
        elif path.stat().st_size == 0:
            missing.append(f"{name} (empty)")
    return missing
