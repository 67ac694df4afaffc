"""The people of the reminder tests, written before the window opens."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from planner.domain.focus import local_zone
from planner.domain.rings import Ring
from planner.services import contacts, touchpoints
from planner.storage.database import open_database
from tests.helpers.stores import bound


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=local_zone())


def write_people(db_path: Path) -> date:
    """Ada overdue 4 days, Grace due today, Linus never contacted, Alan (touched
    yesterday) whose birthday is tomorrow — as of today 09:00 local. Returns today."""
    today = datetime.now(local_zone()).date()
    nine = at(today, 9)
    # Ada's touch is seven days before 09:00 or before now, whichever is earlier:
    # "overdue 4 days" (whole 24 h periods past her due moment) at any hour of the day
    ada_touch = min(nine, datetime.now(local_zone())) - timedelta(days=7)
    handle = open_database(str(db_path))
    try:
        ada = contacts.add_contact(bound(), "Ada", ring=Ring.INNER)
        touchpoints.log_touchpoint(bound(), ada.id, "im", at=ada_touch)
        grace = contacts.add_contact(bound(), "Grace", ring=Ring.MIDDLE)
        touchpoints.log_touchpoint(bound(), grace.id, "im", at=nine - timedelta(days=14, hours=1))
        contacts.add_contact(bound(), "Linus", ring=Ring.MIDDLE)
        tomorrow = today + timedelta(days=1)
        alan = contacts.add_contact(bound(), "Alan", ring=Ring.OUTER,
                                    birthday=f"--{tomorrow.month:02d}-{tomorrow.day:02d}")
        touchpoints.log_touchpoint(bound(), alan.id, "email", at=nine - timedelta(days=1))
    finally:
        handle.close()
    return today
