"""Encryption at rest: keys, encrypt / decrypt / change-key, opening, backups, crashes."""

from __future__ import annotations

import base64
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from planner.domain.errors import DatabaseProblem, InvalidInput
from planner.services import security
from planner.storage import secrets
from planner.storage.database import open_database
from planner.storage.sqlite import encryption
from tests.helpers.encrypted import (
    SECRET,
    assert_encrypted_on_disk,
    fill,
    plain_sqlite_cannot_read,
    read_all,
    sha,
)
from tests.helpers.stores import bound

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def plain_db(db_path):
    counts = fill(db_path)
    return db_path, counts


@pytest.fixture(scope="module")
def encrypted_template(tmp_path_factory):
    """One database filled and encrypted through the app for the module (the key
    derivation and the export take seconds); each test gets its own copy of the file."""
    path = tmp_path_factory.mktemp("encrypted") / "planner.db"
    counts = fill(path)
    key = encryption.generate_key()
    encryption.encrypt(path, key)
    return path, key, counts


@pytest.fixture
def encrypted_db(encrypted_template, db_path):
    template, key, counts = encrypted_template
    shutil.copy2(template, db_path)  # a closed file: no connection holds either
    return db_path, key, dict(counts)


def files_beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


# ------------------------------------------------------------------------ keys


def test_a_generated_key_is_the_base64_text_of_32_random_bytes():
    keys = {encryption.generate_key() for _ in range(50)}
    assert len(keys) == 50
    for key in keys:
        assert len(base64.b64decode(key, validate=True)) == 32


def test_the_recovery_passphrase_is_the_key_written_for_people():
    key = encryption.generate_key()
    recovery = encryption.recovery_passphrase(key)
    groups = recovery.split("-")
    assert len(groups) == 14 and all(len(g) == 4 for g in groups)
    assert encryption.key_from_recovery(recovery) == key
    # case, spaces, dashes and look-alike digits do not matter
    sloppy = recovery.lower().replace("-", " ").replace("o", "0").replace("i", "1")
    assert encryption.key_from_recovery(sloppy) == key
    assert encryption.keys_for_passphrase(f"  {sloppy}\n") == [key]


def test_a_typo_in_the_recovery_passphrase_is_caught_by_its_checksum():
    recovery = encryption.recovery_passphrase(encryption.generate_key())
    i = 7 if recovery[7] != "A" else 8
    typo = recovery[:i] + ("A" if recovery[i] != "A" else "B") + recovery[i + 1 :]
    assert encryption.key_from_recovery(typo) is None
    assert encryption.looks_like_recovery(typo)
    assert encryption.keys_for_passphrase(typo) == [typo.strip()]


def test_own_passphrases_and_the_key_text_itself_are_used_as_typed():
    assert encryption.keys_for_passphrase("correct horse battery") == ["correct horse battery"]
    key = encryption.generate_key()
    assert encryption.keys_for_passphrase(key) == [key]
    with pytest.raises(ValueError):
        encryption.recovery_passphrase("correct horse battery")


@pytest.mark.parametrize("empty", ["", "   ", "\n", None])
def test_an_empty_passphrase_is_refused_everywhere(empty, plain_db):
    path, _ = plain_db
    before = sha(path)
    with pytest.raises(InvalidInput, match="empty passphrase"):
        encryption.keys_for_passphrase(empty)
    with pytest.raises(InvalidInput, match="empty passphrase"):
        encryption.check_new_passphrase(empty)
    with pytest.raises(InvalidInput, match="empty passphrase"):
        encryption.encrypt(path, empty)
    if empty is not None:  # new_key(own=None) means "make a random key"
        with pytest.raises(InvalidInput, match="empty passphrase"):
            security.new_key(own=empty)
    assert sha(path) == before
    assert encryption.file_state(path) == "plain"
    assert not encryption.check_key(path, empty or "")


def test_an_own_passphrase_must_not_be_too_short():
    with pytest.raises(InvalidInput, match="at least 8"):
        security.new_key(own="abc")
    assert security.new_key(own=" long enough ").key == "long enough"


# ------------------------------------------------------------ looking at files


def test_plain_or_encrypted_is_decided_by_looking_at_the_file(tmp_path, encrypted_db):
    path, _, _ = encrypted_db
    assert encryption.file_state(path) == "encrypted"
    assert encryption.file_state(tmp_path / "nope.db") == "missing"
    (tmp_path / "empty.db").touch()
    assert encryption.file_state(tmp_path / "empty.db") == "empty"
    (tmp_path / "notes.txt").write_text("x" * 4096)
    assert encryption.file_state(tmp_path / "notes.txt") == "foreign"  # text is no SQLCipher
    (tmp_path / "odd.bin").write_bytes(os.urandom(1000))
    assert encryption.file_state(tmp_path / "odd.bin") == "foreign"  # not whole pages
    assert encryption.file_state(tmp_path) == "folder"


