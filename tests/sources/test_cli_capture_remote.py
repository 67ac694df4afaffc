"""``planner capture caldav|imap add|sync|remove`` against the real servers: the password
from standard input to the keyring (never on screen), a refused certificate and a wrong
password as one line, progress and summaries, and Ctrl-C in the middle of a sync (a real
``planner`` process, a server that hangs) keeping what was stored."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

import planner.cli.capture_remote  # the caldav and imap groups attach to capture
from planner.sources.tls import show_fingerprint
from tests.helpers import dovecot_server, radicale_server
from tests.helpers.servers import CuttingProxy
from tests.sources.mail import message
from tests.sources.test_caldav_real import event, make_calendar

NOW = datetime.now(UTC).replace(microsecond=0)
REPO = __import__("pathlib").Path(__file__).resolve().parents[2]


class InProcess:
    def __init__(self, db, capsys, monkeypatch):
        self.db, self.capsys, self.monkeypatch = db, capsys, monkeypatch

    def __call__(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
        from planner.cli import main

        self.monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        self.capsys.readouterr()
        code = main(["--db", str(self.db), *args])
        out, err = self.capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)


@pytest.fixture
def planner(db_path, capsys, monkeypatch, memory_keyring):
    run = InProcess(db_path, capsys, monkeypatch)
    for name in ("ann", "bob"):
        assert run("contacts", "add", name.title(), "--email", f"{name}@example.org"
                   ).returncode == 0
    assert run("capture", "me", f"{radicale_server.USER}@example.org").returncode == 0
    return run


def one_line(result, code: int = 1) -> str:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_imap_add_sync_remove(dovecot, mailbox, planner, memory_keyring):
    mailbox.append("Sent", message(to="Ann <ann@example.org>", when=NOW - timedelta(days=1),
                                   msgid="x@me"), msg_time=NOW - timedelta(days=1))
    pw = dovecot_server.PASSWORD + "\n"
    common = ("capture", "imap", "add", "127.0.0.1", "--port", str(dovecot.imaps),
              "--user", dovecot_server.USER, "--password-stdin")
    refused = one_line(planner(*common, stdin=pw))
    shown = show_fingerprint(dovecot.fingerprint)
    assert refused.startswith("planner: The certificate of 127.0.0.1:")
    assert refused.endswith(f"--trust-certificate {shown}")

    wrong = one_line(planner(*common, "--trust-certificate", shown, stdin="nope\n"))
    assert wrong == (f"planner: 127.0.0.1:{dovecot.imaps} refused the user name or password "
                     f"of {dovecot_server.USER}")
    assert memory_keyring.store == {}

    added = planner(*common, "--trust-certificate", shown, stdin=pw)
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("Added imap source 1: ")
    synced = planner("capture", "imap", "sync")
    assert synced.returncode == 0, synced.stderr
    assert "1 new" in synced.stdout
    assert planner("capture", "imap", "sync", "1").stdout.endswith("nothing new.\n")
    listed = planner("capture", "list")
    assert "Ann" in listed.stdout
    for result in (added, synced, listed):
        assert dovecot_server.PASSWORD not in result.stdout + result.stderr
    assert one_line(planner("capture", "caldav", "sync", "1")) == \
        "planner: capture source 1 is not a caldav source (it is imap)"
    removed = planner("capture", "imap", "remove", "1")
    assert removed.returncode == 0 and "and its password" in removed.stdout
    assert memory_keyring.store == {}


def test_caldav_add_sync_remove(radicale, planner, memory_keyring):
    calendar = make_calendar(radicale)
    calendar.save_event(event("one", NOW - timedelta(days=1)))
    url = radicale.calendar_url()
    wrong = one_line(planner("capture", "caldav", "add", url, "--user", radicale_server.USER,
                             "--password-stdin", stdin="nope\n"))
    assert wrong == (f"planner: 127.0.0.1:{radicale.port} refused the user name or password "
                     f"of {radicale_server.USER}")
    added = planner("capture", "caldav", "add", url, "--user", radicale_server.USER,
                    "--password-stdin", "--label", "Work", stdin=radicale_server.PASSWORD)
    assert added.returncode == 0, added.stderr
    assert added.stdout == ("Added caldav source 1: Work (the password is in the keyring). "
                            "Read it with: planner capture caldav sync 1\n")
    assert planner("capture", "caldav", "sync").stdout == \
        "Work: 1 new, 0 updated, 0 withdrawn; 0 already known, 0 with nobody you know.\n"
    assert planner("capture", "caldav", "sync").stdout == "Work: nothing new.\n"
    calendar.save_event(event("two", NOW - timedelta(hours=2), attendees=("bob@example.org",)))
    every = planner("capture", "sync")  # every source, whatever its kind
    assert every.returncode == 0 and "Work: 1 new" in every.stdout, every.stderr
    # the general `capture forget` takes a remote source's password with it too
    kept = dict(memory_keyring.store)
    home = planner("capture", "caldav", "add", url, "--user", radicale_server.USER,
                   "--password-stdin", "--label", "Home", stdin=radicale_server.PASSWORD)
    assert home.returncode == 0 and len(memory_keyring.store) == len(kept) + 1, home.stderr
    assert planner("capture", "forget", "2").returncode == 0
    assert memory_keyring.store == kept
    radicale.stop()
    down = one_line(planner("capture", "caldav", "sync"))
    assert down == f"planner: cannot reach 127.0.0.1:{radicale.port} (the connection was refused)"
    assert planner("capture", "caldav", "remove", "1").returncode == 0
    assert memory_keyring.store == {}


def test_ctrl_c_in_the_middle_of_a_sync_keeps_what_was_stored(dovecot, mailbox, planner,
                                                              db_path, tmp_path):
    for n in range(10):
        when = NOW - timedelta(days=1, minutes=n)
        mailbox.append("Sent", message(to="ann@example.org" if n % 2 else "bob@example.org",
                                       when=when, msgid=f"m{n}@me"), msg_time=when)
    proxy = CuttingProxy(dovecot.imaps, stall=True)
    children: list[subprocess.Popen] = []
    try:
        added = planner("capture", "imap", "add", "127.0.0.1", "--port", str(proxy.port),
                        "--user", dovecot_server.USER, "--password-stdin",
                        "--trust-certificate", dovecot.fingerprint,
                        stdin=dovecot_server.PASSWORD)
        assert added.returncode == 0, added.stderr
        proxy.wait_for(1)
        # a whole sync's bytes, to hang the server a little after half of them
        from planner.sources import imap_source

        where = imap_source.make_account("127.0.0.1", proxy.port, dovecot_server.USER, "tls",
                                         dovecot.fingerprint)
        list(imap_source.sync(where, dovecot_server.PASSWORD,
                              [imap_source.Folder(imap_source.SENT, True)],
                              (NOW - timedelta(days=5)).date(), None, batch=1))
        proxy.wait_for(2)
        proxy.cut_after = proxy.served[1] * 3 // 4
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        child = subprocess.Popen(
            [sys.executable, "-m", "planner", "--db", str(db_path), "capture", "imap", "sync",
             "1", "--password-stdin", "--batch-size", "1"], cwd=REPO, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            # as from a terminal: Ctrl-C raises (a test runner may have SIGINT ignored)
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        children.append(child)
        child.stdin.write(dovecot_server.PASSWORD + "\n")
        child.stdin.close()
        deadline = time.monotonic() + 30
        while proxy.cuts == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proxy.cuts == 1, "the server never hung"
        time.sleep(0.5)
        child.send_signal(signal.SIGINT)
        child.wait(timeout=30)
        out, err = child.stdout.read(), child.stderr.read()
        assert child.returncode == 130, (out, err)
        assert "Traceback" not in err
        assert err.strip().splitlines()[-1].startswith(
            "planner: interrupted; what was read from ")
        kept = planner("capture", "list", "--json")
        import json

        first = len(json.loads(kept.stdout))
        assert 0 < first < 10

        proxy.cut_after = None
        proxy.stall = False
        rest = planner("capture", "imap", "sync", "1")
        assert rest.returncode == 0, rest.stderr
        assert len(json.loads(planner("capture", "list", "--json").stdout)) == 10
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait(timeout=10)
            child.stdout.close()
            child.stderr.close()
        proxy.close()


def test_add_asks_for_the_password_with_a_hidden_prompt(dovecot, mailbox, tmp_path, db_path):
    """A real ``planner`` on a terminal (a pty): the prompt does not echo the password,
    which lands in the keyring only; the next command finds it there."""
    import json
    import pty

    mailbox.append("Sent", message(to="ann@example.org", when=NOW - timedelta(hours=5),
                                   msgid="t@me"), msg_time=NOW - timedelta(hours=5))
    store = tmp_path / "keyring.json"
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "tests.helpers.file_keyring.TestFileKeyring",
           "PLANNER_TEST_KEYRING": str(store), "PYTHONPATH": os.pathsep.join(
               [str(REPO), os.environ.get("PYTHONPATH", "")])}

    def on_a_terminal(*args: str, answer: str | None = None) -> tuple[int, str]:
        leader, follower = pty.openpty()
        child = subprocess.Popen([sys.executable, "-m", "planner", "--db", str(db_path), *args],
                                 stdin=follower, stdout=follower, stderr=follower, cwd=REPO,
                                 env=env, close_fds=True)
        os.close(follower)
        seen = b""
        try:
            while True:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # the terminal closed: the command ended
                    break
                if not chunk:
                    break
                seen += chunk
                if answer is not None and seen.rstrip().endswith(b"Password:"):
                    os.write(leader, answer.encode() + b"\n")
                    answer = None
            return child.wait(timeout=60), seen.decode(errors="replace")
        finally:
            os.close(leader)
            if child.poll() is None:
                child.kill()
                child.wait(10)

    code, screen = on_a_terminal("capture", "imap", "add", "127.0.0.1", "--port",
                                 str(dovecot.imaps), "--user", dovecot_server.USER,
                                 "--trust-certificate", dovecot.fingerprint,
                                 answer=dovecot_server.PASSWORD)
    assert code == 0, screen
    assert "Password:" in screen and "Added imap source 1" in screen
    assert dovecot_server.PASSWORD not in screen  # not echoed
    assert list(json.loads(store.read_text()).values()) == [dovecot_server.PASSWORD]
    code, screen = on_a_terminal("capture", "imap", "sync")
    assert code == 0 and "1 new" in screen, screen
