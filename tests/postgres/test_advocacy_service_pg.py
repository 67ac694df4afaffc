"""tests/unit/test_advocacy_service.py on PostgreSQL (tests/postgres/conftest ``opened``)."""

from tests.unit.test_advocacy_service import *  # noqa: F403

# These count statements with sqlite3's set_trace_callback (SQLite only).
del test_advocacy_hints_do_not_add_queries_per_person  # noqa: F821
del test_the_dashboard_figures_take_the_same_few_queries_for_10_or_200_people  # noqa: F821
# SQLite's wording; the PostgreSQL twin is below.
del test_the_database_refuses_ledger_rows_for_nobody  # noqa: F821


def test_the_team_database_refuses_ledger_rows_for_nobody():
    import peewee
    import pytest

    with pytest.raises(peewee.IntegrityError, match="foreign key"):
        WinRow.insert(contact=999, text="x", at=AS_OF, created_at=AS_OF,  # noqa: F405
                      updated_at=AS_OF).execute()  # noqa: F405
