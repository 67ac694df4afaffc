"""The price of encryption at rest (issue 9): SQLCipher's key derivation per connection,
opening the database, and the window's start-up with an encrypted database."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.benchmarks.harness import (
    PROBE,
    REPO,
    Figure,
    WindowRun,
    child_env,
    median,
    paired,
    timed,
)

PLACED = 3 + 12 + 72


@pytest.fixture(scope="module")
def encrypted_rings(rings_db, tmp_path_factory):
    """An encrypted copy of the rings database, and its key."""
    from planner.storage.sqlite import encryption

    folder = tmp_path_factory.mktemp("encrypted")
    plain = folder / "plain.db"
    encrypted = folder / "encrypted.db"
    key = encryption.generate_key()
    encryption.copy_file(rings_db, None, plain, None)
    encryption.copy_file(rings_db, None, encrypted, key)
    return plain, encrypted, key


def test_key_derivation_per_connection(benchmark, figures, encrypted_rings):
    """One connection (connect + first read): SQLCipher vs plain SQLite, same data."""
    from peewee import SqliteDatabase
    from playhouse.sqlcipher_ext import SqlCipherDatabase

    plain, encrypted, key = encrypted_rings

    def first_read(db) -> None:
        db.connect()
        db.execute_sql("SELECT count(*) FROM contact").fetchone()
        db.close()

    m, b = paired(benchmark,
                  timed(lambda: first_read(SqlCipherDatabase(str(encrypted), passphrase=key))),
                  timed(lambda: first_read(SqliteDatabase(str(plain)))), rounds=15)
    # the app's connections after the first: keyed with the key it derived once
    from planner.storage.failures import sqlcipher_database_class

    ours = sqlcipher_database_class()
    first_read(ours(str(encrypted), passphrase=key))
    again = [timed(lambda: first_read(ours(str(encrypted), passphrase=key)))()
             for _ in range(15)]
    figures.add(Figure(
        "20", "Encryption: one connection (PBKDF2 key derivation + first read)",
        median(m), median(b), baseline_name="plain SQLite",
        target="≈ 0.2 s, once per file in a process", met=median(m) < 0.5,
        detail=f"median of {len(m)}; the app's later connections, keyed with the key it "
               f"derived once: {median(again) * 1000:.2f} ms"))


def test_open_database_encrypted(benchmark, figures, encrypted_rings):
    """``open_database`` as the window calls it (key known): inspect + connect. Each open
    derives the key once (closing the database forgets what was derived of its key, and
    the process's memory of it is cleared before each open besides)."""
    from planner.storage.database import open_database
    from planner.storage.sqlite import derived_keys

    plain, encrypted, key = encrypted_rings

    def first_in_process() -> None:
        derived_keys._raw.clear()
        derived_keys._salts.clear()
        open_database(str(encrypted), key=key).close()

    m, b = paired(benchmark, timed(first_in_process),
                  timed(lambda: open_database(str(plain)).close()), rounds=10)
    figures.add(Figure(
        "21", "Encryption: open_database (check, migrations check, connection)",
        median(m), median(b), baseline_name="plain SQLite", target="< 0.6 s",
        met=median(m) < 0.6,
        detail=f"median of {len(m)}; one key derivation (two before, 0.2 s)"))


def _window(database: Path, key: str | None) -> WindowRun:
    args = [sys.executable, str(PROBE), "app", "--settle", "0", "--nodes", str(PLACED),
            "--db", str(database)]
    with tempfile.TemporaryDirectory(prefix="bench-home-") as home:
        env = child_env(Path(home))
        if key is not None:  # the key "in the keyring", as after `planner db encrypt`
            env["PYTHON_KEYRING_BACKEND"] = "tests.benchmarks.env_keyring.EnvKeyring"
            env["BENCH_DATABASE_KEY"] = key
            env["PYTHONPATH"] = str(REPO)
        start = time.monotonic()
        proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300,
                              cwd=home)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"window probe failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    data = json.loads(lines[-1])
    return WindowRun(data["t_painted"] - start, data["t_painted"] - data["t_qt"],
                     data["rss_painted_kb"] / 1024, data["rss_settled_kb"] / 1024,
                     data["nodes"], data["rows"])


def test_startup_with_an_encrypted_database(benchmark, figures, encrypted_rings):
    """`planner --db FILE` to the first painted window, encrypted vs plain (same data)."""
    plain, encrypted, key = encrypted_rings
    runs = []

    def measured() -> float:
        run = _window(encrypted, key)
        runs.append(run)
        return run.startup_s

    m, b = paired(benchmark, measured, lambda: _window(plain, None).startup_s, rounds=5)
    assert runs[-1].nodes == PLACED
    figures.add(Figure(
        "22", "Encryption: start-up to first painted window, 87 placed + 5,000 unplaced",
        median(m), median(b), baseline_name="same database, plain", target="+ < 0.5 s",
        met=median(m) - median(b) < 0.5,
        detail=f"median of {len(m)}, +{median(m) - median(b):.2f} s"))
