"""Alt letters (access keys) for a menu's items that have none."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

#: words a menu item's letter is not taken from while another word has a free one
_LEADING = {"log", "a", "an", "the"}


def _marked(text: str) -> str | None:
    """The letter ``text`` already marks with "&" (None: none; "&&" is an ampersand)."""
    at = text.replace("&&", "\0\0").find("&")
    return text[at + 1].lower() if 0 <= at < len(text) - 1 else None


def _choose(text: str, taken: set[str]) -> int | None:
    """Where the new mark goes: the first free letter starting a word (not "Log", "a"…),
    else any free letter of those words, else of the rest; None if all are taken."""
    words, at = [], 0
    for word in text.split(" "):
        words.append((at, word))
        at += len(word) + 1
    main = [(i, w) for i, w in words if w.rstrip("…").lower() not in _LEADING]
    rest = [(i, w) for i, w in words if (i, w) not in main]
    starts = [i for i, w in main if w[:1].isalnum()]
    inside = [i + k for i, w in main + rest for k, c in enumerate(w) if c.isalnum()]
    return next((i for i in starts + inside if text[i].lower() not in taken), None)


def _items(menu: QMenu) -> list[QAction]:
    """The menu's items and its submenus' (one set of letters: the canvas's right-click
    menu shows them all in one list)."""
    found = []
    for action in menu.actions():
        if action.isSeparator() or not action.text():
            continue
        found.append(action)
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            found.extend(_items(submenu))
    return found


def fill_access_keys(menu: QMenu) -> None:
    """Give each item of ``menu`` (and of its submenus) without an Alt letter one no other
    item uses: "Log &Coffee…", "Log C&all…". The Log menu's kinds had none, so after Alt+L
    no letter picked one. Items that have a letter keep it."""
    actions = _items(menu)
    taken = {key for a in actions if (key := _marked(a.text())) is not None}
    for action in actions:
        text = action.text()
        if _marked(text) is not None:
            continue
        at = _choose(text, taken)
        if at is not None:
            action.setText(f"{text[:at]}&{text[at:]}")
            taken.add(text[at].lower())


def keep_access_keys(menu: QMenu) -> None:
    """Fill ``menu``'s access keys now and each time it is about to open (items added
    later, such as the capture items of the Log menu, get theirs then)."""
    fill_access_keys(menu)
    menu.aboutToShow.connect(lambda: fill_access_keys(menu))
