"""Labels that say something is wrong (an error) or needs care (a warning), coloured by the
theme's style sheet (resources/styles: QLabel[role="error"], [role="warning"]): a fixed red
such as #c0392b read 2.9:1 on the dark theme's window."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

TONES = ("error", "warning")


def set_tone(label: QLabel, tone: str | None) -> None:
    """Colour ``label`` as an error or a warning (None: as ordinary text)."""
    if tone is not None and tone not in TONES:
        raise ValueError(f"unknown tone {tone!r}")
    if label.property("role") == (tone or ""):
        return
    label.setProperty("role", tone or "")
    label.style().unpolish(label)  # a dynamic property is read again on polish
    label.style().polish(label)


def bold_warning(label: QLabel) -> None:
    """A warning that must not be missed (the ask limit): the warning colour, in bold."""
    set_tone(label, "warning")
    label.setStyleSheet("font-weight: bold;")  # (a font set on it is reset by the sheet's
    # polish; the widget's own sheet adds to the theme's, which gives the colour)
