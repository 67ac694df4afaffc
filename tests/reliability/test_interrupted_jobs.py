"""What an interrupted job leaves behind is finished or cleaned the next time the
database opens (issue 17): plain backups beside an encrypted database, a staged
restore, half-written backups, and a real ``db encrypt`` killed at random moments."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from planner.services import backups
from planner.storage.database import open_database
from planner.storage.sqlite import encryption
from planner.storage.sqlite.backup import backups_folder, list_backups
from tests.helpers.cli import invoke, ok
from tests.helpers.encrypted import SECRET, fill
from tests.helpers.stores import bound

PASS = "violet tugboat minnow lantern"


def _make_backups(db, count=3):
    opened = open_database(str(db))
    try:
        for i in range(count):
            backups.backup_now(bound(), reason=f"test{i}")
    finally:
        opened.close()


def test_backups_left_plain_by_an_interrupted_encryption_are_encrypted_at_open(db_path):
    fill(db_path, people=5)
    _make_backups(db_path)
    key = encryption.generate_key()
    encryption.encrypt(db_path, key)  # the database only: killed before the backups
    assert {encryption.file_state(b) for b in list_backups(db_path)} == {"plain"}
    open_database(str(db_path), key=key, use_keyring=False).close()
    states = {encryption.file_state(b) for b in list_backups(db_path)}
    assert states == {"encrypted"}
    for backup in list_backups(db_path):
        assert SECRET.encode() not in backup.read_bytes()
        assert encryption.check_key(backup, key)


def test_a_staged_restore_and_half_written_backups_are_removed_at_open(db_path):
    fill(db_path, people=2)
    _make_backups(db_path, 1)
    folder = backups_folder(db_path)
    leftovers = [db_path.with_name(db_path.name + ".restoring"),
                 db_path.with_name(db_path.name + ".restoring-journal"),
                 folder / "planner-20260101-000000-000000-pre-import.db.partial",
                 folder / "planner-20260101-000000-000000-pre-restore.db.partial-journal"]
    hours_ago = time.time() - 2 * 3600
    for leftover in leftovers:
        leftover.write_bytes(b"SQLite format 3\x00" + SECRET.encode())
        os.utime(leftover, (hours_ago, hours_ago))
    in_the_works = folder / "planner-20261204-000000-000000-daily.db.partial"
    in_the_works.write_bytes(b"another process is writing this backup right now")
    open_database(str(db_path)).close()
    assert not any(leftover.exists() for leftover in leftovers)
    assert in_the_works.exists()  # fresh: maybe another process's backup in progress
    assert len(list_backups(db_path)) == 1  # real backups are kept


def test_nothing_is_cleaned_while_another_program_holds_the_database(db_path):
    import sqlite3

    fill(db_path, people=1)
    staged = db_path.with_name(db_path.name + ".restoring")
    staged.write_bytes(b"x")
    os.utime(staged, (time.time() - 7200, time.time() - 7200))
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")  # a restore or conversion at work in another program
    try:
        from planner.storage.sqlite import leftovers

        assert leftovers.clean(db_path) == []
        assert staged.exists()
    finally:
        holder.execute("COMMIT")
        holder.close()


ENCRYPT = ["--passphrase-stdin", "db", "encrypt", "--own-passphrase"]


@pytest.mark.slow
def test_db_encrypt_killed_at_random_moments_never_loses_data_or_leaves_plaintext(
        db_path, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    fill(db_path, people=40)
    _make_backups(db_path, 4)
    rng = random.Random(17)
    cmd = [sys.executable, "-m", "planner", "--db", str(db_path), *ENCRYPT]
    for _ in range(4):
        if encryption.file_state(db_path) == "encrypted":
            break
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env={**os.environ})
        proc.stdin.write(f"{PASS}\n{PASS}\n".encode())
        proc.stdin.close()
        time.sleep(rng.uniform(0.5, 4.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
    if encryption.file_state(db_path) == "plain":  # every kill came before the swap
        people = json.loads(ok(invoke("contacts", "list", "--json", db=db_path)))
        assert len(people) == 40
        ok(invoke(*ENCRYPT, db=db_path, input=f"{PASS}\n{PASS}\n"))
    pre, stdin = ["--passphrase-stdin"], f"{PASS}\n"
    people = json.loads(ok(invoke(*pre, "contacts", "list", "--json", db=db_path,
                                   input=stdin)))
    assert len(people) == 40  # nothing lost, whatever moment the kill came
    leftovers = [p for p in db_path.parent.iterdir()
                 if p.name.endswith((".converting", ".replaced", ".partial"))]
    assert leftovers == []
    # encrypted: every backup is too, once the database has been opened
    assert {encryption.file_state(b) for b in list_backups(db_path)} == {"encrypted"}
