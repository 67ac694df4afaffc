"""``planner db encrypt | decrypt | change-key | status`` and ``--passphrase-stdin``.

Without a keyring: the real command line (invoke: as a new process would) with keyring's ``fail``
backend (headless Linux). With one: in-process, with the in-memory keyring.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest

from planner.storage import secrets
from planner.storage.sqlite import encryption
from tests.helpers.cli import invoke, ok, refused
from tests.helpers.encrypted import SECRET, assert_encrypted_on_disk, sha

RECOVERY = re.compile(r"^\s+([A-Z2-7]{4}(?:-[A-Z2-7]{4}){6})$", re.MULTILINE)
NOTICE = "secrets cannot be remembered on this machine"


def recovery_in(text: str) -> str:
    halves = RECOVERY.findall(text)
    assert len(halves) == 2, text
    return "-".join(halves)


@pytest.fixture
def fail_backend(monkeypatch):
    """Subprocesses see no keyring at all, as on headless Linux."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


@pytest.fixture
def with_people(db_path):
    ok(invoke("contacts", "add", "Ada", "--notes", SECRET, db=db_path))
    ok(invoke("contacts", "add", "Grace", db=db_path))
    return db_path


def names(db, *pre, input=None):
    out = ok(invoke(*pre, "contacts", "list", "--json", db=db, input=input))
    return [c["name"] for c in json.loads(out)]


class InProcess:
    """``planner …`` run in this process (so it sees the in-memory keyring)."""

    def __init__(self, db, capsys, monkeypatch):
        self.db, self.capsys, self.monkeypatch = db, capsys, monkeypatch

    def __call__(self, *args, input: str = ""):
        from planner.cli import main

        self.monkeypatch.setattr(sys, "stdin", io.StringIO(input))
        self.capsys.readouterr()
        code = main(["--db", str(self.db), *args])
        out, err = self.capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)


@pytest.fixture
def planner(db_path, capsys, monkeypatch, fresh_notice):
    return InProcess(db_path, capsys, monkeypatch)


# ---------------------------------------------------------------------- help


def test_help_lists_the_commands_and_the_global_option(db_path):
    out = ok(invoke("db", "--help", db=db_path))
    for word in ("encrypt", "decrypt", "change-key", "status"):
        assert word in out
    assert "--passphrase-stdin" in ok(invoke("--help"))
    assert "--own-passphrase" in ok(invoke("db", "encrypt", "--help", db=db_path))


# ------------------------------------------------------------ no keyring at all


def test_without_a_keyring_the_passphrase_path_works(with_people, fail_backend):
    db = with_people
    assert "Encrypted: no" in ok(invoke("db", "status", db=db))
    result = invoke("db", "encrypt", db=db)
    out = ok(result)
    recovery = recovery_in(out)
    assert "shown only this once" in out and "NOT kept" in out
    assert result.stderr.count(NOTICE) == 1, result.stderr  # clear, and once
    assert_encrypted_on_disk(db)
    before = sha(db)

    # no key anywhere: refused in one line that says what to do
    refused(
        invoke("contacts", "list", db=db),
        "encrypted",
        "no keyring service",
        "--passphrase-stdin",
        "untouched",
    )
    assert sha(db) == before
    # the recovery passphrase opens it (any spacing or case)
    assert names(db, "--passphrase-stdin", input=recovery + "\n") == ["Ada", "Grace"]
    assert names(db, "--passphrase-stdin", input=recovery.lower().replace("-", " ")) == [
        "Ada",
        "Grace",
    ]
    # status says where the key (does not) live
    status = ok(invoke("db", "status", db=db))
    assert "Encrypted: yes" in status and "no usable secret store" in status
    checked = ok(
        invoke("--passphrase-stdin", "db", "status", "--json", db=db, input=recovery + "\n")
    )
    data = json.loads(checked)
    assert data["encrypted"] and data["passphrase_opens"] and data["key"] == "unchecked"


