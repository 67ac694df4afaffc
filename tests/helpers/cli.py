"""Run the real command line: in this process (``invoke``, fast) or in a subprocess
(``run_cli``, for what needs a process of its own: start-up, signals, a second writer
beside an open window, a crash).

``invoke`` calls ``planner.cli.main([...])`` as a fresh process would see it: stdin,
stdout and stderr of its own, the keyring ``PYTHON_KEYRING_BACKEND`` names, and none of
the once-per-process state (log file set up, notices given) carried over from an earlier
run. Afterwards it checks the run left nothing behind — no database still bound or
open, no log handler, no changed environment, no thread — so a leak fails the test
that caused it instead of a later one.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path


def run_cli(*args: str, db: Path | None = None, input: str | None = None,
            closed: tuple[int, ...] = ()):
    """Run ``python -m planner`` in a subprocess, the way a person would; ``closed``: the
    standard descriptors it starts without (0 for ``<&-``, 1 for ``>&-``)."""
    cmd = [sys.executable, "-m", "planner"]
    if db is not None:
        cmd += ["--db", str(db)]
    close = (lambda: [os.close(fd) for fd in closed]) if closed else None
    # (surrogateescape: a file name that is not UTF-8 comes back as the str it was given as)
    return subprocess.run(cmd + list(args), capture_output=True, text=True, input=input,
                          errors="surrogateescape", env={**os.environ}, timeout=120,
                          preexec_fn=close)


def invoke(*args: str, db: Path | None = None, input: str | None = None):
    """Run ``planner.cli.main([...])`` in this process; a CompletedProcess like ``run_cli``."""
    from click.testing import CliRunner

    from planner.cli import main

    argv = (["--db", str(db)] if db is not None else []) + list(args)
    with _fresh_process_state(), CliRunner().isolation(input=input or "") as (out, err, _):
        try:
            code = main(argv)
        except SystemExit as exc:  # what the interpreter would make of it
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        sys.stdout.flush()
        sys.stderr.flush()
        stdout, stderr = _text(out), _text(err)
    return subprocess.CompletedProcess(["planner", *argv], code, stdout, stderr)


def _text(stream) -> str:
    return stream.getvalue().decode("utf-8", "replace").replace("\r\n", "\n")


@contextmanager
def _fresh_process_state():
    import keyring
    import keyring.core

    from planner import logs
    from planner.cli import passphrase
    from planner.services import setting_warnings
    from planner.storage import models, secret_notice
    from planner.storage.postgres import connection
    from planner.storage.sqlite import live_files

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    environ = dict(os.environ)
    cwd = os.getcwd()
    threads = set(threading.enumerate())
    proxy = getattr(models, "db_proxy", None)
    bound = getattr(proxy, "obj", None)
    live = {path: len(conns) for path, conns in live_files._open.items()}
    once_per_process = [(logs, "_configured"), (setting_warnings, "_warn"),
                        (setting_warnings, "_warned"), (secret_notice, "_notice_given"),
                        (secret_notice, "_notice_handler"),
                        (connection, "_warned_about_password")]
    # a name a refactoring moved must move here too: kept silently, the state would leak
    # from one in-process command to the next (the secret notice did, once it had moved)
    missing = [f"{module.__name__}.{name}" for module, name in once_per_process
               if not hasattr(module, name)]
    assert not missing, f"once-per-process state not found: {missing}"
    saved = {(module, name): getattr(module, name) for module, name in once_per_process}
    for module, name in saved:  # a fresh process: nothing configured, nothing said yet
        setattr(module, name, False if name.startswith("_warned") or name == "_notice_given"
                else None)
    ring = keyring.get_keyring()
    keyring.set_keyring(keyring.core.load_env() or _null_keyring())
    pending = list(passphrase._pending_notice)
    time.tzset()  # a test's TZ, as a new process would read it
    try:
        yield
    finally:
        added = [h for h in root.handlers if h not in handlers]
        for handler in added:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)
        for (module, name), value in saved.items():
            setattr(module, name, value)
        keyring.set_keyring(ring)
        passphrase._pending_notice[:] = pending
        changed = {k for k in set(environ) | set(os.environ) if environ.get(k) != os.environ.get(k)}
        os.environ.clear()
        os.environ.update(environ)
        time.tzset()
        moved = os.getcwd() != cwd
        os.chdir(cwd)
        if proxy is not None and proxy.obj is not bound:  # open_database binds the models
            proxy.initialize(bound)  # (closing does not unbind them): the test's binding back
        left_open = {path: len(conns) for path, conns in live_files._open.items()
                     if len(conns) > live.get(path, 0)}
        new_threads = _new_threads(threads)
    leaks = [text for text, found in (
        (f"environment variables changed: {sorted(changed)}", changed),
        ("the working directory changed", moved),
        (f"database files left open: {left_open}", left_open),
        (f"threads left running: {new_threads}", new_threads),
    ) if found]
    assert not leaks, "the in-process command left state behind: " + "; ".join(leaks)


def _new_threads(before: set[threading.Thread]) -> list[str]:
    deadline = time.monotonic() + 5
    while True:
        extra = [t for t in threading.enumerate() if t not in before and t.is_alive()
                 and not t.daemon]
        if not extra or time.monotonic() > deadline:
            return [t.name for t in extra]
        time.sleep(0.01)


def _null_keyring():
    from keyring.backends import null

    return null.Keyring()


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


def refused(result: subprocess.CompletedProcess, *needles: str) -> str:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def as_json(result: subprocess.CompletedProcess):
    return json.loads(ok(result))
