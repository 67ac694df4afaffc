"""The focus-list service tests run on PostgreSQL (tests/postgres/conftest ``opened``)."""

from tests.unit.test_focus_service import *  # noqa: F403

# These count statements with sqlite3's set_trace_callback (SQLite only).
del test_the_focus_list_takes_the_same_few_queries_for_10_or_200_people  # noqa: F821
del test_query_count_does_not_grow_with_people  # noqa: F821
