"""A keyring backend for ``planner`` child processes in tests: the secrets live in the JSON
file named by ``PLANNER_TEST_KEYRING`` (in the test's tmp folder), so a test can see what
a real command stored. ``PYTHON_KEYRING_BACKEND=tests.helpers.file_keyring.TestFileKeyring``.
Never the real keychain."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class TestFileKeyring(KeyringBackend):
    priority = 1

    @staticmethod
    def _path() -> Path:
        return Path(os.environ["PLANNER_TEST_KEYRING"])

    def _load(self) -> dict:
        path = self._path()
        return json.loads(path.read_text()) if path.exists() else {}

    def get_password(self, service, username):
        return self._load().get(f"{service}\x00{username}")

    def set_password(self, service, username, password):
        data = self._load()
        data[f"{service}\x00{username}"] = password
        self._path().write_text(json.dumps(data))

    def delete_password(self, service, username):
        data = self._load()
        data.pop(f"{service}\x00{username}", None)
        self._path().write_text(json.dumps(data))
