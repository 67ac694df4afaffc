"""tests/cli/test_cli_move_conflict.py with ``--db postgresql://…``
(tests/postgres/conftest ``db_path``)."""

from tests.cli.test_cli_move_conflict import *  # noqa: F403
