"""File → Import… of a CSV that is not UTF-8 (issue 19): the dialog names the encoding it
detected, says it was detected, and reads the file again in the one a person chooses."""

from __future__ import annotations

from tests.gui.helpers import open_window
from tests.gui.test_import_gui import (
    JOB_MS,
    click_import,
    preview_texts,
    start_import,
    stored_people,
)

JAPANESE = (
    "First Name,Last Name,E-mail Address,Mobile Phone,Business Fax\r\n"
    "太郎,山田,taro@example.jp,090-1234-5678,03-1234-5678\r\n"
    "花子,鈴木,hanako@example.jp,080-2345-6789,\r\n"
    "健一,佐藤,kenichi@example.jp,070-3456-7890,\r\n"
)


def test_the_detected_encoding_is_shown_and_another_can_be_chosen(qtbot, db_path, tmp_path):
    path = tmp_path / "連絡先.csv"
    path.write_bytes(JAPANESE.encode("shift_jis"))
    window = open_window(qtbot, db_path)
    dialog = start_import(qtbot, window, path)
    assert dialog is not None and not dialog.on_mapping_page()
    assert dialog.encoding_combo.isVisible()
    assert dialog.encoding_combo.currentText() == "Shift_JIS (detected)"
    notes = dialog.file_notes.text()
    assert "detected as Shift_JIS" in notes
    assert 'Not imported: fax numbers (column "Business Fax", filled in 1 row)' in notes
    assert [r[2] for r in preview_texts(dialog)] == ["太郎 山田", "花子 鈴木", "健一 佐藤"]

    with qtbot.waitSignal(window.transfer.job_finished, timeout=JOB_MS):
        dialog.choose_encoding("koi8-r")  # the wrong one: names turn to mojibake, as shown
    assert dialog.encoding_combo.currentText() == "KOI8-R (chosen)"
    assert "太郎 山田" not in [r[2] for r in preview_texts(dialog)]
    assert "detected" not in dialog.file_notes.text()

    with qtbot.waitSignal(window.transfer.job_finished, timeout=JOB_MS):
        dialog.choose_encoding("utf-8")  # cannot be read at all: said in the dialog
    assert "cannot be read as UTF-8" in dialog.error.text()

    with qtbot.waitSignal(window.transfer.job_finished, timeout=JOB_MS):
        dialog.choose_encoding("cp932")
    assert dialog.encoding_combo.currentText() == "Shift_JIS (chosen)"
    assert click_import(qtbot, window, dialog) == "ok"
    assert {"太郎 山田", "花子 鈴木", "健一 佐藤"} <= set(stored_people(db_path))


def test_a_utf8_file_shows_its_encoding_without_a_warning(qtbot, db_path, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text(JAPANESE.replace(",03-1234-5678", ","), encoding="utf-8")
    window = open_window(qtbot, db_path)
    dialog = start_import(qtbot, window, path)
    assert dialog.encoding_combo.currentText() == "UTF-8"
    assert not dialog.file_notes.isVisible()
    # the box beside its label (with no notes it was stretched to the dialog's middle)
    label, box = dialog.encoding_label, dialog.encoding_combo
    assert box.x() - (label.x() + label.sizeHint().width()) <= 24
    assert box.width() <= 2 * box.sizeHint().width()
