"""Keyring backends for tests: none, locked, forgetful. Never the real keychain.

Import the fixtures into a test module (``from tests.helpers.keyrings import …``);
``memory_keyring`` (a working in-memory store) is in ``tests/conftest.py``.
"""

from __future__ import annotations

import pytest


def _install(backend):
    import keyring

    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    return previous


@pytest.fixture
def fresh_notice():
    """The one-time secret-store notice not yet given, and recorded in a list."""
    from planner.storage import secrets

    said: list[str] = []
    secrets.reset_notice()
    previous = secrets.set_notice_handler(said.append)
    yield said
    secrets.set_notice_handler(previous)
    secrets.reset_notice()


@pytest.fixture
def no_keyring(fresh_notice):
    """Headless Linux: keyring's fail backend raises NoKeyringError on every call."""
    import keyring
    from keyring.backends import fail

    previous = _install(fail.Keyring())
    yield fresh_notice
    keyring.set_keyring(previous)


@pytest.fixture
def locked_keyring(fresh_notice):
    """A keychain that refuses (locked, or the user said no to its prompt)."""
    import keyring
    from keyring.backend import KeyringBackend
    from keyring.errors import KeyringLocked

    class Locked(KeyringBackend):
        priority = 1

        def get_password(self, *args):
            raise KeyringLocked("the collection is locked")

        set_password = delete_password = get_password

    previous = _install(Locked())
    yield fresh_notice
    keyring.set_keyring(previous)