def test_a_wrong_or_empty_passphrase_is_refused_and_the_file_untouched(with_people, fail_backend):
    db = with_people
    recovery = recovery_in(ok(invoke("db", "encrypt", db=db)))
    ok(invoke("--passphrase-stdin", "contacts", "add", "Linus", db=db, input=recovery))
    before = sha(db)
    refused(
        invoke("--passphrase-stdin", "contacts", "list", db=db, input="guess\n"),
        "does not open",
        "untouched",
    )
    typo = recovery[:-1] + ("A" if recovery[-1] != "A" else "B")
    refused(invoke("--passphrase-stdin", "contacts", "list", db=db, input=typo), "typo")
    refused(
        invoke("--passphrase-stdin", "contacts", "list", db=db, input="\n"),
        "empty passphrase",
        "unencrypted",
    )
    refused(
        invoke("--passphrase-stdin", "contacts", "list", db=db, input=""),
        "no passphrase on standard input",
    )
    refused(invoke("--passphrase-stdin", "db", "decrypt", db=db, input="guess\n"), "does not open")
    assert sha(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["planner.db"]


def test_backup_and_restore_of_an_encrypted_database(with_people, fail_backend, tmp_path):
    db = with_people
    recovery = recovery_in(ok(invoke("db", "encrypt", db=db)))
    pass_in = recovery + "\n"
    copy = tmp_path / "copy.db"
    ok(invoke("--passphrase-stdin", "backup", "-o", str(copy), db=db, input=pass_in))
    assert_encrypted_on_disk(copy)
    ok(invoke("--passphrase-stdin", "contacts", "add", "Later", db=db, input=pass_in))
    refused(invoke("restore", str(copy), db=db), "encrypted", "--passphrase-stdin")
    out = ok(invoke("--passphrase-stdin", "restore", str(copy), db=db, input=pass_in))
    assert "Restored" in out
    assert_encrypted_on_disk(db)
    assert names(db, "--passphrase-stdin", input=pass_in) == ["Ada", "Grace"]
    for backup in (db.parent / "backups").glob("*.db"):
        assert_encrypted_on_disk(backup)


def test_own_passphrase_from_stdin(with_people, fail_backend):
    db = with_people
    refused(invoke("--passphrase-stdin", "db", "encrypt", db=db, input="short\n"), "at least 8")
    refused(invoke("--passphrase-stdin", "db", "encrypt", db=db, input="\n"), "empty passphrase")
    assert encryption.file_state(db) == "plain"
    out = ok(
        invoke(
            "--passphrase-stdin", "db", "encrypt", db=db, input="correct horse battery staple\n"
        )
    )
    assert "Recovery passphrase" not in out
    assert_encrypted_on_disk(db)
    assert names(db, "--passphrase-stdin", input="correct horse battery staple\n") == [
        "Ada",
        "Grace",
    ]
    # change-key: line 1 the current passphrase, line 2 the new one
    ok(
        invoke(
            "--passphrase-stdin",
            "db",
            "change-key",
            "--own-passphrase",
            db=db,
            input="correct horse battery staple\nanother long passphrase\n",
        )
    )
    refused(
        invoke(
            "--passphrase-stdin", "contacts", "list", db=db, input="correct horse battery staple\n"
        ),
        "does not open",
    )
    assert names(db, "--passphrase-stdin", input="another long passphrase\n") == ["Ada", "Grace"]


# --------------------------------------------------------------- with a keyring


def test_encrypt_keeps_the_key_in_the_keyring_and_nothing_is_asked(
    planner, memory_keyring, db_path
):
    ok(planner("contacts", "add", "Ada", "--notes", SECRET))
    result = planner("db", "encrypt")
    out = ok(result)
    recovery = recovery_in(out)
    assert "The key is kept in the system keyring" in out
    assert NOTICE not in result.stderr
    assert_encrypted_on_disk(db_path)
    key = memory_keyring.store[(secrets.SERVICE, secrets.account_for(db_path))]
    assert encryption.key_from_recovery(recovery) == key
    assert "Ada" in ok(planner("contacts", "list"))  # the keyring opens it
    status = ok(planner("db", "status"))
    assert "Encrypted: yes" in status and "Key: in the system keyring" in status
    refused(planner("db", "encrypt"), "already encrypted")


def test_change_key_then_decrypt(planner, memory_keyring, db_path):
    ok(planner("contacts", "add", "Ada", "--notes", SECRET))
    ok(planner("backup"))
    old = recovery_in(ok(planner("db", "encrypt")))
    out = ok(planner("db", "change-key"))
    new = recovery_in(out)
    assert new != old and "no longer open" in out and "1 backup(s)" in out
    refused(planner("--passphrase-stdin", "contacts", "list", input=old), "does not open")
    assert "Ada" in ok(planner("--passphrase-stdin", "contacts", "list", input=new))
    assert "Ada" in ok(planner("contacts", "list"))  # the new key is in the keyring
    for backup in (db_path.parent / "backups").glob("*.db"):
        assert not encryption.check_key(backup, encryption.key_from_recovery(old))
        assert encryption.check_key(backup, encryption.key_from_recovery(new))

    out = ok(planner("db", "decrypt"))
    assert "plain SQLite file again" in out
    assert db_path.read_bytes().startswith(b"SQLite format 3\x00")
    assert memory_keyring.store == {}
    assert "Encrypted: no" in ok(planner("db", "status"))
    for backup in (db_path.parent / "backups").glob("*.db"):
        assert backup.read_bytes().startswith(b"SQLite format 3\x00")
    refused(planner("db", "decrypt"), "not encrypted")


def test_no_keyring_flag_keeps_the_key_out_of_the_keyring(planner, memory_keyring, db_path):
    ok(planner("contacts", "add", "Ada"))
    recovery = recovery_in(ok(planner("db", "encrypt", "--no-keyring")))
    assert memory_keyring.store == {}
    refused(planner("contacts", "list"), "not in this machine's keyring")
    assert "Ada" in ok(planner("--passphrase-stdin", "contacts", "list", input=recovery))


def test_the_terminal_prompt_asks_three_times(planner, memory_keyring, db_path, monkeypatch):
    import click

    ok(planner("contacts", "add", "Ada"))
    recovery = recovery_in(ok(planner("db", "encrypt", "--no-keyring")))
    answers: list[str] = []
    prompts: list[tuple[str, bool]] = []

    def prompt(text, **kwargs):
        prompts.append((text, kwargs.get("hide_input")))
        return answers.pop(0)

    monkeypatch.setattr("planner.cli.passphrase.stdin_is_tty", lambda: True)
    monkeypatch.setattr(click, "prompt", prompt)
    answers[:] = ["", "nope", recovery]
    result = planner("contacts", "list")
    assert "Ada" in ok(result)
    assert len(prompts) == 3 and all(hidden for _, hidden in prompts)
    assert "empty passphrase" in result.stderr and "does not open" in result.stderr
    answers[:] = ["nope", "nope", "nope"]
    result = planner("contacts", "list")
    assert result.returncode == 1 and "does not open" in result.stderr.splitlines()[-1]


def test_a_notice_left_by_an_earlier_command_in_the_process_is_not_printed(
        planner, memory_keyring):
    """In one process (the tests' in-process CLI), a command must not print the secret-store
    notice that an earlier command left pending: it was that command's."""
    from planner.cli import passphrase

    passphrase._pending_notice.append("No usable secret store: secrets cannot be remembered "
                                      "on this machine (left over)")
    ok(planner("contacts", "add", "Ada"))
    result = planner("db", "status")  # a command that says its notice, if it has one
    assert NOTICE not in result.stderr and result.returncode == 0


# the window, as far as the file is concerned: a connection left open (WAL mode)
_HOLDER = """
import sys, time
if sys.argv[2]:
    from sqlcipher3 import dbapi2 as sqlite
else:
    import sqlite3 as sqlite
conn = sqlite.connect(sys.argv[1])
if sys.argv[2]:
    conn.execute(f"PRAGMA key = '{sys.argv[2]}'")
conn.execute("PRAGMA journal_mode=WAL")  # as the app keeps it
conn.execute("SELECT count(*) FROM contact").fetchone()
print("ready", flush=True)
sys.stdin.readline()
"""


def _held(path, key: str = ""):
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(path), key],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready"
    return holder


