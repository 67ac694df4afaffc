"""The ledger's foreign keys on a team database (tests/unit/test_advocacy_service.py runs
on both engines; this is the PostgreSQL twin of its SQLite-worded refusal test)."""

from datetime import UTC, datetime

import peewee
import pytest

from planner.storage.models import WinRow

AS_OF = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


def test_the_team_database_refuses_ledger_rows_for_nobody(opened):
    with pytest.raises(peewee.IntegrityError, match="foreign key"):
        WinRow.insert(contact=999, text="x", at=AS_OF, created_at=AS_OF,
                      updated_at=AS_OF).execute()
