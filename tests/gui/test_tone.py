"""What a dialog says is wrong is readable in both themes: a fixed red (#c0392b, #b00020)
read 2.9:1 and 2.3:1 on the dark theme's window (planner/ui/common/tone.py)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from planner.ui.common import theme
from planner.ui.common.tone import bold_warning, set_tone
from planner.ui.timeline.log_dialog import LogDialog
from tests.helpers.contrast import contrast


def ink(label: QLabel) -> tuple[QColor, QColor]:
    """(the text's colour as drawn: the pixel farthest from the ground, the ground: the
    window's colour)."""
    image = label.grab().toImage()
    ground = label.window().palette().color(QPalette.ColorRole.Window)
    seen = {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}
    return max((QColor(rgb) for rgb in seen), key=lambda c: contrast(c, ground)), ground


@pytest.fixture(params=["dark", "light"])
def scheme(request, qapp):
    theme.apply_theme(request.param, qapp)
    yield request.param
    theme.apply_theme("light", qapp)


def test_a_dialogs_error_is_readable(qtbot, scheme):
    dialog = LogDialog(None, "Ada Lovelace", "coffee")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.when.selectAll()
    QTest.keyClicks(dialog.when, "the day after someday")
    qtbot.waitUntil(lambda: dialog.error.text() != "")
    text, ground = ink(dialog.error)
    assert text.red() > text.green() + 40  # still red
    assert contrast(text, ground) >= 4.5, (scheme, text.name(), ground.name())


def test_warnings_are_readable_and_a_tone_can_be_taken_back(qtbot, scheme):
    label = QLabel("You asked three times this quarter: give, don't ask.")
    qtbot.addWidget(label)
    label.setAutoFillBackground(True)
    bold_warning(label)
    label.show()
    qtbot.waitExposed(label)
    text, ground = ink(label)
    assert contrast(text, ground) >= 4.5, (scheme, text.name(), ground.name())
    assert label.font().bold()
    set_tone(label, None)  # back to ordinary text: the palette's
    QApplication.processEvents()
    assert label.palette().color(QPalette.ColorRole.WindowText) == (
        QApplication.palette().color(QPalette.ColorRole.WindowText))
    with pytest.raises(ValueError):
        set_tone(label, "loud")
