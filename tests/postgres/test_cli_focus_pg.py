"""tests/cli/test_cli_focus.py with ``--db postgresql://…``
(tests/postgres/conftest ``db_path``)."""

from tests.cli.test_cli_focus import *  # noqa: F403