def test_telling_what_an_encrypted_file_is_derives_its_key_once(encrypted_db, monkeypatch):
    """Every keyed connection runs SQLCipher's PBKDF2 (0.1–0.2 s): the check that a backup
    is sound opened the copy twice, once to try the key and once to read it."""
    from sqlcipher3 import dbapi2

    from planner.storage import dump

    path, key, _ = encrypted_db
    opened: list[str] = []
    real_connect = dbapi2.connect

    def counting(*args, **kwargs):  # the driver's own connect, counted
        opened.append(str(args[0]))
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(dbapi2, "connect", counting)
    found = dump.classify_file(path, key)
    assert (found.kind, found.encrypted) == ("planner", True)
    assert len(opened) == 1
    wrong = dump.classify_file(path, encryption.generate_key())
    assert wrong.kind == "foreign" and "the database's key does not open it" in wrong.message
    assert len(opened) == 2


# -------------------------------------------------------------------- encrypt


def test_encrypt_then_reopen_gives_the_same_data(plain_db):
    path, counts = plain_db
    before = read_all(path)
    key = encryption.generate_key()
    done = encryption.encrypt(path, key)
    assert done.encrypted and done.rows >= sum(counts.values())
    assert_encrypted_on_disk(path)
    assert read_all(path, key=key) == before
    assert read_all(path, passphrase=encryption.recovery_passphrase(key)) == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert files_beside(path) == ["planner.db"]  # no copy, no plaintext, no sidecars


def test_the_encrypted_database_is_used_exactly_as_before(encrypted_db):
    from planner.services import contacts

    path, key, _ = encrypted_db
    handle = open_database(str(path), key=key)
    try:
        assert handle.encrypted
        contacts.add_contact(bound(), "Newcomer", notes=SECRET)
        assert handle.db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        handle.close()
    _, names, hits = read_all(path, key=key)
    assert "Newcomer" in names and hits > 30
    assert_encrypted_on_disk(path)
    for sidecar in encryption.sidecars(path):
        if sidecar.exists():
            assert SECRET.encode() not in sidecar.read_bytes()


def test_the_encrypted_file_opens_with_plain_sqlcipher_and_the_key_text(encrypted_db):
    """Recovery on another machine needs nothing of this app: the key text is the passphrase."""
    from sqlcipher3 import dbapi2

    path, key, counts = encrypted_db
    conn = dbapi2.connect(str(path))
    conn.execute(f"PRAGMA key = '{key}'")
    assert conn.execute("SELECT count(*) FROM contact").fetchone()[0] == counts["contacts"]
    conn.close()


def test_encrypting_twice_is_refused(encrypted_db):
    path, key, _ = encrypted_db
    with pytest.raises(InvalidInput, match="already encrypted"):
        encryption.encrypt(path, key)


HOLDER = textwrap.dedent("""
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1])
    conn.execute("SELECT count(*) FROM contact").fetchone()
    print("ready", flush=True)
    sys.stdin.readline()
    conn.execute("INSERT INTO planner_meta (key, value) VALUES ('late', 'write')")
    conn.commit()
    print(conn.execute("SELECT count(*) FROM contact").fetchone()[0], flush=True)
""")


def test_encrypt_refuses_while_another_program_has_the_database_open(plain_db):
    path, counts = plain_db
    before = read_all(path)
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        try:
            assert holder.stdout.readline().strip() == "ready"
            with pytest.raises(DatabaseProblem, match="in use"):
                encryption.encrypt(path, encryption.generate_key())
            assert encryption.file_state(path) == "plain"
            assert files_beside(path)[0] == "planner.db"
            assert not path.with_name(path.name + ".converting").exists()
            holder.stdin.write("\n")
            holder.stdin.flush()
            assert holder.stdout.readline().strip() == str(counts["contacts"])  # still works
        finally:
            holder.kill()
    assert read_all(path) == before


def test_the_security_service_refuses_while_this_thread_has_it_open(plain_db):
    path, _ = plain_db
    handle = open_database(str(path))
    try:
        with pytest.raises(DatabaseProblem, match="close"):
            security.encrypt_database(path, security.new_key())
    finally:
        handle.close()
    assert encryption.file_state(path) == "plain"


