"""Dates as the window shows them go through one QLocale helper (planner/ui/common/dates.py):
the restore dialog's backup times and the weekly review's lines too."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from planner.domain.focus import local_zone
from planner.ui.common import dates

ZONE = local_zone()


@pytest.fixture
def english(qapp):
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    yield
    QLocale.setDefault(previous)


def test_a_backup_is_described_through_the_locale(english):
    from planner.ui.transfer.restore_dialog import describe_backup

    when, why = describe_backup(Path("planner-20261204-093000-123456-pre-import.db"))
    assert when == "4 Dec 2026 09:30" and why == "before an import"


def test_two_backups_made_in_one_minute_are_told_apart(english, qtbot, tmp_path):
    """A review: the restore list said "7 Dec 2026 14:23 made by you" twice."""
    from planner.ui.transfer.restore_dialog import RestoreDialog

    folder = tmp_path / "backups"
    folder.mkdir()
    names = ["planner-20261207-142305-000001-manual.db", "planner-20261207-142341-000002-manual.db",
             "planner-20261207-150000-000003-daily.db"]
    for name in names:
        (folder / name).write_bytes(b"")
    dialog = RestoreDialog(None, [folder / n for n in names], tmp_path / "planner.db", "")
    qtbot.addWidget(dialog)
    made = [dialog.list.topLevelItem(i).text(0) for i in range(3)]
    assert made == ["7 Dec 2026 15:00", "7 Dec 2026 14:23:41", "7 Dec 2026 14:23:05"]


def test_other_languages_get_their_own_month_names(qapp):
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        assert dates.date_text(date(2026, 3, 5), long=True) == "Donnerstag 5 März 2026"
    finally:
        QLocale.setDefault(previous)


def test_the_weekly_review_line_uses_the_same_days(english):
    from planner.ui.focus.weekly_review import status_line

    class Item:  # the FocusItem fields the line reads
        from planner.domain.cadence import Status
        from planner.domain.rings import Ring

        ring = Ring.MIDDLE
        status = Status.ON_TRACK
        days_overdue = 0
        next_due = datetime(2026, 12, 9, 12, tzinfo=ZONE)  # local noons: the same days in
        last_touch = datetime(2026, 11, 25, 12, tzinfo=ZONE)  # any zone the suite runs in
        last_touch_kind = "coffee"

    line = status_line(Item())
    due, touched = dates.day_text(date(2026, 12, 9)), dates.day_text(date(2026, 11, 25))
    assert due.startswith("Wed 9 Dec") and touched.startswith("Wed 25 Nov")  # (+ a year later)
    assert line == f"Middle ring · due {due} · last touch {touched} (Coffee)"  # as This week
