"""tests/cli/test_cli_timeline.py with ``--db postgresql://…``
(tests/postgres/conftest ``db_path``)."""

from tests.cli.test_cli_timeline import *  # noqa: F403
