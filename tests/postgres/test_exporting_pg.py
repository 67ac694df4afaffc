"""tests/unit/test_exporting.py on PostgreSQL (tests/postgres/conftest ``opened``)."""

from tests.unit.test_exporting import *  # noqa: F403
