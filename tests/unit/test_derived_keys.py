"""An encrypted database's key is derived once per process (storage/sqlite/derived_keys).

SQLCipher's PBKDF2 (256,000 rounds of HMAC-SHA512) ran at every keyed connection: two
to open a file, one more for the keyring's check and for each worker thread. Now the
process derives the raw key once from the file's salt and every connection takes it as
it is; a raw key that does not read the file is never taken for a wrong passphrase.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlcipher3 import dbapi2

from planner.storage.sqlite import derived_keys, encryption
from tests.helpers.encrypted import fill

KEY = "a passphrase of our own, long enough"


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    """Two files encrypted with the same key (so with different salts): 30 and 5 people."""
    made = {}
    for people in (30, 5):
        path = tmp_path_factory.mktemp(f"enc{people}") / "planner.db"
        fill(path, people)
        encryption.encrypt(path, KEY)
        made[people] = path
    return made


@pytest.fixture
def fresh_process_state(monkeypatch):
    """derived_keys as a new process has it: nothing derived, nothing proven."""
    monkeypatch.setattr(derived_keys, "_raw", {})
    monkeypatch.setattr(derived_keys, "_salts", {})
    monkeypatch.setattr(derived_keys, "_proven", False)


@pytest.fixture
def counted(monkeypatch):
    """How often PBKDF2 ran in Python, and how many connections the driver made."""
    counts = {"derived": 0, "connections": 0}
    real_pbkdf2, real_connect = hashlib.pbkdf2_hmac, dbapi2.connect

    def pbkdf2(*args, **kwargs):
        counts["derived"] += 1
        return real_pbkdf2(*args, **kwargs)

    def connect(*args, **kwargs):
        counts["connections"] += 1
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(hashlib, "pbkdf2_hmac", pbkdf2)
    monkeypatch.setattr(dbapi2, "connect", connect)
    return counts


def people_in(path: Path, key: str) -> int:
    """Read with the key text only, the way SQLCipher alone (another process) reads it."""
    conn = dbapi2.connect(str(path))
    try:
        conn.execute("PRAGMA key = " + encryption._quote(key))
        return conn.execute("SELECT count(*) FROM contact").fetchone()[0]
    finally:
        conn.close()


def test_opening_checking_and_a_worker_derive_the_key_once(
        templates, tmp_path, fresh_process_state, counted):
    from planner.storage.database import open_database
    from planner.storage.threads import worker_connection

    path = tmp_path / "planner.db"
    shutil.copy2(templates[30], path)
    assert encryption.check_key(path, KEY)  # the keyring's check, before the window opens
    opened = open_database(str(path), key=KEY)
    try:
        seen: list[int] = []

        def count() -> int:
            return opened.db.execute_sql("SELECT count(*) FROM contact").fetchone()[0]

        def work() -> None:
            with worker_connection():  # (its own connection, closed at the end)
                seen.append(count())

        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
        assert seen == [30]
        assert count() == 30
    finally:
        opened.close()
    # one derivation; four connections (the check, open's look, the window's, the
    # worker's), none of them keyed a second time with the key text
    assert counted == {"derived": 1, "connections": 4}
    assert derived_keys._raw == {}  # forgotten with the closed database


def test_a_wrong_key_is_refused_as_before_and_the_file_is_untouched(
        templates, tmp_path, fresh_process_state):
    from planner.domain.errors import DatabaseProblem
    from planner.storage.database import open_database

    path = tmp_path / "planner.db"
    shutil.copy2(templates[30], path)
    before = path.read_bytes()
    assert encryption.check_key(path, KEY)
    assert not encryption.check_key(path, KEY + " with a typo")
    with pytest.raises(DatabaseProblem, match="does not open"):
        open_database(str(path), key="not the key at all, but long")
    assert path.read_bytes() == before


def test_a_file_overwritten_in_place_while_open_is_read_with_its_key_text(
        templates, tmp_path, fresh_process_state, counted):
    """Another program writes other bytes (another salt, the same key) into the file
    while this process has it open: the remembered salt is stale, the raw key made from
    it reads nothing, and the key text opens what is there now — never "wrong key"."""
    path = tmp_path / "planner.db"
    shutil.copy2(templates[30], path)
    held = encryption.open_verified(path, KEY, readonly=False)  # live: its salt remembered
    try:
        assert held.execute("SELECT count(*) FROM contact").fetchone() == (30,)
        overwrite = ("import sys; data = open(sys.argv[1], 'rb').read(); "
                     "f = open(sys.argv[2], 'r+b'); f.write(data); f.truncate(); f.close()")
        subprocess.run([sys.executable, "-c", overwrite, str(templates[5]), str(path)],
                       check=True)
        again = encryption.open_verified(path, KEY)
        try:
            assert again.execute("SELECT count(*) FROM contact").fetchone() == (5,)
        finally:
            again.close()
    finally:
        held.close()
    assert counted["derived"] == 1  # (the text's derivation is SQLCipher's own)


def test_backups_of_a_database_keyed_raw_open_with_the_passphrase(
        templates, tmp_path, fresh_process_state):
    """The raw key never leaves the connections: a backup (made through the open
    connection and through a file copy) is encrypted with the key text, which alone
    opens it anywhere."""
    from planner.storage.database import open_database

    path = tmp_path / "planner.db"
    shutil.copy2(templates[30], path)
    opened = open_database(str(path), key=KEY)
    try:
        assert opened.backend.key == KEY
        opened.backend.copy_to(tmp_path / "live-copy.db")  # from the open connection
    finally:
        opened.close()
    opened = open_database(str(path), key=KEY)
    try:
        opened.db.close()  # (closed: the copy is made through a connection of its own)
        opened.backend.copy_to(tmp_path / "file-copy.db")
    finally:
        opened.close()
    for copy in ("live-copy.db", "file-copy.db"):
        assert encryption.file_state(tmp_path / copy) == "encrypted"
        assert people_in(tmp_path / copy, KEY) == 30


def test_a_derivation_unlike_the_librarys_costs_time_never_the_file(
        templates, tmp_path, fresh_process_state, monkeypatch):
    """Fault injection: derived with other settings than the library's (a future
    SQLCipher with more rounds, say), no raw key ever reads a file. Every open still
    works through the key text, and a wrong key is still only a wrong key."""
    from planner.storage.database import open_database

    monkeypatch.setattr(derived_keys, "_settings", lambda: ("sha512", 1000, 32))
    path = tmp_path / "planner.db"
    shutil.copy2(templates[30], path)
    for _ in range(2):  # (the second time with the salt read again, fresh)
        assert encryption.check_key(path, KEY)
        assert not encryption.check_key(path, KEY + " with a typo")
    opened = open_database(str(path), key=KEY)
    try:
        assert opened.db.execute_sql("SELECT count(*) FROM contact").fetchone() == (30,)
    finally:
        opened.close()
    assert derived_keys._proven is False
