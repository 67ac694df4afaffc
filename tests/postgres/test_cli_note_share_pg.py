"""tests/cli/test_cli_note_share.py with ``--db postgresql://…``
(tests/postgres/conftest ``db_path``)."""

from tests.cli.test_cli_note_share import *  # noqa: F403
