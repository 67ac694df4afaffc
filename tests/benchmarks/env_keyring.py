"""A keyring backend for benchmark child processes: the key comes from the environment.

``PYTHON_KEYRING_BACKEND=tests.benchmarks.env_keyring.EnvKeyring`` with
``BENCH_DATABASE_KEY`` set: every account gets that key. Never the real keychain.
"""

from __future__ import annotations

import os

from keyring.backend import KeyringBackend


class EnvKeyring(KeyringBackend):
    priority = 1

    def get_password(self, service, username):
        if username.endswith("#pending"):
            return None
        return os.environ.get("BENCH_DATABASE_KEY")

    def set_password(self, service, username, password):
        pass

    def delete_password(self, service, username):
        pass
