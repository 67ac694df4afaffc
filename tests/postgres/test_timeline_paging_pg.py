"""tests/unit/test_timeline_paging.py on PostgreSQL (tests/postgres/conftest ``opened``)."""

from tests.unit.test_timeline_paging import *  # noqa: F403
