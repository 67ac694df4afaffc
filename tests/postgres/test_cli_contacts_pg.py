"""tests/cli/test_cli_contacts.py with ``--db postgresql://…``
(tests/postgres/conftest ``db_path``)."""

from tests.cli.test_cli_contacts import *  # noqa: F403