def test_a_copy_that_does_not_verify_changes_nothing(plain_db, monkeypatch):
    path, _ = plain_db
    before = read_all(path)
    real = encryption.export_copy

    def lossy(source, dest, key, schema="main"):
        real(source, dest, key, schema)
        conn = encryption.connect(dest, key)
        conn.execute("DELETE FROM note WHERE id = 1")
        conn.close()

    monkeypatch.setattr(encryption, "export_copy", lossy)
    with pytest.raises(DatabaseProblem, match=r"does not hold the same data \(tables note"):
        encryption.encrypt(path, encryption.generate_key())
    assert encryption.file_state(path) == "plain"
    assert files_beside(path) == ["planner.db"]
    assert read_all(path) == before


# --------------------------------------------------------- wrong key, untouched


def test_a_wrong_key_is_refused_and_the_file_is_untouched(encrypted_db):
    path, _, _ = encrypted_db
    before, listing = sha(path), files_beside(path)
    for kwargs in (
        {"key": "not the key"},
        {"passphrase": "not the passphrase"},
        {"passphrase": encryption.recovery_passphrase(encryption.generate_key())},
    ):
        with pytest.raises(DatabaseProblem, match="does not open") as err:
            open_database(str(path), **kwargs)
        assert "untouched" in str(err.value) and "\n" not in str(err.value)
        assert sha(path) == before and files_beside(path) == listing
    with pytest.raises(InvalidInput, match="empty passphrase"):
        open_database(str(path), passphrase="")
    assert sha(path) == before


def test_a_recovery_passphrase_with_a_typo_says_so(encrypted_db):
    path, key, _ = encrypted_db
    recovery = encryption.recovery_passphrase(key)
    typo = recovery[:-1] + ("A" if recovery[-1] != "A" else "B")
    with pytest.raises(DatabaseProblem, match="typo"):
        open_database(str(path), passphrase=typo)


def test_without_a_key_the_encrypted_file_is_refused_untouched(encrypted_db, no_keyring):
    path, _, _ = encrypted_db
    before = sha(path)
    with pytest.raises(DatabaseProblem) as err:
        open_database(str(path))
    message = str(err.value)
    assert "not in this machine's keyring" in message and "untouched" in message
    assert "no keyring service" in message and "--passphrase-stdin" in message
    assert sha(path) == before and files_beside(path) == ["planner.db"]
    assert len(no_keyring) == 1  # the notice, once


def test_the_ask_callback_is_asked_until_right(encrypted_db, no_keyring):
    path, key, _ = encrypted_db
    answers = iter(["", "wrong passphrase", encryption.recovery_passphrase(key)])
    asked = []

    def ask(request):
        asked.append((request.attempt, request.error, request.store_reason))
        return next(answers)

    handle = open_database(str(path), ask_passphrase=ask)
    handle.close()
    assert [a[0] for a in asked] == [1, 2, 3]
    assert asked[0][1] is None
    assert "empty passphrase" in asked[1][1]
    assert "does not open" in asked[2][1]
    assert asked[0][2] == "no keyring service is running"
    with pytest.raises(DatabaseProblem, match="no passphrase was given"):
        open_database(str(path), ask_passphrase=lambda request: None)


def test_the_key_in_the_keyring_opens_it_without_asking(encrypted_db, memory_keyring):
    path, key, counts = encrypted_db
    secrets.remember_database_key(path, key)
    assert read_all(path, ask_passphrase=lambda r: pytest.fail("asked"))[0] == counts


def test_a_pending_key_left_by_a_crash_opens_it_and_becomes_current(encrypted_db, memory_keyring):
    path, key, counts = encrypted_db
    secrets.remember_database_key(path, "the old key")
    secrets.stage_database_key(path, key)
    assert read_all(path)[0] == counts
    assert secrets.database_keys(path) == [key]


# ------------------------------------------------------------- change-key, decrypt


def test_change_key_works_and_the_old_key_stops_working(encrypted_db):
    path, old, _ = encrypted_db
    before = read_all(path, key=old)
    new = encryption.generate_key()
    encryption.change_key(path, old, new)
    assert read_all(path, key=new) == before
    with pytest.raises(DatabaseProblem, match="does not open"):
        open_database(str(path), key=old)
    with pytest.raises(DatabaseProblem, match="does not open"):
        open_database(str(path), passphrase=encryption.recovery_passphrase(old))
    assert_encrypted_on_disk(path)


def test_decrypt_restores_a_plain_sqlite_file(encrypted_db):
    import sqlite3

    path, key, counts = encrypted_db
    before = read_all(path, key=key)
    encryption.decrypt(path, key)
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM contact").fetchone()[0] == counts["contacts"]
    conn.close()
    assert read_all(path) == before
    assert files_beside(path) == ["planner.db"]


