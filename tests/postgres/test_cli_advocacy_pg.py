"""tests/cli/test_cli_advocacy.py with ``--db postgresql://…``
(tests/postgres/conftest ``db_path``)."""

from tests.cli.test_cli_advocacy import *  # noqa: F403
