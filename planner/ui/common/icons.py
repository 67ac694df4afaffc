"""QIcons for kinds and actions, loaded once from the resources folder."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from planner.resources import action_icon_path, app_icon_path, kind_icon_path


@cache
def kind_icon(kind: str) -> QIcon:
    return QIcon(str(kind_icon_path(kind)))


@cache
def action_icon(name: str) -> QIcon:
    return QIcon(str(action_icon_path(name)))


@cache
def app_icon() -> QIcon:
    icon = QIcon(str(app_icon_path()))
    for size in (16, 24, 32, 48, 64, 128, 256):
        icon.addFile(str(app_icon_path(size)))
    return icon
