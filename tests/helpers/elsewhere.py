"""Looking at a database file from another process.

A test that holds a connection (the window, an open database) must not open the
database file with Python itself: closing that descriptor would drop the
connection's locks (issue 17). The bytes, or a plain ``sqlite3`` look, come from
a short-lived child process instead, as another program would see them.
"""

from __future__ import annotations

import base64
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_READ = ("import base64, sys\n"
         "data = open(sys.argv[1], 'rb').read()\n"
         "sys.stdout.write(base64.b64encode(data).decode())\n")

_QUERY = ("import sqlite3, sys\n"
          "c = sqlite3.connect(sys.argv[1])\n"
          "try:\n"
          "    print(repr(c.execute(sys.argv[2]).fetchall()))\n"
          "except sqlite3.DatabaseError as e:\n"
          "    print('DatabaseError', e)\n"
          "finally:\n"
          "    c.close()\n")

_HOLD = ("import sqlite3, sys\n"
         "c = sqlite3.connect(sys.argv[1])\n"
         "c.execute('SELECT count(*) FROM sqlite_master').fetchone()\n"
         "print('open', flush=True)\n"
         "sys.stdin.read()\n"
         "c.close()\n")


def file_bytes(path: Path) -> bytes:
    """The whole file as another process reads it."""
    out = subprocess.run([sys.executable, "-c", _READ, str(path)], capture_output=True,
                         text=True, check=True, timeout=60).stdout
    return base64.b64decode(out)


def header(path: Path) -> bytes:
    return file_bytes(path)[:16]


def plain_query(path: Path, sql: str) -> str:
    """``repr`` of the rows the standard sqlite3 module reads in another process, or
    ``DatabaseError …`` when it cannot read the file (e.g. an encrypted one)."""
    return subprocess.run([sys.executable, "-c", _QUERY, str(path), sql], capture_output=True,
                          text=True, check=True, timeout=60).stdout.strip()


@contextmanager
def held_open(path: Path) -> Iterator[None]:
    """Another program with a connection to ``path`` for the duration of the block."""
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
        yield
    finally:
        proc.communicate("", timeout=60)
