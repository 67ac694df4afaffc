"""tests/cli/test_cli_search.py with ``--db postgresql://…``
(tests/postgres/conftest ``db_path``)."""

from tests.cli.test_cli_search import *  # noqa: F403