def test_no_recovery_passphrase_is_shown_for_a_change_refused_as_in_use(
        planner, memory_keyring, db_path):
    """With the window open, `db change-key` printed a new "shown only this once" recovery
    passphrase, then refused ("in use … Nothing was changed"): the passphrase written down
    opened nothing. It is shown once the file is held for the change, never before."""
    ok(planner("contacts", "add", "Ada", "--notes", SECRET))
    holder = _held(db_path)
    try:  # encrypting, while in use
        result = planner("db", "encrypt")
    finally:
        holder.kill()
        holder.communicate()
    refused(result, "in use")
    assert not RECOVERY.findall(result.stdout + result.stderr), result.stdout
    old = recovery_in(ok(planner("db", "encrypt")))
    holder = _held(db_path, encryption.key_from_recovery(old))
    try:  # changing the key, while in use
        result = planner("db", "change-key")
    finally:
        holder.kill()
        holder.communicate()
    refused(result, "in use")
    assert not RECOVERY.findall(result.stdout + result.stderr), result.stdout
    assert "Recovery passphrase" not in result.stdout
    assert "Ada" in ok(planner("--passphrase-stdin", "contacts", "list", input=old))
    # not in use: shown, and it is the one that opens the database now
    new = recovery_in(ok(planner("db", "change-key")))
    assert "Ada" in ok(planner("--passphrase-stdin", "contacts", "list", input=new))


def test_encrypting_leaves_another_databases_backups_in_the_folder_alone(
        planner, memory_keyring, db_path):
    """planner.db and planner-work.db side by side share backups/: the backups of
    planner-work (named planner-work-…) were listed as planner's (their names start with
    "planner-"), offered by Restore and converted with planner's key by `db encrypt`,
    after which planner-work's own key no longer opened them."""
    work = db_path.with_name(f"{db_path.stem}-work.db")
    ok(invoke("contacts", "add", "Grace", db=work))
    ok(invoke("backup", db=work))
    ok(planner("contacts", "add", "Ada", "--notes", SECRET))
    ok(planner("backup"))
    folder = db_path.parent / "backups"
    theirs = sorted(folder.glob(f"{work.stem}-*.db"))
    assert len(theirs) == 1
    out = ok(planner("db", "encrypt"))
    assert "1 backup(s)" in out, out  # its own one, not planner-work's
    import sqlite3

    assert theirs[0].read_bytes().startswith(b"SQLite format 3\x00")  # still plain
    conn = sqlite3.connect(f"file:{theirs[0]}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT name FROM contact").fetchall() == [("Grace",)]
    finally:
        conn.close()
    status = ok(planner("db", "status"))
    assert "Backups: 1" in status, status
