"""The search tests run on PostgreSQL's full-text search (tests/postgres/conftest ``opened``)."""

from tests.unit.test_search import *  # noqa: F403

# These look inside SQLite's FTS5 tables (touchpoint_fts rows), which a team database
# does not have: its index is a GIN expression index over the tables themselves.
del test_deleting_removes_from_the_index_and_restoring_puts_back  # noqa: F821
del test_touchpoints_without_a_note_are_not_indexed  # noqa: F821
del test_the_index_matches_the_tables  # noqa: F821
# An expected failure of FTS5 (Greek final sigma) that unaccent + lower() get right.
del test_greek_without_accents  # noqa: F821
