"""Inline validation shared by the dialogs: one message under the fields, OK disabled."""

from __future__ import annotations

from collections.abc import Callable

from planner.domain.errors import PlannerError


def inline_error(parent):
    """The line under a dialog's fields that says what is wrong: red, and wrapped (a
    long one, e.g. the times a When field reads, was cut at the dialog's edge)."""
    from PySide6.QtWidgets import QLabel

    from planner.ui.common.tone import set_tone

    label = QLabel(parent)
    label.setObjectName("inlineError")
    set_tone(label, "error")  # (the theme's red: readable on light and dark)
    label.setWordWrap(True)
    return label


def check_inline(check: Callable[[], object], error_label, button) -> bool:
    """Run ``check``; show its PlannerError (capitalised) in ``error_label`` and enable
    ``button`` only when it passed."""
    try:
        check()
    except PlannerError as exc:
        message = str(exc)
        error_label.setText(message[:1].upper() + message[1:])
        ok = False
    else:
        error_label.setText("")
        ok = True
    button.setEnabled(ok)
    return ok