def test_decrypt_with_a_wrong_key_changes_nothing(encrypted_db):
    path, _, _ = encrypted_db
    before = sha(path)
    with pytest.raises(DatabaseProblem, match="does not open"):
        encryption.decrypt(path, "wrong")
    assert sha(path) == before and files_beside(path) == ["planner.db"]


# ------------------------------------------------------------------- backups


def test_backups_of_an_encrypted_database_are_encrypted(encrypted_db):
    from planner.services import backups

    path, key, counts = encrypted_db
    handle = open_database(str(path), key=key)
    try:
        made = [backups.backup_now(bound()), backups.backup_now(bound(), path.parent / "copy.db")]
        handle.db.execute_sql("BEGIN")  # in a transaction: copied through a new connection
        made.append(backups.backup_now(bound(), reason="pre-import"))
        handle.db.execute_sql("ROLLBACK")
    finally:
        handle.close()
    for copy in made:
        assert_encrypted_on_disk(copy)
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        assert read_all(copy, key=key)[0] == counts
        with pytest.raises(DatabaseProblem):
            open_database(str(copy), key="wrong", migrate=False)


def test_restore_keeps_an_encrypted_database_encrypted(encrypted_db, tmp_path):
    from planner.services import backups, contacts

    path, key, counts = encrypted_db
    handle = open_database(str(path), key=key)
    saved = backups.backup_now(bound())
    contacts.add_contact(bound(), "Added after the backup")
    result = backups.restore(bound(), saved)  # the key comes from the open database
    assert result.previous is not None
    assert_encrypted_on_disk(path)
    assert_encrypted_on_disk(result.previous)
    assert read_all(path, key=key)[0] == counts
    handle.close()
    # a plain backup restored into an encrypted database is encrypted on the way in
    plain = tmp_path / "plain-copy.db"
    fill(plain, people=2)
    backups.restore(bound(), plain, path, key=key)
    assert_encrypted_on_disk(path)
    assert read_all(path, key=key)[1] == ["Person 0", "Person 1"]


def test_restoring_an_encrypted_database_without_its_key_is_refused(encrypted_db, no_keyring):
    from planner.services import backups

    path, key, _ = encrypted_db
    copy = path.parent / "elsewhere.db"
    encryption.copy_file(path, key, copy, key)
    before = sha(path)
    with pytest.raises(DatabaseProblem, match="encrypted and its key"):
        backups.restore(bound(), copy, path)
    assert sha(path) == before


def test_security_service_converts_the_automatic_backups_too(plain_db, memory_keyring):
    from planner.services import backups

    path, counts = plain_db
    handle = open_database(str(path))
    old_backup = backups.backup_now(bound())
    handle.close()
    assert old_backup.read_bytes().startswith(b"SQLite format 3")
    new = security.new_key()
    change = security.encrypt_database(path, new)
    assert change.remembered and change.backups_converted == 1
    assert_encrypted_on_disk(old_backup)
    assert secrets.database_keys(path) == [new.key]
    status = security.security_status(path)
    assert status.encrypted and status.key_location == "keyring"
    assert (status.backups_plain, status.backups_encrypted) == (0, 1)

    newer = security.new_key()
    security.change_database_key(path, new.key, newer)
    assert secrets.database_keys(path) == [newer.key]
    assert not encryption.check_key(old_backup, new.key)
    assert read_all(old_backup, key=newer.key)[0] == counts

    security.decrypt_database(path, newer.key)
    assert secrets.database_keys(path) == []
    assert old_backup.read_bytes().startswith(b"SQLite format 3")
    assert security.security_status(path).key_location == ""


def test_without_a_keyring_encrypting_still_works_and_says_so(plain_db, no_keyring):
    path, counts = plain_db
    new = security.new_key()
    change = security.encrypt_database(path, new)
    assert not change.remembered
    assert "cannot be remembered" in change.store_problem
    assert len(no_keyring) == 1
    assert read_all(path, passphrase=new.recovery)[0] == counts
    status = security.security_status(path)
    assert status.key_location == "no-store"
    assert "passphrase is asked for" in status.key_text()
    assert len(no_keyring) == 1  # still once


# ------------------------------------------------------------ interrupted runs


def test_a_failing_swap_loses_nothing(plain_db, monkeypatch):
    path, counts = plain_db
    before = read_all(path)

    def crash(staged, dest):
        raise OSError("disk pulled out")

    monkeypatch.setattr(encryption, "_swap", crash)
    with pytest.raises(OSError, match="disk pulled out"):
        encryption.encrypt(path, encryption.generate_key())
    assert encryption.file_state(path) == "plain"
    assert files_beside(path) == ["planner.db"]
    assert read_all(path) == before
    assert before[0] == counts


CRASH = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    sys.path.insert(0, {repo!r})
    from planner.storage.sqlite import encryption
    step, path, key = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    real_export, real_swap = encryption.export_copy, encryption._swap

    def export(*args, **kwargs):
        real_export(*args, **kwargs)
        if step == "after-export":
            os._exit(9)

    def swap(staged, dest):
        if step == "before-swap":
            os._exit(9)
        real_swap(staged, dest)
        if step == "after-swap":
            os._exit(9)

    encryption.export_copy, encryption._swap = export, swap
    encryption.encrypt(path, key)
""")


@pytest.mark.parametrize("step", ["after-export", "before-swap", "after-swap"])
def test_a_process_killed_between_steps_loses_nothing(plain_db, tmp_path_factory, step):
    path, counts = plain_db
    before = read_all(path)
    key = encryption.generate_key()
    script = tmp_path_factory.mktemp("script") / "crash.py"
    script.write_text(CRASH.format(repo=str(REPO)))
    run = subprocess.run(
        [sys.executable, str(script), step, str(path), key],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 9, run.stderr
    left = files_beside(path)
    assert "planner.db" in left
    if step == "after-swap":
        # the verified encrypted copy is in place; the plaintext original waits to be shredded
        assert encryption.file_state(path) == "encrypted"
        assert "planner.db.replaced" in left
        assert read_all(path, key=key) == before  # opening finishes the job
    else:
        assert encryption.file_state(path) == "plain"
        assert read_all(path) == before
    assert files_beside(path) == ["planner.db"]
    assert read_all(path, **({"key": key} if step == "after-swap" else {}))[0] == counts


def test_cleanup_puts_the_original_back_if_the_database_file_vanished(plain_db):
    path, counts = plain_db
    stash = path.with_name(path.name + encryption.REPLACED)
    os.replace(path, stash)
    assert read_all(path)[0] == counts
    assert not stash.exists()


def test_shred_overwrites_before_deleting(tmp_path, monkeypatch):
    victim = tmp_path / "plain.db"
    victim.write_bytes(SECRET.encode() * 1000)
    seen = {}
    real_unlink = Path.unlink

    def unlink(self, missing_ok=False):
        if self == victim:
            seen["bytes"] = self.read_bytes()
        return real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    encryption.shred(victim)
    assert not victim.exists()
    assert seen["bytes"] == bytes(len(SECRET) * 1000)


def test_plain_sqlite_cannot_read_an_encrypted_file(encrypted_db):
    path, _, _ = encrypted_db
    assert plain_sqlite_cannot_read(path)
    assert not encryption.plain_sqlite_readable(path)


# ------------------------------------------------- Settings → Security hooks


def test_settings_hooks_remember_and_forget_the_key(encrypted_db, memory_keyring):
    path, key, _ = encrypted_db
    assert security.security_status(path).key_location == "not-in-keyring"
    assert security.security_status(path, check_keyring=False).key_location == "unchecked"
    with pytest.raises(DatabaseProblem, match="does not open"):
        security.remember_key(path, "wrong passphrase")
    assert security.remember_key(path, encryption.recovery_passphrase(key))
    assert secrets.database_keys(path) == [key]
    status = security.security_status(path)
    assert status.key_location == "keyring" and "Key: in the system keyring" in "\n".join(
        status.lines()
    )
    assert security.forget_key(path)
    assert secrets.database_keys(path) == []


def test_settings_hooks_without_a_store_say_so(encrypted_db, no_keyring):
    path, key, _ = encrypted_db
    assert security.remember_key(path, key) is False
    assert security.forget_key(path) is False
    assert len(no_keyring) == 1


def test_the_pre_migration_backup_of_an_encrypted_database_is_encrypted(
    encrypted_db, monkeypatch
):
    from planner.storage import migrations

    path, key, counts = encrypted_db
    # "the next release" adds a step (a file whose version says less than its schema
    # holds would be refused: its schema must be exactly its version's, issue 17)
    nothing = {migrations.LATEST + 1: lambda db: None}
    monkeypatch.setattr(migrations, "STEPS", {**migrations.STEPS, **nothing})
    monkeypatch.setattr(migrations, "LATEST", migrations.LATEST + 1)
    handle = open_database(str(path), key=key)
    handle.close()
    made = list((path.parent / "backups").glob("*pre-migration*.db"))
    assert len(made) == 1
    assert_encrypted_on_disk(made[0])
    assert read_all(made[0], key=key, migrate=False)[0] == counts
